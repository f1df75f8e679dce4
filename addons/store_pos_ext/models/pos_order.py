from odoo import fields, models


class PosOrder(models.Model):
    _inherit = "pos.order"

    store_id = fields.Many2one(related="config_id.store_id", string="Store", store=True, index=True)
    region_id = fields.Many2one(
        related="config_id.store_id.region_id", string="Region", store=True, index=True
    )
