from odoo import api, models, tools


class ProductPricelistItem(models.Model):
    _inherit = "product.pricelist.item"

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()  # _store_qty_priced
        return super().create(vals_list)

    def write(self, vals):
        self.env.registry.clear_cache()  # _store_qty_priced
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()  # _store_qty_priced
        return super().unlink()

    @api.model
    @tools.ormcache("pricelist_id")
    def _store_qty_priced(self, pricelist_id):
        """Whether a line's quantity can change a price of this pricelist: one of its rules has a
        minimum quantity, or is based on another pricelist (whose rules may have one). The server's
        pricing prices the lines of an order together when it cannot; cached, as it is asked for
        every order synced, and cleared by any change of a rule."""
        domain = [
            ("pricelist_id", "=", pricelist_id),
            "|",
            ("min_quantity", ">", 0),
            ("base", "=", "pricelist"),
        ]
        return bool(self.sudo().with_context(active_test=False).search_count(domain, limit=1))
