from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import SQL

from ..tools.fact_sql import DEFAULT_TZ

# Sums of store.sales.fact a KPI reads, for the period (p_) and the baseline (b_): counts of every
# store, amounts of the stores whose currency is the user's company's only (an amount in another
# currency is not added to them).
COUNT_SUMS = (
    "order_count",
    "refund_count",
    "item_qty",
    "non_member_order_count",
    "new_member_count",
    "promo_order_count",
)
MONEY_SUMS = ("revenue", "refund_amount", "discount_amount", "promo_discount")
# The longest period (and baseline) a KPI read covers, in days.
MAX_PERIOD_DAYS = 366

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
    ("stock_turnover", "ratio"),
    ("days_of_cover", "days"),
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

        ``{"period": [from, to], "baseline": [from, to], "currency": {"id", "name", "symbol",
        "position"}, "kpis": [{"key", "name", "definition", "value", "baseline", "change",
        "unit"}...], "heatmap": [[weekday, hour, orders]...], "signup_by_store": [...],
        "signup_by_employee": [...]}`` (``change``: % against the baseline, False without a
        baseline figure). Amounts are those of the stores in the currency of the user's current
        company (``currency``), never a sum of several currencies; counts are of every store.

        A period (or baseline) ending before it starts, or longer than ``MAX_PERIOD_DAYS`` days,
        is refused (``UserError``)."""
        period, baseline = self._periods(date_from, date_to, baseline_from, baseline_to)
        scope = self._scope_domain(region_id, store_id)
        currency = self.env.company.currency_id
        sales = self._sales_sums(scope, period, baseline, currency)
        repeat = self._repeat_rates(scope, period, baseline)
        stockouts = self._stockouts(scope, period, baseline)
        turnover, cover = self._stock_turnover(scope, period, baseline)

        def ratio(num, den, scale=1.0):
            return round(scale * num / den, 4) if den else 0.0

        figures = {
            "revenue": (sales["p_revenue"], sales["b_revenue"]),
            "order_count": (sales["p_order_count"], sales["b_order_count"]),
            "avg_ticket": (
                ratio(sales["p_revenue"], sales["p_currency_order_count"]),
                ratio(sales["b_revenue"], sales["b_currency_order_count"]),
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
            "stock_turnover": turnover,
            "days_of_cover": cover,
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
            "currency": {
                "id": currency.id,
                "name": currency.name,
                "symbol": currency.symbol,
                "position": currency.position,
            },
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
                self.env._(
                    "Paid sales, taxes included; refunds not deducted. Amounts are in your "
                    "company's currency: stores in another currency are left out of them."
                ),
            ),
            "order_count": (self.env._("Orders"), self.env._("Paid sales (tickets); refunds not counted.")),
            "avg_ticket": (
                self.env._("Average ticket (客单价)"),
                self.env._("Revenue / orders (of the stores in your company's currency)."),
            ),
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
                self.env._(
                    "Out-of-stock alerts opened in the period (the nightly stock alerts), on the "
                    "stores' local dates."
                ),
            ),
            "stock_turnover": (
                self.env._("Stock turnover (库存周转率)"),
                self.env._(
                    "Units of stocked goods the stores' tills sold (returns deducted) / average "
                    "units on hand in the stores' warehouses, over the days of the period with a "
                    "nightly stock snapshot (the opening stock of each day; days before the first "
                    "snapshot are left out)."
                ),
            ),
            "days_of_cover": (
                self.env._("Days of cover (周转天数)"),
                self.env._(
                    "Average units on hand / units sold a day, over the same days as the stock "
                    "turnover: how many days the stock lasts at the period's pace (0 when nothing "
                    "was sold)."
                ),
            ),
        }
        return [(key, *names[key], unit) for key, unit in KPI_UNITS]

    # ------------------------------------------------------------------ helpers
    @api.model
    def _periods(self, date_from, date_to, baseline_from, baseline_to):
        """((from, to), (baseline from, baseline to)) as dates; a range ending before it starts or
        longer than ``MAX_PERIOD_DAYS`` days is refused, naming its field."""
        period = self._checked_range(date_from, date_to, "date_from", "date_to")
        if baseline_from or baseline_to:
            baseline = self._checked_range(baseline_from, baseline_to, "baseline_from", "baseline_to")
        else:
            days = (period[1] - period[0]).days + 1
            baseline = (period[0] - timedelta(days=days), period[0] - timedelta(days=1))
        return period, baseline

    @api.model
    def _checked_range(self, start, end, start_name, end_name):
        if not start or not end:
            raise UserError(
                self.env._("Both %(start)s and %(end)s are needed.", start=start_name, end=end_name)
            )
        start, end = fields.Date.to_date(start), fields.Date.to_date(end)
        if end < start:
            raise UserError(
                self.env._(
                    "%(end)s (%(end_date)s) is before %(start)s (%(start_date)s).",
                    end=end_name,
                    end_date=end,
                    start=start_name,
                    start_date=start,
                )
            )
        days = (end - start).days + 1
        if days > MAX_PERIOD_DAYS:
            raise UserError(
                self.env._(
                    "%(start)s..%(end)s covers %(days)s days: at most %(max)s days can be read at once.",
                    start=start_name,
                    end=end_name,
                    days=days,
                    max=MAX_PERIOD_DAYS,
                )
            )
        return start, end

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
    def _sales_sums(self, scope, period, baseline, currency):
        """The sums of ``COUNT_SUMS`` (every store) and ``MONEY_SUMS`` (the facts in ``currency``
        only) for the period (``p_``) and the baseline (``b_``), and ``currency_order_count``: the
        orders of the facts in ``currency`` (the denominator of a per-order amount)."""
        Fact = self.env["store.sales.fact"]
        first, last = min(period[0], baseline[0]), max(period[1], baseline[1])
        query = Fact._search(scope & Domain("date", ">=", first) & Domain("date", "<=", last))
        date = SQL.identifier(query.table, "date")
        in_currency = SQL("%s = %s", SQL.identifier(query.table, "currency_id"), currency.id)
        columns = [(name, name, SQL("TRUE")) for name in COUNT_SUMS]
        columns += [(name, name, in_currency) for name in MONEY_SUMS]
        columns.append(("currency_order_count", "order_count", in_currency))
        sums = []
        for prefix, dates in (("p", period), ("b", baseline)):
            for alias, name, condition in columns:
                sums.append(
                    SQL(
                        "COALESCE(SUM(%s) FILTER (WHERE %s AND %s), 0) AS %s",
                        SQL.identifier(query.table, name),
                        self._between(date, dates),
                        condition,
                        SQL.identifier(f"{prefix}_{alias}"),
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
    def _stockouts(self, scope, period, baseline):
        """(period, baseline) out-of-stock alerts opened (store_stock's alerts, the user's), by the
        local date of their store (``store.store.tz``) as every fact."""
        Alert = self.env["store.stock.alert"]
        if not Alert.has_access("read"):
            return (0, 0)
        first, last = min(period[0], baseline[0]), max(period[1], baseline[1])
        # the UTC range of the local dates, a day wider either side (every timezone), then each
        # alert's store-local date
        query = Alert.with_context(active_test=False)._search(
            scope
            & Domain("kind", "=", "out_of_stock")
            & Domain("date_first_seen", ">=", first - timedelta(days=1))
            & Domain("date_first_seen", "<", last + timedelta(days=2))
        )
        store = query.make_alias(query.table, "store_id")
        query.add_join(
            "JOIN",
            store,
            "store_store",
            SQL("%s = %s", SQL.identifier(store, "id"), SQL.identifier(query.table, "store_id")),
        )
        local_date = SQL(
            "(timezone(COALESCE(%s, %s), timezone('UTC', %s)))::date",
            SQL.identifier(store, "tz"),
            DEFAULT_TZ,
            SQL.identifier(query.table, "date_first_seen"),
        )
        self.env.cr.execute(
            query.select(
                *(
                    SQL("COUNT(*) FILTER (WHERE %s)", self._between(local_date, dates))
                    for dates in (period, baseline)
                )
            )
        )
        return tuple(self.env.cr.fetchone())

    @api.model
    def _stock_turnover(self, scope, period, baseline):
        """((turnover, baseline turnover), (days of cover, baseline days of cover)) from the
        stock day facts of the user's stores: over the days with a snapshot, turnover = units
        sold x days / sum of the units on hand (units sold / average units on hand) and days of
        cover = sum of the units on hand / units sold (average on hand / units sold a day)."""
        Fact = self.env["store.stock.day.fact"]
        if not Fact.has_access("read"):
            return (0.0, 0.0), (0.0, 0.0)
        first, last = min(period[0], baseline[0]), max(period[1], baseline[1])
        query = Fact._search(scope & Domain("date", ">=", first) & Domain("date", "<=", last))
        date = SQL.identifier(query.table, "date")
        figures = []
        for dates in (period, baseline):
            within = self._between(date, dates)
            figures += [
                SQL(
                    "COALESCE(SUM(%s) FILTER (WHERE %s), 0)", SQL.identifier(query.table, "qty_sold"), within
                ),
                SQL(
                    "COALESCE(SUM(%s) FILTER (WHERE %s), 0)",
                    SQL.identifier(query.table, "qty_on_hand"),
                    within,
                ),
                SQL("COUNT(DISTINCT %s) FILTER (WHERE %s)", date, within),
            ]
        self.env.cr.execute(query.select(*figures))
        row = self.env.cr.fetchone()
        turnover, cover = [], []
        for sold, on_hand, days in (row[0:3], row[3:6]):
            turnover.append(sold * days / on_hand if on_hand > 0 else 0.0)
            cover.append(on_hand / sold if sold > 0 else 0.0)
        return tuple(turnover), tuple(cover)

    @api.model
    def _heatmap(self, scope, period):
        Fact = self.env["store.sales.fact"]
        domain = scope & Domain("date", ">=", period[0]) & Domain("date", "<=", period[1])
        rows = Fact._read_group(domain, ["weekday", "hour"], ["order_count:sum"], order="weekday, hour")
        return [[int(weekday), hour, orders] for weekday, hour, orders in rows if orders]

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
