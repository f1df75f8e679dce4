"""Benchmark: POS start (``pos.session.load_data``) with a million members against none.

    bin/odoo shell -d DB --log-level=warn < bench/bench_member_pos_start.py   # from the repository root

DB: a database with store_membership installed (e.g. bench_member, see bench_member_sync.py).
Opens a session on a new store's POS and times ``load_data`` as the POS calls it when it starts
(all its models, BENCH_REPEAT (7) times after one warm-up call), first with the data as it is,
then after inserting BENCH_MEMBERS (1,000,000) members with their cards by SQL + ANALYZE.
Checks that no member is in the partners the till loads, and shows what core's customer ranking
(``pos.config.get_limited_partners_loading`` without our override) would cost and load.
Target: with members <= 1.1x without, on the fastest run of each (the least disturbed by other
work on the machine; the medians are printed too). Everything is rolled back at the end.
"""

import os
import statistics
import sys
import time

from odoo.tools import SQL

sys.path.insert(0, os.path.join(os.getcwd(), "bench"))
import member_data  # bench/ is put on the path just above

MEMBERS = int(os.environ.get("BENCH_MEMBERS", 1_000_000))
REPEAT = int(os.environ.get("BENCH_REPEAT", 7))

# Core's query (point_of_sale/models/pos_config.py, get_limited_partners_loading), for comparison.
CORE_RANKING = """
    WITH pm AS (SELECT partner_id, Count(partner_id) order_count FROM pos_order GROUP BY partner_id)
    SELECT id FROM res_partner AS partner LEFT JOIN pm ON (partner.id = pm.partner_id)
     WHERE (partner.company_id=%s OR partner.company_id IS NULL)
     ORDER BY COALESCE(pm.order_count, 0) DESC, NAME limit %s offset %s
"""


def load(session):
    session.env.invalidate_all()
    start = time.perf_counter()
    data = session.load_data([])
    return time.perf_counter() - start, data


def measure(session, label):
    load(session)  # warm-up
    runs = [load(session) for _n in range(REPEAT)]
    times = [t for t, _data in runs]
    partner_ids = {partner["id"] for partner in runs[-1][1]["res.partner"]}
    print(
        f"{label:28s} load_data fastest {min(times) * 1000:7.1f} ms, "
        f"median {statistics.median(times) * 1000:7.1f} ms "
        f"(runs: {' '.join(f'{t * 1000:.0f}' for t in times)}), {len(partner_ids)} partners loaded",
        flush=True,
    )
    return min(times), partner_ids


def bench(env):
    env = env(user=env.ref("base.user_admin"))
    member_data.setup_chain(env)
    store = env["store.store"].create({"name": "BENCH start", "code": "BENCHSTART", "tz": "Asia/Shanghai"})
    config = store.pos_config_ids[:1]
    config.open_ui()
    session = config.current_session_id
    env.flush_all()
    without, _partners = measure(session, "without bench members")
    member_data.insert_members(env, MEMBERS)
    with_members, partner_ids = measure(session, f"with {MEMBERS:,} members")
    env.cr.execute(
        SQL("SELECT count(*) FROM res_partner WHERE id = ANY(%s) AND is_member", list(partner_ids))
    )
    loaded_members = env.cr.fetchone()[0]
    limit = config._get_limited_partner_count()
    start = time.perf_counter()
    env.cr.execute(SQL(CORE_RANKING, config.company_id.id, limit, 0))
    core_ids = [row[0] for row in env.cr.fetchall()]
    core_ms = (time.perf_counter() - start) * 1000
    env.cr.execute(SQL("SELECT count(*) FROM res_partner WHERE id = ANY(%s) AND is_member", core_ids))
    core_members = env.cr.fetchone()[0]
    start = time.perf_counter()
    config.get_limited_partners_loading()
    ours_ms = (time.perf_counter() - start) * 1000
    print(
        f"customer ranking: ours {ours_ms:.1f} ms, core {core_ms:.1f} ms "
        f"(core would preload {core_members} members of its {len(core_ids)} partners)"
    )
    ratio = with_members / without
    print(
        f"POS START with {MEMBERS:,} members: load_data {with_members * 1000:.0f} ms "
        f"vs {without * 1000:.0f} ms without = {ratio:.2f}x, members loaded: {loaded_members} "
        f"(target <= 1.1x and none: {'OK' if ratio <= 1.1 and not loaded_members else 'MISSED'})"
    )


try:
    bench(env)  # noqa: F821 (the shell's environment)
finally:
    env.cr.rollback()  # noqa: F821
    print("rolled back")
