import logging
from collections import defaultdict

import psycopg2

from odoo import api, fields, models

from odoo.addons.store_pos_ext.models.store_scoped_mixin import CHAIN_ROLES

_logger = logging.getLogger(__name__)

# What the server check reads of a promotion: all of it in the query that finds it (its rule
# holds the relations; ``active`` is read again by the order's response otherwise).
CHECK_FIELDS = ["program_id", "active", "state", "budget", "spent", "priority", "exclusive_group", "rule"]
SERVER_FIELDS = {
    "store_promotion_ids",
    "store_promo_state",
    "store_promo_issue",
    "store_promo_discount",
    "store_promo_excess",
}


class PosOrder(models.Model):
    _inherit = "pos.order"

    # Chain roles only: a POS reads every field of its orders, and core's POS users may not read promotions.
    store_promotion_ids = fields.Many2many(
        "store.promotion", string="Promotions", readonly=True, copy=False, groups=CHAIN_ROLES
    )
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
            order._store_promo_check()
        return res

    def _store_promo_check(self):
        """Recompute what the promotions on this paid order allow. Discounts beyond that are kept
        (the sale happened) and flagged with the difference; budgets and usage counts move by the
        server's figures. A failing check flags the order: it never loses the sale."""
        self.ensure_one()
        if self.store_promo_state != "none":
            return
        # The verdict only reads. With nothing left to flush, a savepoint that does not flush
        # (nor run the pre-commit hooks twice per order) can roll a failed verdict back safely.
        self.env.flush_all()
        try:
            with self.env.cr.savepoint(flush=False):
                verdict = self._store_promo_verdict()
        except psycopg2.OperationalError:
            raise  # serialization failures: the whole sync is retried
        except Exception as exc:
            _logger.exception("Promotion check of %s failed", self.name)
            self._store_write(store_promo_state="flagged", store_promo_issue=str(exc))
            return
        if verdict:
            self._store_promo_apply(*verdict)

    def _store_promo_verdict(self):
        """(given, counted, issues, excess) of this order, or None without promotions: the discount
        each promotion gave, the part of it the promotion allows, what is wrong, and how much
        discount no promotion allows. Reads only."""
        reward_lines = self.lines.filtered("reward_id")
        Promotion = self.env["store.promotion"].sudo().with_context(active_test=False)
        promos = Promotion.search_fetch(
            [("program_id", "in", reward_lines.reward_id.program_id.ids)], CHECK_FIELDS
        )
        if not promos:
            return None
        by_program = {p.program_id.id: p for p in promos}
        given = defaultdict(float)
        for line in reward_lines:
            promo = by_program.get(line.reward_id.program_id.id)
            if promo:
                given[promo] -= line.price_subtotal_incl
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
        plain = self.lines.filtered(lambda line: not line.reward_id)
        counted = {}
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
            counted[promo] = min(amount, allowed)
        return given, counted, issues, excess

    def _store_promo_apply(self, given, counted, issues, excess):
        """Write the verdict: the order's check, and each promotion's budget and usage. Ends the
        promotions whose budget this order used up."""
        spent_out = self.env["store.promotion"]._store_count(counted)
        self._store_write(
            store_promotion_ids=[(6, 0, [p.id for p in given])],
            store_promo_state="flagged" if issues else "ok",
            store_promo_issue="\n".join(issues) or False,
            store_promo_discount=sum(max(a, 0.0) for a in given.values()),
            store_promo_excess=excess,
        )
        if spent_out:
            try:
                with self.env.cr.savepoint():
                    spent_out.sudo()._end_spent_budget()
            except psycopg2.OperationalError:
                raise
            except Exception:  # the sale stands; the cron ends the promotion on its next run
                _logger.exception("Ending %s (budget spent) failed", spent_out.ids)
