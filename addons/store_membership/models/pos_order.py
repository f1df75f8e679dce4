import logging
import math
from collections import defaultdict

import psycopg2

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_is_zero

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
    # Chain roles only: a POS reads every field of its orders; the ledger is not the till's business.
    store_ledger_ids = fields.One2many(
        "loyalty.history", "pos_order_id", "Member ledger", readonly=True, groups="store_pos_ext.group_store_user,store_pos_ext.group_hq_analyst"
    )

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
            order._store_consume_coupons()
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
        issues = []
        vals = {}
        for step in steps:
            try:
                with self.env.cr.savepoint():
                    result = dict(step(member, cards) or {})
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
            card._store_lock()
            cost = sum(reward.required_points for reward, _code in rewards)
            if card.expiration_date and card.expiration_date < today:
                issues.append(self.env._("Coupon %(code)s has expired.", code=card.code))
            elif float_compare(card.points, cost, 2) < 0:
                issues.append(
                    self.env._(
                        "Coupon %(code)s has been used already: %(left)s left, %(needed)s needed.",
                        code=card.code,
                        left=round(card.points, 2),
                        needed=round(cost, 2),
                    )
                )
            else:
                card._store_set_points(card.points - cost)
                with posting():
                    self.env["loyalty.history"].sudo().create(
                        card._store_line_vals(
                            "redeem",
                            -cost,
                            card.points,
                            store=False,
                            order=self,
                            key=key,
                            reason=self.env._("Coupon used"),
                            value_cny=0.0,
                        )
                    )
        if issues:
            issue = "\n".join(filter(None, [self.store_member_issue, *issues]))
            self._store_write(store_member_state="flagged", store_member_issue=issue)

    def _store_key(self, what):
        return f"pos.order:{self.id}:{what}"

    def _store_sv_payments(self):
        return self.payment_ids.filtered("payment_method_id.store_is_stored_value")

    def _store_settle_redeem(self, member, cards):
        """Points paid for reward lines, recomputed from the rewards (the browser's cost is ignored)."""
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
        elif cost < 0:  # a refunded reward gives its points back
            card._store_credit(
                "refund",
                -cost,
                order=self,
                key=self._store_key("redeem"),
                expire_date=card._store_expire_date(),
            )
        return {"store_points_spent": cost}

    def _store_settle_sv(self, member, cards):
        """Stored value paid (payments of a stored-value method) and topped up (top-up product lines)."""
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
        if paid > 0:
            card._store_debit("pay", paid, order=self, key=self._store_key("sv-pay"))
        elif paid < 0:  # refund paid back to stored value
            card._store_credit(
                "refund", -paid, order=self, key=self._store_key("sv-pay"), sv_part="principal"
            )
        if topup > 0:
            card._store_credit(
                "topup", topup, order=self, key=self._store_key("sv-topup"), sv_part="principal"
            )
            rule = sv_program.store_topup_bonus_rule_ids.filtered(lambda r: r.min_amount <= topup)[:1]
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
        excluded products/categories and lines paid for with points."""
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
        return base

    def _store_settle_earn(self, member, cards):
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
        if base <= 0:
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
