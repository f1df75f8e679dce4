from odoo import models


class PosConfig(models.Model):
    _inherit = "pos.config"

    def _get_program_ids(self):
        """The chain stored value is paid with a stored-value payment method and topped up with the
        top-up product; core's eWallet buttons and rewards must not offer it as well."""
        return super()._get_program_ids().filtered(lambda p: p.store_chain_role != "stored_value")
