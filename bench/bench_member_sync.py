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
RPC as a till does: ``pos.order.sync_from_ui([order])``, then, in an RPC of its own as
pos_loyalty's till makes it, ``confirm_coupon_programs`` with the points the browser would send
for the customer's cards. Each RPC is served as odoo.http serves a request: it starts with nothing
cached (what the bench read to build the order is the browser's side) and ends with a commit.
Every order is a paid 2-line order of one customer who earns points: vanilla uses a plain
loyalty program (1 point per CNY) and an eWallet, ours the chain points and stored-value programs
(the server settles the order: ledger lines, balances on the order, tier).
Of every 5 orders, 3 are paid in cash, one pays 20 of its total with stored value (vanilla: core's
eWallet reward line; ours: the 储值 payment method) and one redeems 500 points for 5 CNY (a reward
line of the points program on both sides). Ours asks the server to hold the stored value / points
first (``pos.session.authorize_member_spend``, an RPC of its own, timed and counted with the order),
as our till does; vanilla has no such call. BENCH_WARMUP (20) orders are synced first and not
timed. Piped into ``bin/odoo shell -d DB`` by hand, it times BENCH_ORDERS (300) orders and rolls
everything back instead of committing.

BENCH_TEMPLATE (default core_tpl) names the template database (see ``sync_driver``).

``python3 bench/bench_member_sync.py facts`` compares instead the same member orders with and
without the dashboards' fact upkeep (store_dashboard installed on both sides, its upkeep off on
one): target >= 0.95 (the upkeep adds at most 5 % to the sync).
"""

import os
import sys
import uuid

ORDERS = int(os.environ.get("BENCH_ORDERS", 300))
WARMUP = int(os.environ.get("BENCH_WARMUP", 20))


# ----------------------------------------------------------------------------------- driver
def drive():
    from sync_driver import compare  # the bench folder; only the driver needs it

    if sys.argv[1:] == ["facts"]:
        # The dashboards' upkeep (store_dashboard) against the same code with the upkeep off, on
        # two copies of one database: what the facts add to a member order's sync.
        modules = "store_pos_ext,store_membership,store_dashboard"
        compare(
            __file__,
            {"facts": ("bench_facts", modules), "nofacts": ("bench_facts_off", modules)},
            label="FACT UPKEEP",
            target=0.95,
        )
        return
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


def ewallet_program_vals():
    """Paying with the wallet: 1 point = 1 CNY, as core's eWallet template."""
    from odoo import Command  # inside: the driver runs without Odoo

    return {
        "program_type": "ewallet",
        "applies_on": "future",
        "trigger": "auto",
        "rule_ids": [Command.clear()],
        "reward_ids": [
            Command.clear(),
            Command.create(
                {
                    "reward_type": "discount",
                    "discount_mode": "per_point",
                    "discount": 1,
                    "required_points": 1,
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
    ewallet = env["loyalty.program"].create(
        {
            "name": "BENCH eWallet",
            **ewallet_program_vals(),
            "pos_ok": True,
            "pos_config_ids": [Command.link(config.id)],
        }
    )
    partner = env["res.partner"].create({"name": "BENCH customer", "phone": "13800000000"})
    Card = env["loyalty.card"]
    card = Card.create({"program_id": program.id, "partner_id": partner.id, "points": 1_000_000})
    wallet = Card.create({"program_id": ewallet.id, "partner_id": partner.id, "points": 1_000_000})
    return config, partner, card, wallet, None


def setup_member(env):
    from odoo import Command  # inside: the driver runs without Odoo

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
            **ewallet_program_vals(),
            "store_chain_role": "stored_value",
        }
    )
    company.write({"store_points_program_id": program.id, "store_sv_program_id": sv_program.id})
    sv_method = env["pos.payment.method"].create(
        {
            "name": "BENCH 储值",
            "store_is_stored_value": True,
            "journal_id": False,
            "split_transactions": False,
        }
    )
    config.payment_method_ids = [Command.link(sv_method.id)]
    Tier = env["store.member.tier"]
    Tier.search([("company_id", "=", company.id)]).active = False
    Tier.create([{"name": "BENCH 普通"}, {"name": "BENCH 金卡", "threshold": 1000, "points_multiplier": 2.0}])
    info = env["res.partner"].store_member_register({"mobile": "13800000000", "name": "BENCH member"})
    partner = env["res.partner"].browse(info["id"])
    cards = partner._store_member_cards()
    cards["points"]._store_credit("adjust", 1_000_000, store=store, reason="BENCH")
    cards["stored_value"]._store_credit("topup", 1_000_000, store=store, sv_part="principal")
    return config, partner, cards["points"], cards["stored_value"], sv_method


def order_payload(env, session, product, partner, n, cards, sv_method):
    """The n-th order and what it spends: ``(payload, earned, {card: points spent})``. Of every 5
    orders, one pays 20 with stored value (ours: the stored-value method; vanilla: core's eWallet
    reward line) and one redeems 500 points for 5 CNY; the others are paid in cash."""
    from odoo import Command, fields

    points_card, wallet = cards
    # Sold at the product's price (50): the server prices every line, a lower one would be a
    # manual discount without a reason and the order would be flagged (and settle nothing).
    goods = [(2, 50.0), (1 + n % 3, 50.0)]
    lines = [
        {"product_id": product.id, "qty": qty, "price_unit": price, "price_subtotal": qty * price}
        for qty, price in goods
    ]
    payments, spent = [], {}
    total = sum(qty * price for qty, price in goods)
    uid = str(uuid.UUID(int=n + 1))

    def reward_line(card, amount, cost):
        reward = card.program_id.reward_ids[:1]
        lines.append(
            {
                "product_id": reward.discount_line_product_id.id,
                "qty": 1,
                "price_unit": -amount,
                "price_subtotal": -amount,
                "reward_id": reward.id,
                "is_reward_line": True,
                "coupon_id": card.id,
                "points_cost": cost,
                "reward_identifier_code": f"{uid}-{reward.id}",
            }
        )
        spent[card] = cost
        return amount

    if n % 5 == 1 and sv_method:
        payments.append((sv_method, 20.0))
        spent[wallet] = 20
    elif n % 5 == 1:
        total -= reward_line(wallet, 20.0, 20)
    elif n % 5 == 3:
        total -= reward_line(points_card, 5.0, 500)
    cash = session.config_id.payment_method_ids.filtered("is_cash_count")[:1]
    payments.append((cash, total - sum(amount for _m, amount in payments)))
    return (
        {
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
                        **line,
                        "price_subtotal_incl": line["price_subtotal"],
                        "tax_ids": [],
                        "pack_lot_ids": [],
                    }
                )
                for line in lines
            ],
            "partner_id": partner.id,
            "session_id": session.id,
            "payment_ids": [
                Command.create(
                    {"amount": amount, "name": fields.Datetime.now(), "payment_method_id": method.id}
                )
                for method, amount in payments
            ],
            "uuid": uid,
            "user_id": env.uid,
            "to_invoice": False,
            "state": "paid",
        },
        int(total),
        spent,
    )


def bench(env):
    mode = os.environ["BENCH_MODE"]
    if mode == "nofacts":  # store_dashboard installed, its upkeep off
        env.registry["store.sales.fact"]._refresh_orders = lambda self, *args, **kwargs: set()
    # A POS manager, as the till's user, with the context a till's RPC carries (the web client
    # sends the user's language and time zone): in a shell the context has no language, and the
    # settlement's ledger lines, written in the company's language, would read whole companies
    # and countries again in another language than the order's.
    admin = env.ref("base.user_admin")
    env = env(user=admin, context=dict(env.context, lang=admin.lang, tz=admin.tz))
    # As a request does (``odoo.http.Request.update_env``): the user's environment is the
    # transaction's default one, which flushes (at a savepoint, a commit) and recomputes in it.
    env.transaction.default_env = env
    config, partner, card, wallet, sv_method = (setup_vanilla if mode == "vanilla" else setup_member)(env)
    config.open_ui()
    session = config.current_session_id
    product = env["product.product"].create(
        {
            "name": "BENCH goods",
            "list_price": 50.0,
            "available_in_pos": True,
            "taxes_id": False,
            "is_storable": True,
            # The chain's own product: a product of no company is priced in the currency of the
            # database's first company, here a demo company in USD (a chain's database has its
            # own company first), and the server's pricing would convert USD to CNY every time.
            "company_id": config.company_id.id,
        }
    )
    env.flush_all()
    Order = env["pos.order"]

    def sync(n):
        # The till's side: the order, the holds it asks for, what it tells the server of the
        # customer's cards (the points it computed for the order).
        data, earned, spent = order_payload(env, session, product, partner, n, (card, wallet), sv_method)
        reward_lines = [
            {
                "reward_id": line[2]["reward_id"],
                "amount": line[2]["price_subtotal_incl"],
                "qty": line[2]["qty"],
                "code": line[2]["reward_identifier_code"],
            }
            for line in data["lines"]
            if line[2].get("reward_id")
        ]
        coupon_data = {
            str(c.id): {
                "points": (earned if c == card else 0) - spent.get(c, 0),
                "program_id": c.program_id.id,
                "coupon_id": c.id,
                "barcode": c.code,
                "partner_id": partner.id,
            }
            for c in (card, wallet)
            if c == card or c in spent
        }
        # The server's side: each RPC a request of its own, as odoo.http serves it: it starts with
        # nothing cached (what the till's side read above is the browser's) and commits.
        env.invalidate_all()
        if mode != "vanilla":
            # Our till asks the server to hold what the order spends before it is paid.
            for kind, spends in (("stored_value", wallet), ("points", card)):
                if spends in spent:
                    answer = session.authorize_member_spend(
                        partner.id, kind, data["uuid"], amount=spent[spends], reward_lines=reward_lines
                    )
                    assert answer["authorized"], answer
                    end_rpc(env)
        result = Order.sync_from_ui([data])
        end_rpc(env)
        # Core's till confirms the loyalty cards in an RPC of its own once the order is synced
        # (pos_loyalty's pos_store.js, confirm_coupon_programs).
        Order.browse(result["pos.order"][0]["id"]).confirm_coupon_programs(coupon_data)
        end_rpc(env)

    from sync_driver import (  # the bench folder (the shell runs from the repository root)
        end_rpc,
        report,
        timed,
    )

    orders, seconds, queries = timed(env, sync, WARMUP, ORDERS)
    (card | wallet).invalidate_recordset()
    member = {}
    if mode != "vanilla":
        member = {
            state: Order.search_count([("session_id", "=", session.id), ("store_member_state", "=", state)])
            for state in ("done", "flagged")
        }
        member["captured"] = env["store.member.hold"].search_count(
            [("session_id", "=", session.id), ("state", "=", "captured")]
        )
    report(
        mode,
        orders,
        seconds,
        queries,
        synced=WARMUP + orders,
        card_points=card.points,
        wallet=wallet.points,
        **{f"member_{key}": value for key, value in member.items()},
    )


if "env" in globals() or __name__ == "__main__":  # piped into `bin/odoo shell`, or run as a script
    sys.path.insert(0, "bench" if "env" in globals() else os.path.dirname(os.path.abspath(__file__)))
    from sync_driver import main

    main(globals(), bench, drive)
