import logging
import math
from collections import defaultdict
from contextlib import nullcontext

import psycopg2

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_is_zero
from odoo.tools.misc import format_amount

from odoo.addons.store_pos_ext.models.store_scoped_mixin import CHAIN_ROLES

from .loyalty_card import StoreInsufficientBalance

_logger = logging.getLogger(__name__)

# Written by the settlement only (``pos.order._store_server_fields`` of store_pos_ext).
SERVER_FIELDS = {
    "store_member_state",
    "store_member_issue",
    "store_points_earned",
    "store_points_spent",
    "store_points_eligible",
    "store_points_after",
    "store_sv_after",
    "store_ledger_ids",
}


class PosOrder(models.Model):
    _inherit = "pos.order"

    store_member_state = fields.Selection(
        [("none", "No member"), ("done", "Settled"), ("flagged", "Flagged for HQ")],
        "Member settlement",
        default="none",
        copy=False,
        readonly=True,
        index=True,
    )
    store_member_issue = fields.Text("Member issue", copy=False, readonly=True)
    store_points_earned = fields.Float("Points earned", copy=False, readonly=True)
    store_points_spent = fields.Float("Points redeemed", copy=False, readonly=True)
    store_points_eligible = fields.Monetary("Amount earning points", copy=False, readonly=True)
    store_points_after = fields.Float("Points after", copy=False, readonly=True)
    store_sv_after = fields.Float("Stored value after", copy=False, readonly=True)
    # Chain roles only: a POS reads every field of its orders; the ledger is not the till's business.
    store_ledger_ids = fields.One2many(
        "loyalty.history", "pos_order_id", "Member ledger", readonly=True, groups=CHAIN_ROLES
    )

    # ------------------------------------------------------ core entry points
    @api.model
    def _process_order(self, order, existing_order):
        self._store_drop_unknown_coupons(order)
        return super()._process_order(order, existing_order)

    @api.model
    def _store_drop_unknown_coupons(self, order):
        """A line naming a coupon that does not exist would make the whole sync fail (a foreign
        key): the sale would be lost. The line keeps no coupon instead; for a server-issued
        program ``_store_consume_coupons`` then flags it as a reward line without a coupon."""
        lines = [
            line[2]
            for line in order.get("lines") or []
            if isinstance(line, (list, tuple)) and len(line) == 3 and isinstance(line[2], dict)
        ]
        # Only ids of saved cards: whatever else the POS sends there is core's to handle.
        ids = {
            line["coupon_id"]
            for line in lines
            if isinstance(line.get("coupon_id"), int) and line["coupon_id"] > 0
        }
        if not ids:
            return
        unknown = ids - set(self.env["loyalty.card"].sudo().browse(ids).exists().ids)
        for line in lines:
            if line.get("coupon_id") in unknown:
                _logger.warning(
                    "Order %s names coupon %r, which does not exist", order.get("uuid"), line["coupon_id"]
                )
                line["coupon_id"] = False

    def _store_after_paid(self):
        res = super()._store_after_paid()
        for order in self:
            order._store_member_settle()
            # What is wrong with its coupons is HQ's to read: in the company's language.
            order.with_context(lang=order.company_id._store_lang())._store_consume_coupons()
        return res

    def confirm_coupon_programs(self, coupon_data):
        """Core lets the browser create cards (negative ids) and say how many points each card
        gets or loses. Cards of server-issued programs (``loyalty.program.store_server_issued``:
        chain points and stored value, the birthday coupon) are created and used up by the server
        only: what the browser says of them, by card id, ``coupon_id``, code or program, is
        dropped, and their balances as the server has them are reported back."""
        coupon_data = {int(k): v for k, v in coupon_data.items()}
        Card, Program = self.env["loyalty.card"].sudo(), self.env["loyalty.program"].sudo()

        def ids(values):
            return {v for v in values if isinstance(v, int) and not isinstance(v, bool) and v > 0}

        codes = {v["code"] for v in coupon_data.values() if v.get("code") and isinstance(v["code"], str)}
        cards = Card.browse(ids(coupon_data) | ids(v.get("coupon_id") for v in coupon_data.values()))
        cards = cards.exists() | (Card.search([("code", "in", list(codes))]) if codes else Card)
        programs = Program.browse(ids(v.get("program_id") for v in coupon_data.values())).exists()
        server = (programs | cards.program_id).filtered("store_server_issued")
        server_cards = cards.filtered(lambda c: c.program_id in server)
        server_codes = set(server_cards.mapped("code"))

        def server_issued(key, vals):
            return (
                vals.get("program_id") in server.ids
                or key in server_cards.ids
                or vals.get("coupon_id") in server_cards.ids
                or (isinstance(vals.get("code"), str) and vals["code"] in server_codes)
            )

        dropped = {k for k, v in coupon_data.items() if server_issued(k, v)}
        result = super().confirm_coupon_programs({k: v for k, v in coupon_data.items() if k not in dropped})
        updates = []
        chain = {
            k for k in dropped if coupon_data[k].get("program_id") in server.filtered("store_chain_role").ids
        }
        if chain and self.partner_id:
            # The member's cards the till named (their balances are read anyway); searched only
            # when it named a chain program without its card.
            by_program = {
                c.program_id.id: c
                for c in server_cards
                if c.active and c.partner_id == self.partner_id and c.program_id.store_chain_role
            }
            if any(coupon_data[k]["program_id"] not in by_program for k in chain):
                by_program = {
                    c.program_id.id: c for c in self.partner_id._store_member_cards(create=False).values()
                }
            updates += [
                (k, by_program[coupon_data[k]["program_id"]])
                for k in chain
                if coupon_data[k]["program_id"] in by_program
            ]
        updates += [(k, Card.browse(k)) for k in dropped - chain if k in server_cards.ids]
        for old_id, card in updates:
            result.setdefault("coupon_updates", []).append(
                {
                    "old_id": old_id,
                    "id": card.id,
                    "points": card.points,
                    "code": card.code,
                    "program_id": card.program_id.id,
                    "partner_id": card.partner_id.id,
                }
            )
        return result

    def add_loyalty_history_lines(self, coupon_data, coupon_updates):
        """Core writes the history lines the browser reports. Cards of server-issued programs
        (after core's mapping of new ids) keep the server's own lines only."""
        id_mapping = {int(u["old_id"]): int(u["id"]) for u in coupon_updates}

        def card_id(coupon):
            return id_mapping.get(int(coupon["card_id"])) or int(coupon["card_id"])

        server_cards = (
            self.env["loyalty.card"]
            .sudo()
            .search(
                [
                    ("id", "in", [card_id(c) for c in coupon_data]),
                    ("program_id.store_server_issued", "=", True),
                ]
            )
        )
        coupon_data = [c for c in coupon_data if card_id(c) not in server_cards.ids]
        return super().add_loyalty_history_lines(coupon_data, coupon_updates)

    @api.model
    def _load_pos_data_fields(self, config):
        fields = super()._load_pos_data_fields(config)
        # Core reads every field of pos.order (an empty list): appending to it would load only ours.
        if not fields:
            return fields
        return [
            *fields,
            "store_member_state",
            "store_points_earned",
            "store_points_spent",
            "store_points_after",
            "store_sv_after",
        ]

    # ------------------------------------------------------------ settlement
    def _store_member(self):
        """The member this order counts for: its customer, or for a refund the original customer."""
        if self.partner_id.is_member:
            return self.partner_id
        origin = self.lines.refunded_orderline_id.order_id.partner_id
        return origin[:1] if origin[:1].is_member else self.env["res.partner"]

    def _store_member_settle(self):
        """Post what this paid order means for its member: points redeemed and earned, stored
        value paid and topped up, points reversed by a refund; then the tier.

        Computed from the saved order lines and payments only. Runs once per order (the ledger
        keys are unique). A balance problem never rejects the sale: the order is flagged for HQ.
        A refusal speaks the till's language; the ledger reasons and the flags, which HQ and the
        stores read, the company's (``res.company._store_lang``).
        """
        self.ensure_one()
        if self.store_member_state != "none":
            return
        in_company_lang = self.with_context(lang=self.company_id._store_lang())
        member = self._store_member()
        if not member:
            if self.company_id.store_sv_program_id and self._store_sv_paid() > 0:
                # No member, no card, no authorisation: the goods would leave unpaid.
                raise UserError(
                    self.env._(
                        "Order %(order)s is paid with stored value but has no member: it is refused.",
                        order=self.pos_reference or self.uuid,
                    )
                )
            topup_product = self.company_id.store_sv_product_id
            if self._store_sv_payments() or (topup_product and topup_product in self.lines.product_id):
                self._store_flag(
                    in_company_lang.env._("Stored value paid or topped up without a member on the order.")
                )
            return
        if not self._store_is_new():
            # Another till's request settling the same order waits here (then sees it settled).
            self.env.cr.execute("SELECT id FROM pos_order WHERE id = %s FOR UPDATE", [self.id])
        steps = in_company_lang._store_settle_steps()
        # One search for the member's cards; the steps and the balances below share it.
        cards = member.with_env(in_company_lang.env)._store_member_cards(create=bool(steps))
        # No valid hold for the stored value or points this order spends: the sync is refused.
        self._store_check_holds(cards)
        # An order whose lines, total and payments do not add up credits and earns nothing: its
        # debits (stored value and points it paid with) are still taken.
        issues = in_company_lang._store_reconcile()
        vals = self._store_run_steps(steps, member, cards, issues)
        # What the steps computed and the balances, in one write of the order.
        vals.update(
            {
                "store_member_state": "flagged" if issues else "done",
                "store_member_issue": "\n".join(issues) or False,
                "store_points_after": cards["points"].points if "points" in cards else 0.0,
                "store_sv_after": cards["stored_value"].points if "stored_value" in cards else 0.0,
            }
        )
        self._store_write(**vals)
        if not issues:
            self.env["store.member.tier"]._store_tier_for(member)

    def _store_run_steps(self, steps, member, cards, issues):
        """What the settlement ``steps`` computed (one dict); their issues are added to ``issues``.
        A step after an issue credits nothing. All run in one savepoint; should one fail, all run
        again each in a savepoint of its own, so that what the others post stands and the failure
        becomes an issue rather than a lost sale."""

        def run(savepoint_each):
            vals, found = {}, []
            for step in steps:
                try:
                    with self.env.cr.savepoint() if savepoint_each else nullcontext():
                        result = dict(step(member, cards, credit=not (issues or found)) or {})
                except psycopg2.OperationalError:
                    raise  # serialization failure / lock timeout: let Odoo retry the whole request
                except StoreInsufficientBalance as exc:
                    if not savepoint_each:
                        raise
                    found.append(str(exc.args[0]))
                    continue
                except Exception as exc:
                    if not savepoint_each:
                        raise
                    _logger.exception("Member settlement of %s failed", self.name)
                    found.append(str(exc))
                    continue
                issue = result.pop("issue", None)
                vals.update(result)
                if issue:
                    found.append(issue)
            return vals, found

        try:
            with self.env.cr.savepoint():
                done = run(savepoint_each=False)
        except psycopg2.OperationalError:
            raise
        except Exception:
            done = None  # told apart step by step below, out of this handler
        vals, found = done or run(savepoint_each=True)
        issues.extend(found)
        return vals

    def _paid_partner_settable(self):
        # A customer set after payment earns nothing (settlement ran at payment), but an order
        # that counted for a member, or was flagged, keeps its customer.
        return super()._paid_partner_settable() and self.store_member_state == "none"

    @api.model
    def _store_server_fields(self):
        return super()._store_server_fields() | SERVER_FIELDS

    def _demo_date_records(self):
        """Demo data only: the member ledger lines and balance holds of these orders are dated at
        the order's date too (a hold expires 15 minutes after it was made)."""
        super()._demo_date_records()
        if not self:
            return
        cr = self.env.cr
        cr.execute(
            """UPDATE loyalty_history h SET create_date = o.date_order, write_date = o.date_order
                 FROM pos_order o WHERE h.pos_order_id = o.id AND o.id IN %s""",
            [tuple(self.ids)],
        )
        cr.execute(
            """UPDATE store_member_hold h
                  SET create_date = o.date_order, write_date = o.date_order,
                      expire_at = o.date_order + interval '15 minutes'
                 FROM pos_order o WHERE h.pos_order_id = o.id AND o.id IN %s""",
            [tuple(self.ids)],
        )
        self.env.invalidate_all()

    def _store_settle_steps(self):
        """The settlement steps this order needs (a savepoint each; most orders only earn)."""
        company = self.company_id
        points, sv_program = company.store_points_program_id, company.store_sv_program_id
        steps = []
        if points and self.lines.reward_id.program_id & points:
            steps.append(self._store_settle_redeem)
        if sv_program and (
            self._store_sv_payments()
            or company.store_sv_product_id & self.lines.product_id
            or self.lines.reward_id.program_id & sv_program
        ):
            steps.append(self._store_settle_sv)
        if self._store_is_refund():
            steps.append(self._store_settle_refund)
        if points:
            steps.append(self._store_settle_earn)
        return steps

    def _store_reconcile(self):
        """What does not add up in this saved order, as messages for HQ (empty: it reconciles).

        From the saved lines and payments only, never the till's figures: each line's amount is
        recomputed as core computes it (price, quantity, discount, the line's taxes after the
        fiscal position), the lines must make the order total and the payments (change is a
        negative payment) must pay it, within the currency's and the config's cash rounding.
        A negative line must be a refund of a sold line or a reward. A top-up is paid by money
        received in the order (cash, bank, card), never by stored value or points.
        """
        self.ensure_one()
        currency = self.currency_id or self.company_id.currency_id
        config = self.config_id
        issues = []

        def cny(amount):
            return f"{currency.round(amount):.2f}"

        def differs(a, b, tolerance=currency.rounding):
            return currency.compare_amounts(abs(a - b), tolerance) > 0

        discount_product = config.discount_product_id if "discount_product_id" in config._fields else None
        topup_product = self.company_id.store_sv_product_id
        # The server's pricing of the order (store_pos_ext): lines charged below their price
        # without an authorised manual discount, or with other taxes than their product's.
        issues += self._price_issues()
        computed = {}
        for line in self.lines:
            if line.tax_ids:
                amount = line._compute_amount_line_all()["price_subtotal_incl"]
            else:  # what core's computation gives without taxes, without reading the product
                amount = currency.round(line.price_unit * (1 - (line.discount or 0.0) / 100.0) * line.qty)
            computed[line] = amount
            if differs(amount, line.price_subtotal_incl):
                issues.append(
                    self.env._(
                        "Line %(product)s: the till says %(claimed)s CNY, its price, quantity, discount "
                        "and taxes make %(amount)s CNY.",
                        product=line.full_product_name or line.product_id.display_name,
                        claimed=cny(line.price_subtotal_incl),
                        amount=cny(amount),
                    )
                )
            if (
                currency.compare_amounts(amount, 0.0) < 0
                and not line.refunded_orderline_id
                and not (line.is_reward_line or line.reward_id)
                and line.product_id != discount_product
            ):
                issues.append(
                    self.env._(
                        "Negative line %(product)s of %(amount)s CNY is neither a refund of a sold "
                        "line nor a reward.",
                        product=line.full_product_name or line.product_id.display_name,
                        amount=cny(amount),
                    )
                )
        lines_total, total_tolerance = self._store_lines_total(computed)
        if differs(lines_total, self.amount_total, total_tolerance):
            issues.append(
                self.env._(
                    "The lines make %(lines)s CNY but the order total is %(total)s CNY "
                    "(difference %(diff)s CNY).",
                    lines=cny(lines_total),
                    total=cny(self.amount_total),
                    diff=cny(lines_total - self.amount_total),
                )
            )
        paid = sum(self.payment_ids.mapped("amount"))
        tolerance = currency.rounding / 2
        if config.cash_rounding and config.rounding_method:
            # As core accepts a cash-rounded payment (action_pos_order_paid).
            step = config.rounding_method.rounding
            tolerance = max(
                tolerance, step / 2 if config.rounding_method.rounding_method == "HALF-UP" else step
            )
        if differs(paid, self.amount_total, tolerance):
            issues.append(
                self.env._(
                    "Payments of %(paid)s CNY for an order total of %(total)s CNY (difference %(diff)s CNY).",
                    paid=cny(paid),
                    total=cny(self.amount_total),
                    diff=cny(paid - self.amount_total),
                )
            )
        topup = sum(
            amount for line, amount in computed.items() if topup_product and line.product_id == topup_product
        )
        if currency.compare_amounts(topup, 0.0) > 0:
            money = sum(
                self.payment_ids.filtered(lambda p: not p.payment_method_id.store_is_stored_value).mapped(
                    "amount"
                )
            )
            if differs(topup, money, tolerance) and topup > money:
                issues.append(
                    self.env._(
                        "Top-up of %(topup)s CNY but only %(money)s CNY received in cash or by card "
                        "(difference %(diff)s CNY).",
                        topup=cny(topup),
                        money=cny(money),
                        diff=cny(topup - money),
                    )
                )
        return issues

    def _store_lines_total(self, computed):
        """(total, tolerance): the order total the lines make, as core's ``_compute_prices`` sums
        them (taxes rounded per line or globally as the company says; no cash rounding: the till's
        amount_total has none). ``computed``: each line's own amount (core's line computation),
        summed when no line has taxes (no tax summary to build) or a line has no income account;
        rounded per line, that sum may then differ from a global rounding by half a cent a line."""
        currency = self.currency_id
        per_line = self.company_id.tax_calculation_rounding_method != "round_globally"
        lines_sum = (sum(computed.values()), currency.rounding / 2 * (1 if per_line else len(computed) or 1))
        if not self.lines.tax_ids:
            return lines_sum
        AccountTax = self.env["account.tax"]
        try:
            base_lines = self.lines._prepare_tax_base_line_values()
        except UserError:
            return lines_sum
        AccountTax._add_tax_details_in_base_lines(base_lines, self.company_id)
        AccountTax._round_base_lines_tax_details(base_lines, self.company_id)
        totals = AccountTax._get_tax_totals_summary(
            base_lines=base_lines, currency=self.currency_id, company=self.company_id
        )
        # Core's base lines count a refund order's quantities the other way round.
        return (-1 if self.amount_total < 0.0 else 1) * totals["total_amount_currency"], currency.rounding / 2

    def _price_any_amount_products(self):
        """Top-ups (the chain's top-up product, core's eWallet and gift card trigger products) are
        money received: any amount."""
        products = super()._price_any_amount_products() | self.company_id.store_sv_product_id
        programs = (
            self.env["loyalty.program"]
            .sudo()
            .search_fetch(
                [
                    ("program_type", "in", ("ewallet", "gift_card")),
                    ("trigger_product_ids", "in", self.lines.product_id.ids),
                ],
                ["trigger_product_ids"],
            )
        )
        return products | programs.trigger_product_ids

    def _price_pricelist(self):
        """A tier's member pricelist prices the orders of that tier's members only: another order
        on it is priced with the POS's pricelist (its lower prices are manual discounts)."""
        pricelist = super()._price_pricelist()
        if not pricelist or pricelist == self.config_id.pricelist_id:
            return pricelist
        tiers = self.env["store.member.tier"].sudo().search_fetch([], ["pricelist_id"])
        if pricelist in tiers.pricelist_id and pricelist != self._store_member().member_tier_id.pricelist_id:
            return self.config_id.pricelist_id
        return pricelist

    def _store_flag(self, message):
        self._store_write(store_member_state="flagged", store_member_issue=message)

    def _store_consume_coupons(self):
        """Use up the coupons of server-issued programs (the birthday coupon) that this paid
        order's reward lines name, once: each line must name a valid, unused coupon of that
        program held by the order's customer; a line that does not flags the order and uses
        nothing.

        The till names the coupon on the line (``coupon_id``); what it later tells
        ``confirm_coupon_programs`` about these coupons is dropped. A refund gives no coupon back."""
        lines = self.lines.filtered(lambda line: line.reward_id and line.qty > 0)
        programs = lines.reward_id.program_id.filtered(
            lambda p: p.store_server_issued and not p.store_chain_role
        )
        if not programs:
            return
        issues, uses, bad = [], defaultdict(set), set()
        for line in lines.filtered(lambda line: line.reward_id.program_id in programs):
            card, program = line.coupon_id.sudo(), line.reward_id.program_id
            if not card:
                issues.append(
                    self.env._("%(program)s: a reward line without a coupon.", program=program.name)
                )
            elif card.program_id != program or not self.partner_id or card.partner_id != self.partner_id:
                issues.append(
                    self.env._(
                        "%(program)s: coupon %(code)s is not this customer's.",
                        program=program.name,
                        code=card.code,
                    )
                )
                bad.add(card)
            else:
                uses[card].add((line.reward_id, line.reward_identifier_code or False))
        today = fields.Date.context_today(self)
        for card, rewards in uses.items():
            key = self._store_key(f"coupon-{card.id}")
            if card in bad or card._store_key_done(key):
                continue
            cost = sum(reward.required_points for reward, _code in rewards)
            if card.expiration_date and card.expiration_date < today:
                issues.append(self.env._("Coupon %(code)s has expired.", code=card.code))
                continue
            try:
                card._store_debit(
                    "redeem", cost, order=self, key=key, reason=self.env._("Coupon used"), value_cny=0.0
                )
            except StoreInsufficientBalance:
                issues.append(
                    self.env._(
                        "Coupon %(code)s has been used already: %(left)s left, %(needed)s needed.",
                        code=card.code,
                        left=round(card.points, 2),
                        needed=round(cost, 2),
                    )
                )
        if issues:
            issue = "\n".join(filter(None, [self.store_member_issue, *issues]))
            self._store_write(store_member_state="flagged", store_member_issue=issue)

    def _store_key(self, what):
        return f"pos.order:{self.id}:{what}"

    def _store_is_new(self):
        """Whether this order was created in the current transaction (its creation date is the
        transaction's): no other transaction sees it, and no ledger line names it yet."""
        self.ensure_one()
        return self.create_date == self.env.cr.now()

    def _store_sv_payments(self):
        return self.payment_ids.filtered("payment_method_id.store_is_stored_value")

    def _store_sv_paid(self):
        """Stored value this order spends (negative: paid back by a refund)."""
        sv_program = self.company_id.store_sv_program_id
        paid = sum(self._store_sv_payments().mapped("amount"))
        # Core's eWallet button pays with a discount line: it is stored value spent all the same.
        paid -= sum(
            self.lines.filtered(lambda line: sv_program and line.reward_id.program_id == sv_program).mapped(
                "price_subtotal_incl"
            )
        )
        return paid

    @api.model
    def _store_redeem_cost(self, program, reward_lines):
        """Points the chain points ``program``'s reward lines cost, computed from the rewards (the
        browser's ``points_cost`` is ignored): a per-point discount costs its amount divided by the
        reward's value of a point, another reward its required points once per reward and code.

        ``reward_lines``: dicts ``{"reward_id", "amount" (price incl. taxes), "qty", "code"}``;
        lines of other programs' rewards and refunded (negative) lines are left out.
        """
        if not program:
            return 0
        rewards = (
            self.env["loyalty.reward"]
            .sudo()
            .browse({int(line.get("reward_id") or 0) for line in reward_lines} - {0})
            .exists()
        )
        rewards = rewards.filtered(lambda r: r.program_id == program).grouped("id")
        cost = 0.0
        fixed_done = set()
        for line in reward_lines:
            reward = rewards.get(int(line.get("reward_id") or 0))
            # A refunded reward (negative quantity) costs nothing here: _store_settle_refund
            # gives its points back from the sale.
            if not reward or float(line.get("qty") or 0.0) < 0:
                continue
            if reward.reward_type == "discount" and reward.discount_mode == "per_point":
                cost += abs(float(line.get("amount") or 0.0)) / (reward.discount or 1.0)
            elif (reward.id, line.get("code") or False) not in fixed_done:
                fixed_done.add((reward.id, line.get("code") or False))
                cost += reward.required_points
        return math.ceil(round(cost, 6))

    def _store_points_redeemed(self):
        """Points this order's chain reward lines cost (see ``_store_redeem_cost``)."""
        program = self.company_id.store_points_program_id
        # Refunded reward lines (negative quantities) give points back in _store_settle_refund.
        lines = self.lines.filtered(
            lambda line: line.reward_id.program_id == program and line.reward_id and line.qty > 0
        )
        if not program or not lines:
            return 0
        return self._store_redeem_cost(
            program,
            [
                {
                    "reward_id": line.reward_id.id,
                    "amount": line.price_subtotal_incl,
                    "qty": line.qty,
                    "code": line.reward_identifier_code,
                }
                for line in lines
            ],
        )

    def _store_check_holds(self, cards):
        """Stored value and points are spent only against the server's authorisation of this order
        (a held, unexpired hold of this order's uuid, on the member's card, at this till, for at
        least what is spent). Without one the order is REFUSED: unlike a cash or card sale, the goods
        would leave the store unpaid. Refunds give back and need none."""
        Hold = self.env["store.member.hold"]
        needs = {}
        if self.company_id.store_points_program_id and self.lines.reward_id:
            needs["points"] = self._store_points_redeemed()
        if self.company_id.store_sv_program_id and (self.payment_ids or self.lines.reward_id):
            needs["stored_value"] = self._store_sv_paid()
        for kind, needed in needs.items():
            if needed <= 0:
                continue
            hold = Hold._valid_hold(self, kind, cards.get(kind) or self.env["loyalty.card"], needed)
            if isinstance(hold, str):
                raise UserError(hold)

    def _store_capture_hold(self, kind):
        hold = (
            self.env["store.member.hold"]
            .sudo()
            .search([("order_uuid", "=", self.uuid), ("kind", "=", kind), ("state", "=", "held")], limit=1)
        )
        hold._capture(self)

    def _store_settle_redeem(self, member, cards, credit=True):
        """Points paid for reward lines, recomputed from the rewards, against the order's hold.
        Refunded reward lines give their points back in ``_store_settle_refund``; ``credit`` (False
        on an order that does not reconcile) changes nothing here: points spent are taken."""
        cost = self._store_points_redeemed()
        if not cost:
            return
        card = cards["points"]
        if cost > 0:
            card._store_debit("redeem", cost, order=self, key=self._store_key("redeem"))
            self._store_capture_hold("points")
        return {"store_points_spent": cost}

    def _store_settle_sv(self, member, cards, credit=True):
        """Stored value paid (payments of a stored-value method) and topped up (top-up product lines).
        ``credit``: False on an order that does not reconcile (stored value paid is taken, none given)."""
        sv_program = self.company_id.store_sv_program_id
        if not sv_program:
            return
        paid = self._store_sv_paid()
        topup_product = self.company_id.store_sv_product_id
        topup = sum(
            self.lines.filtered(lambda line: line.product_id == topup_product).mapped("price_subtotal_incl")
        )
        if float_is_zero(paid, 2) and float_is_zero(topup, 2):
            return
        card = cards["stored_value"]
        if topup > 0 and paid > 0 and not credit:
            # A top-up that is not credited was not sold: the stored value paid for it stays, and
            # what the till held of it is free again (no other sale captures that hold).
            paid = max(paid - topup, 0.0)
            if paid <= 0:
                self.env["store.member.hold"]._release(self.uuid, ["stored_value"])
        if paid > 0:
            card._store_debit("pay", paid, order=self, key=self._store_key("sv-pay"))
            self._store_capture_hold("stored_value")
        # Stored value paid back (paid < 0) and refunded top-ups: _store_settle_refund.
        if topup > 0 and credit:
            card._store_credit(
                "topup", topup, order=self, key=self._store_key("sv-topup"), sv_part="principal"
            )
            # The highest threshold reached, whatever the record order (rules created together
            # are in creation order in the cache, not in the model's order).
            rule = max(
                sv_program.store_topup_bonus_rule_ids.filtered(lambda r: r.min_amount <= topup),
                key=lambda r: (r.min_amount, r.bonus_amount),
                default=None,
            )
            if paid > 0:
                # Stored value paid for stored value: no bonus (it could be farmed round and round).
                return {"issue": self.env._("Top-up paid with stored value: no bonus given.")}
            if rule and rule.bonus_amount > 0:
                card._store_credit(
                    "bonus",
                    rule.bonus_amount,
                    order=self,
                    key=self._store_key("sv-bonus"),
                    sv_part="bonus",
                    reason=self.env._(
                        "Top-up bonus: %(min)s → %(bonus)s",
                        min=format_amount(self.env, rule.min_amount, self.currency_id, trailing_zeroes=False),
                        bonus=format_amount(
                            self.env, rule.bonus_amount, self.currency_id, trailing_zeroes=False
                        ),
                    ),
                )

    def _store_earning_lines(self):
        """Goods lines that may earn points: sold (positive), not a top-up, a reward, a discount
        or a refund (a refund takes its sale's points back in ``_store_settle_refund``, so an
        exchange earns on the new goods only)."""
        topup = self.company_id.store_sv_product_id  # the stored value program's trigger product
        return self.lines.filtered(
            lambda line: (
                line.qty > 0
                and line.price_subtotal_incl >= 0
                and not line.reward_id
                and not line.refunded_orderline_id
                and line.product_id != topup
            )
        )

    def _store_points_base(self):
        """(goods lines that may earn, share of their price the member paid): the goods' price
        minus every discount on the order (promotions, coupons, manual discounts), points
        discounts and bonus stored value spent; stored-value principal counts as paid unless the
        points program says otherwise (``store_sv_principal_earns``)."""
        program = self.company_id.store_points_program_id
        sv_program = self.company_id.store_sv_program_id
        goods = self._store_earning_lines()
        total = sum(goods.mapped("price_subtotal_incl"))
        if total <= 0:
            return goods, 0.0
        topup = self.company_id.store_sv_product_id
        # Discounts of every kind: promotion and coupon rewards, pos_discount, points (all
        # negative); stored value paid through a reward line is a tender, counted below.
        discounts = sum(
            self.lines.filtered(
                lambda line: (
                    line not in goods
                    and not line.refunded_orderline_id
                    and line.product_id != topup
                    and line.price_subtotal_incl < 0
                    and not (sv_program and line.reward_id.program_id == sv_program)
                )
            ).mapped("price_subtotal_incl")
        )
        paid = total + discounts
        if paid > 0 and (self._store_sv_payments() or sv_program & self.lines.reward_id.program_id):
            # Bonus stored value was given, not paid: what the settlement debited from it earns nothing.
            parts = ("bonus",) if program.store_sv_principal_earns else ("bonus", "principal")
            spent = (
                self.env["loyalty.history"]
                .sudo()
                .search([("pos_order_id", "=", self.id), ("kind", "=", "pay"), ("sv_part", "in", parts)])
            )
            paid += sum(spent.mapped("amount"))
        return goods, min(max(paid, 0.0) / total, 1.0)

    def _store_settle_earn(self, member, cards, credit=True):
        program = self.company_id.store_points_program_id
        if not program:
            return
        # Points of refunded lines are taken back by _store_settle_refund.
        goods, share = self._store_points_base()
        base = self.currency_id.round(sum(goods.mapped("price_subtotal_incl")) * share)
        vals = {"store_points_eligible": base}
        card = cards["points"]
        if base <= 0 or not credit:
            return vals
        earned, _amounts = program._store_points_for(goods, share)
        multiplier = self.env["store.member.tier"]._store_multiplier(member)
        points = math.floor(earned * multiplier + 1e-6)
        if points > 0:
            card._store_credit(
                "earn",
                points,
                order=self,
                key=self._store_key("earn"),
                expire_date=card._store_expire_date(fields.Date.context_today(self, self.date_order)),
            )
            vals["store_points_earned"] = points
        return vals

    # --------------------------------------------------------------- refunds
    def _store_is_refund(self):
        """Whether this order gives back or takes back anything: refund lines, negative lines,
        stored value paid back."""
        return (
            bool(self.lines.filtered(lambda line: line.qty < 0 or line.refunded_orderline_id))
            or self._store_sv_paid() < -0.005
        )

    def _store_settle_refund(self, member, cards, credit=True):
        """What a refund gives back and takes back, bound to the sale it refunds, from that
        sale's lines and ledger (never from the refund's own figures):

        - each refund line names the sale line it refunds (``refunded_orderline_id``) and refunds
          at most what is left of it; a negative line without one, or beyond what is left, gives
          nothing back and flags the order;
        - the refund is the sale's member's: a refund naming another customer gives nothing
          back and is flagged (core's POS puts the sale's customer on its refund and does not
          let the cashier change it);
        - stored value goes back to the member's card as far as the refunded share of the sale
          was paid with it, principal and bonus as the sale spent them; points spent on refunded
          reward lines come back; points earned on the refunded lines are taken back (even when
          flagged: the goods came back); a refunded top-up takes back its principal and bonus.

        ``credit`` False (an order that does not reconcile) gives nothing back; it still takes back.
        """
        issues = []
        plan = self._store_refund_plan(issues)
        origin = plan["origin"]
        origin_member = origin.partner_id if origin.partner_id.is_member else self.env["res.partner"]
        if origin_member == member:
            origin_cards = cards
        else:
            origin_cards = origin_member._store_member_cards() if origin_member else {}
        other_customer = bool(origin.partner_id and self.partner_id and self.partner_id != origin.partner_id)
        if other_customer:
            issues.append(
                self.env._(
                    "This refund names %(customer)s but %(sale)s was sold to %(member)s: nothing given back.",
                    customer=self.partner_id.display_name,
                    sale=origin.name,
                    member=origin.partner_id.display_name,
                )
            )
        plan["bound"] = bool(origin_member) and not other_customer
        plan["other_customer"] = other_customer
        plan["gives"] = plan["bound"] and credit
        ledger = self._store_refund_ledger(origin, plan["earlier"])
        parts = [
            lambda: self._store_refund_sv(origin_cards, plan, ledger, issues),
            lambda: self._store_refund_topup(origin_cards if origin else cards, plan, ledger),
        ]
        if plan["gives"]:
            parts.append(lambda: self._store_refund_points_spent(origin_cards, plan, ledger))
        if plan["fractions"] and origin_cards:
            parts.append(lambda: self._store_refund_points_earned(origin_cards, plan, ledger))
        vals = {}
        for part in parts:
            try:
                with self.env.cr.savepoint():
                    vals.update(part() or {})
            except StoreInsufficientBalance as exc:
                issues.append(str(exc.args[0]))
        if issues:
            vals["issue"] = "\n".join(issues)
        return vals

    def _store_refund_plan(self, issues):
        """The sale this order refunds and how much of each of its lines, as far as the server
        accepts it: ``origin``; ``fractions`` {sale line: share of its quantity refunded now};
        ``done``, the sale lines nothing is left to refund of after this; ``earlier``, the
        sale's earlier refunds. What it does not accept is added to ``issues``."""
        Line = self.env["pos.order.line"]
        refund_lines = self.lines.filtered("refunded_orderline_id")
        unbound = self.lines.filtered(lambda line: line.qty < 0 and not line.refunded_orderline_id)
        if unbound:
            issues.append(
                self.env._(
                    "A refund line must name the sale line it refunds; nothing given back for: %s",
                    ", ".join(
                        unbound.mapped(lambda line: line.full_product_name or line.product_id.display_name)
                    ),
                )
            )
        origin = refund_lines.refunded_orderline_id.order_id
        plan = {"origin": origin[:0], "fractions": {}, "done": Line, "earlier": self.browse()}
        if len(origin) > 1:
            issues.append(self.env._("A refund refunds one sale only: nothing given back."))
            return plan
        if origin and origin.state not in ("paid", "done"):
            issues.append(self.env._("%s is not a paid sale: nothing given back.", origin.name))
            return plan
        if not origin:
            return plan
        # Two refunds of one sale at once: the second's card lock fails on the first's posting
        # (serialization error) and Odoo retries it; it then sees the first refund here. Every
        # store's refunds count: a refund made at another store is not this cashier's to read.
        earlier_lines = Line.sudo().search(
            [
                ("refunded_orderline_id", "in", origin.lines.ids),
                ("order_id", "!=", self.id),
                ("order_id.state", "in", ("paid", "done")),
            ]
        )
        refunded = defaultdict(float)
        for line in earlier_lines:
            refunded[line.refunded_orderline_id] -= line.qty
        digits = self.env["decimal.precision"].precision_get("Product Unit")
        now = defaultdict(float)
        for line in refund_lines:
            sold = line.refunded_orderline_id
            qty, left = -line.qty, sold.qty - refunded[sold] - now[sold]
            name = sold.full_product_name or sold.product_id.display_name
            if float_compare(qty, 0.0, precision_digits=digits) <= 0 or sold.product_id != line.product_id:
                issues.append(
                    self.env._(
                        "%s: this line does not refund its sale line; nothing given back for it.", name
                    )
                )
                continue
            if float_compare(qty, left, precision_digits=digits) > 0:
                issues.append(
                    self.env._(
                        "%(product)s: %(qty)s refunded but %(left)s left to refund of %(sale)s; "
                        "nothing given back beyond that.",
                        product=name,
                        qty=qty,
                        left=max(left, 0.0),
                        sale=origin.name,
                    )
                )
            now[sold] += max(min(qty, left), 0.0)
        plan.update(
            origin=origin,
            fractions={sold: qty / sold.qty for sold, qty in now.items() if qty > 0 and sold.qty > 0},
            done=origin.lines.filtered(
                lambda sold: float_compare(refunded[sold] + now[sold], sold.qty, precision_digits=digits) >= 0
            ),
            earlier=earlier_lines.order_id,
        )
        return plan

    def _store_refund_ledger(self, origin, earlier):
        """Sums of the ledger of ``origin`` and of its ``earlier`` refunds by (whose, role, kind,
        part, sign): what the sale spent and earned, what was already given and taken back."""
        sums = defaultdict(float)
        if not origin:
            return sums
        lines = (
            self.env["loyalty.history"]
            .sudo()
            .search_fetch(
                [("pos_order_id", "in", (origin | earlier).ids), ("store_chain_role", "!=", False)],
                ["pos_order_id", "store_chain_role", "kind", "sv_part", "amount"],
            )
        )
        for line in lines:
            whose = "sale" if line.pos_order_id == origin else "earlier"
            sign = "+" if line.amount > 0 else "-"
            sums[(whose, line.store_chain_role, line.kind, line.sv_part or False, sign)] += abs(line.amount)
        return sums

    @staticmethod
    def _store_refund_due(total, done, share, complete):
        """What is due now of ``total`` for a ``share`` of it, ``done`` being already given: the
        exact rest when nothing is left to refund (no rounding left-overs)."""
        left = max(total - done, 0.0)
        return left if complete else min(math.floor(total * share * 100 + 1e-6) / 100, left)

    def _store_refund_share(self, plan, predicate):
        """(refunded share now, complete) of the sale's lines matching ``predicate``: the value
        refunded now over the value sold, and whether nothing is left to refund of them."""
        lines = plan["origin"].lines.filtered(predicate)
        total = sum(lines.mapped("price_subtotal_incl"))
        now = sum(line.price_subtotal_incl * plan["fractions"].get(line, 0.0) for line in lines)
        refunded = any(line in plan["fractions"] for line in lines)
        share = min(max(now / total, 0.0), 1.0) if total > 0 else float(refunded)
        return (share if refunded else 0.0), bool(lines) and not (lines - plan["done"])

    def _store_refund_sv(self, cards, plan, ledger, issues):
        """Stored value back to the card the sale was paid from, for the refunded share of the
        sale, in the sale's proportion of principal and bonus; never more than the till pays back
        in stored value, nor than the refunded lines were paid with it."""
        topup_product, sv_program = self.company_id.store_sv_product_id, self.company_id.store_sv_program_id
        back = max(-self._store_sv_paid(), 0.0)
        # The sale's value, without top-ups and core's eWallet lines (these are how it was paid).
        share, complete = self._store_refund_share(
            plan,
            lambda line: (
                line.product_id != topup_product
                and not (sv_program and line.reward_id.program_id == sv_program)
            ),
        )
        spent, given = {}, {}
        for part in ("principal", "bonus"):
            spent[part] = ledger[("sale", "stored_value", "pay", part, "-")]
            given[part] = ledger[("earlier", "stored_value", "refund", part, "+")]
        # beyond the batches (rounding): counted as principal
        spent["principal"] += ledger[("sale", "stored_value", "pay", False, "-")]
        due = {"principal": 0.0, "bonus": 0.0}
        if share:
            # Rounded down once, on the whole: each part rounded down would leave an even share a
            # cent short (1 of 3 paid with 100 principal and 20 bonus: 33.33 + 6.66 for a 40 line).
            whole = self._store_refund_due(sum(spent.values()), sum(given.values()), share, complete)
            principal = self._store_refund_due(spent["principal"], given["principal"], share, complete)
            due["principal"] = min(principal, whole)
            due["bonus"] = round(min(whole - due["principal"], max(spent["bonus"] - given["bonus"], 0.0)), 2)
        owed = due["principal"] + due["bonus"] if plan["bound"] else 0.0
        if float_compare(back, owed, 2) > 0:
            if plan["bound"]:
                issues.append(
                    self.env._(
                        "%(back)s of stored value paid back, but the refunded lines were paid with "
                        "%(owed)s of it: %(rest)s not credited.",
                        back=round(back, 2),
                        owed=round(owed, 2),
                        rest=round(back - owed, 2),
                    )
                )
            elif not plan["other_customer"]:
                issues.append(
                    self.env._(
                        "%s of stored value paid back without a member's sale paid with it: none credited.",
                        round(back, 2),
                    )
                )
        elif float_compare(back, owed, 2) < 0:
            cash_back = -sum(
                (self.payment_ids - self._store_sv_payments())
                .filtered(lambda p: p.amount < 0)
                .mapped("amount")
            )
            if float_compare(cash_back, 0.0, 2) > 0:
                issues.append(
                    self.env._(
                        "%(owed)s of the refunded lines was paid with stored value, but %(back)s went back "
                        "to the card and %(cash)s in another tender.",
                        owed=round(owed, 2),
                        back=round(back, 2),
                        cash=round(cash_back, 2),
                    )
                )
        credit = min(back, owed)
        if not plan["gives"] or float_is_zero(credit, 2):
            return {}
        principal = due["principal"] if credit >= owed else round(credit * due["principal"] / owed, 2)
        bonus = min(credit - principal, due["bonus"])
        card = cards["stored_value"]
        card._store_credit(
            "refund", principal, order=self, key=self._store_key("sv-back"), sv_part="principal"
        )
        card._store_credit("refund", bonus, order=self, key=self._store_key("sv-back-bonus"), sv_part="bonus")
        return {}

    def _store_refund_topup(self, cards, plan, ledger):
        """A refunded top-up (its money paid back) takes back its principal, and the bonus it gave
        in proportion. Without its sale, the principal only (and the order is flagged)."""
        topup_product = self.company_id.store_sv_product_id
        out = -sum(
            self.lines.filtered(lambda line: line.product_id == topup_product).mapped("price_subtotal_incl")
        )
        if not topup_product or float_compare(out, 0.0, 2) <= 0 or "stored_value" not in cards:
            return {}  # a net top-up is _store_settle_sv's
        card = cards["stored_value"]
        share, complete = self._store_refund_share(plan, lambda line: line.product_id == topup_product)
        given = ledger[("sale", "stored_value", "bonus", "bonus", "+")]
        taken = ledger[("earlier", "stored_value", "refund", "bonus", "-")]
        bonus = self._store_refund_due(given, taken, share, complete) if share else 0.0
        from_bonus = min(bonus, sum(card._store_open_batches(["bonus"]).mapped("remaining")))
        # Bonus already spent is taken from the principal: its money went back in full.
        card._store_debit(
            "refund",
            out + bonus - from_bonus,
            order=self,
            key=self._store_key("sv-topup"),
            parts=["principal"],
        )
        card._store_debit(
            "refund", from_bonus, order=self, key=self._store_key("sv-topup-bonus"), parts=["bonus"]
        )
        return {}

    def _store_refund_points_spent(self, cards, plan, ledger):
        """Points paid for the refunded reward lines come back (the sale's cost, not the refund's)."""
        program = self.company_id.store_points_program_id
        spent = plan["origin"].store_points_spent
        if not program or spent <= 0 or "points" not in cards:
            return {}
        cost = 0.0
        for line, fraction in plan["fractions"].items():
            reward = line.reward_id
            if reward.program_id != program:
                continue
            if reward.reward_type == "discount" and reward.discount_mode == "per_point":
                cost += abs(line.price_subtotal_incl) / (reward.discount or 1.0) * fraction
            else:
                cost += reward.required_points * fraction
        if float_is_zero(cost, 6):
            return {}
        left = max(spent - ledger[("earlier", "points", "refund", False, "+")], 0.0)
        rewards = plan["origin"].lines.filtered(lambda line: line.reward_id.program_id == program)
        back = left if not (rewards - plan["done"]) else min(math.floor(cost + 1e-6), left)
        card = cards["points"]
        card._store_credit(
            "refund",
            back,
            order=self,
            key=self._store_key("points-back"),
            expire_date=card._store_expire_date(),
        )
        return {"store_points_spent": -back}

    def _store_refund_points_earned(self, cards, plan, ledger):
        """Points the sale earned on the refunded goods are taken back, in proportion to their
        value in the sale's goods (the last refund takes the exact rest)."""
        earned = plan["origin"].store_points_earned
        if earned <= 0 or "points" not in cards:
            return {}
        topup_product = self.company_id.store_sv_product_id
        share, complete = self._store_refund_share(
            plan, lambda line: not line.reward_id and line.product_id != topup_product
        )
        if not share:
            return {}
        left = max(earned - ledger[("earlier", "points", "refund", False, "-")], 0.0)
        points = left if complete else min(math.floor(earned * share + 1e-6), left)
        cards["points"]._store_debit(
            "refund", points, order=self, key=self._store_key("earn-reverse"), allow_negative=True
        )
        return {"store_points_earned": -points}
