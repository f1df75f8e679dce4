from odoo.tests import tagged, warmup

from .common import MemberCommon

# What settling a member's order (earn points, ledger line, balances on the order, tier) may add
# to one sync_from_ui of the same paid cash order without a customer. It was 31 before the
# settlement was trimmed (a savepoint per needed step only, one card search, one write of the
# order, one tier query, related ledger fields given at insert), then 25 with every addon of the
# repository; 16 with store_promotions (measured) since the tiers are cached, the roles of the
# programs come from the company, the card's company from its program, and an order created in the
# same request is neither locked nor searched in the ledger (no other transaction sees it). The
# absolute count of an order depends on the other addons installed, so the bound is on the
# difference, with room for the other addons of the repository.
MEMBER_EXTRA_QUERIES = 18


@tagged("post_install", "-at_install")
class TestQueryCount(MemberCommon):
    """A member's order must not cost the till much more than an anonymous one: the settlement is
    a fixed number of queries per order, whatever the size of the ledger."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.session = cls._session(cls.store_a)
        # History the settlement must not read in full: 30 earlier orders of the member.
        for _n in range(30):
            cls._sync(cls._order_data(cls.store_a, [(cls.product, 1, 10.0)], partner=cls.member))

    @warmup
    def test_query_count_of_a_member_order(self):
        plain = self._sync_queries(self._order_data(self.store_a, [(self.product, 2, 50.0)]))
        member = self._order_data(self.store_a, [(self.product, 2, 50.0)], partner=self.member)
        order = self._sync_within(member, plain + MEMBER_EXTRA_QUERIES)
        # The counted order was really settled, so the count is the count of a settlement.
        self.assertEqual(order.store_member_state, "done")
        self.assertEqual(order.store_points_earned, 100)
        self.assertEqual(len(order.store_ledger_ids), 1)

    def test_member_order_queries_do_not_grow_with_the_ledger(self):
        self._sync_queries(self._order_data(self.store_a, [(self.product, 1, 10.0)], partner=self.member))
        before = self._sync_queries(
            self._order_data(self.store_a, [(self.product, 2, 50.0)], partner=self.member)
        )
        plain = self._sync_queries(self._order_data(self.store_a, [(self.product, 2, 50.0)]))
        self.assertLessEqual(
            before - plain,
            MEMBER_EXTRA_QUERIES,
            f"a member order takes {before} queries, an anonymous one {plain}",
        )
        for _n in range(20):
            self._sync(self._order_data(self.store_a, [(self.product, 1, 10.0)], partner=self.member))
        after = self._sync_queries(
            self._order_data(self.store_a, [(self.product, 2, 50.0)], partner=self.member)
        )
        self.assertEqual(after, before, "20 more ledger lines, the same number of queries")
