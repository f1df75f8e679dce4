from datetime import datetime

import pytz

from odoo import fields
from odoo.tests import HttpCase, tagged
from odoo.tools.safe_eval import safe_eval

from odoo.addons.store_pos_ext.tests.test_checklist import make_template


@tagged("post_install", "-at_install")
class TestDemoFirstScreen(HttpCase):
    """Each demo login lands on its role's home (res.users action_id) in Chromium: HQ on the stores,
    a store manager on their store (today's checklists, stock alerts), a cashier in their store's
    POS, which shows the chain's catalogue and prints the store on its receipts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Core's tour helpers match English texts; the demo users are Chinese.
        cls.env["res.lang"]._activate_lang("en_US")
        cls.xuhui = cls.env.ref("store_pos_ext.store_shxh_demo")
        cls.config = cls.xuhui.pos_config_ids

    def _login_as(self, login):
        """The demo user ``login``, in English, with its login as password (start_tour's)."""
        user = self.env["res.users"].search([("login", "=", login)])
        user.write({"lang": "en_US", "password": login})
        return user

    def test_demo_users_quiet_odoobot(self):
        """OdooBot opens no onboarding chat on the demo users' first login."""
        users = self.env["res.users"].search(
            [("company_id", "=", self.xuhui.company_id.id), ("share", "=", False)]
        )
        self.assertTrue(users)
        self.assertEqual(set(users.mapped("odoobot_state")), {"disabled"})

    def test_store_manager_stock_report_opens_on_the_store_goods(self):
        """Inventory > Reporting > Stock: the manager's default filter keeps Odoo's demo catalogue out."""
        manager = self.env["res.users"].search([("login", "=", "xuhui_manager")])
        action = self.env.ref("stock.action_product_stock_view")
        defaults = [
            f
            for f in self.env["ir.filters"].with_user(manager).get_filters("product.product", action.id)
            if f["is_default"]
        ]
        self.assertEqual(len(defaults), 1)
        Product = self.env["product.product"].with_user(manager)
        shown = Product.search(safe_eval(action.domain) + safe_eval(defaults[0]["domain"]))
        # The chain's 50 products but 可口可乐, out of stock in 上海徐汇店 (store_stock's demo alerts).
        self.assertEqual(len(shown), 49)
        self.assertNotIn(self.env.ref("store_pos_ext.product_02_demo").product_variant_id, shown)
        self.assertEqual({code[:2] for code in shown.mapped("default_code")}, {"YJ"})

    def test_hq_admin_lands_on_the_stores(self):
        self._login_as("hq_admin")
        self.start_tour("/odoo", "store_home_hq", login="hq_admin")

    def test_store_manager_lands_on_their_store(self):
        self._login_as("xuhui_manager")
        template = make_template(self.env, "首页巡检", self.xuhui, company_id=self.xuhui.company_id.id)
        # today in the store (Asia/Shanghai) and, if another day, in the test's browser (UTC)
        days = {
            fields.Date.context_today(template.with_context(tz=self.xuhui.tz)),
            datetime.now(pytz.utc).date(),
        }
        for day in days:
            self.env["store.checklist"]._generate(template, day=day, stores=self.xuhui)
        self.start_tour("/odoo", "store_home_manager", login="xuhui_manager")

    def test_cashier_lands_in_the_store_pos_and_its_receipt_prints_the_store(self):
        cashier = self._login_as("xuhui_cashier")
        self.assertEqual(len(self.config), 1)
        action = self.env["pos.config"].with_user(cashier).action_open_store_pos()
        self.assertEqual(action["url"], f"/pos/ui/{self.config.id}")
        self.start_tour("/odoo", "store_home_cashier", login="xuhui_cashier")
        order = self.env["pos.order"].search([("config_id", "=", self.config.id)], order="id desc", limit=1)
        self.assertEqual(order.state, "paid")
        self.assertEqual(order.user_id, cashier)
        self.assertEqual(order.lines.product_id.default_code, "YJ0001")
