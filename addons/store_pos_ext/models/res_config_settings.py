from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    score_weight_sales = fields.Float(related="company_id.score_weight_sales", readonly=False)
    score_weight_orders = fields.Float(related="company_id.score_weight_orders", readonly=False)
    score_weight_signups = fields.Float(related="company_id.score_weight_signups", readonly=False)
    score_weight_checklist = fields.Float(related="company_id.score_weight_checklist", readonly=False)
    score_weight_ontime = fields.Float(related="company_id.score_weight_ontime", readonly=False)
    score_weight_photos = fields.Float(related="company_id.score_weight_photos", readonly=False)
    training_bottom_percent = fields.Float(related="company_id.training_bottom_percent", readonly=False)
    training_months = fields.Integer(related="company_id.training_months", readonly=False)
    training_scope = fields.Selection(related="company_id.training_scope", readonly=False)
