from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemoStaffScore(TransactionCase):
    """The demo chain ships three months of scorecards, seen by each store's manager."""

    def user(self, login):
        return self.env["res.users"].search([("login", "=", login)])

    def test_demo_scorecards(self):
        chain = self.env.ref("store_pos_ext.company_chain_demo")
        scores = self.env["store.staff.score"].search([("company_id", "=", chain.id)])
        self.assertEqual(len(set(scores.mapped("month"))), 3)
        self.assertEqual(set(scores.store_id.mapped("code")), {"SHXH", "SHPD", "HZXH", "BJCY"})
        self.assertTrue(all(score.pos_sales > 0 and score.order_count > 0 for score in scores))
        self.assertEqual(set(scores.mapped("rank_store")), {1, 2})
        self.assertTrue(
            self.env["pos.order.line"].search_count(
                [("order_id.company_id", "=", chain.id), ("salesperson_id", "!=", False)]
            ),
            "some lines are credited to a salesperson",
        )

    def test_demo_training_alert_for_the_pudong_manager(self):
        cashier = self.env.ref("store_pos_ext.employee_pudong_cashier_demo")
        flagged = self.env["store.staff.score"].search([("training_alert", "=", True)])
        self.assertEqual(flagged.employee_id, cashier)
        manager = self.user("pudong_manager")
        activity = self.env["mail.activity"].search(
            [("res_model", "=", "store.staff.score"), ("user_id", "=", manager.id)]
        )
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.res_id, flagged.id)
        self.assertIn("刘洋", activity.summary)
        self.assertEqual(flagged.with_user(manager).employee_id.name, "刘洋")

    def test_store_manager_sees_own_store_scorecards(self):
        xuhui = self.env.ref("store_pos_ext.store_shxh_demo")
        scores = self.env["store.staff.score"].with_user(self.user("xuhui_manager")).search([])
        self.assertEqual(len(scores), 6)
        self.assertEqual(scores.store_id, xuhui)
        east = self.env["store.staff.score"].with_user(self.user("east_manager")).search([])
        self.assertEqual(set(east.store_id.mapped("code")), {"SHXH", "SHPD", "HZXH"})
