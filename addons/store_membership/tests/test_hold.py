from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.store_pos_ext.models.server_guard import server_write

from .common import MemberCommon


@tagged("post_install", "-at_install")
class TestMemberHold(MemberCommon):
    """Stored value and points are spent by online authorisation, as with a card terminal: the till
    asks the server to hold the amount, the settlement captures that hold, and an order spending
    balance without a valid hold of its own is refused (the goods would leave unpaid)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sv = cls.member._store_member_cards(create=False)["stored_value"]
        cls.sv._store_credit("topup", 100, store=cls.store_a, sv_part="principal")
        cls.other = cls.env["res.partner"].browse(
            cls.env["res.partner"].store_member_register({"mobile": "13800138001", "name": "李四"})["id"]
        )
        cls.other_sv = cls.other._store_member_cards(create=False)["stored_value"]
        cls.other_sv._store_credit("topup", 100, store=cls.store_a, sv_part="principal")

    def _holds(self, data):
        return self.env["store.member.hold"].search([("order_uuid", "=", data["uuid"])])

    def _assert_refused(self, data, user, message):
        before = (self.sv.points, self.other_sv.points)
        with self.assertRaisesRegex(UserError, message), self.cr.savepoint():
            self._sync(dict(data), user)
        self.assertFalse(self.env["pos.order"].search([("uuid", "=", data["uuid"])]), "the sync is refused")
        self.sv.invalidate_recordset()
        self.other_sv.invalidate_recordset()
        self.assertEqual((self.sv.points, self.other_sv.points), before, "nothing debited")

    # ----------------------------------------------------------- authorising
    def test_short_balance_is_refused_at_authorisation(self):
        data = self._sv_order(self.store_a, 120.0)
        answer = self._authorize(data, self.cashier_a)["stored_value"]
        self.assertFalse(answer["authorized"])
        self.assertEqual(answer["available"], 100)
        self.assertIn("Not enough stored value: 100.00 available, 120.00 needed", answer["message"])
        self.assertFalse(self._holds(data))
        self._assert_refused(data, self.cashier_a, "without an authorisation")

    def test_refusal_is_said_in_chinese(self):
        data = self._sv_order(self.store_a, 120.0)
        session = self.env(user=self.cashier_a, context={"lang": "zh_CN"})["pos.session"].browse(
            data["session_id"]
        )
        answer = session.authorize_member_spend(self.member.id, "stored_value", data["uuid"], amount=120)
        self.assertEqual(answer["message"], "储值余额不足：可用 100.00，需要 120.00。")

    def test_two_holds_on_one_card_cannot_exceed_the_balance(self):
        first = self._sv_order(self.store_a, 70.0)
        second = self._sv_order(self.store_b, 50.0)
        self.assertTrue(self._authorize(first, self.cashier_a)["stored_value"]["authorized"])
        answer = self._authorize(second, self.cashier_b)["stored_value"]
        self.assertFalse(answer["authorized"], "70 of 100 are held by the other till")
        self.assertEqual(answer["available"], 30)
        second = self._sv_order(self.store_b, 30.0)
        self.assertTrue(self._authorize(second, self.cashier_b)["stored_value"]["authorized"])
        # Asking again for the same order replaces its hold: never two holds for one order.
        Session = self.env(user=self.cashier_a)["pos.session"].browse(first["session_id"])
        self.assertFalse(
            Session.authorize_member_spend(self.member.id, "stored_value", first["uuid"], amount=80)[
                "authorized"
            ]
        )
        self.assertTrue(
            Session.authorize_member_spend(self.member.id, "stored_value", first["uuid"], amount=60)[
                "authorized"
            ]
        )
        holds = self.env["store.member.hold"].search([("card_id", "=", self.sv.id), ("state", "=", "held")])
        self.assertEqual(sorted(holds.mapped("amount")), [30, 60])
        self.assertLessEqual(sum(holds.mapped("amount")), self.sv.points)

    def test_the_whole_balance_can_be_held(self):
        """A balance of 1.80 made of float sums (101.80 - 100 is 1.7999999999999972) holds 1.80."""
        self.other_sv._store_credit("topup", 1.8, store=self.store_a, sv_part="principal")
        self.other_sv._store_debit("pay", 100, store=self.store_a)
        data = self._sv_order(self.store_a, 1.8, partner=self.other)
        answer = self._authorize(data, self.cashier_a)["stored_value"]
        self.assertTrue(answer["authorized"], answer["message"])

    def test_release_frees_the_balance(self):
        first = self._sv_order(self.store_a, 100.0)
        self._authorize(first, self.cashier_a)
        second = self._sv_order(self.store_b, 100.0)
        self.assertFalse(self._authorize(second, self.cashier_b)["stored_value"]["authorized"])
        session = self.env(user=self.cashier_a)["pos.session"].browse(first["session_id"])
        self.assertEqual(session.release_member_spend(first["uuid"], ["stored_value"]), 1)
        self.assertTrue(self._authorize(second, self.cashier_b)["stored_value"]["authorized"])

    def test_points_hold_is_what_the_reward_costs_on_the_server(self):
        self._card(self.member)._store_credit("adjust", 500, store=self.store_a, reason="test")
        data = self._order_data(
            self.store_a,
            # the browser's points_cost is ignored
            [(self.product, 1, 100.0), self._points_reward_line(4.0, points_cost=1)],
            partner=self.member,
        )
        answer = self._authorize(data, self.cashier_a)["points"]
        self.assertTrue(answer["authorized"])
        self.assertEqual(answer["amount"], 400)
        order = self._sync(data, self.cashier_a)
        self.assertEqual(order.store_points_spent, 400)
        hold = self._holds(data)
        self.assertEqual((hold.state, hold.pos_order_id), ("captured", order))

    # ------------------------------------------------------------ capturing
    def test_hold_is_captured_once_and_a_resync_does_not_fail(self):
        data = self._sv_order(self.store_a, 60.0)
        self._authorize(data, self.cashier_a)
        order = self._sync(dict(data), self.cashier_a)
        self.assertEqual(order.store_member_state, "done", order.store_member_issue)
        hold = self._holds(data)
        self.assertEqual((hold.state, hold.pos_order_id, hold.amount), ("captured", order, 60))
        self.assertEqual(self.sv.points, 40)
        again = self._sync(dict(data), self.cashier_a)  # the till did not get the answer and sends it again
        self.assertEqual(again, order)
        self.assertEqual(self.sv.points, 40, "debited once")
        self.assertEqual(len(order.store_ledger_ids.filtered(lambda h: h.kind == "pay")), 1)
        # A captured hold cannot authorise again.
        self.assertFalse(self._authorize(data, self.cashier_a)["stored_value"]["authorized"])

    def test_hold_of_another_order_is_refused(self):
        held = self._sv_order(self.store_a, 60.0)
        self._authorize(held, self.cashier_a)
        self._assert_refused(self._sv_order(self.store_a, 60.0), self.cashier_a, "without an authorisation")
        # A hold captured by its order is not reused either.
        self._sync(held, self.cashier_a)
        self._assert_refused(self._sv_order(self.store_a, 10.0), self.cashier_a, "without an authorisation")

    def test_expired_hold_is_refused_and_released_by_the_cron(self):
        data = self._sv_order(self.store_a, 60.0)
        self._authorize(data, self.cashier_a)
        hold = self._holds(data)
        with server_write():
            hold.expire_at = fields.Datetime.now() - timedelta(seconds=1)
        self._assert_refused(data, self.cashier_a, "has expired")
        # An expired hold holds nothing: another till may spend the whole balance.
        self.assertTrue(
            self._authorize(self._sv_order(self.store_b, 100.0), self.cashier_b)["stored_value"]["authorized"]
        )
        self.assertGreaterEqual(self.env["store.member.hold"]._cron_expire_holds(), 1)
        self.assertEqual(hold.state, "expired")

    def test_hold_on_another_card_is_refused(self):
        data = self._sv_order(self.store_a, 60.0)
        # The cashier held on one member's card, then the order names another member.
        answer = self._authorize(data, self.cashier_a, partner=self.other)["stored_value"]
        self.assertTrue(answer["authorized"])
        self._assert_refused(data, self.cashier_a, "another member")

    def test_hold_for_less_than_paid_is_refused(self):
        data = self._sv_order(self.store_a, 60.0)
        Session = self.env(user=self.cashier_a)["pos.session"].browse(data["session_id"])
        Session.authorize_member_spend(self.member.id, "stored_value", data["uuid"], amount=10)
        self._assert_refused(data, self.cashier_a, "only 10")

    def test_stored_value_without_member_is_refused(self):
        data = self._order_data(self.store_a, [(self.product, 1, 10.0)], payments=[(self.sv_method, 10.0)])
        self._assert_refused(data, self.cashier_a, "has no member")

    def test_cash_sale_needs_no_hold(self):
        order = self._sync(
            self._order_data(self.store_a, [(self.product, 1, 10.0)], partner=self.member), self.cashier_a
        )
        self.assertEqual(order.state, "paid")

    # ------------------------------------------------------------ isolation
    def test_another_store_can_neither_read_nor_write_holds_nor_hold_on_its_session(self):
        data = self._sv_order(self.store_a, 60.0)
        self._authorize(data, self.cashier_a)
        hold = self._holds(data)
        self.assertEqual(hold.store_id, self.store_a)
        self.assertEqual(
            self.env(user=self.cashier_a)["store.member.hold"].search([("id", "=", hold.id)]), hold
        )
        Hold_b = self.env(user=self.cashier_b)["store.member.hold"]
        self.assertFalse(Hold_b.search([("id", "=", hold.id)]))
        with self.assertRaises(AccessError):
            Hold_b.browse(hold.id).read(["amount"])
        with self.assertRaises(AccessError):
            Hold_b.browse(hold.id).write({"amount": 1000})
        with self.assertRaises(AccessError):
            self.env(user=self.cashier_a)["store.member.hold"].browse(hold.id).write({"state": "released"})
        # Store B's cashier cannot hold on store A's session.
        with self.assertRaises(AccessError):
            self._authorize(self._sv_order(self.store_a, 10.0), self.cashier_b)
        self.assertEqual(self.env["store.member.hold"].search_count([("card_id", "=", self.sv.id)]), 1)

    def test_hold_needs_an_open_session(self):
        data = self._sv_order(self.store_a, 10.0)
        self.env["pos.session"].browse(data["session_id"]).state = "closed"
        with self.assertRaisesRegex(UserError, "not open"):
            self._authorize(data, self.cashier_a)
