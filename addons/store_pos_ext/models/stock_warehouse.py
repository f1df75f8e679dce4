from odoo import fields, models


class StockWarehouse(models.Model):
    _inherit = "stock.warehouse"

    store_ids = fields.One2many("store.store", "warehouse_id", string="Stores")
