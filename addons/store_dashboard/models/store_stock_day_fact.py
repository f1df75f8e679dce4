from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools.fact_sql import DEFAULT_TZ, PAID_STATES

# How many local days back the nightly job recomputes the units sold (orders synced late by an
# offline till), today included.
SOLD_DAYS = 4


class StoreStockDayFact(models.Model):
    """A store's stock on one local day, for the stock turnover KPI (库存周转率 / 周转天数):
    the units on hand in its warehouse's internal locations when the nightly job took the snapshot
    (before the store opens: its opening stock), and the units of stocked goods its POS sold that
    day, returns deducted. Written by the nightly job (``_cron_snapshot``) in SQL, never by users.

    Core keeps no stock history per day (quants are today's figure only): the snapshot is that
    history, one row per store and day from the day the addon is installed."""

    _name = "store.stock.day.fact"
    _inherit = ["store.scoped.mixin"]
    _description = "Store stock by day"
    _order = "date desc, store_id"

    company_id = fields.Many2one("res.company", readonly=True, index=True)
    date = fields.Date(readonly=True, required=True, index=True, help="The store's local date.")
    qty_on_hand = fields.Float(
        "Units on hand",
        digits="Product Unit",
        readonly=True,
        help="Units in the store's warehouse (internal locations) when the nightly snapshot was "
        "taken, before the store opened.",
    )
    qty_sold = fields.Float(
        "Units sold",
        digits="Product Unit",
        readonly=True,
        help="Units of stocked goods (storable products) the store's POS sold this local day, "
        "returns deducted (paid orders).",
    )

    _store_date_unique = models.Constraint("UNIQUE(store_id, date)", "One stock fact per store and date.")

    @api.model
    def _cron_snapshot(self):
        """Nightly: today's opening stock of every store with a warehouse, and the units sold of
        the last ``SOLD_DAYS`` local days recomputed from the orders."""
        now = fields.Datetime.now()
        self._snapshot(now)
        today = fields.Date.context_today(self)
        # a day ahead: the job runs in UTC, a store east of it may already be in its tomorrow
        self._refresh_sold(today - timedelta(days=SOLD_DAYS), today + timedelta(days=1))

    @api.model
    def _snapshot(self, now, store_ids=None):
        """Insert, for each store with a warehouse (of ``store_ids``; None: every store), the row of
        its local date at ``now`` (naive UTC) with the units on hand now. The first snapshot of a
        day stands: a second run the same day leaves it (the night's figure is the opening stock)."""
        self.env["stock.quant"].flush_model(["quantity", "location_id"])
        self.env["store.store"].flush_model(["tz", "warehouse_id", "company_id", "region_id"])
        self.env.cr.execute(
            SQL(
                """
                WITH st AS (
                    SELECT s.id AS store_id, s.region_id, s.company_id, s.warehouse_id,
                           timezone(COALESCE(s.tz, %(tz)s), timezone('UTC', %(now)s::timestamp))::date AS date
                      FROM store_store s
                     WHERE s.warehouse_id IS NOT NULL AND s.active
                       AND (%(all)s OR s.id = ANY(%(store_ids)s))
                ), onhand AS (
                    SELECT st.store_id, SUM(q.quantity) AS qty
                      FROM st
                      JOIN stock_location sl ON sl.warehouse_id = st.warehouse_id AND sl.usage = 'internal'
                      JOIN stock_quant q ON q.location_id = sl.id
                     GROUP BY st.store_id
                )
                INSERT INTO store_stock_day_fact (
                    store_id, region_id, company_id, date, qty_on_hand, qty_sold,
                    create_uid, create_date, write_uid, write_date)
                SELECT st.store_id, st.region_id, st.company_id, st.date, COALESCE(o.qty, 0), 0,
                       %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM st LEFT JOIN onhand o ON o.store_id = st.store_id
                    ON CONFLICT (store_id, date) DO NOTHING
                """,
                tz=DEFAULT_TZ,
                now=now,
                all=store_ids is None,
                store_ids=list(store_ids or []),
                uid=self.env.uid,
            )
        )
        self.invalidate_model()

    @api.model
    def _demo_backfill(self, days, store_ids=None):
        """Demo data only: the demo chain has a year of sales but its stock history starts at the
        install. For the ``days`` days before each store's latest snapshot (of ``store_ids``;
        None: every store) a snapshot is added where none is, its opening stock reconstructed as
        the latest snapshot's plus the units sold since that day (the demo receives no goods), so
        the turnover KPI reads the demo's history. Existing snapshots are left as they are."""
        self.flush_model()
        all_stores = store_ids is None
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO store_stock_day_fact (
                    store_id, region_id, company_id, date, qty_on_hand, qty_sold,
                    create_uid, create_date, write_uid, write_date)
                SELECT f.store_id, f.region_id, f.company_id, d::date, 0, 0,
                       %(uid)s, now() AT TIME ZONE 'UTC', %(uid)s, now() AT TIME ZONE 'UTC'
                  FROM store_stock_day_fact f
                 CROSS JOIN LATERAL generate_series(
                       (f.date - %(days)s)::timestamp, (f.date - 1)::timestamp, interval '1 day') d
                 WHERE f.date = (SELECT MAX(g.date) FROM store_stock_day_fact g WHERE g.store_id = f.store_id)
                   AND (%(all)s OR f.store_id = ANY(%(store_ids)s))
                    ON CONFLICT (store_id, date) DO NOTHING
             RETURNING id, date
                """,
                uid=self.env.uid,
                days=days,
                all=all_stores,
                store_ids=list(store_ids or []),
            )
        )
        added = self.env.cr.fetchall()
        if not added:
            return 0
        dates = [day for _id, day in added]
        self._refresh_sold(min(dates), max(dates) + timedelta(days=1), store_ids)
        self.env.cr.execute(
            SQL(
                """
                WITH latest AS (
                    SELECT DISTINCT ON (store_id) store_id, date, qty_on_hand
                      FROM store_stock_day_fact
                     WHERE %(all)s OR store_id = ANY(%(store_ids)s)
                  ORDER BY store_id, date DESC
                ), opening AS (
                    -- the opening stock of day d: the latest one's plus what was sold from d on
                    SELECT f.id, l.qty_on_hand
                                 + SUM(f.qty_sold) OVER (PARTITION BY f.store_id ORDER BY f.date DESC) AS qty
                      FROM store_stock_day_fact f
                      JOIN latest l ON l.store_id = f.store_id AND f.date < l.date
                )
                UPDATE store_stock_day_fact f SET qty_on_hand = GREATEST(o.qty, 0)
                  FROM opening o
                 WHERE f.id = o.id AND f.id = ANY(%(added)s)
                """,
                all=all_stores,
                store_ids=list(store_ids or []),
                added=[row_id for row_id, _date in added],
            )
        )
        self.invalidate_model()
        return len(added)

    @api.model
    def _refresh_sold(self, date_from, date_to, store_ids=None):
        """Recompute the units sold of the rows of the local dates ``date_from``..``date_to`` (of
        ``store_ids``; None: every store) from the paid orders; the number of rows changed."""
        for model in ("pos.order", "pos.order.line"):
            self.env[model].flush_model()
        self.env.cr.execute(
            SQL(
                """
                WITH sold AS (
                    SELECT o.store_id,
                           timezone(COALESCE(st.tz, %(tz)s), timezone('UTC', o.date_order))::date AS date,
                           SUM(ol.qty) AS qty
                      FROM pos_order o
                      JOIN store_store st ON st.id = o.store_id
                      JOIN pos_order_line ol ON ol.order_id = o.id
                      JOIN product_product pp ON pp.id = ol.product_id
                      JOIN product_template pt ON pt.id = pp.product_tmpl_id AND pt.is_storable
                     WHERE o.state IN %(paid)s
                       -- a day either side of the local dates covers every timezone
                       AND o.date_order >= %(utc_from)s AND o.date_order < %(utc_to)s
                       AND (%(all)s OR o.store_id = ANY(%(store_ids)s))
                     GROUP BY 1, 2
                ), rows AS (
                    SELECT f.id, COALESCE(s.qty, 0) AS qty
                      FROM store_stock_day_fact f
                      LEFT JOIN sold s ON s.store_id = f.store_id AND s.date = f.date
                     WHERE f.date BETWEEN %(date_from)s AND %(date_to)s
                       AND (%(all)s OR f.store_id = ANY(%(store_ids)s))
                )
                UPDATE store_stock_day_fact f
                   SET qty_sold = r.qty, write_uid = %(uid)s, write_date = now() AT TIME ZONE 'UTC'
                  FROM rows r
                 WHERE f.id = r.id AND f.qty_sold IS DISTINCT FROM r.qty
                """,
                tz=DEFAULT_TZ,
                paid=PAID_STATES,
                utc_from=date_from - timedelta(days=1),
                utc_to=date_to + timedelta(days=2),
                date_from=date_from,
                date_to=date_to,
                all=store_ids is None,
                store_ids=list(store_ids or []),
                uid=self.env.uid,
            )
        )
        self.invalidate_model()
        return self.env.cr.rowcount
