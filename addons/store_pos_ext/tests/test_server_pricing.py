import json
import logging
from unittest.mock import patch

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.store_pos_ext.models.pos_order import PosOrder

from .common import StoreCommon

_logger = logging.getLogger(__name__)

# What the server pricing may add to the sync of a paid order of a few goods lines of several
# quantities, all at their price (measured: the products' taxes, the rules of the pricelist — none
# to search when it has none, once when none depends on the quantity —; the verdict is written with
# the order's own update). It was 4 when each quantity's rules were searched.
PRICING_EXTRA_QUERIES = 2


@tagged("post_install", "-at_install")
class TestServerPricingRecords(StoreCommon):
    """The manual price changes the server records are store data: a store sees its own, HQ all,
    and nobody but the server writes them or the order's pricing verdict."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.config = cls.store_a.pos_config_ids[:1]
        cls.config.manual_discount = True

    def _discounted(self, store, user, discount=5.0):
        line = {
            "product_id": self.product.id,
            "qty": 1,
            "price_unit": 10.0,
            "discount": discount,
            "price_subtotal": 10.0 * (1 - discount / 100),
            "price_subtotal_incl": 10.0 * (1 - discount / 100),
            "note": json.dumps([{"text": "样品", "colorIndex": 0}]),
        }
        return self._sync(self._order_data(store, [line]), user=user)

    def test_another_store_can_neither_read_nor_write_a_price_change(self):
        order = self._discounted(self.store_a, self.cashier_a)
        change = order.store_price_change_ids
        self.assertEqual((change.state, change.store_id, change.reason), ("ok", self.store_a, "样品"))
        Change = self.env["store.price.change"]
        self.assertEqual(Change.with_user(self.cashier_a).search([("id", "=", change.id)]), change)
        self.assertEqual(Change.with_user(self.analyst).search([("id", "=", change.id)]), change)
        self.assertFalse(Change.with_user(self.manager_b).search([("id", "=", change.id)]))
        with self.assertRaises(AccessError):
            change.with_user(self.manager_b).read(["reason"])
        for user in (self.cashier_a, self.manager_a, self.manager_b):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                change.with_user(user).write({"state": "ok", "reason": "改"})
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                Change.with_user(user).create({"order_id": order.id, "store_id": self.store_a.id})

    def test_the_pricing_verdict_is_written_by_the_server_only(self):
        order = self._discounted(self.store_a, self.cashier_a, discount=50.0)
        self.assertEqual(order.store_price_state, "flagged", "50% is over a cashier's limit")
        with self.assertRaises(UserError):
            order.with_user(self.manager_a).write({"store_price_state": "ok"})
        data = self._order_data(self.store_a, [(self.product, 1, 1.0)])
        data.update(store_price_state="ok", store_price_difference=0.0)
        order = self._sync(data, user=self.cashier_a)
        self.assertEqual(order.store_price_state, "flagged", "what the till says of it is dropped")
        self.assertAlmostEqual(order.store_price_difference, 9.0)

    def test_pricing_adds_few_queries_to_an_order(self):
        lines = [(self.product, 1, 10.0), (self.product, 1, 10.0), (self.product, 3, 10.0)]

        def queries():
            data = self._order_data(self.store_a, lines)
            self.env.flush_all()
            self.env.invalidate_all()
            start = self.cr.sql_log_count
            self.env["pos.order"].with_user(self.cashier_a).sync_from_ui([data])
            self.env.flush_all()
            return self.cr.sql_log_count - start

        queries()  # warm the ormcaches
        counts = {"priced": [], "without": []}
        for _n in range(3):
            with patch.object(PosOrder, "_price_check", lambda self: None):
                counts["without"].append(queries())
            counts["priced"].append(queries())
        priced, without = min(counts["priced"]), min(counts["without"])
        _logger.info("order sync queries: %s", counts)
        self.assertLessEqual(
            priced - without, PRICING_EXTRA_QUERIES, f"{priced} queries priced, {without} without"
        )
        order = self.env["pos.order"].search([], order="id desc", limit=1)
        self.assertEqual(order.store_price_state, "ok")

    def test_a_quantity_rule_added_later_prices_the_next_order(self):
        """Without quantity rules the lines are priced together, whatever their quantities (the
        answer is cached); a rule with a minimum quantity added afterwards prices the next order."""
        pricelist = self.env["product.pricelist"].create(
            {"name": "测试量价", "currency_id": self.config.currency_id.id}
        )
        self.config.write({"pricelist_id": pricelist.id, "available_pricelist_ids": [(6, 0, pricelist.ids)]})
        first = self._sync(self._order_data(self.store_a, [(self.product, 6, 10.0)]), user=self.cashier_a)
        self.assertEqual(first.store_price_state, "ok")
        self.env["product.pricelist.item"].create(
            {
                "pricelist_id": pricelist.id,
                "applied_on": "1_product",
                "product_tmpl_id": self.product.product_tmpl_id.id,
                "compute_price": "fixed",
                "fixed_price": 8.0,
                "min_quantity": 6,
            }
        )
        six = self._sync(self._order_data(self.store_a, [(self.product, 6, 8.0)]), user=self.cashier_a)
        self.assertEqual(six.store_price_state, "ok", "6 at the quantity price")
        one = self._sync(
            self._order_data(self.store_a, [(self.product, 6, 8.0), (self.product, 1, 8.0)]),
            user=self.cashier_a,
        )
        self.assertEqual(one.store_price_state, "flagged", "one alone is not sold at the price of 6")
        self.assertAlmostEqual(one.store_price_difference, 2.0)
