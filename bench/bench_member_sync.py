"""Benchmark: POS order sync of member orders, our addons against vanilla Odoo + pos_loyalty.

    export PGHOST=127.0.0.1 PGPORT=54329 PGUSER=odoo   # or your own server
    python3 bench/bench_member_sync.py                  # from the repository root

The driver (this file run by python) makes two databases from the template ``core_tpl`` when they
do not exist yet: BENCH_VANILLA_DB (default bench_vanilla: Odoo + point_of_sale + pos_loyalty, as
in the template) and BENCH_MEMBER_DB (default bench_member: the template + store_pos_ext +
store_membership). It runs this same file in ``bin/odoo shell`` on a throw-away copy of each, both
at once, and lets them take turns in chunks of orders (see ``sync_driver.compare``); it prints
orders/s of each and the median over the chunks of the ratio ours / vanilla. Target: >= 0.95.

Inside the shell (BENCH_MODE=vanilla|member) the same stream of orders is synced, one order per
call like a till does: ``pos.order.sync_from_ui([order])`` then ``confirm_coupon_programs`` with
the points the browser would send for the customer's loyalty card, then a commit and a fresh cache
(each call is its own RPC). Every order is a paid 2-line cash order of one customer who
earns points: vanilla uses a plain loyalty program (1 point per CNY), ours the chain points
program (the server settles the order: ledger line, balances on the order, tier). BENCH_WARMUP
(20) orders are synced first and not timed. Piped into ``bin/odoo shell -d DB`` by hand, it times
BENCH_ORDERS (300) orders and rolls everything back instead of committing.
"""

import os
import sys
import uuid

ORDERS = int(os.environ.get("BENCH_ORDERS", 300))
WARMUP = int(os.environ.get("BENCH_WARMUP", 20))


# ----------------------------------------------------------------------------------- driver
def drive():
    from sync_driver import compare  # the bench folder; only the driver needs it

    compare(
        __file__,
        {
            "member": (os.environ.get("BENCH_MEMBER_DB", "bench_member"), "store_pos_ext,store_membership"),
            "vanilla": (os.environ.get("BENCH_VANILLA_DB", "bench_vanilla"), ""),
        },
        label="ORDER SYNC",
        target=0.95,
    )


# ---------------------------------------------------------------------------- shell payload
def points_program_vals():
    """1 point per CNY, 100 points = 1 CNY: the same rule on both sides."""
    from odoo import Command  # inside: the driver runs without Odoo

    return {
        "program_type": "loyalty",
        "applies_on": "both",
        "trigger": "auto",
        "rule_ids": [
            Command.clear(),
            Command.create({"reward_point_mode": "money", "reward_point_amount": 1}),
        ],
        "reward_ids": [
            Command.clear(),
            Command.create(
                {
                    "reward_type": "discount",
                    "discount_mode": "per_point",
                    "discount": 0.01,
                    "required_points": 100,
                    "discount_applicability": "order",
                }
            ),
        ],
    }


def setup_vanilla(env):
    from odoo import Command  # inside: the driver runs without Odoo

    # A POS as store_pos_ext makes one, without the store: its own warehouse (stock costs the
    # same on both sides), its own cash method and the non-cash ones.
    warehouse = env["stock.warehouse"].create({"name": "BENCH warehouse", "code": "BNCH"})
    PosConfig = env["pos.config"]
    cash = PosConfig._create_cash_payment_method({"name": "BENCH cash"})
    non_cash = env["pos.payment.method"].search(
        [
            ("is_cash_count", "=", False),
            ("split_transactions", "=", False),
            ("company_id", "in", (env.company.id, False)),
        ]
    )
    config = PosConfig.create(
        {
            "name": "BENCH POS",
            "picking_type_id": warehouse.pos_type_id.id,
            "payment_method_ids": [Command.set((cash | non_cash).ids)],
        }
    )
    program = env["loyalty.program"].create(
        {
            "name": "BENCH loyalty",
            **points_program_vals(),
            "pos_ok": True,
            "pos_config_ids": [Command.link(config.id)],
        }
    )
    partner = env["res.partner"].create({"name": "BENCH customer", "phone": "13800000000"})
    card = env["loyalty.card"].create({"program_id": program.id, "partner_id": partner.id, "points": 0})
    return config, program, partner, card


def setup_member(env):

    company = env.company
    store = env["store.store"].create({"name": "BENCH store", "code": "BENCHSYNC", "tz": "Asia/Shanghai"})
    config = store.pos_config_ids[:1]
    Program = env["loyalty.program"]
    for program in Program.search([("store_chain_role", "!=", False), ("company_id", "=", company.id)]):
        program.active = False
    Program.flush_model()  # before the new ones: one active chain program per company and role
    program = Program.create(
        {
            "name": "BENCH chain points",
            **points_program_vals(),
            "store_chain_role": "points",
        }
    )
    sv_program = Program.create(
        {
            "name": "BENCH stored value",
            "program_type": "ewallet",
            "applies_on": "future",
            "trigger": "auto",
            "store_chain_role": "stored_value",
        }
    )
    company.write({"store_points_program_id": program.id, "store_sv_program_id": sv_program.id})
    Tier = env["store.member.tier"]
    Tier.search([("company_id", "=", company.id)]).active = False
    Tier.create([{"name": "BENCH 普通"}, {"name": "BENCH 金卡", "threshold": 1000, "points_multiplier": 2.0}])
    info = env["res.partner"].store_member_register({"mobile": "13800000000", "name": "BENCH member"})
    partner = env["res.partner"].browse(info["id"])
    card = env["loyalty.card"].browse(info["points_card_id"])
    return config, program, partner, card


def order_payload(env, session, product, partner, n):
    from odoo import Command, fields

    lines = [(2, 50.0), (1, 30.0 + n % 7)]
    total = sum(qty * price for qty, price in lines)
    cash = session.config_id.payment_method_ids.filtered("is_cash_count")[:1]
    uid = str(uuid.UUID(int=n + 1))
    return {
        "amount_paid": total,
        "amount_return": 0,
        "amount_tax": 0,
        "amount_total": total,
        "date_order": fields.Datetime.to_string(fields.Datetime.now()),
        "pricelist_id": session.config_id.pricelist_id.id,
        "name": f"Order {uid}",
        "last_order_preparation_change": "{}",
        "lines": [
            Command.create(
                {
                    "product_id": product.id,
                    "qty": qty,
                    "price_unit": price,
                    "price_subtotal": qty * price,
                    "price_subtotal_incl": qty * price,
                    "tax_ids": [],
                    "pack_lot_ids": [],
                }
            )
            for qty, price in lines
        ],
        "partner_id": partner.id,
        "session_id": session.id,
        "payment_ids": [
            Command.create({"amount": total, "name": fields.Datetime.now(), "payment_method_id": cash.id})
        ],
        "uuid": uid,
        "user_id": env.uid,
        "to_invoice": False,
        "state": "paid",
    }, total


def bench(env):
    mode = os.environ["BENCH_MODE"]
    env = env(user=env.ref("base.user_admin"))  # a POS manager, as the till's user
    config, program, partner, card = (setup_vanilla if mode == "vanilla" else setup_member)(env)
    config.open_ui()
    session = config.current_session_id
    product = env["product.product"].create(
        {
            "name": "BENCH goods",
            "list_price": 50.0,
            "available_in_pos": True,
            "taxes_id": False,
            "is_storable": True,
        }
    )
    env.flush_all()
    Order = env["pos.order"]

    def sync(n):
        data, total = order_payload(env, session, product, partner, n)
        result = Order.sync_from_ui([data])
        order = Order.browse(result["pos.order"][0]["id"])
        # What the browser sends for the customer's card: the points it computed for the order.
        order.confirm_coupon_programs(
            {
                str(card.id): {
                    "points": int(total),
                    "program_id": program.id,
                    "coupon_id": card.id,
                    "barcode": card.code,
                    "partner_id": partner.id,
                }
            }
        )
        end_rpc(env)

    from sync_driver import (  # the bench folder (the shell runs from the repository root)
        end_rpc,
        report,
        timed,
    )

    orders, seconds, queries = timed(env, sync, WARMUP, ORDERS)
    card.invalidate_recordset()
    settled = (
        Order.search_count([("session_id", "=", session.id), ("store_member_state", "=", "done")])
        if (mode == "member")
        else "-"
    )
    report(
        mode,
        orders,
        seconds,
        queries,
        synced=WARMUP + orders,
        card_points=card.points,
        member_settled=settled,
    )


if "env" in globals() or __name__ == "__main__":  # piped into `bin/odoo shell`, or run as a script
    sys.path.insert(0, "bench" if "env" in globals() else os.path.dirname(os.path.abspath(__file__)))
    from sync_driver import main

    main(globals(), bench, drive)
