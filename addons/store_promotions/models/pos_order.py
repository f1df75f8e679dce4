import logging
from collections import defaultdict

import psycopg2

from odoo import api, fields, models

_logger = logging.getLogger(__name__)

SERVER_FIELDS = {
    "store_promotion_ids",
    "store_promo_state",
    "store_promo_issue",
    "store_promo_discount",
    "store_promo_excess",
}


class PosOrder(models.Model):
    _inherit = "pos.order"

    store_promotion_ids = fields.Many2many("store.promotion", string="Promotions", readonly=True, copy=False)
    store_promo_state = fields.Selection(
        [("none", "No promotion"), ("ok", "Checked"), ("flagged", "Flagged for HQ")],
        "Promotion check",
        default="none",
        readonly=True,
        copy=False,
        index=True,
    )
    store_promo_issue = fields.Text("Promotion issue", readonly=True, copy=False)
    store_promo_discount = fields.Monetary("Promotion discount", readonly=True, copy=False)
    store_promo_excess = fields.Monetary(
        "Discount not allowed",
        readonly=True,
        copy=False,
        help="Discount given beyond what the promotions allow.",
    )

    @api.model
    def _store_server_fields(self):
        return super()._store_server_fields() | SERVER_FIELDS

    def action_pos_order_paid(self):
        res = super().action_pos_order_paid()
        for order in self.filtered(lambda o: o.lines.reward_id):  # no reward line, nothing to check
            try:
                with self.env.cr.savepoint():
                    order._store_promo_check()
            except psycopg2.OperationalError:
                raise
            except Exception as exc:
                _logger.exception("Promotion check of %s failed", order.name)
                order._store_write(store_promo_state="flagged", store_promo_issue=str(exc))
        return res

    def _store_promo_check(self):
        """Recompute what the promotions on this paid order allow. Discounts beyond that are kept
        (the sale happened) and flagged with the difference; budgets and usage counts move by the
        server's figures."""
        self.ensure_one()
        if self.store_promo_state != "none":
            return
        reward_lines = self.lines.filtered("reward_id")
        if not reward_lines:
            return
        Promotion = self.env["store.promotion"].sudo().with_context(active_test=False)
        promos = Promotion.search([("program_id", "in", reward_lines.reward_id.program_id.ids)])
        if not promos:
            return
        by_program = {p.program_id.id: p for p in promos}
        given = defaultdict(float)
        for line in reward_lines:
            promo = by_program.get(line.reward_id.program_id.id)
            if promo:
                given[promo] -= line.price_subtotal_incl
        # Serialise budget and usage updates of the same promotion between tills.
        self.env.cr.execute(
            "SELECT id FROM store_promotion WHERE id IN %s ORDER BY id FOR UPDATE",
            [tuple(p.id for p in given)],
        )
        plain = self.lines.filtered(lambda line: not line.reward_id)
        issues, excess = [], 0.0
        groups = defaultdict(list)
        for promo in given:
            if promo.exclusive_group:
                groups[promo.exclusive_group].append(promo)
        for group, members in groups.items():
            if len(members) > 1:
                keep = max(members, key=lambda p: p._stack_key(given[p]))
                for promo in members:
                    if promo != keep:
                        issues.append(
                            self.env._(
                                "%(promo)s cannot stack with %(keep)s (group %(group)s)",
                                promo=promo.name,
                                keep=keep.name,
                                group=group,
                            )
                        )
                        excess += given[promo]
                        given[promo] = 0.0  # counted as excess, not as the promotion's cost
        for promo, amount in given.items():
            if amount <= 0:
                continue
            ok, reason = promo._applies_to(self)
            allowed = min(promo._compute_discount(plain), promo._budget_left()) if ok else 0.0
            if amount > allowed + 0.01:
                issues.append(
                    reason
                    or self.env._(
                        "%(promo)s: %(given)s given, %(allowed)s allowed",
                        promo=promo.name,
                        given=round(amount, 2),
                        allowed=round(allowed, 2),
                    )
                )
                excess += amount - allowed
            promo._server_write(
                {"spent": promo.spent + min(amount, allowed), "order_count": promo.order_count + 1}
            )
        self._store_write(
            store_promotion_ids=[(6, 0, [p.id for p in given])],
            store_promo_state="flagged" if issues else "ok",
            store_promo_issue="\n".join(issues) or False,
            store_promo_discount=sum(max(a, 0.0) for a in given.values()),
            store_promo_excess=excess,
        )
        spent_out = [p for p in given if p.budget and p.spent >= p.budget and p.state == "running"]
        if spent_out:
            Promotion.browse([p.id for p in spent_out])._cron_update_states()
