from odoo import api, fields, models
from odoo.exceptions import UserError

from .store_scoped_mixin import CHAIN_ROLES


class PosSession(models.Model):
    _name = "pos.session"
    _inherit = ["pos.session", "store.scope.guard"]

    store_id = fields.Many2one(related="config_id.store_id", store=True, index=True)
    checklist_ids = fields.One2many("store.checklist", "session_id", string="Checklists", groups=CHAIN_ROLES)
    handover_id = fields.Many2one("store.shift.handover", compute="_compute_handover", string="Handover Note")
    previous_handover_id = fields.Many2one(
        "store.shift.handover", compute="_compute_handover", string="Handover From Previous Shift"
    )
    previous_handover_summary = fields.Text(
        compute="_compute_handover", help="The previous shift's handover note, as the POS shows it."
    )

    def _compute_handover(self):
        """Who may read a session sees its handover notes: the POS shows the previous shift's note to
        whoever opens the till, a plain POS user without a Store Chain role included (the notes are
        read as superuser, for these sessions only). Sessions of a POS without a store have none."""
        Handover = self.env["store.shift.handover"]
        ids = self.filtered("config_id.store_id").ids  # one search for all sessions; newest first
        handovers = (
            Handover.sudo().search(["|", ("session_id", "in", ids), ("next_session_id", "in", ids)])
            if ids
            else Handover
        )
        own, previous_of = {}, {}
        for handover in handovers:
            own.setdefault(handover.session_id.id, handover)
            if handover.next_session_id:
                previous_of.setdefault(handover.next_session_id.id, handover)
        for session in self:
            session.handover_id = own.get(session.id, Handover).with_env(self.env)
            previous = previous_of.get(session.id, Handover)
            session.previous_handover_id = previous.with_env(self.env)
            session.previous_handover_summary = previous._summary() if previous else False

    @api.model
    def _load_pos_data_fields(self, config):
        return [*super()._load_pos_data_fields(config), "previous_handover_summary"]

    @api.model
    def _load_pos_data_models(self, config):
        # the store of a store's POS: its receipts print the store's name, address and phone
        return [*super()._load_pos_data_models(config), "store.store"]

    @api.model_create_multi
    def create(self, vals_list):
        sessions = super().create(vals_list)
        for session in sessions.filtered("config_id.store_id"):
            previous = (
                self.env["store.shift.handover"]
                .sudo()
                .search(
                    [("config_id", "=", session.config_id.id), ("next_session_id", "=", False)],
                    order="id desc",
                    limit=1,
                )
            )
            previous.next_session_id = session
            self.env["store.checklist"]._generate_for_session(session)
        return sessions

    # ------------------------------------------------------------------ closing gate
    def _closing_checklist_problem(self):
        """Why this session may not close yet (the store requires its closing checklists
        of the day, and the session's own checklists, to be done), or None."""
        self.ensure_one()
        store = self.config_id.store_id
        if not store.require_closing_checklist:
            return None
        Checklist = self.env["store.checklist"].sudo()
        templates = self.env["store.sop.template"].sudo().search([("schedule", "=", "closing")])
        templates = templates.filtered(lambda t: store in t._get_stores())
        day = Checklist._local_today(store)
        Checklist._generate(templates, day=day, stores=store)
        todo = Checklist.search(
            [
                ("store_id", "=", store.id),
                ("state", "!=", "done"),
                "|",
                "&",
                ("template_id", "in", templates.ids),
                ("date", "=", day),
                ("session_id", "=", self.id),
            ]
        )
        if not todo:
            return None
        return self.env._(
            "%(store)s requires its closing checklists before the session closes. Still to do: %(names)s",
            store=store.name,
            names=", ".join(todo.mapped("name")),
        )

    def _cannot_close_session(self, bank_payment_method_diffs=None):
        res = super()._cannot_close_session(bank_payment_method_diffs)
        if res:
            return res
        problem = self._closing_checklist_problem()
        if problem:
            return {"successful": False, "message": problem, "redirect": False}
        return res

    def action_pos_session_closing_control(
        self, balancing_account=False, amount_to_balance=0, bank_payment_method_diffs=None
    ):
        for session in self:
            problem = session._closing_checklist_problem()
            if problem:
                raise UserError(problem)
        return super().action_pos_session_closing_control(
            balancing_account, amount_to_balance, bank_payment_method_diffs
        )

    def action_open_handover(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "store.shift.handover",
            "view_mode": "form",
            "res_id": self.handover_id.id,
            "context": {"default_session_id": self.id},
        }
