from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import StoreCommon


@tagged("post_install", "-at_install")
class TestStore(StoreCommon):
    def test_store_creates_its_warehouse_and_pos(self):
        store = self.store_a
        self.assertEqual(store.warehouse_id.code, "TSTA")
        self.assertEqual(store.warehouse_id.name, store.name)
        self.assertEqual(store.warehouse_id.store_ids, store)
        self.assertEqual(len(store.pos_config_ids), 1)
        config = store.pos_config_ids
        self.assertEqual(config.picking_type_id, store.warehouse_id.pos_type_id)
        cash = config.payment_method_ids.filtered("is_cash_count")
        self.assertEqual(len(cash), 1, "each store POS has its own cash method")
        other_cash = self.store_b.pos_config_ids.payment_method_ids.filtered("is_cash_count")
        self.assertNotEqual(cash, other_cash)
        self.assertNotEqual(cash.journal_id, other_cash.journal_id)

    def test_store_created_with_existing_warehouse_keeps_it(self):
        wh = self.env["stock.warehouse"].create({"name": "现有仓库", "code": "EXWH"})
        store = self.env["store.store"].create({"name": "已有仓门店", "code": "EXIST", "warehouse_id": wh.id})
        self.assertEqual(store.warehouse_id, wh)
        self.assertEqual(store.pos_config_ids.picking_type_id, wh.pos_type_id)

    def test_warehouse_code_clash_gets_another_code(self):
        store = self.env["store.store"].create({"name": "同码门店", "code": "TSTA-2"})
        self.assertTrue(store.warehouse_id)
        self.assertNotEqual(store.warehouse_id.code, self.store_a.warehouse_id.code)

    def test_same_name_gets_its_own_warehouse(self):
        twin = self.env["store.store"].create({"name": self.store_a.name, "code": "TWIN"})
        self.assertNotEqual(twin.warehouse_id, self.store_a.warehouse_id)
        self.assertEqual(twin.warehouse_id.code, "TWIN")

    def test_add_second_pos(self):
        self.store_a.with_user(self.hq_admin).action_create_pos_config()
        self.assertEqual(self.store_a.pos_config_count, 2)
        self.assertEqual(len(self.store_a.pos_config_ids.payment_method_ids.filtered("is_cash_count")), 2)

    def test_store_code_is_unique(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self.env["store.store"].with_context(store_skip_setup=True).create(
                {"name": "重复", "code": "TSTA"}
            )

    def test_opening_hours_are_checked(self):
        # zh_CN ships with the addon: the user reads the reason in Chinese.
        store = self.store_a.with_context(lang="zh_CN")
        with self.assertRaisesRegex(ValidationError, "开门时间必须早于打烊时间"):
            store.write({"opening_time": 22.0, "closing_time": 9.0})
        with self.assertRaises(ValidationError):
            self.store_a.write({"opening_time": -1.0})

    def test_manager_is_a_store_user(self):
        self.store_a.manager_id = self.manager_b
        self.assertIn(self.manager_b, self.store_a.user_ids)
        self.assertIn(self.store_a, self.manager_b.store_ids)

    def test_current_store_must_be_allowed(self):
        self.assertEqual(self.manager_a.store_id, self.store_a, "first allowed store becomes current")
        with self.assertRaisesRegex(ValidationError, "不在 .* 的可访问门店中"):
            self.manager_a.with_context(lang="zh_CN").store_id = self.store_b

    def test_region_manager_gets_every_store_of_the_region(self):
        self.assertEqual(self.region_mgr.allowed_store_ids, self.store_a | self.store_b)
        new_store = self.env["store.store"].create(
            {"name": "新开D店", "code": "TSTD", "region_id": self.region_east.id}
        )
        Store = self.env["store.store"].with_user(self.region_mgr)
        self.assertEqual(Store.search([("code", "like", "TST")]), self.store_a | self.store_b | new_store)
        new_store.region_id = self.region_north
        self.assertEqual(Store.search([("code", "like", "TST")]), self.store_a | self.store_b)

    def test_order_carries_store_and_region(self):
        order = self._sell(self.store_a)
        self.assertEqual(order.store_id, self.store_a)
        self.assertEqual(order.region_id, self.region_east)
        self.assertEqual(order.session_id.store_id, self.store_a)
