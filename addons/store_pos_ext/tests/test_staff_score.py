from datetime import date, datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import ValidationError
from odoo.tests import new_test_user, tagged

from .common import StoreCommon

JAN, FEB, MAR, APR = date(2025, 1, 1), date(2025, 2, 1), date(2025, 3, 1), date(2025, 4, 1)


@tagged("post_install", "-at_install")
class TestStaffScore(StoreCommon):
    """Monthly staff scorecards: figures, crediting, scores and ranks, training alerts, access."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Score = cls.env["store.staff.score"]
        cls.company = cls.store_a.company_id
        cls.company.write(
            {
                "score_weight_sales": 40,
                "score_weight_orders": 20,
                "score_weight_signups": 15,
                "score_weight_checklist": 15,
                "score_weight_ontime": 10,
                "score_weight_photos": 5,
                "training_bottom_percent": 20,
                "training_months": 3,
                "training_scope": "store",
            }
        )
        (cls.store_a | cls.store_b | cls.store_c).tz = "Asia/Shanghai"
        cls.store_a.manager_id = cls.manager_a
        Employee = cls.env["hr.employee"]
        cls.emp_a1 = Employee.create({"name": "店员甲一", "store_id": cls.store_a.id})
        cls.emp_a2 = Employee.create({"name": "店员甲二", "store_id": cls.store_a.id})
        cls.user_b1 = new_test_user(cls.env, login="t_staff_b1", groups="store_pos_ext.group_store_user")
        cls.emp_b1 = Employee.create(
            {"name": "店员乙一", "store_id": cls.store_b.id, "user_id": cls.user_b1.id}
        )
        cls.ours = cls.emp_a1 | cls.emp_a2 | cls.emp_b1

    @classmethod
    def _order(cls, store, employee, lines, when, user=None, state="paid", refund=False):
        """A POS order of ``store`` rung up by ``employee`` at ``when`` (UTC). ``lines`` are
        (amount without tax, salesperson or None); every line carries 10% tax."""
        config = store.pos_config_ids[:1]
        if not config.current_session_id:
            config.open_ui()
        untaxed = sum(amount for amount, _sp in lines)
        return cls.env["pos.order"].create(
            {
                "session_id": config.current_session_id.id,
                "employee_id": employee.id if employee else False,
                "user_id": (user or cls.env.user).id,
                "date_order": when,
                "state": state,
                "is_refund": refund,
                "lines": [
                    Command.create(
                        {
                            "product_id": cls.product.id,
                            "qty": -1 if refund else 1,
                            "price_unit": abs(amount),
                            "price_subtotal": amount,
                            "price_subtotal_incl": amount * 1.1,
                            "salesperson_id": salesperson.id if salesperson else False,
                        }
                    )
                    for amount, salesperson in lines
                ],
                "amount_total": untaxed * 1.1,
                "amount_tax": untaxed * 0.1,
                "amount_paid": untaxed * 1.1,
                "amount_return": 0.0,
            }
        )

    def _march_orders(self):
        mid_march = datetime(2025, 3, 15, 4, 0)
        # store A: a1 rings up 2 orders (one line credited to a2), a2 one order
        self._order(self.store_a, self.emp_a1, [(100, None), (50, self.emp_a2)], mid_march)
        self._order(self.store_a, self.emp_a1, [(200, None)], mid_march)
        self._order(self.store_a, self.emp_a2, [(60, None)], mid_march)
        # not March: 1 April 00:30 in Shanghai is still 31 March in UTC; a draft order
        self._order(self.store_a, self.emp_a1, [(1000, None)], datetime(2025, 3, 31, 16, 30))
        self._order(self.store_a, self.emp_a1, [(1000, None)], mid_march, state="draft")
        # store B: no POS employee, the user's employee is credited; a refund lowers the sales
        self._order(self.store_b, None, [(80, None)], mid_march, user=self.user_b1)
        self._order(self.store_b, None, [(-20, None)], mid_march, user=self.user_b1, refund=True)

    def _rows(self, month):
        return self.Score.search(
            [("month", "=", month), ("store_id", "in", (self.store_a | self.store_b | self.store_c).ids)]
        )

    def _row(self, employee, month, store=None):
        store = store or employee.store_id
        return self.Score.search(
            [("employee_id", "=", employee.id), ("month", "=", month), ("store_id", "=", store.id)]
        )

    def _figures(self, row):
        return (row.pos_sales, row.order_count, row.avg_ticket, row.score, row.rank_store, row.rank_region)

    # ------------------------------------------------------------------ figures
    def test_month_figures_scores_and_ranks(self):
        self._march_orders()
        self.Score._compute_month(date(2025, 3, 17))
        self.assertEqual(len(self._rows(MAR)), 3)
        a1, a2, b1 = (self._row(e, MAR) for e in (self.emp_a1, self.emp_a2, self.emp_b1))
        self.assertEqual(a1.month, MAR)
        self.assertEqual(a1.currency_id, self.company.currency_id)
        self.assertEqual((a1.store_id, a1.region_id), (self.store_a, self.region_east))
        # a1: 100 + 200 without tax, 2 orders of (150 + 200) / 2; a2: credited line 50 + own 60
        self.assertEqual(self._figures(a1), (300.0, 2, 175.0, 100.0, 1, 1))
        # score of a2: (40 x 110/300 + 20 x 1/2) / (40 + 20) x 100 (nobody has the other metrics)
        self.assertEqual(self._figures(a2), (110.0, 1, 60.0, 41.11, 2, 3))
        # b1 via the order's user; the refund lowers the sales but is no ticket
        self.assertEqual(self._figures(b1), (60.0, 1, 80.0, 100.0, 1, 1))
        self.assertFalse((a1 | a2 | b1).filtered("training_alert"))

    def test_hook_metrics_enter_the_score(self):
        self._march_orders()
        Model = type(self.Score)
        signups = {self.emp_a2.id: 5}
        checklist = {self.emp_a1.id: (100.0, 50.0, 2), self.emp_a2.id: (80.0, 100.0, 0)}
        with (
            patch.object(Model, "_get_member_signups", lambda self, start, end, emps: signups),
            patch.object(Model, "_get_checklist_metrics", lambda self, start, end, emps: checklist),
        ):
            self.Score._compute_month(MAR)
        a1, a2, b1 = (self._row(e, MAR) for e in (self.emp_a1, self.emp_a2, self.emp_b1))
        self.assertEqual(
            (a2.member_signups, a2.checklist_completion_rate, a2.checklist_ontime_rate), (5, 80.0, 100.0)
        )
        self.assertEqual(a1.rejected_photos, 2)
        # a1: 40 + 20 + 0 + 15 x 1 + 10 x 0.5 - 5 (photos penalty) over 100
        self.assertEqual(a1.score, 75.0)
        # a2: 40 x 110/300 + 20 x 0.5 + 15 + 15 x 0.8 + 10 = 61.67
        self.assertEqual(a2.score, 61.67)
        # store B has none of these metrics: they do not lower b1's score
        self.assertEqual(b1.score, 100.0)
        # recomputing without the hooks resets their figures
        self.Score._compute_month(MAR)
        self.assertEqual((a2.member_signups, a1.rejected_photos, a1.score), (0, 0, 100.0))

    def test_checklist_metrics_come_from_the_checklists(self):
        """Store A in March: 4 checklists, 2 done by a1 (one on time, one late), 2 left open;
        HQ rejected one photo a1 took."""
        self.emp_a1.user_id = self.cashier_a
        template = self.env["store.sop.template"].create(
            {
                "name": "绩效测试检查",
                "schedule": "daily",
                "due_time": 10.0,
                "scope": "stores",
                "store_ids": [Command.set(self.store_a.ids)],
                "item_ids": [Command.create({"name": "照片", "kind": "photo"})],
            }
        )
        Checklist = self.env["store.checklist"]
        days = [date(2025, 3, d) for d in (3, 4, 5, 6)]
        c1, c2, _c3, _c4 = (Checklist._generate(template, day=day) for day in days)
        for checklist, minutes in ((c1, -30), (c2, 45)):
            checklist.sudo().write(
                {
                    "state": "done",
                    "done_by_id": self.cashier_a.id,
                    "done_datetime": fields.Datetime.add(checklist.due_datetime, minutes=minutes),
                }
            )
        c1.line_ids.sudo().write({"filled_by_id": self.cashier_a.id, "review_state": "rejected"})
        employees = self.emp_a1 | self.emp_a2 | self.emp_b1
        metrics = self.Score._get_checklist_metrics(MAR, APR, employees)
        self.assertEqual(metrics[self.emp_a1.id], (50.0, 50.0, 1))
        self.assertEqual(metrics[self.emp_a2.id], (50.0, 0.0, 0), "the store's completion, no own checklist")
        self.assertNotIn(self.emp_b1.id, metrics, "store B has no checklist in March")
        self.assertEqual(self.Score._get_checklist_metrics(APR, date(2025, 5, 1), employees), {})
        self._march_orders()
        self.Score._compute_month(MAR)
        a1 = self._row(self.emp_a1, MAR)
        self.assertEqual(
            (a1.checklist_completion_rate, a1.checklist_ontime_rate, a1.rejected_photos), (50.0, 50.0, 1)
        )

    def test_salesperson_is_credited_in_the_store_of_the_sale(self):
        when = datetime(2025, 3, 10, 3, 0)
        # b1 (of store B) helps a customer in store A; a1 rings the order up
        self._order(self.store_a, self.emp_a1, [(30, self.emp_b1), (70, None)], when)
        self.Score._compute_month(MAR)
        helper = self._row(self.emp_b1, MAR, store=self.store_a)
        self.assertEqual((helper.pos_sales, helper.order_count), (30.0, 0))
        self.assertEqual(
            (self._row(self.emp_a1, MAR).pos_sales, self._row(self.emp_a1, MAR).order_count), (70.0, 1)
        )
        home = self._row(self.emp_b1, MAR)
        self.assertEqual((home.pos_sales, home.score), (0.0, 0.0), "b1 sold nothing in store B")

    def test_recompute_replaces_the_month(self):
        self._march_orders()
        first = self.Score._compute_month(MAR)
        rows = self._rows(MAR)
        self.assertEqual(self.Score._compute_month(MAR), first)
        self.assertEqual(self._rows(MAR), rows, "no duplicate")
        self._order(self.store_a, self.emp_a2, [(500, None)], datetime(2025, 3, 20, 8, 0))
        self.Score._compute_month(MAR)
        self.assertEqual(self._rows(MAR), rows)
        a1, a2 = self._row(self.emp_a1, MAR), self._row(self.emp_a2, MAR)
        self.assertEqual((a2.pos_sales, a2.order_count, a2.rank_store), (610.0, 2, 1))
        self.assertEqual(a1.rank_store, 2)
        # an employee who left the store and sold nothing loses the month's row
        self.emp_a2.active = False
        # (a paid order's cashier never changes through the ORM: rewritten in SQL for the test)
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE pos_order SET employee_id = %s WHERE employee_id = %s", [self.emp_a1.id, self.emp_a2.id]
        )
        self.env["pos.order"].invalidate_model(["employee_id"])
        self.env["pos.order.line"].search([("salesperson_id", "=", self.emp_a2.id)]).salesperson_id = False
        self.Score._compute_month(MAR)
        self.assertFalse(self._row(self.emp_a2, MAR))

    def test_query_count_does_not_grow_with_orders(self):
        when = datetime(2025, 3, 12, 6, 0)
        for _i in range(5):
            self._order(self.store_a, self.emp_a1, [(10, None)], when)
        companies = self.company
        # warm-up: the first computation of a month inserts, later ones update (same queries)
        self.Score._compute_month(MAR, companies)
        counts = []
        for more in (0, 45):
            for _i in range(more):
                self._order(self.store_a, self.emp_a2, [(10, None), (5, self.emp_a1)], when)
            self.env.flush_all()
            before = self.env.cr.sql_log_count
            self.Score._compute_month(MAR, companies)
            counts.append(self.env.cr.sql_log_count - before)
        self.assertEqual(self._row(self.emp_a2, MAR).order_count, 45)
        self.assertEqual(counts[0], counts[1], "5 and 50 orders: same number of queries")
        # employees, checklist metrics, upsert with scores and ranks, stale rows; store_membership
        # fills the member sign-up hook with one more query.
        signup_hook = int(self.env["ir.module.module"]._get("store_membership").state == "installed")
        with self.assertQueryCount(4 + signup_hook):
            self.Score._compute_month(MAR, companies)

    # ------------------------------------------------------------------ training alerts
    def _month_of_sales(self, month, a1=100, a2=10):
        when = datetime(month.year, month.month, 10, 4, 0)
        self._order(self.store_a, self.emp_a1, [(a1, None)], when)
        self._order(self.store_a, self.emp_a2, [(a2, None)], when)
        self.Score._compute_month(month)

    def _activities(self, employee=None):
        employee = employee or self.emp_a2
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "store.staff.score"),
                ("res_id", "in", self.Score.search([("employee_id", "=", employee.id)]).ids),
            ]
        )

    def test_training_alert_after_three_bottom_months(self):
        for month in (JAN, FEB, MAR):
            self._month_of_sales(month)
        alerts = self.Score._check_training_alerts(MAR)
        row = self._row(self.emp_a2, MAR)
        self.assertEqual(alerts, row)
        self.assertTrue(row.training_alert)
        self.assertFalse(self._row(self.emp_a1, MAR).training_alert)
        activity = self._activities()
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.manager_a, "no manager on the employee: the store manager")
        self.assertIn(self.emp_a2.name, activity.summary)
        self.assertIn("2025-01", activity.note)
        self.assertIn("2025-03", activity.note)
        self.assertFalse(self._activities(self.emp_a1))
        # running again, or recomputing the month then the alerts, schedules nothing more
        self.assertFalse(self.Score._check_training_alerts(MAR))
        self.Score._compute_month(MAR)
        self.Score._check_training_alerts(MAR)
        self.assertEqual(len(self._activities()), 1)
        self.assertTrue(row.training_alert)
        # the store manager reads the scorecard and closes the to-do
        activity.with_user(self.manager_a).action_feedback(feedback="培训已安排")
        self.assertFalse(self._activities())

    def test_training_alert_goes_to_the_employees_manager(self):
        boss = self.env["hr.employee"].create({"name": "主管", "user_id": self.manager_b.id})
        self.emp_a2.parent_id = boss
        for month in (JAN, FEB, MAR):
            self._month_of_sales(month)
        self.Score._check_training_alerts(MAR)
        self.assertEqual(self._activities().user_id, self.manager_b)

    def test_no_alert_after_two_months(self):
        for month in (FEB, MAR):
            self._month_of_sales(month)
        self.assertFalse(self.Score._check_training_alerts(MAR))
        self.assertFalse(self._activities())
        self.company.training_months = 2
        self.assertEqual(self.Score._check_training_alerts(MAR), self._row(self.emp_a2, MAR))

    def test_no_alert_with_a_missing_month(self):
        for month in (JAN, MAR, APR):
            self._month_of_sales(month)
        self.assertFalse(self.Score._check_training_alerts(MAR), "February was never computed")
        self.assertFalse(self.Score._check_training_alerts(APR), "February was never computed")
        self.assertFalse(self._activities())

    def test_no_alert_when_not_bottom_every_month(self):
        self._month_of_sales(JAN)
        self._month_of_sales(FEB, a1=10, a2=100)
        self._month_of_sales(MAR)
        self.assertFalse(self.Score._check_training_alerts(MAR))
        self.assertFalse(self._activities() | self._activities(self.emp_a1))

    def test_alone_in_a_store_is_never_bottom(self):
        for month in (JAN, FEB, MAR):
            self._order(self.store_b, self.emp_b1, [(1, None)], datetime(month.year, month.month, 5))
            self.Score._compute_month(month)
        self.Score._check_training_alerts(MAR)
        self.assertFalse(self._activities(self.emp_b1))

    def test_region_scope(self):
        """Scores are relative to the store; the bottom share is taken in the store or the region."""
        emp_b2 = self.env["hr.employee"].create({"name": "店员乙二", "store_id": self.store_b.id})
        self.store_b.manager_id = self.manager_b
        for month in (JAN, FEB, MAR):
            when = datetime(month.year, month.month, 10, 4, 0)
            self._order(self.store_a, self.emp_a1, [(100, None)], when)
            self._order(self.store_a, self.emp_a2, [(90, None)], when)  # 93.33
            self._order(self.store_b, self.emp_b1, [(100, None)], when)
            self._order(self.store_b, emp_b2, [(10, None)], when)  # 40
            self.Score._compute_month(month)
        # store: the lowest of each store (ceil(2 x 20%) = 1)
        expected = self._row(self.emp_a2, MAR) | self._row(emp_b2, MAR)
        self.assertEqual(
            self.Score._check_training_alerts(MAR).filtered(lambda s: s.employee_id <= self.ours | emp_b2),
            expected,
        )
        # region: the lowest ceil(4 x 25%) = 1 of the region only; a2's flag is withdrawn
        self.company.write({"training_scope": "region", "training_bottom_percent": 25})
        self.assertFalse(self.Score._check_training_alerts(MAR), "b2 was already alerted")
        self.assertEqual(self._rows(MAR).filtered("training_alert").employee_id, emp_b2)
        self.assertEqual(len(self._activities(emp_b2)), 1)

    # ------------------------------------------------------------------ settings and access
    def test_weights_cannot_be_negative(self):
        settings = self.env["res.config.settings"].create({"score_weight_orders": 7})
        settings.execute()
        self.assertEqual(self.company.score_weight_orders, 7)
        company = self.company.with_context(lang="zh_CN")
        with self.assertRaisesRegex(ValidationError, "权重不能为负数"):
            company.write({"score_weight_sales": -1})
        with self.assertRaises(ValidationError):
            company.write({"score_weight_photos": -0.5})
        with self.assertRaises(ValidationError):
            company.write({"training_bottom_percent": 0})

    def test_store_manager_sees_only_own_store(self):
        self._march_orders()
        self.Score._compute_month(MAR)
        as_manager = self.Score.with_user(self.manager_a)
        self.assertEqual(as_manager.search_count([("store_id", "=", self.store_b.id)]), 0)
        self.assertEqual(set(as_manager.search([]).store_id.ids), {self.store_a.id})
        groups = as_manager._read_group([], ["store_id"], ["pos_sales:sum"])
        self.assertEqual([store for store, _sales in groups], [self.store_a])
        as_cashier = self.Score.with_user(self.cashier_a)
        self.assertEqual(as_cashier.search_count([("store_id", "=", self.store_b.id)]), 0)
        as_analyst = self.Score.with_user(self.analyst)
        self.assertEqual(as_analyst.search_count([("employee_id", "in", self.ours.ids)]), 3)
        other_company = self.env["res.company"].create({"name": "另一家连锁"})
        other_store = self.env["store.store"].create(
            {"name": "别家门店", "code": "OTHER", "company_id": other_company.id}
        )
        self.env["hr.employee"].create(
            {"name": "别家店员", "store_id": other_store.id, "company_id": other_company.id}
        )
        self.Score._compute_month(MAR)
        self.assertTrue(self.Score.search([("store_id", "=", other_store.id)]))
        self.assertFalse(as_analyst.search([("store_id", "=", other_store.id)]), "HQ of another company")

    def test_cron_computes_the_previous_month_then_the_alerts(self):
        for month in (JAN, FEB):
            self._month_of_sales(month)
        self._order(self.store_a, self.emp_a1, [(100, None)], datetime(2025, 3, 10, 4, 0))
        self._order(self.store_a, self.emp_a2, [(10, None)], datetime(2025, 3, 10, 4, 0))
        cron = self.env.ref("store_pos_ext.ir_cron_store_staff_score")
        self.assertEqual((cron.code, cron.interval_type), ("model._cron_compute_previous_month()", "months"))
        with freeze_time("2025-04-01 18:00:00"):
            self.Score._cron_compute_previous_month()
        self.assertEqual(self._row(self.emp_a1, MAR).pos_sales, 100.0)
        self.assertTrue(self._row(self.emp_a2, MAR).training_alert)
        self.assertEqual(len(self._activities()), 1)
        self.assertFalse(self._rows(APR))

    def test_compute_wizard_for_hq_admin(self):
        self._march_orders()
        wizard = (
            self.env["store.staff.score.compute"].with_user(self.hq_admin).create({"month": "2025-03-20"})
        )
        action = wizard.action_compute()
        self.assertEqual(action["res_model"], "store.staff.score")
        self.assertEqual(len(self._rows(MAR)), 3)
