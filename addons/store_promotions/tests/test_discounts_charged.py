import json

from odoo import Command
from odoo.tests import tagged

from .common import PromoCommon


@tagged("post_install", "-at_install")
class TestDiscountsCharged(PromoCommon):
    """The check prices promotions from what the lines charged, and every discount of a store's
    order (reward lines, manual line discounts, negative goods lines) must be allowed by
    something: a running promotion, or for a manual discount the POS's own setting and role."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.config = cls.store_a.pos_config_ids[:1]

    def _goods(self, product, qty, price, charged=None, discount=0.0, reason=None):
        """A goods line as the till sends it; ``charged``: its tax-included amount; ``reason``: the
        line's internal note (the reason a manual discount needs)."""
        amount = qty * price * (1 - discount / 100) if charged is None else charged
        return {
            "product_id": product.id,
            "qty": qty,
            "price_unit": price,
            "discount": discount,
            "price_subtotal": amount,
            "price_subtotal_incl": amount,
            **({"note": json.dumps([{"text": reason, "colorIndex": 0}])} if reason else {}),
        }

    def test_a_line_priced_1000_charged_200_gets_no_discount_of_1000(self):
        promo = self._promo("threshold", min_amount=1000, off_amount=250)  # 满1000减250
        data = self._order_data(
            self.store_a, [self._goods(self.cake, 1, 1000.0, charged=200.0), self._promo_line(promo, 250)]
        )
        self.assertEqual(data["amount_total"], -50)
        order = self._sync(data, user=self.cashier_a)
        self.assertEqual(order.store_promo_state, "flagged")
        self.assertAlmostEqual(order.store_promo_excess, 250)
        self.assertEqual((promo.spent, promo.order_count), (0, 0), "the budget does not move")
        self.assertFalse(order.store_promotion_ids)

    def test_manual_line_discount_needs_the_pos_setting(self):
        self.config.manual_discount = False
        order = self._sync(
            self._order_data(self.store_a, [self._goods(self.cake, 4, 30.0, discount=10)]),
            user=self.cashier_a,
        )
        self.assertEqual(order.store_promo_state, "flagged")
        self.assertAlmostEqual(order.store_promo_excess, 12)
        self.assertIn("line discounts are off", order.store_promo_issue)
        self.config.manual_discount = True  # core's "Line Discounts" setting allows it
        order = self._sync(
            self._order_data(self.store_a, [self._goods(self.cake, 4, 30.0, discount=10, reason="临期")]),
            user=self.cashier_a,
        )
        self.assertEqual(order.store_promo_state, "none", "an allowed manual discount is not flagged")

    def test_manual_line_discount_by_a_minimal_role_employee(self):
        """pos_hr's minimal role has no discount button: a discount in its name is not allowed."""
        self.config.manual_discount = True
        employee = self.env["hr.employee"].create(
            {"name": "测试临时工", "company_id": self.config.company_id.id}
        )
        self.config.minimal_employee_ids = [Command.link(employee.id)]
        data = self._order_data(self.store_a, [self._goods(self.cake, 4, 30.0, discount=50)])
        data["employee_id"] = employee.id
        order = self._sync(data, user=self.cashier_a)
        self.assertEqual(order.store_promo_state, "flagged")
        self.assertAlmostEqual(order.store_promo_excess, 60)

    def test_negative_goods_line_is_a_discount(self):
        data = self._order_data(self.store_a, [(self.cake, 4, 30.0), (self.cake, 1, -50.0)])
        order = self._sync(data, user=self.cashier_a)
        self.assertEqual(order.state, "paid", "the sale is kept")
        self.assertEqual(order.store_promo_state, "flagged")
        self.assertAlmostEqual(order.store_promo_excess, 50)
        self.assertIn("refunds no sale", order.store_promo_issue)

    def test_negative_line_does_not_pass_beside_a_promotion(self):
        promo = self._promo("threshold")
        data = self._order_data(
            self.store_a, [(self.cake, 4, 30.0), (self.tea, -1, 20.0), self._promo_line(promo, 30)]
        )
        order = self._sync(data, user=self.cashier_a)
        self.assertEqual(order.store_promo_state, "flagged")
        self.assertAlmostEqual(order.store_promo_excess, 20)
        self.assertEqual(promo.spent, 0)

    def test_nth_item_on_a_discounted_line_is_priced_as_charged(self):
        """第二件半价 on a line discounted by hand: half of what the unit was charged."""
        self.config.manual_discount = True
        promo = self._promo("nth_unit", product_ids=[Command.set(self.tea.ids)])
        data = self._order_data(
            self.store_a,
            [self._goods(self.tea, 2, 20.0, discount=10, reason="临期"), self._promo_line(promo, 9)],
        )
        order = self._sync(data, user=self.cashier_a)
        self.assertEqual(order.store_promo_state, "ok", order.store_promo_issue)
        data = self._order_data(
            self.store_a,
            [self._goods(self.tea, 2, 20.0, discount=10, reason="临期"), self._promo_line(promo, 10)],
        )
        order = self._sync(data, user=self.cashier_a)
        self.assertEqual(order.store_promo_state, "flagged", "half of the list price is too much")

    def test_refund_of_a_discounted_line_is_no_discount(self):
        """A refund line keeps its sale's line discount: that is no new discount to allow."""
        self.config.manual_discount = True
        sale = self._sync(
            self._order_data(self.store_a, [self._goods(self.cake, 4, 30.0, discount=10, reason="临期")]),
            user=self.cashier_a,
        )
        self.config.manual_discount = False
        refund_line = {
            **self._goods(self.cake, -4, 30.0, discount=10),
            "refunded_orderline_id": sale.lines.id,
        }
        refund = self._sync(self._order_data(self.store_a, [refund_line]), user=self.cashier_a)
        self.assertEqual(refund.lines.refunded_orderline_id, sale.lines)
        self.assertEqual(refund.store_promo_state, "none")
