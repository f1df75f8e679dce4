import logging
import math

import psycopg2

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_is_zero

from .ledger_guard import is_posting, posting
from .loyalty_card import StoreInsufficientBalance

_logger = logging.getLogger(__name__)

# Written by the settlement only (a write from anyone else is refused). The POS sends every field
# of its orders back, with its defaults: they are dropped from its order data.
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
    store_ledger_ids = fields.One2many("loyalty.history", "pos_order_id", "Member ledger", readonly=True)

    # ------------------------------------------------------ core entry points
    @api.model
    def _process_order(self, order, existing_order):
        for name in self._store_server_fields():
            order.pop(name, None)
        return super()._process_order(order, existing_order)

    def action_pos_order_paid(self):
        res = super().action_pos_order_paid()
        for order in self:
            order._store_member_settle()
        return res

    def confirm_coupon_programs(self, coupon_data):
        """Core lets the browser say how many points each card gets. For chain cards we drop what
        the browser says (the server settled the order already) and only report balances."""
        coupon_data = {int(k): v for k, v in coupon_data.items()}
        chain_programs = self.env["loyalty.program"].sudo().search([("store_chain_role", "!=", False)])
        chain_cards = self.env["loyalty.card"].sudo().browse([k for k in coupon_data if k > 0]).exists()
        chain = {
            k
            for k, v in coupon_data.items()
            if v.get("program_id") in chain_programs.ids or k in chain_cards.filtered("store_chain_role").ids
        }
        result = super().confirm_coupon_programs({k: v for k, v in coupon_data.items() if k not in chain})
        if chain and self.partner_id:
            cards = self.partner_id._store_member_cards(create=False)
            by_program = {c.program_id.id: c for c in cards.values()}
            for old_id in chain:
                card = by_program.get(coupon_data[old_id]["program_id"])
                if card:
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
        chain_cards = (
            self.env["loyalty.card"]
            .sudo()
            .search(
                [("id", "in", [int(c["card_id"]) for c in coupon_data]), ("store_chain_role", "!=", False)]
            )
        )
        coupon_data = [c for c in coupon_data if int(c["card_id"]) not in chain_cards.ids]
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
        """
        self.ensure_one()
        if self.store_member_state != "none":
            return
        member = self._store_member()
        if not member:
            topup_product = self.company_id.store_sv_product_id
            if self._store_sv_payments() or (topup_product and topup_product in self.lines.product_id):
                self._store_flag(self.env._("Stored value paid or topped up without a member on the order."))
            return
        self.env.cr.execute("SELECT id FROM pos_order WHERE id = %s FOR UPDATE", [self.id])
        steps = self._store_settle_steps()
        # One search for the member's cards; the steps and the balances below share it.
        cards = member._store_member_cards(create=bool(steps))
        # An order whose lines, total and payments do not add up credits and earns nothing: its
        # debits (stored value and points it paid with) are still taken.
        issues = self._store_reconcile()
        vals = {}
        for step in steps:
            try:
                with self.env.cr.savepoint():
                    result = dict(step(member, cards, credit=not issues) or {})
                issue = result.pop("issue", None)
                vals.update(result)
                if issue:
                    issues.append(issue)
            except psycopg2.OperationalError:
                raise  # serialization failure / lock timeout: let Odoo retry the whole request
            except StoreInsufficientBalance as exc:
                issues.append(str(exc.args[0]))
            except Exception as exc:
                _logger.exception("Member settlement of %s failed", self.name)
                issues.append(str(exc))
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

    def _store_write(self, **vals):
        with posting():
            self.sudo().write(vals)

    @api.model
    def _store_server_fields(self):
        """Order fields only the server writes (through ``_store_write``); other addons add theirs."""
        return SERVER_FIELDS

    def write(self, vals):
        if not is_posting() and self._store_server_fields() & set(vals):
            raise UserError(self.env._("These order fields are set by the server only."))
        return super().write(vals)

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

    def _store_flag(self, message):
        self._store_write(store_member_state="flagged", store_member_issue=message)

    def _store_key(self, what):
        return f"pos.order:{self.id}:{what}"

    def _store_sv_payments(self):
        return self.payment_ids.filtered("payment_method_id.store_is_stored_value")

    def _store_settle_redeem(self, member, cards, credit=True):
        """Points paid for reward lines, recomputed from the rewards (the browser's cost is ignored).
        ``credit``: False on an order that does not reconcile (points spent are taken, none given back)."""
        program = self.company_id.store_points_program_id
        lines = self.lines.filtered(lambda line: line.reward_id.program_id == program and line.reward_id)
        if not program or not lines:
            return
        cost = 0.0
        fixed_done = set()
        for line in lines:
            reward = line.reward_id
            if reward.reward_type == "discount" and reward.discount_mode == "per_point":
                cost += abs(line.price_subtotal_incl) / (reward.discount or 1.0)
            elif (reward.id, line.reward_identifier_code) not in fixed_done:
                fixed_done.add((reward.id, line.reward_identifier_code))
                cost += reward.required_points * (1 if line.qty >= 0 else -1)
        cost = math.ceil(round(cost, 6))
        card = cards["points"]
        if cost > 0:
            card._store_debit("redeem", cost, order=self, key=self._store_key("redeem"))
        elif cost < 0 and credit:  # a refunded reward gives its points back
            card._store_credit(
                "refund",
                -cost,
                order=self,
                key=self._store_key("redeem"),
                expire_date=card._store_expire_date(),
            )
        return {"store_points_spent": cost}

    def _store_settle_sv(self, member, cards, credit=True):
        """Stored value paid (payments of a stored-value method) and topped up (top-up product lines).
        ``credit``: False on an order that does not reconcile (stored value paid is taken, none given)."""
        sv_program = self.company_id.store_sv_program_id
        if not sv_program:
            return
        paid = sum(self._store_sv_payments().mapped("amount"))
        # Core's eWallet button pays with a discount line: it is stored value spent all the same.
        paid -= sum(
            self.lines.filtered(lambda line: line.reward_id.program_id == sv_program).mapped(
                "price_subtotal_incl"
            )
        )
        topup_product = self.company_id.store_sv_product_id
        topup = sum(
            self.lines.filtered(lambda line: line.product_id == topup_product).mapped("price_subtotal_incl")
        )
        if float_is_zero(paid, 2) and float_is_zero(topup, 2):
            return
        card = cards["stored_value"]
        if topup > 0 and paid > 0 and not credit:
            # A top-up that is not credited was not sold: the stored value paid for it stays.
            paid = max(paid - topup, 0.0)
        if paid > 0:
            card._store_debit("pay", paid, order=self, key=self._store_key("sv-pay"))
        elif paid < 0 and credit:  # refund paid back to stored value
            card._store_credit(
                "refund", -paid, order=self, key=self._store_key("sv-pay"), sv_part="principal"
            )
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
                        "Top-up bonus: %(min)s → %(bonus)s", min=rule.min_amount, bonus=rule.bonus_amount
                    ),
                )
        elif topup < 0:  # a refunded top-up takes its principal back
            card._store_debit(
                "refund", -topup, order=self, key=self._store_key("sv-topup"), parts=["principal"]
            )

    def _store_points_base(self):
        """Amount of this order that earns points: goods lines minus discounts, without top-ups,
        excluded products/categories, lines paid for with points and bonus stored value spent
        (what the member paid: money and stored-value principal)."""
        program = self.company_id.store_points_program_id
        topup_product = self.company_id.store_sv_product_id
        sv_program = self.company_id.store_sv_program_id
        excluded = program.store_excluded_categ_ids
        base = 0.0
        for line in self.lines:
            if line.product_id == topup_product or line.reward_id.program_id in (program, sv_program):
                continue
            product = line.product_id
            if not product.store_earns_points or (
                excluded
                and product.categ_id.parent_path
                and any(f"/{c.id}/" in f"/{product.categ_id.parent_path}" for c in excluded)
            ):
                continue
            base += line.price_subtotal_incl
        # Points paid for rewards lower the amount that earns points.
        base += sum(
            self.lines.filtered(lambda line: line.reward_id.program_id == program).mapped(
                "price_subtotal_incl"
            )
        )
        if base > 0 and (self._store_sv_payments() or sv_program & self.lines.reward_id.program_id):
            # Bonus stored value was given, not paid: what the settlement debited from it earns nothing.
            bonus = (
                self.env["loyalty.history"]
                .sudo()
                .search([("pos_order_id", "=", self.id), ("kind", "=", "pay"), ("sv_part", "=", "bonus")])
            )
            base = max(base + sum(bonus.mapped("amount")), 0.0)
        return base

    def _store_settle_earn(self, member, cards, credit=True):
        program = self.company_id.store_points_program_id
        if not program:
            return
        refunded = self.lines.refunded_orderline_id.order_id
        base = self._store_points_base()
        vals = {"store_points_eligible": base}
        card = cards["points"]
        if refunded:
            # Take back the share of the points the original order earned.
            origin = refunded[:1]
            if origin.store_points_earned and origin.store_points_eligible:
                share = min(abs(base) / origin.store_points_eligible, 1.0)
                points = math.floor(origin.store_points_earned * share + 1e-6)
                if points:
                    card._store_debit(
                        "refund", points, order=self, key=self._store_key("earn-reverse"), allow_negative=True
                    )
                    vals["store_points_earned"] = -points
            return vals
        if base <= 0 or not credit:
            return vals
        per_cny, per_order = program._store_points_rate()
        multiplier = member.member_tier_id.points_multiplier or 1.0
        points = math.floor((base * per_cny + per_order) * multiplier + 1e-6)
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
