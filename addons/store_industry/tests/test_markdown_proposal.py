from datetime import timedelta

from odoo.tests import tagged

from .common import FreshCommon


@tagged("post_install", "-at_install")
class TestMarkdownProposal(FreshCommon):
    def test_proposed_on_the_day_of_its_tier_not_before(self):
        self.assertFalse(self._run(4), "4 days before expiry: no tier of 3 days or fewer applies yet")
        proposal = self._run(3)
        self.assertEqual(len(proposal), 1)
        self.assertRecordValues(
            proposal,
            [{"store_id": self.store_a.id, "lot_id": self.lot.id, "state": "proposed", "percent": 30.0,
              "days_left": 3, "qty_on_hand": 12.0, "expiration_date": self.lot.expiration_date}],
        )  # fmt: skip
        self.assertEqual(proposal.date_proposed, self.expiry_day - timedelta(days=3))

    def test_second_run_of_the_day_creates_nothing(self):
        first = self._run(3)
        again = self._run(3)
        self.assertEqual(again, first)
        self.assertEqual(first.percent, 30.0)

    def test_pending_proposal_moves_to_the_deeper_tier(self):
        first = self._run(3)
        self.assertEqual(self._run(2), first, "2 days before: still the 3-day tier, nothing new")
        self.assertEqual(first.percent, 30.0)
        self.assertEqual(self._run(1), first, "a pending proposal is raised, not doubled")
        self.assertEqual((first.percent, first.days_left), (50.0, 1))

    def test_applied_proposal_gets_a_new_one_for_the_deeper_tier(self):
        first = self._run(3)
        first.with_user(self.hq_admin).action_apply()
        proposals = self._run(1)
        self.assertEqual(len(proposals), 2)
        self.assertEqual(first.state, "applied")
        self.assertEqual((proposals - first).state, "proposed")
        self.assertEqual((proposals - first).percent, 50.0)
        self.assertEqual(first.percent, 30.0)

    def test_dismissed_proposal_is_not_proposed_again_at_its_tier(self):
        first = self._run(3)
        first.with_user(self.manager_a).action_dismiss()
        self.assertEqual(self._run(2), first)
        self.assertEqual(first.state, "dismissed")
        self.assertEqual(len(self._run(1)), 2, "the deeper tier is a new proposal")

    def test_sold_out_lot_closes_its_proposal(self):
        proposal = self._run(3)
        self._set_qty(self.store_a, self.milk, 0, self.lot)
        self._run(2)
        self.assertRecordValues(proposal, [{"state": "closed", "close_reason": "sold_out"}])

    def test_expired_lot_closes_its_proposal(self):
        proposal = self._run(1)
        self._run(-1)
        self.assertRecordValues(proposal, [{"state": "closed", "close_reason": "expired"}])

    def test_quantity_follows_the_stock(self):
        proposal = self._run(3)
        self._set_qty(self.store_a, self.milk, 5, self.lot)
        self._run(3)
        self.assertEqual(proposal.qty_on_hand, 5.0)

    def test_category_tiers_replace_the_default(self):
        self.env["store.markdown.rule"].create(
            {"company_id": self.env.company.id, "categ_id": self.categ.id, "days": 5, "percent": 20}
        )
        proposal = self._run(5)
        self.assertEqual(proposal.percent, 20.0, "the category's tier applies 5 days before")
        self._run(1)
        self.assertEqual(proposal.percent, 20.0, "the default 1-day tier does not apply to this category")

    def test_each_store_its_own_lots(self):
        self._set_qty(self.store_b, self.milk, 4, self.lot)
        proposals = self._run(3)
        self.assertEqual(proposals.store_id, self.store_a | self.store_b)
        self.assertEqual(proposals.filtered(lambda p: p.store_id == self.store_b).qty_on_hand, 4.0)
