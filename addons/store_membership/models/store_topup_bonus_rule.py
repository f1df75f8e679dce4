from odoo import fields, models


class StoreTopupBonusRule(models.Model):
    """充100送20: a top-up of at least ``min_amount`` gets ``bonus_amount`` of bonus stored value.
    The best rule reached applies, once per top-up."""

    _name = "store.topup.bonus.rule"
    _description = "Stored value top-up bonus rule"
    _order = "min_amount desc"

    program_id = fields.Many2one("loyalty.program", required=True, ondelete="cascade", index=True)
    min_amount = fields.Monetary("Top-up of at least", required=True, currency_field="currency_id")
    bonus_amount = fields.Monetary("Bonus", required=True, currency_field="currency_id")
    currency_id = fields.Many2one(related="program_id.currency_id")

    _positive = models.Constraint(
        "CHECK (min_amount > 0 AND bonus_amount >= 0)",
        "A bonus rule needs a positive top-up amount and a bonus of zero or more.",
    )
