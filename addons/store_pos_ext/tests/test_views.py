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

    def test_store_cards_are_grouped_by_region(self):
        """连锁门店 > 门店 shows the stores as cards in one column per region (README, USAGE); a
        card is not moved to another region by dragging it."""
        action = self.env.ref("store_pos_ext.store_store_action")
        self.assertEqual(action.view_mode.split(",")[0], "kanban")
        for user in (self.hq_admin, self.region_mgr, self.manager_a):
            with self.subTest(user=user.login):
                arch = (
                    self.env["store.store"]
                    .with_user(user)
                    .get_views([[False, "kanban"]])["views"]["kanban"]["arch"]
                )
                kanban = etree.fromstring(arch)
                self.assertEqual(kanban.get("default_group_by"), "region_id")
                self.assertEqual(kanban.get("records_draggable"), "0")
        groups = (
            self.env["store.store"]
            .with_user(self.hq_admin)
            .web_read_group([("id", "in", (self.store_a | self.store_b).ids)], ["region_id"], ["__count"])[
                "groups"
            ]
        )
        self.assertEqual([(g["region_id"][0], g["__count"]) for g in groups], [(self.region_east.id, 2)])
