from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import FreshCommon


@tagged("post_install", "-at_install")
class TestIsolation(FreshCommon):
    def test_other_store_user_cannot_read_or_write_proposals(self):
        proposal = self._run(3)
        self.assertEqual(self.Proposal.with_user(self.manager_a).search([]), proposal)
        self.assertEqual(self.Proposal.with_user(self.cashier_a).search([]), proposal)
        self.assertFalse(self.Proposal.with_user(self.manager_b).search([]))
        with self.assertRaises(AccessError):
            proposal.with_user(self.manager_b).read(["percent"])
        with self.assertRaises(AccessError):
            proposal.with_user(self.manager_b).write({"percent": 90})
        with self.assertRaises(AccessError):
            proposal.with_user(self.manager_b).action_dismiss()
        self.assertEqual(self.Proposal.with_user(self.hq_admin).search([]), proposal)

    def test_store_users_cannot_forge_a_proposal(self):
        proposal = self._run(3)
        with self.assertRaises(AccessError):
            proposal.with_user(self.manager_a).write({"percent": 90, "state": "applied"})
        with self.assertRaises(AccessError):
            self.Proposal.with_user(self.manager_a).create(
                {
                    "store_id": self.store_a.id,
                    "product_id": self.milk.id,
                    "lot_id": self.lot.id,
                    "percent": 90,
                }
            )

    def test_other_store_user_cannot_read_shrink(self):
        reason = self.env.ref("store_industry.scrap_reason_damaged")
        self._scrap(self.manager_a, self.store_a, self.milk, 1, reason, self.lot)
        Report = self.env["store.shrink.report"]
        self.assertEqual(Report.with_user(self.manager_a).search([]).store_id, self.store_a)
        self.assertFalse(Report.with_user(self.manager_b).search([("store_id", "=", self.store_a.id)]))
        self.assertFalse(
            Report.with_user(self.manager_b)._read_group(
                [("store_id", "=", self.store_a.id)], [], ["scrapped_value:sum"]
            )[0][0]
        )
        with self.assertRaises(AccessError):
            self.env["stock.scrap"].search(
                [("location_id", "=", self.store_a.warehouse_id.lot_stock_id.id)]
            ).with_user(self.manager_b).read(["scrap_qty"])
