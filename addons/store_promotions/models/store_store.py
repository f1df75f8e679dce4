from odoo import api, models


class StoreStore(models.Model):
    _inherit = "store.store"

    @api.model_create_multi
    def create(self, vals_list):
        stores = super().create(vals_list)
        self._store_refresh_promotions()
        return stores

    def write(self, vals):
        res = super().write(vals)
        if {"region_id", "company_id", "pos_config_ids", "active"} & set(vals):
            self._store_refresh_promotions()
        return res

    @api.model
    def _store_refresh_promotions(self):
        """Chain and region promotions cover stores opened (or moved) after they were made."""
        Promotion = self.env["store.promotion"].sudo().with_context(active_test=False)
        promotions = Promotion.search([("scope", "in", ("chain", "region"))])
        if promotions:
            # Recomputing the stores marks what depends on them (the rule) as well.
            self.env.add_to_compute(Promotion._fields["scope_store_ids"], promotions)
            promotions.flush_recordset(["scope_store_ids", "rule"])
            promotions._sync_program()
