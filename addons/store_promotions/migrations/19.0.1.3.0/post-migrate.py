"""19.0.1.3.0: promotions may be limited to members with given tags (``partner_tag_ids``), and
their stored rule (what the POS prices from and the server check reads) carries the tag ids.
Promotions saved before have no tags: their rule gets the empty list, so the POS and the check
read the same rule as for a promotion saved now."""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        UPDATE store_promotion
           SET rule = rule || '{"partner_tag_ids": []}'::jsonb
         WHERE rule IS NOT NULL AND NOT jsonb_exists(rule, 'partner_tag_ids')
        """
    )
