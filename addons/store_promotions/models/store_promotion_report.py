from odoo import fields, models, tools


class StorePromotionReport(models.Model):
    """One row per paid order and promotion the server counted on it (``pos.order``'s
    ``store_promo_counted``, written by the server check with the budget and usage it moved):
    pivot by promotion, store, day. Orders flagged for HQ count for no promotion. The promotion's
    own figures (orders, discount cost, average ticket in the comparison) are sums of these rows."""

    _name = "store.promotion.report"
    _description = "Promotion effectiveness"
    _auto = False
    _order = "date desc"

    promotion_id = fields.Many2one("store.promotion", readonly=True)
    template = fields.Selection(related="promotion_id.template")
    store_id = fields.Many2one("store.store", readonly=True)
    region_id = fields.Many2one("store.region", readonly=True)
    date = fields.Date(readonly=True)
    order_id = fields.Many2one("pos.order", readonly=True)
    order_count = fields.Integer(
        "Orders",
        readonly=True,
        help="Paid orders the server counted for the promotion (not those flagged for HQ).",
    )
    member_order_count = fields.Integer("Member orders", readonly=True)
    revenue = fields.Float("Sales", readonly=True, help="Total of those orders, taxes included.")
    avg_ticket = fields.Float(
        "Average ticket",
        readonly=True,
        aggregator="avg",
        help="Average total of those orders, taxes included.",
    )
    discount = fields.Float(
        "Discount cost",
        readonly=True,
        help="The discount the server counted for the promotion on those orders: what its budget spent.",
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            f"""
            CREATE VIEW {self._table} AS (
                SELECT row_number() OVER (ORDER BY o.id, p.id) AS id,
                       p.id AS promotion_id,
                       o.id AS order_id,
                       o.store_id,
                       o.region_id,
                       o.date_order::date AS date,
                       1 AS order_count,
                       CASE WHEN rp.is_member THEN 1 ELSE 0 END AS member_order_count,
                       o.amount_total AS revenue,
                       o.amount_total AS avg_ticket,
                       c.value::numeric AS discount
                  FROM pos_order o
                 CROSS JOIN LATERAL jsonb_each_text(
                           CASE WHEN jsonb_typeof(o.store_promo_counted) = 'object'
                                THEN o.store_promo_counted END
                       ) AS c(key, value)
                  JOIN store_promotion p ON p.id = c.key::int
             LEFT JOIN res_partner rp ON rp.id = o.partner_id
                 WHERE o.state IN ('paid', 'done', 'invoiced')
            )
            """
        )
