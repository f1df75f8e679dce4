from odoo import fields, models
from odoo.exceptions import AccessError


class StoreMemberUnmaskLog(models.Model):
    """Who saw a member's full mobile or exported member data, when, and why (PIPL)."""

    _name = "store.member.unmask.log"
    _description = "Member data access log"
    _order = "id desc"

    kind = fields.Selection(
        [
            ("unmask", "Full mobile shown"),
            ("export", "Export"),
            ("lookup", "Lookup"),
            ("alert", "Too many lookups"),
        ],
        required=True,
        readonly=True,
        index=True,
    )
    partner_id = fields.Many2one("res.partner", "Member", readonly=True, index=True, ondelete="set null")
    member_count = fields.Integer("Members", readonly=True, default=1)
    user_id = fields.Many2one(
        "res.users", required=True, readonly=True, index=True, default=lambda self: self.env.uid
    )
    reason = fields.Char(readonly=True)
    create_date = fields.Datetime("When", readonly=True)

    def write(self, vals):
        if vals:
            raise AccessError(self.env._("The member data access log cannot be changed."))
        return super().write(vals)
