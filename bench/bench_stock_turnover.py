"""Benchmark of the stock turnover KPI (库存周转率 / 周转天数) of store_dashboard at scale.

    bin/odoo shell -d DB --log-level=warn --no-http < bench/bench_stock_turnover.py

Builds, with bench/stock_chain_data.py (its docstring documents the data), BENCH_STORES stores (200)
x BENCH_PRODUCTS storable products (5,000): 1,000,000 quants, and BENCH_DAYS days of POS sales (30
by default: the nightly job reads the last 5 local days only). Prints:

- the nightly snapshot of every store's units on hand (``store.stock.day.fact._snapshot``: one
  aggregate over the quants of the stores' warehouses; target ≤ 10 s);
- the nightly recount of the units sold of the last days (``_refresh_sold``; target ≤ 10 s);
- with a year of stock day facts inserted by SQL (stores x 365 rows), the KPI's read as an HQ
  analyst (``store.dashboard._stock_turnover``) for 30 days against the 30 before and for 366 days
  against the 366 before (target ≤ 100 ms each), and the whole ``get_kpis`` of 30 days.

Everything is rolled back at the end: the database is left as it was.
"""

import os
import sys
import time
from datetime import timedelta

from odoo import Command, fields
from odoo.fields import Domain
from odoo.tools import SQL

sys.path.insert(0, os.path.join(os.getcwd(), "bench"))
import stock_chain_data  # bench/ is put on the path just above

STORES = int(os.environ.get("BENCH_STORES", 200))
PRODUCTS = int(os.environ.get("BENCH_PRODUCTS", 5000))
DAYS = int(os.environ.get("BENCH_DAYS", 30))
NIGHT_TARGET, READ_TARGET = 10.0, 0.1


def timed(env, function):
    """(seconds, result) of ``function()``, caches emptied first."""
    env.flush_all()
    env.invalidate_all()
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def verdict(seconds, target):
    return "OK" if seconds <= target else "MISSED"


def main(env):
    start = time.perf_counter()
    print(f"building {STORES} stores × {PRODUCTS} products, {DAYS} days of sales:", flush=True)
    data = stock_chain_data.build(env, stores=STORES, products=PRODUCTS, days=DAYS)
    stores = data["stores"]
    print(f"setup: {time.perf_counter() - start:.0f} s")
    Fact = env["store.stock.day.fact"].sudo()
    env.cr.execute(SQL("SELECT count(*) FROM stock_quant"))
    quants = env.cr.fetchone()[0]

    now = fields.Datetime.now()
    seconds, _r = timed(env, lambda: Fact._snapshot(now))
    env.cr.execute(SQL("SELECT count(*) FROM store_stock_day_fact WHERE store_id = ANY(%s)", stores.ids))
    print(
        f"nightly snapshot of every store ({quants:,} quants): {seconds:.2f} s "
        f"(target ≤ {NIGHT_TARGET:.0f} s: {verdict(seconds, NIGHT_TARGET)}), {env.cr.fetchone()[0]} rows"
    )
    # a year of history: stores x 365 days before today (the nightly recount then updates the
    # rows of the last days from the orders)
    today = fields.Date.context_today(Fact)
    env.cr.execute(
        SQL(
            """INSERT INTO store_stock_day_fact (store_id, region_id, company_id, date, qty_on_hand, qty_sold)
               SELECT s.id, s.region_id, s.company_id, d::date,
                      200000 + (hashtext(s.id || '-' || d::date) %% 20000),
                      400 + (hashtext(d::date || '-' || s.id) %% 100)
                 FROM store_store s, generate_series(%s::date - 365, %s::date - 1, interval '1 day') d
                WHERE s.id = ANY(%s)""",
            today,
            today,
            stores.ids,
        )
    )
    env.cr.execute("ANALYZE store_stock_day_fact")
    env.cr.execute(SQL("SELECT count(*) FROM store_stock_day_fact"))
    print(f"stock day facts: {env.cr.fetchone()[0]:,} rows")
    seconds, changed = timed(
        env, lambda: Fact._refresh_sold(today - timedelta(days=4), today + timedelta(days=1))
    )
    print(
        f"nightly recount of the units sold of the last 5 local days ({len(stores) * 5} rows): "
        f"{seconds:.2f} s "
        f"(target ≤ {NIGHT_TARGET:.0f} s: {verdict(seconds, NIGHT_TARGET)}), {changed} rows changed"
    )

    analyst = (
        env["res.users"]
        .sudo()
        .create(
            {
                "name": "bench analyst",
                "login": "bench_turnover_analyst",
                "group_ids": [Command.link(env.ref("store_pos_ext.group_hq_analyst").id)],
            }
        )
    )
    Dashboard = env["store.dashboard"].with_user(analyst)
    for days in (30, 366):
        period = (today - timedelta(days=days), today - timedelta(days=1))
        baseline = (period[0] - timedelta(days=days), period[0] - timedelta(days=1))
        seconds, (turnover, cover) = timed(
            env,
            lambda period=period, baseline=baseline: Dashboard._stock_turnover(Domain.TRUE, period, baseline),
        )
        print(
            f"stock turnover of the chain, {days} days against the {days} before, as an HQ analyst: "
            f"{seconds * 1000:.0f} ms "
            f"(target ≤ {READ_TARGET * 1000:.0f} ms: {verdict(seconds, READ_TARGET)}); "
            f"turnover {turnover[0]:.3f}, days of cover {cover[0]:.1f}"
        )
    period = (today - timedelta(days=30), today - timedelta(days=1))
    seconds, _r = timed(env, lambda: Dashboard.get_kpis(*period))
    print(f"get_kpis of 30 days, every KPI, as an HQ analyst: {seconds * 1000:.0f} ms")


try:
    main(env)  # noqa: F821 (odoo shell)
finally:
    env.cr.rollback()  # noqa: F821
