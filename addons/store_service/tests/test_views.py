from lxml import etree

from odoo.tests import tagged

from .common import ServiceCommon


@tagged("post_install", "-at_install")
class TestServiceViews(ServiceCommon):
    """The menus' views open for store staff and HQ: every field a view shows is readable to them."""

    def _read_views(self, user, model, modes, domain=()):
        Model = self.env[model].with_user(user)
        views = Model.get_views([(False, mode) for mode in modes])["views"]
        for mode in modes:
            arch = etree.fromstring(views[mode]["arch"])
            names = {node.get("name") for node in arch.iter("field")} & set(Model._fields)
            with self.subTest(user=user.login, model=model, view=mode):
                Model.search_read(list(domain), sorted(names), limit=5)

    def test_ticket_views_for_store_staff_and_hq(self):
        self._complaint()
        modes = ["list", "form", "kanban", "pivot", "graph", "search"]
        for user in (self.cashier_a, self.manager_a, self.analyst, self.hq_admin):
            self._read_views(user, "helpdesk.ticket", modes)
            self._read_views(user, "helpdesk.ticket.photo", ["list", "form"])

    def test_order_and_member_forms_show_the_complaints(self):
        self._complaint()
        for user in (self.cashier_a, self.analyst):
            self._read_views(user, "pos.order", ["form"], [("id", "=", self.order_a.id)])
            self._read_views(user, "res.partner", ["form"], [("id", "=", self.member.id)])

    def test_the_actions_and_menus_are_there_for_store_staff(self):
        menus = self.env["ir.ui.menu"].with_user(self.cashier_a)._visible_menu_ids()
        for xmlid in ("menu_store_complaints", "menu_store_help_requests"):
            self.assertIn(self.env.ref(f"store_service.{xmlid}").id, menus)
        # the handling time is with the store's reports (store managers and up)
        menus = self.env["ir.ui.menu"].with_user(self.manager_a)._visible_menu_ids()
        self.assertIn(self.env.ref("store_service.menu_store_complaint_handling").id, menus)

    def test_the_ticket_screens_speak_chinese(self):
        """OCA's helpdesk ships no Chinese: the chain's own translations (i18n_extra) name the
        fields, filters and stages of the ticket screens."""
        self.env["res.lang"]._activate_lang("zh_CN")
        Ticket = self.env["helpdesk.ticket"].with_context(lang="zh_CN")
        labels = Ticket.fields_get(["priority", "user_id", "stage_id", "number", "sla_deadline"], ["string"])
        self.assertEqual(
            {name: field["string"] for name, field in labels.items()},
            {
                "priority": "优先级",
                "user_id": "处理人",
                "stage_id": "阶段",
                "number": "工单编号",
                "sla_deadline": "SLA 截止时间",
            },
        )
        search = Ticket.get_views([(False, "search")])["views"]["search"]["arch"]
        self.assertIn("未关闭", search)
        self.assertEqual(
            self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_new").with_context(lang="zh_CN").name, "新建"
        )
