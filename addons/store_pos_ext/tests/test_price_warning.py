from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from .common import StoreCommon


@tagged("post_install", "-at_install")
class TestPriceWarningData(StoreCommon):
    """What a store's POS loads to warn the cashier before paying an order the server pricing
    will flag: the roles' limits and the role the server gives the cashier."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.config = cls.store_a.pos_config_ids[:1]
        cls.config.open_ui()

    def test_the_pos_loads_the_limits(self):
        self.config.store_discount_limit_cashier = 12.5
        [row] = self.config._load_pos_data_read(self.config, self.config)
        self.assertEqual(row["store_id"], self.store_a.id)
        self.assertEqual(
            (
                row["store_discount_limit_cashier"],
                row["store_discount_limit_manager"],
                row["store_discount_limit_hq"],
            ),
            (12.5, 30.0, 100.0),
        )

    def test_the_user_gets_the_servers_role(self):
        Users = self.env["res.users"]
        for user, role in (
            (self.cashier_a, "cashier"),
            (self.manager_a, "manager"),  # a store manager, not a POS manager
            (self.hq_admin, "hq"),
        ):
            with self.subTest(user=user.login):
                [row] = Users.with_user(user)._load_pos_data_read(user, self.config)
                self.assertEqual(row["_store_price_role"], role)
                self.assertEqual(self.config.with_user(user)._price_role_of(), role)

    def test_each_pos_hr_employee_gets_the_servers_role(self):
        self.config.module_pos_hr = True
        Employee = self.env["hr.employee"]
        manager = Employee.create({"name": "测试店长", "user_id": self.manager_a.id})
        cashier = Employee.create({"name": "测试收银员"})
        minimal = Employee.create({"name": "测试实习生"})
        self.config.write(
            {
                "basic_employee_ids": [Command.set((manager | cashier).ids)],
                "minimal_employee_ids": [Command.set(minimal.ids)],
            }
        )
        employees = manager | cashier | minimal
        rows = Employee.with_user(self.cashier_a)._load_pos_data_read(
            employees.with_user(self.cashier_a), self.config
        )
        roles = {row["id"]: row["_store_price_role"] for row in rows}
        self.assertEqual(roles, {manager.id: "manager", cashier.id: "cashier", minimal.id: "minimal"})

    def test_a_pos_without_store_loads_no_role(self):
        config = self.env["pos.config"].create({"name": "非门店POS"})
        [row] = self.env["res.users"]._load_pos_data_read(self.env.user, config)
        self.assertNotIn("_store_price_role", row)


@tagged("post_install", "-at_install")
class TestPriceWarningTour(StoreCommon, HttpCase):
    """The cashier is warned in the POS before paying an order the server pricing flags for HQ."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Core's tour helpers match English texts; the test databases only have Chinese active.
        cls.env["res.lang"]._activate_lang("en_US")
        cls.pos_cashier = new_test_user(
            cls.env, login="t_price_cashier", groups="store_pos_ext.group_store_user", lang="en_US"
        )
        cls.pos_cashier.store_ids = [Command.set(cls.store_a.ids)]
        cls.config = cls.store_a.pos_config_ids[:1]
        cls.config.write({"manual_discount": True, "store_discount_limit_cashier": 10.0})

    def _tour(self, name):
        self.start_tour(f"/pos/ui/{self.config.id}", name, login=self.pos_cashier.login)
        return self.env["pos.order"].search([("config_id", "=", self.config.id), ("state", "!=", "draft")])

    def test_discount_over_the_limit_without_reason_is_warned_then_flagged(self):
        order = self._tour("store_price_warning_discount")
        self.assertEqual(len(order), 1, "Back sent nothing; paying anyway saved the order once")
        self.assertEqual(order.lines.discount, 25.0)
        self.assertEqual(order.store_price_state, "flagged")
        self.assertIn("over the 10.0% limit", order.store_price_issue)
        self.assertIn("no reason given", order.store_price_issue)

    def test_manual_price_over_the_limit_is_warned_then_flagged(self):
        order = self._tour("store_price_warning_manual_price")
        self.assertEqual(len(order), 1)
        self.assertEqual((order.lines.price_type, order.lines.price_unit), ("manual", 8.0))
        self.assertEqual(order.store_price_state, "flagged")
        self.assertIn("over the 10.0% limit", order.store_price_issue)
        self.assertNotIn("no reason given", order.store_price_issue)

    def test_discount_within_the_limit_with_a_reason_is_not_warned(self):
        order = self._tour("store_price_warning_honest")
        self.assertEqual(len(order), 1)
        self.assertEqual(order.lines.discount, 5.0)
        self.assertEqual(order.store_price_state, "ok", order.store_price_issue)
        self.assertEqual(order.store_price_change_ids.reason, "样品")
