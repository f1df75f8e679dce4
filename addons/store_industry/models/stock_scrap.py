from odoo import models


class StockScrap(models.Model):
    """Core scraps: store users record those of their stores' warehouses (record rules), and a
    write cannot move one into another store's warehouse (``store.scope.guard``)."""

    _name = "stock.scrap"
    _inherit = ["stock.scrap", "store.scope.guard"]
