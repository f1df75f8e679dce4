from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestStoreCashierTour(HttpCase):
    """A store's cashier opens that store's POS in Chromium and sells; the order lands in the store."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Core's tour helpers match English button texts; the demo database only has Chinese.
        cls.env["res.lang"]._activate_lang("en_US")
        cls.store = cls.env["store.store"].create({"name": "巡检测试店", "code": "TOUR"})
        cls.other_store = cls.env["store.store"].create({"name": "别家店", "code": "TOUR2"})
        cls.cashier = new_test_user(
            cls.env, login="tour_cashier", groups="store_pos_ext.group_store_user", lang="en_US"
        )
        cls.cashier.store_ids = [Command.set(cls.store.ids)]
        cls.env["product.product"].create(
            {"name": "Tour Green Tea", "list_price": 5.0, "available_in_pos": True, "taxes_id": False}
        )

    def test_cashier_sells_in_own_store(self):
        config = self.store.pos_config_ids
        self.assertFalse(
            self.env["pos.config"]
            .with_user(self.cashier)
            .search([("id", "=", self.other_store.pos_config_ids.id)]),
            "the cashier must not even see the other store's POS",
        )
        self.start_tour(f"/pos/ui/{config.id}", "store_cashier_sells", login="tour_cashier")
        orders = self.env["pos.order"].search([("config_id", "=", config.id)])
        self.assertEqual(len(orders), 1)
        self.assertEqual(orders.store_id, self.store)
        self.assertEqual(orders.state, "paid")
        self.assertAlmostEqual(orders.amount_total, 10.0)
        self.assertEqual(orders.user_id, self.cashier)
