from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import ServiceCommon, png


@tagged("post_install", "-at_install")
class TestPosHelpRequest(ServiceCommon):
    """一键求助 from the till: the server checks the session (open, of the caller's stores), the
    order (of that session) and the photo, and files the request with HQ's service team."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.session_a = cls._session(cls.store_a)
        cls.session_b = cls._session(cls.store_b)
        cls.draft_a = cls.env["pos.order"].browse(
            cls._sync({**cls._order_data(cls.store_a, [(cls.product, 2, 10.0)]), "state": "draft"}).id
        )

    def _ask(self, session=None, text="冷柜不制冷", order=False, photo=False, user=None):
        Ticket = self.env["helpdesk.ticket"].with_user(user or self.cashier_a)
        session_id = (
            session.id if hasattr(session, "id") else (session if session is not None else self.session_a.id)
        )
        return Ticket.store_pos_help_request(session_id, text, order.id if order else False, photo)

    def test_a_help_request_is_filed_for_hq_with_the_store_and_order(self):
        requests = self._ask(text="顾客投诉苹果变质\n要求退款", order=self.draft_a, photo=png())
        ticket = self.env["helpdesk.ticket"].browse(requests[0]["id"])
        self.assertEqual(ticket.store_kind, "help")
        self.assertEqual(ticket.store_id, self.store_a)
        self.assertEqual(ticket.team_id, self.team)
        self.assertEqual(ticket.category_id, self.cat_help)
        self.assertEqual(ticket.pos_order_id, self.draft_a)
        self.assertEqual(ticket.pos_session_id, self.session_a)
        self.assertFalse(ticket.partner_id, "a store's request, not the customer's: nobody outside is mailed")
        self.assertEqual(ticket.create_uid, self.cashier_a)
        self.assertEqual(ticket.name, "Help: 顾客投诉苹果变质")
        self.assertIn("要求退款", ticket.description)
        self.assertEqual(len(ticket.photo_ids), 1)
        self.assertTrue(ticket.sla_deadline, "due within the help requests' SLA")
        self.assertEqual(requests[0]["stage"], "New")
        self.assertEqual(requests[0]["handler"], "HQ Customer Service")

    def test_the_cashier_sees_hqs_answer(self):
        [info] = self._ask()
        ticket = self.env["helpdesk.ticket"].browse(info["id"])
        ticket.with_user(self.hq_admin).message_post(
            body="维修师傅下午两点到店", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        ticket.with_user(self.hq_admin).message_post(
            body="内部备注", message_type="comment", subtype_xmlid="mail.mt_note"
        )
        ticket.with_user(self.hq_admin).write(
            {"stage_id": self.stage_progress.id, "user_id": self.hq_admin.id}
        )
        [info] = (
            self.env["helpdesk.ticket"].with_user(self.cashier_a).store_pos_help_requests(self.session_a.id)
        )
        self.assertEqual(info["stage"], "In Progress")
        self.assertEqual(info["last_reply"], "维修师傅下午两点到店", "HQ's reply, not its internal note")
        self.assertEqual(info["handler"], self.hq_admin.name)

    def test_the_list_holds_the_stores_requests_only(self):
        self._ask(text="A店求助")
        self._ask(session=self.session_b, text="B店求助", user=self.manager_b)
        names = [
            r["name"]
            for r in self.env["helpdesk.ticket"]
            .with_user(self.cashier_a)
            .store_pos_help_requests(self.session_a.id)
        ]
        self.assertEqual(names, ["Help: A店求助"])
        with self.assertRaises(AccessError):
            self.env["helpdesk.ticket"].with_user(self.cashier_a).store_pos_help_requests(self.session_b.id)

    def test_hostile_session_order_and_values_are_refused(self):
        count = self.env["helpdesk.ticket"].search_count([])
        order_b = self._sync({**self._order_data(self.store_b, [(self.product, 1, 10.0)]), "state": "draft"})
        cases = {
            "another store's session": lambda: self._ask(session=self.session_b),
            "another store's order": lambda: self._ask(order=order_b),
            "a session id that does not exist": lambda: self._ask(session=999999999),
            "a session id that is not a number": lambda: self._ask(session="1 or 1=1"),
            "an order id that is not a number": lambda: (
                self.env["helpdesk.ticket"]
                .with_user(self.cashier_a)
                .store_pos_help_request(self.session_a.id, "x", "5", False)
            ),
        }
        for name, call in cases.items():
            with self.subTest(name), self.assertRaises(UserError):
                call()
        with self.assertRaises(UserError):
            self._ask(text="   ")
        with self.assertRaises(UserError):
            self._ask(text="长" * 2001)
        with self.assertRaises(ValidationError):
            self._ask(photo="R0lGODlhAQABAAAAACw=")
        with self.assertRaises(UserError):
            self._ask(photo={"not": "a photo"})
        self.assertEqual(self.env["helpdesk.ticket"].search_count([]), count, "nothing was filed")

    def test_an_order_of_another_session_of_the_store_is_refused(self):
        second = self.store_a._create_pos_config(name="测试A店2号台")
        second.open_ui()
        other = self.env["pos.order"].create(
            {
                "session_id": second.current_session_id.id,
                "amount_total": 0.0,
                "amount_tax": 0.0,
                "amount_paid": 0.0,
                "amount_return": 0.0,
            }
        )
        self.assertEqual(other.session_id, second.current_session_id)
        with self.assertRaises(AccessError):
            self._ask(order=other)

    def test_a_closed_session_is_refused(self):
        self.session_a.sudo().state = "closed"
        with self.assertRaises(AccessError):
            self._ask()
