from odoo import fields, models


class StoreStore(models.Model):
    _inherit = "store.store"

    store_listed_product_count = fields.Integer(
        "Listed products", compute="_compute_store_listed_product_count"
    )

    def _compute_store_listed_product_count(self):
        Template = self.env["product.template"]
        for store in self:
            store.store_listed_product_count = Template.search_count(
                [("sale_ok", "=", True), *Template._store_assortment_domain(store)]
            )

    def action_store_listed_products(self):
        """The products this store lists (its assortment)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("store_stock.store_assortment_product_action")
        action["domain"] = self.env["product.template"]._store_assortment_domain(self)
        action["display_name"] = self.env._("Assortment of %s", self.name)
        return action
