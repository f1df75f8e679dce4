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

    def test_store_manager_sees_alerts_and_accepts_a_transfer(self):
        """The demo's stock day of 上海徐汇店's manager: the alerts on their store's page, and the
        transfer suggested from 上海浦东店, accepted: both stores' pickings exist, nothing moved yet."""
        manager = self._login_as("xuhui_manager")
        water = self.env.ref("store_pos_ext.product_01_demo").product_variant_id
        Suggestion = self.env["store.stock.transfer.suggestion"]
        Suggestion._cron_compute_suggestions()  # as the nightly job does (the demo's are computed at install)
        suggestion = Suggestion.search([("store_id", "=", self.xuhui.id), ("product_id", "=", water.id)])
        self.assertEqual(len(suggestion), 1)
        self.assertEqual(suggestion.state, "new")
        self.assertEqual(suggestion.source_store_id, self.env.ref("store_pos_ext.store_shpd_demo"))
        before = water.with_context(warehouse_id=self.xuhui.warehouse_id.id).qty_available
        self.start_tour("/odoo", "store_manager_stock_day", login=manager.login)
        suggestion.invalidate_recordset()
        self.assertEqual(suggestion.state, "transfer")
        self.assertEqual(suggestion.in_picking_id.picking_type_id.warehouse_id, self.xuhui.warehouse_id)
        self.assertEqual(
            suggestion.out_picking_id.picking_type_id.warehouse_id, suggestion.source_store_id.warehouse_id
        )
        water.invalidate_recordset()
        self.assertEqual(water.with_context(warehouse_id=self.xuhui.warehouse_id.id).qty_available, before)

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
