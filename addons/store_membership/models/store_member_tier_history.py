from odoo import fields, models


class StoreMemberTierHistory(models.Model):
    _name = "store.member.tier.history"
    _description = "Member tier change"
    _order = "id desc"

    partner_id = fields.Many2one("res.partner", "Member", required=True, index=True, ondelete="cascade")
    old_tier_id = fields.Many2one("store.member.tier", "From", readonly=True)
    new_tier_id = fields.Many2one("store.member.tier", "To", readonly=True)
    direction = fields.Selection([("up", "Upgrade"), ("down", "Downgrade")], readonly=True)
    spend = fields.Float("Rolling spend", readonly=True)
    points = fields.Float("Rolling points", readonly=True)
    user_id = fields.Many2one("res.users", readonly=True, default=lambda self: self.env.uid)
