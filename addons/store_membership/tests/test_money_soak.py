"""The money invariant, by a soak: thousands of orders sent through ``sync_from_ui`` by the cashiers
of two stores, as their tills send them (the hold asked for first when stored value or points are
spent), honest ones mixed with the crafted ones a hostile cashier sends. Afterwards every chain card
must be what its ledger says, and every credit must be backed by money the test paid or by a rule.

The test keeps its own book of what it sent and derives every bound from it (the rules it set up:
1 point per CNY, the tier multiplier, the top-up bonus rules); it never takes the server's own
figures as the expectation. The seed is fixed and printed: a failure replays exactly.
"""

import logging
import math
import random
import time
from collections import Counter, defaultdict

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import MemberCommon

_logger = logging.getLogger(__name__)

SEED = 20261202
ORDERS = 2000
# Run-time budget of the soak on the 2-core CI machine (the whole CI run has 90 minutes).
BUDGET_SECONDS = 240

# What the test set up, and so what the rules give (the test's own copy, not read back).
POINTS_PER_CNY = 1
GOLD_MULTIPLIER = 2.0
GOLD_THRESHOLD = 6000.0
BONUS_RULES = {100: 20, 500: 150, 1000: 350}

HONEST = {
    "goods_cash": 22,
    "goods_card": 8,
    "topup": 10,
    "sv_pay": 14,
    "sv_drain": 2,
    "points_redeem": 8,
    "refund_partial": 6,
    "refund_full": 5,
    "refund_other_store": 4,
    "topup_refund": 1,
    "resend": 2,
}
CRAFTED = {
    "topup_without_money": 2,
    "goods_without_money": 2,
    "topup_balanced_by_negative_line": 2,
    "line_claims_less_than_price": 2,
    "refund_of_nothing": 2,
    "refund_to_another_member": 2,
    "double_refund": 2,
    "topup_paid_with_stored_value": 1,
    "sv_over_balance": 2,
    "sv_without_hold": 1,
    "hold_of_another_order": 1,
    "hold_for_less": 1,
    "hold_on_another_card": 1,
    "points_without_hold": 1,
}


def rule_bonus(amount):
    """The bonus the rules give for a top-up of ``amount``: the highest threshold reached."""
    return max((bonus for threshold, bonus in BONUS_RULES.items() if amount >= threshold), default=0)


def cents(amount):
    return round(amount + 1e-9, 2)


class Member:
    """The test's book of one member: what it paid and what the rules give for it."""

    def __init__(self, partner):
        self.partner = partner
        self.topup_money = 0.0  # money paid for top-ups (cash, card)
        self.topup_refunded = 0.0  # of it, paid back by refunded top-ups
        self.bonus_rules = 0.0  # what the bonus rules give for those top-ups
        self.bonus_refunded = 0.0  # bonus taken back with a refunded top-up
        self.sv_paid = 0.0  # stored value spent in accepted orders
        # stored value the tills paid back in honest refunds: the refunded share of what the sale
        # was paid with in stored value
        self.sv_back = 0.0
        self.sv_balance = 0.0  # what the card must hold
        self.principal_upper = 0.0  # an upper bound of the principal left (spent first)
        self.earned_gross = 0  # points the rules give for what was paid (upper bound)
        self.redeemed = 0  # points spent in accepted redemptions (exact)
        self.points_back = 0  # points given back by refunded reward lines (exact)
        self.spend = 0.0  # honest spend (tier), top-ups excluded
        self.gold = False
        self.fresh_topups = []  # top-ups nothing was spent since (refundable in full)

    @property
    def multiplier(self):
        return GOLD_MULTIPLIER if self.gold else 1.0


class Sale:
    """An honest sale the soak may refund later."""

    def __init__(self, member, store, data, result, sv, reward_points, earned_bound, mixed):
        self.member, self.store, self.data = member, store, data
        self.sv, self.reward_points, self.earned_bound, self.mixed = sv, reward_points, earned_bound, mixed
        lines = result["pos.order.line"]
        self.goods = [
            {
                "id": line["id"],
                "product_id": line["product_id"],
                "qty": line["qty"],
                "price": line["price_unit"],
            }
            for line in lines
            if not line.get("reward_id")
        ]
        self.left = {line["id"]: line["qty"] for line in self.goods}
        self.reward = next(
            ({"id": line["id"], "price": line["price_unit"]} for line in lines if line.get("reward_id")), None
        )
        self.reward_refunded = False
        self.goods_total = sum(line["qty"] * line["price"] for line in self.goods)
        self.sv_given_back = 0.0
        self.taken_back_floor = 0  # Σ floor(earned_bound x share) of its partial refunds
        self.partial_refunds = 0  # -1: all refunded
        self.multiplier = member.multiplier if member else 1.0  # the tier's, in the test's book
        self.spend_before = member.spend if member else 0.0

    @property
    def open(self):
        return any(qty > 0 for qty in self.left.values())


@tagged("post_install", "-at_install")
class TestMoneySoak(MemberCommon):
    """After a soak of honest and crafted orders, every chain card is its ledger and every credit
    is backed: stored value by money paid for top-ups and the bonus rules, points by what the member
    paid. No honest order is flagged; every crafted one is flagged or refused; every order the tills
    sent is on the server once, and a refused one moved nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The highest rule, created now: in the cache the rules are in creation order.
        cls.sv_program.store_topup_bonus_rule_ids = [
            Command.create({"min_amount": 1000, "bonus_amount": 350})
        ]
        cls.tier_gold.threshold = GOLD_THRESHOLD
        Partner = cls.env["res.partner"]
        cls.members = cls.member | Partner.browse(
            [
                Partner.store_member_register({"mobile": f"1390013{n:04d}", "name": f"会员{n}"})["id"]
                for n in range(7)
            ]
        )
        journal = cls.env["account.journal"].search(
            [*cls.env["account.journal"]._check_company_domain(cls.env.company), ("type", "=", "bank")],
            limit=1,
        )
        cls.card_method = cls.env["pos.payment.method"].create(
            {"name": "银联刷卡", "journal_id": journal.id, "split_transactions": False}
        )
        vat6 = cls.env["account.tax"].create(
            {
                "name": "增值税6%含",
                "amount": 6,
                "amount_type": "percent",
                "price_include_override": "tax_included",
            }
        )
        # Goods sold at their price (a till changes no price here), one of them with a tax included.
        Product = cls.env["product.product"]
        cls.goods = [(cls.product, False)] + [
            (
                Product.create(
                    {"name": name, "list_price": price, "available_in_pos": True, "taxes_id": tax.ids}
                ),
                tax,
            )
            for name, price, tax in (
                ("测试饮料", 3.5, Product.taxes_id),
                ("测试面包", 9.9, Product.taxes_id),
                ("测试水果", 45.5, Product.taxes_id),
                ("测试礼盒", 128.0, Product.taxes_id),
                ("测试茶叶", 106.0, vat6),
            )
        ]
        # Stock moves at the session's closing (core's other setting): a picking per order is no money.
        cls.env.company.point_of_sale_update_stock_quantities = "closing"
        # A cashier of both stores refunds at one store what was sold at the other (a store's own
        # cashiers cannot read the other store's orders).
        cls.cashier_ab = new_test_user(cls.env, login="t_cashier_ab", groups="store_pos_ext.group_store_user")
        cls.cashier_ab.store_ids = [Command.set((cls.store_a | cls.store_b).ids)]
        cls.stores = {}
        for store, cashier in ((cls.store_a, cls.cashier_a), (cls.store_b, cls.cashier_b)):
            config = store.pos_config_ids[:1]
            config.payment_method_ids = [Command.link(cls.card_method.id)]
            cls._session(store)
            cash = config.payment_method_ids.filtered("is_cash_count")[:1]
            cls.stores[store] = {"cashier": cashier, "cash": cash}

    # ------------------------------------------------------------------ building orders
    def _goods_lines(self, rng):
        lines = []
        for product, tax in rng.sample(self.goods, rng.randint(1, 3)):
            qty, price = rng.choice((1, 1, 2, 3)), product.lst_price
            if tax:
                taxes = tax.compute_all(price, self.env.company.currency_id, qty)
                lines.append(
                    {
                        "product_id": product.id,
                        "qty": qty,
                        "price_unit": price,
                        "tax_ids": [Command.set(tax.ids)],
                        "price_subtotal": taxes["total_excluded"],
                        "price_subtotal_incl": taxes["total_included"],
                    }
                )
            else:
                lines.append((product, qty, price))
        return lines

    def _data(self, store, lines, member, payments):
        data = self._order_data(store, lines, partner=member.partner if member else None, payments=payments)
        total = data["amount_total"]
        data["amount_tax"] = cents(total - sum(line[2]["price_subtotal"] for line in data["lines"]))
        data["amount_total"] = cents(total)
        return data

    @staticmethod
    def _total(data):
        return cents(sum(line[2]["price_subtotal_incl"] for line in data["lines"]))

    # ------------------------------------------------------------------ sending
    def _send(self, kind, store, data, honest, hold=True, user=None):
        """Send ``data`` as the store's cashier; ('done'|'none'|'flagged'|'refused', sync result)."""
        user = user or self.stores[store]["cashier"]
        if hold:
            answers = self._authorize(data, user)
            refused = [a["message"] for a in answers.values() if not a["authorized"]]
            if honest and refused:
                self.failures.append(
                    f"{kind}: honest hold refused: {refused} (the test's book: {self._book_of(data)}) "
                    f"{self._payload(data)}"
                )
        self.sent[data["uuid"]] = kind
        Order = self.env(user=user)["pos.order"]
        try:
            # A refused sync is rolled back as its RPC would be.
            with self.cr.savepoint():
                result = Order.sync_from_ui([data])
        except (UserError, AccessError) as exc:
            self.refused[data["uuid"]] = kind
            self.outcomes[(kind, "refused")] += 1
            if honest:
                self.failures.append(f"{kind}: honest order refused: {exc} {self._payload(data)}")
            return "refused", None
        # Core answers with the refunded sale too: the order sent is the one of its uuid.
        order = next(o for o in result["pos.order"] if o["uuid"] == data["uuid"])
        state = order["store_member_state"]
        self.accepted[data["uuid"]] = kind
        self.outcomes[(kind, state)] += 1
        if honest and state == "flagged":
            self.failures.append(f"{kind}: false flag: {order['store_member_issue']} {self._payload(data)}")
        if not honest:
            self.crafted_accepted.add(data["uuid"])
            if state != "flagged":
                self.failures.append(f"{kind}: crafted order accepted as {state} {self._payload(data)}")
        return state, result

    def _payload(self, data):
        lines = [
            {
                k: v
                for k, v in line[2].items()
                if k
                in (
                    "product_id",
                    "qty",
                    "price_unit",
                    "price_subtotal_incl",
                    "refunded_orderline_id",
                    "reward_id",
                )
            }
            for line in data["lines"]
        ]
        payments = [(p[2]["payment_method_id"], p[2]["amount"]) for p in data["payment_ids"]]
        return (
            f"[seed {SEED}, order {self.count}] partner={data['partner_id']} session={data['session_id']} "
            f"total={data['amount_total']} lines={lines} payments={payments}"
        )

    def _book_of(self, data):
        member = next((m for m in self.book if m.partner.id == data["partner_id"]), None)
        return member and {"stored value": round(member.sv_balance, 2)}

    # ------------------------------------------------------------------ honest kinds
    def _after_sale(self, member, store, data, result, sv=0.0, reward_points=0, mixed=False):
        """Book an honest sale: the tier spend, the points the rules give for what was paid."""
        goods = sum(line[2]["price_subtotal_incl"] for line in data["lines"] if not line[2].get("reward_id"))
        discount = goods - self._total(data)
        # Stored value is spent principal first: what is beyond the principal left is bonus.
        bonus_lower = max(sv - member.principal_upper, 0.0)
        member.principal_upper = max(member.principal_upper - sv, 0.0)
        base = max(goods - discount - bonus_lower, 0.0)
        earned = math.floor(base * POINTS_PER_CNY * member.multiplier + 1e-6)
        member.earned_gross += earned
        sale = Sale(member, store, data, result, sv, reward_points, earned, mixed)
        member.spend += self._total(data)
        self.sales.append(sale)
        self._spent(member)
        return sale

    @staticmethod
    def _spent(member):
        """The tier the honest spend reaches (orders only move a member up)."""
        member.gold = member.gold or member.spend >= GOLD_THRESHOLD

    def _goods(self, rng, store, member, method_key):
        data = self._data(store, self._goods_lines(rng), member, None)
        method = self.stores[store]["cash"] if method_key == "cash" else self.card_method
        data["payment_ids"] = [Command.create({**data["payment_ids"][0][2], "payment_method_id": method.id})]
        state, result = self._send(f"goods_{method_key}", store, data, honest=True)
        if state != "refused" and member:
            self._after_sale(member, store, data, result)
        self._keep_for_resend(data, store)

    def _topup(self, rng, store, member):
        amount = rng.choice((50.0, 100.0, 100.0, 200.0, 300.0, 500.0, 800.0, 1000.0, 1500.0))
        method = self.stores[store]["cash"] if rng.random() < 0.7 else self.card_method
        data = self._data(store, [(self.topup_product, 1, amount)], member, [(method, amount)])
        state, result = self._send("topup", store, data, honest=True)
        if state == "refused":
            return
        bonus = rule_bonus(amount)
        member.topup_money += amount
        member.bonus_rules += bonus
        member.sv_balance += amount + bonus
        member.principal_upper += amount
        member.fresh_topups.append((result["pos.order.line"][0]["id"], amount, bonus, store))

    def _sv_pay(self, rng, store, member):
        lines = self._goods_lines(rng)
        data = self._data(store, lines, member, [])
        total = data["amount_total"]
        available = cents(member.sv_balance)
        if available < 1:
            return self._goods(rng, store, member, "cash")
        mixed = total > available or rng.random() < 0.25
        sv = (
            min(total, available) if not mixed else cents(min(available, total * rng.choice((0.3, 0.5, 0.8))))
        )
        if sv >= total:
            sv, mixed = total, False
        payments = [(self.sv_method, sv)] + (
            [(self.stores[store]["cash"], cents(total - sv))] if mixed else []
        )
        data = self._data(store, lines, member, payments)
        state, result = self._send("sv_pay", store, data, honest=True)
        if state == "refused":
            return
        member.sv_paid += sv
        member.sv_balance -= sv
        member.fresh_topups = []
        self._after_sale(member, store, data, result, sv=sv, mixed=mixed)

    def _sv_drain(self, rng, store, member):
        """Many of one cheap article paid with all the stored value there is, bonus included: its
        partial refunds give back tiny shares of principal and bonus."""
        product = self.goods[1][0]
        qty = min(int(member.sv_balance // product.lst_price), 400)
        if qty < 2:
            return self._topup(rng, store, member)
        sv = cents(qty * product.lst_price)
        data = self._data(store, [(product, qty, product.lst_price)], member, [(self.sv_method, sv)])
        state, result = self._send("sv_drain", store, data, honest=True)
        if state == "refused":
            return
        member.sv_paid += sv
        member.sv_balance -= sv
        member.fresh_topups = []
        self._after_sale(member, store, data, result, sv=sv)

    def _points_redeem(self, rng, store, member):
        card = self._card(member.partner)
        points = card.points if card else 0
        lines = self._goods_lines(rng)
        goods = sum(
            line["price_subtotal_incl"] if isinstance(line, dict) else line[1] * line[2] for line in lines
        )
        # A per-point discount: 100 points are 1 CNY; never more than the goods.
        most = min(int(points // 100), int(goods) - 1, 30)
        if most < 1:
            return self._goods(rng, store, member, "cash")
        discount = float(rng.randint(1, most))
        cost = int(discount * 100)
        data = self._data(store, [*lines, self._points_reward_line(discount)], member, None)
        state, result = self._send("points_redeem", store, data, honest=True)
        if state == "refused":
            return
        member.redeemed += cost
        self._after_sale(member, store, data, result, reward_points=cost)

    def _refund(self, rng, store, kind):
        """An honest refund of an earlier sale still open: part of a line, or all that is left
        (with its reward line); money back the way it came."""
        sales = [s for s in self.sales if s.open and s.member and (kind != "refund_partial" or not s.mixed)]
        if kind == "refund_other_store":
            sales = [s for s in sales if s.store != store]
        else:
            sales = [s for s in sales if s.store == store]
        if not sales:
            return self._goods(rng, store, rng.choice(self.book), "cash")
        sale = rng.choice(sales[-60:])
        member = sale.member
        full = kind == "refund_full" or (kind == "refund_other_store" and rng.random() < 0.5) or sale.mixed
        if full:
            qtys = {line_id: qty for line_id, qty in sale.left.items() if qty > 0}
        else:
            line_id = rng.choice([line_id for line_id, qty in sale.left.items() if qty > 0])
            qtys = {line_id: 1}
        by_id = {line["id"]: line for line in sale.goods}
        lines = [
            {
                "product_id": by_id[line_id]["product_id"],
                "qty": -qty,
                "price_unit": by_id[line_id]["price"],
                "refunded_orderline_id": line_id,
                **self._refund_taxes(sale, line_id, qty),
            }
            for line_id, qty in qtys.items()
        ]
        complete = all(sale.left[line_id] == qty for line_id, qty in qtys.items()) and full
        with_reward = complete and sale.reward and not sale.reward_refunded
        if with_reward:
            lines.append(
                {
                    "product_id": self.points_program.reward_ids.discount_line_product_id.id,
                    "qty": -1,
                    "price_unit": sale.reward["price"],
                    "refunded_orderline_id": sale.reward["id"],
                    "reward_id": self.points_program.reward_ids.id,
                    "is_reward_line": True,
                }
            )
        value = -cents(
            sum(line.get("price_subtotal_incl", line["qty"] * line["price_unit"]) for line in lines)
        )
        goods_value = sum(by_id[line_id]["price"] * qty for line_id, qty in qtys.items())
        share = goods_value / sale.goods_total if sale.goods_total else 0.0
        sv_back = 0.0
        if sale.sv:
            sv_back = cents(sale.sv - sale.sv_given_back) if complete else cents(sale.sv * share)
            sv_back = max(min(sv_back, value), 0.0)
        # The rest in cash: paid back, or paid by the customer when the reward refunded with the
        # last goods is worth more than they are.
        payments = [(self.sv_method, -sv_back)] if sv_back else []
        if cents(value - sv_back):
            payments.append((self.stores[store]["cash"], -cents(value - sv_back)))
        data = self._data(store, lines, member, payments)
        user = self.cashier_ab if kind == "refund_other_store" else None
        state, _result = self._send(kind, store, data, honest=True, user=user)
        if state == "refused":
            return
        for line_id, qty in qtys.items():
            sale.left[line_id] -= qty
        sale.reward_refunded = sale.reward_refunded or bool(with_reward)
        sale.sv_given_back += sv_back
        member.sv_back += sv_back
        member.sv_balance += sv_back
        member.principal_upper += sv_back
        member.spend -= value
        self._spent(member)
        if with_reward:
            member.points_back += sale.reward_points
        if not sale.open:
            sale.partial_refunds = -1  # all refunded: nothing of its points is left
        elif sale.partial_refunds >= 0:
            sale.partial_refunds += 1
            sale.taken_back_floor += math.floor(sale.earned_bound * share + 1e-6)

    def _refund_taxes(self, sale, line_id, qty):
        line = next(
            line[2]
            for line in sale.data["lines"]
            if line[2]["product_id"] == self._line_product(sale, line_id)
        )
        if not line.get("tax_ids"):
            return {}
        tax = self.env["account.tax"].browse(line["tax_ids"][0][2])
        taxes = tax.compute_all(line["price_unit"], self.env.company.currency_id, -qty)
        return {
            "tax_ids": [Command.set(tax.ids)],
            "price_subtotal": taxes["total_excluded"],
            "price_subtotal_incl": taxes["total_included"],
        }

    @staticmethod
    def _line_product(sale, line_id):
        return next(line["product_id"] for line in sale.goods if line["id"] == line_id)

    def _topup_refund(self, rng, store, member):
        """A top-up nothing was spent from since, refunded in cash: its principal and bonus go."""
        if not member.fresh_topups:
            return self._topup(rng, store, member)
        line_id, amount, bonus, sold_at = member.fresh_topups.pop()
        data = self._data(
            sold_at,
            [
                {
                    "product_id": self.topup_product.id,
                    "qty": -1,
                    "price_unit": amount,
                    "refunded_orderline_id": line_id,
                }
            ],
            member,
            [(self.stores[sold_at]["cash"], -amount)],
        )
        state, _result = self._send("topup_refund", sold_at, data, honest=True)
        if state == "refused":
            return
        member.topup_refunded += amount
        member.bonus_refunded += bonus
        member.sv_balance -= amount + bonus
        member.principal_upper = max(member.principal_upper - amount, 0.0)

    def _keep_for_resend(self, data, store):
        self.resendable.append((data, store))
        del self.resendable[:-20]

    def _resend(self, rng, store, member):
        """The till did not get the answer and sends an order again: it lands once."""
        if not self.resendable:
            return self._goods(rng, store, member, "cash")
        data, sold_at = rng.choice(self.resendable)
        uid = data["uuid"]
        self.env(user=self.stores[sold_at]["cashier"])["pos.order"].sync_from_ui([dict(data)])
        self.outcomes[("resend", "ignored")] += 1
        self.resent.add(uid)

    # ------------------------------------------------------------------ crafted kinds
    def _crafted(self, rng, kind, store, member):
        cash = self.stores[store]["cash"]
        other = rng.choice([m for m in self.book if m is not member])
        amount = rng.choice((100.0, 500.0, 1000.0, 2000.0))
        hold = True
        if kind == "topup_without_money":
            data = self._data(store, [(self.topup_product, 1, amount)], member, [])
            data.update(amount_total=0.0, amount_paid=0.0)
        elif kind == "goods_without_money":
            data = self._data(store, [(self.product, int(amount // 10), 10.0)], member, [])
            data.update(amount_total=0.0, amount_paid=0.0)
        elif kind == "topup_balanced_by_negative_line":
            data = self._data(
                store, [(self.topup_product, 1, amount), (self.product, -1, amount)], member, []
            )
        elif kind == "line_claims_less_than_price":
            line = {
                "product_id": self.product.id,
                "qty": 10,
                "price_unit": 100.0,
                "price_subtotal": 1.0,
                "price_subtotal_incl": 1.0,
            }
            data = self._data(store, [line], member, None)
        elif kind == "refund_of_nothing":
            back = [(self.sv_method, -50.0)] if rng.random() < 0.5 else [(cash, -50.0)]
            data = self._data(store, [(self.product, -1, 50.0)], member, back)
        elif kind in ("refund_to_another_member", "double_refund"):
            return self._crafted_refund(rng, kind, store, member, other)
        elif kind == "topup_paid_with_stored_value":
            if member.sv_balance < 50:
                return self._topup(rng, store, member)
            paid = float(math.floor(min(member.sv_balance, 500.0)))
            data = self._data(store, [(self.topup_product, 1, paid)], member, [(self.sv_method, paid)])
        elif kind in ("sv_over_balance", "sv_without_hold"):
            price = cents(member.sv_balance + 50.0) if kind == "sv_over_balance" else 10.0
            data = self._sv_order(store, price, partner=member.partner)
            hold = kind == "sv_over_balance"  # asked and refused, or not asked at all
        elif kind == "hold_of_another_order":
            if member.sv_balance < 20:
                return self._topup(rng, store, member)
            held = self._sv_order(store, 10.0, partner=member.partner)
            self._authorize(held, self.stores[store]["cashier"])
            data = self._sv_order(store, 10.0, partner=member.partner)
            self._send(kind, store, data, honest=False, hold=False)
            # ... and the order that was held is then paid as it should be.
            state, result = self._send("sv_pay", store, held, honest=True, hold=False)
            if state != "refused":
                member.sv_paid += 10.0
                member.sv_balance -= 10.0
                member.fresh_topups = []
                self._after_sale(member, store, held, result, sv=10.0)
            return
        elif kind in ("hold_for_less", "hold_on_another_card"):
            if member.sv_balance < 20 or (kind == "hold_on_another_card" and other.sv_balance < 20):
                return self._topup(rng, store, member)
            data = self._sv_order(store, 15.0, partner=member.partner)
            session = self.env(user=self.stores[store]["cashier"])["pos.session"].browse(data["session_id"])
            if kind == "hold_for_less":
                session.authorize_member_spend(member.partner.id, "stored_value", data["uuid"], amount=5.0)
            else:
                self._authorize(data, self.stores[store]["cashier"], partner=other.partner)
            self._send(kind, store, data, honest=False, hold=False)
            session.release_member_spend(data["uuid"])  # the cashier cancels the payment
            return
        elif kind == "points_without_hold":
            data = self._data(store, [(self.product, 5, 10.0), self._points_reward_line(5.0)], member, None)
            hold = False
        else:
            raise AssertionError(kind)
        self._send(kind, store, data, honest=False, hold=hold)

    def _crafted_refund(self, rng, kind, store, member, other):
        if kind == "double_refund":
            done = [s for s in self.sales if s.member and s.store == store and not s.open and not s.mixed]
            if not done:
                return self._crafted(rng, "refund_of_nothing", store, member)
            sale = rng.choice(done[-60:])
            line = sale.goods[0]
            lines = [
                {
                    "product_id": line["product_id"],
                    "qty": -1,
                    "price_unit": line["price"],
                    "refunded_orderline_id": line["id"],
                    **self._refund_taxes(sale, line["id"], 1),
                }
            ]
            partner = sale.member
        else:
            open_sales = [
                s
                for s in self.sales
                if s.member and s.store == store and s.open and not s.mixed and s.member is not other
            ]
            if not open_sales:
                return self._crafted(rng, "refund_of_nothing", store, member)
            sale = rng.choice(open_sales[-60:])
            line_id = next(line_id for line_id, qty in sale.left.items() if qty > 0)
            line = next(line for line in sale.goods if line["id"] == line_id)
            lines = [
                {
                    "product_id": line["product_id"],
                    "qty": -1,
                    "price_unit": line["price"],
                    "refunded_orderline_id": line_id,
                    **self._refund_taxes(sale, line_id, 1),
                }
            ]
            partner = other
        value = -cents(
            sum(line.get("price_subtotal_incl", line["qty"] * line["price_unit"]) for line in lines)
        )
        back = (
            [(self.sv_method, -value)]
            if sale.sv or rng.random() < 0.5
            else [(self.stores[store]["cash"], -value)]
        )
        data = self._data(store, lines, partner, back)
        state, _result = self._send(kind, store, data, honest=False)
        if state != "refused" and kind == "refund_to_another_member":
            # The goods came back: the line has that much less left to refund, and its points go.
            sale.left[line_id] -= 1
            if not sale.open:
                sale.partial_refunds = -1

    # ------------------------------------------------------------------ the soak
    def test_money_soak(self):
        rng = random.Random(SEED)
        self.book = [Member(partner) for partner in self.members]
        self.failures, self.sales, self.resendable = [], [], []
        self.sent, self.accepted, self.refused = {}, {}, {}
        self.crafted_accepted, self.resent = set(), set()
        self.outcomes = Counter()
        self.count = 0
        kinds = list(HONEST) + list(CRAFTED)
        weights = list(HONEST.values()) + list(CRAFTED.values())
        stores = [self.store_a, self.store_b]
        self.env.flush_all()
        queries, start, cpu = self.cr.sql_log_count, time.time(), time.process_time()
        with mute_logger("odoo.addons.point_of_sale.models.pos_order"):
            while len(self.sent) < ORDERS:
                self.count += 1
                kind = rng.choices(kinds, weights)[0]
                store = rng.choice(stores)
                member = rng.choice(self.book)
                if kind in ("goods_cash", "goods_card"):
                    self._goods(rng, store, member if rng.random() < 0.85 else None, kind[6:])
                elif kind in ("refund_partial", "refund_full", "refund_other_store"):
                    self._refund(rng, store, kind)
                elif kind in CRAFTED:
                    self._crafted(rng, kind, store, member)
                else:
                    getattr(self, f"_{kind}")(rng, store, member)
                if self.count % 250 == 0:
                    self.env.invalidate_all()  # as each RPC starts with a fresh cache
        self.env.flush_all()
        elapsed, cpu = time.time() - start, time.process_time() - cpu
        sent = len(self.sent)
        crafted = sum(n for (kind, _state), n in self.outcomes.items() if kind in CRAFTED)
        _logger.info(
            "money soak: seed %s, %d orders sent (%d honest, %d crafted; %d re-sent) in %.1f s "
            "(%.1f s of this process's CPU), %.1f orders/s, %.0f queries/order; outcomes %s",
            SEED,
            sent,
            sent - crafted,
            crafted,
            len(self.resent),
            elapsed,
            cpu,
            sent / elapsed,
            (self.cr.sql_log_count - queries) / sent,
            dict(sorted(self.outcomes.items())),
        )
        self._check_orders()
        self._check_cards()
        if elapsed > BUDGET_SECONDS:
            _logger.warning("money soak: %.0f s, over its budget of %d s", elapsed, BUDGET_SECONDS)
        self.assertFalse(
            self.failures, f"seed {SEED}: {len(self.failures)} problems:\n" + "\n".join(self.failures[:40])
        )

    # ------------------------------------------------------------------ the invariants
    def _check_orders(self):
        cr = self.env.cr
        cr.execute(
            "SELECT uuid, count(*), min(state) FROM pos_order WHERE uuid IN %s GROUP BY uuid",
            [tuple(self.sent)],
        )
        on_server = {uid: (count, state) for uid, count, state in cr.fetchall()}
        for uid, kind in self.accepted.items():
            count, state = on_server.get(uid, (0, None))
            if count != 1 or state not in ("paid", "done", "invoiced"):
                self.failures.append(f"{kind} {uid}: accepted but {count} orders on the server ({state})")
        for uid, kind in self.refused.items():
            if uid in on_server:
                self.failures.append(f"{kind} {uid}: refused but on the server")
        # A refused order moved nothing: no ledger line and no captured hold names its uuid.
        refused = tuple(self.refused) or ("",)
        cr.execute(
            """SELECT o.uuid FROM loyalty_history h JOIN pos_order o ON o.id = h.pos_order_id
                WHERE o.uuid IN %s
            UNION ALL
               SELECT order_uuid FROM store_member_hold WHERE state = 'captured' AND order_uuid IN %s""",
            [refused, refused],
        )
        for (uid,) in cr.fetchall():
            self.failures.append(f"{self.refused[uid]} {uid}: refused, but it moved a balance")
        # A crafted order that was saved (and flagged) credited nothing.
        crafted = tuple(self.crafted_accepted) or ("",)
        cr.execute(
            """SELECT o.uuid, h.kind, h.amount
                 FROM loyalty_history h JOIN pos_order o ON o.id = h.pos_order_id
                WHERE o.uuid IN %s AND h.amount > 0""",
            [crafted],
        )
        for uid, kind, amount in cr.fetchall():
            self.failures.append(f"{self.accepted[uid]} {uid}: crafted, but credited {kind} {amount}")
        # Every hold of an accepted order was captured by it; none is left holding.
        cr.execute(
            "SELECT order_uuid, state FROM store_member_hold WHERE order_uuid IN %s AND state = 'held'",
            [tuple(self.sent)],
        )
        for uid, state in cr.fetchall():
            self.failures.append(f"{self.sent[uid]} {uid}: a hold is still {state}")

    def _check_cards(self):
        """Every chain card of the database is its ledger; the soak's members' cards are backed."""
        cr = self.env.cr
        cr.execute(
            """SELECT c.id, p.store_chain_role, c.partner_id, c.points,
                      COALESCE(SUM(h.amount), 0),
                      COALESCE(SUM(h.remaining) FILTER (WHERE h.remaining > 0), 0),
                      (SELECT balance_after FROM loyalty_history
                        WHERE card_id = c.id ORDER BY id DESC LIMIT 1),
                      COUNT(h.id) FILTER (WHERE h.balance_after < -0.005
                                            AND (p.store_chain_role = 'stored_value'
                                                 OR h.kind IN ('redeem', 'pay', 'expire')))
                 FROM loyalty_card c JOIN loyalty_program p ON p.id = c.program_id
                 LEFT JOIN loyalty_history h ON h.card_id = c.id
                WHERE p.store_chain_role IS NOT NULL
             GROUP BY c.id, p.store_chain_role"""
        )
        cards = cr.fetchall()
        for card_id, role, partner_id, points, ledger, open_batches, last, below_zero in cards:
            where = f"card {card_id} ({role}, partner {partner_id})"
            if abs(points - ledger) > 0.005:
                self.failures.append(f"{where}: balance {points} but its ledger sums to {ledger}")
            if last is not None and abs(points - last) > 0.005:
                self.failures.append(f"{where}: balance {points} but its last ledger line says {last}")
            if points >= 0 and abs(points - open_batches) > 0.005:
                self.failures.append(f"{where}: balance {points} but its open batches hold {open_batches}")
            if below_zero:
                self.failures.append(f"{where}: {below_zero} debits took the balance below zero")
            if role == "stored_value" and points < -0.005:
                self.failures.append(f"{where}: negative stored value {points}")
        cr.execute(
            """SELECT h.partner_id, h.store_chain_role, h.kind, h.amount > 0, SUM(h.amount)
                 FROM loyalty_history h WHERE h.partner_id IN %s AND h.store_chain_role IS NOT NULL
             GROUP BY 1, 2, 3, 4""",
            [tuple(self.members.ids)],
        )
        sums = defaultdict(float)
        for partner_id, role, kind, credit, amount in cr.fetchall():
            sums[(partner_id, role, kind, credit)] = amount
        balances = {(partner_id, role): points for _c, role, partner_id, points, *_rest in cards}
        totals = {}
        for member in self.book:
            pid = member.partner.id

            def got(role, kind, credit, pid=pid):
                return abs(sums[(pid, role, kind, credit)])

            def at_most(what, value, bound, member=member):
                """The server's ``value`` of ``what`` is at most the test's ``bound``."""
                totals[what] = (totals.get(what, (0, 0))[0] + value, totals.get(what, (0, 0))[1] + bound)
                if value > bound + 0.005:
                    self.failures.append(
                        f"{member.partner.name}: {what} {value:.2f}, at most {bound:.2f} expected"
                    )
                    return True
                return False

            def at_least(what, value, expected, member=member):
                """The server debited at least what the accepted orders spent."""
                totals[what] = (totals.get(what, (0, 0))[0] + value, totals.get(what, (0, 0))[1] + expected)
                if value < expected - 0.005:
                    self.failures.append(
                        f"{member.partner.name}: {what} {value:.2f} debited, "
                        f"the accepted orders spent {expected:.2f}"
                    )

            sv = balances.get((pid, "stored_value"), 0.0)
            points = balances.get((pid, "points"), 0.0)
            at_most("stored value topped up", got("stored_value", "topup", True), member.topup_money)
            at_most("top-up bonus", got("stored_value", "bonus", True), member.bonus_rules)
            at_most("stored value given back", got("stored_value", "refund", True), member.sv_back)
            at_least("stored value spent", got("stored_value", "pay", False), member.sv_paid)
            at_most(
                "stored value",
                sv,
                member.topup_money
                - member.topup_refunded
                + member.bonus_rules
                - member.bonus_refunded
                - member.sv_paid
                + member.sv_back,
            )
            if abs(sv - member.sv_balance) > 0.005:
                self.failures.append(
                    f"{member.partner.name}: stored value {sv:.2f}, "
                    f"the tills' orders make {member.sv_balance:.2f}"
                )
            if at_most("points earned", got("points", "earn", True), member.earned_gross):
                self._explain_points(member)
            at_least("points redeemed", got("points", "redeem", False), member.redeemed)
            at_most("points given back", got("points", "refund", True), member.points_back)
            net_earned = sum(
                0 if s.partial_refunds < 0 else s.earned_bound - s.taken_back_floor + s.partial_refunds
                for s in self.sales
                if s.member is member
            )
            at_most("points", points, net_earned - member.redeemed + member.points_back)
        _logger.info(
            "money soak: %d chain cards checked; server / bound: %s",
            len(cards),
            {what: (round(server, 2), round(bound, 2)) for what, (server, bound) in totals.items()},
        )

    def _explain_points(self, member):
        """The member's orders that earned more than the rules give, with the tier of the test's book."""
        sales = {s.data["uuid"]: s for s in self.sales if s.member is member}
        cr = self.env.cr
        cr.execute(
            """SELECT o.uuid, o.store_points_eligible, SUM(h.amount) FROM loyalty_history h
                 JOIN pos_order o ON o.id = h.pos_order_id
                WHERE h.partner_id = %s AND h.kind = 'earn' GROUP BY o.uuid, o.store_points_eligible
             ORDER BY MIN(h.id)""",
            [member.partner.id],
        )
        shown = 0
        for uid, eligible, earned in cr.fetchall():
            sale = sales.get(uid)
            if not sale:
                self.failures.append(
                    f"  order {uid} ({self.sent.get(uid)}) earned {earned}: no honest sale of theirs"
                )
            elif earned > sale.earned_bound and shown < 5:
                shown += 1
                self.failures.append(
                    f"  order {uid}: earned {earned} on {eligible} eligible; the rules give "
                    f"{sale.earned_bound} (x{sale.multiplier}, honest spend before it "
                    f"{sale.spend_before:.2f}) {self._payload(sale.data)}"
                )
        tiers = self.env["store.member.tier.history"].search(
            [("partner_id", "=", member.partner.id)], order="id"
        )
        self.failures.append(
            "  tier changes: " + "; ".join(f"{t.new_tier_id.name} at spend {t.spend:.2f}" for t in tiers)
        )
