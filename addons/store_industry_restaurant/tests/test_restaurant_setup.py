from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.store_pos_ext.tests.common import StoreCommon


@tagged("post_install", "-at_install")
class TestRestaurantSetup(StoreCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.config_a = cls.store_a.pos_config_ids[:1]
        cls.config_b = cls.store_b.pos_config_ids[:1]
        cls.Setup = cls.env["store.restaurant.setup"]

    def _apply(self, user, store, config, **vals):
        wizard = self.Setup.with_user(user).create(
            {"store_id": store.id, "config_id": config.id, "floor_name": "大厅", **vals}
        )
        return wizard.action_apply()

    def _state(self, config):
        config.invalidate_recordset()
        floors = config.floor_ids
        return {
            "restaurant": config.module_pos_restaurant,
            "floors": floors.mapped("name"),
            "tables": sorted(floors.table_ids.mapped(lambda t: (t.floor_id.name, t.table_number, t.seats))),
            "presets": sorted(config.available_preset_ids.ids),
            "default_preset": config.default_preset_id,
            "printer": config.is_order_printer,
            "tips": config.iface_tipproduct,
        }

    def test_store_manager_sets_up_their_pos_and_again_changes_nothing(self):
        self.config_a.write({"iface_tipproduct": True, "is_order_printer": True})
        self._apply(self.manager_a, self.store_a, self.config_a, table_count=6, seats=4)
        state = self._state(self.config_a)
        dine_in = self.env.ref("pos_restaurant.pos_takein_preset")
        takeout = self.env.ref("pos_restaurant.pos_takeout_preset")
        self.assertTrue(state["restaurant"])
        self.assertEqual(state["floors"], ["大厅"])  # no default floor named after the company
        self.assertEqual(state["tables"], [("大厅", n, 4) for n in range(1, 7)])
        self.assertEqual(state["presets"], sorted((dine_in | takeout).ids))
        self.assertEqual(state["default_preset"], dine_in)
        self.assertFalse(state["printer"] or state["tips"])
        self.assertTrue(self.config_a.use_presets)
        # applied again: the same floor, tables and presets
        self._apply(self.manager_a, self.store_a, self.config_a, table_count=6, seats=4)
        self.assertEqual(self._state(self.config_a), state)
        # more tables: only the missing ones are added
        self._apply(self.manager_a, self.store_a, self.config_a, table_count=8, seats=2)
        tables = self._state(self.config_a)["tables"]
        self.assertEqual(tables, [*state["tables"], ("大厅", 7, 2), ("大厅", 8, 2)])
        # the other store's POS is untouched
        self.assertFalse(self._state(self.config_b)["restaurant"])

    def test_another_stores_pos_is_refused(self):
        before = self._state(self.config_a)
        # a wizard for store A by store B's manager: refused by the record rule
        with self.assertRaises(AccessError):
            self._apply(self.manager_b, self.store_a, self.config_a)
        # store B's wizard pointing at store A's POS: refused by the wizard
        with self.assertRaises(AccessError):
            self._apply(self.manager_b, self.store_b, self.config_a)
        # a cashier cannot set up even their own store's POS
        with self.assertRaises(AccessError):
            self._apply(self.cashier_a, self.store_a, self.config_a)
        self.assertEqual(self._state(self.config_a), before)
        self.assertFalse(before["restaurant"])

    def test_hq_admin_sets_up_any_store(self):
        self._apply(self.hq_admin, self.store_b, self.config_b, table_count=2, delivery=True, dine_in=False)
        state = self._state(self.config_b)
        self.assertEqual(len(state["tables"]), 2)
        self.assertEqual(state["default_preset"], self.env.ref("pos_restaurant.pos_takeout_preset"))
        self.assertIn(self.env.ref("pos_restaurant.pos_delivery_preset").id, state["presets"])
