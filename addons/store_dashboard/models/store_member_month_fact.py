from odoo import fields, models


class StoreMemberMonthFact(models.Model):
    """A member's visits and spend in one store in one month (store-local), kept by the server
    with the sales facts (``store.sales.fact._refresh``): never written by users."""

    _name = "store.member.month.fact"
    _inherit = ["store.scoped.mixin"]
    _description = "Member visits by month"
    _order = "month desc, store_id, partner_id"

    partner_id = fields.Many2one(
        "res.partner", "Member", readonly=True, required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one("res.company", readonly=True, index=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    month = fields.Date(readonly=True, required=True, index=True, help="First day of the month.")
    order_count = fields.Integer(
        "Visits", readonly=True, help="The member's paid sales (refunds not included)."
    )
    spend = fields.Monetary(readonly=True, help="The member's sales minus refunds, taxes included.")

    _store_month_index = models.Index("(store_id, month)")
    _partner_store_month_unique = models.Constraint(
        "UNIQUE(partner_id, store_id, month)", "One member fact per member, store and month."
    )
