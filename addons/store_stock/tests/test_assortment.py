from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from odoo.addons.store_pos_ext.tests.common import StoreCommon


@tagged("post_install", "-at_install")
class TestAssortment(StoreCommon):
    """Core products are listed in every store, local ones only in their regions' and stores'."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Template = cls.env["product.template"]
        vals = {"available_in_pos": True, "sale_ok": True, "list_price": 5.0, "taxes_id": False}
        cls.core = Template.create({"name": "核心商品", **vals})
        cls.local_a = Template.create(
            {
                "name": "A店特色",
                "store_assortment": "local",
                "store_local_store_ids": [Command.set(cls.store_a.ids)],
                **vals,
            }
        )
        cls.local_east = Template.create(
            {
                "name": "华东特色",
                "store_assortment": "local",
                "store_local_region_ids": [Command.set(cls.region_east.ids)],
                **vals,
            }
        )
        cls.local_c = Template.create(
            {
                "name": "C店特色",
                "store_assortment": "local",
                "store_local_store_ids": [Command.set(cls.store_c.ids)],
                **vals,
            }
        )
        cls.ours = cls.core | cls.local_a | cls.local_east | cls.local_c

    def _pos_loaded(self, store):
        """The templates of ours the store's POS loads at start (as its cashier would)."""
        config = store.pos_config_ids[:1]
        domain = self.env["product.template"]._load_pos_data_domain({}, config)
        return self.env["product.template"].search([*domain, ("id", "in", self.ours.ids)])

    def test_pos_loads_the_store_assortment(self):
        self.assertEqual(self._pos_loaded(self.store_a), self.core | self.local_a | self.local_east)
        self.assertEqual(self._pos_loaded(self.store_b), self.core | self.local_east)
        self.assertEqual(self._pos_loaded(self.store_c), self.core | self.local_c)

    def test_pos_load_data_of_a_session(self):
        """The whole start of a store's POS (core's load_data) carries only its assortment."""
        config = self.store_b.pos_config_ids[:1]
        config.open_ui()
        data = config.current_session_id.with_context(pos_limited_loading=False).load_data([])
        loaded = {record["id"] for record in data["product.template"]}
        self.assertIn(self.core.id, loaded)
        self.assertIn(self.local_east.id, loaded)
        self.assertNotIn(self.local_a.id, loaded)
        self.assertNotIn(self.local_c.id, loaded)

    def test_pos_search_on_server_keeps_the_assortment(self):
        """A barcode or name the till did not load is searched on the server: still the store's only."""
        config = self.store_b.pos_config_ids[:1]
        config.open_ui()
        found = self.env["product.template"].load_product_from_pos(config.id, [("id", "in", self.ours.ids)])
        self.assertEqual({p["id"] for p in found["product.template"]}, {self.core.id, self.local_east.id})

    def test_pos_without_store_loads_everything(self):
        config = self.env["pos.config"].create({"name": "无门店POS"})
        domain = self.env["product.template"]._load_pos_data_domain({}, config)
        self.assertEqual(
            self.env["product.template"].search([*domain, ("id", "in", self.ours.ids)]), self.ours
        )

    def test_store_lists_for_its_users(self):
        Template = self.env["product.template"]
        listed = Template.with_user(self.manager_a).search(
            [("store_listed", "=", True), ("id", "in", self.ours.ids)]
        )
        self.assertEqual(listed, self.core | self.local_a | self.local_east)
        unlisted = Template.with_user(self.manager_b).search(
            [("store_listed", "=", False), ("id", "in", self.ours.ids)]
        )
        self.assertEqual(unlisted, self.local_a | self.local_c)
        self.assertTrue(self.local_a.with_user(self.manager_a).store_listed)
        self.assertFalse(self.local_a.with_user(self.manager_b).store_listed)
        # HQ without stores of its own: listed somewhere in the chain.
        self.assertEqual(
            Template.with_user(self.analyst).search(
                [("store_listed", "=", True), ("id", "in", self.ours.ids)]
            ),
            self.ours,
        )

    def test_hq_sees_which_stores_list_what(self):
        self.assertEqual(
            self.local_east.with_user(self.analyst).store_listed_store_ids & self._stores(),
            self.store_a | self.store_b,
        )
        self.assertEqual(self.local_c.store_listed_store_ids & self._stores(), self.store_c)
        self.assertLessEqual(self._stores(), self.core.store_listed_store_ids)
        count_a = self.store_a.store_listed_product_count
        self.local_c.store_local_store_ids = [Command.link(self.store_a.id)]
        self.store_a.invalidate_recordset(["store_listed_product_count"])
        self.assertEqual(self.store_a.store_listed_product_count, count_a + 1)
        action = self.store_a.action_store_listed_products()
        self.assertIn(self.local_c, self.env["product.template"].search(action["domain"]))

    def _stores(self):
        return self.store_a | self.store_b | self.store_c

    def test_local_needs_a_region_or_store(self):
        with self.assertRaisesRegex(ValidationError, "Local to regions"):
            self.env["product.template"].create({"name": "无处本地", "store_assortment": "local"})
        with self.assertRaisesRegex(ValidationError, "Local to regions"):
            self.local_a.store_local_store_ids = [Command.clear()]

    def test_store_users_cannot_change_the_assortment(self):
        with self.assertRaises(AccessError):
            self.local_c.with_user(self.manager_a).write(
                {"store_local_store_ids": [Command.link(self.store_a.id)]}
            )
        with self.assertRaises(AccessError):
            self.local_c.with_user(self.cashier_a).write({"store_assortment": "core"})

    def test_sales_split_core_and_local(self):
        product = self.local_a.product_variant_id
        self.product.product_tmpl_id.store_assortment = "core"
        order = self._sell(self.store_a)
        order.lines[0].copy({"product_id": product.id, "order_id": order.id})
        self.env.flush_all()
        Report = self.env["report.pos.order"]
        groups = dict(Report._read_group([("order_id", "=", order.id)], ["store_assortment"], ["__count"]))
        self.assertEqual(groups, {"core": 1, "local": 1})
