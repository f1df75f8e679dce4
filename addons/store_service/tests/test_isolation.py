from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import ServiceCommon, png


@tagged("post_install", "-at_install")
class TestTicketIsolation(ServiceCommon):
    """A store's tickets are its own: another store can neither read nor write them, even when it
    follows them; HQ reads every ticket; a ticket HQ gives to a store is that store's too."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ticket = cls._complaint()
        cls.photo = cls.env["helpdesk.ticket.photo"].create({"ticket_id": cls.ticket.id, "photo": png()})
        cls.cashier_c = new_test_user(cls.env, login="t_cashier_c", groups="store_pos_ext.group_store_user")
        cls.cashier_c.store_ids = [Command.set(cls.store_c.ids)]

    def _readable(self, user, record):
        return bool(record.with_user(user).search([("id", "=", record.id)]))

    def test_another_store_can_neither_read_nor_write(self):
        for user in (self.manager_b, self.cashier_c):
            with self.subTest(user=user.login):
                self.assertFalse(self._readable(user, self.ticket))
                self.assertFalse(self._readable(user, self.photo))
                with self.assertRaises(AccessError):
                    self.ticket.with_user(user).read(["name"])
                with self.assertRaises(AccessError):
                    self.ticket.with_user(user).write({"name": "改了"})
                with self.assertRaises(AccessError):
                    self.photo.with_user(user).read(["photo"])
                with self.assertRaises(AccessError):
                    self.env["helpdesk.ticket.photo"].with_user(user).create(
                        {"ticket_id": self.ticket.id, "photo": png()}
                    )

    def test_following_a_ticket_does_not_open_it_to_another_store(self):
        # helpdesk_mgmt lets an internal user read the tickets they follow or are the contact of
        self.ticket.message_subscribe(partner_ids=self.manager_b.partner_id.ids)
        self.ticket.partner_id = self.manager_b.partner_id
        self.assertFalse(self._readable(self.manager_b, self.ticket))
        with self.assertRaises(AccessError):
            self.ticket.with_user(self.manager_b).write({"name": "改了"})

    def test_a_store_user_cannot_create_a_ticket_of_another_store(self):
        with self.assertRaises(AccessError):
            self._complaint(user=self.cashier_a, store_id=self.store_b.id, pos_order_id=False)

    def test_a_store_user_cannot_move_a_ticket_out_of_their_stores(self):
        with self.assertRaises(AccessError):
            self.ticket.with_user(self.manager_a).store_id = self.store_b
        self.assertEqual(self.ticket.store_id, self.store_a)

    def test_own_store_region_and_hq_read(self):
        self.assertTrue(self._readable(self.cashier_a, self.ticket))
        self.assertTrue(self._readable(self.region_mgr, self.ticket))
        self.assertTrue(self._readable(self.analyst, self.ticket))
        self.assertTrue(self._readable(self.analyst, self.photo))
        with self.assertRaises(AccessError):
            self.ticket.with_user(self.analyst).write({"name": "改了"})
        self.ticket.with_user(self.manager_a).write({"name": "苹果变质（已核实）"})

    def test_a_ticket_given_to_a_store_is_that_stores_too(self):
        self.ticket.with_user(self.hq_admin).handling_store_id = self.store_b
        self.assertTrue(self._readable(self.manager_b, self.ticket))
        self.assertTrue(self._readable(self.manager_b, self.photo))
        self.ticket.with_user(self.manager_b).write({"stage_id": self.stage_progress.id})
        self.assertEqual(self.ticket.stage_id, self.stage_progress)
        self.assertTrue(self._readable(self.cashier_a, self.ticket), "still store A's ticket")
        # store B cannot open store A's order, but sees what the complaint is about
        ticket_b = self.ticket.with_user(self.manager_b)
        self.assertFalse(ticket_b.store_can_read_order)
        self.assertIn(self.order_a.name, ticket_b.pos_order_summary)
        self.assertIn("测试商品 × 1", ticket_b.pos_order_summary)
        self.assertTrue(self.ticket.with_user(self.cashier_a).store_can_read_order)
