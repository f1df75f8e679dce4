from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    store_care_reminder_days = fields.Integer(
        "Care visit reminder (days)",
        default=3,
        help="The store is reminded of a member's next care visit this many days before it is due.",
    )

    _store_care_reminder_days_positive = models.Constraint(
        "CHECK (store_care_reminder_days >= 0)", "The care visit reminder days cannot be negative."
    )
