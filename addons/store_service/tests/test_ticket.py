from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools.safe_eval import safe_eval

from .common import ServiceCommon, at, png


@tagged("post_install", "-at_install")
class TestTicket(ServiceCommon):
    def test_a_complaint_from_an_order_gets_its_member_and_store(self):
        ticket = self._complaint()
        self.assertEqual(ticket.partner_id, self.member)
        self.assertEqual(ticket.store_id, self.store_a)
        self.assertEqual(ticket.store_kind, "complaint")
        self.assertEqual(ticket.stage_id, self.stage_new)
        self.assertFalse(ticket.partner_email, "a member's e-mail is not copied onto the ticket")

    def test_the_due_time_comes_from_the_sla_of_the_category(self):
        # Monday 10:00 in Shanghai (02:00 UTC): product quality is due 4 service hours later.
        with at(self.env, "2026-12-07 02:00:00"):
            ticket = self._complaint()
            self.assertEqual(ticket.sla_ids, self.env.ref("store_service.helpdesk_sla_quality"))
            self.assertEqual(ticket.sla_deadline, fields.Datetime.from_string("2026-12-07 06:00:00"))
            service = self._complaint(category_id=self.cat_service.id)
            self.assertEqual(service.sla_deadline, fields.Datetime.from_string("2026-12-07 10:00:00"))
        # At 21:00 Shanghai time, 4 hours run into the next day's service hours (08:00-22:00).
        with at(self.env, "2026-12-07 13:00:00"):
            late = self._complaint()
            self.assertEqual(late.sla_deadline, fields.Datetime.from_string("2026-12-08 03:00:00"))

    def test_closing_needs_a_resolution_and_gives_the_handling_time(self):
        with at(self.env, "2026-12-07 02:00:00"):
            ticket = self._complaint()
        ticket = ticket.with_user(self.hq_admin)
        with at(self.env, "2026-12-07 05:30:00"):
            with self.assertRaises(UserError):
                ticket.stage_id = self.stage_done
            ticket.write({"store_resolution": "已为会员更换", "stage_id": self.stage_done.id})
        self.assertTrue(ticket.closed)
        self.assertAlmostEqual(ticket.handling_hours, 3.5)
        self.assertEqual(ticket.ticket_sla_ids.state, "accomplished")

    def test_the_products_concerned_are_lines_of_the_order(self):
        other_line = self.order_b.lines
        with self.assertRaises(ValidationError):
            self._complaint(user=self.hq_admin, pos_order_line_ids=[fields.Command.set(other_line.ids)])
        ticket = self._complaint(pos_order_line_ids=[fields.Command.set(self.order_a.lines.ids)])
        self.assertEqual(ticket.pos_order_line_ids, self.order_a.lines)

    def test_a_store_user_cannot_attach_another_stores_order(self):
        with self.assertRaises(AccessError):
            self._complaint(pos_order_id=self.order_b.id, store_id=self.store_a.id)
        ticket = self._complaint()
        with self.assertRaises(AccessError):
            ticket.with_user(self.cashier_a).pos_order_id = self.order_b

    def test_only_hq_gives_a_ticket_to_another_store(self):
        with self.assertRaises(AccessError):
            self._complaint(handling_store_id=self.store_b.id)
        ticket = self._complaint()
        with self.assertRaises(AccessError):
            ticket.with_user(self.manager_a).handling_store_id = self.store_b
        with self.assertRaises(AccessError):
            ticket.with_user(self.manager_a).pos_session_id = self.order_a.session_id
        ticket.with_user(self.hq_admin).handling_store_id = self.store_b
        self.assertEqual(ticket.handling_store_id, self.store_b)
        self.assertTrue(ticket.with_user(self.hq_admin).store_can_assign)
        self.assertFalse(ticket.with_user(self.manager_a).store_can_assign)

    def test_store_staff_cannot_change_the_sla_lines(self):
        ticket = self._complaint()
        sla_line = ticket.ticket_sla_ids.with_user(self.manager_a)
        self.assertTrue(sla_line.deadline, "store staff read the due time")
        with self.assertRaises(AccessError):
            sla_line.write({"deadline": fields.Datetime.now() + timedelta(days=30)})
        with self.assertRaises(AccessError):
            sla_line.unlink()
        # the stage change by the store still updates the SLA line (by the server)
        ticket.with_user(self.manager_a).write({"store_resolution": "已退款", "stage_id": self.stage_done.id})
        self.assertEqual(ticket.ticket_sla_ids.state, "accomplished")

    def test_photos_are_checked_like_sop_photos(self):
        ticket = self._complaint()
        Photo = self.env["helpdesk.ticket.photo"].with_user(self.cashier_a)
        photo = Photo.create({"ticket_id": ticket.id, "photo": png(), "name": "变质的苹果"})
        self.assertEqual(ticket.photo_ids, photo)
        self.assertEqual(ticket.photo_count, 1)
        with self.assertRaisesRegex(ValidationError, "only JPG/PNG/WEBP"):
            Photo.create({"ticket_id": ticket.id, "photo": "R0lGODlhAQABAAAAACw="})  # a GIF
        with self.assertRaisesRegex(ValidationError, "could not be read"):
            Photo.create({"ticket_id": ticket.id, "photo": "not base64!"})
        with self.assertRaises(AccessError):
            photo.with_user(self.cashier_a).photo = png(color=(0, 0, 0))
        with self.assertRaises(AccessError):
            self.env["ir.attachment"].with_user(self.hq_admin).create(
                {"name": "x", "res_model": "helpdesk.ticket.photo", "res_field": "photo", "res_id": photo.id}
            )

    def test_buttons_prefill_a_complaint_from_an_order_and_a_member(self):
        action = self.order_a.with_user(self.cashier_a).action_store_new_ticket()
        ctx = action["context"]
        self.assertEqual(
            (ctx["default_pos_order_id"], ctx["default_partner_id"], ctx["default_store_id"]),
            (self.order_a.id, self.member.id, self.store_a.id),
        )
        ticket = (
            self.env["helpdesk.ticket"]
            .with_user(self.cashier_a)
            .with_context(**ctx)
            .create({"description": "<p>坏了</p>", "team_id": self.team.id})
        )
        self.assertEqual(
            (ticket.partner_id, ticket.pos_order_id, ticket.store_id),
            (self.member, self.order_a, self.store_a),
        )
        self.assertEqual(self.order_a.with_user(self.cashier_a).store_ticket_count, 1)
        member_action = self.member.with_user(self.cashier_a).action_store_new_ticket()
        self.assertEqual(member_action["context"]["default_partner_id"], self.member.id)
        self.assertEqual(self.member.with_user(self.cashier_a).store_ticket_count, 1)
        tickets = self.member.with_user(self.cashier_a).action_store_tickets()
        self.assertEqual(self.env["helpdesk.ticket"].search(tickets["domain"]), ticket)

    def test_store_staff_file_a_complaint_in_the_web_client(self):
        """The complaint form as a cashier opens it from an order: prefilled, saved in their store,
        the member's e-mail never in the form."""
        self.member.sudo().email = "zhangsan@example.com"
        ctx = self.order_a.with_user(self.cashier_a).action_store_new_ticket()["context"]
        with Form(self.env["helpdesk.ticket"].with_user(self.cashier_a).with_context(**ctx)) as form:
            self.assertEqual(form.partner_id, self.member)
            self.assertFalse(form.partner_email)
            self.assertFalse(form.user_id, "a cashier is not the handler of what they record")
            form.category_id = self.cat_quality
            form.team_id = self.team
            form.description = "<p>苹果变质</p>"
            form.pos_order_line_ids.add(self.order_a.lines[0])
        ticket = form.record
        self.assertEqual((ticket.store_id, ticket.pos_order_id), (self.store_a, self.order_a))
        self.assertTrue(ticket.sla_deadline)
        self.assertFalse(ticket.partner_email)

    def test_handling_time_per_store_is_the_average_of_its_closed_complaints(self):
        """投诉处理时长: the pivot's measure, averaged per store over closed complaints."""
        for opened, closed in (
            ("2026-12-07 02:00:00", "2026-12-07 04:00:00"),
            ("2026-12-07 03:00:00", "2026-12-07 07:00:00"),
        ):
            with at(self.env, opened):
                ticket = self._complaint()
            with at(self.env, closed):
                ticket.with_user(self.hq_admin).write(
                    {"store_resolution": "已处理", "stage_id": self.stage_done.id}
                )
        self._complaint()  # still open: not counted
        action = self.env.ref("store_service.helpdesk_ticket_action_handling_time")
        groups = (
            self.env["helpdesk.ticket"]
            .with_user(self.manager_a)
            ._read_group(safe_eval(action.domain), ["store_id"], ["handling_hours:avg", "__count"])
        )
        self.assertEqual(
            [(store, round(hours, 2), count) for store, hours, count in groups], [(self.store_a, 3.0, 2)]
        )
