from datetime import datetime, time, timedelta

import pytz

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import BaseCase, tagged

from odoo.addons.store_pos_ext.tests.common import StoreCommon

from ..tools import forecast

WEEK = [5.0, 4.0, 6.0, 8.0, 10.0, 20.0, 17.0]  # Monday..Sunday


@tagged("post_install", "-at_install")
class TestForecast(BaseCase):
    """tools/forecast.py on series whose answer is known."""

    def test_flat_series_gives_flat_forecast_and_no_variability(self):
        fitted = forecast.fit([12.0] * 56, first_weekday=2)
        self.assertEqual(fitted.method, "holt_winters")
        for value in fitted.forecast(14):
            self.assertAlmostEqual(value, 12.0, places=6)
        self.assertAlmostEqual(fitted.sigma, 0.0, places=6)

    def test_weekly_pattern_is_reproduced_on_the_right_weekdays(self):
        # 8 weeks starting on a Wednesday: the next day to forecast is a Wednesday too
        # (tens of units a day: a weekday index of a few units is shrunk towards a flat week)
        series = [10 * WEEK[(2 + t) % 7] for t in range(56)]
        fitted = forecast.fit(series, first_weekday=2)
        self.assertEqual(fitted.next_weekday, 2)
        expected = [10 * WEEK[(2 + h) % 7] for h in range(7)]
        for value, want in zip(fitted.forecast(7), expected, strict=True):
            self.assertAlmostEqual(value, want, delta=want * 0.02)

    def test_promotion_days_do_not_move_the_forecast(self):
        series = [10 * WEEK[t % 7] for t in range(56)]
        promo = [t % 9 == 4 for t in range(56)]
        lifted = [v * 3 if p else v for v, p in zip(series, promo, strict=True)]
        plain = forecast.fit(series, first_weekday=0).forecast(7)
        fitted = forecast.fit(lifted, promo, first_weekday=0)
        for value, want in zip(fitted.forecast(7), plain, strict=True):
            self.assertAlmostEqual(value, want, delta=want * 0.02)
        self.assertEqual(fitted.promo_days, sum(promo))
        self.assertAlmostEqual(fitted.promo_lift, 3.0, delta=0.1)
        # unflagged, the same spikes do raise it
        self.assertGreater(sum(forecast.fit(lifted, first_weekday=0).forecast(7)), sum(plain) * 1.1)

    def test_growing_series_forecasts_above_its_mean(self):
        series = [10.0 + 0.5 * t for t in range(56)]
        week = forecast.fit(series, first_weekday=0).forecast(7)
        self.assertGreater(min(week), 30.0)  # last day is 37.5; the mean 23.75

    def test_short_or_empty_history(self):
        fitted = forecast.fit([3.0, 0.0, 6.0], first_weekday=0)
        self.assertEqual(fitted.method, "mean")
        self.assertEqual(fitted.forecast(2), [3.0, 3.0])
        self.assertEqual(forecast.fit([0.0] * 30).method, "none")
        self.assertEqual(forecast.fit([0.0] * 30).forecast(3), [0.0, 0.0, 0.0])

    def test_safety_stock_and_quantity(self):
        # z(0.95) = 1.645, sqrt(2 + 7) = 3
        self.assertAlmostEqual(forecast.safety_stock(2.0, 2, 7, 0.95), 1.6449 * 2 * 3, places=3)
        self.assertEqual(forecast.safety_stock(0.0, 2, 7, 0.95), 0.0)
        self.assertEqual(forecast.suggested_quantity(90.0, 0.0, 30.0, 0.0), 60)
        self.assertEqual(forecast.suggested_quantity(90.0 + 1e-9, 0.0, 30.0, 0.0), 60)
        self.assertEqual(forecast.suggested_quantity(90.2, 9.5, 30.0, 10.0), 60)
        self.assertEqual(forecast.suggested_quantity(10.0, 1.0, 30.0, 0.0), 0)
        with self.assertRaises(ValueError):
            forecast.safety_stock(1.0, 2, 7, 1.0)


@tagged("post_install", "-at_install")
class TestStockReplenishment(StoreCommon):
    """Suggestions computed from POS orders of the past, the requisition through core's
    replenishment, and store isolation."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Product = cls.env["product.product"]
        vals = {"available_in_pos": True, "taxes_id": False, "is_storable": True, "list_price": 5.0}
        cls.water = Product.create({"name": "测试矿泉水", **vals})
        cls.chips = Product.create({"name": "测试薯片", **vals})
        cls.promo = cls.env["store.promotion"].create(
            {"name": "测试满减", "template": "threshold", "min_amount": 100, "off_amount": 30}
        )
        icp = cls.env["ir.config_parameter"].sudo()
        icp.set_param("store_stock.replenishment_lead_days", 2)
        icp.set_param("store_stock.replenishment_review_days", 7)
        icp.set_param("store_stock.replenishment_service_level", 0.95)
        # 4 weeks in store A: 10 waters every day; chips 6 a day, 30 on every 5th day in orders
        # with a promotion counted
        tz = pytz.timezone("Asia/Shanghai")
        today = datetime.now(tz).date()
        cls.promo_days = 0
        for ago in range(28, 0, -1):
            promo_day = ago % 5 == 0
            cls.promo_days += promo_day
            noon = tz.localize(datetime.combine(today - timedelta(days=ago), time(12))).astimezone(pytz.utc)
            cls._past_order(cls.store_a, [(cls.water, 10)], noon)
            cls._past_order(cls.store_a, [(cls.chips, 30 if promo_day else 6)], noon, promo=promo_day)
        # store B sold water once, today (not a full day yet), and twice a week ago
        cls._past_order(cls.store_b, [(cls.water, 4)], fields.Datetime.now())
        cls._past_order(cls.store_b, [(cls.water, 4)], fields.Datetime.now() - timedelta(days=7))
        quant = cls.env["stock.quant"]
        quant._update_available_quantity(cls.water, cls.store_a.warehouse_id.lot_stock_id, 30.0)
        quant._update_available_quantity(cls.chips, cls.store_a.warehouse_id.lot_stock_id, 100.0)

    @classmethod
    def _past_order(cls, store, lines, when, promo=False):
        order = cls._sell(store)
        order.lines = [Command.clear()] + [
            Command.create(
                {
                    "product_id": p.id,
                    "qty": q,
                    "price_unit": 5.0,
                    "price_subtotal": 5.0 * q,
                    "price_subtotal_incl": 5.0 * q,
                }
            )
            for p, q in lines
        ]
        order.flush_recordset()
        cr = cls.env.cr
        cr.execute(
            "UPDATE pos_order SET state = 'paid', date_order = %s WHERE id = %s",
            (when.replace(tzinfo=None), order.id),
        )
        if promo:
            cr.execute(
                "INSERT INTO pos_order_store_promotion_rel (pos_order_id, store_promotion_id) "
                "VALUES (%s, %s)",
                (order.id, cls.promo.id),
            )
        return order

    def _suggestion(self, store, product, user=None):
        env = self.env(user=user) if user else self.env
        return env["store.stock.replenishment"].search(
            [("store_id", "=", store.id), ("product_id", "=", product.id)]
        )

    def test_suggested_quantities_on_known_sales(self):
        self.env["store.stock.replenishment"].with_user(self.manager_a).action_compute()
        water = self._suggestion(self.store_a, self.water)
        self.assertEqual(water.method, "holt_winters")
        self.assertEqual(water.history_days, 28)
        self.assertAlmostEqual(water.forecast_week, 70.0, places=3)
        self.assertAlmostEqual(water.forecast_qty, 90.0, places=3)  # 10 a day over 2 + 7 days
        self.assertAlmostEqual(water.safety_stock, 0.0, places=3)  # no variability
        self.assertEqual(water.qty_on_hand, 30.0)
        self.assertEqual(water.suggested_qty, 60.0)  # 90 + 0 - 30 - 0
        # chips: the promotion days (30 a day) are left out, the other days sold 6
        chips = self._suggestion(self.store_a, self.chips)
        self.assertEqual(chips.promo_days, self.promo_days)
        self.assertAlmostEqual(chips.forecast_qty, 54.0, places=3)
        self.assertEqual(chips.suggested_qty, 0.0)  # 100 on hand
        # manager A's run computed store A only; HQ's computes every store. Store B: today's sale is
        # not history yet, one sale a week ago
        self.assertFalse(self._suggestion(self.store_b, self.water))
        self.env["store.stock.replenishment"].with_user(self.hq_admin).action_compute()
        water_b = self._suggestion(self.store_b, self.water)
        self.assertEqual(water_b.history_days, 7)
        self.assertEqual(water_b.method, "mean")
        # a new run replaces the open suggestions instead of adding to them
        self.env["store.stock.replenishment"].action_compute()
        self.assertEqual(len(self._suggestion(self.store_a, self.water)), 1)

    def test_incoming_stock_lowers_the_suggestion(self):
        wh = self.store_a.warehouse_id
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": wh.in_type_id.id,
                "location_id": self.env.ref("stock.stock_location_suppliers").id,
                "location_dest_id": wh.lot_stock_id.id,
                "move_ids": [
                    Command.create(
                        {
                            "product_id": self.water.id,
                            "product_uom_qty": 25,
                            "location_id": self.env.ref("stock.stock_location_suppliers").id,
                            "location_dest_id": wh.lot_stock_id.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        self.env["store.stock.replenishment"].action_compute()
        water = self._suggestion(self.store_a, self.water)
        self.assertEqual(water.qty_incoming, 25.0)
        self.assertEqual(water.suggested_qty, 35.0)

    def test_request_creates_core_replenishment_from_the_central_warehouse(self):
        central = self.env["stock.warehouse"].create({"name": "测试中央仓", "code": "TCDC"})
        self.env["store.stock.replenishment"].action_compute()
        water = self._suggestion(self.store_a, self.water, self.manager_a)
        # without a central warehouse: a clear refusal, nothing written
        with self.assertRaisesRegex(UserError, "Resupply From"):
            water.action_request()
        self.assertEqual(water.state, "suggested")
        self.store_a.warehouse_id.resupply_wh_ids = [Command.link(central.id)]
        water.suggested_qty = 45  # the manager's correction
        water.action_request()
        self.assertEqual(water.state, "requested")
        receipt = water.picking_id
        self.assertEqual(receipt.picking_type_id, self.store_a.warehouse_id.in_type_id)
        self.assertEqual(receipt.move_ids.product_uom_qty, 45.0)
        delivery = receipt.sudo().move_ids.move_orig_ids.picking_id
        self.assertEqual(delivery.picking_type_id, central.out_type_id)
        self.assertEqual(delivery.move_ids.product_uom_qty, 45.0)
        self.assertEqual(water.orderpoint_id.sudo().route_id.supplier_wh_id, central)
        # requested once: a second request of it is refused
        with self.assertRaises(UserError):
            water.action_request()

    def test_request_orders_the_suggestion_through_an_existing_reordering_rule(self):
        central = self.env["stock.warehouse"].create({"name": "测试中央仓", "code": "TCDC"})
        wh = self.store_a.warehouse_id
        wh.resupply_wh_ids = [Command.link(central.id)]
        rule = self.env["stock.warehouse.orderpoint"].create(
            {
                "product_id": self.chips.id,
                "location_id": wh.lot_stock_id.id,
                "product_min_qty": 5,
                "product_max_qty": 10,
            }
        )
        self.env["store.stock.replenishment"].action_compute()
        chips = self._suggestion(self.store_a, self.chips, self.manager_a)
        chips.suggested_qty = 12
        chips.action_request()
        self.assertEqual(chips.orderpoint_id, rule)
        self.assertEqual(chips.picking_id.move_ids.product_uom_qty, 12.0)
        self.assertEqual(rule.route_id.supplier_wh_id, central)
        self.assertFalse(rule.qty_to_order_manual, "core clears the manual quantity once ordered")

    def test_isolation_between_stores(self):
        Suggestion = self.env["store.stock.replenishment"]
        Suggestion.action_compute()
        water_a = self._suggestion(self.store_a, self.water)
        # manager B neither sees nor changes store A's suggestions
        self.assertFalse(self._suggestion(self.store_a, self.water, self.manager_b))
        self.assertTrue(self._suggestion(self.store_b, self.water, self.manager_b))
        as_b = water_a.with_user(self.manager_b)
        with self.assertRaises(AccessError):
            as_b.read(["suggested_qty"])
        with self.assertRaises(AccessError):
            as_b.write({"suggested_qty": 1})
        with self.assertRaises(AccessError):
            as_b.action_request()
        # manager A changes the suggested quantity of their store's, nothing the server computes
        as_a = water_a.with_user(self.manager_a)
        as_a.write({"suggested_qty": 7})
        self.assertEqual(water_a.suggested_qty, 7)
        for vals in ({"state": "requested"}, {"qty_on_hand": 0}, {"picking_id": False}):
            with self.assertRaises(UserError):
                as_a.write(vals)
        with self.assertRaises(AccessError):
            Suggestion.with_user(self.manager_a).create(
                {"store_id": self.store_a.id, "product_id": self.water.id}
            )
        # B's run recomputes B only; A's suggestions stay
        Suggestion.with_user(self.manager_b).action_compute()
        self.assertTrue(water_a.exists())
        # a cashier reads their store's, computes nothing; HQ analysts read every store's
        self.assertTrue(self._suggestion(self.store_a, self.water, self.cashier_a))
        with self.assertRaises(AccessError):
            Suggestion.with_user(self.cashier_a).action_compute()
        self.assertTrue(self._suggestion(self.store_a, self.water, self.analyst))
        self.assertTrue(self._suggestion(self.store_b, self.water, self.analyst))

    def test_bad_settings_are_refused_naming_the_parameter(self):
        icp = self.env["ir.config_parameter"].sudo()
        icp.set_param("store_stock.replenishment_service_level", 1.2)
        with self.assertRaisesRegex(ValidationError, "store_stock.replenishment_service_level"):
            self.env["store.stock.replenishment"].action_compute()
        icp.set_param("store_stock.replenishment_service_level", 0.95)
        icp.set_param("store_stock.forecast_history_weeks", "many")
        with self.assertRaisesRegex(ValidationError, "store_stock.forecast_history_weeks"):
            self.env["store.stock.replenishment"].action_compute()

    def test_query_count_does_not_grow_with_the_stores(self):
        Suggestion = self.env["store.stock.replenishment"]
        stores = self.store_a | self.store_b | self.store_c
        Suggestion._compute_for_stores(stores)  # so that both runs below replace suggestions

        def queries(run_stores):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            Suggestion._compute_for_stores(run_stores)
            return self.env.cr.sql_log_count - before

        self.assertEqual(queries(stores), queries(self.store_a))
