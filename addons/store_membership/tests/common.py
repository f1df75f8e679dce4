import threading
from contextlib import contextmanager

from odoo import SUPERUSER_ID, Command, api
from odoo.orm.environments import Transaction
from odoo.sql_db import db_connect
from odoo.tests import new_test_user
from odoo.tools import mute_logger

from odoo.addons.store_pos_ext.tests.common import StoreCommon


@contextmanager
def real_env(registry, isolation=None):
    """An environment on its own database connection, for tests of two tills at the same moment:
    the test framework runs every registry cursor of a test on the test's one connection. What it
    commits is really committed; the test deletes it again."""
    cr = db_connect(registry.db_name).cursor()
    if isolation is not None:
        cr._cnx.set_isolation_level(isolation)
    # The test runner holds the registry lock: hand the registry over instead of looking it up.
    cr.transaction = Transaction(registry)
    try:
        yield api.Environment(cr, SUPERUSER_ID, {})
    finally:
        cr.rollback()
        cr.close()


def two_tills_at_once(till, timeout=30):
    """Run ``till(0)`` and ``till(1)`` in two threads at the same time (each opens its own
    ``real_env``); the loser's "could not serialize access" in the log is expected."""
    threads = [threading.Thread(target=till, args=(n,)) for n in range(2)]
    with mute_logger("odoo.sql_db"):
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout)


class MemberCommon(StoreCommon):
    """StoreCommon plus the chain programs of the company: 1 point per CNY, 100 points = 1 CNY,
    stored value with 充100送20 and 充500送150, a stored-value payment method on every store POS,
    two tiers (普通会员 from 0, 金卡 from 1000 CNY with 2x points), and one member."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        Program = cls.env["loyalty.program"]
        cls.points_program = Program.create(
            {
                "name": "测试积分",
                "program_type": "loyalty",
                "applies_on": "both",
                "trigger": "auto",
                "store_chain_role": "points",
                "store_point_value": 0.01,
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
        )
        cls.topup_product = cls.env["product.product"].create(
            {
                "name": "储值充值",
                "type": "service",
                "list_price": 0,
                "available_in_pos": True,
                "taxes_id": False,
            }
        )
        cls.sv_program = Program.create(
            {
                "name": "测试储值",
                "program_type": "ewallet",
                "applies_on": "future",
                "trigger": "auto",
                "store_chain_role": "stored_value",
                # The top-up product is the eWallet program's own trigger product.
                "rule_ids": [
                    Command.clear(),
                    Command.create(
                        {
                            "reward_point_mode": "money",
                            "reward_point_amount": 1,
                            "product_ids": [Command.set(cls.topup_product.ids)],
                        }
                    ),
                ],
                "store_topup_bonus_rule_ids": [
                    Command.create({"min_amount": 100, "bonus_amount": 20}),
                    Command.create({"min_amount": 500, "bonus_amount": 150}),
                ],
            }
        )
        company.write(
            {"store_points_program_id": cls.points_program.id, "store_sv_program_id": cls.sv_program.id}
        )
        cls.sv_method = cls.env["pos.payment.method"].create(
            {
                "name": "储值支付",
                "store_is_stored_value": True,
                "journal_id": False,
                "split_transactions": False,
            }
        )
        for store in cls.store_a | cls.store_b | cls.store_c:
            store.pos_config_ids.payment_method_ids = [Command.link(cls.sv_method.id)]
        cls.cashier_b = new_test_user(cls.env, login="t_cashier_b", groups="store_pos_ext.group_store_user")
        cls.cashier_b.store_ids = [Command.set(cls.store_b.ids)]
        Tier = cls.env["store.member.tier"]
        cls.tier_basic = Tier.create({"name": "普通会员", "threshold": 0})
        cls.tier_gold = Tier.create({"name": "金卡", "threshold": 1000, "points_multiplier": 2.0})
        cls.member = cls.env["res.partner"].browse(
            cls.env["res.partner"].store_member_register({"mobile": "13800138000", "name": "张三"})["id"]
        )

    @classmethod
    def _sv_order(cls, store, price, partner=None, qty=1):
        """Sync data of ``qty`` x ``price`` of the test product sold to ``partner`` (default the
        member) and paid in full with stored value."""
        return cls._order_data(
            store,
            [(cls.product, qty, price)],
            partner=partner or cls.member,
            payments=[(cls.sv_method, qty * price)],
        )

    @classmethod
    def _points_reward_line(cls, amount, **extra):
        """A line of the chain points' per-point discount worth ``amount`` CNY off."""
        reward = cls.points_program.reward_ids[:1]
        return {
            "product_id": reward.discount_line_product_id.id,
            "qty": 1,
            "price_unit": -amount,
            "reward_id": reward.id,
            "is_reward_line": True,
            **extra,
        }

    @staticmethod
    def _refund_line(sale_line, qty, price=None):
        """A refund line of ``qty`` of ``sale_line`` (at its price unless ``price``), bound to it."""
        return {
            "product_id": sale_line.product_id.id,
            "qty": -qty,
            "price_unit": sale_line.price_unit if price is None else price,
            "refunded_orderline_id": sale_line.id,
        }

    @classmethod
    def _pay_at_till(cls, data, user):
        """What the till does with a paid order: ask for the holds of what it spends of stored value
        and points (refunds need none), then sync it as ``user``; the saved order."""
        cls._authorize(data, user)
        return cls._sync(data, user=user)

    @classmethod
    def _authorize(cls, data, user=None, partner=None):
        """Ask the server to hold what the order ``data`` spends of stored value and points, as the
        till does before paying (``partner``: the member asked for, default the order's customer).
        Returns the answers by kind."""
        env = cls.env(user=user) if user else cls.env
        session = env["pos.session"].browse(data["session_id"])
        partner_id = partner.id if partner else data["partner_id"]
        company = session.sudo().config_id.company_id
        lines = [command[2] for command in data["lines"]]
        sv_rewards = company.store_sv_program_id.reward_ids.ids
        points_rewards = company.store_points_program_id.reward_ids.ids
        methods = cls.env["pos.payment.method"].browse(
            [p[2]["payment_method_id"] for p in data["payment_ids"]]
        )
        sv_methods = methods.filtered("store_is_stored_value").ids
        stored_value = sum(
            p[2]["amount"] for p in data["payment_ids"] if p[2]["payment_method_id"] in sv_methods
        )
        stored_value -= sum(
            line["price_subtotal_incl"] for line in lines if line.get("reward_id") in sv_rewards
        )
        reward_lines = [
            {
                "reward_id": line["reward_id"],
                "amount": line["price_subtotal_incl"],
                "qty": line["qty"],
                "code": line.get("reward_identifier_code") or False,
            }
            for line in lines
            if line.get("reward_id") in points_rewards
        ]
        answers = {}
        if stored_value > 0:
            answers["stored_value"] = session.authorize_member_spend(
                partner_id, "stored_value", data["uuid"], amount=stored_value
            )
        if reward_lines:
            answers["points"] = session.authorize_member_spend(
                partner_id, "points", data["uuid"], reward_lines=reward_lines
            )
        return answers

    def _sync_within(self, data, queries):
        """Sync ``data`` as one RPC (fresh record cache) in at most ``queries`` queries; the order."""
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(queries):
            self.env["pos.order"].sync_from_ui([data])
            self.env.flush_all()
        return self.env["pos.order"].search([("uuid", "=", data["uuid"])])

    def _sync_queries(self, data):
        """Queries of one sync, with a fresh record cache as each RPC has (ormcaches stay warm)."""
        self.env.flush_all()
        self.env.invalidate_all()
        start = self.cr.sql_log_count
        self.env["pos.order"].sync_from_ui([data])
        self.env.flush_all()
        return self.cr.sql_log_count - start

    def _coupon_program(self, name, user=None):
        """A plain coupon program (20 CNY off), as core's form makes it."""
        return (
            self.env["loyalty.program"]
            .with_user(user or self.env.user)
            .create(
                {
                    "name": name,
                    "program_type": "coupons",
                    "trigger": "with_code",
                    "rule_ids": [Command.create({"reward_point_mode": "order", "reward_point_amount": 1})],
                    "reward_ids": [
                        Command.create(
                            {
                                "reward_type": "discount",
                                "discount_mode": "per_order",
                                "discount": 20,
                                "required_points": 1,
                                "discount_applicability": "order",
                            }
                        )
                    ],
                }
            )
        )

    def _card(self, partner, role="points"):
        return partner._store_member_cards(create=False).get(role)
