from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    store_earns_points = fields.Boolean(
        "Earns member points", default=True, help="Untick for products that never earn points."
    )
