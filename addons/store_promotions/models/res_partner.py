from odoo import api, fields, models
from odoo.exceptions import UserError


class ResPartner(models.Model):
    _inherit = "res.partner"

    store_promo_tier = fields.Integer(
        "Member tier (POS)",
        compute="_compute_store_promo_tier",
        help="Id of the member's tier, 0 for a customer who is not a member: the POS offers "
        "member and tier promotions by it.",
    )

    store_promo_usage = fields.Json(
        "Promotion uses (POS)",
        compute="_compute_store_promo_usage",
        help="{promotion id: paid orders} of the promotions with a per-member limit, for the POS.",
    )

    store_promo_tags = fields.Json(
        "Member tags (POS)",
        compute="_compute_store_promo_tags",
        help="Ids of the member's tags (res.partner.category), [] for a customer who is not a member: "
        "the POS offers promotions for member tags by them.",
    )

    def _compute_store_promo_usage(self):
        limited = (
            self.env["store.promotion"].sudo().search([("member_limit", ">", 0), ("state", "=", "running")])
        )
        rows = []
        if limited and self.ids:
            rows = (
                self.env["pos.order"]
                .sudo()
                ._read_group(
                    [("partner_id", "in", self.ids), ("store_promotion_ids", "in", limited.ids)],
                    ["partner_id", "store_promotion_ids"],
                    ["__count"],
                )
            )
        usage = {}
        for partner, promo, count in rows:
            if promo in limited:
                usage.setdefault(partner.id, {})[str(promo.id)] = count
        for partner in self:
            partner.store_promo_usage = usage.get(partner.id, {})

    def _compute_store_promo_tier(self):
        for partner, member in zip(self, self.sudo(), strict=True):
            partner.store_promo_tier = member.member_tier_id.id if member.is_member else 0

    def _compute_store_promo_tags(self):
        # Tags are not personal data: the POS gets their ids, as the tier's.
        for partner, member in zip(self, self.sudo(), strict=True):
            partner.store_promo_tags = member.category_id.ids if member.is_member else []

    @api.model
    def _load_pos_data_fields(self, config):
        # is_member comes with store_membership.
        return [
            *super()._load_pos_data_fields(config),
            "store_promo_tier",
            "store_promo_tags",
            "store_promo_usage",
        ]

    def write(self, vals):
        """A member's tags that a promotion targets (an RFM segment, say) decide who gets it, as
        the tier does: only HQ's member admins (and the server's jobs) give or take them. Other
        tags stay free for the stores."""
        if (
            "category_id" not in vals
            or self.env.su
            or self.env.user.has_group("store_membership.group_member_admin")
        ):
            return super().write(vals)
        before = {partner.id: set(partner.category_id.ids) for partner in self.sudo()}
        res = super().write(vals)
        targeted = set(
            self.env["store.promotion"]
            .sudo()
            .search([("partner_tag_ids", "!=", False), ("state", "in", ("submitted", "approved", "running"))])
            .partner_tag_ids.ids
        )
        for partner in self.sudo().filtered("is_member"):
            if (before[partner.id] ^ set(partner.category_id.ids)) & targeted:
                raise UserError(
                    self.env._(
                        "%(member)s: the tags a promotion targets are given by HQ's member admins only.",
                        member=partner.display_name,
                    )
                )
        return res
