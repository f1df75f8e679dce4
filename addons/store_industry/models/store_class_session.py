from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

SESSION_STATES = [("scheduled", "Scheduled"), ("done", "Done"), ("cancelled", "Cancelled")]
# The bookings holding a seat of a class.
SEAT_STATES = ("booked", "checked_in", "no_show")


class StoreClassSession(models.Model):
    """A scheduled class (团课/私教课) at a store: what, who coaches it, where, when and how many
    members it takes. Members book it (``store.class.booking``); when it is full they go to its
    waitlist. Written by its own store; HQ reads every store's schedule."""

    _name = "store.class.session"
    _description = "Class Session"
    _inherit = ["store.scoped.mixin", "mail.thread"]
    _order = "start desc, id desc"

    name = fields.Char("Class", required=True, tracking=True)
    company_id = fields.Many2one(related="store_id.company_id", store=True, index=True)
    product_id = fields.Many2one(
        "product.product",
        string="Service",
        domain=[("type", "=", "service")],
        help="The service product of the class (what a class pack would be consumed for).",
    )
    employee_id = fields.Many2one(
        "hr.employee",
        string="Coach",
        index=True,
        domain="[('store_id', 'in', [store_id, False])]",
        tracking=True,
        help="The coach (an employee of the session's store).",
    )
    room = fields.Char()
    start = fields.Datetime(required=True, index=True, tracking=True)
    stop = fields.Datetime("End", required=True, tracking=True)
    capacity = fields.Integer(required=True, default=10, tracking=True)
    state = fields.Selection(SESSION_STATES, required=True, default="scheduled", readonly=True, tracking=True)
    booking_ids = fields.One2many("store.class.booking", "session_id", string="Bookings")
    seats_taken = fields.Integer(compute="_compute_counts", help="Booked and checked-in members.")
    seats_left = fields.Integer(compute="_compute_counts")
    waitlist_count = fields.Integer("Waitlist", compute="_compute_counts")
    checked_in_count = fields.Integer(
        "Checked In",
        compute="_compute_checked_in_count",
        store=True,
        help="Members checked into this class (the coach's attendance figure).",
    )

    _capacity_positive = models.Constraint("CHECK (capacity > 0)", "A class takes at least one member.")
    _stop_after_start = models.Constraint("CHECK (stop > start)", "A class ends after it starts.")

    @api.depends("booking_ids.state", "capacity")
    def _compute_counts(self):
        counts = {
            (session.id, state): count
            for session, state, count in self.env["store.class.booking"]
            .sudo()
            ._read_group([("session_id", "in", self.ids)], ["session_id", "state"], ["__count"])
        }
        for session in self:
            taken = sum(counts.get((session.id, state), 0) for state in SEAT_STATES)
            session.seats_taken = taken
            session.seats_left = max(session.capacity - taken, 0)
            session.waitlist_count = counts.get((session.id, "waitlist"), 0)

    @api.depends("booking_ids.state")
    def _compute_checked_in_count(self):
        for session in self:
            session.checked_in_count = len(session.booking_ids.filtered(lambda b: b.state == "checked_in"))

    @api.constrains("employee_id", "store_id")
    def _check_coach_store(self):
        for session in self.sudo():
            store = session.employee_id.store_id
            if store and store != session.store_id:
                raise ValidationError(
                    self.env._(
                        "%(employee)s works at %(store)s, not at the store of this class.",
                        employee=session.employee_id.name,
                        store=store.name,
                    )
                )

    def _check_state_not_written(self, vals):
        if "state" in vals and not self.env.su:
            raise UserError(self.env._("Use the Done and Cancel buttons to change a class's state."))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_state_not_written(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_state_not_written(vals)
        if "store_id" in vals and any(
            s.booking_ids and s.store_id.id != vals["store_id"] for s in self.sudo()
        ):
            raise UserError(self.env._("A class with bookings stays at its store."))
        res = super().write(vals)
        if "capacity" in vals:
            self._promote_waitlist()  # more seats: the waitlist moves up
        return res

    # ------------------------------------------------------------------ actions
    def action_done(self):
        """The class took place: its members still booked stay booked until marked no-show."""
        self.check_access("write")
        for session in self:
            if session.state != "scheduled":
                raise UserError(self.env._("Only a scheduled class can be marked done."))
        self.sudo().state = "done"

    def action_cancel(self):
        """Cancel the class and every booking of it (nobody is promoted from the waitlist)."""
        self.check_access("write")
        if self.filtered(lambda s: s.state == "done"):
            raise UserError(self.env._("A class that took place cannot be cancelled."))
        open_bookings = self.booking_ids.filtered(lambda b: b.state in ("booked", "waitlist"))
        self.sudo().state = "cancelled"
        open_bookings._set_state("cancelled")
        for session in self:
            session.message_post(body=self.env._("The class was cancelled with its bookings."))
        return True

    def _lock_seats(self):
        """Lock the classes' rows before counting their seats, until the transaction ends. Odoo's
        transactions are REPEATABLE READ: a transaction that waited for the lock would still count
        from its older snapshot, so the lock is a (no-op) UPDATE — the second of two concurrent
        bookings then fails to serialize and the request is retried (as Odoo retries every
        serialization failure), counting the first one's seat."""
        if self.ids:
            self.env.cr.execute(
                "UPDATE store_class_session SET write_date = write_date WHERE id IN %s",
                [tuple(self.ids)],
                log_exceptions=False,  # a serialization failure is retried, not an error
            )
        self.invalidate_recordset()

    def _promote_waitlist(self):
        """Give the seats left of these classes (scheduled, not started) to their waitlisted
        members, first come first served, under the class's row lock."""
        for session in self.sudo():
            session._lock_seats()
            if session.state != "scheduled" or session.start <= fields.Datetime.now():
                continue
            waiting = (
                self.env["store.class.booking"]
                .sudo()
                .search([("session_id", "=", session.id), ("state", "=", "waitlist")], order="id")
            )
            for booking in waiting[: session.seats_left]:
                booking._promote()
