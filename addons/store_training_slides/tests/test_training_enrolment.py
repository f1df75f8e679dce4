from datetime import date

from odoo.tests import new_test_user, tagged

from odoo.addons.store_pos_ext.tests.common import StoreCommon


@tagged("post_install", "-at_install")
class TestTrainingEnrolment(StoreCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.channel = cls.env["slide.channel"].create({"name": "收银服务规范", "is_published": True})
        cls.staff_user = new_test_user(cls.env, login="t_trainee", groups="store_pos_ext.group_store_user")
        cls.employee = cls.env["hr.employee"].create(
            {"name": "待培训员工", "store_id": cls.store_a.id, "user_id": cls.staff_user.id}
        )
        cls.store_a.manager_id = cls.manager_a
        cls.row = cls.env["store.staff.score"].create(
            {"employee_id": cls.employee.id, "store_id": cls.store_a.id, "month": date(2025, 3, 1)}
        )
        cls.history = [(date(2025, 1, 1), 12.0), (date(2025, 2, 1), 9.5), (date(2025, 3, 1), 8.0)]

    def test_alert_enrols_in_the_company_course(self):
        self.row.company_id.training_channel_id = self.channel
        self.row._schedule_training(self.history)
        self.assertIn(self.staff_user.partner_id, self.channel.partner_ids)
        self.assertEqual(self.row.activity_ids.user_id, self.manager_a, "the manager's to-do stays")
        self.row._schedule_training(self.history)
        memberships = self.env["slide.channel.partner"].search_count(
            [("channel_id", "=", self.channel.id), ("partner_id", "=", self.staff_user.partner_id.id)]
        )
        self.assertEqual(memberships, 1, "a second alert does not enrol twice")

    def test_no_course_or_no_user_enrols_nobody(self):
        self.row._schedule_training(self.history)
        self.assertNotIn(self.staff_user.partner_id, self.channel.partner_ids)
        self.row.company_id.training_channel_id = self.channel
        self.employee.user_id = False
        self.row._schedule_training(self.history)
        self.assertFalse(self.channel.partner_ids & self.staff_user.partner_id)
