from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import ServiceCommon


@tagged("post_install", "-at_install")
class TestSatisfaction(ServiceCommon):
    """投诉满意度: closing a complaint asks its member to rate the service (the closing notice links to
    core's rating page, through helpdesk_mgmt_rating); the report averages the ratings per store and
    category, rated complaints only, each store seeing its own."""

    def _close(self, ticket, user=None):
        ticket.with_user(user or self.hq_admin).write(
            {"stage_id": self.stage_done.id, "store_resolution": "已换新"}
        )

    def _open_rating(self, ticket):
        return ticket.sudo().rating_ids.filtered(lambda r: r.partner_id == self.member and not r.consumed)

    def test_closing_notice_links_to_the_rating_page(self):
        ticket = self._complaint()
        ticket.with_user(self.hq_admin).write({"stage_id": self.stage_progress.id})
        self.assertFalse(self._open_rating(ticket), "no rating asked before the complaint is closed")
        self.assertNotIn("/rate/", self._sms(ticket)[-1].body)

        self._close(ticket)
        rating = self._open_rating(ticket)
        self.assertEqual(len(rating), 1, "one rating request for the member")
        sms = self._sms(ticket)[-1]
        self.assertIn("Resolution: 已换新", sms.body)
        self.assertIn(f"/rate/{rating.access_token}/5", sms.body, "the closing SMS links to the rating page")
        self.assertEqual(sms.state, "outgoing")

        # Reopened and closed again before rating: the same request, not a second one.
        ticket.with_user(self.hq_admin).write({"stage_id": self.stage_progress.id})
        self._close(ticket)
        self.assertEqual(self._open_rating(ticket), rating)
        self.assertIn(f"/rate/{rating.access_token}/5", self._sms(ticket)[-1].body)

    def test_closing_by_the_store_asks_the_rating_too(self):
        # A store manager closes the complaint: the rating request is the server's, not the user's.
        ticket = self._complaint()
        self._close(ticket, user=self.manager_a)
        rating = self._open_rating(ticket)
        self.assertTrue(rating.access_token)
        self.assertIn(rating.access_token, self._sms(ticket)[-1].body)

    def test_rated_complaints_average_per_store_for_each_store(self):
        Ticket = self.env["helpdesk.ticket"]
        domain = self.env.ref("store_service.helpdesk_ticket_action_satisfaction").domain
        rated_a = self._complaint()
        self._close(rated_a)
        rated_a.sudo().rating_apply(1, token=self._open_rating(rated_a).access_token, feedback="太慢")
        other_a = self._complaint()
        self._close(other_a)
        other_a.sudo().rating_apply(5, token=self._open_rating(other_a).access_token)
        unrated_a = self._complaint()
        self._close(unrated_a)
        rated_b = self._complaint(
            user=self.cashier_b, pos_order_id=self.order_b.id, partner_id=self.member.id
        )
        self._close(rated_b)
        rated_b.sudo().rating_apply(5, token=self._open_rating(rated_b).access_token)

        self.assertEqual(rated_a.rating_last_value, 1)
        self.assertFalse(self._open_rating(rated_a), "the rating request is used once")

        domain = safe_eval(domain)

        def averages(user):
            groups = Ticket.with_user(user)._read_group(
                domain, ["store_id"], ["rating_last_value:avg", "__count"]
            )
            return {store: (avg, count) for store, avg, count in groups}

        self.assertEqual(
            averages(self.hq_admin),
            {self.store_a: (3.0, 2), self.store_b: (5.0, 1)},
            "rated complaints only: the unrated one does not count as 0",
        )
        self.assertEqual(averages(self.manager_a), {self.store_a: (3.0, 2)}, "a store sees its own")
        self.assertEqual(averages(self.manager_b), {self.store_b: (5.0, 1)})
