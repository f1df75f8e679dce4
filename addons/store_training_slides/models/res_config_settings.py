from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    training_channel_id = fields.Many2one(related="company_id.training_channel_id", readonly=False)
