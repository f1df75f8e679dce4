from datetime import timedelta

from odoo import api, fields, models

from odoo.addons.store_pos_ext.models.server_guard import server_write
from odoo.addons.store_stock.tools import forecast

# Settings of the fresh suggestions (Settings › Technical › System Parameters), with their defaults:
# perishables are forecast from the last weeks only and ordered every day.
FRESH_PARAMS = {
    "history_weeks": ("store_industry.fresh_history_weeks", 4),
    "review_days": ("store_industry.fresh_review_days", 1),
}
# Units on hand, per warehouse x product, of lots that expire before ``until`` (the delivery of an
# order placed now): they will not be there to sell when the order arrives.
EXPIRING_SQL = """
    SELECT loc.warehouse_id, q.product_id, SUM(q.quantity)
      FROM stock_quant q
      JOIN stock_location loc ON loc.id = q.location_id
      JOIN stock_lot lot ON lot.id = q.lot_id
     WHERE loc.usage = 'internal' AND loc.warehouse_id = ANY(%(warehouses)s)
       AND q.product_id = ANY(%(products)s)
       AND lot.expiration_date < %(until)s
     GROUP BY loc.warehouse_id, q.product_id
"""


class StoreStockReplenishment(models.Model):
    """Fresh replenishment (生鲜补货): the suggestions of perishables — products with an expiration
    date (core product_expiry) — are computed by store_stock's forecast on the last weeks only
    (default 4) and for a daily order (review period 1 day, at most the product's shelf life), and
    the units of lots that expire before the delivery are not counted as on hand. The daily job of
    store_stock computes them with the others."""

    _inherit = "store.stock.replenishment"

    fresh = fields.Boolean(
        readonly=True,
        index=True,
        help="A perishable (expiration date): forecast on recent weeks, ordered daily.",
    )
    qty_expiring = fields.Float(
        "Expiring Before Delivery",
        digits="Product Unit",
        readonly=True,
        help="Units on hand of lots that expire before an order placed now arrives: not counted as on hand.",
    )

    @api.model
    def _fresh_settings(self):
        get = self.env["ir.config_parameter"].sudo().get_param
        values = {}
        for key, (param, default) in FRESH_PARAMS.items():
            try:
                values[key] = int(get(param, default))
            except (TypeError, ValueError):
                values[key] = default
        values["history_weeks"] = min(max(values["history_weeks"], 1), 104)
        values["review_days"] = min(max(values["review_days"], 1), 365)
        return values

    @api.model
    def _compute_for_stores(self, stores):
        records = super()._compute_for_stores(stores)
        fresh = records.sudo().filtered(lambda r: r.product_id.use_expiration_date)
        if fresh:
            self._compute_fresh(stores, fresh)
        return records

    @api.model
    def _compute_fresh(self, stores, suggestions):
        """Recompute ``suggestions`` (perishables, just made by store_stock) on recent sales for a
        daily order, by one history and one expiring-lots query for all ``stores``."""
        settings = self._settings()
        fresh = self._fresh_settings()
        days = fresh["history_weeks"] * 7
        history = self._read_history(stores, days)
        products = suggestions.product_id.ids
        until = fields.Datetime.now() + timedelta(days=settings["lead_days"])
        self.env.cr.execute(
            EXPIRING_SQL, {"warehouses": stores.warehouse_id.ids, "products": products, "until": until}
        )
        expiring = {(wh, product): qty for wh, product, qty in self.env.cr.fetchall()}
        for suggestion in suggestions:
            store, product = suggestion.store_id, suggestion.product_id
            today = fields.Date.context_today(store.with_context(tz=store.tz or "UTC"))
            by_day = history.get((store.id, product.id), {})
            fitted = self._fit_history(by_day, today, days, settings["promo_share"])
            review = fresh["review_days"]
            shelf_life = product.expiration_time
            if shelf_life > 0:
                review = min(review, shelf_life)  # never more than sells before it expires
            horizon = settings["lead_days"] + review
            week = fitted.forecast(7)
            demand = sum(fitted.forecast(horizon))
            safety = forecast.safety_stock(
                fitted.sigma, settings["lead_days"], review, settings["service_level"]
            )
            gone = min(expiring.get((store.warehouse_id.id, product.id), 0.0), suggestion.qty_on_hand)
            with server_write():
                suggestion.write(
                    {
                        "fresh": True,
                        "method": fitted.method,
                        "history_days": fitted.days,
                        "promo_days": fitted.promo_days,
                        "forecast_week": sum(week),
                        "forecast_next_days": " / ".join(f"{v:.1f}" for v in week),
                        "forecast_qty": demand,
                        "demand_std": fitted.sigma,
                        "review_days": review,
                        "safety_stock": safety,
                        "qty_expiring": gone,
                        "suggested_qty": forecast.suggested_quantity(
                            demand, safety, suggestion.qty_on_hand - gone, suggestion.qty_incoming
                        ),
                    }
                )
