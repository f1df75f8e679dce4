from odoo import api, models


class LoyaltyReward(models.Model):
    _inherit = "loyalty.reward"

    # In the change log when their program is a chain rule (see loyalty.program).
    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        self.env["auditlog.rule"]._store_log_create(records._store_change_logged())
        return records

    def write(self, vals):
        AuditRule = self.env["auditlog.rule"]
        logged = self._store_change_logged()
        # A reward moved into (or out of) a chain program: that change is logged too.
        watched = self if "program_id" in vals else logged
        old_values = AuditRule._store_values(watched, vals)
        res = super().write(vals)
        if watched:
            AuditRule._store_log_write(logged | watched._store_change_logged(), old_values)
        return res

    def unlink(self):
        AuditRule = self.env["auditlog.rule"]
        logged = self._store_change_logged()
        old_values = AuditRule._store_unlink_values(logged)
        res = super().unlink()
        AuditRule._store_log_unlink(logged, old_values)
        return res

    def _store_change_logged(self):
        """Those of these rewards whose changes go to the change log: the rewards of the chain's
        programs (``loyalty.program._store_change_logged``)."""
        programs = self.sudo().program_id._store_change_logged()
        return self.sudo().filtered(lambda reward: reward.program_id in programs).with_env(self.env)
