from odoo import api, fields, models
from odoo.tools import SQL

# Order states of a sale (core POS): a draft or cancelled order sold nothing.
SOLD_STATES = ("paid", "done", "invoiced")


class StoreShrinkReport(models.Model):
    """Shrink (损耗) per store, day, product and scrap reason: what the stores scrapped (core
    ``stock.scrap`` from their warehouses, done) beside what they sold (POS orders), both valued at
    the product's sales price, so that markdowns do not move the rate. The loss rate of any grouping
    is scrapped value / (sold value + scrapped value) of the group (``_read_group_select``), not an
    average of the rows' rates. A row's id is twice its first POS line's id (sales) or twice its first
    stock move's id plus one (scraps): no window function, so a store or date filter reaches the
    grouped subqueries instead of every sale of the chain being grouped first."""

    _name = "store.shrink.report"
    _description = "Shrink and loss rate"
    _auto = False
    _order = "date desc"
    # what the view reads: flushed before it is queried
    _depends = {
        "pos.order": ["state", "date_order", "store_id"],
        "pos.order.line": ["order_id", "product_id", "qty"],
        "stock.move": ["scrap_id", "state", "date", "product_id", "product_qty", "location_id"],
        "stock.location": ["warehouse_id"],
        "stock.scrap": ["scrap_reason_tag_ids"],
        "stock.scrap.reason.tag": ["sequence"],
        "store.store": ["warehouse_id", "region_id", "company_id", "tz"],
        "product.product": ["product_tmpl_id"],
        "product.template": ["list_price", "categ_id"],
    }

    store_id = fields.Many2one("store.store", readonly=True)
    region_id = fields.Many2one("store.region", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    date = fields.Date(readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    categ_id = fields.Many2one("product.category", string="Product Category", readonly=True)
    reason_tag_id = fields.Many2one(
        "stock.scrap.reason.tag",
        string="Scrap Reason",
        readonly=True,
        help="The scrap's first reason (by sequence); empty on sales and on scraps without a reason.",
    )
    sold_qty = fields.Float(digits="Product Unit", readonly=True)
    scrapped_qty = fields.Float(digits="Product Unit", readonly=True)
    sold_value = fields.Float(digits="Product Price", readonly=True)
    scrapped_value = fields.Float(digits="Product Price", readonly=True)
    loss_rate = fields.Float(
        "Loss Rate (%)",
        readonly=True,
        aggregator="sum",
        help="Scrapped value / (sold value + scrapped value), both at the sales price.",
    )

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT t.id, t.store_id, s.region_id, s.company_id, t.date,
                   t.product_id, pt.categ_id, t.reason_tag_id, t.sold_qty, t.scrapped_qty,
                   t.sold_qty * pt.list_price AS sold_value,
                   t.scrapped_qty * pt.list_price AS scrapped_value,
                   CASE WHEN (t.sold_qty + t.scrapped_qty) * pt.list_price = 0 THEN 0
                        ELSE 100.0 * t.scrapped_qty / NULLIF(t.sold_qty + t.scrapped_qty, 0) END AS loss_rate
              FROM (
                    SELECT 2 * MIN(ol.id) AS id, o.store_id, (o.date_order AT TIME ZONE 'UTC' AT TIME ZONE
                                        COALESCE(st.tz, 'Asia/Shanghai'))::date AS date,
                           ol.product_id, NULL::integer AS reason_tag_id,
                           SUM(ol.qty) AS sold_qty, 0 AS scrapped_qty
                      FROM pos_order_line ol
                      JOIN pos_order o ON o.id = ol.order_id
                      JOIN store_store st ON st.id = o.store_id
                     WHERE o.state IN %(sold)s
                     GROUP BY 2, 3, 4
                    UNION ALL
                    SELECT 2 * MIN(m.id) + 1, st.id, (m.date AT TIME ZONE 'UTC' AT TIME ZONE
                                   COALESCE(st.tz, 'Asia/Shanghai'))::date,
                           m.product_id,
                           (SELECT tag.id FROM stock_scrap_stock_scrap_reason_tag_rel rel
                              JOIN stock_scrap_reason_tag tag ON tag.id = rel.stock_scrap_reason_tag_id
                             WHERE rel.stock_scrap_id = m.scrap_id
                             ORDER BY tag.sequence, tag.id LIMIT 1),
                           0, SUM(m.product_qty)
                      FROM stock_move m
                      JOIN stock_location sl ON sl.id = m.location_id
                      JOIN store_store st ON st.warehouse_id = sl.warehouse_id
                     WHERE m.scrap_id IS NOT NULL AND m.state = 'done'
                     GROUP BY 2, 3, 4, 5
              ) t
              JOIN store_store s ON s.id = t.store_id
              JOIN product_product pp ON pp.id = t.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
            """,
            sold=SOLD_STATES,
        )

    @api.model
    def _read_group_select(self, aggregate_spec, query):
        """The loss rate of a group: its scrapped value over its sold and scrapped value."""
        if aggregate_spec != "loss_rate:sum":
            return super()._read_group_select(aggregate_spec, query)
        return SQL(
            "COALESCE(100.0 * SUM(%(scrapped)s) / NULLIF(SUM(%(sold)s) + SUM(%(scrapped)s), 0), 0)",
            scrapped=self._field_to_sql(self._table, "scrapped_value", query),
            sold=self._field_to_sql(self._table, "sold_value", query),
        )
