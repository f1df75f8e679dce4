from odoo import fields, models


class HrEmployee(models.Model):
    _inherit = "hr.employee"

    store_id = fields.Many2one("store.store", index=True, tracking=True)


class HrEmployeePublic(models.Model):
    _inherit = "hr.employee.public"

    store_id = fields.Many2one("store.store", readonly=True)
