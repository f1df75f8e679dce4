from unittest.mock import patch

from odoo import SUPERUSER_ID, Command, fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .stock_alert_common import StockAlertCommon


@tagged("post_install", "-at_install")
class TestStockThreshold(StockAlertCommon):
    def _levels(self, product=None):
        product = product or self.product
        return {
            store.code: (op.product_min_qty, op.product_max_qty, op.trigger, op.store_threshold_id)
            for store in (self.store_a, self.store_b, self.store_c)
            for op in [self._orderpoint(store, product)]
        }

    def assertLevels(self, expected, product=None):
        levels = self._levels(product)
        self.assertEqual({code: (mn, mx) for code, (mn, mx, _t, _th) in levels.items()}, expected)

    def test_most_specific_threshold_wins_chain_region_store_type_store(self):
        parent = self._threshold(scope="chain", categ_id=self.categ.id, min_qty=1, max_qty=10)
        self.assertLevels({"TSTA": (1, 10), "TSTB": (1, 10), "TSTC": (1, 10)})
        for _min, _max, trigger, threshold in self._levels().values():
            self.assertEqual((trigger, threshold), ("manual", parent))
        # a subcategory wins over its parent, a product over its category (same level)
        self._threshold(scope="chain", categ_id=self.subcateg.id, min_qty=2, max_qty=20)
        self.assertLevels({"TSTA": (2, 20), "TSTB": (2, 20), "TSTC": (2, 20)})
        self._threshold(scope="chain", product_id=self.product.id, min_qty=3, max_qty=30)
        self.assertLevels({"TSTA": (3, 30), "TSTB": (3, 30), "TSTC": (3, 30)})
        self.assertLevels({"TSTA": (2, 20), "TSTB": (2, 20), "TSTC": (2, 20)}, self.other)
        # a region's category threshold wins over the chain's product threshold
        self._threshold(
            scope="region", region_id=self.region_east.id, categ_id=self.categ.id, min_qty=4, max_qty=40
        )
        self.assertLevels({"TSTA": (4, 40), "TSTB": (4, 40), "TSTC": (3, 30)})
        # store type (A and C are schools) wins over the region
        self._threshold(
            scope="store_type", store_type="school", product_id=self.product.id, min_qty=5, max_qty=50
        )
        self.assertLevels({"TSTA": (5, 50), "TSTB": (4, 40), "TSTC": (5, 50)})
        # the store wins over everything
        store_b = self._threshold(
            scope="store", store_id=self.store_b.id, product_id=self.product.id, max_qty=60
        )
        self.assertLevels({"TSTA": (5, 50), "TSTB": (0, 60), "TSTC": (5, 50)})
        # days only: the quantities come from the next threshold
        store_b.write({"max_qty": 0, "near_expiry_days": 3})
        self.assertLevels({"TSTA": (5, 50), "TSTB": (4, 40), "TSTC": (5, 50)})
        # changing a threshold rewrites the rules; removing one falls back to the next
        parent.max_qty = 15
        self.assertLevels({"TSTA": (4, 40), "TSTB": (4, 40), "TSTC": (1, 15)}, self.milk)
        store_b.unlink()
        self.assertLevels({"TSTA": (5, 50), "TSTB": (4, 40), "TSTC": (5, 50)})
        # archiving every threshold removes the rules they wrote
        self.env["store.stock.threshold"].search([]).active = False
        self.assertFalse(self._orderpoint(self.store_a, self.product))
        self.assertFalse(self._orderpoint(self.store_b, self.milk))

    def test_a_threshold_takes_over_the_store_existing_rule(self):
        warehouse = self.store_a.warehouse_id
        existing = self.env["stock.warehouse.orderpoint"].create(
            {
                "warehouse_id": warehouse.id,
                "location_id": warehouse.lot_stock_id.id,
                "product_id": self.product.id,
                "product_min_qty": 1,
                "product_max_qty": 2,
                "active": False,
            }
        )
        threshold = self._threshold(
            scope="store", store_id=self.store_a.id, product_id=self.product.id, min_qty=6, max_qty=9
        )
        self.assertEqual(self._orderpoint(self.store_a, self.product), existing)
        self.assertRecordValues(
            existing,
            [
                {
                    "active": True,
                    "product_min_qty": 6,
                    "product_max_qty": 9,
                    "store_threshold_id": threshold.id,
                }
            ],
        )

    def test_bad_thresholds_are_refused_naming_the_field(self):
        good = {"scope": "chain", "product_id": self.product.id, "min_qty": 1, "max_qty": 5}
        cases = [
            ({"min_qty": -1}, "Safety Stock (Min) cannot be negative"),
            ({"max_qty": -1, "min_qty": 0}, "Maximum cannot be negative"),
            ({"max_qty": 0.5}, "Maximum must be at least Safety Stock (Min)"),
            ({"slow_mover_days": -3}, "Slow-Mover Days cannot be negative"),
            ({"near_expiry_days": -1}, "Near-Expiry Days cannot be negative"),
            ({"product_id": False}, "Choose either a Product or a Product Category"),
            ({"categ_id": self.categ.id}, "Choose either a Product or a Product Category"),
            ({"scope": "region"}, "Region is required"),
            ({"scope": "store_type"}, "Store Type is required"),
            ({"scope": "store"}, "Store is required"),
        ]
        for vals, message in cases:
            with self.subTest(vals=vals), self.assertRaises(ValidationError) as caught:
                self._threshold(**{**good, **vals})
            self.assertIn(message, str(caught.exception))
        self.assertFalse(self.env["store.stock.threshold"].search([("product_id", "=", self.product.id)]))
        self.assertFalse(self._orderpoint(self.store_a, self.product))
        threshold = self._threshold(**good)
        with self.assertRaisesRegex(
            ValidationError, "Region is set but the threshold's scope does not use it"
        ):
            threshold.region_id = self.region_east
        # switching the scope clears the fields of the others
        threshold.write({"scope": "store", "store_id": self.store_a.id})
        threshold.write({"scope": "region", "region_id": self.region_east.id})
        self.assertFalse(threshold.store_id)

    def test_only_hq_admin_writes_thresholds_and_stores_read_their_rules(self):
        vals = {"scope": "chain", "product_id": self.product.id, "min_qty": 1, "max_qty": 5}
        for user in (self.manager_a, self.region_mgr, self.analyst):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["store.stock.threshold"].with_user(user).create(vals)
        threshold = self._threshold(**vals)
        with self.assertRaises(AccessError):
            threshold.with_user(self.manager_a).write({"min_qty": 0})
        Orderpoint = self.env["stock.warehouse.orderpoint"].with_user(self.manager_a)
        rules = Orderpoint.search([("product_id", "=", self.product.id)])
        self.assertEqual(rules.warehouse_id, self.store_a.warehouse_id)
        self.assertEqual(rules.store_threshold_id.with_user(self.manager_a).min_qty, 1)
        with self.assertRaises(AccessError):
            self._orderpoint(self.store_b, self.product).with_user(self.manager_a).read(["product_min_qty"])
        with self.assertRaises(AccessError):
            rules.write({"product_min_qty": 0})
        # a store's own threshold is not shown to another store
        own_b = self._threshold(
            scope="store", store_id=self.store_b.id, product_id=self.product.id, min_qty=2, max_qty=3
        )
        self.assertNotIn(own_b, self.env["store.stock.threshold"].with_user(self.manager_a).search([]))
        self.assertIn(own_b, self.env["store.stock.threshold"].with_user(self.manager_b).search([]))

    def test_rules_only_for_the_products_a_store_lists(self):
        north = self.env["product.product"].create(
            {
                "name": "测试华北特色",
                "is_storable": True,
                "categ_id": self.categ.id,
                "store_assortment": "local",
                "store_local_region_ids": [Command.set(self.region_north.ids)],
                "store_local_store_ids": [Command.set(self.store_b.ids)],
            }
        )
        self._threshold(scope="chain", categ_id=self.categ.id, min_qty=1, max_qty=10)
        self._threshold(scope="chain", product_id=north.id, min_qty=2, max_qty=20)
        self.assertFalse(self._orderpoint(self.store_a, north))
        self.assertEqual(self._orderpoint(self.store_b, north).product_min_qty, 2)
        self.assertEqual(self._orderpoint(self.store_c, north).product_min_qty, 2)
        self.assertTrue(self._orderpoint(self.store_a, self.product))

    def _sync_queries(self):
        """Queries of one synchronisation of the chain's reorder rules."""
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        self.Threshold.browse()._sync_orderpoints()
        return self.env.cr.sql_log_count - before

    def _date_rules(self, date):
        """Backdate every threshold rule's write date (a write by the sync would set it to now)."""
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE stock_warehouse_orderpoint SET write_date = %s WHERE store_threshold_id IS NOT NULL",
            [date],
        )
        self.env.invalidate_all()

    def test_a_sync_with_nothing_changed_writes_nothing_in_a_few_queries(self):
        self._threshold(scope="chain", categ_id=self.categ.id, min_qty=1, max_qty=10)
        store_b = self._threshold(
            scope="store", store_id=self.store_b.id, product_id=self.product.id, min_qty=2, max_qty=5
        )
        Orderpoint = self.env["stock.warehouse.orderpoint"].with_context(active_test=False)
        rules = Orderpoint.search([("store_threshold_id", "!=", False)])
        past = fields.Datetime.to_datetime("2020-01-01 00:00:00")
        self._date_rules(past)
        steady = self._sync_queries()
        self.assertLessEqual(steady, 3)  # the stores, the difference (empty): no record read
        self.assertEqual(Orderpoint.search([("store_threshold_id", "!=", False)]), rules)
        self.assertEqual(set(rules.mapped("write_date")), {past})
        # a change rewrites only the rules it changes
        store_b.max_qty = 6
        changed = rules.filtered(lambda r: r.write_date != past)
        self.assertEqual(changed, self._orderpoint(self.store_b, self.product))
        self.assertEqual(changed.product_max_qty, 6)

        # more stores and products: once their rules are written, the same queries
        store_d = self.env["store.store"].create(
            {"name": "测试D店", "code": "TSTD", "region_id": self.region_east.id}
        )
        more = self.env["product.product"].create(
            [{"name": f"测试饮料{n}", "is_storable": True, "categ_id": self.categ.id} for n in range(10)]
        )
        self.Threshold.browse()._sync_orderpoints()
        self.assertEqual(
            len(Orderpoint.search([("product_id", "in", more.ids)])),
            10 * len(Orderpoint.search([("product_id", "=", self.other.id)])),
        )
        self.assertEqual(self._orderpoint(store_d, more[0]).product_max_qty, 10)
        self._date_rules(past)
        self.assertEqual(self._sync_queries(), steady)
        self.assertEqual(
            set(Orderpoint.search([("store_threshold_id", "!=", False)]).mapped("write_date")), {past}
        )

    def test_a_big_change_is_applied_in_batches_by_the_background_job(self):
        """A save writes one batch of rules itself and wakes the job for the rest (a chain-wide
        threshold may be a million rules: no request may take that long); the job applies the
        rest, batch after batch, and nightly catches up with new products of a category."""
        from ..models import store_stock_threshold

        Orderpoint = self.env["stock.warehouse.orderpoint"].with_context(active_test=False)
        cron = self.env.ref("store_stock.ir_cron_store_stock_threshold_sync")
        triggers = self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)])
        rules = Orderpoint.search_count([("store_threshold_id", "!=", False)])
        with patch.object(store_stock_threshold, "SYNC_BATCH", 2):
            self._threshold(scope="chain", categ_id=self.categ.id, min_qty=1, max_qty=10)
            self.assertLessEqual(Orderpoint.search_count([("store_threshold_id", "!=", False)]), rules + 2)
            mine = [
                self._orderpoint(s, p)
                for s in (self.store_a, self.store_b, self.store_c)
                for p in (self.product, self.milk)
            ]
            self.assertFalse(all(mine))
            self.assertGreater(self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]), triggers)
            with self.enter_registry_test_mode():
                cron.method_direct_trigger()
        self.assertLevels({"TSTA": (1, 10), "TSTB": (1, 10), "TSTC": (1, 10)})
        self.assertLevels({"TSTA": (1, 10), "TSTB": (1, 10), "TSTC": (1, 10)}, self.milk)
        # a product created later in the category: its rules come with the nightly run
        juice = self.env["product.product"].create(
            {"name": "测试果汁", "is_storable": True, "categ_id": self.categ.id}
        )
        self.assertFalse(self._orderpoint(self.store_a, juice))
        with self.enter_registry_test_mode():
            cron.method_direct_trigger()
        self.assertEqual(self._orderpoint(self.store_a, juice).product_max_qty, 10)

    def test_core_daily_clean_up_keeps_the_thresholds_rules(self):
        """Core's autovacuum deletes the superuser's manual rules that need no order (its
        replenishment report's one-off rules); HQ's threshold rules, written by the superuser in a
        job or an install, are standing rules and stay. Core's own one-off rules still go."""
        Orderpoint = self.env["stock.warehouse.orderpoint"].with_context(active_test=False)
        threshold = self._threshold(scope="chain", categ_id=self.categ.id, max_qty=5)
        rules = Orderpoint.search([("store_threshold_id", "=", threshold.id)])
        self.assertTrue(rules)
        self.assertTrue(all(rule.qty_to_order <= 0 for rule in rules))  # nothing to order: core's prey
        # as the nightly job or an install writes them: the superuser's
        self.env.cr.execute(
            "UPDATE stock_warehouse_orderpoint SET create_uid = 1 WHERE id IN %s", [tuple(rules.ids)]
        )
        rules.invalidate_recordset(["create_uid"])
        self.assertEqual(set(rules.mapped("create_uid").ids), {SUPERUSER_ID})
        warehouse = self.store_a.warehouse_id
        one_off = Orderpoint.create(
            {
                "warehouse_id": warehouse.id,
                "location_id": warehouse.lot_stock_id.id,
                "product_id": self.env["product.product"]
                .create({"name": "测试临时", "is_storable": True})
                .id,
                "product_min_qty": 0,
                "product_max_qty": 0,
                "trigger": "manual",
            }
        )
        Orderpoint._unlink_processed_orderpoints()
        self.assertEqual(rules.exists(), rules)
        self.assertFalse(one_off.exists())
