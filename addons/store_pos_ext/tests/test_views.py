from lxml import etree

from odoo.tests import tagged

from .common import StoreCommon


@tagged("post_install", "-at_install")
class TestViews(StoreCommon):
    """Every window action of the addon opens, with all its views, for every role that has its menu."""

    def test_actions_open_for_every_role(self):
        actions = self.env["ir.actions.act_window"].search(
            [
                (
                    "id",
                    "in",
                    self.env["ir.model.data"]
                    .search([("module", "=", "store_pos_ext"), ("model", "=", "ir.actions.act_window")])
                    .mapped("res_id"),
                )
            ]
        )
        self.assertIn(self.env.ref("store_pos_ext.store_store_action"), actions)
        # core actions our menus open
        actions |= self.env.ref("point_of_sale.action_pos_pos_form") | self.env.ref(
            "point_of_sale.action_pos_session"
        )
        for user in (self.hq_admin, self.analyst, self.region_mgr, self.manager_a, self.cashier_a):
            for action in actions:
                Model = self.env[action.res_model].with_user(user)
                if not Model.has_access("read"):
                    continue
                with self.subTest(user=user.login, action=action.name):
                    views = [[False, mode] for mode in action.view_mode.split(",")] + [[False, "search"]]
                    result = Model.get_views(views)
                    self.assertEqual(set(result["views"]), {mode for _id, mode in views})
                    records = Model.search([], limit=5)
                    for mode in ("list", "form", "kanban"):
                        if mode in result["views"]:
                            records.web_read(
                                {name: {} for name in self._view_fields(result["views"][mode]["arch"])}
                            )

    @staticmethod
    def _view_fields(arch):
        """Fields the web client reads for a view: those not inside a sub-view of a relational field."""
        root = etree.fromstring(arch)
        return {
            node.get("name")
            for node in root.iter("field")
            if not any(parent.tag == "field" for parent in node.iterancestors())
        }

    def test_inherited_core_views_load(self):
        for model in ("pos.config", "pos.order", "pos.session", "hr.employee", "res.users"):
            with self.subTest(model=model):
                self.env[model].get_views([[False, "form"], [False, "list"], [False, "search"]])
