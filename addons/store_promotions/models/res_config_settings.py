from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    store_promo_stacking = fields.Selection(related="company_id.store_promo_stacking", readonly=False)
