"""A chain at scale for the inventory benches, built inside ``bin/odoo shell`` on the database
given, in the caller's transaction (the caller rolls it back). Bulk SQL (generate_series), the ORM
only where a handful of records need core's logic. Deterministic: the same arguments give the same
data. ``build(env, stores=200, products=5000, days=365, regions=10)`` makes, and returns as a dict
(``stores``, ``regions``, ``categories``, ``product_ids``, ``rules``):

- ``regions`` regions, and ``stores`` stores spread over them in turn, store types in turn (7
  types); each store has a warehouse inserted by SQL (a view and a stock location made by the ORM,
  no routes or picking types: the benches need none) and no POS;
- ``products`` storable products by SQL in 10 categories of 500 (products 1-500: category 0, ...);
  one in 20 is tracked by lots with expiry dates (``product_expiry``), with two lots: one expiring
  in 3 days, one in 120;
- one quant per store x product in the store's stock location (1,000,000 by default), lot-tracked
  products on their first lot in even stores and their second in odd ones; received 30-360 days
  ago; the quantity, from a hash of (store, product): 2 % none, 5 % 5 units (below the safety
  stock), 4 % 200 units (above the maximum), the rest 40-59 units (between them);
- thresholds as HQ sets them, inserted by SQL (creating them through the ORM would synchronise the
  reorder rules one by one): per category a chain safety stock / maximum (min 10-19, max 60-96) and
  near-expiry days (7); slow-mover days (120) for the two fast-moving categories 0 and 1 only;
  overrides: region 0 on category 2 (min 30, max 100), region 1 on category 3 (min 15, max 70),
  store type ``school`` on category 0 (min 20, max 80, slow-mover 60 days), and region 2's
  near-expiry days (10) on category 4;
- their reorder rules INSERTED BY SQL exactly as ``store.stock.threshold._sync_orderpoints``
  would create them (its difference query ``_orderpoint_changes_sql``, over every store of the
  company, the demo ones too): the rule of each (store, product) with its winning min / max and
  threshold, trigger manual, on the store's stock location. The stored fields core computes on an
  ORM create (qty_to_order_computed, deadline_date) are left empty: neither the alerts nor the
  synchronisation read them. After it, the synchronisation has nothing to do (steady state);
- ``days`` days of POS sales by SQL (the days before today): one paid (``done``) order a store a
  day, at 04:00 UTC (noon in China), with ``store_id`` and ``region_id`` set and no session, of
  17-23 lines by weekday (mean 20: 1,460,000 lines by default, ~1.4M without the dead stock's),
  each line a product drawn by ``hashtext`` of (store, day, line): 90 % among the 1,000 fast movers
  (categories 0 and 1), 10 % among the others; one fast mover in 10 (product number ending in 5)
  has sold nothing in the last 150 days (dead stock).

Everything is ANALYZEd at the end.
"""

import time

from odoo.tools import SQL

CATEGORIES = 10
FAST_PRODUCTS = 1000  # categories 0 and 1, the ones with slow-mover days


TABLES = (
    "product_template",
    "product_product",
    "stock_lot",
    "stock_quant",
    "stock_location",
    "stock_warehouse",
    "stock_warehouse_orderpoint",
    "store_stock_threshold",
    "store_store",
    "pos_order",
    "pos_order_line",
)


def _analyze(cr, tables):
    for table in tables:
        cr.execute(SQL("ANALYZE %s", SQL.identifier(table)))


def log(message, start):
    print(f"  [{time.perf_counter() - start:6.1f} s] {message}", flush=True)


def _warehouses(env, count):
    """``count`` warehouses inserted by SQL, each with a view and a stock location."""
    company = env.company
    Location = env["stock.location"].with_context(tracking_disable=True)
    views = Location.create([{"name": f"BENCH{i:03d}", "usage": "view"} for i in range(count)])
    stocks = Location.create(
        [{"name": "Stock", "usage": "internal", "location_id": view.id} for view in views]
    )
    env.flush_all()
    env.cr.execute(
        SQL(
            """
            INSERT INTO stock_warehouse (company_id, view_location_id, lot_stock_id, name, code,
                                         reception_steps, delivery_steps, active)
            SELECT %(company)s, v, s, 'BENCH' || lpad(n::text, 3, '0'), 'B' || lpad(n::text, 3, '0'),
                   'one_step', 'ship_only', TRUE
              FROM unnest(%(views)s::int[], %(stocks)s::int[]) WITH ORDINALITY AS t(v, s, n)
             ORDER BY n
            RETURNING id, view_location_id, lot_stock_id
            """,
            company=company.id,
            views=views.ids,
            stocks=stocks.ids,
        )
    )
    rows = sorted(env.cr.fetchall())
    env.cr.execute(
        SQL(
            """
            UPDATE stock_location l SET warehouse_id = t.w
              FROM unnest(%(w)s::int[], %(v)s::int[], %(s)s::int[]) AS t(w, v, s)
             WHERE l.id IN (t.v, t.s)
            """,
            w=[w for w, _v, _s in rows],
            v=[v for _w, v, _s in rows],
            s=[s for _w, _v, s in rows],
        )
    )
    env.invalidate_all()
    return [w for w, _v, _s in rows]


def build(env, stores=200, products=5000, days=365, regions=10):
    start = time.perf_counter()
    cr = env.cr
    company = env.company
    region_recs = env["store.region"].create(
        [{"name": f"基准区域{i}", "code": f"BENCH-R{i}", "company_id": company.id} for i in range(regions)]
    )
    warehouse_ids = _warehouses(env, stores)
    Store = env["store.store"]
    types = [value for value, _label in Store._fields["store_type"].selection]
    store_recs = Store.with_context(store_skip_setup=True, tracking_disable=True).create(
        [
            {
                "name": f"基准门店{i:03d}",
                "code": f"BENCH{i:03d}",
                "sequence": i,
                "region_id": region_recs[i % regions].id,
                "store_type": types[i % len(types)],
                "company_id": company.id,
                "warehouse_id": warehouse_id,
                "tz": "Asia/Shanghai",
            }
            for i, warehouse_id in enumerate(warehouse_ids)
        ]
    )
    env.flush_all()
    log(f"{stores} stores with their warehouses in {regions} regions", start)

    categories = env["product.category"].create([{"name": f"基准品类{i}"} for i in range(CATEGORIES)])
    per_category = -(-products // CATEGORIES)
    cr.execute(
        SQL(
            """
            WITH t AS (
                INSERT INTO product_template (name, uom_id, type, is_storable, service_tracking,
                                              tracking, use_expiration_date, store_assortment,
                                              categ_id, list_price, active, sale_ok,
                                              available_in_pos, create_uid, write_uid,
                                              create_date, write_date)
                SELECT jsonb_build_object('en_US', '基准商品' || n), %(unit)s, 'consu', TRUE, 'no',
                       CASE WHEN n %% 20 = 0 THEN 'lot' ELSE 'none' END, n %% 20 = 0, 'core',
                       (%(categs)s::int[])[1 + (n - 1) / %(per)s], 5 + n %% 95, TRUE, TRUE, TRUE,
                       1, 1, now(), now()
                  FROM generate_series(1, %(products)s) AS n
                 ORDER BY n
                RETURNING id
            )
            INSERT INTO product_product (product_tmpl_id, active, create_uid, write_uid,
                                         create_date, write_date)
            SELECT id, TRUE, 1, 1, now(), now() FROM t ORDER BY id
            RETURNING id
            """,
            unit=env.ref("uom.product_uom_unit").id,
            categs=categories.ids,
            per=per_category,
            products=products,
        )
    )
    product_ids = sorted(row[0] for row in cr.fetchall())
    cr.execute(
        SQL(
            """
            CREATE TEMP TABLE bench_product ON COMMIT DROP AS
            SELECT id, n::int AS n, NULL::int AS lot1, NULL::int AS lot2
              FROM unnest(%(ids)s::int[]) WITH ORDINALITY AS u(id, n)
            """,
            ids=product_ids,
        )
    )
    cr.execute(
        SQL(
            """
            WITH lot AS (
                INSERT INTO stock_lot (product_id, name, company_id, expiration_date,
                                       create_uid, write_uid, create_date, write_date)
                SELECT p.id, 'BENCH-' || p.n || '-' || k, %(company)s,
                       now() + CASE k WHEN 1 THEN interval '3 days' ELSE interval '120 days' END,
                       1, 1, now(), now()
                  FROM bench_product p CROSS JOIN generate_series(1, 2) AS k
                 WHERE p.n %% 20 = 0
                RETURNING id, product_id, expiration_date
            )
            UPDATE bench_product p
               SET lot1 = (SELECT id FROM lot WHERE lot.product_id = p.id
                            ORDER BY expiration_date LIMIT 1),
                   lot2 = (SELECT id FROM lot WHERE lot.product_id = p.id
                            ORDER BY expiration_date DESC LIMIT 1)
             WHERE p.n %% 20 = 0
            """,
            company=company.id,
        )
    )
    log(f"{products} products in {CATEGORIES} categories, two lots for one in 20", start)

    cr.execute(
        SQL(
            """
            CREATE TEMP TABLE bench_store ON COMMIT DROP AS
            SELECT s.id, s.region_id, u.n::int AS n, w.lot_stock_id
              FROM unnest(%(ids)s::int[]) WITH ORDINALITY AS u(id, n)
              JOIN store_store s ON s.id = u.id
              JOIN stock_warehouse w ON w.id = s.warehouse_id
            """,
            ids=store_recs.ids,
        )
    )
    cr.execute(
        SQL(
            """
            INSERT INTO stock_quant (product_id, location_id, company_id, quantity,
                                     reserved_quantity, in_date, lot_id,
                                     create_uid, write_uid, create_date, write_date)
            SELECT p.id, s.lot_stock_id, %(company)s,
                   CASE WHEN h.v < 20 THEN 0 WHEN h.v < 70 THEN 5 WHEN h.v < 110 THEN 200
                        ELSE 40 + h.v %% 20 END,
                   0, now() - make_interval(days => 30 + (s.n + p.n) %% 331),
                   CASE s.n %% 2 WHEN 0 THEN p.lot1 ELSE p.lot2 END,
                   1, 1, now(), now()
              FROM bench_store s CROSS JOIN bench_product p
             CROSS JOIN LATERAL (SELECT (s.n * 7919 + p.n * 104729) %% 1000 AS v) h
            """,
            company=company.id,
        )
    )
    log(f"{cr.rowcount:,} quants", start)

    c = categories.ids
    thresholds = [
        # scope, region, store type, category, min, max, slow-mover days, near-expiry days
        *(("chain", None, None, c[i], 10 + i, 60 + 4 * i, 120 if i < 2 else 0, 7) for i in range(CATEGORIES)),
        ("region", region_recs[0].id, None, c[2], 30, 100, 0, 0),
        ("region", region_recs[1].id, None, c[3], 15, 70, 0, 0),
        ("store_type", None, "school", c[0], 20, 80, 60, 0),
        ("region", region_recs[2].id, None, c[4], 0, 0, 0, 10),
    ]
    cr.execute(
        SQL(
            """
            INSERT INTO store_stock_threshold (active, company_id, scope, region_id, store_type,
                                               categ_id, min_qty, max_qty, slow_mover_days,
                                               near_expiry_days, create_uid, write_uid,
                                               create_date, write_date)
            SELECT TRUE, %(company)s, t.scope, t.region_id, t.store_type, t.categ_id, t.min_qty,
                   t.max_qty, t.slow, t.expiry, 1, 1, now(), now()
              FROM unnest(%(scope)s::varchar[], %(region)s::int[], %(type)s::varchar[],
                          %(categ)s::int[], %(min)s::numeric[], %(max)s::numeric[],
                          %(slow)s::int[], %(expiry)s::int[])
                   AS t(scope, region_id, store_type, categ_id, min_qty, max_qty, slow, expiry)
            """,
            company=company.id,
            **{
                key: [row[i] for row in thresholds]
                for i, key in enumerate(("scope", "region", "type", "categ", "min", "max", "slow", "expiry"))
            },
        )
    )
    _analyze(cr, TABLES[:-2])  # the planner needs the new rows' statistics for the rules' query
    Threshold = env["store.stock.threshold"]
    company_stores = Threshold._stores_of(company)
    cr.execute(
        SQL(
            """
            INSERT INTO stock_warehouse_orderpoint (name, warehouse_id, location_id, product_id,
                                                    company_id, trigger, product_min_qty,
                                                    product_max_qty, active, store_threshold_id,
                                                    create_uid, write_uid, create_date, write_date)
            SELECT 'OP/BENCH/' || row_number() OVER (), d.warehouse_id, d.location_id,
                   d.product_id, d.company_id, 'manual', d.min_qty, d.max_qty, TRUE,
                   d.threshold_id, 1, 1, now(), now()
              FROM (%(changes)s) d
             WHERE d.orderpoint_id IS NULL
            """,
            changes=Threshold._orderpoint_changes_sql(company_stores.ids),
        )
    )
    rules = cr.rowcount
    log(f"{len(thresholds)} thresholds, {rules:,} reorder rules (SQL, as the sync writes them)", start)

    cr.execute(
        SQL(
            """
            INSERT INTO pos_order (name, company_id, store_id, region_id, state, date_order,
                                   amount_tax, amount_total, amount_paid, amount_return,
                                   create_uid, write_uid, create_date, write_date)
            SELECT 'BENCH/' || s.n || '/' || d, %(company)s, s.id, s.region_id, 'done',
                   date_trunc('day', now()) - make_interval(days => d) + interval '4 hours',
                   0, 0, 0, 0, 1, 1, now(), now()
              FROM bench_store s CROSS JOIN generate_series(1, %(days)s) AS d
            """,
            company=company.id,
            days=days,
        )
    )
    log(f"{cr.rowcount:,} POS orders", start)
    cr.execute(
        SQL(
            """
            INSERT INTO pos_order_line (order_id, product_id, name, full_product_name, qty,
                                        price_unit, price_subtotal, price_subtotal_incl,
                                        create_uid, write_uid, create_date, write_date)
            SELECT o.id, p.id, 'BENCH', 'BENCH', 1 + k %% 3, 10, 10, 10, 1, 1, now(), now()
              FROM pos_order o
              JOIN bench_store s ON s.id = o.store_id
             CROSS JOIN LATERAL generate_series(
                   1, 17 + extract(dow FROM o.date_order)::int) AS k
             CROSS JOIN LATERAL (
                   SELECT abs(hashtext(o.name || ':' || k)) AS h) r
              JOIN bench_product p ON p.n = CASE
                   WHEN r.h %% 10 < 9 THEN 1 + (r.h / 10) %% %(fast)s
                   ELSE %(fast)s + 1 + (r.h / 10) %% (%(products)s - %(fast)s) END
             WHERE o.name LIKE 'BENCH/%%'
               AND NOT (p.n <= %(fast)s AND p.n %% 10 = 5
                        AND o.date_order >= now() - interval '150 days')
            """,
            fast=min(FAST_PRODUCTS, products - 1),
            products=products,
        )
    )
    log(f"{cr.rowcount:,} POS order lines", start)
    _analyze(cr, TABLES)
    env.invalidate_all()
    log("analyzed", start)
    return {
        "stores": store_recs,
        "regions": region_recs,
        "categories": categories,
        "product_ids": product_ids,
        "rules": rules,
    }
