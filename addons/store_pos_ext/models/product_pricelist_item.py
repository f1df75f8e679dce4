from odoo import api, models, tools


class ProductPricelistItem(models.Model):
    _inherit = "product.pricelist.item"

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()  # _store_rule_shape
        return super().create(vals_list)

    def write(self, vals):
        self.env.registry.clear_cache()  # _store_rule_shape
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()  # _store_rule_shape
        return super().unlink()

    @api.model
    @tools.ormcache("pricelist_id")
    def _store_rule_shape(self, pricelist_id):
        """What the rules of this pricelist make the server's pricing do, cached (asked for every
        order synced; any change of a rule clears it): "none", no rule (a product's price is the
        empty rule's, core's fallback: no rule to search); "qty", a rule with a minimum quantity,
        or based on another pricelist whose rules may have one (lines of different quantities are
        priced apart); "flat", rules that do not depend on the quantity."""
        Item = self.sudo().with_context(active_test=False)
        if not Item.search_count([("pricelist_id", "=", pricelist_id)], limit=1):
            return "none"
        domain = [
            ("pricelist_id", "=", pricelist_id),
            "|",
            ("min_quantity", ">", 0),
            ("base", "=", "pricelist"),
        ]
        return "qty" if Item.search_count(domain, limit=1) else "flat"
