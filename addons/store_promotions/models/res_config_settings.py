from odoo import api, fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    store_promo_stacking = fields.Selection(related="company_id.store_promo_stacking", readonly=False)

    @api.model
    def _store_chain_settings_fields(self):
        return super()._store_chain_settings_fields() | {"store_promo_stacking"}
