from odoo import api, fields, models


class PosPaymentMethod(models.Model):
    _inherit = "pos.payment.method"

    store_is_stored_value = fields.Boolean(
        "Stored value payment",
        help="Payments with this method are taken from the member's stored value by the server.",
    )

    @api.model
    def _load_pos_data_fields(self, config):
        return [*super()._load_pos_data_fields(config), "store_is_stored_value"]
