from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from .common import ServiceCommon


@tagged("post_install", "-at_install")
class TestPosHelpTour(ServiceCommon, HttpCase):
    """一键求助 in Chromium: the cashier sees HQ's answer to an earlier request in the till, then
    sends a new one with the current order; it reaches HQ's service team with the store."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Core's tour helpers match English texts; the test databases only have Chinese active.
        cls.env["res.lang"]._activate_lang("en_US")
        cls.pos_cashier = new_test_user(
            cls.env, login="t_help_cashier", groups="store_pos_ext.group_store_user", lang="en_US"
        )
        cls.pos_cashier.store_ids = [Command.set(cls.store_a.ids)]
        cls.config = cls.store_a.pos_config_ids[:1]

    def test_help_request_from_the_till(self):
        self.config.with_user(self.pos_cashier).open_ui()
        session = self.config.current_session_id
        [earlier] = (
            self.env["helpdesk.ticket"]
            .with_user(self.pos_cashier)
            .store_pos_help_request(session.id, "冷柜不制冷", False, False)
        )
        earlier = self.env["helpdesk.ticket"].browse(earlier["id"])
        earlier.with_user(self.hq_admin).message_post(
            body="维修师傅下午两点到店", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        earlier.with_user(self.hq_admin).stage_id = self.stage_progress
        self.start_tour(f"/pos/ui/{self.config.id}", "store_help_request", login=self.pos_cashier.login)
        ticket = self.env["helpdesk.ticket"].search(
            [("store_kind", "=", "help"), ("id", "!=", earlier.id), ("store_id", "=", self.store_a.id)]
        )
        self.assertEqual(len(ticket), 1)
        self.assertIn("顾客投诉苹果变质", ticket.description)
        self.assertEqual(ticket.team_id, self.team)
        self.assertEqual(ticket.pos_session_id, self.config.current_session_id)
        self.assertEqual(ticket.pos_order_id.lines.product_id, self.product, "the till's current order")
        self.assertEqual(ticket.pos_order_id.state, "draft")
