"""Benchmark: finding one member among a million, server side.

    bin/odoo shell -d DB --log-level=warn < bench/bench_member_lookup.py   # from the repository root

DB: a database with store_membership installed (e.g. bench_member, see bench_member_sync.py).
Inserts BENCH_MEMBERS (1,000,000) members with their two cards by SQL (generate_series) and
ANALYZEs, then times, with a fresh record cache per call:
- ``res.partner.store_member_lookup`` by mobile and by member number (BENCH_CALLS calls, 200),
- core's ways to find a customer on the same data, as the POS customer list would:
  ``res.partner.search([("phone", "ilike", q)])`` and ``name_search(name)`` (BENCH_CORE_CALLS, 20).
Prints p50/p95 in ms and one summary line; target: lookup p95 <= 20 ms. Everything is rolled
back at the end: the database is left as it was.
"""

import os
import random
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.getcwd(), "bench"))
import member_data  # bench/ is put on the path just above

MEMBERS = int(os.environ.get("BENCH_MEMBERS", 1_000_000))
CALLS = int(os.environ.get("BENCH_CALLS", 200))
CORE_CALLS = int(os.environ.get("BENCH_CORE_CALLS", 20))


def percentiles(samples):
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * len(ordered)) - 1)]
    return statistics.median(ordered) * 1000, p95 * 1000


def timed(env, func, queries, label):
    samples = []
    for query in queries:
        env.invalidate_all()
        start = time.perf_counter()
        result = func(query)
        samples.append(time.perf_counter() - start)
        assert result is not None
    p50, p95 = percentiles(samples)
    print(f"{label:45s} p50 {p50:7.2f} ms  p95 {p95:7.2f} ms  ({len(samples)} calls)", flush=True)
    return p50, p95


def bench(env):
    env = env(user=env.ref("base.user_admin"))
    member_data.insert_members(env, MEMBERS)
    Partner = env["res.partner"]
    rng = random.Random(42)
    picks = [rng.randint(1, MEMBERS) for _n in range(CALLS)]
    # warm-up: the code paths and the ormcaches, not the data (other members are timed)
    for n in range(1, 21):
        Partner.store_member_lookup(member_data.mobile(n))
        Partner.store_member_lookup(member_data.member_number(n))
    found = Partner.store_member_lookup(member_data.mobile(picks[0]))
    assert found and found["member_number"] == member_data.member_number(picks[0]), found
    results = {
        "mobile": timed(
            env,
            Partner.store_member_lookup,
            [member_data.mobile(n) for n in picks],
            "store_member_lookup(mobile)",
        ),
        "number": timed(
            env,
            Partner.store_member_lookup,
            [member_data.member_number(n) for n in picks],
            "store_member_lookup(member number)",
        ),
    }
    core_picks = picks[:CORE_CALLS]
    core_phone = timed(
        env,
        lambda q: Partner.search([("phone", "ilike", q)]),
        [member_data.mobile(n) for n in core_picks],
        "core res.partner.search(phone ilike mobile)",
    )
    core_name = timed(
        env,
        Partner.name_search,
        [f"会员{n:08d}" for n in core_picks],
        "core res.partner.name_search(name)",
    )
    worst = max(p95 for _p50, p95 in results.values())
    print(
        f"MEMBER LOOKUP among {MEMBERS:,} members: p95 mobile {results['mobile'][1]:.1f} ms, "
        f"member number {results['number'][1]:.1f} ms vs core phone search p95 {core_phone[1]:.1f} ms "
        f"({core_phone[1] / results['mobile'][1]:.0f}x slower), name_search p95 {core_name[1]:.1f} ms "
        f"(target p95 <= 20 ms: {'OK' if worst <= 20 else 'MISSED'})"
    )


try:
    bench(env)  # noqa: F821 (the shell's environment)
finally:
    env.cr.rollback()  # noqa: F821
    print("rolled back")
