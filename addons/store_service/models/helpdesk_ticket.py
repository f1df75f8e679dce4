from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import html2plaintext, plaintext2html

# What the till may send with a help request.
HELP_TEXT_MAX = 2000
# How many of its store's help requests the till lists, newest first.
HELP_LIST_LIMIT = 20
# Written by the server (the POS entry point, the handling time) or by HQ only (which store handles
# a ticket): a store-confined user's create or write of them is refused.
HQ_ONLY_FIELDS = {"handling_store_id", "pos_session_id"}
# A till's session takes help requests from its opening until it is closed.
OPEN_SESSION_STATES = ("opening_control", "opened")


class HelpdeskTicket(models.Model):
    _inherit = ["helpdesk.ticket", "store.scope.guard"]
    _name = "helpdesk.ticket"

    store_kind = fields.Selection(
        [("complaint", "Complaint"), ("help", "Store help request")],
        string="Kind",
        index=True,
        help="A customer's complaint (客诉), or a store's help request to HQ's service team (一键求助). "
        "Empty for other helpdesk tickets (e-mail, portal), which keep helpdesk_mgmt's behaviour.",
    )
    store_id = fields.Many2one(
        "store.store",
        index=True,
        tracking=True,
        ondelete="restrict",
        default=lambda self: self.env.user.store_id,
        help="The store the complaint is about (where the member bought), or that asked for help.",
    )
    region_id = fields.Many2one("store.region", related="store_id.region_id", store=True, index=True)
    handling_store_id = fields.Many2one(
        "store.store",
        string="Handled by store",
        index="btree_not_null",
        tracking=True,
        ondelete="restrict",
        help="The store HQ gives the ticket to (e.g. the member's nearest store, for an exchange): "
        "its staff see and handle it. Set by HQ.",
    )
    pos_order_id = fields.Many2one(
        "pos.order", string="POS Order", index="btree_not_null", ondelete="set null", tracking=True
    )
    pos_order_line_ids = fields.Many2many(
        "pos.order.line",
        "helpdesk_ticket_pos_order_line_rel",
        "ticket_id",
        "line_id",
        string="Products concerned",
        domain="[('order_id', '=', pos_order_id)]",
    )
    pos_order_summary = fields.Char(
        string="Order concerned",
        compute="_compute_pos_order_summary",
        help="The order and the products concerned, as the staff of every store handling the ticket "
        "see them (another store's orders are not theirs to open).",
    )
    store_can_read_order = fields.Boolean(compute="_compute_pos_order_summary")
    pos_session_id = fields.Many2one(
        "pos.session",
        string="POS Session",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        help="The till's session a help request was sent from.",
    )
    photo_ids = fields.One2many("helpdesk.ticket.photo", "ticket_id", string="Photos")
    photo_count = fields.Integer(compute="_compute_photo_count")
    is_member = fields.Boolean(related="partner_id.is_member", string="Is a member")
    store_resolution = fields.Text(
        string="Resolution",
        tracking=True,
        help="How the ticket was resolved, told to the member in the closing notice. Required to close it.",
    )
    store_handler = fields.Char(
        string="Handled by",
        compute="_compute_store_handler",
        help="Who handles the ticket, as the member's notices say it.",
    )
    store_can_assign = fields.Boolean(
        compute="_compute_store_can_assign", help="The user may say which store handles the ticket (HQ)."
    )
    store_notice_next = fields.Char(
        string="Next step (notice)",
        compute="_compute_store_notice_next",
        help="What the progress notice says comes next: when the ticket is expected to be resolved, "
        "or how it was.",
    )
    handling_hours = fields.Float(
        string="Handling time (hours)",
        compute="_compute_handling_hours",
        store=True,
        aggregator="avg",
        help="Hours from the ticket's creation to its closing (投诉处理时长); empty while open.",
    )

    # ------------------------------------------------------------------ computes
    def _compute_photo_count(self):
        for ticket in self:
            ticket.photo_count = len(ticket.photo_ids)

    @api.depends("user_id", "handling_store_id", "team_id", "store_id")
    def _compute_store_handler(self):
        for ticket in self:
            sudo = ticket.sudo()
            ticket.store_handler = (
                sudo.user_id.name
                or sudo.handling_store_id.name
                or sudo.team_id.name
                or sudo.store_id.name
                or ""
            )

    @api.depends("pos_order_id", "pos_order_line_ids")
    @api.depends_context("uid")
    def _compute_pos_order_summary(self):
        for ticket in self:
            order = ticket.sudo().pos_order_id
            lines = ticket.sudo().pos_order_line_ids or order.lines
            ticket.store_can_read_order = bool(order) and ticket.pos_order_id.has_access("read")
            products = ", ".join(f"{line.product_id.display_name} × {line.qty:g}" for line in lines[:10])
            ticket.pos_order_summary = f"{order.name}: {products}" if order else ""

    @api.depends_context("uid")
    def _compute_store_can_assign(self):
        can = self.env.su or not self._store_confined_user()
        for ticket in self:
            ticket.store_can_assign = can

    @api.depends(
        "stage_id",
        "store_resolution",
        "ticket_sla_ids.deadline",
        "partner_id.tz",
        "store_id.tz",
        "rating_ids.access_token",
        "rating_ids.consumed",
    )
    @api.depends_context("lang")
    def _compute_store_notice_next(self):
        for ticket in self:
            if ticket.closed:
                parts = []
                if ticket.store_resolution:
                    parts.append(self.env._("Resolution: %s", ticket.store_resolution))
                url = ticket._store_rating_url()
                if url:
                    parts.append(self.env._("Rate our service: %s", url))
                ticket.store_notice_next = " ".join(parts)
            elif ticket.sla_deadline:
                tz = ticket.partner_id.tz or ticket.store_id.tz or "Asia/Shanghai"
                local = fields.Datetime.context_timestamp(ticket.with_context(tz=tz), ticket.sla_deadline)
                ticket.store_notice_next = self.env._(
                    "Expected to be resolved by %s.", local.strftime("%Y-%m-%d %H:%M")
                )
            else:
                ticket.store_notice_next = ""

    @api.depends("create_date", "closed_date")
    def _compute_handling_hours(self):
        for ticket in self:
            if ticket.closed_date and ticket.create_date:
                ticket.handling_hours = (
                    max((ticket.closed_date - ticket.create_date).total_seconds(), 0) / 3600
                )
            else:
                ticket.handling_hours = 0.0

    # ------------------------------------------------------------------ CRUD
    @api.model
    def default_get(self, fields):
        # helpdesk_mgmt assigns a new ticket to whoever creates it: a cashier recording a complaint
        # is not its handler (HQ's service team or the store HQ gives it to is).
        defaults = super().default_get(fields)
        if not self.env.su and self._store_confined_user() and defaults.get("user_id") == self.env.uid:
            del defaults["user_id"]
        return defaults

    @api.model_create_multi
    def create(self, vals_list):
        confined = not self.env.su and self._store_confined_user()
        for vals in vals_list:
            if confined:
                self._check_hq_only_fields(vals)
            self._store_prefill(vals)
        tickets = super().create(vals_list)
        tickets._check_store_links()
        tickets._notify_member_progress()
        return tickets

    def write(self, vals):
        if not self.env.su and self._store_confined_user():
            self._check_hq_only_fields(vals)
        if vals.get("stage_id"):
            stage = self.env["helpdesk.ticket.stage"].browse(vals["stage_id"])
            if stage.closed and not vals.get("store_resolution"):
                missing = self.filtered(lambda t: t.store_kind == "complaint" and not t.store_resolution)
                if missing:
                    raise UserError(
                        self.env._(
                            "Write the resolution of %s before closing it: the member is told it.",
                            ", ".join(missing.mapped("number")),
                        )
                    )
        if vals.get("partner_id") and self.env["res.partner"].sudo().browse(vals["partner_id"]).is_member:
            vals = dict(vals, partner_email=False)
        stage_before = {ticket.id: ticket.stage_id for ticket in self}
        res = super().write(vals)
        if {"pos_order_id", "pos_order_line_ids"} & vals.keys():
            self._check_store_links()
        if "stage_id" in vals:
            self.filtered(lambda t: t.stage_id != stage_before.get(t.id))._notify_member_progress()
        return res

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        # helpdesk_mgmt copies the contact's e-mail into the form: not a member's (store staff
        # never receive it).
        res = super()._onchange_partner_id()
        if self.partner_id.is_member:
            self.partner_email = False
        return res

    @api.model
    def _check_hq_only_fields(self, vals):
        """A store user may not say which store handles a ticket (it would show it to that store's
        staff) nor name the till's session (the POS entry point sets it)."""
        names = HQ_ONLY_FIELDS & {name for name, value in vals.items() if value}
        if names:
            raise AccessError(
                self.env._(
                    "Only HQ can set %s on a ticket.",
                    ", ".join(
                        sorted(self._fields[name].get_description(self.env)["string"] for name in names)
                    ),
                )
            )

    @api.model
    def _store_prefill(self, vals):
        """From the order concerned: its customer (not for a store's help request) and its store,
        unless given. A member's e-mail is
        not copied onto the ticket (store staff never see it; the notices read it from the member)."""
        if vals.get("pos_order_id"):
            order = self.env["pos.order"].sudo().browse(vals["pos_order_id"]).exists()
            kind = vals.get("store_kind", self.env.context.get("default_store_kind"))
            if order.partner_id and not vals.get("partner_id") and kind != "help":
                vals["partner_id"] = order.partner_id.id
            if order.store_id and "store_id" not in vals:
                vals["store_id"] = order.store_id.id
        if vals.get("partner_id") and self.env["res.partner"].sudo().browse(vals["partner_id"]).is_member:
            vals["partner_email"] = False

    def _check_store_links(self):
        """The order concerned must be one the user may read (their stores' orders for store staff),
        and the products concerned lines of that order."""
        for ticket in self:
            order = ticket.pos_order_id
            if order and not self.env.su:
                order.check_access("read")
            if ticket.sudo().pos_order_line_ids.order_id - order:
                raise ValidationError(
                    self.env._("%s: the products concerned must be lines of its POS order.", ticket.number)
                )

    # ------------------------------------------------------------------ SLA (helpdesk_mgmt_sla)
    # helpdesk_mgmt_sla creates and updates a ticket's SLA lines with the rights of whoever writes
    # the ticket, and reads SLA policies HQ configures: store staff read both and write neither.
    # The SLA lines follow from the ticket (its category, team, stage), so they are kept by the
    # server once the user's right to write the ticket is checked.
    def set_sla(self):
        self.check_access("write")
        return super(HelpdeskTicket, self.sudo()).set_sla()

    def refresh_sla(self):
        self.check_access("write")
        return super(HelpdeskTicket, self.sudo()).refresh_sla()

    # ------------------------------------------------------------------ progress notices
    def _track_template(self, tracking):
        """helpdesk_mgmt mails a stage's template (e.g. its closing mail) to the customer; a
        complaint's customer gets the progress notice instead (_notify_member_progress), and a
        store's help request is the store's, not a customer's."""
        res = super()._track_template(tracking)
        if self and self[0].store_kind:
            res.pop("stage_id", None)
        return res

    def _notify_member_progress(self):
        """Queue the progress notice of each complaint with a customer: who handles it, its stage
        and when it is expected to be resolved (the SLA deadline), by e-mail if the customer has one
        and by SMS to their mobile (a member's full mobile), in the customer's language. Nothing is
        sent here: the mail and SMS queues' crons send them."""
        if self.env.context.get("store_service_no_notice") and self.env.su:  # demo data only
            return
        mail_template = self.env.ref("store_service.mail_template_ticket_progress", raise_if_not_found=False)
        sms_template = self.env.ref("store_service.sms_template_ticket_progress", raise_if_not_found=False)
        for ticket in self.sudo().filtered(
            lambda t: t.store_kind == "complaint" and t.partner_id and t.stage_id
        ):
            partner = ticket.partner_id
            if ticket.closed and ticket.rating_status == "stage_change":
                # Closed: the notice asks the customer to rate the service (满意度), once per closing.
                ticket._rating_get_access_token(partner)
                ticket.invalidate_recordset(["store_notice_next"])
            if mail_template and partner.email:
                mail_template.sudo().send_mail(
                    ticket.id, force_send=False, email_layout_xmlid="mail.mail_notification_light"
                )
            number = ticket._store_member_number()
            if sms_template and number:
                ticket._message_sms_with_template(
                    template=sms_template.sudo(),
                    partner_ids=partner.ids,
                    sms_pid_to_number={partner.id: number},
                    put_in_queue=True,
                )

    def _store_rating_url(self):
        """The page where the customer rates the closed complaint (core's rating page, through
        helpdesk_mgmt_rating): the link of their open rating request, if there is one."""
        self.ensure_one()
        rating = self.sudo().rating_ids.filtered(
            lambda r: r.partner_id == self.partner_id and not r.consumed and r.access_token
        )[:1]
        if not rating:
            return ""
        return f"{self.get_base_url()}/rate/{rating.access_token}/5"

    def _store_member_number(self):
        """The number the customer's SMS go to: a member's full mobile (their phone is masked)."""
        self.ensure_one()
        partner = self.partner_id.sudo()
        if partner.is_member:
            return partner.member_mobile or False
        return partner.phone or False

    # ------------------------------------------------------------------ compensation (not yet)
    # Issue #16 item 3 — compensation coupons (e.g. 50元券) and zero-price replacements — moves
    # member balances and waits for the money-integrity issue. It will hang here: an
    # ``action_store_compensate`` for authorised users that issues the coupon through
    # store_membership's server-side posting (budgeted per store and month, approved above a
    # threshold) and records it on the ticket. Nothing in this addon issues or moves a balance.

    # ------------------------------------------------------------------ actions
    def action_store_open_order(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "pos.order",
            "res_id": self.pos_order_id.id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------------ from orders and members
    @api.model
    def _store_complaint_counts(self, field, records, domain=()):
        """{record: complaints} of ``records`` (orders or members), by the ticket ``field`` naming them."""
        groups = self._read_group([(field, "in", records.ids), *domain], [field], ["__count"])
        return dict(groups)

    @api.model
    def _store_new_complaint_action(self, **defaults):
        """The form of a new complaint, prefilled with ``defaults`` (field: value)."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New Complaint"),
            "res_model": "helpdesk.ticket",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": {
                "default_store_kind": "complaint",
                **{f"default_{name}": value for name, value in defaults.items()},
            },
        }

    # ------------------------------------------------------------------ help from the till (一键求助)
    @api.model
    def _store_pos_session(self, session_id):
        """The open POS session ``session_id`` if the caller may use it (a session of their stores'
        POS, under the record rules), else AccessError."""
        session = self.env["pos.session"]
        if isinstance(session_id, int) and not isinstance(session_id, bool):
            session = session.browse(session_id).exists()
        if not session or not session.has_access("read") or session.state not in OPEN_SESSION_STATES:
            raise AccessError(self.env._("This POS session is not open or not yours."))
        if not session.config_id.store_id:
            raise UserError(self.env._("Help requests are sent from a store's POS."))
        return session

    @api.model
    def store_pos_help_request(self, session_id, text, order_id=False, photo=False):
        """一键求助: a help request from the till to HQ's service team, as a ticket of the store of
        the till's session, with the current order (saved as a draft by the till first) and an
        optional photo (checked like SOP photos). Returns the till's list of requests."""
        session = self._store_pos_session(session_id)
        if not isinstance(text, str) or not text.strip():
            raise UserError(self.env._("Describe what you need help with."))
        text = text.strip()
        if len(text) > HELP_TEXT_MAX:
            raise UserError(
                self.env._("The help request is too long (at most %s characters).", HELP_TEXT_MAX)
            )
        order = self.env["pos.order"]
        if order_id:
            if not isinstance(order_id, int) or isinstance(order_id, bool):
                raise UserError(self.env._("The order attached is not an order of this session."))
            order = self.env["pos.order"].browse(order_id).exists()
            if not order or order.session_id != session:
                raise AccessError(self.env._("The order attached is not an order of this session."))
        if photo and not isinstance(photo, str):
            raise UserError(self.env._("The photo could not be read."))
        photo_vals = self.env["helpdesk.ticket.photo"]._store_clean_photo(photo) if photo else None
        team = self.env.ref("store_service.helpdesk_team_hq_service")
        first_line = text.splitlines()[0]
        vals = {
            "store_kind": "help",
            "name": self.env._("Help: %s", first_line[:60]),
            "description": plaintext2html(text),
            "store_id": session.config_id.store_id.id,
            "team_id": team.id,
            "category_id": self.env.ref("store_service.helpdesk_category_store_help").id,
            "channel_id": self.env.ref("store_service.helpdesk_channel_pos").id,
            "pos_order_id": order.id or False,
        }
        ticket = self.create(vals)
        # The session is the server's to write (store users may not).
        ticket.sudo().pos_session_id = session
        if photo_vals:
            self.env["helpdesk.ticket.photo"].create(dict(photo_vals, ticket_id=ticket.id))
        return self.store_pos_help_requests(session.id)

    @api.model
    def store_pos_help_requests(self, session_id):
        """The help requests of the store of the till's session, newest first, with what the
        cashier needs to see of the answer: stage, handler, due time and HQ's last reply."""
        session = self._store_pos_session(session_id)
        tickets = self.search(
            [("store_kind", "=", "help"), ("store_id", "=", session.config_id.store_id.id)],
            order="create_date desc, id desc",
            limit=HELP_LIST_LIMIT,
        )
        return [ticket._store_pos_help_info() for ticket in tickets]

    def _store_pos_help_info(self):
        self.ensure_one()
        return {
            "id": self.id,
            "number": self.number,
            "name": self.name,
            "stage": self.stage_id.name or "",
            "closed": bool(self.closed),
            "handler": self.store_handler or "",
            "create_date": fields.Datetime.to_string(self.create_date),
            "deadline": fields.Datetime.to_string(self.sla_deadline) if self.sla_deadline else False,
            "last_reply": self._store_last_reply(),
            "resolution": self.store_resolution or "",
        }

    def _store_last_reply(self):
        """HQ's last reply on the ticket: its last message sent (not a note) by someone other than
        the store's requester, in plain text."""
        self.ensure_one()
        comment = self.env.ref("mail.mt_comment")
        messages = (
            self.env["mail.message"]
            .sudo()
            .search(
                [
                    ("model", "=", self._name),
                    ("res_id", "=", self.id),
                    ("message_type", "=", "comment"),
                    ("subtype_id", "=", comment.id),
                    ("author_id", "!=", self.create_uid.partner_id.id),
                ],
                order="id desc",
                limit=1,
            )
        )
        return html2plaintext(messages.body or "").strip()
