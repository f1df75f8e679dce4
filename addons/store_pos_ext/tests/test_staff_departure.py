from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

from .test_checklist import ChecklistCommon


class StaffCommon(ChecklistCommon):
    """Store A's cashier is leaving; a colleague and the manager stay. The leaver works the till of
    store A (with the colleague) and is the only basic employee of store B's till."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Employee = cls.env["hr.employee"]
        cls.leaver = Employee.create(
            {"name": "离职员工", "user_id": cls.cashier_a.id, "store_id": cls.store_a.id}
        )
        cls.colleague_user = new_test_user(
            cls.env, login="t_cashier_a2", groups="store_pos_ext.group_store_user"
        )
        cls.colleague_user.store_ids = [Command.set(cls.store_a.ids)]
        cls.colleague = Employee.create(
            {"name": "接手同事", "user_id": cls.colleague_user.id, "store_id": cls.store_a.id}
        )
        cls.manager_employee = Employee.create(
            {"name": "A店长", "user_id": cls.manager_a.id, "store_id": cls.store_a.id}
        )
        cls.other_store_employee = Employee.create({"name": "B店员工", "store_id": cls.store_b.id})
        cls.config_a, cls.config_b = cls.store_a.pos_config_ids[:1], cls.store_b.pos_config_ids[:1]
        cls.config_a.write(
            {
                "basic_employee_ids": [Command.set((cls.leaver | cls.colleague).ids)],
                "advanced_employee_ids": [Command.set(cls.manager_employee.ids)],
            }
        )
        cls.config_b.write(
            {
                "basic_employee_ids": [Command.set(cls.leaver.ids)],
                "minimal_employee_ids": [Command.set(cls.other_store_employee.ids)],
            }
        )

    def _pos_employees(self, config):
        config = config.with_context(active_test=False)
        return config.basic_employee_ids | config.advanced_employee_ids | config.minimal_employee_ids


@tagged("post_install", "-at_install")
class TestStaffDeparture(StaffCommon):
    """离职冻结: archiving an employee disables their user and POS access at once."""

    def _depart(self, employee):
        wizard = (
            self.env["hr.departure.wizard"]
            .with_context(active_ids=employee.ids, employee_termination=True)
            .create({"departure_description": "离职", "remove_related_user": True})
        )
        wizard.action_register_departure()

    def test_departure_disables_user_and_pos_access(self):
        session = self._session(self.store_a)
        session.user_id = self.cashier_a
        self._depart(self.leaver)
        self.assertFalse(self.leaver.active)
        self.assertFalse(self.cashier_a.active, "the user is archived (its web sessions end with it)")
        for config in (self.config_a, self.config_b):
            self.assertNotIn(self.leaver, self._pos_employees(config), config.name)
        self.assertEqual(self.config_a.basic_employee_ids, self.colleague)
        # The POS stays restricted to its listed employees (an empty list opens it to everyone).
        self.assertIn(self.other_store_employee, self.config_b.basic_employee_ids)
        self.assertNotIn(self.leaver, self.config_b.basic_employee_ids)
        self.assertIn(self.other_store_employee, self.config_b.minimal_employee_ids, "roles kept")
        # The open session is not closed behind the store's back: its manager is told to close it.
        self.assertNotEqual(session.state, "closed")
        self.assertIn(self.manager_a, session.activity_ids.user_id)
        log = "".join(self.leaver.message_ids.mapped("body"))
        self.assertIn(self.cashier_a.name, log)
        self.assertIn(session.name, log)

    def test_archive_without_the_wizard_disables_access_too(self):
        self.leaver.with_context(no_wizard=True).action_archive()
        self.assertFalse(self.cashier_a.active)
        self.assertNotIn(self.leaver, self._pos_employees(self.config_a))

    def test_open_activities_wait_for_the_handover(self):
        activity = self.product.product_tmpl_id.activity_schedule(
            "mail.mail_activity_data_todo", user_id=self.cashier_a.id, summary="核对价签"
        )
        self._depart(self.leaver)
        self.assertFalse(self.cashier_a.active)
        self.assertTrue(
            activity.exists(), "core deletes an archived user's activities: kept for the handover"
        )


@tagged("post_install", "-at_install")
class TestStaffHandover(StaffCommon):
    """The handover wizard moves a leaver's open checklists and activities to a colleague of the
    same store; a store manager hands over their own store's staff only."""

    def _open_wizard(self, user, employee=None):
        public = self.env["hr.employee.public"].with_user(user).browse((employee or self.leaver).id)
        action = public.action_store_staff_handover()
        return self.env[action["res_model"]].with_user(user).with_context(**action["context"])

    def test_handover_moves_open_checklists_and_activities(self):
        checklist = self._checklist()
        line = checklist.line_ids.filtered(lambda x: x.kind == "check")[:1]
        line.with_user(self.cashier_a).value_check = True
        untouched = self._checklist(self.store_b)
        activity = checklist.activity_schedule(
            "mail.mail_activity_data_todo", user_id=self.cashier_a.id, summary="补拍端架照片"
        )
        other = self.product.product_tmpl_id.activity_schedule(
            "mail.mail_activity_data_todo", user_id=self.cashier_a.id, summary="核对价签"
        )
        self.leaver.with_context(no_wizard=True).action_archive()
        wizard = (
            self._open_wizard(self.manager_a)
            .with_context(lang="zh_CN")
            .create({"colleague_id": self.colleague.id, "note": "钥匙已交还"})
        )
        self.assertEqual((wizard.checklist_count, wizard.activity_count), (1, 2))
        wizard.action_confirm()
        self.assertEqual((activity | other).user_id, self.colleague_user)
        self.assertEqual(checklist.activity_ids.user_id, self.colleague_user)
        self.assertIn(self.colleague_user.partner_id, checklist.message_partner_ids)
        self.assertFalse(untouched.activity_ids)
        self.assertEqual(line.filled_by_id, self.cashier_a, "who filled an item stays")
        log = self.leaver.message_ids[:1].body
        self.assertIn("工作已交接给 接手同事", log, "logged, translated")
        self.assertIn("钥匙已交还", log)
        self.assertIn("接手同事", checklist.message_ids[:1].body)

    def test_other_store_manager_cannot_hand_over(self):
        with self.assertRaises(AccessError):
            self._open_wizard(self.manager_b)
        with self.assertRaises(AccessError):
            self.env["store.staff.handover"].with_user(self.manager_b).create(
                {"employee_id": self.leaver.id, "colleague_id": self.colleague.id}
            )
        with self.assertRaises(AccessError):
            self.env["store.staff.handover"].with_user(self.cashier_a).create(
                {"employee_id": self.colleague.id, "colleague_id": self.manager_employee.id}
            )

    def test_colleague_must_be_of_the_same_store(self):
        wizard = self._open_wizard(self.manager_a).create({"colleague_id": self.other_store_employee.id})
        with self.assertRaisesRegex(ValidationError, "Hand over to"):
            wizard.action_confirm()
