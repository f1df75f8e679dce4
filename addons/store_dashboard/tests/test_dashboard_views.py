import importlib.util
import json
import re
from datetime import date
from pathlib import Path

from dateutil.relativedelta import relativedelta
from lxml import etree

from odoo import fields
from odoo.tools.safe_eval import safe_eval

from odoo.addons.store_pos_ext.tests.common import StoreCommon

REPO = Path(__file__).resolve().parents[3]
DASHBOARDS = ("spreadsheet_dashboard_hq", "spreadsheet_dashboard_region")


def add_sales_facts(env, store, rows):
    """Sales facts of ``store``, as the server keeps them: ``rows`` of (date, hour, values)."""
    company = store.company_id
    values_list = [
        {
            "store_id": store.id,
            "company_id": company.id,
            "currency_id": company.currency_id.id,
            "date": day,
            "hour": hour,
            "weekday": str(day.weekday()),
            **values,
        }
        for day, hour, values in rows
    ]
    return env["store.sales.fact"].sudo().create(values_list)


class TestDashboardViews(StoreCommon):
    """The spreadsheet dashboards shipped as data read fields that exist, are shown to the roles
    they are for, and read the facts through the record rules; the analyses' filters mean what
    they say."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        today = fields.Date.context_today(cls.env["store.sales.fact"])
        add_sales_facts(
            cls.env,
            cls.store_a,
            [
                (today, 11, {"order_count": 7, "revenue": 700.0}),
                (today, 18, {"order_count": 3, "revenue": 90.0}),
            ],
        )
        add_sales_facts(cls.env, cls.store_c, [(today, 12, {"order_count": 4, "revenue": 400.0})])

    def _data(self, xmlid):
        return json.loads(self.env.ref(f"store_dashboard.{xmlid}").spreadsheet_data)

    def test_dashboards_read_fields_that_exist(self):
        """Core's check of the models and fields a spreadsheet uses (run under test only), and
        every PIVOT formula names a pivot and a measure it has; the files are what
        scripts/make_dashboards.py writes."""
        spec = importlib.util.spec_from_file_location(
            "make_dashboards", REPO / "scripts" / "make_dashboards.py"
        )
        generator = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(generator)
        for xmlid, with_regions in zip(DASHBOARDS, (True, False), strict=True):
            dashboard = self.env.ref(f"store_dashboard.{xmlid}")
            dashboard._check_spreadsheet_data()
            data = self._data(xmlid)
            self.assertEqual(data, json.loads(json.dumps(generator.dashboard(with_regions))), xmlid)
            self.assertEqual({p["model"] for p in data["pivots"].values()}, {"store.sales.fact"})
            measures = {pid: {m["id"] for m in p["measures"]} for pid, p in data["pivots"].items()}
            formulas = [cell for sheet in data["sheets"] for cell in sheet["cells"].values()]
            used = re.findall(r'PIVOT(?:\.VALUE)?\((\d+)(?:,\s*"([^"]+)")?', "\n".join(formulas))
            self.assertTrue(used)
            for pivot_id, measure in used:
                self.assertIn(pivot_id, measures, xmlid)
                if measure:
                    self.assertIn(measure, measures[pivot_id], xmlid)

    def test_each_role_sees_its_dashboard(self):
        hq, region = (self.env.ref(f"store_dashboard.{xmlid}") for xmlid in DASHBOARDS)
        Dashboard = self.env["spreadsheet.dashboard"]
        for user, visible in (
            (self.analyst, hq),
            (self.hq_admin, hq),
            (self.region_mgr, region),
            (self.manager_a, Dashboard),
            (self.cashier_a, Dashboard),
        ):
            seen = Dashboard.with_user(user).search([("id", "in", (hq | region).ids)])
            self.assertEqual(seen, visible, user.login)

    def test_region_figures_are_the_region_stores(self):
        """What a dashboard pivot reads (formatted_read_group, as the spreadsheet does): a region
        manager gets their region's stores, a store manager their store, HQ the chain."""
        Fact = self.env["store.sales.fact"]
        for user, stores in (
            (self.region_mgr, self.store_a),  # store_b (same region) has no sales
            (self.manager_a, self.store_a),
            (self.manager_b, Fact.store_id),
            (self.analyst, self.store_a | self.store_c),
        ):
            groups = Fact.with_user(user).formatted_read_group(
                [("store_id", "in", (self.store_a | self.store_b | self.store_c).ids)],
                ["store_id"],
                ["order_count:sum", "revenue:sum"],
            )
            self.assertEqual({g["store_id"][0] for g in groups}, set(stores.ids), user.login)
        mine = Fact.with_user(self.region_mgr).formatted_read_group([], [], ["order_count:sum"])
        self.assertEqual(mine[0]["order_count:sum"], 10)

    def test_period_filters(self):
        """'This month' starts on the 1st, 'Last 30 days' on the 30th day back, today included (as
        the spreadsheet's last_30_days)."""
        today = date(2026, 3, 15)
        context = {"context_today": lambda: today, "relativedelta": relativedelta}
        for model in ("store.sales.fact", "store.employee.day.fact"):
            arch = etree.fromstring(self.env[model].get_view(view_type="search")["arch"])
            domains = {node.get("name"): node.get("domain") for node in arch.iter("filter")}
            self.assertEqual(safe_eval(domains["this_month"], context), [("date", ">=", "2026-03-01")])
            self.assertEqual(safe_eval(domains["last_30_days"], context), [("date", ">=", "2026-02-14")])
        arch = etree.fromstring(self.env["store.member.month.fact"].get_view(view_type="search")["arch"])
        domains = {node.get("name"): node.get("domain") for node in arch.iter("filter")}
        self.assertEqual(safe_eval(domains["this_month"], context), [("month", "=", "2026-03-01")])
        self.assertEqual(safe_eval(domains["last_12_months"], context), [("month", ">=", "2025-04-01")])

    def test_menus_by_role(self):
        Menu = self.env["ir.ui.menu"]
        hq_menu = self.env.ref("store_dashboard.menu_store_dashboard_hq")
        region_menu = self.env.ref("store_dashboard.menu_store_dashboard_region")
        sales_menu = self.env.ref("store_dashboard.menu_store_sales_fact")
        kpi_menu = self.env.ref("store_dashboard.menu_store_kpi_board")
        for user, shown, hidden in (
            (self.analyst, hq_menu | sales_menu | kpi_menu, region_menu),
            (self.region_mgr, region_menu | sales_menu | kpi_menu, hq_menu),
            (self.manager_a, sales_menu | kpi_menu, hq_menu | region_menu),
            (self.cashier_a, Menu, kpi_menu),
        ):
            visible = Menu.with_user(user)._visible_menu_ids()
            self.assertLessEqual(set(shown.ids), visible, user.login)
            self.assertFalse(set(hidden.ids) & visible, user.login)
