from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import MemberCommon


@tagged("post_install", "-at_install")
class TestMemberLookupLimit(MemberCommon):
    """A lookup by full mobile is an oracle for the masked numbers: every lookup is logged, a user
    gets the company's hourly number of them, and reaching it alerts the HQ member admins."""

    def _lookup(self, query):
        return self.env["res.partner"].with_user(self.cashier_a).store_member_lookup(query)

    def _logs(self, kind):
        return self.env["store.member.unmask.log"].search(
            [("user_id", "=", self.cashier_a.id), ("kind", "=", kind)]
        )

    def test_lookups_are_logged_limited_and_alert_hq(self):
        self.env.company.store_member_lookup_hourly_limit = 3
        self.assertEqual(self._lookup("13800138000")["id"], self.member.id)
        self.assertFalse(self._lookup("13800138001"))
        self._lookup(self.member.member_number)
        logs = self._logs("lookup")
        self.assertEqual(len(logs), 3)
        self.assertEqual(
            set(logs.mapped("reason")), {"138****8000", "138****8001", self.member.member_number}
        )
        self.assertEqual(logs.filtered("partner_id").partner_id, self.member)
        # Not Odoo's assertRaises: its savepoint would undo the alert, which a real request keeps
        # (written on a cursor of its own) although the refusal rolls the request back.
        for _attempt in range(2):
            try:
                self._lookup("13800138000")
            except UserError as exc:
                self.assertIn("Too many member lookups", str(exc))
            else:
                self.fail("the lookup beyond the limit was answered")
        self.assertEqual(len(self._logs("lookup")), 3, "a refused lookup finds nothing")
        self.assertEqual(len(self._logs("alert")), 1, "one alert an hour")
        activities = self.env["mail.activity"].search(
            [("res_model", "=", "res.partner"), ("res_id", "=", self.cashier_a.partner_id.id)]
        )
        self.assertIn(self.hq_admin, activities.user_id)
        self.assertIn(self.cashier_a.name, activities[:1].note)
        # Registration finds the existing member through the same lookup: refused too.
        with self.assertRaises(UserError):
            self.env["res.partner"].with_user(self.cashier_a).store_member_register(
                {"mobile": "13800138000", "name": "张三"}
            )
        # Another cashier is not limited by the first one's lookups.
        self.assertEqual(
            self.env["res.partner"].with_user(self.cashier_b).store_member_lookup("13800138000")["id"],
            self.member.id,
        )

    def test_no_limit_still_logs(self):
        self.env.company.store_member_lookup_hourly_limit = 0
        for _n in range(5):
            self._lookup("13800138000")
        self.assertEqual(len(self._logs("lookup")), 5)
        self.assertFalse(self._logs("alert"))
