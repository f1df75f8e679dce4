from odoo import fields, models
from odoo.exceptions import UserError


class StoreMemberUnmask(models.TransientModel):
    """Shows one member's full mobile to an HQ member admin, with a reason, and logs it."""

    _name = "store.member.unmask"
    _description = "Show a member's full mobile"

    partner_id = fields.Many2one("res.partner", required=True, readonly=True)
    reason = fields.Char(required=True)
    mobile = fields.Char(readonly=True)

    def action_unmask(self):
        self.ensure_one()
        if not self.env.user.has_group("store_membership.group_member_admin"):
            raise UserError(self.env._("Only HQ member admins can see full mobile numbers."))
        if not (self.reason or "").strip():
            raise UserError(self.env._("Reason: say why the full number is needed."))
        Log = self.env["store.member.unmask.log"].sudo()
        today = fields.Datetime.to_datetime(fields.Date.context_today(self))
        used = Log.search_count(
            [("user_id", "=", self.env.uid), ("kind", "=", "unmask"), ("create_date", ">=", today)]
        )
        limit = self.env.company.store_member_unmask_daily_limit
        if limit and used >= limit:
            raise UserError(self.env._("Daily limit of %s full numbers reached.", limit))
        Log.create({"kind": "unmask", "partner_id": self.partner_id.id, "reason": self.reason.strip()})
        self.mobile = self.partner_id.member_mobile
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }
