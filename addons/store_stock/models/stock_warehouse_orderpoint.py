from odoo import fields, models


class StockWarehouseOrderpoint(models.Model):
    _name = "stock.warehouse.orderpoint"
    # store users read their stores' reorder rules only (store_stock_security.xml)
    _inherit = ["stock.warehouse.orderpoint", "store.scope.guard"]

    store_threshold_id = fields.Many2one(
        "store.stock.threshold",
        string="Stock Threshold",
        index="btree_not_null",
        ondelete="cascade",
        readonly=True,
        copy=False,
        help="The HQ threshold this reorder rule is written from: it is kept in line with the "
        "thresholds (Inventory > Stock Thresholds), edit them rather than the rule.",
    )
