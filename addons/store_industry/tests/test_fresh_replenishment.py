from datetime import datetime, time, timedelta

import pytz

from odoo import Command, fields
from odoo.tests import tagged

from .common import FreshCommon


@tagged("post_install", "-at_install")
class TestFreshReplenishment(FreshCommon):
    """Perishables' replenishment suggestions: store_stock's forecast on the last 4 weeks for a
    daily order, without the units of lots expiring before the delivery."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        icp = cls.env["ir.config_parameter"].sudo()
        icp.set_param("store_stock.replenishment_lead_days", 2)
        icp.set_param("store_stock.replenishment_review_days", 7)
        icp.set_param("store_stock.forecast_history_weeks", 16)
        cls.water = cls.env["product.product"].create(
            {"name": "测试矿泉水", "is_storable": True, "available_in_pos": True, "taxes_id": False}
        )
        # 8 weeks in store A: 20 milks a day, then 6 a day the last 4 weeks; 10 waters every day
        tz = pytz.timezone("Asia/Shanghai")
        today = datetime.now(tz).date()
        for ago in range(56, 0, -1):
            noon = tz.localize(datetime.combine(today - timedelta(days=ago), time(12))).astimezone(pytz.utc)
            cls._past_order(cls.store_a, [(cls.milk, 20 if ago > 28 else 6), (cls.water, 10)], noon)
        # beside the 12 milks expiring in 10 days, 5 of a lot expiring tomorrow (before a delivery
        # ordered today arrives, 2 days from now)
        cls._set_qty(
            cls.store_a, cls.milk, 5, cls._lot("TEST-LOT-OLD", fields.Date.today() + timedelta(days=1))
        )
        cls._set_qty(cls.store_a, cls.water, 30)

    @classmethod
    def _past_order(cls, store, lines, when):
        """A paid order of ``store`` at ``when`` (UTC) with ``lines`` [(product, qty)]."""
        order = cls._sell(store)
        order.lines = [Command.clear()] + [
            Command.create(
                {
                    "product_id": product.id,
                    "qty": qty,
                    "price_unit": 1.0,
                    "price_subtotal": qty,
                    "price_subtotal_incl": qty,
                }
            )
            for product, qty in lines
        ]
        order.flush_recordset()
        cls.env.cr.execute(
            "UPDATE pos_order SET state = 'paid', date_order = %s WHERE id = %s",
            (when.replace(tzinfo=None), order.id),
        )

    def _suggestion(self, product):
        return self.env["store.stock.replenishment"].search(
            [("store_id", "=", self.store_a.id), ("product_id", "=", product.id)]
        )

    def test_perishable_is_forecast_on_recent_weeks_for_a_daily_order(self):
        self.env["store.stock.replenishment"].with_user(self.manager_a).action_compute()
        milk = self._suggestion(self.milk)
        self.assertTrue(milk.fresh)
        self.assertEqual(milk.history_days, 28)
        self.assertAlmostEqual(milk.forecast_week, 42.0, places=3)  # 6 a day, not the older 20
        self.assertEqual(milk.review_days, 1)
        self.assertAlmostEqual(milk.forecast_qty, 18.0, places=3)  # 6 a day over 2 + 1 days
        self.assertEqual(milk.qty_on_hand, 17.0)
        self.assertEqual(milk.qty_expiring, 5.0)
        self.assertEqual(milk.suggested_qty, 6.0)  # 18 + 0 - (17 - 5) - 0
        # a product without expiry keeps store_stock's weekly suggestion
        water = self._suggestion(self.water)
        self.assertFalse(water.fresh)
        self.assertEqual((water.review_days, water.history_days), (7, 56))
        self.assertEqual(water.suggested_qty, 60.0)  # 10 a day over 2 + 7 days - 30

    def test_no_more_than_sells_within_the_shelf_life(self):
        self.env["ir.config_parameter"].sudo().set_param("store_industry.fresh_review_days", 3)
        self.milk.expiration_time = 2
        self.env["store.stock.replenishment"]._cron_compute()
        milk = self._suggestion(self.milk)
        self.assertEqual(milk.review_days, 2)
        self.assertAlmostEqual(milk.forecast_qty, 24.0, places=3)  # 6 a day over 2 + 2 days
        self.assertEqual(milk.suggested_qty, 12.0)
