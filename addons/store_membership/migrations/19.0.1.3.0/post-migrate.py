"""19.0.1.3.0: foreign mobiles are members' mobiles too, stored in E.164 (``+85291234567``).

Until now only a mainland mobile was a member's mobile, and 19.0.1.2.0 left a stored number that
was not one as it was typed (``+852 9123 4567``, ``00852-9123-4567``, full-width digits...), with a
warning. Such numbers now have a normal form: E.164 for a valid foreign mobile (parsed by
``phonenumbers``). Every stored member mobile that is not in its normal form is rewritten to it,
with the masked Phone, unless that normal form is already another member's (HQ merges the two) or
the number is no valid mobile at all (left as it is, logged). Mainland mobiles keep their 11 digits.
"""

import logging

from odoo.addons.store_membership.models.res_partner import mask_mobile, normalize_mobile

_logger = logging.getLogger(__name__)


def _normalize_member_mobiles(cr):
    # A stored mainland key is 11 ASCII digits already: only the others can change.
    cr.execute(
        "SELECT id, member_mobile FROM res_partner"
        " WHERE member_mobile IS NOT NULL AND member_mobile !~ '^1[3-9][0-9]{9}$' ORDER BY id"
    )
    for partner_id, mobile in cr.fetchall():
        normal = normalize_mobile(mobile)
        if normal == mobile:
            continue
        taken = False
        if normal:
            cr.execute(
                "SELECT 1 FROM res_partner WHERE member_mobile = %s AND id != %s", [normal, partner_id]
            )
            taken = bool(cr.fetchall())
        if normal and not taken:
            cr.execute(
                "UPDATE res_partner SET member_mobile = %s, phone = %s WHERE id = %s",
                [normal, mask_mobile(normal), partner_id],
            )
            _logger.info("Member %s: mobile stored as %s", partner_id, mask_mobile(normal))
        else:
            _logger.warning(
                "Member %s: mobile %s is another member's or not a valid mobile; left as it is",
                partner_id,
                mask_mobile(mobile),
            )


def migrate(cr, version):
    if not version:
        return
    _normalize_member_mobiles(cr)
