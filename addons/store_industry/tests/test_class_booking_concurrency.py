import threading
import time
from datetime import timedelta

from psycopg2.errors import SerializationFailure

from odoo import api, fields
from odoo.modules.registry import Registry
from odoo.orm.environments import Transaction
from odoo.tests import BaseCase, tagged
from odoo.tests.common import get_db_name

from odoo.addons.store_pos_ext.models.server_guard import server_write


@tagged("post_install", "-at_install")
class TestClassBookingConcurrency(BaseCase):
    """Two transactions book the last seat of a class at once: the second waits for the first's
    row lock on the class, fails to serialize when the first commits, and, retried as Odoo retries
    a request, counts the first one's seat and goes to the waitlist. Runs on committed data
    (two real connections), removed at the end; needs a store in the database."""

    def setUp(self):
        super().setUp()
        self.registry = Registry(get_db_name())
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {"tracking_disable": True})
            store = env["store.store"].search([], limit=1)
            if not store:
                self.skipTest("no store in the database")
            Partner = env["res.partner"]
            stamp = int(time.time() * 1000) % 100000000
            self.member_ids = [
                Partner.store_member_register({"mobile": f"139{stamp + n:08d}", "name": f"并发测试会员{n}"})[
                    "id"
                ]
                for n in (1, 2)
            ]
            start = fields.Datetime.now() + timedelta(days=1)
            self.session_id = (
                env["store.class.session"]
                .create(
                    {
                        "store_id": store.id,
                        "name": "并发测试课",
                        "capacity": 1,
                        "start": start,
                        "stop": start + timedelta(hours=1),
                    }
                )
                .id
            )
        self.addCleanup(self._clean)

    def _clean(self):
        with self.registry.cursor() as cr, server_write():
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            session = env["store.class.session"].browse(self.session_id)
            session.booking_ids.unlink()
            session.unlink()
            env["res.partner"].browse(self.member_ids).unlink()

    def _book(self, cr, member_id):
        # the test runner holds the registries' lock: give the cursor its transaction directly
        cr.transaction = cr.transaction or Transaction(self.registry)
        env = api.Environment(cr, api.SUPERUSER_ID, {"tracking_disable": True})
        return (
            env["store.class.booking"].create({"session_id": self.session_id, "partner_id": member_id}).state
        )

    def test_the_last_seat_booked_twice_at_once_one_waits(self):
        result = {}

        def second():
            for _attempt in range(2):  # retried once, as Odoo retries a request
                try:
                    with self.registry.cursor() as cr:
                        result["state"] = self._book(cr, self.member_ids[1])
                    return
                except SerializationFailure:
                    result["conflict"] = True

        with self.registry.cursor() as cr_first:
            self.assertEqual(self._book(cr_first, self.member_ids[0]), "booked")
            thread = threading.Thread(target=second)
            thread.start()
            thread.join(1.0)
            self.assertTrue(thread.is_alive(), "the second booking waits for the first's lock")
            cr_first.commit()
        thread.join(30)
        self.assertFalse(thread.is_alive())
        self.assertTrue(result.get("conflict"), "the second booking counted from a stale snapshot")
        self.assertEqual(result.get("state"), "waitlist")
