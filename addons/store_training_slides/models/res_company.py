from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    training_channel_id = fields.Many2one(
        "slide.channel",
        string="Training Course",
        help="eLearning course that employees with a training alert are enrolled in.",
    )
