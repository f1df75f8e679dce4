from odoo import fields, models


class PosSession(models.Model):
    _inherit = "pos.session"

    store_id = fields.Many2one(related="config_id.store_id", string="Store", store=True, index=True)
