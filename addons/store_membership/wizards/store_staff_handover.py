from odoo import api, fields, models


class StoreStaffHandover(models.TransientModel):
    """The staff handover also gives the members a leaving employee serves (导购) to the colleague,
    and core's Salesperson of those members when it was the leaving employee's user. Who registered
    a member, their ledger and tiers are history and stay as they are."""

    _inherit = "store.staff.handover"

    member_count = fields.Integer("Members served", compute="_compute_member_count")

    @api.depends("employee_id")
    def _compute_member_count(self):
        for wizard in self:
            wizard.member_count = len(wizard._store_handover_members())

    def _store_handover_members(self):
        Partner = self.env["res.partner"].sudo().with_context(active_test=False)
        if not self.employee_id:
            return Partner
        domain = [("member_staff_id", "=", self.employee_id.id)]
        user = self._leaving_user()
        if user:
            domain = ["|", *domain, ("user_id", "=", user.id)]
        return Partner.search([("is_member", "=", True), *domain])

    def _store_handover_summary(self):
        return [(self.env._("Members served"), self.member_count), *super()._store_handover_summary()]

    def _store_handover_move(self, employee, colleague, checklists, activities):
        members = self._store_handover_members()
        res = super()._store_handover_move(employee, colleague, checklists, activities)
        if members:
            served = members.filtered(lambda p: p.member_staff_id == employee)
            served.write({"member_staff_id": colleague.id})
            user = self._leaving_user()
            salesperson = members.filtered(lambda p: user and p.user_id == user)
            if salesperson:
                salesperson.write({"user_id": colleague.user_id.id})
            body = self.with_context(lang=employee.company_id._store_lang()).env._(
                "Member handed over from %(employee)s to %(colleague)s (staff handover).",
                employee=employee.name,
                colleague=colleague.name,
            )
            members._message_log_batch(dict.fromkeys(members.ids, body))
        return res
