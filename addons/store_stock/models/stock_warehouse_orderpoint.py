from odoo import api, fields, models


class StockWarehouseOrderpoint(models.Model):
    _name = "stock.warehouse.orderpoint"
    # store users read their stores' reorder rules only (store_stock_security.xml)
    _inherit = ["stock.warehouse.orderpoint", "store.scope.guard"]

    store_threshold_id = fields.Many2one(
        "store.stock.threshold",
        string="Stock Threshold",
        index="btree_not_null",
        ondelete="cascade",
        readonly=True,
        copy=False,
        help="The HQ threshold this reorder rule is written from: it is kept in line with the "
        "thresholds (Inventory > Stock Thresholds), edit them rather than the rule.",
    )

    @api.autovacuum
    def _unlink_processed_orderpoints(self):
        """Core's daily clean-up deletes the manual rules the superuser made that need no order
        (its replenishment report's one-off suggestions). The rules written from HQ's thresholds are
        standing rules — made by the superuser too (a job, an install) — and stay."""
        Orderpoint = self.with_context(active_test=False)
        if not self:
            # core's own search, without the thresholds' rules
            Orderpoint = Orderpoint.search([("trigger", "=", "manual"), ("store_threshold_id", "=", False)])
        kept = Orderpoint.filtered(lambda orderpoint: not orderpoint.store_threshold_id)
        if not kept:  # (an empty recordset would make core search every manual rule)
            return self.browse()
        return super(StockWarehouseOrderpoint, kept)._unlink_processed_orderpoints()
