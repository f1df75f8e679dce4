"""Benchmark of the transfer suggestions (store.stock.transfer.suggestion._compute_suggestions) and
of the till's other stores' stock (pos.session.get_other_stores_stock, its uncached read).

    bin/odoo shell -d DB --log-level=warn < bench/bench_transfer_suggestions.py

Inserts BENCH_STORES stores (200) in 10 regions, each with a warehouse, and BENCH_PRODUCTS storable
products (5,000) with bulk SQL (generate_series): a reorder rule (min 10, max 30) and a quant of
every product in every store (1,000,000 each at the defaults). The quantity of product p in store s
is (7p + 13s) mod 61, so about one rule in six is short (below 10) and one in two has a surplus
(above 30). Times one computation of the whole chain's suggestions (target ≤ 30 s) with its query
count, then the till's read of one product's stock in a region for 200 products, uncached
(target p95 ≤ 50 ms). Everything is rolled back at the end: the database is left as it was.
"""

import os
import statistics
import time

from odoo.tools import SQL

STORES = int(os.environ.get("BENCH_STORES", 200))
PRODUCTS = int(os.environ.get("BENCH_PRODUCTS", 5000))
REGIONS = 10


def setup(env):
    company = env.company
    cr = env.cr
    regions = env["store.region"].create(
        [{"name": f"基准区域{i}", "code": f"BENCH-R{i}", "company_id": company.id} for i in range(REGIONS)]
    )
    Location = env["stock.location"].with_context(tracking_disable=True)
    views = Location.create([{"name": f"BENCH{i:03d}", "usage": "view"} for i in range(STORES)])
    stocks = Location.create(
        [{"name": "Stock", "usage": "internal", "location_id": view.id} for view in views]
    )
    env.flush_all()
    cr.execute(
        SQL(
            """
            INSERT INTO stock_warehouse (company_id, view_location_id, lot_stock_id, name, code,
                                         reception_steps, delivery_steps, active)
            SELECT %(company)s, v, s, 'BENCH' || lpad(n::text, 3, '0'), 'B' || lpad(n::text, 3, '0'),
                   'one_step', 'ship_only', TRUE
              FROM unnest(%(views)s::int[], %(stocks)s::int[]) WITH ORDINALITY AS t(v, s, n)
            RETURNING id, lot_stock_id
            """,
            company=company.id,
            views=views.ids,
            stocks=stocks.ids,
        )
    )
    warehouses = cr.fetchall()
    for warehouse_id, stock_id in warehouses:
        cr.execute(
            "UPDATE stock_location SET warehouse_id = %s WHERE id IN %s",
            [warehouse_id, (stock_id, views[stocks.ids.index(stock_id)].id)],
        )
    env.invalidate_all()
    stores = (
        env["store.store"]
        .with_context(store_skip_setup=True, tracking_disable=True)
        .create(
            [
                {
                    "name": f"基准门店{i:03d}",
                    "code": f"BENCH{i:03d}",
                    "sequence": i,
                    "region_id": regions[i % REGIONS].id,
                    "company_id": company.id,
                    "warehouse_id": warehouse_id,
                }
                for i, (warehouse_id, _stock) in enumerate(warehouses)
            ]
        )
    )
    unit = env.ref("uom.product_uom_unit").id
    cr.execute(
        SQL(
            """
            WITH t AS (
                INSERT INTO product_template (name, uom_id, type, is_storable, service_tracking,
                                              tracking, active, sale_ok, available_in_pos, store_assortment)
                SELECT jsonb_build_object('en_US', '基准商品' || n), %(unit)s, 'consu', TRUE, 'no',
                       'none', TRUE, TRUE, TRUE, 'core'
                  FROM generate_series(1, %(products)s) AS n
                RETURNING id
            )
            INSERT INTO product_product (product_tmpl_id, active) SELECT id, TRUE FROM t RETURNING id
            """,
            unit=unit,
            products=PRODUCTS,
        )
    )
    product_ids = [row[0] for row in cr.fetchall()]
    cr.execute(
        SQL(
            """
            INSERT INTO stock_warehouse_orderpoint (name, warehouse_id, location_id, product_id,
                company_id, trigger, product_min_qty, product_max_qty, active)
            SELECT 'BENCH', w.id, w.lot_stock_id, p, %(company)s, 'manual', 10, 30, TRUE
              FROM stock_warehouse w CROSS JOIN unnest(%(products)s::int[]) AS p
             WHERE w.id = ANY(%(warehouses)s)
            """,
            company=company.id,
            products=product_ids,
            warehouses=[w for w, _s in warehouses],
        )
    )
    cr.execute(
        SQL(
            """
            INSERT INTO stock_quant (product_id, location_id, company_id, quantity, reserved_quantity,
                                     in_date)
            SELECT p.id, w.lot_stock_id, %(company)s, (7 * p.n + 13 * w0.n) %% 61, 0, NOW()
              FROM unnest(%(warehouses)s::int[]) WITH ORDINALITY AS w0(id, n)
              JOIN stock_warehouse w ON w.id = w0.id
              CROSS JOIN unnest(%(products)s::int[]) WITH ORDINALITY AS p(id, n)
            """,
            company=company.id,
            products=product_ids,
            warehouses=[w for w, _s in warehouses],
        )
    )
    for table in (
        "stock_quant",
        "stock_warehouse_orderpoint",
        "stock_warehouse",
        "stock_location",
        "store_store",
        "product_product",
        "product_template",
    ):
        cr.execute(SQL("ANALYZE %s", SQL.identifier(table)))
    return stores, env["product.product"].browse(product_ids)


def main(env):
    start = time.perf_counter()
    stores, products = setup(env)
    env.flush_all()
    print(
        f"setup: {len(stores)} stores, {len(products)} products, "
        f"{len(stores) * len(products)} reorder rules and quants in {time.perf_counter() - start:.1f} s"
    )
    Suggestion = env["store.stock.transfer.suggestion"]
    if os.environ.get("BENCH_PHASES"):
        start = time.perf_counter()
        rows = Suggestion._stock_positions()
        middle = time.perf_counter()
        plan = Suggestion._plan(rows)
        print(
            f"phases: positions query {middle - start:.1f} s ({len(rows)} rows), "
            f"plan {time.perf_counter() - middle:.1f} s ({len(plan)} moves)"
        )
        del rows, plan
    if os.environ.get("BENCH_EXPLAIN"):
        from odoo.addons.store_stock.models.store_stock_transfer_suggestion import POSITIONS_SQL

        env.cr.execute(
            "EXPLAIN ANALYZE " + POSITIONS_SQL, {"region_ids": None, "product_ids": None, "every_row": False}
        )
        print("\n".join(row[0] for row in env.cr.fetchall()))
    queries = env.cr.sql_log_count
    start = time.perf_counter()
    suggestions = Suggestion._compute_suggestions()
    elapsed = time.perf_counter() - start
    print(
        f"transfer suggestions: {len(suggestions)} in {elapsed:.1f} s (target ≤ 30 s), "
        f"{env.cr.sql_log_count - queries} queries"
    )
    Session = env["pos.session"]
    store = stores[0]
    timings = []
    for i, product in enumerate(products[:200]):
        start = time.perf_counter()
        # a new time bucket each call: the uncached read, as the first till of a region asks it
        Session._other_stores_stock_rows(product.id, store.region_id.id, False, env.company.id, "zh_CN", -i)
        timings.append((time.perf_counter() - start) * 1000)
    p95 = statistics.quantiles(timings, n=20)[-1]
    print(
        f"till's other stores' stock (uncached, {len(store.region_id.store_ids)} stores in the region): "
        f"median {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms (target ≤ 50 ms)"
    )


try:
    main(env)  # noqa: F821 (odoo shell)
finally:
    env.cr.rollback()  # noqa: F821
