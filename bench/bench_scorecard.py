"""Benchmark of the monthly staff scorecards (store.staff.score._compute_month).

    bin/odoo shell -d DB --log-level=warn < bench/bench_scorecard.py

Inserts 200 stores x 20 staff x 12 months of paid POS orders with bulk SQL (generate_series),
times _compute_month for the 12 months and prints the total, the time per month and the number
of queries. Everything is rolled back at the end: the database is left as it was.
Environment: BENCH_STORES (200), BENCH_STAFF (20), BENCH_ORDERS (orders per employee per month, 20),
BENCH_YEAR (2024).
"""

import os
import time
from datetime import date

from odoo.tools import SQL

STORES = int(os.environ.get("BENCH_STORES", 200))
STAFF = int(os.environ.get("BENCH_STAFF", 20))
ORDERS = int(os.environ.get("BENCH_ORDERS", 20))
YEAR = int(os.environ.get("BENCH_YEAR", 2024))


def analyze(cr, *tables):
    """Fresh planner statistics after a bulk load, as autovacuum would give them."""
    for table in tables:
        cr.execute(SQL("ANALYZE %s", SQL.identifier(table)))


def setup(env):
    company = env.company
    start = time.perf_counter()
    regions = env["store.region"].create(
        [{"name": f"基准区域{i}", "code": f"BENCH-R{i}", "company_id": company.id} for i in range(10)]
    )
    stores = (
        env["store.store"]
        .with_context(store_skip_setup=True, tracking_disable=True)
        .create(
            [
                {
                    "name": f"基准门店{i:03d}",
                    "code": f"BENCH{i:03d}",
                    "region_id": regions[i % len(regions)].id,
                    "company_id": company.id,
                    "tz": "Asia/Shanghai",
                }
                for i in range(STORES)
            ]
        )
    )
    env.flush_all()
    # staff in bulk too (the ORM would also make a partner, a version and an avatar for each)
    env.cr.execute(
        SQL(
            """
            WITH staff AS (
                SELECT st.id AS store_id, '基准员工' || st.code || '-' || lpad(n::text, 2, '0') AS name
                  FROM store_store st CROSS JOIN generate_series(1, %(staff)s) AS n
                 WHERE st.id = ANY(%(stores)s)
            ),
            resources AS (
                INSERT INTO resource_resource (name, resource_type, tz, time_efficiency, company_id, active)
                SELECT name, 'user', 'Asia/Shanghai', 100, %(company)s, TRUE FROM staff
                RETURNING id, name
            )
            INSERT INTO hr_employee (resource_id, company_id, name, store_id, active)
            SELECT r.id, %(company)s, s.name, s.store_id, TRUE
              FROM resources r JOIN staff s ON s.name = r.name
            RETURNING id
            """,
            staff=STAFF,
            stores=stores.ids,
            company=company.id,
        )
    )
    employees = env["hr.employee"].browse([employee_id for (employee_id,) in env.cr.fetchall()])
    analyze(env.cr, "store_store", "hr_employee")
    product = env["product.product"].create({"name": "基准商品", "list_price": 10.0, "taxes_id": False})
    env.flush_all()
    t_records = time.perf_counter()
    cr = env.cr
    # orders: every employee, every month, ORDERS orders spread over the month (Shanghai time)
    cr.execute(
        SQL(
            """
            INSERT INTO pos_order (company_id, name, store_id, region_id, employee_id, user_id, state,
                                   is_refund, currency_rate, date_order,
                                   amount_total, amount_tax, amount_paid, amount_return)
            SELECT %(company)s, 'BENCH/' || e.id || '/' || m || '/' || n, e.store_id, st.region_id, e.id,
                   %(uid)s, 'paid', FALSE, 1.0,
                   make_timestamp(%(year)s, m, 1 + (n * 7 + e.id) %% 28, 1 + n %% 12, 0, 0),
                   amount * 1.13, amount * 0.13, amount * 1.13, 0
              FROM hr_employee e
              JOIN store_store st ON st.id = e.store_id
             CROSS JOIN generate_series(1, 12) AS m
             CROSS JOIN generate_series(1, %(orders)s) AS n
             CROSS JOIN LATERAL (SELECT (10 + (e.id * 31 + m * 17 + n * 7) %% 190)::numeric AS amount) a
             WHERE e.id = ANY(%(employees)s)
             ORDER BY 10  -- tills record orders as time goes by
            """,
            company=company.id,
            uid=env.uid,
            year=YEAR,
            orders=ORDERS,
            employees=employees.ids,
        )
    )
    order_count = cr.rowcount
    analyze(cr, "pos_order")
    t_orders = time.perf_counter()
    # two lines per order; one order in five has its second line credited to a colleague
    cr.execute(
        SQL(
            """
            WITH colleague AS (
                SELECT e.id AS employee_id,
                       COALESCE(LEAD(e.id) OVER w, FIRST_VALUE(e.id) OVER w) AS colleague_id
                  FROM hr_employee e
                 WHERE e.id = ANY(%(employees)s)
                WINDOW w AS (PARTITION BY e.store_id ORDER BY e.id)
            )
            INSERT INTO pos_order_line (order_id, product_id, name, qty, price_unit,
                                        price_subtotal, price_subtotal_incl, salesperson_id)
            SELECT o.id, %(product)s, 'BENCH', 1, part, part, part * 1.13,
                   CASE WHEN l = 2 AND o.id %% 5 = 0 THEN c.colleague_id END
              FROM pos_order o
              JOIN colleague c ON c.employee_id = o.employee_id
             CROSS JOIN generate_series(1, 2) AS l
             CROSS JOIN LATERAL (SELECT (o.amount_total - o.amount_tax) / 2 AS part) p
             WHERE o.store_id = ANY(%(stores)s)
             ORDER BY o.id, l
            """,
            product=product.id,
            stores=stores.ids,
            employees=employees.ids,
        )
    )
    line_count = cr.rowcount
    t_lines = time.perf_counter()
    analyze(cr, "pos_order_line")
    print(
        f"setup: {len(stores)} stores, {len(employees)} staff, {order_count} orders, {line_count} lines "
        f"in {time.perf_counter() - start:.1f} s (records {t_records - start:.1f} s, "
        f"orders {t_orders - t_records:.1f} s, lines {t_lines - t_orders:.1f} s)"
    )
    return company


def bench(env):
    company = setup(env)
    Score = env["store.staff.score"]
    cr = env.cr
    queries0 = cr.sql_log_count
    start = time.perf_counter()
    per_month = []
    for month in range(1, 13):
        t0 = time.perf_counter()
        Score._compute_month(date(YEAR, month, 1), company)
        per_month.append(time.perf_counter() - t0)
    total = time.perf_counter() - start
    queries = cr.sql_log_count - queries0
    rows = Score.search_count([("month", ">=", date(YEAR, 1, 1)), ("month", "<", date(YEAR + 1, 1, 1))])
    print(f"_compute_month x 12: {total:.2f} s total, {total / 12:.2f} s per month, ", end="")
    print(f"{queries} queries, {rows} rows")
    print("per month (s):", " ".join(f"{t:.2f}" for t in per_month))
    t0 = time.perf_counter()
    Score._compute_month(date(YEAR, 12, 1), company)
    print(f"recomputing December (rows updated in place): {time.perf_counter() - t0:.2f} s")
    t0 = time.perf_counter()
    queries0 = cr.sql_log_count
    alerts = Score._check_training_alerts(date(YEAR, 12, 1), company)
    print(
        f"_check_training_alerts (December): {time.perf_counter() - t0:.2f} s, "
        f"{cr.sql_log_count - queries0} queries, {len(alerts)} alerts"
    )
    print("target: under 10 s total:", "OK" if total < 10 else "MISSED")


try:
    bench(env)  # noqa: F821 (the shell's environment)
finally:
    env.cr.rollback()  # noqa: F821
    print("rolled back")
