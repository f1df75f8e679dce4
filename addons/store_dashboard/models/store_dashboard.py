from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL

from ..tools.fact_sql import DEFAULT_TZ

# Sums of store.sales.fact a KPI reads, for the period (p_) and the baseline (b_).
SALES_SUMS = (
    "order_count",
    "refund_count",
    "revenue",
    "refund_amount",
    "discount_amount",
    "item_qty",
    "non_member_order_count",
    "new_member_count",
    "promo_order_count",
    "promo_discount",
)

# The KPIs in the order shown, and how their figures read.
KPI_UNITS = [
    ("revenue", "currency"),
    ("order_count", "count"),
    ("avg_ticket", "currency"),
    ("repeat_rate", "percent"),
    ("signup_rate", "percent"),
    ("promo_redemption_rate", "percent"),
    ("promo_cost", "currency"),
    ("discount_amount", "currency"),
    ("refund_amount", "currency"),
    ("stockouts", "count"),
]


class StoreDashboard(models.AbstractModel):
    """The KPIs of the HQ and region dashboards, read from the facts (``store.sales.fact``,
    ``store.member.month.fact``, ``store.employee.day.fact``) and the stock alerts through the
    user's access rights and record rules: a store manager's figures are their stores', a region
    manager's their region's, HQ's the chain's. Read only (``@api.readonly``: they run on a read
    replica when one is configured)."""

    _name = "store.dashboard"
    _description = "Store dashboard KPIs"

    @api.readonly
    @api.model
    def get_kpis(
        self, date_from, date_to, baseline_from=False, baseline_to=False, region_id=False, store_id=False
    ):
        """The KPIs of the user's stores (of ``region_id`` / ``store_id`` when given) over the
        local dates ``date_from``..``date_to``, against the baseline ``baseline_from``..
        ``baseline_to`` (default: as many days just before):

        ``{"period": [from, to], "baseline": [from, to], "kpis": [{"key", "name", "definition",
        "value", "baseline", "change", "unit"}...], "heatmap": [[weekday, hour, orders]...],
        "signup_by_store": [...], "signup_by_employee": [...]}`` (``change``: % against the
        baseline, False without a baseline figure)."""
        period, baseline = self._periods(date_from, date_to, baseline_from, baseline_to)
        scope = self._scope_domain(region_id, store_id)
        sales = self._sales_sums(scope, period, baseline)
        repeat = self._repeat_rates(scope, period, baseline)
        stockouts = self._stockouts(scope, period, baseline)

        def ratio(num, den, scale=1.0):
            return round(scale * num / den, 4) if den else 0.0

        figures = {
            "revenue": (sales["p_revenue"], sales["b_revenue"]),
            "order_count": (sales["p_order_count"], sales["b_order_count"]),
            "avg_ticket": (
                ratio(sales["p_revenue"], sales["p_order_count"]),
                ratio(sales["b_revenue"], sales["b_order_count"]),
            ),
            "repeat_rate": repeat,
            "signup_rate": (
                ratio(
                    sales["p_new_member_count"],
                    sales["p_non_member_order_count"] + sales["p_new_member_count"],
                    100.0,
                ),
                ratio(
                    sales["b_new_member_count"],
                    sales["b_non_member_order_count"] + sales["b_new_member_count"],
                    100.0,
                ),
            ),
            "promo_redemption_rate": (
                ratio(sales["p_promo_order_count"], sales["p_order_count"], 100.0),
                ratio(sales["b_promo_order_count"], sales["b_order_count"], 100.0),
            ),
            "promo_cost": (sales["p_promo_discount"], sales["b_promo_discount"]),
            "discount_amount": (sales["p_discount_amount"], sales["b_discount_amount"]),
            "refund_amount": (sales["p_refund_amount"], sales["b_refund_amount"]),
            "stockouts": stockouts,
        }
        kpis = []
        for key, name, definition, unit in self._kpi_definitions():
            value, base = figures[key]
            value, base = round(float(value), 2), round(float(base), 2)
            kpis.append(
                {
                    "key": key,
                    "name": name,
                    "definition": definition,
                    "unit": unit,
                    "value": value,
                    "baseline": base,
                    "change": round(100.0 * (value - base) / abs(base), 1) if base else False,
                }
            )
        return {
            "period": [fields.Date.to_string(d) for d in period],
            "baseline": [fields.Date.to_string(d) for d in baseline],
            "kpis": kpis,
            "heatmap": self._heatmap(scope, period),
            "signup_by_store": self._signup_by_store(scope, period),
            "signup_by_employee": self._signup_by_employee(scope, period),
        }

    @api.readonly
    @api.model
    def get_heatmap(self, date_from, date_to, region_id=False, store_id=False):
        """客流: [[weekday (0 = Monday), hour, orders]...] of the user's stores over the period."""
        period, _baseline = self._periods(date_from, date_to, False, False)
        return self._heatmap(self._scope_domain(region_id, store_id), period)

    @api.model
    def _kpi_definitions(self):
        """(key, name, definition, unit) of each KPI, in the reader's language."""
        names = {
            "revenue": (
                self.env._("Revenue"),
                self.env._("Paid sales, taxes included; refunds not deducted."),
            ),
            "order_count": (self.env._("Orders"), self.env._("Paid sales (tickets); refunds not counted.")),
            "avg_ticket": (self.env._("Average ticket (客单价)"), self.env._("Revenue / orders.")),
            "repeat_rate": (
                self.env._("Repeat rate (复购率)"),
                self.env._(
                    "Members with at least 2 visits / members with at least 1 visit, in the calendar "
                    "months of the period (a visit is a paid sale; all the user's stores together)."
                ),
            ),
            "signup_rate": (
                self.env._("Card sign-up rate (办卡率)"),
                self.env._(
                    "Members registered at the stores / (orders of customers who were not members "
                    "when they paid + those registrations), in the period: the share of the "
                    "non-members who joined. The order of a customer registered at the till is a "
                    "member order."
                ),
            ),
            "promo_redemption_rate": (
                self.env._("Promotion redemption rate (核销率)"),
                self.env._("Orders the server counted for at least one promotion / all orders."),
            ),
            "promo_cost": (
                self.env._("Promotion cost"),
                self.env._("The discount the server counted for promotions: what their budgets spent."),
            ),
            "discount_amount": (
                self.env._("Discounts"),
                self.env._(
                    "What discounts took off the sales, taxes included: line discounts, promotion "
                    "rewards, manual discounts and point redemptions (not stored value)."
                ),
            ),
            "refund_amount": (
                self.env._("Refunds"),
                self.env._("What refund orders gave back, taxes included."),
            ),
            "stockouts": (
                self.env._("Stock-outs (缺货次数)"),
                self.env._("Out-of-stock alerts opened in the period (the nightly stock alerts)."),
            ),
        }
        return [(key, *names[key], unit) for key, unit in KPI_UNITS]

    # ------------------------------------------------------------------ helpers
    @api.model
    def _periods(self, date_from, date_to, baseline_from, baseline_to):
        date_from, date_to = fields.Date.to_date(date_from), fields.Date.to_date(date_to)
        if date_to < date_from:
            date_from, date_to = date_to, date_from
        if baseline_from and baseline_to:
            baseline = (fields.Date.to_date(baseline_from), fields.Date.to_date(baseline_to))
        else:
            days = (date_to - date_from).days + 1
            baseline = (date_from - timedelta(days=days), date_from - timedelta(days=1))
        return (date_from, date_to), baseline

    @api.model
    def _scope_domain(self, region_id, store_id):
        domain = Domain.TRUE
        if region_id:
            domain &= Domain("region_id", "=", int(region_id))
        if store_id:
            domain &= Domain("store_id", "=", int(store_id))
        return domain

    @api.model
    def _between(self, column, period):
        return SQL("%s BETWEEN %s AND %s", column, period[0], period[1])

    @api.model
    def _sales_sums(self, scope, period, baseline):
        Fact = self.env["store.sales.fact"]
        first, last = min(period[0], baseline[0]), max(period[1], baseline[1])
        query = Fact._search(scope & Domain("date", ">=", first) & Domain("date", "<=", last))
        date = SQL.identifier(query.table, "date")
        sums = []
        for prefix, dates in (("p", period), ("b", baseline)):
            for name in SALES_SUMS:
                sums.append(
                    SQL(
                        "COALESCE(SUM(%s) FILTER (WHERE %s), 0) AS %s",
                        SQL.identifier(query.table, name),
                        self._between(date, dates),
                        SQL.identifier(f"{prefix}_{name}"),
                    )
                )
        self.env.cr.execute(query.select(*sums))
        return self.env.cr.dictfetchone()

    @api.model
    def _repeat_rates(self, scope, period, baseline):
        """(period, baseline) 复购率 in %, from the member month facts of the months of each."""
        Fact = self.env["store.member.month.fact"]
        months = [(start.replace(day=1), end.replace(day=1)) for start, end in (period, baseline)]
        first, last = min(m[0] for m in months), max(m[1] for m in months)
        query = Fact._search(scope & Domain("month", ">=", first) & Domain("month", "<=", last))
        table = query.table
        month, visits = SQL.identifier(table, "month"), SQL.identifier(table, "order_count")
        per_member = query.select(
            SQL.identifier(table, "partner_id"),
            *(
                SQL(
                    "COALESCE(SUM(%s) FILTER (WHERE %s), 0) AS %s",
                    visits,
                    self._between(month, dates),
                    SQL.identifier(f"{prefix}_visits"),
                )
                for prefix, dates in zip(("p", "b"), months, strict=True)
            ),
        )
        self.env.cr.execute(
            SQL(
                """SELECT COUNT(*) FILTER (WHERE p_visits >= 2), COUNT(*) FILTER (WHERE p_visits >= 1),
                          COUNT(*) FILTER (WHERE b_visits >= 2), COUNT(*) FILTER (WHERE b_visits >= 1)
                     FROM (%s GROUP BY 1) m""",
                per_member,
            )
        )
        p_repeat, p_any, b_repeat, b_any = self.env.cr.fetchone()
        return (
            round(100.0 * p_repeat / p_any, 2) if p_any else 0.0,
            round(100.0 * b_repeat / b_any, 2) if b_any else 0.0,
        )

    @api.model
    def _utc_bounds(self, dates):
        tz = pytz.timezone(self.env.user.tz or DEFAULT_TZ)

        def utc(day):
            return tz.localize(datetime.combine(day, time.min)).astimezone(pytz.utc).replace(tzinfo=None)

        return utc(dates[0]), utc(dates[1] + timedelta(days=1))

    @api.model
    def _stockouts(self, scope, period, baseline):
        """(period, baseline) out-of-stock alerts opened (store_stock's alerts, the user's)."""
        Alert = self.env["store.stock.alert"]
        if not Alert.has_access("read"):
            return (0, 0)
        result = []
        for dates in (period, baseline):
            start, end = self._utc_bounds(dates)
            result.append(
                Alert.with_context(active_test=False).search_count(
                    scope
                    & Domain("kind", "=", "out_of_stock")
                    & Domain("date_first_seen", ">=", start)
                    & Domain("date_first_seen", "<", end)
                )
            )
        return tuple(result)

    @api.model
    def _heatmap(self, scope, period):
        Fact = self.env["store.sales.fact"]
        domain = scope & Domain("date", ">=", period[0]) & Domain("date", "<=", period[1])
        rows = Fact._read_group(domain, ["weekday", "hour"], ["order_count:sum"], order="weekday, hour")
        return [[weekday, hour, orders] for weekday, hour, orders in rows if orders]

    @api.model
    def _signup_by_store(self, scope, period):
        """办卡率 of each store over the period."""
        Fact = self.env["store.sales.fact"]
        domain = scope & Domain("date", ">=", period[0]) & Domain("date", "<=", period[1])
        rows = Fact._read_group(domain, ["store_id"], ["new_member_count:sum", "non_member_order_count:sum"])
        return [
            {
                "store_id": store.id,
                "name": store.display_name,
                "new_members": new,
                "non_member_orders": orders,
                "rate": round(100.0 * new / (orders + new), 2) if orders + new else 0.0,
            }
            for store, new, orders in rows
        ]

    @api.model
    def _signup_by_employee(self, scope, period):
        """办卡率 of each employee (store x employee) over the period."""
        Fact = self.env["store.employee.day.fact"]
        domain = scope & Domain("date", ">=", period[0]) & Domain("date", "<=", period[1])
        rows = Fact._read_group(
            domain, ["store_id", "employee_id"], ["new_member_count:sum", "non_member_order_count:sum"]
        )
        return [
            {
                "store_id": store.id,
                "employee_id": employee.id,
                "name": employee.sudo().name,
                "new_members": new,
                "non_member_orders": orders,
                "rate": round(100.0 * new / (orders + new), 2) if orders + new else 0.0,
            }
            for store, employee, new, orders in rows
        ]
