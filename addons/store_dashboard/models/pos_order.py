from datetime import timedelta

from odoo import fields, models


class PosOrder(models.Model):
    _inherit = "pos.order"

    # The facts recompute a store's hour, day or month of orders: an index range each.
    _store_date_order_index = models.Index("(store_id, date_order)")

    def action_pos_order_paid(self):
        res = super().action_pos_order_paid()
        # After the member settlement and the promotion check (what the facts read of the order).
        self.env["store.sales.fact"]._refresh_orders(self.ids)
        return res

    def _demo_date_records(self):
        """Demo data only: the orders were counted at the moment they were made; re-dated, they
        are counted at their date, and the days around now (where they were) are recomputed."""
        res = super()._demo_date_records()
        Fact = self.env["store.sales.fact"]
        Fact._refresh_orders(self.ids)
        today = fields.Date.context_today(self)
        Fact._rebuild(today - timedelta(days=1), today + timedelta(days=1), self.store_id.ids)
        return res
