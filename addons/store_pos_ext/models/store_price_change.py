from odoo import fields, models

# The POS roles a manual price change is judged by (core's pos_hr roles, plus HQ).
PRICE_ROLES = [
    ("minimal", "Minimal"),
    ("cashier", "Cashier"),
    ("manager", "Store manager"),
    ("hq", "HQ"),
]


class StorePriceChange(models.Model):
    """改价/折扣记录: a line of a store's paid order charged below (or above) the price the server
    computes for it, who did it, the reason given and whether it was allowed. Written by the
    server's pricing of paid orders only (``pos.order._price_check``)."""

    _name = "store.price.change"
    _description = "Manual Price Change"
    _inherit = ["store.scoped.mixin"]
    _order = "id desc"
    _rec_name = "product_id"

    order_id = fields.Many2one("pos.order", required=True, index=True, ondelete="cascade", readonly=True)
    line_id = fields.Many2one(
        "pos.order.line", string="Order Line", index=True, ondelete="cascade", readonly=True
    )
    product_id = fields.Many2one("product.product", readonly=True)
    employee_id = fields.Many2one("hr.employee", readonly=True)
    user_id = fields.Many2one("res.users", readonly=True)
    role = fields.Selection(PRICE_ROLES, readonly=True)
    qty = fields.Float("Quantity", digits="Product Unit", readonly=True)
    list_price = fields.Float(
        "Server Price",
        digits="Product Price",
        readonly=True,
        help="Unit price the server computes: pricelist, quantity, attributes, combo.",
    )
    charged_price = fields.Float(
        digits="Product Price",
        readonly=True,
        help="Unit price charged after the line discount.",
    )
    discount_pct = fields.Float("Discount (%)", digits=(16, 2), readonly=True)
    limit_pct = fields.Float("Role Limit (%)", digits=(16, 2), readonly=True)
    currency_id = fields.Many2one(related="order_id.currency_id")
    amount = fields.Monetary(
        "Difference", readonly=True, help="Server amount minus charged amount, taxes included."
    )
    reason = fields.Char(readonly=True)
    state = fields.Selection([("ok", "Allowed"), ("flagged", "Flagged for HQ")], readonly=True, index=True)
    issue = fields.Char(readonly=True)
