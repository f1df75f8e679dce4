from odoo import fields, models, tools


class StorePromotionReport(models.Model):
    """One row per paid order and promotion it used: pivot by promotion, store, day."""

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
    order_count = fields.Integer("Orders", readonly=True)
    member_order_count = fields.Integer("Member orders", readonly=True)
    revenue = fields.Float("Sales", readonly=True)
    avg_ticket = fields.Float("Average ticket", readonly=True, aggregator="avg")
    discount = fields.Float("Discount cost", readonly=True)

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
                       -SUM(l.price_subtotal_incl) AS discount
                  FROM pos_order_line l
                  JOIN pos_order o ON o.id = l.order_id
                  JOIN loyalty_reward r ON r.id = l.reward_id
                  JOIN store_promotion p ON p.program_id = r.program_id
             LEFT JOIN res_partner rp ON rp.id = o.partner_id
                 WHERE o.state IN ('paid', 'done', 'invoiced')
              GROUP BY o.id, p.id, rp.is_member
            )
            """
        )
