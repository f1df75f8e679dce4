from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    store_rfm_months = fields.Integer(related="company_id.store_rfm_months", readonly=False)
    store_rfm_recency_days = fields.Integer(related="company_id.store_rfm_recency_days", readonly=False)
    store_rfm_frequency = fields.Integer(related="company_id.store_rfm_frequency", readonly=False)
    store_rfm_monetary = fields.Float(related="company_id.store_rfm_monetary", readonly=False)
