"""Benchmark: POS start (``pos.session.load_data``) in a 50,000-product chain catalogue, for a store
listing 5,000 of them (its assortment: store_stock) against a store listing all of them.

    bin/odoo shell -d DB --log-level=warn --no-http < bench/bench_assortment_pos_start.py   # repo root

DB: a database with store_stock installed (e.g. one made by ``create_db``, demo data or not).
Inserts by SQL (then ANALYZE) BENCH_PRODUCTS (50,000) products available in the POS: BENCH_LISTED
(5,000) chain core ones and the rest local to a region of their own ("BENCH other"). Two new
stores: "BENCH 5k" in a region of its own lists the core products (5,000 + the database's own
core products); "BENCH all" in "BENCH other" lists everything. Each POS is opened and its
``load_data`` (all models, as the POS starts) timed BENCH_REPEAT (3) times after a warm-up, fastest
and median printed, with the number of product templates loaded:

1. as the POS starts by default: core's limited loading (``point_of_sale.limited_product_count``,
   5,000 by default) picks the 5,000 "most recently moved / favourite" products of what the POS
   may sell: the store listing everything gets 5,000 of 50,000 (most of them not its own), ours
   exactly its 5,000;
2. without the limit (``pos_limited_loading`` off, as a POS with limited loading switched off):
   all 50,000 against 5,000.

Everything is rolled back at the end.
"""

import os
import statistics
import time

PRODUCTS = int(os.environ.get("BENCH_PRODUCTS", 50_000))
LISTED = int(os.environ.get("BENCH_LISTED", 5_000))
REPEAT = int(os.environ.get("BENCH_REPEAT", 3))


def insert_products(env, region):
    cr = env.cr
    uom = env.ref("uom.product_uom_unit").id
    categ = env.ref("product.product_category_goods", raise_if_not_found=False) or env[
        "product.category"
    ].search([], limit=1)
    cr.execute(
        """INSERT INTO product_template (name, uom_id, type, service_tracking, tracking, store_assortment,
                                         categ_id, list_price, available_in_pos, sale_ok, active, is_storable,
                                         create_uid, write_uid, create_date, write_date)
           SELECT jsonb_build_object('en_US', 'BENCH 商品 ' || n), %(uom)s, 'consu', 'no', 'none',
                  CASE WHEN n <= %(listed)s THEN 'core' ELSE 'local' END,
                  %(categ)s, 10 + n %% 90, true, true, true, true, 1, 1, now(), now()
             FROM generate_series(1, %(products)s) n
        RETURNING id, store_assortment""",
        {"uom": uom, "listed": LISTED, "categ": categ.id, "products": PRODUCTS},
    )
    rows = cr.fetchall()
    cr.execute(
        """INSERT INTO product_product
                  (product_tmpl_id, active, create_uid, write_uid, create_date, write_date)
           SELECT unnest(%s::int[]), true, 1, 1, now(), now()""",
        [[tmpl for tmpl, _kind in rows]],
    )
    cr.execute(
        """INSERT INTO store_product_template_local_region_rel (product_tmpl_id, region_id)
           SELECT unnest(%s::int[]), %s""",
        [[tmpl for tmpl, kind in rows if kind == "local"], region.id],
    )
    for table in ("product_template", "product_product", "store_product_template_local_region_rel"):
        cr.execute(f"ANALYZE {table}")
    env.invalidate_all()


def load(session, limited):
    session.env.invalidate_all()
    start = time.perf_counter()
    data = session.with_context(pos_limited_loading=limited).load_data([])
    return time.perf_counter() - start, data


def measure(session, label, limited):
    load(session, limited)  # warm-up
    runs = [load(session, limited) for _n in range(REPEAT)]
    times = [t for t, _data in runs]
    loaded = len(runs[-1][1]["product.template"])
    print(
        f"  {label:10s} load_data fastest {min(times) * 1000:8.1f} ms, "
        f"median {statistics.median(times) * 1000:8.1f} ms, "
        f"{loaded:6d} product templates loaded",
        flush=True,
    )
    return min(times), loaded


def bench(env):
    env = env(user=env.ref("base.user_admin"))
    Region, Store = env["store.region"], env["store.store"]
    main = Region.create({"name": "BENCH 本区", "code": "BENCH-MAIN"})
    other = Region.create({"name": "BENCH other", "code": "BENCH-OTHER"})
    insert_products(env, other)
    sessions = {}
    for code, region in (("5k", main), ("all", other)):
        store = Store.create(
            {"name": f"BENCH {code}", "code": f"BENCH{code.upper()}", "region_id": region.id}
        )
        config = store.pos_config_ids[:1]
        config.open_ui()
        sessions[code] = config.current_session_id
    env.flush_all()
    core_count = env["product.template"].search_count(
        [("store_assortment", "=", "core"), ("available_in_pos", "=", True)]
    )
    print(
        f"{PRODUCTS:,} BENCH products, {LISTED:,} of them chain core; "
        f"the 5k store lists {core_count:,} products"
    )
    for limited, title in ((True, "limited loading (core's default)"), (False, "no loading limit")):
        print(f"POS start, {title}:")
        ours, ours_loaded = measure(sessions["5k"], "store 5k", limited)
        everything, all_loaded = measure(sessions["all"], "store all", limited)
        print(
            f"  => the store listing {core_count:,} starts in {ours * 1000:.0f} ms ({ours_loaded:,} loaded) "
            f"vs {everything * 1000:.0f} ms ({all_loaded:,} loaded) listing all: {ours / everything:.2f}x"
        )


try:
    bench(env)  # noqa: F821 (the shell's environment)
finally:
    env.cr.rollback()  # noqa: F821
    print("rolled back")
