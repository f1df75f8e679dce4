"""Benchmark of the nightly stock alerts (store.stock.alert._compute_alerts) of a chain at scale.

    bin/odoo shell -d DB --log-level=warn --no-http < bench/bench_stock_alerts.py

Builds, with bench/stock_chain_data.py (its docstring documents the data), BENCH_STORES stores (200)
in 10 regions x BENCH_PRODUCTS storable products (5,000), some lot-tracked with lots expiring in 3
and in 120 days: 1,000,000 quants, HQ's thresholds (chain category thresholds, region and
store-type overrides, slow-mover and near-expiry days), a year (BENCH_DAYS) of POS sales (~1.5M
lines). The reorder rules of the thresholds are INSERTED BY SQL exactly as the synchronisation
writes them, so the bench times the nightly job in its steady state (rules already in line with the
thresholds): the synchronisation finds nothing to change. Prints:

- the synchronisation alone in the steady state, with its query count;
- ``_compute_alerts`` of the 200 stores (target ≤ 60 s) with its query count: a first run that
  opens the alerts, then the next night's run that refreshes them (alert counts by kind);
  The next night's run is slower here than on a real night: its alerts were inserted by this same
  transaction, so PostgreSQL re-checks the 9 foreign keys of every refreshed alert (~11 s for
  166,611 alerts in EXPLAIN ANALYZE); on a real night (alerts of an earlier transaction, keys
  unchanged) it skips them;
- the query count for 20 stores and for 200 stores (must be equal);
- separately, the first apply of the thresholds to ONE store: its 5,000 rules deleted, then created
  by the synchronisation through core's ORM (create computes core's stored fields), so the first
  apply of a whole chain can be extrapolated.

With BENCH_EXPLAIN=1, also prints EXPLAIN (ANALYZE, BUFFERS) of the alerts' statement. Everything
is rolled back at the end: the database is left as it was.
"""

import os
import sys
import time

from odoo import fields
from odoo.tools import SQL

sys.path.insert(0, os.path.join(os.getcwd(), "bench"))
import stock_chain_data  # bench/ is put on the path just above

STORES = int(os.environ.get("BENCH_STORES", 200))
PRODUCTS = int(os.environ.get("BENCH_PRODUCTS", 5000))
DAYS = int(os.environ.get("BENCH_DAYS", 365))
TARGET = 60.0


def timed(env, function):
    """(seconds, queries, result) of ``function()``, caches emptied first."""
    env.flush_all()
    env.invalidate_all()
    queries, start = env.cr.sql_log_count, time.perf_counter()
    result = function()
    env.flush_all()
    return time.perf_counter() - start, env.cr.sql_log_count - queries, result


def open_alerts(env, stores):
    env.cr.execute(
        SQL(
            """SELECT kind, count(*) FROM store_stock_alert
                WHERE state = 'open' AND store_id = ANY(%s) GROUP BY kind ORDER BY kind""",
            stores.ids,
        )
    )
    return ", ".join(f"{kind} {count:,}" for kind, count in env.cr.fetchall())


def main(env):
    start = time.perf_counter()
    print(f"building {STORES} stores × {PRODUCTS} products, {DAYS} days of sales:", flush=True)
    data = stock_chain_data.build(env, stores=STORES, products=PRODUCTS, days=DAYS)
    stores = data["stores"]
    print(f"setup: {time.perf_counter() - start:.0f} s")
    Threshold = env["store.stock.threshold"].sudo()
    Alert = env["store.stock.alert"].sudo()
    company_stores = Threshold._stores_of(env.company)
    env.cr.execute(SQL("SELECT count(*) FROM (%s) d", Threshold._orderpoint_changes_sql(company_stores.ids)))
    print(f"reorder rules to change after the SQL insert: {env.cr.fetchone()[0]} (steady state)")

    seconds, queries, _r = timed(env, lambda: Threshold._sync_orderpoints(env.company))
    print(f"sync of the reorder rules, nothing to change: {seconds:.1f} s, {queries} queries")

    seconds, queries, _r = timed(env, lambda: Alert._compute_alerts(stores))
    verdict = "OK" if seconds <= TARGET else "MISSED"
    print(
        f"alerts of {len(stores)} stores, first run: {seconds:.1f} s (target ≤ {TARGET:.0f} s: {verdict}), "
        f"{queries} queries; open: {open_alerts(env, stores)}"
    )
    seconds, queries, _r = timed(env, lambda: Alert._compute_alerts(stores))
    verdict = "OK" if seconds <= TARGET else "MISSED"
    print(
        f"alerts of {len(stores)} stores, next night: {seconds:.1f} s (target ≤ {TARGET:.0f} s: {verdict}), "
        f"{queries} queries; open: {open_alerts(env, stores)}"
    )
    few = stores[:20]
    seconds_few, queries_few, _r = timed(env, lambda: Alert._compute_alerts(few))
    seconds_all, queries_all, _r = timed(env, lambda: Alert._compute_alerts(stores))
    print(
        f"query count: {len(few)} stores {queries_few} ({seconds_few:.1f} s), "
        f"{len(stores)} stores {queries_all} ({seconds_all:.1f} s): "
        f"{'equal' if queries_few == queries_all else 'DIFFERENT'}"
    )

    store = stores[0]
    env.cr.execute(
        SQL(
            """DELETE FROM stock_warehouse_orderpoint
                WHERE location_id = %s AND store_threshold_id IS NOT NULL""",
            store.warehouse_id.lot_stock_id.id,
        )
    )
    deleted = env.cr.rowcount
    env.invalidate_all()
    seconds, queries, _r = timed(env, lambda: Threshold._sync_orderpoints(env.company))
    print(
        f"first apply of ONE store: {deleted:,} rules created through core's ORM in {seconds:.1f} s "
        f"({queries} queries): the chain's {data['rules']:,} rules would take ~"
        f"{seconds * data['rules'] / max(deleted, 1) / 60:.0f} min"
    )
    if os.environ.get("BENCH_EXPLAIN"):
        env.flush_all()
        env.cr.execute(
            SQL("EXPLAIN (ANALYZE, BUFFERS) %s", Alert._alerts_sql(stores.ids, fields.Datetime.now()))
        )
        print("\n".join(row[0] for row in env.cr.fetchall()))


try:
    main(env)  # noqa: F821 (odoo shell)
finally:
    env.cr.rollback()  # noqa: F821
