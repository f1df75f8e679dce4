from odoo import api, models


class AuditlogRule(models.Model):
    _inherit = "auditlog.rule"

    @api.model
    def _store_confirm_rules(self, ids):
        """Confirm the chain's change-log rules still in draft (called by our data files on every
        update: core's ``set_to_confirmed`` would add a second "View logs" action to a confirmed one)."""
        self.browse(ids).exists().filtered(lambda rule: rule.state == "draft").set_to_confirmed()
