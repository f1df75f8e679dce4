from odoo import fields, models


class PosOrderLine(models.Model):
    _inherit = "pos.order.line"

    salesperson_id = fields.Many2one(
        "hr.employee",
        index="btree_not_null",
        help="The employee credited for this line in staff performance. Empty: the order's "
        "cashier (or the employee of the order's user) is credited.",
    )
