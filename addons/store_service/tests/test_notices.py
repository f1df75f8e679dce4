from odoo.tests import tagged

from .common import ServiceCommon, at


@tagged("post_install", "-at_install")
class TestProgressNotices(ServiceCommon):
    """At each stage of a complaint the member is told who handles it and when it is due, by SMS to
    their full mobile and by e-mail when they have one: queued, never sent here."""

    def _mails(self, ticket):
        return (
            self.env["mail.mail"]
            .sudo()
            .search([("model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id)], order="id")
        )

    def test_each_stage_queues_an_sms_and_a_mail(self):
        self.member.sudo().email = "zhangsan@example.com"
        with at(self.env, "2026-12-07 02:00:00"):
            ticket = self._complaint()
        [sms] = self._sms(ticket)
        self.assertEqual(sms.state, "outgoing", "queued, not sent")
        self.assertEqual(sms.partner_id, self.member)
        self.assertIn(
            "13800138000", sms.number.replace(" ", ""), "the member's full mobile, not the masked one"
        )
        self.assertIn(ticket.number, sms.body)
        self.assertIn("New", sms.body)
        self.assertIn("HQ Customer Service", sms.body, "who handles it")
        self.assertIn("Expected to be resolved by 2026-12-07 14:00", sms.body, "the due time, in China time")
        [mail] = self._mails(ticket)
        self.assertEqual(mail.state, "outgoing")
        self.assertEqual(mail.recipient_ids, self.member)
        self.assertIn(ticket.number, mail.subject)
        self.assertIn("2026-12-07 14:00", str(mail.body_html))

        ticket.with_user(self.hq_admin).write(
            {"stage_id": self.stage_progress.id, "user_id": self.hq_admin.id}
        )
        sms = self._sms(ticket)
        self.assertEqual(len(sms), 2)
        self.assertIn("In Progress", sms[-1].body)
        self.assertIn(self.hq_admin.name, sms[-1].body)
        self.assertEqual(len(self._mails(ticket)), 2)

        ticket.with_user(self.hq_admin).write(
            {"stage_id": self.stage_done.id, "store_resolution": "已换新并赠送水果"}
        )
        sms = self._sms(ticket)
        self.assertEqual(len(sms), 3)
        self.assertIn("Done", sms[-1].body)
        self.assertIn("Resolution: 已换新并赠送水果", sms[-1].body)
        self.assertTrue(all(s.state == "outgoing" for s in sms))
        # helpdesk_mgmt's own closing mail is replaced by the notice
        self.assertEqual(len(self._mails(ticket)), 3)

    def test_no_email_no_mail_and_a_write_without_stage_change_no_notice(self):
        self.member.sudo().email = False
        ticket = self._complaint()
        self.assertFalse(self._mails(ticket))
        ticket.with_user(self.manager_a).write({"name": "苹果变质了"})
        self.assertEqual(len(self._sms(ticket)), 1)

    def test_the_notice_is_in_the_members_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.member.sudo().lang = "zh_CN"
        ticket = self._complaint()
        [sms] = self._sms(ticket)
        self.assertIn("您的投诉", sms.body)
        self.assertIn("总部客服", sms.body)

    def test_help_requests_and_tickets_without_customer_notify_nobody(self):
        ticket = self._complaint(pos_order_id=False, store_kind="help")
        self.assertFalse(self._sms(ticket))
        ticket = self._complaint(pos_order_id=False)
        self.assertFalse(ticket.partner_id)
        self.assertFalse(self._sms(ticket))

    def test_a_caller_cannot_silence_the_notices(self):
        ticket = self._complaint(user=self.cashier_a)
        ticket = ticket.with_user(self.cashier_a).with_context(store_service_no_notice=True)
        ticket.write({"stage_id": self.stage_progress.id})
        self.assertEqual(len(self._sms(ticket)), 2)

    def test_other_helpdesk_tickets_keep_helpdesk_mgmt_behaviour(self):
        """A ticket that is neither a complaint nor a help request (e-mail gateway, portal, the
        Helpdesk app) closes without a resolution and sends no progress notice."""
        ticket = self.env["helpdesk.ticket"].create(
            {"name": "发票问题", "description": "<p>发票抬头错误</p>", "partner_id": self.member.id}
        )
        self.assertFalse(ticket.store_kind)
        ticket.stage_id = self.stage_done
        self.assertTrue(ticket.closed)
        self.assertFalse(self._sms(ticket))
