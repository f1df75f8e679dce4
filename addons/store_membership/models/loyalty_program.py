from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class LoyaltyProgram(models.Model):
    _inherit = "loyalty.program"

    store_chain_role = fields.Selection(
        [("points", "Chain points"), ("stored_value", "Stored value")],
        "Chain role",
        copy=False,
        help="A chain program is one card per member, valid in every store, and its balances are "
        "changed by the server only (from paid orders, top-ups and HQ adjustments).",
    )
    store_point_value = fields.Float(
        "Value of one point (CNY)",
        default=0.01,
        digits=(16, 4),
        help="Used to value points in the inter-store settlement.",
    )
    store_excluded_categ_ids = fields.Many2many("product.category", string="Categories that earn no points")
    store_points_validity_months = fields.Integer(
        "Points valid for (months)", default=12, help="0: points never expire."
    )
    store_expiry_reminder_days = fields.Integer("Remind before expiry (days)", default=30)
    store_topup_bonus_rule_ids = fields.One2many(
        "store.topup.bonus.rule", "program_id", "Top-up bonus rules", copy=True
    )

    store_birthday_company_ids = fields.One2many(
        "res.company", "store_birthday_program_id", "Birthday coupon of", readonly=True
    )
    store_server_issued = fields.Boolean(
        "Issued by the server only",
        compute="_compute_store_server_issued",
        store=True,
        help="The chain's points and stored value, and a company's birthday coupon: their cards "
        "are created and used up by the server only, never by a POS.",
    )

    _store_chain_role_unique = models.UniqueIndex(
        "(company_id, store_chain_role) WHERE store_chain_role IS NOT NULL AND active",
        "A company has one chain points program and one stored value program.",
    )

    @api.depends("store_chain_role", "store_birthday_company_ids")
    def _compute_store_server_issued(self):
        """Derived from the settings that make the server the issuer: a chain role, or being a
        company's birthday coupon. The POS can neither create these cards nor say how many
        points they have (``pos.order.confirm_coupon_programs``); a paid order's coupon lines
        use them up on the server (``pos.order._store_consume_coupons``)."""
        for program in self:
            program.store_server_issued = bool(program.store_chain_role or program.store_birthday_company_ids)

    @api.constrains("store_chain_role", "program_type")
    def _check_store_chain_role(self):
        expected = {"points": "loyalty", "stored_value": "ewallet"}
        for program in self.filtered("store_chain_role"):
            if program.program_type != expected[program.store_chain_role]:
                raise ValidationError(
                    self.env._(
                        "Chain points need a Loyalty Cards program; stored value needs an eWallet program."
                    )
                )

    def write(self, vals):
        if "store_chain_role" in vals:
            changed = self.filtered(lambda p: p.store_chain_role != vals["store_chain_role"])
            if changed and self.env["loyalty.card"].sudo().search_count(
                [("program_id", "in", changed.ids)], limit=1
            ):
                raise UserError(self.env._("The chain role of a program that has cards cannot change."))
        return super().write(vals)

    def _store_points_rate(self):
        """(points per CNY, points per order) from the program's rules."""
        self.ensure_one()
        per_cny = sum(
            self.rule_ids.filtered(lambda r: r.reward_point_mode == "money").mapped("reward_point_amount")
        )
        per_order = sum(
            self.rule_ids.filtered(lambda r: r.reward_point_mode == "order").mapped("reward_point_amount")
        )
        return per_cny, per_order
