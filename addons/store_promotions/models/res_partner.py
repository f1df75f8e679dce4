from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    store_promo_tier = fields.Integer(
        "Member tier (POS)",
        compute="_compute_store_promo_tier",
        help="Id of the member's tier, 0 for a customer who is not a member: the POS offers "
        "member and tier promotions by it.",
    )

    def _compute_store_promo_tier(self):
        for partner, member in zip(self, self.sudo(), strict=True):
            partner.store_promo_tier = member.member_tier_id.id if member.is_member else 0

    @api.model
    def _load_pos_data_fields(self, config):
        # is_member comes with store_membership.
        return [*super()._load_pos_data_fields(config), "store_promo_tier"]
