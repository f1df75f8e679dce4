from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import MemberCommon


@tagged("post_install", "-at_install")
class TestStaffHandoverMembers(MemberCommon):
    """A leaving employee's members (those they registered and serve, 导购, and those whose
    Salesperson is their user) go to a colleague; who registered them and their history stay."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the handover is logged in the company's language
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env.company.partner_id.lang = "zh_CN"
        Employee = cls.env["hr.employee"]
        cls.leaver = Employee.create(
            {"name": "离职导购", "user_id": cls.cashier_a.id, "store_id": cls.store_a.id}
        )
        cls.colleague_user = new_test_user(
            cls.env, login="t_guide_a2", groups="store_pos_ext.group_store_user"
        )
        cls.colleague_user.store_ids = [Command.set(cls.store_a.ids)]
        cls.colleague = Employee.create(
            {"name": "接手导购", "user_id": cls.colleague_user.id, "store_id": cls.store_a.id}
        )

    def test_members_move_to_the_colleague_and_keep_their_history(self):
        Partner = self.env["res.partner"]
        served = Partner.browse(
            Partner.store_member_register(
                {"mobile": "13700137000", "name": "王五"}, employee_id=self.leaver.id
            )["id"]
        )
        self.assertEqual(served.member_staff_id, self.leaver, "the registering employee serves the member")
        self.member.user_id = self.cashier_a  # core's Salesperson
        stranger = Partner.browse(
            Partner.store_member_register({"mobile": "13700137001", "name": "赵六"})["id"]
        )
        history = self.env["loyalty.history"].sudo().search_count([("card_id.partner_id", "in", served.ids)])

        action = self.env["hr.employee.public"].with_user(self.manager_a).browse(self.leaver.id)
        action = action.action_store_staff_handover()
        wizard = self.env["store.staff.handover"].with_user(self.manager_a).with_context(**action["context"])
        wizard = wizard.create({"colleague_id": self.colleague.id})
        self.assertEqual(wizard.member_count, 2)
        wizard.action_confirm()

        self.assertEqual(served.member_staff_id, self.colleague)
        self.assertEqual(served.register_employee_id, self.leaver, "who registered them is history")
        self.assertEqual(self.member.user_id, self.colleague_user)
        self.assertNotEqual(stranger.member_staff_id, self.colleague)
        self.assertEqual(
            self.env["loyalty.history"].sudo().search_count([("card_id.partner_id", "in", served.ids)]),
            history,
        )
        self.assertIn("接手导购", served.message_ids[:1].body)
        self.assertIn("服务会员数: 2", self.leaver.message_ids[:1].body)

    def test_store_staff_cannot_reassign_a_member(self):
        with self.assertRaises(UserError):
            self.member.with_user(self.manager_a).write({"member_staff_id": self.colleague.id})
