from odoo import api, fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    store_points_program_id = fields.Many2one(related="company_id.store_points_program_id", readonly=False)
    store_sv_program_id = fields.Many2one(related="company_id.store_sv_program_id", readonly=False)
    store_sv_product_id = fields.Many2one(related="company_id.store_sv_product_id")
    store_birthday_program_id = fields.Many2one(
        related="company_id.store_birthday_program_id", readonly=False
    )
    store_member_unmask_daily_limit = fields.Integer(
        related="company_id.store_member_unmask_daily_limit", readonly=False
    )
    store_member_lookup_hourly_limit = fields.Integer(
        related="company_id.store_member_lookup_hourly_limit", readonly=False
    )

    @api.model
    def _store_chain_settings_fields(self):
        return super()._store_chain_settings_fields() | {
            "store_points_program_id",
            "store_sv_program_id",
            "store_sv_product_id",
            "store_birthday_program_id",
            "store_member_unmask_daily_limit",
            "store_member_lookup_hourly_limit",
        }
