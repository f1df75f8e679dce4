from odoo import api, models


class LoyaltyRule(models.Model):
    _inherit = "loyalty.rule"

    # In the change log when their program is a chain rule (see loyalty.program).
    @api.model_create_multi
    def create(self, vals_list):
        rules = super().create(vals_list)
        self.env["auditlog.rule"]._store_log_create(rules._store_change_logged())
        self.env.registry.clear_cache()  # loyalty.program._store_auto_rules
        return rules

    def write(self, vals):
        # Moved into (or out of) a chain program: that change is logged too.
        res = self.env["auditlog.rule"]._store_write_logged(self, vals, "program_id", super().write)
        self.env.registry.clear_cache()  # loyalty.program._store_auto_rules
        return res

    def unlink(self):
        res = self.env["auditlog.rule"]._store_unlink_logged(self, super().unlink)
        self.env.registry.clear_cache()  # loyalty.program._store_auto_rules
        return res

    def _store_change_logged(self):
        return self.sudo().program_id._store_logged_of(self)
