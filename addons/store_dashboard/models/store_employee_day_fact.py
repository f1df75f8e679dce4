from odoo import fields, models


class StoreEmployeeDayFact(models.Model):
    """An employee's orders and member sign-ups in one store on one local day (办卡率 per
    employee), kept by the server with the sales facts: never written by users. The employee of
    an order is its pos_hr cashier; orders without one are not counted here."""

    _name = "store.employee.day.fact"
    _inherit = ["store.scoped.mixin"]
    _description = "Employee sales by day"
    _order = "date desc, store_id, employee_id"

    company_id = fields.Many2one("res.company", readonly=True, index=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    employee_id = fields.Many2one("hr.employee", readonly=True, required=True, index=True, ondelete="cascade")
    date = fields.Date(readonly=True, required=True, index=True, help="The store's local date.")
    order_count = fields.Integer("Orders", readonly=True, help="Paid sales rung up by the employee.")
    non_member_order_count = fields.Integer("Non-member orders", readonly=True)
    new_member_count = fields.Integer(
        "New members", readonly=True, help="Members the employee registered at this store that day."
    )

    _store_date_index = models.Index("(store_id, date)")
    _store_employee_date_unique = models.Constraint(
        "UNIQUE(store_id, employee_id, date)", "One employee fact per store, employee and date."
    )
