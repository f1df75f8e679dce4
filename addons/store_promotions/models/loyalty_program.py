from odoo import api, fields, models


class LoyaltyProgram(models.Model):
    _inherit = "loyalty.program"

    store_promo_pos = fields.Json(
        "Promotion (POS)",
        compute="_compute_store_promo_pos",
        help="The parameters of the store promotion owning this program, as the POS prices it.",
    )

    def _compute_store_promo_pos(self):
        promos = (
            self.env["store.promotion"]
            .sudo()
            .with_context(active_test=False)
            .search([("program_id", "in", [pid for pid in self.ids if isinstance(pid, int)])])
        )
        by_program = {promo.program_id.id: promo for promo in promos}
        for program in self:
            promo = by_program.get(program.id)
            program.store_promo_pos = promo._store_promo_pos_params() if promo else False

    @api.model
    def _load_pos_data_fields(self, config):
        return [*super()._load_pos_data_fields(config), "store_promo_pos"]

    @api.model
    def _load_pos_data_read(self, records, config):
        """The POS checks weekdays and hours in the store's timezone, as the server does."""
        result = super()._load_pos_data_read(records, config)
        tz = config.store_id._store_tz()
        for row in result:
            if row.get("store_promo_pos"):
                row["store_promo_pos"] = {**row["store_promo_pos"], "tz": tz}
        return result
