from odoo import fields, models


class StorePromotionStep(models.Model):
    """One step of a tiered 满减: spend at least ``min_amount``, get ``off_amount`` off."""

    _name = "store.promotion.step"
    _description = "Tiered spend-and-save step"
    _order = "min_amount"

    promotion_id = fields.Many2one("store.promotion", required=True, ondelete="cascade", index=True)
    min_amount = fields.Monetary("Spend at least", required=True, currency_field="currency_id")
    off_amount = fields.Monetary("Amount off", required=True, currency_field="currency_id")
    currency_id = fields.Many2one(related="promotion_id.currency_id")

    _positive = models.Constraint(
        "CHECK (min_amount > 0 AND off_amount > 0 AND off_amount < min_amount)",
        "A step needs a positive threshold and an amount off below it.",
    )
