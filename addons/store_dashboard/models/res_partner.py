import logging

from odoo import api, fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

RFM_CLASSES = ("value", "develop", "keep", "win_back", "general")


class ResPartner(models.Model):
    _inherit = "res.partner"

    # New members of a store's hour or day (the sales and employee facts): a registration is an
    # event, counted whatever became of the member since (archived, merged).
    _store_registration_index = models.Index(
        "(register_store_id, member_consent_date) WHERE member_consent_date IS NOT NULL"
    )

    @api.model
    def _store_member_create(self, mobile, vals):
        partner = super()._store_member_create(mobile, vals)
        self.env["store.sales.fact"]._refresh_orders(partner_ids=partner.ids)
        return partner

    # -------------------------------------------------------------------- RFM
    @api.model
    def _rfm_tags(self):
        """{class: tag}: the five RFM classes and their member tags (a tag deleted by an
        administrator is left out: its class's members get no tag)."""
        tags = {}
        for key in RFM_CLASSES:
            tag = self.env.ref(f"store_dashboard.tag_rfm_{key}", raise_if_not_found=False)
            if tag:
                tags[key] = tag
            else:
                _logger.warning("RFM tag store_dashboard.tag_rfm_%s is gone: its members get no tag", key)
        return tags

    @api.model
    def _cron_rfm_tags(self):
        """Give every active member the tag of its RFM class, with the thresholds of the company of
        its home store (else the store it registered at), in one statement:

        - recent: bought (a sale, not a refund) within ``store_rfm_recency_days`` days; frequent: at least
          ``store_rfm_frequency`` visits over the last ``store_rfm_months`` months (the member
          month facts); valuable: at least ``store_rfm_monetary`` spent over those months;
        - 重要价值客户 recent, frequent, valuable; 重要发展客户 recent, valuable, not frequent;
          重要保持客户 frequent, valuable, not recent; 重要挽留客户 valuable only; 一般客户 the
          others (not valuable). Returns {class: members}."""
        tags = self._rfm_tags()
        self.env["store.sales.fact"]._flush_sources()
        self.env["res.partner"].flush_model(["category_id"])
        self.env.cr.execute(
            SQL(
                """
                WITH members AS (
                    SELECT p.id, c.store_rfm_months AS months, c.store_rfm_recency_days AS recency,
                           c.store_rfm_frequency AS frequency, c.store_rfm_monetary AS monetary
                      FROM res_partner p
                      JOIN store_store st ON st.id = COALESCE(p.home_store_id, p.register_store_id)
                      JOIN res_company c ON c.id = st.company_id
                     WHERE p.is_member AND p.active
                ),
                figures AS (
                    SELECT m.id,
                           COALESCE(SUM(f.order_count), 0) AS visits,
                           COALESCE(SUM(f.spend), 0) AS spend,
                           (SELECT MAX(o.date_order) FROM pos_order o
                             WHERE o.partner_id = m.id AND o.state IN ('paid', 'done')
                               -- a sale (a sold line), not a refund
                               AND EXISTS (SELECT 1 FROM pos_order_line l
                                            WHERE l.order_id = o.id AND l.qty > 0
                                              AND l.refunded_orderline_id IS NULL)) AS last_order
                      FROM members m
                      LEFT JOIN store_member_month_fact f
                             ON f.partner_id = m.id
                            AND f.month >= date_trunc('month', %(today)s::date
                                                              - make_interval(months => m.months - 1))
                     GROUP BY m.id, m.months
                ),
                classes AS (
                    SELECT m.id,
                           CASE WHEN f.spend < m.monetary THEN %(general)s
                                WHEN f.last_order >= %(now)s - make_interval(days => m.recency)
                                     THEN CASE WHEN f.visits >= m.frequency THEN %(value)s
                                               ELSE %(develop)s END
                                WHEN f.visits >= m.frequency THEN %(keep)s
                                ELSE %(win_back)s END AS tag
                      FROM members m JOIN figures f ON f.id = m.id
                ),
                dropped AS (
                    DELETE FROM res_partner_res_partner_category_rel r
                     WHERE r.category_id = ANY(%(tags)s)
                       AND NOT EXISTS (SELECT 1 FROM classes c
                                        WHERE c.id = r.partner_id AND c.tag = r.category_id)
                ),
                added AS (
                    INSERT INTO res_partner_res_partner_category_rel (partner_id, category_id)
                    SELECT id, tag FROM classes WHERE tag IS NOT NULL
                    ON CONFLICT DO NOTHING
                )
                SELECT tag, COUNT(*) FROM classes GROUP BY tag
                """,
                today=fields.Date.context_today(self),
                now=fields.Datetime.now(),
                tags=[tag.id for tag in tags.values()],
                **{key: tags[key].id if key in tags else None for key in RFM_CLASSES},
            )
        )
        by_tag = dict(self.env.cr.fetchall())
        self.env["res.partner"].invalidate_model(["category_id"])
        self.env["res.partner.category"].invalidate_model()
        return {key: by_tag.get(tag.id, 0) for key, tag in tags.items()}
