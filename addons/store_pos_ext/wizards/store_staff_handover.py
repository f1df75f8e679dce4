from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError


class StoreStaffHandover(models.TransientModel):
    """Hands over what a leaving employee (离职交接) looks after to a colleague of the same store:
    their open SOP checklists and open activities here, the members they serve in store_membership
    (``_store_handover_*`` hooks). Store managers hand over the staff of their stores, HQ admins
    anyone's. Nothing of the past is rewritten (who registered a member, who filled an item); the
    handover is logged on the employee and on every record it moves."""

    _name = "store.staff.handover"
    _description = "Staff Handover"

    employee_id = fields.Many2one(
        "hr.employee",
        "Leaving employee",
        required=True,
        context={"active_test": False},
        ondelete="cascade",
    )
    store_id = fields.Many2one("store.store", compute="_compute_store_id")
    colleague_id = fields.Many2one(
        "hr.employee",
        "Hand over to",
        required=True,
        ondelete="cascade",
        domain="[('store_id', '=', store_id), ('id', '!=', employee_id)]",
        help="An active colleague of the same store.",
    )
    note = fields.Text(help="Added to the handover log.")
    checklist_count = fields.Integer("Open checklists", compute="_compute_counts")
    activity_count = fields.Integer("Open activities", compute="_compute_counts")

    @api.depends("employee_id")
    def _compute_store_id(self):
        for wizard in self:
            wizard.store_id = wizard.employee_id.sudo().store_id

    @api.depends("employee_id")
    def _compute_counts(self):
        for wizard in self:
            wizard.checklist_count = len(wizard._store_handover_checklists())
            wizard.activity_count = len(wizard._store_handover_activities())

    @api.model
    def _action_open(self, employee):
        employee.ensure_one()
        self._store_check_can_hand_over(employee)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Hand over to a colleague"),
            "res_model": self._name,
            "view_mode": "form",
            "target": "new",
            "context": {"default_employee_id": employee.id},
        }

    @api.model
    def _store_check_can_hand_over(self, employee):
        user = self.env.user
        if self.env.su or user.has_group("store_pos_ext.group_hq_admin"):
            return
        store = employee.sudo().store_id
        if not (user.has_group("store_pos_ext.group_store_manager") and store in user.allowed_store_ids):
            raise AccessError(
                self.env._(
                    "Only the manager of %(employee)s's store or HQ can hand over their work.",
                    employee=employee.sudo().name,
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        wizards = super().create(vals_list)
        for wizard in wizards:
            self._store_check_can_hand_over(wizard.employee_id)
        return wizards

    # ------------------------------------------------------------------ what moves
    def _leaving_user(self):
        return self.employee_id.sudo().with_context(active_test=False).user_id

    def _store_handover_checklists(self):
        """Open checklists of the employee's store that they were working on: their POS session's
        checklists and the ones they filled items of."""
        user = self._leaving_user()
        if not user:
            return self.env["store.checklist"]
        return (
            self.env["store.checklist"]
            .sudo()
            .search(
                [
                    ("state", "=", "open"),
                    ("store_id", "=", self.store_id.id),
                    "|",
                    ("session_id.user_id", "=", user.id),
                    ("line_ids.filled_by_id", "=", user.id),
                ]
            )
        )

    def _store_handover_activities(self):
        user = self._leaving_user()
        if not user:
            return self.env["mail.activity"]
        return self.env["mail.activity"].sudo().search([("user_id", "=", user.id)])

    def _store_handover_summary(self):
        """(label, count) lines of the handover log; hooks add theirs."""
        return [
            (self.env._("Open checklists"), self.checklist_count),
            (self.env._("Open activities"), self.activity_count),
        ]

    # ------------------------------------------------------------------ handover
    def _store_check_colleague(self):
        employee, colleague = self.employee_id.sudo(), self.colleague_id.sudo()
        if not employee.store_id:
            raise ValidationError(self.env._("%(employee)s belongs to no store.", employee=employee.name))
        if colleague == employee or colleague.store_id != employee.store_id or not colleague.active:
            raise ValidationError(
                self.env._(
                    "Hand over to: choose an active colleague of %(store)s.", store=employee.store_id.name
                )
            )

    def action_confirm(self):
        self.ensure_one()
        self._store_check_can_hand_over(self.employee_id)
        self._store_check_colleague()
        employee, colleague = self.employee_id.sudo(), self.colleague_id.sudo()
        # Counted before anything moves: the log says what was handed over.
        self._compute_counts()
        # Logged in the company's language, whoever hands over.
        env = self.with_context(lang=employee.company_id._store_lang()).env
        summary = self.with_env(env)._store_handover_summary()
        checklists, activities = self._store_handover_checklists(), self._store_handover_activities()
        if (checklists or activities) and not colleague.user_id:
            raise UserError(
                self.env._(
                    "Hand over to: %(colleague)s has no user to receive the open checklists and "
                    "activities of %(employee)s.",
                    colleague=colleague.name,
                    employee=employee.name,
                )
            )
        self._store_handover_move(employee, colleague, checklists, activities)
        lines = [
            env._(
                "Work handed over to %(colleague)s by %(user)s.",
                colleague=colleague.name,
                user=self.env.user.name,
            ),
            *(f"{label}: {count}" for label, count in summary),
        ]
        if self.note:
            lines.append(self.note)
        employee.message_post(
            body=Markup("<br/>").join(lines), message_type="comment", subtype_xmlid="mail.mt_note"
        )
        return {"type": "ir.actions.act_window_close"}

    def _store_handover_move(self, employee, colleague, checklists, activities):
        """Move what the employee looks after; store_membership adds the members."""
        user = colleague.user_id
        if activities:
            activities.write({"user_id": user.id})
        # The colleague's to-do in their language; the checklists' log in the company's.
        user_env = self.with_context(lang=user._store_lang()).env if user else self.env
        company_env = self.with_context(lang=employee.company_id._store_lang()).env
        for checklist in checklists:
            checklist.message_subscribe(partner_ids=user.partner_id.ids)
            if not checklist.activity_ids.filtered(lambda a, u=user: a.user_id == u):
                checklist.activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=user.id,
                    summary=user_env._("Handed over by %(employee)s", employee=employee.name),
                )
            checklist._message_log(
                body=company_env._(
                    "Handed over from %(employee)s to %(colleague)s.",
                    employee=employee.name,
                    colleague=colleague.name,
                )
            )
