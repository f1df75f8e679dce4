from datetime import timedelta
from unittest.mock import patch

from lxml import etree
from psycopg2 import IntegrityError

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import FitnessCommon


@tagged("post_install", "-at_install")
class TestClassIsolation(FitnessCommon):
    def test_own_store_writes_hq_reads_another_store_sees_nothing(self):
        booking = self._book(self.cashier_a, self.session_a, self.members[0])
        self.assertEqual(self.Session.with_user(self.cashier_a).search([]), self.session_a)
        self.session_a.with_user(self.cashier_a).write({"room": "二号单车房"})
        # store B neither reads nor writes store A's class or booking
        for user in (self.manager_b, self.cashier_b):
            self.assertFalse(self.Session.with_user(user).search([]))
            self.assertFalse(self.Booking.with_user(user).search([]))
            with self.assertRaises(AccessError):
                self.session_a.with_user(user).read(["name"])
            with self.assertRaises(AccessError):
                self.session_a.with_user(user).write({"capacity": 50})
            with self.assertRaises(AccessError):
                booking.with_user(user).read(["state"])
            with self.assertRaises(AccessError):
                booking.with_user(user).action_check_in()
            with self.assertRaises(AccessError):
                booking.with_user(user).action_cancel()
            with self.assertRaises(AccessError):
                self.session_a.with_user(user).action_cancel()
        self.assertEqual(booking.state, "booked")
        self.assertEqual(self.session_a.capacity, 2)
        # HQ reads every store's and writes none
        self.assertEqual(self.Booking.with_user(self.analyst).search([]), booking)
        self.assertIn(self.session_a, self.Session.with_user(self.analyst).search([]))
        with self.assertRaises(AccessError):
            self.session_a.with_user(self.hq_admin).write({"capacity": 50})
        with self.assertRaises(AccessError):
            booking.with_user(self.analyst).action_check_in()

    def test_another_stores_class_is_refused_to_a_store_user(self):
        with self.assertRaises(AccessError):
            self._book(self.cashier_b, self.session_a, self.members[0])
        # naming its own store does not help: the booking belongs to the class's store
        with self.assertRaises(AccessError):
            self._book(self.cashier_b, self.session_a, self.members[0], store_id=self.store_b.id)
        with self.assertRaises(AccessError):
            self._class(self.store_a).with_user(self.cashier_b).copy()
        with self.assertRaises(AccessError):
            self.Session.with_user(self.cashier_b).create(
                {"store_id": self.store_a.id, "name": "x", "start": fields.Datetime.now() + timedelta(days=1),
                 "stop": fields.Datetime.now() + timedelta(days=1, hours=1)}
            )  # fmt: skip
        self.assertFalse(self.Booking.search([("session_id", "=", self.session_a.id)]))
        # a booking's store is its class's, whatever the caller sends
        booking = self._book(self.cashier_a, self.session_a, self.members[0], store_id=self.store_a.id)
        self.assertEqual(booking.store_id, self.store_a)

    def test_a_booking_cannot_be_moved_or_its_state_forged(self):
        session_b = self._class(self.store_b)
        other_a = self._class(self.store_a)
        booking = self._book(self.cashier_a, self.session_a, self.members[0])
        as_cashier = booking.with_user(self.cashier_a)
        with self.assertRaises(UserError):
            as_cashier.write({"session_id": session_b.id})
        with self.assertRaises(UserError):
            as_cashier.write({"session_id": other_a.id})
        with self.assertRaises(UserError):
            as_cashier.write({"partner_id": self.members[1].id})
        with self.assertRaises(AccessError):
            as_cashier.write({"state": "checked_in"})
        with self.assertRaises(AccessError):
            as_cashier.write({"checked_in_by_id": self.cashier_a.id})
        with self.assertRaises(AccessError):
            self._book(self.cashier_a, self.session_a, self.members[1], state="checked_in")
        with self.assertRaises(UserError):
            self.session_a.with_user(self.cashier_a).write({"state": "done"})
        self.assertEqual((booking.session_id, booking.state), (self.session_a, "booked"))
        # a class with bookings stays at its store (even for a user of both stores)
        with self.assertRaises(UserError):
            self.session_a.write({"store_id": self.store_b.id})
        # another store's coach is refused
        with self.assertRaises(ValidationError):
            self.session_a.with_user(self.cashier_a).write({"employee_id": self.coach_b.id})

    def test_cashier_sees_the_members_phone_masked(self):
        booking = self._book(self.cashier_a, self.session_a, self.members[0])
        values = booking.with_user(self.cashier_a).read(["partner_phone", "partner_id"])[0]
        self.assertEqual(values["partner_phone"], "138****8011")
        self.assertNotIn(self.mobiles[0], repr(values))
        with self.assertRaises(AccessError):
            booking.with_user(self.cashier_a).partner_id.read(["member_mobile"])


@tagged("post_install", "-at_install")
class TestClassBooking(FitnessCommon):
    def test_a_full_class_waitlists_and_a_cancelled_seat_promotes_the_first(self):
        first, second, third = (self._book(self.cashier_a, self.session_a, m) for m in self.members)
        self.assertEqual([first.state, second.state, third.state], ["booked", "booked", "waitlist"])
        self.assertEqual((self.session_a.seats_left, self.session_a.waitlist_count), (0, 1))
        # a booked member leaves: the first of the waitlist gets the seat
        first.with_user(self.cashier_a).action_cancel()
        self.assertEqual((first.state, third.state), ("cancelled", "booked"))
        self.assertIn("moved from the waitlist to booked", third.message_ids[:1].body)
        activity = third.activity_ids
        self.assertEqual(activity.user_id, self.manager_a)
        self.assertIn("测试会员3", activity.summary)
        # the member who left may book again: the class is full, so they wait; a waitlisted
        # member leaving frees no seat
        again = self._book(self.cashier_a, self.session_a, self.members[0])
        self.assertEqual(again.state, "waitlist")
        again.with_user(self.cashier_a).action_cancel()
        self.assertEqual((second.state, third.state), ("booked", "booked"))

    def test_more_seats_move_the_waitlist_up(self):
        bookings = [self._book(self.cashier_a, self.session_a, m) for m in self.members]
        self.assertEqual(bookings[2].state, "waitlist")
        self.session_a.with_user(self.cashier_a).capacity = 3
        self.assertEqual(bookings[2].state, "booked")

    def test_only_members_book(self):
        supplier = self.env["res.partner"].create({"name": "测试供应商", "phone": "13900139000"})
        with self.assertRaisesRegex(ValidationError, "Only members"):
            self._book(self.cashier_a, self.session_a, supplier)

    def test_two_bookings_of_the_last_seat_at_once_one_waits(self):
        self._book(self.cashier_a, self.session_a, self.members[0])
        both = self.Booking.with_user(self.cashier_a).create(
            [{"session_id": self.session_a.id, "partner_id": m.id} for m in self.members[1:]]
        )
        self.assertEqual(both.mapped("state"), ["booked", "waitlist"])
        self.assertEqual(self.session_a.seats_taken, 2)

    def test_booking_locks_the_class_row(self):
        """Two tills booking the last seat are counted one after the other: booking takes the
        class's row lock before counting its seats."""
        queries = []
        execute = type(self.env.cr).execute

        def spy(cr, query, params=None, log_exceptions=True):
            queries.append(str(query))
            return execute(cr, query, params, log_exceptions)

        with patch.object(type(self.env.cr), "execute", spy):
            self._book(self.cashier_a, self.session_a, self.members[0])
        lock = next(
            i
            for i, q in enumerate(queries)
            if q.startswith("UPDATE store_class_session SET write_date = write_date")
        )
        count = next(i for i, q in enumerate(queries) if 'FROM "store_class_booking"' in q)
        self.assertLess(lock, count)

    def test_no_double_booking_not_even_in_one_request(self):
        self._book(self.cashier_a, self.session_a, self.members[0])
        with self.assertRaisesRegex(ValidationError, "already booked"):
            self._book(self.cashier_a, self.session_a, self.members[0])
        with self.assertRaises(ValidationError):
            self.Booking.with_user(self.cashier_a).create(
                [{"session_id": self.session_a.id, "partner_id": self.members[1].id}] * 2
            )
        # the database refuses it too (two requests that both passed the check)
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self.env.cr.execute(
                "INSERT INTO store_class_booking (session_id, partner_id, store_id, state) "
                "VALUES (%s, %s, %s, 'waitlist')",
                [self.session_a.id, self.members[0].id, self.store_a.id],
            )

    def test_no_booking_of_a_past_or_cancelled_class(self):
        past = self._class(self.store_a, start=fields.Datetime.now() - timedelta(hours=2))
        with self.assertRaisesRegex(ValidationError, "already started"):
            self._book(self.cashier_a, past, self.members[0])
        booking = self._book(self.cashier_a, self.session_a, self.members[0])
        self.session_a.with_user(self.cashier_a).action_cancel()
        self.assertEqual((self.session_a.state, booking.state), ("cancelled", "cancelled"))
        with self.assertRaisesRegex(ValidationError, "not open for booking"):
            self._book(self.cashier_a, self.session_a, self.members[1])
        with self.assertRaises(UserError):
            booking.with_user(self.cashier_a).action_check_in()

    def test_check_in_records_who_and_no_show_moves_nothing(self):
        booking, other = (self._book(self.cashier_a, self.session_a, m) for m in self.members[:2])
        booking.with_user(self.cashier_a).action_check_in()
        self.assertEqual((booking.state, booking.checked_in_by_id), ("checked_in", self.cashier_a))
        self.assertTrue(booking.checked_in_at)
        with self.assertRaises(UserError):
            booking.with_user(self.cashier_a).action_check_in()  # once
        with self.assertRaises(UserError):
            other.with_user(self.cashier_a).action_no_show()  # not before the class starts
        self.env.company.store_class_no_show_policy = "consume"
        self.session_a.write({"start": fields.Datetime.now() - timedelta(minutes=5)})
        other.with_user(self.cashier_a).action_no_show()
        self.assertEqual((other.state, other.no_show_policy), ("no_show", "consume"))
        self.assertEqual(self.session_a.checked_in_count, 1)

    def test_coach_check_ins_per_month(self):
        for member in self.members[:2]:
            self._book(self.cashier_a, self.session_a, member).action_check_in()
        groups = self.Booking.with_user(self.analyst)._read_group(
            [("state", "=", "checked_in")], ["employee_id", "session_start:month"], ["__count"]
        )
        self.assertEqual([(g[0], g[2]) for g in groups], [(self.coach_a, 2)])
        self.assertEqual(
            self.Session._read_group([("employee_id", "=", self.coach_a.id)], [], ["checked_in_count:sum"]),
            [(2,)],
        )


@tagged("post_install", "-at_install")
class TestFitnessViews(FitnessCommon):
    def test_fitness_actions_open_for_every_role(self):
        booking = self._book(self.cashier_a, self.session_a, self.members[0])
        booking.with_user(self.cashier_a).action_check_in()
        actions = (
            self.env.ref("store_industry.store_class_session_action")
            | self.env.ref("store_industry.store_class_booking_action")
            | self.env.ref("store_industry.store_class_booking_coach_action")
        )
        for user in (self.hq_admin, self.analyst, self.manager_a, self.cashier_a):
            for action in actions:
                Model = self.env[action.res_model].with_user(user)
                with self.subTest(user=user.login, action=action.name):
                    views = [[False, mode] for mode in action.view_mode.split(",")] + [[False, "search"]]
                    result = Model.get_views(views)
                    records = Model.search([], limit=5)
                    self.assertTrue(records)
                    for mode in ("list", "form", "calendar"):
                        if mode in result["views"]:
                            root = etree.fromstring(result["views"][mode]["arch"])
                            spec = {}
                            for node in root.iter("field"):
                                if any(parent.tag == "field" for parent in node.iterancestors()):
                                    continue
                                spec[node.get("name")] = {}
                            if "booking_ids" in spec:
                                spec["booking_ids"] = {
                                    "fields": {
                                        "partner_id": {},
                                        "partner_phone": {},
                                        "state": {},
                                        "checked_in_by_id": {},
                                    }
                                }
                            values = records.web_read(spec)
                            self.assertNotIn(self.mobiles[0], repr(values))
