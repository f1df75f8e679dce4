from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.store_pos_ext.models.server_guard import is_server_write, server_write

BOOKING_STATES = [
    ("booked", "Booked"),
    ("waitlist", "Waitlist"),
    ("checked_in", "Checked In"),
    ("no_show", "No-Show"),
    ("cancelled", "Cancelled"),
]
# Decided by the server (create, check-in, no-show, cancel): never written by a user.
SERVER_FIELDS = {"state", "checked_in_by_id", "checked_in_at"}
# A booking stays with its member and class: book again instead.
FIXED_FIELDS = {"session_id", "partner_id", "store_id"}


class StoreClassBooking(models.Model):
    """A member's seat in a class (课程预约). Booked while the class has seats, else on its
    waitlist; cancelling a booked seat gives it to the first member of the waitlist. Check-in and
    no-show are recorded by the staff of the class's store. Nothing here consumes a class pack:
    that waits for session cards (issue #10)."""

    _name = "store.class.booking"
    _description = "Class Booking"
    _inherit = ["store.scoped.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "session_start desc, id"
    _rec_names_search = ["partner_id", "session_id"]

    session_id = fields.Many2one(
        "store.class.session",
        string="Class",
        required=True,
        index=True,
        ondelete="restrict",
        domain=[("state", "=", "scheduled")],
    )
    company_id = fields.Many2one(related="store_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Member",
        required=True,
        index=True,
        ondelete="restrict",
        domain=[("is_member", "=", True)],
    )
    # the member's phone as the user may read it (masked for store staff, store_membership)
    partner_phone = fields.Char(related="partner_id.phone", string="Phone", compute_sudo=False)
    state = fields.Selection(BOOKING_STATES, required=True, default="booked", readonly=True, tracking=True)
    # copies of the class, for grouping bookings by coach and month
    employee_id = fields.Many2one(related="session_id.employee_id", string="Coach", store=True, index=True)
    session_start = fields.Datetime(related="session_id.start", string="Class Start", store=True, index=True)
    checked_in_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    checked_in_at = fields.Datetime(readonly=True, copy=False)
    no_show_policy = fields.Selection(related="company_id.store_class_no_show_policy")

    # one open booking of a member per class, also when two requests book at once
    _member_session_unique = models.UniqueIndex(
        "(session_id, partner_id) WHERE state != 'cancelled'",
        "This member already has a booking in this class.",
    )

    @api.depends("partner_id", "session_id")
    def _compute_display_name(self):
        for booking in self:
            booking.display_name = " · ".join(
                filter(None, [booking.partner_id.name, booking.session_id.name])
            )

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        """Book each member into their class, with the state decided here: booked while the class
        has a seat left, else waitlisted. The class's row is locked (``_lock_seats``) before its seats
        are counted, so two tills booking its last seat at once are counted one after the other."""
        if not is_server_write() and any(SERVER_FIELDS & vals.keys() for vals in vals_list):
            raise AccessError(self.env._("A booking's state is set by booking, check-in and cancel only."))
        Session = self.env["store.class.session"]
        new_vals_list = []
        for vals in vals_list:
            session = Session.browse(vals.get("session_id")).exists()
            if not session:
                raise ValidationError(self.env._("Choose the class to book."))
            session.check_access("read")  # another store's class is refused to a store user
            session = session.sudo()
            session._lock_seats()
            if session.state != "scheduled":
                raise ValidationError(self.env._("%s is not open for booking.", session.name))
            if session.start <= fields.Datetime.now():
                raise ValidationError(self.env._("%s has already started.", session.name))
            partner = self.env["res.partner"].browse(vals.get("partner_id")).exists()
            if not partner.sudo().is_member:
                raise ValidationError(self.env._("Only members can book a class."))
            booked = self.sudo().search_fetch(
                [("session_id", "=", session.id), ("state", "!=", "cancelled")], ["partner_id", "state"]
            )
            if partner in booked.partner_id or any(
                other["session_id"] == session.id and other.get("partner_id") == partner.id
                for other in new_vals_list
            ):
                raise ValidationError(
                    self.env._(
                        "%(member)s is already booked in %(session)s.",
                        member=partner.name,
                        session=session.name,
                    )
                )
            taken = len(booked.filtered(lambda b: b.state in ("booked", "checked_in", "no_show")))
            # rows of this very call count too (two members booking the last seat in one request)
            taken += sum(
                1
                for other in new_vals_list
                if other["session_id"] == session.id and other["state"] == "booked"
            )
            new_vals_list.append(
                {
                    **vals,
                    "store_id": session.store_id.id,
                    "state": "booked" if taken < session.capacity else "waitlist",
                }
            )
        with server_write():
            return super().create(new_vals_list)

    def write(self, vals):
        if not is_server_write() and SERVER_FIELDS & vals.keys():
            raise AccessError(self.env._("A booking's state is set by booking, check-in and cancel only."))
        # whoever writes (also inside server_write), a booking stays with its member and class
        if not self.env.su and any(
            booking[name].id != (vals[name] or False)
            for name in FIXED_FIELDS & vals.keys()
            for booking in self
        ):
            raise UserError(self.env._("A booking keeps its member and class: cancel it and book again."))
        return super().write(vals)

    # ------------------------------------------------------------------ actions
    def _set_state(self, state, **extra):
        with server_write():
            self.write({"state": state, **extra})

    def _check_session_open(self, states):
        self.check_access("write")  # the staff of the class's store only
        for booking in self:
            if booking.state not in states:
                raise UserError(
                    self.env._(
                        "%(booking)s is %(state)s.",
                        booking=booking.display_name,
                        state=dict(self._fields["state"]._description_selection(self.env))[booking.state],
                    )
                )
            if booking.session_id.state == "cancelled":
                raise UserError(self.env._("%s was cancelled.", booking.session_id.name))

    def action_check_in(self):
        """The member came: checked in by the current user (of the class's store), now."""
        self._check_session_open(("booked",))
        self._set_state("checked_in", checked_in_by_id=self.env.uid, checked_in_at=fields.Datetime.now())
        return True

    def action_no_show(self):
        """The member did not come. The company's no-show policy is shown; nothing is consumed."""
        self._check_session_open(("booked",))
        if any(booking.session_id.start > fields.Datetime.now() for booking in self):
            raise UserError(self.env._("A member can be marked no-show once the class has started."))
        self._set_state("no_show")
        return True

    def action_cancel(self):
        """Cancel the bookings; each booked seat freed goes to the first member of the class's
        waitlist (a note on their booking and a to-do for the store manager to tell them)."""
        self._check_session_open(("booked", "waitlist"))
        freed = self.filtered(lambda b: b.state == "booked")
        self._set_state("cancelled")
        freed.session_id._promote_waitlist()
        return True

    def _promote(self):
        """Give the waitlisted member the seat freed in their class."""
        self.ensure_one()
        self.sudo()._set_state("booked")
        session = self.session_id.sudo()
        self.sudo().message_post(
            body=self.env._(
                "A seat was freed in %(session)s: %(member)s moved from the waitlist to booked.",
                member=self.partner_id.name,
                session=session.name,
            )
        )
        user = session.store_id.manager_id
        if user:
            lang_env = self.with_context(lang=user._store_lang()).env
            self.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=user.id,
                summary=lang_env._(
                    "Tell %(member)s: a seat is free in %(session)s",
                    member=self.partner_id.name,
                    session=session.name,
                ),
            )
