"""What the order-sync benches share: databases made from the template ``core_tpl``; the same
script run in ``bin/odoo shell`` on a throw-away copy of each (every order commits there, as the
till's RPC does), both sides at once, taking turns in chunks of orders; and the median over the
chunks of the ratio ours / reference.

The script prints ``RESULT mode=<mode> orders=<n> seconds=<s> queries=<q>`` (and optional
``CHECK ...`` lines); the first mode given is the one compared (ours), the last the reference.
Databases are made once and reused: after pulling changes to the addons, drop them (``dropdb``)
or update them (``bin/odoo -d NAME -u ADDONS --stop-after-init``).
"""

import cProfile
import itertools
import os
import pstats
import socket
import statistics
import subprocess
import sys
import tempfile
import time


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


TEMPLATE = os.environ.get("BENCH_TEMPLATE", "core_tpl")


def _ensure_template():
    """The template (BENCH_TEMPLATE, default core_tpl): Odoo with demo data in Chinese, China,
    + point_of_sale, pos_hr, stock, pos_loyalty."""
    if _db_exists(TEMPLATE):
        return
    print(f"creating {TEMPLATE} (Odoo + POS + loyalty, demo data) ...", flush=True)
    for args in (
        ("db", "init", TEMPLATE, "--force", "--with-demo", "--language", "zh_CN", "--country", "CN"),
        ("-d", TEMPLATE, "-i", "point_of_sale,pos_hr,stock,pos_loyalty", "--stop-after-init", "--no-http"),
    ):
        done = _odoo(*args)
        if done.returncode:
            sys.exit(done.stderr)


def ensure_db(name, modules):
    """``name`` as a copy of the template with ``modules`` installed, unless it exists."""
    if _db_exists(name):
        return
    _ensure_template()
    print(f"creating {name} from {TEMPLATE}{' + ' + modules if modules else ''} ...", flush=True)
    done = _odoo("db", "duplicate", "-f", TEMPLATE, name)
    if done.returncode:
        sys.exit(done.stderr)
    if modules:
        done = _odoo("-d", name, "-i", modules, "--stop-after-init", "--log-level=warn", "--no-http")
        if done.returncode:
            sys.exit(done.stderr)


def compare(script, modes, label, target):
    """Run ``script`` in ``bin/odoo shell`` for each mode ({mode: (database, modules)}) at once,
    and let them take turns: BENCH_CHUNKS (default 12) chunks of BENCH_CHUNK orders (default 25)
    each, one side after the other (the first to go alternates). The idle side waits on a socket,
    so it costs nothing. Prints orders/s of each side and the median over the chunks of the ratio
    of the first mode to the last: each pair of chunks runs within seconds of each other, so the
    swings of this shared machine's speed hit both sides of a ratio."""
    for db, modules in modes.values():
        ensure_db(db, modules)
    with open(script, encoding="utf-8") as file:
        source = file.read()
    chunks = int(os.environ.get("BENCH_CHUNKS", 12))
    chunk = int(os.environ.get("BENCH_CHUNK", 25))
    sides = {}
    try:
        for mode, (db, _modules) in modes.items():
            # Each order commits, as each RPC of a till does, in a throw-away copy of the database.
            subprocess.run(["dropdb", "--if-exists", f"{db}_run"], check=True)
            subprocess.run(["createdb", "-T", db, f"{db}_run"], check=True)
            sides[mode] = _Side(mode, f"{db}_run", source)
        for side in sides.values():
            side.expect("ready")
        ours, *_others, ref = modes
        done = {mode: [] for mode in modes}  # (seconds, queries, CPU seconds) per chunk
        for n in range(chunks):
            for mode in modes if n % 2 == 0 else reversed(modes):
                sides[mode].send(f"go {chunk}")
                seconds, queries, cpu = sides[mode].expect("done").split()[1:]
                done[mode].append((float(seconds), int(queries), float(cpu)))
        for side in sides.values():
            side.send("stop")
        for mode, side in sides.items():
            db = modes[mode][0]
            check = side.finish()
            seconds = sum(s for s, _q, _c in done[mode])
            queries = sum(q for _s, q, _c in done[mode])
            cpu = sum(c for _s, _q, c in done[mode])
            print(
                f"  {mode:7s} ({db}): {chunks * chunk} orders in {seconds:.2f} s = "
                f"{chunks * chunk / seconds:.1f} orders/s, {queries / (chunks * chunk):.1f} queries/order, "
                f"{cpu * 1000 / (chunks * chunk):.1f} ms CPU/order (Odoo + its PostgreSQL backend); {check}",
                flush=True,
            )
    finally:
        for side in sides.values():
            side.kill()
            subprocess.run(["dropdb", "--if-exists", side.db], check=False)
    paired = [r[0] / o[0] for o, r in zip(done[ours], done[ref], strict=True)]  # time ref / time ours
    for mode in modes:
        print(f"  {mode:7s} s per chunk: {' '.join(f'{s:.2f}' for s, _q, _c in done[mode])}")
    ratio = statistics.median(paired)
    rate = {mode: len(done[mode]) * chunk / sum(s for s, _q, _c in done[mode]) for mode in modes}
    print(
        f"{label}: {ours} {rate[ours]:.1f} orders/s vs {ref} {rate[ref]:.1f} orders/s "
        f"({len(paired)} paired chunks of {chunk} orders; ratio per chunk "
        f"{min(paired):.2f}-{max(paired):.2f}), median ratio {ratio:.2f}x "
        f"(target >= {target}x: {'OK' if ratio >= target else 'MISSED'})"
    )
    # The CPU both sides spend per order (this process and its PostgreSQL backend): what the
    # machine's other load changes least. A figure beside the target, not the target.
    cpu = {mode: sum(c for _s, _q, c in done[mode]) for mode in modes}
    if cpu[ours] > 0:
        print(
            f"{label} CPU: {ours} {cpu[ours] * 1000 / (chunks * chunk):.1f} ms/order vs {ref} "
            f"{cpu[ref] * 1000 / (chunks * chunk):.1f} ms/order, ratio {cpu[ref] / cpu[ours]:.2f}x "
            f"(load average {os.getloadavg()[0]:.1f})"
        )


class _Side:
    """One ``bin/odoo shell`` running the bench script, driven over a socket (BENCH_TURN_FD)."""

    def __init__(self, mode, db, source):
        self.mode, self.db = mode, db
        self.sock, child = socket.socketpair()
        self.out = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115 - closed in kill()
        self.proc = subprocess.Popen(
            ["bin/odoo", "shell", "-d", db, "--log-level=warn", "--no-http"],
            stdin=subprocess.PIPE,
            stdout=self.out,
            stderr=subprocess.STDOUT,
            text=True,
            pass_fds=[child.fileno()],
            env={**os.environ, "BENCH_MODE": mode, "BENCH_TURN_FD": str(child.fileno()), "BENCH_COMMIT": "1"},
        )
        child.close()
        self.proc.stdin.write(source)
        self.proc.stdin.close()
        self.sock.settimeout(5)
        self.buffer = b""

    def send(self, line):
        self.sock.sendall(line.encode() + b"\n")

    def expect(self, word, timeout=1800):
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buffer:
            try:
                data = self.sock.recv(4096)
            except TimeoutError:
                data = None
            if data:
                self.buffer += data
            elif self.proc.poll() is not None or time.monotonic() > deadline or data == b"":
                self.out.seek(0)
                text = self.out.read()
                self.kill()
                sys.exit(f"{self.mode} on {self.db} failed (waiting for {word}):\n{text[-4000:]}")
        line, self.buffer = self.buffer.split(b"\n", 1)
        line = line.decode()
        if not line.startswith(word):
            sys.exit(f"{self.mode} on {self.db}: expected {word}, got {line}")
        return line

    def finish(self):
        self.proc.wait(timeout=600)
        self.out.seek(0)
        text = self.out.read()
        if self.proc.returncode or "RESULT" not in text:
            sys.exit(f"{self.mode} on {self.db} failed:\n{text[-4000:]}")
        return " ".join(line[len("CHECK ") :] for line in text.splitlines() if line.startswith("CHECK"))

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.sock.close()
        self.out.close()


def end_rpc(env):
    """The end of a till's RPC: commit (flush, pre-commit hooks such as mail tracking, COMMIT,
    post-commit hooks) when ``compare`` runs this on a throw-away copy (BENCH_COMMIT); otherwise
    all of it but the COMMIT, so ``main`` can roll everything back. Then a fresh cache."""
    if os.environ.get("BENCH_COMMIT"):
        env.cr.commit()
    else:
        env.cr.flush()
        env.cr.postcommit.clear()
    env.invalidate_all()


def timed(env, sync, warmup, orders):
    """(orders, seconds, queries) of ``sync(n)`` after ``warmup`` untimed orders: ``orders`` of
    them, or, when ``compare`` drives this run (BENCH_TURN_FD), the chunks it asks for until it
    says stop. BENCH_PROFILE=N prints the N costliest calls (slower), BENCH_PROFILE_OUT=FILE keeps the
    profile."""
    for n in range(warmup):
        sync(n)
    numbers = itertools.count(warmup)
    profile = cProfile.Profile() if os.environ.get("BENCH_PROFILE") else None
    env.cr.execute("SELECT pg_backend_pid()")
    backend = env.cr.fetchone()[0]

    def chunk(count):
        queries0 = env.cr.sql_log_count
        if profile:
            profile.enable()
        cpu0 = time.process_time() + _backend_cpu(backend)
        start = time.perf_counter()
        for _ in range(count):
            sync(next(numbers))
        seconds = time.perf_counter() - start
        cpu = time.process_time() + _backend_cpu(backend) - cpu0
        if profile:
            profile.disable()
        return seconds, env.cr.sql_log_count - queries0, cpu

    if os.environ.get("BENCH_TURN_FD"):
        turns = socket.socket(fileno=int(os.environ["BENCH_TURN_FD"])).makefile("rw", buffering=1)
        turns.write("ready\n")
        seconds = queries = 0
        while (command := turns.readline().split()) and command[0] == "go":
            more_seconds, more_queries, cpu = chunk(int(command[1]))
            turns.write(f"done {more_seconds:.6f} {more_queries} {cpu:.6f}\n")
            seconds, queries = seconds + more_seconds, queries + more_queries
    else:
        seconds, queries, cpu = chunk(orders)
        print(f"CPU {cpu * 1000 / max(orders, 1):.1f} ms/order (this process and its PostgreSQL backend)")
    if profile:
        if os.environ.get("BENCH_PROFILE_OUT"):  # for pstats / snakeviz
            profile.dump_stats(os.environ["BENCH_PROFILE_OUT"])
        pstats.Stats(profile).sort_stats("cumulative").print_stats(int(os.environ["BENCH_PROFILE"]))
    return next(numbers) - warmup, seconds, queries


def _backend_cpu(pid):
    """CPU seconds (user + system) the PostgreSQL backend ``pid`` has used so far, from /proc when
    the server runs on this machine (0 when it cannot be read: the CPU figures then count this
    process only)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as file:
            fields = file.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


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
