from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    store_promo_stacking = fields.Selection(
        [("priority", "Highest priority wins"), ("best", "Best for the customer")],
        "Exclusive promotions",
        default="priority",
        required=True,
        help="Of the promotions of one exclusive group, which one an order gets.",
    )
