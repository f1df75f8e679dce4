from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .stock_alert_common import StockAlertCommon


@tagged("post_install", "-at_install")
class TestStockAlert(StockAlertCommon):
    def _kinds(self):
        return sorted((a.store_id.code, a.product_id.name, a.kind, a.lot_id.name or "") for a in self._open())

    def test_quantity_alerts_fire_once_and_close_when_resolved(self):
        self._threshold(
            scope="region", region_id=self.region_east.id, product_id=self.product.id, min_qty=10, max_qty=20
        )
        self._threshold(
            scope="store", store_id=self.store_a.id, product_id=self.other.id, min_qty=3, max_qty=6
        )
        self._set_qty(self.store_a, self.product, 4)  # 6 short
        self._set_qty(self.store_b, self.product, 32)  # 12 over
        self._set_qty(self.store_c, self.product, 500)  # no threshold in the north
        self._compute()
        self.assertEqual(
            self._kinds(),
            [
                ("TSTA", "测试可乐", "out_of_stock", ""),
                ("TSTA", "测试商品", "below_min", ""),
                ("TSTB", "测试商品", "overstock", ""),
            ],
        )
        below = self._open(self.store_a, "below_min")
        self.assertRecordValues(
            below,
            [
                {
                    "qty_on_hand": 4,
                    "min_qty": 10,
                    "max_qty": 20,
                    "qty_gap": 6,
                    "region_id": self.region_east.id,
                    "categ_id": self.subcateg.id,
                }
            ],
        )
        self.assertEqual(self._open(self.store_b, "overstock").qty_gap, 12)
        self.assertEqual(self._open(self.store_a, "out_of_stock").qty_gap, 3)
        before = self._open()
        self._compute()  # re-run: the same alerts, refreshed
        self.assertEqual(self._open(), before)
        self._set_qty(self.store_a, self.product, 8)
        self._compute()
        self.assertEqual(self._open(self.store_a, "below_min"), below)
        self.assertEqual(below.qty_gap, 2)
        # resolved: closed, and a later shortage opens a new alert
        self._set_qty(self.store_a, self.product, 15)
        self._set_qty(self.store_b, self.product, 20)
        self._set_qty(self.store_a, self.other, 4)
        self._compute()
        self.assertFalse(self._open())
        self.assertEqual(below.state, "closed")
        self.assertTrue(below.date_closed)
        self._set_qty(self.store_a, self.product, 9)
        self._compute()
        self.assertNotEqual(self._open(self.store_a, "below_min"), below)
        self.assertEqual(
            self.Alert.search_count(
                [("store_id", "=", self.store_a.id), ("product_id", "=", self.product.id)]
            ),
            2,
        )

    def test_slow_mover_without_sale_for_the_days_while_in_stock(self):
        self._threshold(scope="chain", categ_id=self.categ.id, slow_mover_days=3)
        self._set_qty(self.store_a, self.product, 10)
        self._set_qty(self.store_b, self.product, 10)
        self._age_stock(self.store_a, self.product, 5)  # in A since 5 days; B's arrived today
        self._compute()
        self.assertEqual(self._kinds(), [("TSTA", "测试商品", "slow_mover", "")])
        alert = self._open()
        self.assertEqual((alert.threshold_days, alert.qty_gap), (3, 10))
        self._compute()
        self.assertEqual(self._open(), alert)
        # a sale of two days ago (a paid order) ends it; a draft order does not count
        order = self._sell(self.store_a)
        order.flush_recordset()
        self.env.cr.execute(
            "UPDATE pos_order SET date_order = %s WHERE id = %s",
            [fields.Datetime.now() - timedelta(days=2), order.id],
        )
        self._compute()
        self.assertEqual(self._open(), alert)
        self.env.cr.execute("UPDATE pos_order SET state = 'paid' WHERE id = %s", [order.id])
        self._compute()
        self.assertFalse(self._open())
        self.assertEqual(alert.state, "closed")

    def _lot(self, name, days):
        return self.env["stock.lot"].create(
            {
                "name": name,
                "product_id": self.milk.id,
                "expiration_date": fields.Datetime.now() + timedelta(days=days),
            }
        )

    def test_near_expiry_per_lot_within_the_days(self):
        self._threshold(scope="chain", categ_id=self.categ.id, near_expiry_days=5)
        soon, later = self._lot("L-SOON", 2), self._lot("L-LATER", 30)
        self._set_qty(self.store_a, self.milk, 4, soon)
        self._set_qty(self.store_a, self.milk, 6, later)
        self._compute()
        self.assertEqual(self._kinds(), [("TSTA", "测试牛奶", "near_expiry", "L-SOON")])
        alert = self._open()
        self.assertRecordValues(alert, [{"qty_on_hand": 4, "threshold_days": 5, "lot_id": soon.id}])
        self.assertEqual(alert.expiration_date, soon.expiration_date)
        self._compute()
        self.assertEqual(self._open(), alert)
        self._set_qty(self.store_a, self.milk, 0, soon)  # sold out or written off
        self._compute()
        self.assertFalse(self._open())

    def test_store_manager_sees_only_own_store_alerts(self):
        self._threshold(scope="chain", product_id=self.product.id, min_qty=10, max_qty=20)
        for store in (self.store_a, self.store_b, self.store_c):
            self._set_qty(store, self.product, 1)
        self._compute()
        alert_a, alert_b = self._open(self.store_a), self._open(self.store_b)
        self.assertTrue(alert_a and alert_b)
        Alerts = self.Alert.with_user(self.manager_a)
        self.assertEqual(Alerts.search([("product_id", "=", self.product.id)]), alert_a)
        with self.assertRaises(AccessError):
            alert_b.with_user(self.manager_a).read(["qty_on_hand"])
        for alert in (alert_a, alert_b):
            with self.assertRaises(AccessError):
                alert.with_user(self.manager_a).write({"state": "closed"})
        with self.assertRaises(AccessError):
            alert_b.with_user(self.manager_a).action_propose_promotion()
        region = self.Alert.with_user(self.region_mgr).search([("product_id", "=", self.product.id)])
        self.assertEqual(region.store_id, self.store_a | self.store_b)
        hq = self.Alert.with_user(self.analyst).search([("product_id", "=", self.product.id)])
        self.assertEqual(hq.store_id, self.store_a | self.store_b | self.store_c)
        # the Refresh button of a store user recomputes their stores only
        self._set_qty(self.store_a, self.product, 15)
        self._set_qty(self.store_b, self.product, 15)
        Alerts.action_refresh_alerts()
        self.assertEqual(alert_a.state, "closed")
        self.assertEqual(alert_b.state, "open")

    def test_propose_flash_sale_for_the_alert_store(self):
        self._threshold(scope="chain", categ_id=self.categ.id, near_expiry_days=5, min_qty=1, max_qty=50)
        soon = self._lot("L-SOON", 2)
        self._set_qty(self.store_a, self.milk, 4, soon)
        self._set_qty(self.store_a, self.product, 0)
        self._compute()
        alert = self._open(self.store_a, "near_expiry")
        action = alert.with_user(self.manager_a).action_propose_promotion()
        promotion = self.env["store.promotion"].browse(action["res_id"])
        self.assertRecordValues(
            promotion,
            [
                {
                    "state": "draft",
                    "template": "flash",
                    "scope": "stores",
                    "proposed_by_id": self.manager_a.id,
                    "percent": 30,
                }
            ],
        )
        self.assertEqual(promotion.store_ids, self.store_a)
        self.assertEqual(promotion.product_ids, self.milk)
        self.assertEqual(alert.promotion_id, promotion)
        self.assertLessEqual(promotion.date_to, fields.Date.context_today(alert, soon.expiration_date))
        # once: a second click opens the same proposal
        again = alert.with_user(self.manager_a).action_propose_promotion()
        self.assertEqual(again["res_id"], promotion.id)
        # approval as usual: the store manager submits, HQ approves
        promotion.with_user(self.manager_a).action_submit()
        self.assertEqual(promotion.state, "submitted")
        with self.assertRaises(UserError):
            promotion.with_user(self.manager_a).action_approve()
        out = self._open(self.store_a, "out_of_stock").filtered(lambda a: a.product_id == self.product)
        self.assertEqual(len(out), 1)
        with self.assertRaises(UserError):
            out.with_user(self.manager_a).action_propose_promotion()

    def test_query_count_does_not_grow_with_the_stores(self):
        self._threshold(
            scope="chain", categ_id=self.categ.id, min_qty=5, max_qty=8, slow_mover_days=2, near_expiry_days=3
        )
        for store in (self.store_a, self.store_b, self.store_c):
            self._set_qty(store, self.product, 1)
            self._set_qty(store, self.other, 30)
        self._compute()  # the rules are written once

        def queries(stores):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self.Alert._compute_alerts(stores)
            return self.env.cr.sql_log_count - before

        queries(self.store_a)  # warm caches
        one, three = queries(self.store_a), queries(self.store_a | self.store_b | self.store_c)
        self.assertLessEqual(three, one)  # fewer: the stores' warehouses are read in one batch
        self.assertLessEqual(one, 12)
        self.assertEqual(len(self._open(kind="below_min")), 3)
        self.assertEqual(len(self._open(kind="overstock")), 3)

    def test_views_open_for_a_store_manager_and_hq(self):
        for xmlid, user in (
            ("store_stock.store_stock_alert_action_today", self.manager_a),
            ("store_stock.store_stock_alert_action", self.manager_a),
            ("store_stock.stock_warehouse_orderpoint_store_action", self.manager_a),
            ("store_stock.store_stock_threshold_action", self.hq_admin),
        ):
            action = self.env.ref(xmlid)
            env = self.env(user=user)
            views = [(False, mode) for mode in action.view_mode.split(",")]
            with self.subTest(action=xmlid):
                result = env[action.res_model].get_views([*views, (False, "search")])
                self.assertEqual(set(result["views"]), {mode for _v, mode in views} | {"search"})
