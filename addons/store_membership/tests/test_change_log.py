from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import MemberCommon


@tagged("post_install", "-at_install")
class TestChangeLog(MemberCommon):
    """The chain's rules (points and stored-value programs, their rules and rewards, top-up bonus
    rules, tiers) are changed by HQ only; changes of tiers and bonus rules are logged (OCA
    auditlog): who, when, old -> new."""

    def _changes(self, record, field):
        return self.env["auditlog.log.line"].search(
            [
                ("log_id.model_model", "=", record._name),
                ("log_id.res_id", "=", record.id),
                ("field_name", "=", field),
                ("log_id.method", "=", "write"),
            ]
        )

    def test_hq_changes_of_tiers_and_bonus_rules_are_logged_with_old_and_new_values(self):
        self.tier_gold.with_user(self.hq_admin).write({"threshold": 2000})
        line = self._changes(self.tier_gold, "threshold")
        self.assertEqual((line.old_value_text, line.new_value_text), ("1000.0", "2000.0"))
        self.assertEqual(line.log_id.user_id, self.hq_admin)

    def test_store_staff_cannot_change_chain_rules(self):
        rule = self.points_program.rule_ids[:1]
        for user in (self.manager_a, self.cashier_a):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    rule.with_user(user).write({"reward_point_amount": 1000})
                with self.assertRaises(AccessError):
                    self.points_program.with_user(user).write({"name": "改了"})
                with self.assertRaises(AccessError):
                    self.tier_gold.with_user(user).write({"threshold": 1})
        self.assertEqual(rule.reward_point_amount, 1)
