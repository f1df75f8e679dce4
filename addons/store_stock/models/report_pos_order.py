from odoo import fields, models

from .product_template import ASSORTMENTS


class ReportPosOrder(models.Model):
    """The POS sales analysis split by core and local assortment (the product's assortment today)."""

    _inherit = "report.pos.order"

    store_assortment = fields.Selection(ASSORTMENTS, string="Assortment", readonly=True)

    def _select(self):
        return super()._select() + ", pt.store_assortment AS store_assortment"
