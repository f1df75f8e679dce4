from datetime import timedelta

from odoo import fields, models


class PosOrder(models.Model):
    _inherit = "pos.order"

    # The facts recompute a store's hour, day or month of orders: an index range each.
    _store_date_order_index = models.Index("(store_id, date_order)")

    def _store_after_paid(self):
        res = super()._store_after_paid()
        # After the member settlement and the promotion check (what the facts read of the order).
        self.env["store.sales.fact"]._refresh_orders(self.ids)
        return res

    def write(self, vals):
        """A paid order given a customer afterwards (core's invoicing of a paid order, a member
        merge) counts for that member from then on: its facts and its former member's months are
        recomputed."""
        moved = "partner_id" in vals and self.filtered(lambda o: o.state in ("paid", "done"))
        former = moved.partner_id if moved else None
        res = super().write(vals)
        if moved:
            self.env["store.sales.fact"]._refresh_orders(moved.ids, former.ids)
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
