from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.store_pos_ext.models.server_guard import is_server_write, server_write

from ..tools import forecast

# What a store manager may change on a suggestion; the rest is computed by the server.
USER_FIELDS = {"suggested_qty"}

# Settings (Settings › Technical › System Parameters), with their defaults.
PARAMS = {
    "history_weeks": ("store_stock.forecast_history_weeks", 16),
    "lead_days": ("store_stock.replenishment_lead_days", 2),
    "review_days": ("store_stock.replenishment_review_days", 7),
    "service_level": ("store_stock.replenishment_service_level", 0.95),
    "promo_share": ("store_stock.forecast_promo_share", 0.5),
}
METHODS = [
    ("holt_winters", "Weekday pattern and damped trend (Holt-Winters)"),
    ("mean", "Mean of the days sold (short history)"),
    ("none", "No sales"),
]

# One aggregation for every store of the run: units sold per store x product x local day over the
# history window, and of them the units sold in orders with a promotion counted by the server's
# check (store_promotions: pos.order.store_promotion_ids).
HISTORY_SQL = """
    WITH line AS (
        SELECT o.store_id, l.product_id, l.qty,
               (o.date_order AT TIME ZONE 'UTC' AT TIME ZONE COALESCE(s.tz, 'UTC'))::date AS day,
               (NOW() AT TIME ZONE COALESCE(s.tz, 'UTC'))::date AS today,
               EXISTS (SELECT 1 FROM pos_order_store_promotion_rel r WHERE r.pos_order_id = o.id) AS promo
          FROM pos_order_line l
          JOIN pos_order o ON o.id = l.order_id
          JOIN store_store s ON s.id = o.store_id
          JOIN product_product p ON p.id = l.product_id
          JOIN product_template t ON t.id = p.product_tmpl_id
         WHERE o.store_id = ANY(%(stores)s)
           AND o.state IN ('paid', 'done', 'invoiced')
           AND o.date_order >= %(since)s
           AND t.is_storable
    )
    SELECT store_id, product_id, day, SUM(qty), COALESCE(SUM(qty) FILTER (WHERE promo), 0)
      FROM line
     WHERE day >= today - %(days)s AND day < today
     GROUP BY store_id, product_id, day
"""
ON_HAND_SQL = """
    SELECT loc.warehouse_id, q.product_id, SUM(q.quantity)
      FROM stock_quant q
      JOIN stock_location loc ON loc.id = q.location_id
     WHERE loc.usage = 'internal' AND loc.warehouse_id = ANY(%(warehouses)s)
       AND q.product_id = ANY(%(products)s)
     GROUP BY loc.warehouse_id, q.product_id
"""
INCOMING_SQL = """
    SELECT dest.warehouse_id, m.product_id, SUM(m.product_qty)
      FROM stock_move m
      JOIN stock_location dest ON dest.id = m.location_dest_id
      JOIN stock_location src ON src.id = m.location_id
     WHERE m.state NOT IN ('draft', 'done', 'cancel')
       AND dest.usage = 'internal' AND dest.warehouse_id = ANY(%(warehouses)s)
       AND src.warehouse_id IS DISTINCT FROM dest.warehouse_id
       AND m.product_id = ANY(%(products)s)
     GROUP BY dest.warehouse_id, m.product_id
"""


class StoreStockReplenishment(models.Model):
    """Replenishment suggestion (补货建议) of one store x product, computed from the store's own
    POS sales (``tools/forecast.py``) by ``action_compute`` (button) or the daily cron, and turned
    into a requisition to the central warehouse by ``action_request``.

    A **promotion day** of a store x product is a day on which at least ``promo_share`` (system
    parameter, default half) of the units of that product the store sold were sold in orders with
    a promotion counted by the server's check (``pos.order.store_promotion_ids``, store_promotions).
    Such days are left out of the level, trend, weekday pattern and error of the forecast.

    The central warehouse of a store is the first of its warehouse's *Resupply From* warehouses
    (core's ``stock.warehouse.resupply_wh_ids``, which creates the route "<store>: Supply Product
    from <central>" through the company's transit location).
    """

    _name = "store.stock.replenishment"
    _description = "Replenishment Suggestion"
    _inherit = ["store.scoped.mixin"]
    _order = "store_id, suggested_qty desc, product_id"
    _rec_name = "product_id"

    product_id = fields.Many2one(
        "product.product", required=True, index=True, readonly=True, ondelete="cascade"
    )
    uom_id = fields.Many2one(related="product_id.uom_id")
    warehouse_id = fields.Many2one(related="store_id.warehouse_id")
    state = fields.Selection(
        [("suggested", "Suggested"), ("requested", "Requested")],
        default="suggested",
        required=True,
        readonly=True,
    )
    method = fields.Selection(METHODS, readonly=True)
    history_days = fields.Integer("Days of History", readonly=True)
    promo_days = fields.Integer("Promotion Days Excluded", readonly=True)
    forecast_week = fields.Float("Forecast Next 7 Days", digits="Product Unit", readonly=True)
    forecast_next_days = fields.Char("Next 7 Days (per day)", readonly=True)
    forecast_qty = fields.Float(
        "Forecast over Lead + Review",
        digits="Product Unit",
        readonly=True,
        help="Demand over the lead and review days.",
    )
    demand_std = fields.Float(
        "Demand Std. Dev. (per day)",
        digits="Product Unit",
        readonly=True,
        help="Root mean square of the one-day-ahead forecast errors on days without promotion.",
    )
    lead_days = fields.Integer(readonly=True)
    review_days = fields.Integer(readonly=True)
    service_level = fields.Float(readonly=True)
    safety_stock = fields.Float(digits="Product Unit", readonly=True)
    qty_on_hand = fields.Float("On Hand", digits="Product Unit", readonly=True)
    qty_incoming = fields.Float("Incoming", digits="Product Unit", readonly=True)
    suggested_qty = fields.Float(
        "Suggested Quantity",
        digits="Product Unit",
        help="Forecast over lead + review days + safety stock - on hand - incoming, rounded up; "
        "the store manager may change it before requesting.",
    )
    computed_at = fields.Datetime(readonly=True)
    orderpoint_id = fields.Many2one("stock.warehouse.orderpoint", "Reordering Rule", readonly=True)
    picking_id = fields.Many2one(
        "stock.picking", "Receipt", readonly=True, help="The store's receipt from transit."
    )

    _one_open_suggestion = models.UniqueIndex(
        "(store_id, product_id) WHERE state = 'suggested'",
        "A store has one open suggestion per product.",
    )

    @api.constrains("suggested_qty")
    def _check_suggested_qty(self):
        for rec in self:
            if rec.suggested_qty < 0:
                raise ValidationError(
                    self.env._(
                        "Suggested Quantity cannot be negative (%(product)s).",
                        product=rec.product_id.display_name,
                    )
                )

    @api.constrains("store_id", "picking_id", "orderpoint_id")
    def _check_store_records(self):
        """The receipt and the reordering rule are the store's own, whoever writes them."""
        for rec in self.sudo():
            warehouse = rec.store_id.warehouse_id
            if rec.picking_id and rec.picking_id.picking_type_id.warehouse_id != warehouse:
                raise ValidationError(
                    self.env._(
                        "Receipt: %(picking)s is not a transfer of store %(store)s.",
                        picking=rec.picking_id.name,
                        store=rec.store_id.display_name,
                    )
                )
            if rec.orderpoint_id and rec.orderpoint_id.warehouse_id != warehouse:
                raise ValidationError(
                    self.env._(
                        "Reordering Rule: %(rule)s is not a rule of store %(store)s.",
                        rule=rec.orderpoint_id.name,
                        store=rec.store_id.display_name,
                    )
                )

    # ------------------------------------------------------------------ CRUD

    @api.model_create_multi
    def create(self, vals_list):
        if not is_server_write():
            self.check_access("create")  # store users and HQ are refused by the access rights first
            raise UserError(self.env._("Replenishment suggestions are made by Compute Suggestions only."))
        return super().create(vals_list)

    def write(self, vals):
        if not is_server_write() and set(vals) - USER_FIELDS:
            self.check_access("write")  # a user without access is refused by the access rights first
            raise UserError(
                self.env._("Only the Suggested Quantity of a replenishment suggestion can be changed.")
            )
        if not is_server_write() and self.filtered(lambda r: r.state != "suggested"):
            self.check_access("write")
            raise UserError(
                self.env._(
                    "The Suggested Quantity of a requested replenishment suggestion is what was ordered."
                )
            )
        return super().write(vals)

    # ------------------------------------------------------------------ actions

    @api.model
    def action_compute(self):
        """Recompute the open suggestions of every store the user may see (a store manager: theirs)."""
        self.check_access("write")  # store managers and HQ administrators
        stores = self.env["store.store"].search([("warehouse_id", "!=", False)])
        self._compute_for_stores(stores)
        return {"type": "ir.actions.client", "tag": "soft_reload"}

    @api.model
    def _cron_compute(self):
        self._compute_for_stores(self.env["store.store"].search([("warehouse_id", "!=", False)]))

    def action_request(self):
        """Turn the chosen open suggestions into requisitions to each store's central warehouse:
        the store warehouse's reordering rule of the product (core's, created as a manual one if the
        warehouse has none) gets the suggested quantity to order and core's replenishment
        (``action_replenish``) runs it along the route from the central warehouse: a delivery
        there to transit and the store's receipt from transit."""
        self.check_access("write")
        todo = self.filtered(lambda r: r.state == "suggested" and r.suggested_qty > 0)
        if not todo:
            raise UserError(self.env._("Choose open suggestions with a Suggested Quantity above 0."))
        Orderpoint = self.env["stock.warehouse.orderpoint"].sudo()
        Move = self.env["stock.move"].sudo()
        groups = todo.grouped("store_id")
        for store in groups:  # every store checked before anything is ordered
            warehouse = store.sudo().warehouse_id
            if not warehouse.resupply_wh_ids:
                raise UserError(
                    self.env._(
                        "Store %(store)s: its warehouse %(warehouse)s has no central warehouse to order "
                        "from; "
                        "set one in Resupply From on the warehouse (Inventory › Configuration › Warehouses).",
                        store=store.display_name,
                        warehouse=warehouse.display_name,
                    )
                )
        for store, recs in groups.items():
            warehouse = store.sudo().warehouse_id
            central = warehouse.resupply_wh_ids[:1]
            route = warehouse.resupply_route_ids.filtered(lambda r, c=central: r.supplier_wh_id == c)[:1]
            existing = Orderpoint.with_context(active_test=False).search(
                [
                    ("warehouse_id", "=", warehouse.id),
                    ("location_id", "=", warehouse.lot_stock_id.id),
                    ("product_id", "in", recs.product_id.ids),
                ]
            )
            by_product = {}
            for op in existing:
                by_product.setdefault(op.product_id, op)
            for rec in recs:
                op = by_product.get(rec.product_id)
                if not op:
                    op = Orderpoint.create(
                        {
                            "warehouse_id": warehouse.id,
                            "location_id": warehouse.lot_stock_id.id,
                            "product_id": rec.product_id.id,
                            "company_id": warehouse.company_id.id,
                            "trigger": "manual",
                            "product_min_qty": 0.0,
                            "product_max_qty": 0.0,
                            "route_id": route.id,
                        }
                    )
                elif not op.active:
                    op.active = True
                if not op.route_id and route:
                    op.route_id = route
                # core's manual quantity, which action_replenish orders and then clears
                op.qty_to_order_manual = rec.suggested_qty
                with server_write():
                    rec.orderpoint_id = op
            last_move = Move.search([], order="id desc", limit=1).id
            Orderpoint.browse(recs.orderpoint_id.ids).with_company(warehouse.company_id).action_replenish()
            # the store's receipts from transit that the replenishment created
            moves = Move.search(
                [
                    ("id", ">", last_move),
                    ("location_dest_id", "=", warehouse.lot_stock_id.id),
                    ("product_id", "in", recs.product_id.ids),
                ]
            )
            for rec in recs:
                receipt = moves.filtered(lambda m, r=rec: m.product_id == r.product_id).picking_id[:1]
                with server_write():
                    rec.write({"state": "requested", "picking_id": receipt.id})
        return True

    # ------------------------------------------------------------------ helpers

    @api.model
    def _settings(self):
        """The system parameters, checked: a bad value names its parameter."""
        get = self.env["ir.config_parameter"].sudo().get_param
        values = {}
        for key, (param, default) in PARAMS.items():
            raw = get(param, default)
            try:
                values[key] = type(default)(raw)
            except (TypeError, ValueError):
                raise ValidationError(
                    self.env._(
                        "System parameter %(param)s: %(value)s is not a number.", param=param, value=raw
                    )
                ) from None
        # (each message on its own line: the .pot extractor misreads strings after a call in a list)
        weeks = self.env._("between 2 and 104 weeks")
        days = self.env._("between 0 and 365 days")
        level = self.env._("at least 0.5 and below 1")
        share = self.env._("above 0 and at most 1")
        checks = [
            ("history_weeks", 2 <= values["history_weeks"] <= 104, weeks),
            ("lead_days", 0 <= values["lead_days"] <= 365, days),
            ("review_days", 0 <= values["review_days"] <= 365, days),
            ("service_level", 0.5 <= values["service_level"] < 1, level),
            ("promo_share", 0 < values["promo_share"] <= 1, share),
        ]
        for key, ok, expected in checks:
            if not ok:
                raise ValidationError(
                    self.env._(
                        "System parameter %(param)s must be %(expected)s (got %(value)s).",
                        param=PARAMS[key][0],
                        expected=expected,
                        value=values[key],
                    )
                )
        return values

    @api.model
    def _read_history(self, stores, days):
        """{(store id, product id): {day: (qty, promo qty)}} of the last ``days`` full days, by one
        query for all ``stores``."""
        self.env.flush_all()
        since = fields.Datetime.now() - timedelta(days=days + 2)
        self.env.cr.execute(HISTORY_SQL, {"stores": stores.ids, "since": since, "days": days})
        history = {}
        for store_id, product_id, day, qty, promo_qty in self.env.cr.fetchall():
            history.setdefault((store_id, product_id), {})[day] = (qty, promo_qty)
        return history

    @api.model
    def _fit_history(self, by_day, today, days, promo_share):
        """The forecast fitted to one store's daily sales of a product (``by_day`` of
        ``_read_history``) over the ``days`` before ``today``; a day counts as a promotion day when
        at least ``promo_share`` of it sold on promotion."""
        # the series starts at the first day sold: a product listed last week has no 0s before
        start = max(today - timedelta(days=days), min(by_day, default=today))
        series, promo = [], []
        for offset in range((today - start).days):
            qty, promo_qty = by_day.get(start + timedelta(days=offset), (0.0, 0.0))
            series.append(max(qty, 0.0))
            promo.append(qty > 0 and promo_qty >= promo_share * qty)
        return forecast.fit(series, promo, first_weekday=start.weekday())

    @api.model
    def _read_stock(self, sql, warehouses, products):
        self.env.cr.execute(sql, {"warehouses": warehouses.ids, "products": products})
        return {(wh, product): qty for wh, product, qty in self.env.cr.fetchall()}

    @api.model
    def _compute_for_stores(self, stores):
        """Replace the open suggestions of ``stores`` by new ones: history, on hand and incoming
        are read by three queries whatever the number of stores and products. The caller chose
        the stores (``action_compute``: those the user may see; the cron: all)."""
        settings = self._settings()
        days = settings["history_weeks"] * 7
        history = self._read_history(stores, days)
        products = sorted({product for _store, product in history})
        warehouses = stores.warehouse_id
        on_hand = self._read_stock(ON_HAND_SQL, warehouses, products)
        incoming = self._read_stock(INCOMING_SQL, warehouses, products)
        today_by_store = {
            store.id: fields.Date.context_today(store.with_context(tz=store.tz or "UTC")) for store in stores
        }
        warehouse_by_store = {store.id: store.warehouse_id.id for store in stores}
        horizon = settings["lead_days"] + settings["review_days"]
        now = fields.Datetime.now()
        vals_list = []
        for (store_id, product_id), by_day in history.items():
            fitted = self._fit_history(by_day, today_by_store[store_id], days, settings["promo_share"])
            week = fitted.forecast(7)
            demand = sum(fitted.forecast(horizon)) if horizon else 0.0
            safety = forecast.safety_stock(
                fitted.sigma, settings["lead_days"], settings["review_days"], settings["service_level"]
            )
            wh = warehouse_by_store[store_id]
            hand = on_hand.get((wh, product_id), 0.0)
            inbound = incoming.get((wh, product_id), 0.0)
            vals_list.append(
                {
                    "store_id": store_id,
                    "product_id": product_id,
                    "method": fitted.method,
                    "history_days": fitted.days,
                    "promo_days": fitted.promo_days,
                    "forecast_week": sum(week),
                    "forecast_next_days": " / ".join(f"{v:.1f}" for v in week),
                    "forecast_qty": demand,
                    "demand_std": fitted.sigma,
                    "lead_days": settings["lead_days"],
                    "review_days": settings["review_days"],
                    "service_level": settings["service_level"],
                    "safety_stock": safety,
                    "qty_on_hand": hand,
                    "qty_incoming": inbound,
                    "suggested_qty": forecast.suggested_quantity(demand, safety, hand, inbound),
                    "computed_at": now,
                }
            )
        with server_write():
            self.sudo().search([("store_id", "in", stores.ids), ("state", "=", "suggested")]).unlink()
            return self.sudo().create(vals_list).sudo(False)
