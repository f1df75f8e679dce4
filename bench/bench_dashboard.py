"""Benchmark of the HQ dashboard (store_dashboard) on a chain's year of POS orders.

    bin/odoo shell -d DB --log-level=warn --no-http < bench/bench_dashboard.py

Inserts with bulk SQL (generate_series), in the current transaction, BENCH_STORES stores (200) in
10 regions, each with a POS and a closed session (so core's report.pos.order knows the store's
POS), BENCH_MEMBERS members (1,000 a store) registered over the year at their store, 50 employees
(5 cashiers a store), and BENCH_LINES order lines (10,000,000) in orders of 5 lines over
BENCH_DAYS days (365) before today, rung up between 08:00 and 22:00 China time: 40 % for members,
one in 50 a refund (one line of quantity -1), one in 10 counted for a promotion,
one line in 20 with a 10 % line discount. Then:

- builds the facts from the orders (``store.sales.fact._rebuild_all``, as the install does);
- times the HQ dashboard's reads (as an HQ analyst of the company) for the last 30 days,
  chain-wide, against the 30 days before (``store.dashboard.get_kpis``: the KPIs, the weekday x
  hour heatmap, 办卡率 by store and by employee; plus the store x hour grid of orders and revenue),
  and the same figures grouped from core's ``report.pos.order`` view for the company (totals of
  both periods, weekday x hour, POS x hour, repeat members); prints both and the ratio (target:
  facts ≤ 1 s, ≥ 20x faster);
- times the reconcile of one day after a fact of it was tampered with (target ≤ 10 s);
- times the upkeep of one settled order (``_refresh_orders``; median of 50).

Each read is run twice and the second (warm cache) timing is kept, for both sides. Everything is
rolled back at the end: the database is left as it was. Test it small first:
``BENCH_LINES=20000 BENCH_STORES=20 BENCH_MEMBERS=2000 bin/odoo shell ...``.
"""

import os
import statistics
import time
from datetime import date, timedelta

from odoo.tools import SQL

LINES = int(os.environ.get("BENCH_LINES", 10_000_000))
STORES = int(os.environ.get("BENCH_STORES", 200))
DAYS = int(os.environ.get("BENCH_DAYS", 365))
MEMBERS = int(os.environ.get("BENCH_MEMBERS", STORES * 1000))
REGIONS = 10
LINES_PER_ORDER = 5
EMPLOYEES = 50


def order_lines(n, refund):
    """The lines of bench order number ``n`` (an SQL expression), a refund or not: (k, qty, price,
    discount). A refund gives back one unit of its first line."""
    return SQL(
        """SELECT k, qty, price, discount FROM (
               SELECT k, CASE WHEN %(refund)s AND k = 1 THEN -1 WHEN %(refund)s THEN 0
                              ELSE 1 + k %% 3 END AS qty,
                      10 + (k * 7 + %(n)s) %% 20 AS price,
                      CASE WHEN k = 5 AND %(n)s %% 4 = 0 THEN 10 ELSE 0 END AS discount
                 FROM generate_series(1, %(per_order)s) AS k) t
            WHERE qty <> 0""",
        n=n,
        refund=refund,
        per_order=LINES_PER_ORDER,
    )


def log(message, start):
    print(f"  [{time.perf_counter() - start:7.1f} s] {message}", flush=True)


def setup(env):
    start = time.perf_counter()
    cr, company = env.cr, env.company
    regions = env["store.region"].create(
        [{"name": f"基准区域{i}", "code": f"BENCH-R{i}", "company_id": company.id} for i in range(REGIONS)]
    )
    stores = (
        env["store.store"]
        .with_context(store_skip_setup=True, tracking_disable=True)
        .create(
            [
                {
                    "name": f"基准门店{i:03d}",
                    "code": f"BENCH{i:03d}",
                    "region_id": regions[i % REGIONS].id,
                    "company_id": company.id,
                    "tz": "Asia/Shanghai",
                }
                for i in range(STORES)
            ]
        )
    )
    employees = env["hr.employee"].create([{"name": f"基准收银员{i}"} for i in range(EMPLOYEES)])
    product = env["product.product"].create(
        {"name": "基准商品", "list_price": 10.0, "available_in_pos": True}
    )
    picking_type = env["stock.picking.type"].search([("company_id", "=", company.id)], limit=1)
    env.flush_all()
    cr.execute(
        SQL(
            """
            CREATE TEMP TABLE bench_store ON COMMIT DROP AS
            SELECT s.id, s.region_id, n - 1 AS n FROM unnest(%(stores)s::int[]) WITH ORDINALITY AS t(id, n)
              JOIN store_store s ON s.id = t.id;
            CREATE TEMP TABLE bench_config ON COMMIT DROP AS
            WITH c AS (
                INSERT INTO pos_config (name, company_id, picking_type_id, iface_tax_included,
                                        picking_policy, store_id, active)
                SELECT 'BENCH POS ' || s.n, %(company)s, %(picking_type)s, 'total', 'direct', s.id, TRUE
                  FROM bench_store s
                RETURNING id, store_id
            )
            SELECT c.id AS config_id, c.store_id,
                   (SELECT 0) AS session_id
              FROM c;
            WITH ps AS (
                INSERT INTO pos_session (name, config_id, user_id, state, start_at, stop_at)
                SELECT 'BENCH/' || config_id, config_id, %(uid)s, 'closed', now(), now() FROM bench_config
                RETURNING id, config_id
            )
            UPDATE bench_config b SET session_id = ps.id FROM ps WHERE ps.config_id = b.config_id;
            """,
            stores=stores.ids,
            company=company.id,
            picking_type=picking_type.id,
            uid=env.uid,
        )
    )
    log(f"{STORES} stores in {REGIONS} regions, a POS and a session each", start)
    cr.execute(
        SQL(
            """
            CREATE TEMP TABLE bench_member ON COMMIT DROP AS
            WITH p AS (
                INSERT INTO res_partner (name, complete_name, active, is_member, autopost_bills, type,
                                         register_store_id, home_store_id, member_consent_date,
                                         create_date, write_date)
                SELECT '基准会员' || g.n, '基准会员' || g.n, TRUE, TRUE, 'ask', 'contact', s.id, s.id,
                       date_trunc('day', now() at time zone 'UTC')
                           - make_interval(days => (g.n * 7) %% %(days)s, hours => 8 - (g.n %% 13)),
                       now(), now()
                  FROM generate_series(0, %(members)s - 1) AS g(n)
                  JOIN bench_store s ON s.n = g.n %% %(stores)s
                RETURNING id
            )
            SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM p;
            CREATE INDEX ON bench_member (n);
            """,
            days=DAYS,
            members=MEMBERS,
            stores=STORES,
        )
    )
    log(f"{MEMBERS:,} members", start)
    cr.execute("SELECT COALESCE(MAX(id), 0) FROM pos_order")
    first_order = cr.fetchone()[0]
    orders = LINES // LINES_PER_ORDER
    cr.execute(
        SQL(
            """
            INSERT INTO pos_order (name, company_id, store_id, region_id, session_id, config_id, state,
                                   date_order, amount_tax, amount_total, amount_paid, amount_return,
                                   partner_id, employee_id, store_promo_counted, is_refund,
                                   create_uid, write_uid, create_date, write_date)
            SELECT 'BENCH/' || o.n, %(company)s, s.id, s.region_id, c.session_id, c.config_id, 'done',
                   date_trunc('day', now() at time zone 'UTC')
                       - make_interval(days => 1 + (o.n / %(stores)s) %% %(days)s)
                       + make_interval(hours => o.h %% 14, mins => o.h %% 60),
                   0, t.total, t.total, 0,
                   CASE WHEN o.h %% 10 < 4 THEN m.id END,
                   (%(employees)s::int[])[1 + (s.n * 5 + o.h %% 5) %% %(n_employees)s],
                   CASE WHEN o.n %% 10 = 3 THEN '{"1": 5.0}'::jsonb END,
                   o.n %% 50 = 0,
                   1, 1, now(), now()
              FROM (SELECT n, abs(hashtext(n::text)) AS h FROM generate_series(0, %(orders)s - 1) AS n) o
              JOIN bench_store s ON s.n = o.n %% %(stores)s
              JOIN bench_config c ON c.store_id = s.id
              LEFT JOIN bench_member m ON m.n = (s.n + %(stores)s * (o.h %% 1000)) %% %(members)s
             CROSS JOIN LATERAL (
                   SELECT SUM(l.qty * l.price * (1 - l.discount / 100.0)) AS total FROM (%(lines)s) l
                   ) t
            """,
            lines=order_lines(SQL("o.n"), SQL("o.n %% 50 = 0")),
            company=company.id,
            stores=STORES,
            days=DAYS,
            orders=orders,
            members=MEMBERS,
            employees=employees.ids,
            n_employees=EMPLOYEES,
        )
    )
    log(f"{cr.rowcount:,} orders", start)
    cr.execute(
        SQL(
            """
            INSERT INTO pos_order_line (order_id, product_id, name, full_product_name, qty, price_unit,
                                        discount, price_subtotal, price_subtotal_incl,
                                        create_uid, write_uid, create_date, write_date)
            SELECT o.id, %(product)s, 'BENCH', 'BENCH', l.qty, l.price, l.discount,
                   l.qty * l.price * (1 - l.discount / 100), l.qty * l.price * (1 - l.discount / 100),
                   1, 1, now(), now()
              FROM pos_order o
             CROSS JOIN LATERAL (%(lines)s) l
             WHERE o.id > %(first)s
            """,
            product=product.id,
            first=first_order,
            lines=order_lines(SQL("substring(o.name FROM 7)::int"), SQL("o.amount_total < 0")),
        )
    )
    log(f"{cr.rowcount:,} order lines", start)
    for table in ("pos_order", "pos_order_line", "res_partner", "store_store", "pos_session", "pos_config"):
        cr.execute(SQL("ANALYZE %s", SQL.identifier(table)))
    env.invalidate_all()
    log("analyzed", start)
    return stores


def timed(env, function, runs=2):
    """(seconds of the last run, result): caches emptied before each run."""
    for _run in range(runs):
        env.flush_all()
        env.invalidate_all()
        start = time.perf_counter()
        result = function()
        elapsed = time.perf_counter() - start
    return elapsed, result


def main(env):
    start = time.perf_counter()
    print(f"bench_dashboard: {LINES:,} lines, {STORES} stores, {DAYS} days, {MEMBERS:,} members")
    setup(env)
    Fact = env["store.sales.fact"]
    seconds, changed = timed(env, Fact._rebuild_all, runs=1)
    env.cr.execute("SELECT COUNT(*) FROM store_sales_fact")
    sales_rows = env.cr.fetchone()[0]
    env.cr.execute("SELECT COUNT(*) FROM store_member_month_fact")
    member_rows = env.cr.fetchone()[0]
    env.cr.execute("SELECT COUNT(*) FROM store_employee_day_fact")
    employee_rows = env.cr.fetchone()[0]
    print(
        f"facts built in {seconds:.1f} s ({len(changed):,} store-days): {sales_rows:,} store x hour rows, "
        f"{member_rows:,} member x month rows, {employee_rows:,} employee x day rows"
    )
    for table in ("store_sales_fact", "store_member_month_fact", "store_employee_day_fact"):
        env.cr.execute(SQL("ANALYZE %s", SQL.identifier(table)))

    today = date.today()
    period = (today - timedelta(days=30), today - timedelta(days=1))
    baseline = (today - timedelta(days=60), today - timedelta(days=31))
    # The facts are read as an HQ analyst (through the record rules, as the dashboard does); the
    # report as the superuser (an analyst has no POS rights).
    analyst = env["res.users"].create(
        {
            "name": "基准总部分析师",
            "login": "bench_hq_analyst",
            "company_id": env.company.id,
            "company_ids": [(6, 0, env.company.ids)],
            "group_ids": [(6, 0, [env.ref("store_pos_ext.group_hq_analyst").id])],
        }
    )
    Dashboard = env["store.dashboard"].with_user(analyst)
    Facts = Fact.with_user(analyst)

    def facts_reads():
        kpis = Dashboard.get_kpis(*period, *baseline)
        grid = Facts._read_group(
            [("date", ">=", period[0]), ("date", "<=", period[1])],
            ["store_id", "hour"],
            ["order_count:sum", "revenue:sum"],
        )
        return kpis, grid

    Report = env["report.pos.order"]

    def domain(dates):
        return [
            ("date", ">=", str(dates[0])),
            ("date", "<", str(dates[1] + timedelta(days=1))),
            ("state", "in", ["paid", "done"]),
            ("company_id", "=", env.company.id),
        ]

    def report_reads():
        totals = [
            Report._read_group(domain(dates), [], ["price_total:sum", "order_id:count_distinct"])
            for dates in (period, baseline)
        ]
        heatmap = Report._read_group(
            domain(period), ["date:day_of_week", "date:hour_number"], ["order_id:count_distinct"]
        )
        grid = Report._read_group(
            domain(period), ["config_id", "date:hour_number"], ["price_total:sum", "order_id:count_distinct"]
        )
        members = Report._read_group(
            [*domain(period), ("partner_id", "!=", False)], ["partner_id"], ["order_id:count_distinct"]
        )
        repeat = sum(1 for _partner, count in members if count >= 2)
        return totals, heatmap, grid, repeat

    facts_s, (kpis, grid) = timed(env, facts_reads)
    report_s, (totals, _heatmap, report_grid, _repeat) = timed(env, report_reads)
    figures = {kpi["key"]: kpi["value"] for kpi in kpis["kpis"]}
    print(
        f"HQ dashboard, 30 days vs the 30 before, chain-wide: facts {facts_s * 1000:.0f} ms "
        f"(target ≤ 1000 ms; {len(kpis['heatmap'])} heatmap cells, {len(grid)} store x hour cells); "
        f"report.pos.order {report_s * 1000:.0f} ms ({len(report_grid)} POS x hour cells); "
        f"ratio {report_s / facts_s:.1f}x (target ≥ 20x)"
    )
    print(
        f"  facts: {figures['order_count']:.0f} orders, revenue {figures['revenue']:.2f}; "
        f"report: {totals[0][0][1]} orders, revenue {totals[0][0][0] or 0:.2f} (refunds included)"
    )

    day = period[0] + timedelta(days=10)
    env.cr.execute(
        """UPDATE store_sales_fact SET revenue = revenue + 1
            WHERE id = (SELECT MIN(id) FROM store_sales_fact WHERE date = %s)""",
        [day],
    )
    seconds, fixed = timed(env, lambda: Fact._reconcile_days(day, day), runs=1)
    print(f"reconcile of one day: {seconds:.1f} s (target ≤ 10 s), fixed {len(fixed)} (store, day)")

    env.cr.execute("SELECT id FROM pos_order WHERE name LIKE 'BENCH/%%' ORDER BY id DESC LIMIT 60")
    ids = [row[0] for row in env.cr.fetchall()]
    timings = []
    for order_id in ids:
        begin = time.perf_counter()
        Fact._refresh_orders([order_id])
        timings.append((time.perf_counter() - begin) * 1000)
    print(
        f"upkeep of one settled order: median {statistics.median(timings[10:]):.1f} ms "
        f"(first call, which plans the statement: {timings[0]:.1f} ms)"
    )
    log("done", start)


try:
    main(env)  # noqa: F821 (odoo shell)
finally:
    env.cr.rollback()  # noqa: F821
