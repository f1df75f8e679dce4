from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import FreshCommon


@tagged("post_install", "-at_install")
class TestMarkdownApply(FreshCommon):
    def test_store_manager_apply_waits_for_hq(self):
        proposal = self._run(3).with_user(self.manager_a)
        proposal.action_apply()
        promotion = proposal.promotion_id
        self.assertEqual(proposal.state, "applied")
        self.assertRecordValues(
            promotion,
            [{"state": "submitted", "template": "flash", "percent": 30.0, "scope": "stores",
              "date_to": self.expiry_day, "proposed_by_id": self.manager_a.id}],
        )  # fmt: skip
        self.assertEqual(promotion.store_ids, self.store_a)
        self.assertEqual(promotion.product_ids, self.milk)
        self.assertFalse(promotion.program_id.active, "not running before HQ approves it")
        promotion.with_user(self.hq_admin).action_approve()
        self.assertEqual(promotion.state, "running")

    def test_hq_apply_runs_at_once(self):
        proposal = self._run(3).with_user(self.hq_admin)
        proposal.action_apply()
        self.assertEqual(proposal.promotion_id.state, "running")

    def test_cashier_cannot_apply(self):
        proposal = self._run(3)
        with self.assertRaises(UserError):
            proposal.with_user(self.cashier_a).action_apply()
        self.assertEqual(proposal.state, "proposed")
        self.assertFalse(proposal.promotion_id)

    def test_other_store_manager_cannot_apply(self):
        proposal = self._run(3)
        with self.assertRaises(AccessError):
            proposal.with_user(self.manager_b).action_apply()
        self.assertEqual(proposal.state, "proposed")

    def test_only_a_proposed_markdown_is_applied_once(self):
        proposal = self._run(3).with_user(self.manager_a)
        proposal.action_apply()
        with self.assertRaises(UserError):
            proposal.action_apply()
        self.assertEqual(self.env["store.promotion"].search_count([("product_ids", "in", self.milk.ids)]), 1)
