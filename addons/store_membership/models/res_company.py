from odoo import api, fields, models

# The chain's membership rules kept on the company (Settings): which programs are the chain's
# points, stored value and birthday coupon, and the privacy limits. Their changes are logged.
CHAIN_RULE_FIELDS = {
    "store_points_program_id",
    "store_sv_program_id",
    "store_birthday_program_id",
    "store_member_unmask_daily_limit",
    "store_member_lookup_hourly_limit",
}


class ResCompany(models.Model):
    _inherit = "res.company"

    store_points_program_id = fields.Many2one(
        "loyalty.program", "Chain points program", domain="[('store_chain_role', '=', 'points')]"
    )
    store_sv_program_id = fields.Many2one(
        "loyalty.program", "Stored value program", domain="[('store_chain_role', '=', 'stored_value')]"
    )
    store_sv_product_id = fields.Many2one(
        "product.product",
        "Top-up product",
        compute="_compute_store_sv_product_id",
        store=True,
        help="The stored value program's own trigger product (its rule's product): selling it in "
        "the POS tops up the member's stored value by the line amount.",
    )
    store_birthday_program_id = fields.Many2one(
        "loyalty.program",
        "Birthday coupon program",
        domain="[('program_type', 'in', ('coupons', 'promotion', 'next_order_coupons'))]",
        help="A coupon of this program is issued to each member in their birthday month.",
    )
    store_member_unmask_daily_limit = fields.Integer(
        "Unmasks per user per day", default=50, help="Full phone numbers an HQ member admin may reveal a day."
    )
    store_member_lookup_hourly_limit = fields.Integer(
        "Member lookups per user per hour",
        default=60,
        help="Lookups of a member by full mobile or card number (POS search, registration) a user "
        "may make in an hour; reaching it refuses the next ones and alerts the HQ member admins. "
        "0: no limit (every lookup is still logged).",
    )

    def write(self, vals):
        """A change of the chain's membership rules (``CHAIN_RULE_FIELDS``) goes to the change
        log with its old and new values, as the programs' own changes do."""
        changed = CHAIN_RULE_FIELDS & set(vals)
        if not changed:
            return super().write(vals)
        AuditRule = self.env["auditlog.rule"]
        old_values = AuditRule._store_values(self, changed)
        res = super().write(vals)
        AuditRule._store_log_write(self, old_values)
        return res

    @api.depends("store_sv_program_id.trigger_product_ids")
    def _compute_store_sv_product_id(self):
        for company in self:
            company.store_sv_product_id = company.store_sv_program_id.trigger_product_ids[:1]

    @api.model
    def _load_pos_data_fields(self, config):
        # The POS adds the top-up product for 充值 and keeps the chain points card to the server's balance.
        return [*super()._load_pos_data_fields(config), "store_points_program_id", "store_sv_product_id"]
