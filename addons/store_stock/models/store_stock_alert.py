from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, clean_context

KINDS = [
    ("below_min", "Below safety stock"),
    ("overstock", "Overstock"),
    ("slow_mover", "Slow mover"),
    ("near_expiry", "Near expiry"),
    ("out_of_stock", "Out of stock"),
]
# The kinds that can propose a 限时折扣 (store_promotions' flash sale template), and its discount.
PROMOTION_PERCENT = {"near_expiry": 30.0, "slow_mover": 20.0}
# Order states of a sale (core POS): a draft or cancelled order sold nothing.
SOLD_STATES = ("paid", "done", "invoiced")


class StoreStockAlert(models.Model):
    """A stock alert of a store: one open alert per store, product, kind (and lot for near expiry),
    written and closed by ``_compute_alerts`` (the daily job and the Refresh button) with a few
    SQL statements whatever the number of stores and products."""

    _name = "store.stock.alert"
    _description = "Stock alert"
    _inherit = ["store.scoped.mixin"]
    _order = "date_first_seen desc, id desc"

    company_id = fields.Many2one(related="store_id.company_id", store=True, index=True)
    kind = fields.Selection(KINDS, required=True, index=True, readonly=True)
    state = fields.Selection(
        [("open", "Open"), ("closed", "Closed")], default="open", required=True, index=True, readonly=True
    )
    product_id = fields.Many2one(
        "product.product", required=True, index=True, readonly=True, ondelete="cascade"
    )
    categ_id = fields.Many2one("product.category", string="Product Category", index=True, readonly=True)
    lot_id = fields.Many2one("stock.lot", readonly=True, ondelete="cascade")
    expiration_date = fields.Datetime(readonly=True)
    qty_on_hand = fields.Float("On Hand", digits="Product Unit", readonly=True)
    min_qty = fields.Float("Safety Stock (Min)", digits="Product Unit", readonly=True, aggregator=None)
    max_qty = fields.Float("Maximum", digits="Product Unit", readonly=True, aggregator=None)
    qty_gap = fields.Float(
        "Shortage / Surplus",
        digits="Product Unit",
        readonly=True,
        help="Below safety stock and out of stock: what is missing to reach the safety stock. "
        "Overstock: what is above the maximum. Slow mover and near expiry: the quantity concerned.",
    )
    last_sale_date = fields.Datetime("Last Sale", readonly=True, help="Within the slow-mover days.")
    threshold_days = fields.Integer(
        "Days", readonly=True, aggregator=None, help="The threshold's slow-mover or near-expiry days."
    )
    threshold_id = fields.Many2one("store.stock.threshold", readonly=True, ondelete="set null")
    date_first_seen = fields.Datetime("First Seen", readonly=True, index=True)
    date_last_seen = fields.Datetime("Last Seen", readonly=True)
    date_closed = fields.Datetime("Closed On", readonly=True)
    promotion_id = fields.Many2one(
        "store.promotion", string="Proposed Promotion", readonly=True, ondelete="set null"
    )
    can_propose_promotion = fields.Boolean(compute="_compute_can_propose_promotion")

    _open_uniq = models.UniqueIndex(
        "(store_id, product_id, kind, COALESCE(lot_id, 0)) WHERE state = 'open'",
        "A store has one open alert per product, kind and lot.",
    )

    @api.depends("store_id", "product_id", "kind")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for alert in self:
            parts = (alert.store_id.name, alert.product_id.display_name, kinds.get(alert.kind))
            alert.display_name = " · ".join(part or "" for part in parts)

    @api.depends("kind", "state")
    def _compute_can_propose_promotion(self):
        for alert in self:
            alert.can_propose_promotion = alert.kind in PROMOTION_PERCENT and alert.state == "open"

    # ------------------------------------------------------------------ computation
    @api.model
    def _alerts_sql(self, store_ids, now):
        """One statement: the conditions of today (reorder rules against stock on hand, slow movers
        from POS sales, lots near expiry) upserted as open alerts, and the open alerts of these
        stores not seen today closed."""
        Threshold = self.env["store.stock.threshold"]
        return SQL(
            """
            WITH loc AS (
                SELECT s.id AS store_id, s.warehouse_id, s.region_id, s.company_id, w.lot_stock_id
                  FROM store_store s JOIN stock_warehouse w ON w.id = s.warehouse_id
                 WHERE s.id = ANY(%(store_ids)s)
            ), quant AS (
                SELECT l.store_id, q.product_id, q.lot_id, q.quantity, q.in_date
                  FROM stock_quant q
                  JOIN stock_location sl ON sl.id = q.location_id AND sl.usage = 'internal'
                  JOIN loc l ON l.warehouse_id = sl.warehouse_id
            ), onhand AS (
                SELECT store_id, product_id, SUM(quantity) AS qty,
                       MIN(in_date) FILTER (WHERE quantity > 0) AS first_in
                  FROM quant GROUP BY store_id, product_id
            ), rules AS (
                SELECT l.store_id, op.product_id, op.product_min_qty AS min_qty,
                       op.product_max_qty AS max_qty, op.store_threshold_id AS threshold_id
                  FROM stock_warehouse_orderpoint op JOIN loc l ON l.lot_stock_id = op.location_id
                 WHERE op.active AND (op.product_min_qty > 0 OR op.product_max_qty > 0)
            ), slow AS (%(slow)s
            ), expiry AS (%(expiry)s
            ), sales AS (
                SELECT o.store_id, ol.product_id, MAX(o.date_order) AS last_sale
                  FROM pos_order o JOIN pos_order_line ol ON ol.order_id = o.id
                 WHERE o.store_id = ANY(%(store_ids)s) AND o.state IN %(sold)s AND ol.qty > 0
                   AND o.date_order >= %(now)s - make_interval(days => (
                        SELECT COALESCE(MAX(slow_mover_days), 0) FROM store_stock_threshold WHERE active))
                 GROUP BY o.store_id, ol.product_id
            ), cur AS (
                SELECT r.store_id, r.product_id, NULL::integer AS lot_id,
                       CASE WHEN r.min_qty > 0 AND COALESCE(h.qty, 0) <= 0 THEN 'out_of_stock'
                            WHEN COALESCE(h.qty, 0) < r.min_qty THEN 'below_min'
                            ELSE 'overstock' END AS kind,
                       COALESCE(h.qty, 0) AS qty_on_hand, r.min_qty, r.max_qty,
                       CASE WHEN COALESCE(h.qty, 0) < r.min_qty
                            THEN r.min_qty - GREATEST(COALESCE(h.qty, 0), 0)
                            ELSE COALESCE(h.qty, 0) - r.max_qty END AS qty_gap,
                       r.threshold_id, NULL::timestamp AS expiration_date,
                       NULL::timestamp AS last_sale_date, 0 AS days
                  FROM rules r LEFT JOIN onhand h ON h.store_id = r.store_id AND h.product_id = r.product_id
                 WHERE COALESCE(h.qty, 0) < r.min_qty OR (r.max_qty > 0 AND COALESCE(h.qty, 0) > r.max_qty)
                UNION ALL
                SELECT h.store_id, h.product_id, NULL, 'slow_mover', h.qty, NULL, NULL, h.qty,
                       w.threshold_id, NULL, sa.last_sale, w.days
                  FROM onhand h
                  JOIN slow w ON w.store_id = h.store_id AND w.product_id = h.product_id
                  LEFT JOIN sales sa ON sa.store_id = h.store_id AND sa.product_id = h.product_id
                 WHERE h.qty > 0 AND h.first_in <= %(now)s - make_interval(days => w.days)
                   AND (sa.last_sale IS NULL OR sa.last_sale < %(now)s - make_interval(days => w.days))
                UNION ALL
                SELECT q.store_id, q.product_id, q.lot_id, 'near_expiry', SUM(q.quantity), NULL, NULL,
                       SUM(q.quantity), w.threshold_id, lot.expiration_date, NULL, w.days
                  FROM quant q
                  JOIN stock_lot lot ON lot.id = q.lot_id
                  JOIN expiry w ON w.store_id = q.store_id AND w.product_id = q.product_id
                 WHERE lot.expiration_date <= %(now)s + make_interval(days => w.days)
                 GROUP BY q.store_id, q.product_id, q.lot_id, w.threshold_id, lot.expiration_date, w.days
                HAVING SUM(q.quantity) > 0
            ), seen AS (
                INSERT INTO store_stock_alert (
                    store_id, region_id, company_id, product_id, categ_id, lot_id, kind, state,
                    qty_on_hand, min_qty, max_qty, qty_gap, threshold_id, expiration_date,
                    last_sale_date, threshold_days, date_first_seen, date_last_seen,
                    create_uid, create_date, write_uid, write_date)
                SELECT c.store_id, l.region_id, l.company_id, c.product_id, pt.categ_id, c.lot_id,
                       c.kind, 'open', c.qty_on_hand, c.min_qty, c.max_qty, c.qty_gap, c.threshold_id,
                       c.expiration_date, c.last_sale_date, c.days, %(now)s, %(now)s,
                       %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM cur c
                  JOIN loc l ON l.store_id = c.store_id
                  JOIN product_product pp ON pp.id = c.product_id
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
                    ON CONFLICT (store_id, product_id, kind, COALESCE(lot_id, 0)) WHERE state = 'open'
                    DO UPDATE SET qty_on_hand = EXCLUDED.qty_on_hand, min_qty = EXCLUDED.min_qty,
                                  max_qty = EXCLUDED.max_qty, qty_gap = EXCLUDED.qty_gap,
                                  threshold_id = EXCLUDED.threshold_id,
                                  expiration_date = EXCLUDED.expiration_date,
                                  last_sale_date = EXCLUDED.last_sale_date,
                                  threshold_days = EXCLUDED.threshold_days, categ_id = EXCLUDED.categ_id,
                                  date_last_seen = EXCLUDED.date_last_seen,
                                  write_uid = EXCLUDED.write_uid, write_date = EXCLUDED.write_date
                RETURNING id
            )
            UPDATE store_stock_alert a
               SET state = 'closed', date_closed = %(now)s, write_uid = %(uid)s, write_date = %(now)s
             WHERE a.state = 'open' AND a.store_id = ANY(%(store_ids)s)
               -- an anti-join: NOT IN over the seen alerts compares every open alert with each
               AND NOT EXISTS (SELECT 1 FROM seen WHERE seen.id = a.id)
            """,
            store_ids=list(store_ids),
            now=now,
            uid=self.env.uid,
            sold=SOLD_STATES,
            slow=Threshold._days_winners_sql(store_ids, "slow_mover_days"),
            expiry=Threshold._days_winners_sql(store_ids, "near_expiry_days"),
        )

    @api.model
    def _compute_alerts(self, stores=None, now=None):
        """Open, refresh and close the alerts of ``stores`` (default: every store with a warehouse).
        The reorder rules are brought in line with the thresholds first."""
        stores = (stores or self.env["store.store"]).sudo()
        if not stores:
            stores = stores.search([("warehouse_id", "!=", False)])
        stores = stores.filtered("warehouse_id")
        if not stores:
            return
        self.env["store.stock.threshold"].sudo()._sync_orderpoints(stores.company_id)
        self.env.flush_all()
        self.env.cr.execute(self._alerts_sql(stores.ids, now or fields.Datetime.now()))
        self.env.invalidate_all()

    @api.model
    def _cron_compute_alerts(self):
        self._compute_alerts()

    @api.model
    def action_refresh_alerts(self):
        """Button of the alert lists: recompute the alerts of the user's stores (HQ: every store)."""
        Store = self.env["store.store"]
        user = self.env.user
        if not (
            user.has_group("store_pos_ext.group_store_user")
            or user.has_group("store_pos_ext.group_hq_analyst")
        ):
            raise UserError(self.env._("Only the chain's users can refresh stock alerts."))
        if self._store_confined_user():
            stores = user.allowed_store_ids
            if not stores:  # _compute_alerts of no store is every store's
                return {"type": "ir.actions.client", "tag": "soft_reload"}
        else:
            stores = Store.search(
                [("warehouse_id", "!=", False), ("company_id", "in", self.env.companies.ids)]
            )
        self._compute_alerts(stores)
        return {"type": "ir.actions.client", "tag": "soft_reload"}

    # ------------------------------------------------------------------ promotion
    def action_propose_promotion(self):
        """A draft 限时折扣 (flash sale) of the alert's product in the alert's store, proposed by the
        user with their own rights (store_promotions' approval rules apply), then opened."""
        self.ensure_one()
        if self.kind not in PROMOTION_PERCENT:
            raise UserError(self.env._("Only near-expiry and slow-mover alerts propose a promotion."))
        promotion = self.promotion_id
        if not promotion or promotion.state in ("rejected", "ended"):
            today = fields.Date.context_today(self)
            date_to = today + timedelta(days=7)
            if self.kind == "near_expiry" and self.expiration_date:
                date_to = max(today, min(date_to, fields.Date.context_today(self, self.expiration_date)))
            # the caller's context sets no default (a state, categories, regions) on the proposal
            Promotion = self.env["store.promotion"].with_context(clean_context(self.env.context))
            promotion = Promotion.create(
                {
                    "name": self.env._(
                        "Flash sale: %(product)s at %(store)s",
                        product=self.product_id.display_name,
                        store=self.store_id.name,
                    ),
                    "template": "flash",
                    "percent": PROMOTION_PERCENT[self.kind],
                    "product_ids": [Command.set(self.product_id.ids)],
                    "scope": "stores",
                    "store_ids": [Command.set(self.store_id.ids)],
                    "date_from": today,
                    "date_to": date_to,
                    "company_id": self.store_id.company_id.id,
                }
            )
            # the alert is the server's record: only the link to the proposal is written
            self.sudo().promotion_id = promotion
        return {
            "type": "ir.actions.act_window",
            "res_model": "store.promotion",
            "res_id": promotion.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
