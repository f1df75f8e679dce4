import re
from datetime import date, datetime
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import DashboardCommon

PERIOD = ("2026-10-05", "2026-10-11")
BASELINE = ("2026-09-05", "2026-09-11")
WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE|CREATE|ALTER|DROP|TRUNCATE)\b", re.IGNORECASE)


def utc(day, hour):
    """A moment of ``day`` at ``hour`` o'clock in China, as naive UTC."""
    return datetime(2026, *day, hour - 8, 0)


@tagged("post_install", "-at_install")
class TestKpis(DashboardCommon):
    """Each KPI on known orders of the region 测试华东 (stores A and B): a week of October against
    a week of September. The KPIs read only, through the reader's record rules."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        a, b = cls.store_a, cls.store_b
        cls.member_b = cls._register(b, "13800138011", name="测试会员二")
        promo = cls._sale(a, [(cls.product, 1, 100.0)], when=utc((10, 6), 12), employee=cls.emp_1)
        promo._store_write(store_promo_counted={"1": 10.0})
        sold = cls._sale(a, [(cls.product, 1, 100.0)], when=utc((10, 6), 12), employee=cls.emp_1)
        cls._sale(a, [(cls.product, 1, 50.0)], partner=cls.member, when=utc((10, 6), 18), employee=cls.emp_2)
        cls._sale(a, [(cls.product, 1, 30.0)], partner=cls.member, when=utc((10, 8), 18))
        cls._sale(b, [(cls.product, 1, 40.0)], partner=cls.member_b, when=utc((10, 7), 12))
        refund = cls._order_data(a, [cls._refund_line(sold.lines, 1)])
        refund["date_order"] = utc((10, 9), 11).strftime("%Y-%m-%d %H:%M:%S")
        cls._sync(refund)
        # baseline
        cls._sale(a, [(cls.product, 1, 80.0)], when=utc((9, 6), 12))
        cls._sale(a, [(cls.product, 1, 20.0)], partner=cls.member, when=utc((9, 6), 12))
        # a member registered at A by emp_1 on 6 October, 13:00
        joined = cls._register(a, "13800138012", employee=cls.emp_1, name="测试新会员")
        cls.env.cr.execute(
            "UPDATE res_partner SET member_consent_date = %s, register_employee_id = %s WHERE id = %s",
            [utc((10, 6), 13), cls.emp_1.id, joined.id],
        )
        # out-of-stock alerts: two opened in the period, one in the baseline, one other kind
        Alert = cls.env["store.stock.alert"]
        alerts = [
            ((10, 7), "out_of_stock"),
            ((10, 8), "out_of_stock"),
            ((9, 6), "out_of_stock"),
            ((10, 7), "below_min"),
        ]
        for when, kind in alerts:
            Alert.create(
                {
                    "store_id": a.id,
                    "product_id": cls.product.id,
                    "kind": kind,
                    "date_first_seen": utc(when, 10),
                }
            )
            cls.env.flush_all()
            cls.env.cr.execute("UPDATE store_stock_alert SET state = 'closed' WHERE state = 'open'")
        cls.env.invalidate_all()
        cls.env["store.sales.fact"]._rebuild(date(2026, 9, 1), date.today(), cls.stores.ids)

    def _kpis(self, user=None, **scope):
        Dashboard = self.env["store.dashboard"].with_user(user) if user else self.env["store.dashboard"]
        result = Dashboard.get_kpis(*PERIOD, *BASELINE, **scope)
        return result, {kpi["key"]: kpi for kpi in result["kpis"]}

    def test_each_kpi_on_known_orders(self):
        result, kpis = self._kpis(region_id=self.region_east.id)
        expected = {
            # key: (period, baseline, change %)
            "revenue": (320.0, 100.0, 220.0),
            "order_count": (5.0, 2.0, 150.0),
            "avg_ticket": (64.0, 50.0, 28.0),
            "repeat_rate": (50.0, 0.0, False),  # member: 2 visits in October, member_b 1
            # 1 new member / (2 non-member orders + 1 new member)
            "signup_rate": (33.33, 0.0, False),
            "promo_redemption_rate": (20.0, 0.0, False),
            "promo_cost": (10.0, 0.0, False),
            "discount_amount": (0.0, 0.0, False),
            "refund_amount": (100.0, 0.0, False),
            "stockouts": (2.0, 1.0, 100.0),
            # no stock snapshot of these stores (test_stock_turnover.py)
            "stock_turnover": (0.0, 0.0, False),
            "days_of_cover": (0.0, 0.0, False),
        }
        for key, (value, baseline, change) in expected.items():
            with self.subTest(kpi=key):
                self.assertEqual(
                    (kpis[key]["value"], kpis[key]["baseline"], kpis[key]["change"]),
                    (value, baseline, change),
                )
                self.assertTrue(kpis[key]["name"] and kpis[key]["definition"])
        tuesday = date(2026, 10, 6).weekday()
        self.assertIn([tuesday, 12, 2], result["heatmap"])
        self.assertIn([tuesday, 18, 1], result["heatmap"])
        self.assertEqual(sum(cell[2] for cell in result["heatmap"]), 5)
        by_store = {row["store_id"]: row for row in result["signup_by_store"]}
        self.assertEqual(by_store[self.store_a.id]["rate"], 33.33)
        by_employee = {row["employee_id"]: row for row in result["signup_by_employee"]}
        self.assertEqual(
            (by_employee[self.emp_1.id]["new_members"], by_employee[self.emp_1.id]["non_member_orders"]),
            (1, 2),
        )
        self.assertEqual(by_employee[self.emp_2.id]["rate"], 0.0)

    def test_definitions_are_translated(self):
        _result, kpis = self._kpis(region_id=self.region_east.id)
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["store_dashboard"], ["zh_CN"], overwrite=True)
        zh = self.env["store.dashboard"].with_context(lang="zh_CN").get_kpis(*PERIOD, *BASELINE)
        names = {kpi["key"]: kpi["name"] for kpi in zh["kpis"]}
        self.assertNotEqual(names["avg_ticket"], kpis["avg_ticket"]["name"])
        self.assertIn("客单价", names["avg_ticket"])

    def test_a_store_manager_reads_their_stores_figures_only(self):
        _result, kpis = self._kpis(user=self.manager_b)
        self.assertEqual(kpis["revenue"]["value"], 40.0, "store B's sale only")
        _result, kpis = self._kpis(user=self.manager_b, store_id=self.store_a.id)
        self.assertEqual(kpis["revenue"]["value"], 0.0, "another store's figures are not read")
        self.assertEqual(kpis["stockouts"]["value"], 0.0)
        _result, kpis = self._kpis(user=self.region_mgr)
        self.assertEqual(kpis["revenue"]["value"], 320.0, "the region manager: stores A and B")

    def test_kpis_are_readonly_and_write_nothing(self):
        Dashboard = self.env["store.dashboard"]
        self.assertTrue(getattr(type(Dashboard).get_kpis, "_readonly", False))
        self.assertTrue(getattr(type(Dashboard).get_heatmap, "_readonly", False))
        self.env.flush_all()
        statements = []
        cr = self.env.cr
        execute = cr.execute

        def spy(query, params=None, log_exceptions=True):
            statements.append(str(query))
            return execute(query, params, log_exceptions)

        with patch.object(cr, "execute", spy):
            self._kpis(user=self.region_mgr)
            self.env["store.dashboard"].with_user(self.analyst).get_heatmap(*PERIOD)
            self.env.flush_all()
        self.assertTrue(statements)
        self.assertEqual([s for s in statements if WRITES.match(s)], [], "a dashboard read wrote")

    def test_amounts_are_in_the_companys_currency_only(self):
        """A store selling in another currency: its orders count, its amounts are not added to
        the company currency's; the currency comes with the figures."""
        company = self.env.company
        other = (
            self.env.ref("base.USD")
            if company.currency_id != self.env.ref("base.USD")
            else self.env.ref("base.EUR")
        )
        self.env["store.sales.fact"].sudo().create(
            {
                "store_id": self.store_b.id,
                "company_id": company.id,
                "currency_id": other.id,
                "date": date(2026, 10, 7),
                "hour": 3,
                "weekday": "2",
                "order_count": 1,
                "revenue": 1000.0,
                "refund_amount": 50.0,
            }
        )
        self.env.flush_all()
        result, kpis = self._kpis(region_id=self.region_east.id)
        self.assertEqual(kpis["order_count"]["value"], 6.0, "every store's orders count")
        self.assertEqual(kpis["revenue"]["value"], 320.0, "no amount in another currency is added")
        self.assertEqual(kpis["refund_amount"]["value"], 100.0)
        self.assertEqual(kpis["avg_ticket"]["value"], 64.0, "revenue / the orders in the currency")
        self.assertEqual(
            result["currency"],
            {
                "id": company.currency_id.id,
                "name": company.currency_id.name,
                "symbol": company.currency_id.symbol,
                "position": company.currency_id.position,
            },
        )

    def test_a_period_ending_before_it_starts_is_refused(self):
        Dashboard = self.env["store.dashboard"].with_user(self.region_mgr)
        with self.assertRaisesRegex(UserError, "date_to"):
            Dashboard.get_kpis("2026-10-11", "2026-10-05")
        with self.assertRaisesRegex(UserError, "baseline_to"):
            Dashboard.get_kpis(*PERIOD, "2026-09-11", "2026-09-05")
        with self.assertRaisesRegex(UserError, "date_to"):
            Dashboard.get_heatmap("2026-10-11", "2026-10-05")

    def test_a_period_longer_than_366_days_is_refused(self):
        Dashboard = self.env["store.dashboard"].with_user(self.region_mgr)
        with self.assertRaisesRegex(UserError, "date_from..date_to covers 367 days"):
            Dashboard.get_kpis("2025-10-10", "2026-10-11")
        with self.assertRaisesRegex(UserError, "baseline_from..baseline_to covers 367 days"):
            Dashboard.get_kpis(*PERIOD, "2024-10-10", "2025-10-11")
        # a leap year's 366 days are read; so is the default baseline of as many days
        result = Dashboard.get_kpis("2023-10-12", "2024-10-11")
        self.assertEqual(result["baseline"], ["2022-10-11", "2023-10-11"])

    def test_stockouts_are_counted_on_the_stores_local_dates(self):
        """Store B in New York: an alert opened on 12 October at 02:00 UTC is 11 October there
        (in the period; the 12th in China), one on 5 September at 02:00 UTC is 4 September (before
        the baseline; in it in China)."""
        self.store_b.tz = "America/New_York"
        Alert = self.env["store.stock.alert"]
        for when in (datetime(2026, 10, 12, 2, 0), datetime(2026, 9, 5, 2, 0)):
            Alert.create(
                {
                    "store_id": self.store_b.id,
                    "product_id": self.product.id,
                    "kind": "out_of_stock",
                    "date_first_seen": when,
                }
            )
            self.env.flush_all()
            self.env.cr.execute("UPDATE store_stock_alert SET state = 'closed' WHERE state = 'open'")
        self.env.invalidate_all()
        _result, kpis = self._kpis(user=self.manager_b)
        self.assertEqual(
            (kpis["stockouts"]["value"], kpis["stockouts"]["baseline"]),
            (1.0, 0.0),
            "the alert of 11 October, New York time; none on 5-11 September there",
        )
        _result, kpis = self._kpis(region_id=self.region_east.id)
        self.assertEqual(
            (kpis["stockouts"]["value"], kpis["stockouts"]["baseline"]),
            (3.0, 1.0),
            "store A's (Shanghai) and store B's (New York)",
        )
