from unittest.mock import patch

from odoo.tests import tagged

from .common import MemberCommon


@tagged("post_install", "-at_install")
class TestSettleAfterPaid(MemberCommon):
    """When an order is priced and settled (``pos.order._store_after_paid``): a synced order once
    core is done with it (paid, picking, cost), an order paid in the back office at once; and a
    settlement step that fails leaves what the other steps posted."""

    def _spy(self):
        """Patches of the order's picking and after-payment work recording their calls, in order."""
        Order = type(self.env["pos.order"])
        calls = []
        picking, after_paid = Order._create_order_picking, Order._store_after_paid

        def spy_picking(orders):
            calls.append(("picking", orders.ids))
            return picking(orders)

        def spy_after_paid(orders):
            if orders:
                calls.append(("after_paid", orders.ids, orders.mapped("store_member_state")))
            return after_paid(orders)

        return calls, (
            patch.object(Order, "_create_order_picking", spy_picking),
            patch.object(Order, "_store_after_paid", spy_after_paid),
        )

    def test_a_synced_order_is_settled_once_core_is_done_with_it(self):
        data = self._order_data(self.store_a, [(self.product, 2, 50.0)], partner=self.member)
        calls, (picking, after_paid) = self._spy()
        with picking, after_paid:
            order = self._sync(data, self.cashier_a)
        self.assertEqual(calls, [("picking", order.ids), ("after_paid", order.ids, ["none"])])
        self.assertEqual((order.store_price_state, order.store_member_state), ("ok", "done"))
        self.assertEqual(order.store_points_earned, 100)

    def test_an_order_paid_in_the_back_office_is_settled_at_once(self):
        data = dict(self._order_data(self.store_a, [(self.product, 2, 50.0)], partner=self.member))
        data["state"] = "draft"
        order = self._sync(data)
        self.assertEqual((order.state, order.store_member_state), ("draft", "none"))
        calls, (picking, after_paid) = self._spy()
        with picking, after_paid:
            order.action_pos_order_paid()
        self.assertEqual(calls, [("after_paid", order.ids, ["none"])])
        self.assertEqual((order.state, order.store_member_state), ("paid", "done"))
        self.assertEqual(order.store_points_earned, 100)

    def test_a_failing_step_leaves_what_the_others_posted(self):
        card = self._card(self.member)
        card._store_credit("adjust", 500, store=self.store_a, reason="test")
        before = card.points
        data = self._order_data(
            self.store_a,
            [(self.product, 1, 100.0), self._points_reward_line(4.0)],
            partner=self.member,
        )
        Order = type(self.env["pos.order"])

        def earn_fails(order, member, cards, credit=True):
            raise ValueError("earning broke")

        self._authorize(data, self.cashier_a)
        with (
            patch.object(Order, "_store_settle_earn", earn_fails),
            self.assertLogs("odoo.addons.store_membership.models.pos_order", "ERROR") as logs,
        ):
            order = self._sync(data, self.cashier_a)
        self.assertIn("earning broke", "\n".join(logs.output))
        # The sale stands, flagged with what broke; the points it redeemed are taken all the same.
        self.assertEqual(order.state, "paid")
        self.assertEqual(order.store_member_state, "flagged")
        self.assertIn("earning broke", order.store_member_issue)
        self.assertEqual(order.store_points_spent, 400)
        self.assertEqual(order.sudo().store_ledger_ids.mapped("kind"), ["redeem"])
        self.assertEqual(card.points, before - 400)
