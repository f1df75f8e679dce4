"""Bulk member data for the member benches (bench_member_lookup.py, bench_member_pos_start.py).

Imported by those scripts from inside ``bin/odoo shell`` (run them from the repository root).
"""

import time

from odoo import Command
from odoo.tools import SQL

MOBILE_PREFIX = "199"  # bench members: 199 + 8 digits, member numbers "M9" + 8 digits
NUMBER_PREFIX = "M9"


def setup_chain(env):
    """The company's chain points and stored value programs (the ones already set up are kept)."""
    company = env.company
    Program = env["loyalty.program"]
    if not company.store_points_program_id:
        company.store_points_program_id = Program.create(
            {
                "name": "BENCH chain points",
                "program_type": "loyalty",
                "applies_on": "both",
                "trigger": "auto",
                "store_chain_role": "points",
                "rule_ids": [
                    Command.clear(),
                    Command.create({"reward_point_mode": "money", "reward_point_amount": 1}),
                ],
            }
        )
    if not company.store_sv_program_id:
        company.store_sv_program_id = Program.create(
            {
                "name": "BENCH stored value",
                "program_type": "ewallet",
                "applies_on": "future",
                "trigger": "auto",
                "store_chain_role": "stored_value",
            }
        )
    if not env["store.member.tier"].search_count([("company_id", "=", company.id)]):
        env["store.member.tier"].create({"name": "BENCH 普通", "threshold": 0})
    env.flush_all()
    return company.store_points_program_id, company.store_sv_program_id


def mobile(n):
    return f"{MOBILE_PREFIX}{n:08d}"


def member_number(n):
    return f"{NUMBER_PREFIX}{n:08d}"


def insert_members(env, count):
    """``count`` members with their points and stored value cards, by SQL, then ANALYZE."""
    points, sv = setup_chain(env)
    tier = env["store.member.tier"].search([("company_id", "=", env.company.id)], limit=1)
    start = time.perf_counter()
    env.cr.execute(
        SQL(
            """
            WITH members AS (
                INSERT INTO res_partner (name, complete_name, active, type, is_company, autopost_bills, lang,
                                         is_member, member_number, member_mobile, phone, member_tier_id,
                                         member_consent_date, create_uid, write_uid, create_date, write_date)
                SELECT '会员' || d, '会员' || d, TRUE, 'contact', FALSE, 'ask', 'zh_CN', TRUE,
                       %(number)s || d, %(mobile)s || d, %(mobile)s || '****' || right(d, 4),
                       %(tier)s, now(), %(uid)s, %(uid)s, now(), now()
                  FROM generate_series(1, %(count)s) AS n, lpad(n::text, 8, '0') AS d
             RETURNING id, member_number
            )
            INSERT INTO loyalty_card (program_id, partner_id, code, points, active, company_id,
                                      create_uid, write_uid, create_date, write_date)
            SELECT program.id, members.id, members.member_number || '-' || program.suffix,
                   (members.id * 7) %% 5000, TRUE, %(company)s, %(uid)s, %(uid)s, now(), now()
              FROM members
             CROSS JOIN (VALUES (%(points)s, 'P'), (%(sv)s, 'S')) AS program (id, suffix)
            """,
            number=NUMBER_PREFIX,
            mobile=MOBILE_PREFIX,
            tier=tier.id or None,
            uid=env.uid,
            count=count,
            company=env.company.id,
            points=points.id,
            sv=sv.id,
        )
    )
    cards = env.cr.rowcount
    inserted = time.perf_counter() - start
    for table in ("res_partner", "loyalty_card"):
        env.cr.execute(SQL("ANALYZE %s", SQL.identifier(table)))
    env.invalidate_all()
    print(
        f"inserted {count} members and {cards} cards in {inserted:.1f} s "
        f"(+ ANALYZE {time.perf_counter() - start - inserted:.1f} s)",
        flush=True,
    )
