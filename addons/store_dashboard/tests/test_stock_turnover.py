from collections import defaultdict
from datetime import date, datetime

import pytz

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import DashboardCommon

PERIOD = ("2026-10-05", "2026-10-07")  # the baseline: 2 to 4 October


def china(day, hour, minute=0):
    """A moment of October ``day`` at ``hour``:``minute`` in China, as naive UTC."""
    local = pytz.timezone("Asia/Shanghai").localize(datetime(2026, 10, day, hour, minute))
    return local.astimezone(pytz.utc).replace(tzinfo=None)


@tagged("post_install", "-at_install")
class TestStockTurnover(DashboardCommon):
    """库存周转率 and 周转天数 from the nightly stock snapshots (store x day: opening units on hand)
    and the units of stocked goods the tills sold, on known data: store A has snapshots on 3
    October (baseline) and 5, 6, 7 October (the period), store B on the period's days."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.goods = cls.env["product.product"].create(
            {
                "name": "测试库存商品",
                "is_storable": True,
                "list_price": 10.0,
                "available_in_pos": True,
                "taxes_id": False,
            }
        )
        a, b, goods = cls.store_a, cls.store_b, cls.goods
        # store A: 10 units on 2 October (no snapshot that day: left out), 4 on the 3rd (baseline)
        cls._sale(a, [(goods, 10, 10.0)], when=china(2, 12))
        cls._sale(a, [(goods, 4, 10.0)], when=china(3, 12))
        # the period: 6 on the 5th (and 7 of a product not kept in stock), 3 + 2 - 1 returned on
        # the 6th, 2 late on the 7th; 6 just after midnight, the 8th in China (the 7th in UTC)
        sale = cls._sale(a, [(goods, 6, 10.0), (cls.product, 7, 10.0)], when=china(5, 12))
        cls._sale(a, [(goods, 3, 10.0)], when=china(6, 12))
        cls._sale(a, [(goods, 2, 10.0)], when=china(6, 15))
        refund = cls._order_data(
            a, [cls._refund_line(sale.lines.filtered(lambda line: line.product_id == goods), 1)]
        )
        refund["date_order"] = china(6, 18).strftime("%Y-%m-%d %H:%M:%S")
        cls._sync(refund)
        cls._sale(a, [(goods, 2, 10.0)], when=china(7, 23, 30))
        cls._sale(a, [(goods, 6, 10.0)], when=china(8, 0, 30))
        # store B: 5 on the 5th
        cls._sale(b, [(goods, 5, 10.0)], when=china(5, 11))
        # the nightly snapshots, 04:00 in China: the opening stock of each day
        cls.snapshots = {}
        plan = {a: {3: 40, 5: 100, 6: 80, 7: 60}, b: {5: 50, 6: 50, 7: 50}}
        Fact = cls.env["store.stock.day.fact"]
        for day in (3, 5, 6, 7):
            for store, levels in plan.items():
                if day in levels:
                    cls._set_on_hand(store, levels[day])
                    cls.snapshots[(store.id, date(2026, 10, day))] = cls._on_hand(store)
                    Fact._snapshot(china(day, 4), store_ids=store.ids)
        Fact._refresh_sold(date(2026, 10, 1), date(2026, 10, 9), (a | b).ids)

    @classmethod
    def _stock(cls, store):
        return cls.env["stock.quant"].search(
            [
                ("location_id.warehouse_id", "=", store.warehouse_id.id),
                ("location_id.usage", "=", "internal"),
            ]
        )

    @classmethod
    def _on_hand(cls, store):
        cls.env.invalidate_all()
        return sum(cls._stock(store).mapped("quantity"))

    @classmethod
    def _set_on_hand(cls, store, qty):
        delta = qty - cls._on_hand(store)
        if not delta:
            return
        cls.env["stock.quant"]._update_available_quantity(cls.goods, store.warehouse_id.lot_stock_id, delta)
        cls.env.flush_all()

    def _expected(self, stores, dates):
        """(turnover, days of cover) computed here: units sold read from the orders through the
        ORM (store-local dates, storable goods, returns deducted) over the days with a snapshot."""
        sold = defaultdict(float)
        orders = self.env["pos.order"].search(
            [("store_id", "in", stores.ids), ("state", "in", ["paid", "done"])]
        )
        for order in orders:
            local = pytz.utc.localize(order.date_order).astimezone(pytz.timezone(order.store_id.tz))
            for line in order.lines.filtered(lambda line: line.product_id.is_storable):
                sold[(order.store_id.id, local.date())] += line.qty
        keys = [key for key in self.snapshots if key[0] in stores.ids and dates[0] <= key[1] <= dates[1]]
        units = sum(sold[key] for key in keys)
        on_hand = sum(self.snapshots[key] for key in keys)
        days = len({key[1] for key in keys})
        return (
            round(units * days / on_hand, 2) if on_hand else 0.0,
            round(on_hand / units, 2) if units else 0.0,
        )

    def _kpis(self, user=None, **scope):
        Dashboard = self.env["store.dashboard"]
        result = (Dashboard.with_user(user) if user else Dashboard).get_kpis(*PERIOD, **scope)
        kpis = {kpi["key"]: kpi for kpi in result["kpis"]}
        return kpis["stock_turnover"], kpis["days_of_cover"]

    def test_snapshots_hold_the_opening_stock_and_the_units_sold(self):
        facts = self.env["store.stock.day.fact"].search([("store_id", "=", self.store_a.id)])
        self.assertEqual(
            {(f.date.day, f.qty_on_hand, f.qty_sold) for f in facts},
            # 5th: 6 (not the 7 of the product not in stock); 6th: 3 + 2 - 1; 7th: not the 6 of
            # the 8th in China
            {(3, 40.0, 4.0), (5, 100.0, 6.0), (6, 80.0, 4.0), (7, 60.0, 2.0)},
        )

    def test_turnover_and_days_of_cover_of_a_store(self):
        turnover, cover = self._kpis(store_id=self.store_a.id)
        # period: 12 units sold / (240 / 3 days on hand) = 0.15; 240 / 12 = 20 days
        # baseline: only the 3rd has a snapshot: 4 / 40 = 0.1; 40 / 4 = 10 days
        self.assertEqual((turnover["value"], turnover["baseline"], turnover["change"]), (0.15, 0.1, 50.0))
        self.assertEqual((cover["value"], cover["baseline"], cover["change"]), (20.0, 10.0, 100.0))
        self.assertEqual((turnover["unit"], cover["unit"]), ("ratio", "days"))
        self.assertTrue(turnover["definition"] and cover["definition"])
        period = (date(2026, 10, 5), date(2026, 10, 7))
        self.assertEqual((turnover["value"], cover["value"]), self._expected(self.store_a, period))

    def test_turnover_of_a_region(self):
        turnover, cover = self._kpis(region_id=self.region_east.id)
        period = (date(2026, 10, 5), date(2026, 10, 7))
        expected = self._expected(self.store_a | self.store_b, period)
        # (12 + 5) units x 3 days / (240 + 150) on hand; 390 / 17 days
        self.assertEqual(expected, (0.13, 22.94))
        self.assertEqual((turnover["value"], cover["value"]), expected)

    def test_a_store_manager_reads_their_stores_figure_only(self):
        turnover, cover = self._kpis(user=self.manager_b)
        self.assertEqual((turnover["value"], cover["value"]), (0.1, 30.0), "store B: 5 x 3 / 150")
        turnover, cover = self._kpis(user=self.manager_b, store_id=self.store_a.id)
        self.assertEqual((turnover["value"], cover["value"]), (0.0, 0.0), "store A's facts are not read")

    def test_another_stores_user_can_neither_read_nor_write_the_facts(self):
        Fact = self.env["store.stock.day.fact"]
        fact_a = Fact.search([("store_id", "=", self.store_a.id)], limit=1)
        as_b = Fact.with_user(self.manager_b)
        self.assertEqual(set(as_b.search([]).store_id.ids), {self.store_b.id})
        with self.assertRaises(AccessError):
            fact_a.with_user(self.manager_b).read(["qty_on_hand"])
        own = as_b.search([], limit=1)
        for record in (fact_a.with_user(self.manager_b), own):
            with self.assertRaises(AccessError):
                record.write({"qty_on_hand": 1.0})
            with self.assertRaises(AccessError):
                record.unlink()
        with self.assertRaises(AccessError):
            as_b.create({"store_id": self.store_b.id, "date": date(2026, 10, 9), "qty_on_hand": 1.0})
        self.assertEqual(
            self.env["store.stock.day.fact"]
            .with_user(self.analyst)
            .search_count([("store_id", "in", (self.store_a | self.store_b).ids)]),
            7,
            "HQ reads every store's",
        )

    def test_the_first_snapshot_of_a_day_stands(self):
        Fact = self.env["store.stock.day.fact"]
        self._set_on_hand(self.store_a, 999)
        Fact._snapshot(china(5, 10), store_ids=self.store_a.ids)
        fact = Fact.search([("store_id", "=", self.store_a.id), ("date", "=", date(2026, 10, 5))])
        self.assertEqual(fact.qty_on_hand, 100.0)
        Fact._snapshot(china(9, 4), store_ids=self.store_a.ids)
        fact = Fact.search([("store_id", "=", self.store_a.id), ("date", "=", date(2026, 10, 9))])
        self.assertEqual(fact.qty_on_hand, 999.0)

    def test_the_nightly_job_snapshots_every_store_and_recounts_todays_sales(self):
        Fact = self.env["store.stock.day.fact"]
        self._sale(self.store_a, [(self.goods, 3, 10.0)])
        self._set_on_hand(self.store_a, 25)
        Fact._cron_snapshot()
        today = fields.Date.context_today(Fact.with_context(tz=self.store_a.tz))
        fact = Fact.search([("store_id", "=", self.store_a.id), ("date", "=", today)])
        self.assertEqual((fact.qty_on_hand, fact.qty_sold), (25.0, 3.0))
        self.assertTrue(Fact.search([("store_id", "=", self.store_c.id), ("date", "=", today)]))

    def test_the_demo_history_is_backfilled_from_the_latest_snapshot(self):
        """Demo only: the days before a store's latest snapshot get an opening stock of the latest
        plus the units sold since; the snapshots that exist stay as they are."""
        Fact = self.env["store.stock.day.fact"]
        b = self.store_b
        added = Fact._demo_backfill(4, store_ids=b.ids)
        self.assertEqual(added, 2, "3 and 4 October (5, 6, 7 exist)")
        rows = {f.date.day: f for f in Fact.search([("store_id", "=", b.id)])}
        latest = self.snapshots[(b.id, date(2026, 10, 7))]
        # B sold 5 on the 5th: before it, 5 more were on hand than on the 7th
        self.assertEqual(rows[4].qty_on_hand, latest + 5)
        self.assertEqual(rows[3].qty_on_hand, latest + 5)
        self.assertEqual((rows[3].qty_sold, rows[4].qty_sold), (0, 0))
        for day in (5, 6, 7):
            self.assertEqual(rows[day].qty_on_hand, self.snapshots[(b.id, date(2026, 10, day))])
        self.assertEqual(Fact._demo_backfill(4, store_ids=b.ids), 0, "once")
