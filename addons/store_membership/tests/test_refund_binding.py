import copy
import uuid

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import MemberCommon


@tagged("post_install", "-at_install")
class TestRefundBinding(MemberCommon):
    """Refunds are bound to their sale: they name its lines, count for its member, refund at most
    what is left, and give back the way the sale was paid. A paid order stays what was sold.
    Every order here is synced by the store's cashier, as the till does."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other = cls.env["res.partner"].browse(
            cls.env["res.partner"].store_member_register({"mobile": "13900139000", "name": "李四"})["id"]
        )

    def _till(self, lines, partner=None, payments=None):
        """Sync an order at store A as its cashier; the order."""
        return self._pay_at_till(
            self._order_data(self.store_a, lines, partner=partner, payments=payments), self.cashier_a
        )

    def _sv_sale(self, qty=2, price=60.0):
        """The member tops up 100 (+20 bonus), then buys ``qty`` at ``price``, paid with all of it."""
        self._till([(self.topup_product, 1, 100.0)], partner=self.member)
        sale = self._pay_at_till(self._sv_order(self.store_a, price, qty=qty), self.cashier_a)
        self.assertEqual(sale.store_member_state, "done")
        sv = self._card(self.member, "stored_value")
        self.assertEqual((sv.points, sv.store_sv_principal, sv.store_sv_bonus), (0, 0, 0))
        return sale

    def _refund(self, sale_line, qty, partner=None, to_sv=True):
        """Refund ``qty`` of ``sale_line`` at its price, paid back to stored value (or in cash)."""
        payments = [(self.sv_method, -qty * sale_line.price_unit)] if to_sv else None
        return self._till(
            [self._refund_line(sale_line, qty)],
            partner=partner or sale_line.order_id.partner_id,
            payments=payments,
        )

    def _sv(self, partner):
        card = self._card(partner, "stored_value")
        if not card:
            return (0.0, 0.0, 0.0)
        card.invalidate_recordset()
        return (card.points, card.store_sv_principal, card.store_sv_bonus)

    # ------------------------------------------------------------------ giving back
    def test_stored_value_goes_back_as_it_was_spent(self):
        sale = self._sv_sale()  # 120 paid: 100 principal and 20 bonus
        earned = sale.store_points_earned
        self.assertGreater(earned, 0)
        first = self._refund(sale.lines, 1)
        self.assertEqual(first.store_member_state, "done", first.store_member_issue)
        self.assertEqual(self._sv(self.member), (60, 50, 10), "half back, in the sale's proportion")
        self.assertEqual(self._card(self.member).points, earned - earned // 2)
        second = self._refund(sale.lines, 1)
        self.assertEqual(second.store_member_state, "done", second.store_member_issue)
        self.assertEqual(self._sv(self.member), (120, 100, 20))
        self.assertEqual(self._card(self.member).points, 0, "the points of the sale are all taken back")

    def test_refund_of_nothing_credits_nothing(self):
        self._till([(self.topup_product, 1, 100.0)], partner=self.member)
        before = self._sv(self.member)
        # A negative line that names no sale, paid back to stored value, then in cash.
        for to_sv in (True, False):
            order = self._till(
                [(self.product, -1, 50.0)],
                partner=self.member,
                payments=[(self.sv_method, -50.0)] if to_sv else None,
            )
            self.assertEqual(self._sv(self.member), before, "nothing credited")
            self.assertFalse(order.store_ledger_ids.filtered(lambda h: h.amount > 0))
            self.assertEqual(order.state, "paid", "the order is saved")
            self.assertEqual(order.store_member_state, "flagged")
            self.assertIn("must name the sale line", order.store_member_issue)

    def test_an_even_share_back_is_not_a_cent_short(self):
        """3 x 40 paid with 100 principal and 20 bonus: one of them back is 40 (33.33 + 6.67), as
        the till pays it back, not 39.99 and a flag; the last one takes the exact rest."""
        self._till([(self.topup_product, 1, 100.0)], partner=self.member)
        sale = self._pay_at_till(self._sv_order(self.store_a, 40.0, qty=3), self.cashier_a)
        for n, left in ((1, (40, 33.33, 6.67)), (2, (80, 66.66, 13.34)), (3, (120, 100, 20))):
            refund = self._refund(sale.lines, 1)
            self.assertEqual(refund.store_member_state, "done", f"refund {n}: {refund.store_member_issue}")
            self.assertEqual(tuple(round(v, 2) for v in self._sv(self.member)), left)

    def test_refund_naming_another_member_credits_nobody(self):
        sale = self._sv_sale()
        refund = self._refund(sale.lines, 2, partner=self.other)
        self.assertEqual(self._sv(self.other), (0, 0, 0), "the other member gets nothing")
        self.assertEqual(refund.state, "paid")
        self.assertEqual(refund.store_member_state, "flagged")
        self.assertIn(self.other.name, refund.store_member_issue)
        self.assertEqual(self._sv(self.member), (0, 0, 0), "nor the sale's member: HQ decides")
        self.assertEqual(self._card(self.member).points, 0, "the goods came back: their points too")
        self.assertFalse(self._card(self.other) and self._card(self.other).points)

    def test_same_line_refunded_twice_credits_once(self):
        sale = self._sv_sale()
        first = self._refund(sale.lines, 2)
        self.assertEqual(first.store_member_state, "done", first.store_member_issue)
        once = self._sv(self.member)
        second = self._refund(sale.lines, 2)
        self.assertEqual(self._sv(self.member), once, "the second refund credits nothing")
        self.assertFalse(second.store_ledger_ids)
        self.assertEqual(self._card(self.member).points, 0)
        self.assertEqual(second.state, "paid", "the second refund is saved")
        self.assertEqual(second.store_member_state, "flagged")
        self.assertIn("left to refund", second.store_member_issue)
        self.assertEqual(once, (120, 100, 20))

    def test_refund_made_at_another_store_counts(self):
        """A sale refunded at store B cannot be refunded again at store A: A's cashier cannot read B's
        refund, the settlement counts it all the same."""
        sale = self._sv_sale()
        cashier_ab = new_test_user(self.env, login="t_cashier_ab", groups="store_pos_ext.group_store_user")
        cashier_ab.store_ids = [Command.set((self.store_a | self.store_b).ids)]
        first = self._pay_at_till(
            self._order_data(
                self.store_b,
                [self._refund_line(sale.lines, 2)],
                partner=self.member,
                payments=[(self.sv_method, -120.0)],
            ),
            cashier_ab,
        )
        self.assertEqual(first.store_member_state, "done", first.store_member_issue)
        self.assertEqual(self._sv(self.member), (120, 100, 20))
        second = self._refund(sale.lines, 2)  # at store A, by its cashier
        self.assertEqual(second.store_member_state, "flagged")
        self.assertIn("left to refund", second.store_member_issue)
        self.assertEqual(self._sv(self.member), (120, 100, 20), "given back once")

    def test_refund_beyond_the_quantity_sold_gives_back_what_was_sold(self):
        sale = self._sv_sale()
        refund = self._refund(sale.lines, 3)
        self.assertEqual(self._sv(self.member)[0], 120, "2 sold, 2 given back")
        self.assertEqual(refund.store_member_state, "flagged")
        self.assertEqual(self._sv(self.member), (120, 100, 20))

    def test_cash_sale_is_not_refunded_to_stored_value(self):
        sale = self._till([(self.product, 1, 80.0)], partner=self.member)
        refund = self._refund(sale.lines, 1)
        self.assertEqual(self._sv(self.member), (0, 0, 0))
        self.assertEqual(refund.store_member_state, "flagged")

    def test_ewallet_paid_sale_refunded_in_part(self):
        """Core's eWallet button pays with a discount line: half the goods back, half of it back."""
        self._till([(self.topup_product, 1, 100.0)], partner=self.member)
        reward = self.env["loyalty.reward"].create(
            {
                "program_id": self.sv_program.id,
                "reward_type": "discount",
                "discount_mode": "per_point",
                "discount": 1,
                "required_points": 1,
            }
        )
        sv = self._card(self.member, "stored_value")
        sale = self._till(
            [
                (self.product, 2, 15.0),
                {
                    "product_id": reward.discount_line_product_id.id,
                    "qty": 1,
                    "price_unit": -30.0,
                    "reward_id": reward.id,
                    "is_reward_line": True,
                    "coupon_id": sv.id,
                },
            ],
            partner=self.member,
            payments=[],
        )
        self.assertEqual(self._sv(self.member)[0], 90)
        goods = sale.lines.filtered(lambda line: not line.reward_id)
        refund = self._refund(goods, 1)  # one of two: 15 back
        # The other one, priced 30 by the till and all 30 asked back to the card.
        again = self._till(
            [self._refund_line(goods, 1, price=30.0)], partner=self.member, payments=[(self.sv_method, -30.0)]
        )
        # Asking 30 back for a unit sold at 15 does not price right (store_pos_ext's server
        # pricing): that refund is flagged and gives nothing back.
        self.assertEqual(self._sv(self.member)[0], 105, "30 spent, 15 back")
        self.assertEqual(refund.store_member_state, "done", refund.store_member_issue)
        self.assertEqual(again.store_member_state, "flagged")
        self.assertEqual(again.store_price_state, "flagged")
        self.assertAlmostEqual(again.store_price_difference, 15.0)

    def test_points_spent_on_refunded_rewards_come_back_once(self):
        self._till([(self.product, 5, 100.0)], partner=self.member)
        sale = self._till(
            [(self.product, 1, 100.0), self._points_reward_line(3.0, coupon_id=self._card(self.member).id)],
            partner=self.member,
        )
        self.assertEqual(sale.store_points_spent, 300)
        lines = [
            {
                "product_id": line.product_id.id,
                "qty": -line.qty,
                "price_unit": line.price_unit,
                "refunded_orderline_id": line.id,
                **({"reward_id": line.reward_id.id, "is_reward_line": True} if line.reward_id else {}),
            }
            for line in sale.lines
        ]
        refund = self._till(lines, partner=self.member)
        self.assertEqual(self._card(self.member).points, 500, "as before the sale: spent back, earned taken")
        self.assertEqual(refund.store_member_state, "done", refund.store_member_issue)
        self.assertEqual(refund.store_points_spent, -300)
        again = self._till(lines, partner=self.member)
        self.assertEqual(again.store_member_state, "flagged")
        self.assertEqual(self._card(self.member).points, 500)

    def test_refunded_reward_earns_no_points(self):
        """The last goods of a sale refunded with its points discount, worth more than they are: the
        customer pays the difference, gets the points back and earns nothing on it."""
        self._till([(self.product, 10, 100.0)], partner=self.member)  # 1000 points
        card = self._card(self.member)
        big, small = (
            self.product,
            self.env["product.product"].create(
                {"name": "小件", "list_price": 5.0, "available_in_pos": True, "taxes_id": False}
            ),
        )
        sale = self._till(
            [(big, 1, 100.0), (small, 1, 5.0), self._points_reward_line(10.0, coupon_id=card.id)],
            partner=self.member,
        )
        self.assertEqual((sale.store_points_spent, card.points), (1000, 190), "金卡 by now: 95 x 2")
        goods = sale.lines.filtered(lambda line: not line.reward_id)
        self._till([self._refund_line(goods[0], 1)], partner=self.member)  # 100 back in cash
        reward = sale.lines.filtered("reward_id")
        last = self._till(
            [
                self._refund_line(goods[1], 1),
                {**self._refund_line(reward, 1), "reward_id": reward.reward_id.id},
            ],
            partner=self.member,
        )
        self.assertEqual(last.amount_total, 5.0, "the customer pays the discount back")
        self.assertEqual(last.store_member_state, "done", last.store_member_issue)
        self.assertEqual(card.points, 1000, "the 1000 points back, the 190 earned taken back, nothing earned")

    def test_refunded_topup_takes_back_its_bonus(self):
        topup = self._till([(self.topup_product, 1, 100.0)], partner=self.member)
        self.assertEqual(self._sv(self.member), (120, 100, 20))
        refund = self._refund(topup.lines, 1, to_sv=False)  # the 100 paid back in cash
        self.assertEqual(refund.store_member_state, "done", refund.store_member_issue)
        self.assertEqual(self._sv(self.member), (0, 0, 0))

    # ------------------------------------------------------------------ paid is paid
    def test_customer_of_a_paid_order_cannot_change(self):
        sale = self._till([(self.product, 1, 80.0)], partner=self.member)
        for user in (self.cashier_a, self.hq_admin):
            with self.assertRaises(UserError):
                sale.with_user(user).write({"partner_id": self.other.id})
            with self.assertRaises(UserError):
                sale.with_user(user).write({"partner_id": False})
        self.assertEqual(sale.partner_id, self.member)
        # A customer may still be set on an anonymous paid order (core's way to invoice it later).
        anonymous = self._till([(self.product, 1, 80.0)])
        anonymous.with_user(self.cashier_a).write({"partner_id": self.other.id})
        self.assertEqual(anonymous.partner_id, self.other)
        self.assertEqual(anonymous.store_points_earned, 0, "setting it later earns nothing")

    def test_lines_and_amounts_of_a_paid_order_cannot_change(self):
        sale = self._till([(self.product, 1, 80.0)], partner=self.member)
        other_sale = self._till([(self.product, 1, 10.0)], partner=self.member)
        line = sale.lines.with_user(self.cashier_a)
        order = sale.with_user(self.cashier_a)
        attempts = [
            lambda: order.write(
                {
                    "lines": [
                        Command.create(
                            {
                                "product_id": self.product.id,
                                "qty": 5,
                                "price_unit": 100.0,
                                "price_subtotal": 500.0,
                                "price_subtotal_incl": 500.0,
                            }
                        )
                    ]
                }
            ),
            lambda: order.write({"lines": [Command.delete(sale.lines.id)]}),
            lambda: order.write({"amount_total": 8000.0}),
            lambda: order.write({"amount_paid": 8000.0}),
            lambda: line.write({"qty": 100}),
            lambda: line.write({"price_unit": 1.0, "price_subtotal_incl": 1.0}),
            lambda: line.write({"discount": 90}),
            lambda: line.write({"order_id": other_sale.id}),
            lambda: (
                self.env["pos.order.line"]
                .with_user(self.cashier_a)
                .create(
                    {
                        "order_id": other_sale.id,
                        "product_id": self.product.id,
                        "qty": 1,
                        "price_unit": 5.0,
                        "price_subtotal": 5.0,
                        "price_subtotal_incl": 5.0,
                    }
                )
            ),
        ]
        for attempt in attempts:
            with self.assertRaises(UserError):
                attempt()
        self.assertEqual((sale.amount_total, sale.lines.qty, sale.lines.price_unit), (80.0, 1, 80.0))
        self.assertEqual(len(other_sale.lines), 1)
        # Writing back what the order says is no change.
        order.write({"amount_total": 80.0, "partner_id": self.member.id})

    def test_core_flows_on_paid_orders_still_work(self):
        sale = self._till([(self.product, 2, 50.0)], partner=self.member)
        self.assertEqual(self._card(self.member).points, 100)
        # Core's refund (the back office's Return Products), paid with its payment wizard.
        refund = sale.with_user(self.hq_admin)._refund()
        self.assertEqual(refund.lines.refunded_orderline_id, sale.lines)
        cash = refund.session_id.config_id.payment_method_ids.filtered("is_cash_count")[:1]
        self.env["pos.make.payment"].with_user(self.hq_admin).with_context(active_id=refund.id).create(
            {"amount": refund.amount_total, "payment_method_id": cash.id}
        ).check()
        self.assertEqual(refund.state, "paid")
        self.assertEqual(refund.store_member_state, "done", refund.store_member_issue)
        self.assertEqual(self._card(self.member).points, 0)
        # Invoicing a paid order.
        other = self._till([(self.product, 1, 30.0)], partner=self.member)
        other.with_user(self.hq_admin).with_context(generate_pdf=False).action_pos_order_invoice()
        self.assertEqual(other.state, "done")
        self.assertTrue(other.account_move)
        # Closing the session.
        session = sale.session_id
        session.with_user(self.hq_admin).action_pos_session_closing_control()
        self.assertEqual(session.state, "closed")

    def test_resent_draft_is_settled_once(self):
        data = self._order_data(self.store_a, [(self.product, 2, 50.0)], partner=self.member)
        data["lines"][0][2]["uuid"] = str(uuid.uuid4())
        data["payment_ids"][0][2]["uuid"] = str(uuid.uuid4())
        data["access_token"] = str(uuid.uuid4())  # the till sends it; core's update reads it
        Order = self.env(user=self.cashier_a)["pos.order"]
        Order.sync_from_ui([dict(copy.deepcopy(data), state="draft")])
        for _n in range(2):  # the answer was lost: the till sends the order again, paid, twice
            Order.sync_from_ui([copy.deepcopy(data)])
        order = self.env["pos.order"].search([("uuid", "=", data["uuid"])])
        self.assertEqual(order.state, "paid")
        self.assertEqual((len(order.lines), len(order.payment_ids)), (1, 1))
        self.assertEqual(order.store_member_state, "done", order.store_member_issue)
        self.assertEqual(self._card(self.member).points, 100, "earned once")
        self.assertEqual(len(order.store_ledger_ids), 1)
