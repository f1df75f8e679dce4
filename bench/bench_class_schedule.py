"""Benchmark: a store's daily class schedule (store_industry) as its store manager loads it.

    bin/odoo shell -d DB --log-level=warn < bench/bench_class_schedule.py

DB: any database with store_industry installed (``make run``'s demo database will do). Makes one
store, its manager (a store user of that store only), BENCH_COACHES (5) coaches, BENCH_CLASSES (50)
classes on one day and BENCH_BOOKINGS (2000) bookings of as many members spread over them (booked,
checked in, no-show, waitlisted; members and bookings in bulk SQL), then times, as the manager
with the web client's context, what the schedule screens ask the server for:

- the day in the calendar / list view (``web_search_read`` of the day's classes with the view's
  fields: coach, room, seats left, waitlist — counts computed from the bookings);
- every booking of the day at once (the bookings list, ungrouped and unpaged: the worst case of
  the check-in desk), member, masked phone, class, coach, state;
- one class's form with its bookings.

Each is run BENCH_RUNS (7) times with an empty cache after one warm-up; the median is printed with
its query count. Target (issue #15): the day's schedule with 50 classes and 2,000 bookings loads in
<= 300 ms server-side; the script prints each figure against that budget (budget / measured: >= 1
is met). Everything is rolled back at the end.
"""

import os
import statistics
import time
from datetime import datetime, timedelta

from odoo import Command
from odoo.tests import new_test_user
from odoo.tools import SQL

COACHES = int(os.environ.get("BENCH_COACHES", 5))
CLASSES = int(os.environ.get("BENCH_CLASSES", 50))
BOOKINGS = int(os.environ.get("BENCH_BOOKINGS", 2000))
RUNS = int(os.environ.get("BENCH_RUNS", 7))
BUDGET_MS = 300.0


def setup(env):
    company = env.company
    region = env["store.region"].create({"name": "基准区域", "code": "BENCH-FIT", "company_id": company.id})
    store = env["store.store"].create(
        {
            "name": "基准健身房",
            "code": "BENCHFIT",
            "region_id": region.id,
            "company_id": company.id,
            "tz": "Asia/Shanghai",
        }
    )
    manager = new_test_user(
        env,
        login="bench_fit_manager",
        groups="store_pos_ext.group_store_manager",
        lang="zh_CN" if env["res.lang"]._lang_get("zh_CN") else "en_US",
        tz="Asia/Shanghai",
        company_id=company.id,
    )
    manager.store_ids = [Command.set(store.ids)]
    coaches = env["hr.employee"].create(
        [{"name": f"基准教练{n}", "store_id": store.id} for n in range(COACHES)]
    )
    # tomorrow in Shanghai, classes from 07:00 every 15 minutes, an hour each, in 10 rooms
    day = (datetime.utcnow() + timedelta(hours=8)).date() + timedelta(days=1)
    day_start = datetime.combine(day, datetime.min.time()) - timedelta(hours=8)  # UTC
    seats = -(-BOOKINGS // CLASSES)  # ceil: every class full
    sessions = env["store.class.session"].create(
        [
            {
                "store_id": store.id,
                "name": f"基准课程{n:02d}",
                "room": f"教室{n % 10 + 1}",
                "employee_id": coaches[n % COACHES].id,
                "start": day_start + timedelta(hours=7, minutes=15 * n),
                "stop": day_start + timedelta(hours=8, minutes=15 * n),
                "capacity": seats - seats // 10,  # a tenth of each class on its waitlist
            }
            for n in range(CLASSES)
        ]
    )
    env.flush_all()
    cr = env.cr
    cr.execute(
        SQL(
            # as store_membership keeps a member: the full mobile in member_mobile, the masked one
            # in phone (what everyone but the reveal wizard reads)
            """INSERT INTO res_partner (name, complete_name, member_mobile, phone, is_member, active, type,
                                        company_id, create_date, write_date, autopost_bills)
               SELECT '基准会员' || n, '基准会员' || n, '139' || lpad(n::text, 8, '0'),
                      '139****' || lpad(n::text, 4, '0'), TRUE, TRUE, 'contact', %(company)s, now(),
                      now(), 'ask'
                 FROM generate_series(1, %(count)s) AS n
            RETURNING id""",
            company=company.id,
            count=BOOKINGS,
        )
    )
    members = [member_id for (member_id,) in cr.fetchall()]
    # member k in class k % CLASSES; within a class: waitlisted beyond its capacity, else one in 4
    # checked in, one in 10 no-show, the rest booked
    cr.execute(
        SQL(
            """INSERT INTO store_class_booking (session_id, partner_id, store_id, company_id, state,
                                                employee_id, session_start, create_uid, create_date,
                                                write_uid, write_date)
               SELECT s.id, m.id, s.store_id, s.company_id,
                      CASE WHEN m.seat >= s.capacity THEN 'waitlist'
                           WHEN m.seat %% 4 = 0 THEN 'checked_in'
                           WHEN m.seat %% 10 = 1 THEN 'no_show'
                           ELSE 'booked' END,
                      s.employee_id, s.start, %(uid)s, now(), %(uid)s, now()
                 FROM (SELECT id, (row_number() OVER (ORDER BY id) - 1) AS k FROM res_partner
                        WHERE id = ANY(%(members)s)) p
                 CROSS JOIN LATERAL (SELECT p.id, p.k / %(classes)s AS seat) m
                 JOIN (SELECT id, store_id, company_id, employee_id, start, capacity,
                              row_number() OVER (ORDER BY start, id) - 1 AS n
                         FROM store_class_session WHERE id = ANY(%(sessions)s)) s
                   ON s.n = p.k %% %(classes)s""",
            uid=env.uid,
            members=members,
            classes=CLASSES,
            sessions=sessions.ids,
        )
    )
    bookings = cr.rowcount
    for table in ("res_partner", "store_class_booking", "store_class_session"):
        cr.execute(SQL("ANALYZE %s", SQL.identifier(table)))
    env.invalidate_all()
    print(f"setup: {len(sessions)} classes, {bookings} bookings of {len(members)} members, {COACHES} coaches")
    return manager, store, sessions, day_start


def timed(env, call):
    """(median ms, queries of one run) of ``call()`` with an empty cache each time."""
    call()
    env.invalidate_all()
    times, queries = [], 0
    for _ in range(RUNS):
        env.invalidate_all()
        queries0 = env.cr.sql_log_count
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
        queries = env.cr.sql_log_count - queries0
    return statistics.median(times), queries


def bench(env):
    manager, _store, sessions, day_start = setup(env)
    menv = env(
        user=manager,
        context={"lang": manager.lang, "tz": manager.tz, "allowed_company_ids": [manager.company_id.id]},
    )
    day = [("start", ">=", day_start), ("start", "<", day_start + timedelta(days=1))]
    many2one = {"fields": {"display_name": {}}}
    Session, Booking = menv["store.class.session"], menv["store.class.booking"]
    checks = {
        "day's classes (calendar/list)": lambda: Session.web_search_read(
            day,
            {
                "start": {}, "stop": {}, "name": {}, "store_id": many2one, "room": {},
                "employee_id": many2one, "capacity": {}, "seats_left": {}, "waitlist_count": {},
                "checked_in_count": {}, "state": {},
            },
            limit=80,
        ),
        "day's bookings, all at once": lambda: Booking.web_search_read(
            [("session_start", ">=", day_start), ("session_start", "<", day_start + timedelta(days=1))],
            {
                "session_start": {}, "session_id": many2one, "partner_id": many2one,
                "partner_phone": {}, "employee_id": many2one, "store_id": many2one, "state": {},
                "checked_in_by_id": many2one,
            },
            limit=BOOKINGS + 100,
        ),
        "one class's form with its bookings": lambda: Session.browse(sessions[CLASSES // 2].id).web_read(
            {
                "name": {}, "start": {}, "stop": {}, "store_id": many2one, "room": {},
                "employee_id": many2one, "product_id": many2one, "capacity": {}, "seats_left": {},
                "waitlist_count": {}, "checked_in_count": {}, "state": {},
                "booking_ids": {
                    "fields": {
                        "partner_id": many2one, "partner_phone": {}, "state": {},
                        "checked_in_by_id": many2one, "checked_in_at": {},
                    },
                    "limit": 40,
                },
            }
        ),
    }  # fmt: skip
    rows = {
        "day's classes (calendar/list)": lambda r: r["length"],
        "day's bookings, all at once": lambda r: r["length"],
        "one class's form with its bookings": lambda r: len(r[0]["booking_ids"]),
    }
    worst = 0.0
    for label, call in checks.items():
        result = call()
        ms, queries = timed(menv, call)
        worst = max(worst, ms)
        print(
            f"{label}: {rows[label](result)} rows, {ms:.1f} ms (median of {RUNS}), {queries} queries, "
            f"budget {BUDGET_MS:.0f} ms / measured = {BUDGET_MS / ms:.1f}x"
        )
    print(
        f"CLASS SCHEDULE: slowest {worst:.1f} ms vs budget {BUDGET_MS:.0f} ms "
        f"(target <= {BUDGET_MS:.0f} ms: {'OK' if worst <= BUDGET_MS else 'MISSED'})"
    )


try:
    bench(env)  # noqa: F821 (the shell's environment)
finally:
    env.cr.rollback()  # noqa: F821
    print("rolled back")
