from odoo import api, fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    training_channel_id = fields.Many2one(related="company_id.training_channel_id", readonly=False)

    @api.model
    def _store_chain_settings_fields(self):
        return super()._store_chain_settings_fields() | {"training_channel_id"}
