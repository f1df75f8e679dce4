from odoo import fields, models


class StoreStore(models.Model):
    _inherit = "store.store"

    store_listed_product_count = fields.Integer(
        "Listed products", compute="_compute_store_listed_product_count"
    )
    store_alert_count = fields.Integer("Open stock alerts", compute="_compute_store_alert_count")
    store_transfer_suggestion_count = fields.Integer(
        "Transfer suggestions",
        compute="_compute_store_transfer_suggestion_count",
        help="Suggested transfers to or from this store, not yet created.",
    )

    def _compute_store_listed_product_count(self):
        Template = self.env["product.template"]
        for store in self:
            store.store_listed_product_count = Template.search_count(
                [("sale_ok", "=", True), *Template._store_assortment_domain(store)]
            )

    def _compute_store_alert_count(self):
        counts = dict(
            self.env["store.stock.alert"]._read_group(
                [("store_id", "in", self.ids), ("state", "=", "open")], ["store_id"], ["__count"]
            )
        )
        for store in self:
            store.store_alert_count = counts.get(store, 0)

    def _store_transfer_suggestion_domain(self):
        return [
            "|",
            ("store_id", "in", self.ids),
            ("source_store_id", "in", self.ids),
            ("state", "=", "new"),
        ]

    def _compute_store_transfer_suggestion_count(self):
        Suggestion = self.env["store.stock.transfer.suggestion"]
        for store in self:
            store.store_transfer_suggestion_count = Suggestion.search_count(
                store._store_transfer_suggestion_domain()
            )

    def action_store_listed_products(self):
        """The products this store lists (its assortment)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("store_stock.store_assortment_product_action")
        action["domain"] = self.env["product.template"]._store_assortment_domain(self)
        action["display_name"] = self.env._("Assortment of %s", self.name)
        return action

    def action_view_store_alerts(self):
        """The open stock alerts of this store (the store page's button)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("store_stock.store_stock_alert_action_today")
        action["domain"] = [("store_id", "=", self.id)]
        return action

    def action_view_store_transfer_suggestions(self):
        """The suggested transfers to or from this store (the store page's button)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "store_stock.store_stock_transfer_suggestion_action"
        )
        action["domain"] = ["|", ("store_id", "=", self.id), ("source_store_id", "=", self.id)]
        return action
