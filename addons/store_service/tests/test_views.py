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
