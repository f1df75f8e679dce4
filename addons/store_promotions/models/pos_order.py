import logging
from collections import defaultdict
from datetime import timedelta

import psycopg2
import pytz

from odoo import api, fields, models

from odoo.addons.store_pos_ext.models.store_scoped_mixin import CHAIN_ROLES

_logger = logging.getLogger(__name__)

# What the server check reads of a promotion: all of it in the query that finds it (its rule
# holds the relations; ``active`` is read again by the order's response otherwise).
CHECK_FIELDS = ["program_id", "active", "state", "budget", "spent", "priority", "exclusive_group", "rule"]
# How far an order's date may lie ahead of the server's clock, or before its session opened (a
# till's clock runs a little fast or slow), before the check stops believing it.
ORDER_DATE_TOLERANCE = timedelta(minutes=10)
SERVER_FIELDS = {
    "store_promotion_ids",
    "store_promo_state",
    "store_promo_issue",
    "store_promo_discount",
    "store_promo_excess",
    "store_promo_counted",
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
    # What the server counted for each promotion on this order ({promotion id: discount}): the
    # budget and usage it moved. The one source of the promotion figures (effectiveness report,
    # comparison, budgets); empty on a flagged order.
    store_promo_counted = fields.Json("Counted for promotions", readonly=True, copy=False, groups=CHAIN_ROLES)

    @api.model
    def _store_server_fields(self):
        return super()._store_server_fields() | SERVER_FIELDS

    def _store_after_paid(self):
        res = super()._store_after_paid()
        for order in self.filtered(lambda o: o._store_promo_to_check()):  # most orders: no discount
            # The flags are HQ's to read: in the company's language, whatever the till's.
            order.with_context(lang=order.company_id._store_lang())._store_promo_check()
        return res

    def _store_promo_to_check(self):
        """Does this paid order carry a discount the check judges: a reward line, or in a store a
        manual line discount or a negative goods line? Reads the lines only."""
        if self.lines.reward_id:
            return True
        return bool(self.store_id) and (
            self.store_price_state == "flagged"
            or any(self._store_promo_negative(line) for line in self.lines)
        )

    @staticmethod
    def _store_promo_negative(line):
        """A goods line of negative amount that refunds no sale: a discount in disguise."""
        return not line.reward_id and not line.refunded_orderline_id and line.price_subtotal_incl < -0.005

    def _store_promo_check(self):
        """Recompute what the promotions on this paid order allow. Discounts beyond that are kept
        (the sale happened) and flagged with the difference; budgets and usage counts move by the
        server's figures, and only for an order the check passes. A failing check flags the order:
        it never loses the sale."""
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
        """(given, counted, issues, excess) of this order, or None when there is nothing to judge:
        the discount each promotion gave, the part of it the promotion allows, what is wrong, and
        how much discount nothing allows (promotions, manual discounts, negative lines). Reads
        only.

        Promotions are priced from what the lines charged (``_compute_discount``) and their days
        and hours judged at ``_store_promo_when``: the server's clock, not the till's."""
        reward_lines = self.lines.filtered("reward_id")
        promos = self.env["store.promotion"]
        if reward_lines:
            Promotion = self.env["store.promotion"].sudo().with_context(active_test=False)
            promos = Promotion.search_fetch(
                [("program_id", "in", reward_lines.reward_id.program_id.ids)], CHECK_FIELDS
            )
        issues, excess = self._store_promo_other_discounts() if self.store_id else ([], 0.0)
        if not promos and not issues:
            return None
        by_program = {p.program_id.id: p for p in promos}
        given = defaultdict(float)
        for line in reward_lines:
            promo = by_program.get(line.reward_id.program_id.id)
            if promo:
                given[promo] -= line.price_subtotal_incl
        when = self.date_order
        if promos:
            when, date_issue = self._store_promo_when()
            if date_issue:
                issues.append(date_issue)
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
            ok, reason = promo._applies_to(self, when)
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

    def _store_promo_when(self):
        """(moment, issue): when this order's promotion days and hours are judged.

        The order's date is the till's claim. It is believed when it lies inside its session's
        open period and not in the future: an order rung up offline and synced hours later is
        judged at the moment it was rung up. Otherwise the server's time of receipt is used and
        the order is flagged (``ORDER_DATE_TOLERANCE`` allows for a till's clock)."""
        received = fields.Datetime.now()
        date, session = self.date_order, self.session_id
        if date > received + ORDER_DATE_TOLERANCE:
            issue = self.env._(
                "The order's date %(date)s is later than the server received it (%(received)s): "
                "promotion hours are judged at the time of receipt.",
                date=self._store_promo_local(date),
                received=self._store_promo_local(received),
            )
        elif session.start_at and date < session.start_at - ORDER_DATE_TOLERANCE:
            issue = self.env._(
                "The order's date %(date)s is before its session opened (%(start)s): "
                "promotion hours are judged at the time of receipt.",
                date=self._store_promo_local(date),
                start=self._store_promo_local(session.start_at),
            )
        elif session.stop_at and date > session.stop_at + ORDER_DATE_TOLERANCE:
            issue = self.env._(
                "The order's date %(date)s is after its session closed (%(stop)s): "
                "promotion hours are judged at the time of receipt.",
                date=self._store_promo_local(date),
                stop=self._store_promo_local(session.stop_at),
            )
        else:
            return date, ""
        return received, issue

    def _store_promo_local(self, when):
        tz = pytz.timezone(self.store_id._store_tz())
        return pytz.utc.localize(when).astimezone(tz).strftime("%Y-%m-%d %H:%M")

    def _store_promo_other_discounts(self):
        """(issues, excess) of the discounts no promotion gives. Manual price changes and line
        discounts are judged by the server's pricing of the order (store_pos_ext's
        ``_price_verdict``: the POS's price-control settings, the role's limit, a reason): what it
        flags is excess here too. A negative goods line that refunds no sale is allowed by nothing
        (pos_discount's discount product aside: the pricing judges it as a manual discount)."""
        discount_product = self._price_discount_product()
        issues, excess = [], 0.0
        negative = self.lines.filtered(
            lambda line: self._store_promo_negative(line) and line.product_id != discount_product
        )
        for line in negative:
            issues.append(
                self.env._(
                    "%(product)s: a negative line of %(amount)s that refunds no sale",
                    product=line.full_product_name or line.product_id.display_name,
                    amount=round(line.price_subtotal_incl, 2),
                )
            )
            excess -= line.price_subtotal_incl
        if self.store_price_state == "flagged":
            issues += self._price_issues()
            # A negative line's discount is counted above already.
            excess += sum(
                change.amount
                for change in self.sudo().store_price_change_ids
                if change.state == "flagged" and change.line_id not in negative
            )
        return issues, excess

    def _store_promo_apply(self, given, counted, issues, excess):
        """Write the verdict: the order's check, and each promotion's budget and usage. A flagged
        order moves no budget and no usage (and links no promotion, which is what per-member
        limits count). Ends the promotions whose budget this order used up, or whose budget left
        is too small for it (the POS stops offering them)."""
        Promotion = self.env["store.promotion"]
        spent_out = Promotion
        if issues:
            counted = {}
            spent_out = Promotion.union(
                *(p for p, amount in given.items() if p.budget and amount > p._budget_left() + 0.01)
            ).filtered(lambda p: p.state == "running")
        spent_out |= Promotion._store_count(counted)
        self._store_write(
            store_promotion_ids=[(6, 0, [p.id for p in counted])],
            store_promo_state="flagged" if issues else "ok",
            store_promo_issue="\n".join(issues) or False,
            store_promo_discount=sum(max(a, 0.0) for a in given.values()),
            store_promo_excess=excess,
            store_promo_counted={str(p.id): amount for p, amount in counted.items()} or False,
        )
        if spent_out:
            try:
                with self.env.cr.savepoint():
                    spent_out.sudo()._end_spent_budget()
            except psycopg2.OperationalError:
                raise
            except Exception:  # the sale stands; the cron ends the promotion on its next run
                _logger.exception("Ending %s (budget spent) failed", spent_out.ids)
