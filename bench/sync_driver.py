"""What the order-sync benches share: databases made from the template ``core_tpl``, the same
script piped into ``bin/odoo shell`` on each database in turns, and the median ratio of the rounds.

The script prints ``RESULT mode=<mode> orders=<n> seconds=<s> queries=<q>`` (and optional
``CHECK ...`` lines); the first mode given is the one compared (ours), the last the reference.
Databases are made once and reused: after pulling changes to the addons, drop them (``dropdb``)
or update them (``bin/odoo -d NAME -u ADDONS --stop-after-init``).
"""

import os
import re
import statistics
import subprocess
import sys
import time

RESULT_RE = re.compile(r"^RESULT mode=(\w+) orders=(\d+) seconds=([\d.]+) queries=(\d+)$", re.M)


def _odoo(*args, stdin=None, extra_env=None):
    return subprocess.run(
        ["bin/odoo", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env={**os.environ, **(extra_env or {})},
        check=False,
    )


def _db_exists(name):
    done = subprocess.run(["psql", "-d", name, "-c", "SELECT 1"], capture_output=True, check=False)
    return done.returncode == 0


def _ensure_template():
    """core_tpl: Odoo with demo data in Chinese, China, + point_of_sale, pos_hr, stock, pos_loyalty."""
    if _db_exists("core_tpl"):
        return
    print("creating core_tpl (Odoo + POS + loyalty, demo data) ...", flush=True)
    for args in (
        ("db", "init", "core_tpl", "--force", "--with-demo", "--language", "zh_CN", "--country", "CN"),
        ("-d", "core_tpl", "-i", "point_of_sale,pos_hr,stock,pos_loyalty", "--stop-after-init", "--no-http"),
    ):
        done = _odoo(*args)
        if done.returncode:
            sys.exit(done.stderr)


def ensure_db(name, modules):
    """``name`` as a copy of core_tpl with ``modules`` installed, unless it exists."""
    if _db_exists(name):
        return
    _ensure_template()
    print(f"creating {name} from core_tpl{' + ' + modules if modules else ''} ...", flush=True)
    done = _odoo("db", "duplicate", "-f", "core_tpl", name)
    if done.returncode:
        sys.exit(done.stderr)
    if modules:
        done = _odoo("-d", name, "-i", modules, "--stop-after-init", "--log-level=warn", "--no-http")
        if done.returncode:
            sys.exit(done.stderr)


def compare(script, modes, label, target):
    """Run ``script`` in ``bin/odoo shell`` for each mode ({mode: (database, modules)}) in turns,
    BENCH_ROUNDS times (default 3), and print orders/s and the median over the rounds of the ratio
    of the first mode to the last (each round runs both back to back, so the machine's load at
    the time affects both sides of its ratio)."""
    for db, modules in modes.values():
        ensure_db(db, modules)
    with open(script, encoding="utf-8") as file:
        source = file.read()
    ours, *_others, ref = modes
    best, paired = {}, []
    for n in range(int(os.environ.get("BENCH_ROUNDS", 3))):
        rates = {}
        for mode, (db, _modules) in modes.items():
            run = _odoo(
                "shell",
                "-d",
                db,
                "--log-level=warn",
                "--no-http",
                stdin=source,
                extra_env={"BENCH_MODE": mode},
            )
            found = RESULT_RE.search(run.stdout)
            if not found:
                sys.exit(f"{mode} on {db} failed:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}")
            print("  " + "".join(line for line in run.stdout.splitlines() if line.startswith("CHECK")))
            orders, seconds, queries = int(found[2]), float(found[3]), int(found[4])
            rates[mode] = orders / seconds
            print(
                f"round {n + 1} {mode:7s} ({db}): {orders} orders in {seconds:.2f} s = "
                f"{rates[mode]:.1f} orders/s, {queries / orders:.1f} queries/order",
                flush=True,
            )
            best[mode] = max(best.get(mode, (0.0, 0.0)), (rates[mode], queries / orders))
        # Both sides run back to back in each round: their ratio is paired under the same machine load.
        paired.append(rates[ours] / rates[ref])
    ratio = statistics.median(paired)
    print(
        f"{label}: {ours} {best[ours][0]:.1f} orders/s ({best[ours][1]:.1f} q/order) vs {ref} "
        f"{best[ref][0]:.1f} orders/s ({best[ref][1]:.1f} q/order) at best; ratio per round "
        f"{', '.join(f'{r:.2f}' for r in paired)}, median {ratio:.2f}x "
        f"(target >= {target}x: {'OK' if ratio >= target else 'MISSED'})"
    )


def timed(env, sync, warmup, orders):
    """(seconds, queries) of ``sync(n)`` for ``orders`` orders after ``warmup`` untimed ones.
    BENCH_PROFILE=N prints the N costliest calls (slower)."""
    for n in range(warmup):
        sync(n)
    queries0 = env.cr.sql_log_count
    profile = None
    if os.environ.get("BENCH_PROFILE"):
        import cProfile

        profile = cProfile.Profile()
        profile.enable()
    start = time.perf_counter()
    for n in range(warmup, warmup + orders):
        sync(n)
    seconds = time.perf_counter() - start
    if profile:
        import pstats

        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(int(os.environ["BENCH_PROFILE"]))
    return seconds, env.cr.sql_log_count - queries0


def report(mode, orders, seconds, queries, **checks):
    """The lines ``compare`` reads: what the run checked, then its result."""
    print(f"CHECK mode={mode} " + " ".join(f"{key}={value}" for key, value in checks.items()))
    print(f"RESULT mode={mode} orders={orders} seconds={seconds:.3f} queries={queries}")


def main(namespace, bench, drive):
    """Piped into ``bin/odoo shell`` (its ``env`` in ``namespace``): run ``bench`` and roll back;
    run as a script: ``drive`` the comparison."""
    if "env" not in namespace:
        drive()
        return
    env = namespace["env"]
    try:
        bench(env)
    finally:
        env.cr.rollback()
