from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestRestaurantTour(HttpCase):
    """The preset builds a working floor: the store's cashier opens the POS in Chromium on the floor
    plan, takes table 3's order and pays it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Core's tour helpers match English button texts; the demo database only has Chinese.
        cls.env["res.lang"]._activate_lang("en_US")
        cls.store = cls.env["store.store"].create({"name": "餐饮测试店", "code": "RTOUR"})
        cls.cashier = new_test_user(
            cls.env, login="resto_cashier", groups="store_pos_ext.group_store_user", lang="en_US"
        )
        cls.cashier.store_ids = [Command.set(cls.store.ids)]
        cls.env["product.product"].create(
            {"name": "Tour Noodles", "list_price": 18.0, "available_in_pos": True, "taxes_id": False}
        )
        cls.config = cls.store.pos_config_ids[:1]
        cls.env["store.restaurant.setup"].create(
            {"store_id": cls.store.id, "config_id": cls.config.id, "floor_name": "大厅", "table_count": 6}
        ).action_apply()

    def test_cashier_serves_a_table(self):
        self.start_tour(f"/pos/ui/{self.config.id}", "store_restaurant_table_sale", login="resto_cashier")
        order = self.env["pos.order"].search([("config_id", "=", self.config.id)])
        self.assertEqual(len(order), 1)
        self.assertEqual(order.state, "paid")
        self.assertEqual((order.table_id.floor_id.name, order.table_id.table_number), ("大厅", 3))
        self.assertEqual(order.preset_id, self.env.ref("pos_restaurant.pos_takein_preset"))
        self.assertAlmostEqual(order.amount_total, 36.0)
