from odoo.tests import tagged

from .common import FreshCommon


@tagged("post_install", "-at_install")
class TestShrink(FreshCommon):
    """Store A sells 8 milks and scraps 2 (1 expired, 1 damaged), store B sells 5 and scraps none;
    list price 10: A's loss rate is 20 / (80 + 20) = 20%, B's 0%, both stores' 20 / 150."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._set_qty(cls.store_b, cls.milk, 10, cls.lot)

    def _sell_milk(self, store, qty):
        data = self._order_data(
            store,
            [{"product_id": self.milk.id, "qty": qty, "price_unit": 7.0,
              "pack_lot_ids": [(0, 0, {"lot_name": self.lot.name})]}],
        )  # fmt: skip
        return self._sync(data)

    def _figures(self, domain, groupby):
        Report = self.env["store.shrink.report"].with_user(self.hq_admin)
        rows = Report._read_group(
            [*domain, ("product_id", "=", self.milk.id)],
            groupby,
            ["sold_value:sum", "scrapped_value:sum", "loss_rate:sum"],
        )
        return {row[0] if groupby else None: row[len(groupby) :] for row in rows}

    def test_loss_rate_per_store(self):
        self._sell_milk(self.store_a, 8)
        self._sell_milk(self.store_b, 5)
        expired = self.env.ref("store_industry.scrap_reason_expired")
        damaged = self.env.ref("store_industry.scrap_reason_damaged")
        self._scrap(self.manager_a, self.store_a, self.milk, 1, expired, self.lot)
        self._scrap(self.manager_a, self.store_a, self.milk, 1, damaged, self.lot)
        figures = self._figures([], ["store_id"])
        self.assertEqual(figures[self.store_a], (80.0, 20.0, 20.0))
        self.assertEqual(figures[self.store_b], (50.0, 0.0, 0.0))
        total = self._figures([("store_id", "in", (self.store_a | self.store_b).ids)], [])[None]
        self.assertAlmostEqual(total[2], 100 * 20 / 150)
        by_reason = self._figures([("store_id", "=", self.store_a.id)], ["reason_tag_id"])
        self.assertEqual(by_reason[expired][1], 10.0)
        self.assertEqual(by_reason[damaged][1], 10.0)

    def test_period_excludes_other_days(self):
        self._sell_milk(self.store_a, 8)
        self.assertFalse(self._figures([("date", "<", "2000-01-01")], ["store_id"]))
        self.assertTrue(self._figures([("date", ">=", "2000-01-01")], ["store_id"]))
