import logging
from datetime import timedelta

from psycopg2 import errors

from odoo import api, fields, models

# Weekdays as Python numbers them (date.weekday(): 0 = Monday), the keys the facts store.
from odoo.addons.store_pos_ext.models.store_sop_template import WEEKDAYS

from ..tools import fact_sql

_logger = logging.getLogger(__name__)

# How many days back the nightly reconcile checks (late syncs of offline tills land there).
RECONCILE_DAYS = 3
# Two tills of a store settling in the same hour update the same fact row: the second transaction
# cannot (PostgreSQL's repeatable read). Its sale must not fail for a dashboard figure.
CONCURRENT_UPDATE_ERRORS = (errors.SerializationFailure, errors.LockNotAvailable, errors.DeadlockDetected)


class StoreSalesFact(models.Model):
    """Sales of a store in one hour of its local day, kept by the server as orders are settled
    (``pos.order.action_pos_order_paid``) and members register, rebuilt by the nightly reconcile:
    never written by users. See ``tools/fact_sql.py`` for how each figure is computed."""

    _name = "store.sales.fact"
    _inherit = ["store.scoped.mixin"]
    _description = "Store sales by hour"
    _order = "date desc, hour, store_id"

    company_id = fields.Many2one("res.company", readonly=True, index=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    date = fields.Date(readonly=True, required=True, index=True, help="The store's local date.")
    hour = fields.Integer(readonly=True, required=True, help="The store's local hour (0-23).")
    weekday = fields.Selection(WEEKDAYS, readonly=True, help="The weekday of the store's local date.")
    order_count = fields.Integer(
        "Orders",
        readonly=True,
        help="Paid orders that sell something (an exchange too); an order that only gives goods back "
        "is a refund, not an order.",
    )
    refund_count = fields.Integer(
        "Refunds",
        readonly=True,
        help="Paid orders that give goods back (a line with a negative quantity or refunding a sold "
        "line): refunds, and exchanges, which are also orders.",
    )
    revenue = fields.Monetary(
        readonly=True,
        help="What the orders sold, taxes included: their totals without their return lines (an "
        "exchange that gives back 50 and sells 80 is 80 of revenue and 50 refunded).",
    )
    refund_amount = fields.Monetary(
        "Refunded",
        readonly=True,
        help="What the return lines gave back, taxes included (a refund that sells nothing: minus "
        "its total).",
    )
    untaxed_revenue = fields.Monetary("Revenue without taxes", readonly=True)
    discount_amount = fields.Monetary(
        "Discounts",
        readonly=True,
        help="What discounts took off the sales, taxes included: a line discount of d% took the "
        "line's amount x d / (100 - d) (its whole price at 100%), and a negative line that refunds "
        "nothing (a promotion's reward, a manual discount, a point redemption) its amount. Stored "
        "value and gift cards are payments, not discounts.",
    )
    item_qty = fields.Float(
        "Items", readonly=True, help="Quantity of goods sold (no reward, discount or combo item lines)."
    )
    member_order_count = fields.Integer(
        "Member orders",
        readonly=True,
        help="Orders of customers who were members when they paid: settled as a member's order (the "
        "order of a customer registered at the till included), or of a customer registered before "
        "the order. A member archived or merged since keeps their past orders.",
    )
    non_member_order_count = fields.Integer(
        "Non-member orders", readonly=True, help="Orders of customers who were not members when they paid."
    )
    new_member_count = fields.Integer(
        "New members",
        readonly=True,
        help="Members registered at this store in this hour, counted when they register, whatever "
        "became of them since (archived, merged).",
    )
    promo_order_count = fields.Integer(
        "Promotion orders", readonly=True, help="Sales the server counted for at least one promotion."
    )
    promo_discount = fields.Monetary(
        "Promotion cost",
        readonly=True,
        help="The discount the server counted for promotions on these sales: what their budgets spent.",
    )

    _store_date_hour_unique = models.Constraint(
        "UNIQUE(store_id, date, hour)", "One sales fact per store, date and hour."
    )

    def init(self):
        res = super().init()
        # install/update: this code's version of the batch function, the older ones dropped
        fact_sql.ensure_batch_function(self.env.cr, drop_others=True)
        return res

    def _register_hook(self):
        res = super()._register_hook()
        # every registry load: new code without an update runs its own statement (one lookup)
        fact_sql.ensure_batch_function(self.env.cr)
        return res

    # ------------------------------------------------------------------ upkeep
    @api.model
    def _refresh_orders(self, order_ids=(), partner_ids=()):
        """Recompute the facts of the buckets these orders and these members' registrations fall
        in (store x hour, employee x day, member x month), from all the orders of those buckets:
        one statement."""
        if not order_ids and not partner_ids:
            return set()
        try:
            try:
                with self.env.cr.savepoint():
                    return self._refresh(fact_sql.execute_batch, order_ids, partner_ids)
            except errors.UndefinedFunction:
                # dropped by an update run by another process since this one loaded its registry
                fact_sql.ensure_batch_function(self.env.cr)
                with self.env.cr.savepoint():
                    return self._refresh(fact_sql.execute_batch, order_ids, partner_ids)
        except CONCURRENT_UPDATE_ERRORS as exc:
            # Another till's transaction updated one of these fact rows: the sale goes on, and
            # the reconcile, woken now, recomputes the last days from the orders in a minute.
            _logger.info("Dashboard facts of orders %s left to the reconcile: %s", list(order_ids)[:20], exc)
            self.env.ref("store_dashboard.ir_cron_store_dashboard_reconcile").sudo()._trigger()
            return set()

    @api.model
    def _rebuild(self, date_from, date_to, store_ids=None):
        """Recompute every fact of these store-days (local dates; ``store_ids`` None: every store)
        and of the store-months that contain them; {(store_id, date)} of the rows that changed."""
        return self._refresh(fact_sql.execute_range, store_ids, date_from, date_to)

    @api.model
    def _rebuild_all(self):
        """Recompute the facts of the whole order and membership history."""
        self._flush_sources()
        self.env.cr.execute(
            """SELECT MIN(d), MAX(d) FROM (
                   SELECT MIN(date_order)::date AS d FROM pos_order WHERE store_id IS NOT NULL
                   UNION ALL SELECT MAX(date_order)::date FROM pos_order WHERE store_id IS NOT NULL
                   UNION ALL SELECT MIN(member_consent_date)::date FROM res_partner
                   UNION ALL SELECT MAX(member_consent_date)::date FROM res_partner
               ) t"""
        )
        first, last = self.env.cr.fetchone()
        if not first:
            return set()
        # a day of margin either side covers every timezone
        return self._rebuild(first - timedelta(days=1), last + timedelta(days=1))

    @api.model
    def _flush_sources(self):
        for model in ("pos.order", "pos.order.line", "res.partner", "store.store"):
            self.env[model].flush_model()

    @api.model
    def _refresh(self, execute, *args):
        self._flush_sources()
        changed = execute(self.env.cr, *args, self.env.uid)
        if changed:
            for model in ("store.sales.fact", "store.employee.day.fact", "store.member.month.fact"):
                self.env[model].invalidate_model()
        return changed

    # --------------------------------------------------------------- reconcile
    @api.model
    def _reconcile_days(self, date_from, date_to, store_ids=None):
        """Compare the facts of these local days (and the member months that contain them) of
        ``store_ids`` (None: every store) with an aggregation of the orders, and rewrite the rows
        that differ, in one statement.
        Returns the sorted (store_id, date) that were fixed (a member month's first day for a
        member month row)."""
        fixed = sorted(self._rebuild(date_from, date_to, store_ids))
        if fixed:
            _logger.warning("Dashboard facts reconciled for %s (store, day)s: %s", len(fixed), fixed[:20])
        return fixed

    @api.model
    def _cron_reconcile(self):
        """Nightly: the last ``RECONCILE_DAYS`` days (orders synced late by an offline till, a fact
        lost to a failed upkeep, a re-dated order)."""
        today = fields.Date.context_today(self)
        # a day ahead: the job runs in UTC, a store east of it may already be in its tomorrow
        return self._reconcile_days(today - timedelta(days=RECONCILE_DAYS), today + timedelta(days=1))
