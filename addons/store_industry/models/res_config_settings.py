from odoo import api, fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    store_care_reminder_days = fields.Integer(related="company_id.store_care_reminder_days", readonly=False)

    store_class_no_show_policy = fields.Selection(
        related="company_id.store_class_no_show_policy", readonly=False
    )

    @api.model
    def _store_chain_settings_fields(self):
        return super()._store_chain_settings_fields() | {
            "store_care_reminder_days",
            "store_class_no_show_policy",
        }
