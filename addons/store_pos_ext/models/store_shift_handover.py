from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError


class StoreShiftHandover(models.Model):
    """交班记录: what a closing shift hands to the next one (cash count, open issues, carried items)."""

    _name = "store.shift.handover"
    _description = "Shift Handover"
    _inherit = ["store.scoped.mixin", "mail.thread"]
    _order = "create_date desc, id desc"
    _rec_name = "session_id"

    session_id = fields.Many2one("pos.session", string="Closing Session", required=True, index=True)
    config_id = fields.Many2one(related="session_id.config_id", store=True, index=True)
    next_session_id = fields.Many2one("pos.session", readonly=True, index=True)
    user_id = fields.Many2one("res.users", string="Handed Over By", default=lambda self: self.env.user)
    currency_id = fields.Many2one(related="session_id.currency_id")
    # The session's cash balance when the cash was counted: a snapshot. Tied to the session's
    # running balance, every later sale of the session would recompute the note's difference (and
    # search the notes of the session on every order synced).
    cash_expected = fields.Monetary(
        "Expected Cash", compute="_compute_cash_expected", store=True, readonly=True
    )
    cash_counted = fields.Monetary(string="Counted Cash", tracking=True)
    cash_difference = fields.Monetary(compute="_compute_cash_difference", store=True)
    open_issues = fields.Text(help="Problems the next shift must know about.")
    carried_items = fields.Text(string="Carried Over", help="Tasks and goods carried to the next shift.")
    note = fields.Text()
    acknowledged_by_id = fields.Many2one("res.users", readonly=True)
    acknowledged_datetime = fields.Datetime(string="Acknowledged On", readonly=True)

    _session_uniq = models.UniqueIndex("(session_id)", "A session has one handover note.")

    @api.depends("session_id", "cash_counted")
    def _compute_cash_expected(self):
        for handover in self:
            handover.cash_expected = handover.session_id.sudo().cash_register_balance_end

    @api.depends("cash_counted", "cash_expected")
    def _compute_cash_difference(self):
        for handover in self:
            handover.cash_difference = handover.cash_counted - handover.cash_expected

    @api.model
    def _default_store_id(self):
        session = self.env["pos.session"].browse(self.env.context.get("default_session_id"))
        return session.config_id.store_id or super()._default_store_id()

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_system_fields(vals.keys() - {"session_id", "store_id"})
            if vals.get("session_id"):
                # The note belongs to the session's store (whatever store the caller names): the
                # record rules then keep a user to the sessions of their own stores.
                store = self.env["pos.session"].sudo().browse(vals["session_id"]).config_id.store_id
                vals["store_id"] = store.id
        return super().create(vals_list)

    @api.constrains("session_id", "store_id")
    def _check_session_store(self):
        for handover in self:
            if handover.session_id.sudo().config_id.store_id != handover.store_id:
                raise ValidationError(self.env._("A handover note belongs to the store of its session."))

    def _check_system_fields(self, fnames):
        # Computed from the session when the cash is counted: a value written would be stored,
        # hiding a shortfall. Nobody writes them.
        derived = {"cash_expected", "cash_difference", "currency_id"}
        if derived & set(fnames) and not self.env.su:
            raise AccessError(
                self.env._("The expected cash and the difference are computed from the session.")
            )
        protected = {
            "session_id",
            # Its session's POS: written through, it would move the session to another POS.
            "config_id",
            "store_id",
            "next_session_id",
            "acknowledged_by_id",
            "acknowledged_datetime",
        }
        if (
            protected & set(fnames)
            and not self.env.su
            and not self.env.user.has_group("store_pos_ext.group_hq_admin")
        ):
            raise AccessError(self.env._("This part of a handover note is set by the system."))

    def write(self, vals):
        self._check_system_fields(vals.keys())
        return super().write(vals)

    def _summary(self):
        """Plain text for the next shift's cashier."""
        self.ensure_one()
        parts = [
            self.env._(
                "%(user)s, %(date)s — counted cash %(cash)s",
                user=self.user_id.name,
                date=fields.Datetime.to_string(fields.Datetime.context_timestamp(self, self.create_date))[
                    :16
                ],
                cash=self.currency_id.format(self.cash_counted) if self.currency_id else self.cash_counted,
            )
        ]
        if self.open_issues:
            parts.append(self.env._("Open issues: %s", self.open_issues))
        if self.carried_items:
            parts.append(self.env._("Carried over: %s", self.carried_items))
        if self.note:
            parts.append(self.note)
        return "\n".join(parts)

    def action_acknowledge(self):
        self.check_access("write")
        self.sudo().write(
            {"acknowledged_by_id": self.env.uid, "acknowledged_datetime": fields.Datetime.now()}
        )
        return True
