from odoo import models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    def get_product_info_pos(self, price, quantity, pos_config_id, product_variant_id=False):
        """Core's product info lists every warehouse of the company, with quantities read under the
        user's rights (a store user reads 0 for every other store's warehouse). A store's POS keeps
        its own warehouse there; the other stores of its region and the central warehouses are in
        the popup's "Other stores' stock" (pos.session.get_other_stores_stock)."""
        info = super().get_product_info_pos(price, quantity, pos_config_id, product_variant_id)
        warehouse = self.env["pos.config"].browse(pos_config_id).store_id.warehouse_id
        if warehouse and info.get("warehouses"):
            info["warehouses"] = [w for w in info["warehouses"] if w["id"] == warehouse.id]
        return info
