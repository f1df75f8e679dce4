from odoo.tests import tagged, warmup

from .common import PromoCommon

# What the server check of one promotion adds to the sync of a paid order, against the same order
# with a line of 0 instead of the reward line (nothing to check): the reward of the
# reward line, the promotion with its rule in one query, inside a savepoint (2), the budget and
# usage increment, the order's promotion link, and its check fields (their own update: the order
# is flushed before the verdict). It was 15 before the rule was stored and the increment atomic.
# 10 since store_membership reads the reward's program of every reward line (is it a coupon the
# server issues, to be used up by the sale: pos.order._store_consume_coupons). The line of 0 has
# the goods' quantity: the server's pricing prices lines of different quantities apart when the
# pricelist has quantity rules (4 queries more), and the reward line is not priced; with a line of
# 1 the plain order cost 4 queries more and this bound read 8.
PROMOTION_CHECK_QUERIES = 10


@tagged("post_install", "-at_install")
class TestPromoQueryCount(PromoCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.promo = cls._promo("threshold")
        cls.discount_product = cls.env["product.product"].create(
            {
                "name": "测试手工折扣",
                "type": "service",
                "list_price": 0,
                "available_in_pos": True,
                "taxes_id": False,
            }
        )
        cls._session(cls.store_a)

    @warmup
    def test_query_count_of_a_promotion_order(self):
        # A line of 0 beside the goods: two lines, and no discount for the check to judge (a
        # negative manual line would be checked, and flagged, too).
        other = {"product_id": self.discount_product.id, "qty": 4, "price_unit": 0.0}
        plain = self._sync_queries(self._order_data(self.store_a, [(self.cake, 4, 30.0), other]))
        self.assertEqual(
            self.env["pos.order"].search([], order="id desc", limit=1).store_promo_state,
            "none",
            "the plain order was not checked",
        )
        data = self._order_data(self.store_a, [(self.cake, 4, 30.0), self._promo_line(self.promo, 30)])
        order = self._sync_within(data, plain + PROMOTION_CHECK_QUERIES)
        self.assertEqual(order.store_promo_state, "ok", "the counted order was really checked")
