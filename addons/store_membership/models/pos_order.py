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
                self._store_flag(self.env._("Stored value paid or topped up without a member on the order."))
            return
        self.env.cr.execute("SELECT id FROM pos_order WHERE id = %s FOR UPDATE", [self.id])
        steps = self._store_settle_steps()
        # One search for the member's cards; the steps and the balances below share it.
        cards = member._store_member_cards(create=bool(steps))
        self._store_check_holds(cards)
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

    def _store_key(self, what):
        return f"pos.order:{self.id}:{what}"

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
        lines of other programs' rewards are left out. Negative for a refunded reward.
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
            if not reward:
                continue
            if reward.reward_type == "discount" and reward.discount_mode == "per_point":
                cost += abs(float(line.get("amount") or 0.0)) / (reward.discount or 1.0)
            elif (reward.id, line.get("code") or False) not in fixed_done:
                fixed_done.add((reward.id, line.get("code") or False))
                cost += reward.required_points * (1 if float(line.get("qty") or 0.0) >= 0 else -1)
        return math.ceil(round(cost, 6))

    def _store_points_redeemed(self):
        """Points this order's chain reward lines cost (see ``_store_redeem_cost``)."""
        program = self.company_id.store_points_program_id
        lines = self.lines.filtered(lambda line: line.reward_id.program_id == program and line.reward_id)
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

    def _store_settle_redeem(self, member, cards):
        """Points paid for reward lines, recomputed from the rewards, against the order's hold."""
        cost = self._store_points_redeemed()
        if not cost:
            return
        card = cards["points"]
        if cost > 0:
            card._store_debit("redeem", cost, order=self, key=self._store_key("redeem"))
            self._store_capture_hold("points")
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
        paid = self._store_sv_paid()
        topup_product = self.company_id.store_sv_product_id
        topup = sum(
            self.lines.filtered(lambda line: line.product_id == topup_product).mapped("price_subtotal_incl")
        )
        if float_is_zero(paid, 2) and float_is_zero(topup, 2):
            return
        card = cards["stored_value"]
        if paid > 0:
            card._store_debit("pay", paid, order=self, key=self._store_key("sv-pay"))
            self._store_capture_hold("stored_value")
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
