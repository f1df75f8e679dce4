from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    store_care_reminder_days = fields.Integer(
        "Care visit reminder (days)",
        default=3,
        help="The store is reminded of a member's next care visit this many days before it is due.",
    )

    store_class_no_show_policy = fields.Selection(
        [("consume", "Consume the session"), ("free", "Free (nothing consumed)")],
        string="Class no-show policy",
        default="free",
        required=True,
        help="Whether a member who booked a class and did not come loses the session from their class "
        "pack. Stored and shown only: consuming sessions waits for session cards.",
    )

    _store_care_reminder_days_positive = models.Constraint(
        "CHECK (store_care_reminder_days >= 0)", "The care visit reminder days cannot be negative."
    )
