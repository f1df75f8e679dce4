# ruff: noqa: E501 - payload dicts read best one field group per line
"""Benchmark: POS order sync with 50 running promotions, ours against vanilla Odoo + pos_loyalty.

    export PGHOST=127.0.0.1 PGPORT=54329 PGUSER=odoo   # or your own server
    python3 bench/bench_promo_sync.py                   # from the repository root

The driver makes (once) BENCH_VANILLA_DB (default bench_vanilla: the template ``core_tpl``, i.e.
Odoo + point_of_sale + pos_loyalty) and BENCH_PROMO_DB (default bench_promo: the template +
store_pos_ext + store_membership + store_promotions), then runs this file in ``bin/odoo shell`` on
a throw-away copy of each, both at once, taking turns in chunks of orders (see
``sync_driver.compare``), and prints orders/s and the median over the chunks of the ratio ours /
vanilla. Target: ratio >= 0.9.

In the shell (BENCH_MODE=vanilla|promo) 50 promotions run: vanilla has 50 plain loyalty programs
(promotion, automatic, 满100减5); ours 50 running store promotions of the same rule, chain-wide.
Each order is a paid anonymous cash order of 2 lines carrying the reward line of one of the 50
(as the POS applied it), synced one per call like a till: ``pos.order.sync_from_ui([order])``,
served as odoo.http serves a request: nothing cached at its start, a commit at its end. Ours also runs the server check of every order (recompute,
budget and usage counts). BENCH_WARMUP (20) orders first. Piped into ``bin/odoo shell -d DB`` by
hand, it times BENCH_ORDERS (300) orders and rolls everything back instead of committing.
"""

import os
import sys
import uuid

ORDERS = int(os.environ.get("BENCH_ORDERS", 300))
WARMUP = int(os.environ.get("BENCH_WARMUP", 20))
PROMOTIONS = 50


def drive():
    from sync_driver import compare  # the bench folder; only the driver needs it

    compare(
        __file__,
        {
            "promo": (
                os.environ.get("BENCH_PROMO_DB", "bench_promo"),
                "store_pos_ext,store_membership,store_promotions",
            ),
            "vanilla": (os.environ.get("BENCH_VANILLA_DB", "bench_vanilla"), ""),
        },
        label=f"ORDER SYNC with {PROMOTIONS} promotions",
        target=0.9,
    )


def setup(env, mode):
    from odoo import Command  # inside: the driver runs without Odoo

    rule = {"reward_point_mode": "order", "reward_point_amount": 1, "minimum_amount": 100}
    reward = {"reward_type": "discount", "discount_mode": "per_order", "discount": 5, "required_points": 1}
    if mode == "vanilla":
        warehouse = env["stock.warehouse"].create({"name": "BENCH warehouse", "code": "BNCH"})
        cash = env["pos.config"]._create_cash_payment_method({"name": "BENCH cash"})
        config = env["pos.config"].create(
            {
                "name": "BENCH POS",
                "picking_type_id": warehouse.pos_type_id.id,
                "payment_method_ids": [Command.set(cash.ids)],
            }
        )
        programs = env["loyalty.program"].create(
            [
                {"name": f"BENCH 满100减5 #{n}", "program_type": "promotion", "trigger": "auto", "applies_on": "current",
                 "pos_ok": True, "rule_ids": [Command.clear(), Command.create(rule)],
                 "reward_ids": [Command.clear(), Command.create(reward)]}
                for n in range(PROMOTIONS)
            ]
        )  # fmt: skip
    else:
        store = env["store.store"].create(
            {"name": "BENCH store", "code": "BENCHPROMO", "tz": "Asia/Shanghai"}
        )
        config = store.pos_config_ids[:1]
        promotions = env["store.promotion"].create(
            [
                {"name": f"BENCH 满100减5 #{n}", "template": "threshold", "min_amount": 100, "off_amount": 5}
                for n in range(PROMOTIONS)
            ]
        )
        promotions.action_submit()
        programs = promotions.program_id
    return config, programs


def bench(env):
    from odoo import Command, fields

    mode = os.environ["BENCH_MODE"]
    # A POS manager, as the till's user, with the context a till's RPC carries (the web client
    # sends the user's language and time zone): in a shell the context has no language, and the
    # settlement's ledger lines, written in the company's language, would read whole companies
    # and countries again in another language than the order's.
    admin = env.ref("base.user_admin")
    env = env(user=admin, context=dict(env.context, lang=admin.lang, tz=admin.tz))
    # As a request does (``odoo.http.Request.update_env``): the user's environment is the
    # transaction's default one, which flushes (at a savepoint, a commit) and recomputes in it.
    env.transaction.default_env = env
    config, programs = setup(env, mode)
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
    cash = session.config_id.payment_method_ids.filtered("is_cash_count")[:1]
    rewards = programs.with_context(active_test=False).reward_ids
    env.flush_all()
    Order = env["pos.order"]

    def sync(n):
        reward = rewards[n % len(rewards)]
        # At the product's price: the server prices every line (a lower one is a manual discount).
        lines = [(product, 2, 50.0, {}), (product, 1, 50.0, {})]
        lines.append(
            (reward.discount_line_product_id, 1, -5.0, {"reward_id": reward.id, "is_reward_line": True})
        )
        total = sum(qty * price for _p, qty, price, _x in lines)
        uid = str(uuid.UUID(int=n + 1))
        data = {
            "amount_paid": total, "amount_return": 0, "amount_tax": 0, "amount_total": total,
            "date_order": fields.Datetime.to_string(fields.Datetime.now()),
            "pricelist_id": config.pricelist_id.id, "name": f"Order {uid}", "last_order_preparation_change": "{}",
            "lines": [
                Command.create({"product_id": p.id, "qty": qty, "price_unit": price, "price_subtotal": qty * price,
                                "price_subtotal_incl": qty * price, "tax_ids": [], "pack_lot_ids": [], **extra})
                for p, qty, price, extra in lines
            ],
            "partner_id": False, "session_id": session.id,
            "payment_ids": [Command.create({"amount": total, "name": fields.Datetime.now(), "payment_method_id": cash.id})],
            "uuid": uid, "user_id": env.uid, "to_invoice": False, "state": "paid",
        }  # fmt: skip
        # The server's RPC starts with nothing cached (what the lines above read is the browser's).
        env.invalidate_all()
        Order.sync_from_ui([data])
        end_rpc(env)

    from sync_driver import (  # the bench folder (the shell runs from the repository root)
        end_rpc,
        report,
        timed,
    )

    orders, seconds, queries = timed(env, sync, WARMUP, ORDERS)
    checked = (
        Order.search_count([("session_id", "=", session.id), ("store_promo_state", "=", "ok")])
        if mode == "promo"
        else "-"
    )
    report(
        mode, orders, seconds, queries, synced=WARMUP + orders, promotions=len(programs), checked_ok=checked
    )


if "env" in globals() or __name__ == "__main__":  # piped into `bin/odoo shell`, or run as a script
    sys.path.insert(0, "bench" if "env" in globals() else os.path.dirname(os.path.abspath(__file__)))
    from sync_driver import main

    main(globals(), bench, drive)
