from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools.misc import format_date

from odoo.addons.store_pos_ext.tools.photo import clean_photo

PHOTO_FIELDS = ("photo_before", "photo_after")
SKIN_TYPES = [
    ("normal", "Normal"),
    ("dry", "Dry"),
    ("oily", "Oily"),
    ("combination", "Combination"),
    ("sensitive", "Sensitive"),
]
SENSITIVITY = [("low", "Low"), ("medium", "Medium"), ("high", "High")]
# Written by the daily reminder job only.
SERVER_FIELDS = {"reminder_date"}


class StoreCareRecord(models.Model):
    """A beauty care record (护理记录): one visit of a member to a store — the service, who gave it,
    the products used, notes, before/after photos and the skin test (皮肤检测) of the day, and when
    the member should come again. Written by the store of the visit; read by every store the member
    has a care record at (their beautician there sees the member's history) and by HQ. The
    member's phone, address and e-mail are never shown here (store_membership masks them)."""

    _name = "store.care.record"
    _description = "Care Record"
    _inherit = ["store.scoped.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    # the photos' attachments are written only by the record's own write (store_pos_ext ir_attachment.py)
    _store_owned_attachment_fields = PHOTO_FIELDS

    company_id = fields.Many2one(related="store_id.company_id", store=True, index=True)
    date = fields.Date(required=True, index=True, default=fields.Date.context_today, tracking=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Member",
        required=True,
        index=True,
        ondelete="restrict",
        domain=[("is_member", "=", True)],
        tracking=True,
    )
    service_id = fields.Many2one("product.product", domain=[("type", "=", "service")], tracking=True)
    employee_id = fields.Many2one(
        "hr.employee",
        string="Beautician",
        domain="[('store_id', 'in', [store_id, False])]",
        tracking=True,
        help="The employee who gave the care (of the record's store).",
    )
    product_ids = fields.Many2many(
        "product.product",
        "store_care_record_product_rel",
        "record_id",
        "product_id",
        string="Products Used",
    )
    note = fields.Text("Notes")
    photo_before = fields.Image("Before", max_width=1920, max_height=1920, attachment=True)
    photo_after = fields.Image("After", max_width=1920, max_height=1920, attachment=True)
    # skin test (皮肤检测)
    skin_type = fields.Selection(SKIN_TYPES)
    skin_moisture = fields.Float("Moisture (%)", digits=(5, 1), aggregator="avg")
    skin_oil = fields.Float("Oil (%)", digits=(5, 1), aggregator="avg")
    skin_sensitivity = fields.Selection(SENSITIVITY, string="Sensitivity")
    skin_concerns = fields.Char(
        "Concerns", help="What the skin test found or the member asks about, e.g. acne, spots, fine lines."
    )
    next_visit_date = fields.Date("Next Visit Due", index=True, tracking=True)
    reminder_date = fields.Date(
        "Reminded On",
        readonly=True,
        copy=False,
        help="When the daily job asked the store to remind the member of their next visit.",
    )

    @api.depends("partner_id", "date", "service_id")
    def _compute_display_name(self):
        for record in self:
            record.display_name = " · ".join(
                filter(
                    None, [record.partner_id.name, record.service_id.name, record.date and str(record.date)]
                )
            )

    @api.constrains("employee_id", "store_id")
    def _check_employee_store(self):
        for record in self.sudo():
            store = record.employee_id.store_id
            if store and store != record.store_id:
                raise ValidationError(
                    self.env._(
                        "%(employee)s works at %(store)s, not at the store of this care record.",
                        employee=record.employee_id.name,
                        store=store.name,
                    )
                )

    @api.constrains("skin_moisture", "skin_oil")
    def _check_skin_percentages(self):
        for record in self:
            if not (0 <= record.skin_moisture <= 100 and 0 <= record.skin_oil <= 100):
                raise ValidationError(self.env._("Moisture and oil are percentages (0-100)."))

    @api.constrains("next_visit_date", "date")
    def _check_next_visit_date(self):
        for record in self:
            if record.next_visit_date and record.next_visit_date < record.date:
                raise ValidationError(self.env._("The next visit cannot be before the visit."))

    # ------------------------------------------------------------------ CRUD
    def _clean_photos(self, vals):
        """``vals`` with each photo checked and re-encoded as SOP photos are (store_pos_ext)."""
        labels = {"photo_before": self.env._("Before photo"), "photo_after": self.env._("After photo")}
        return dict(
            vals,
            **{
                fname: clean_photo(self.env, vals[fname], labels[fname], self._fields[fname])
                for fname in PHOTO_FIELDS
                if vals.get(fname)
            },
        )

    def _check_server_fields(self, vals):
        if SERVER_FIELDS & vals.keys() and not self.env.su:
            raise AccessError(self.env._("The reminder date is set by the reminder job only."))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_server_fields(vals)
        return super().create([self._clean_photos(vals) for vals in vals_list])

    def write(self, vals):
        self._check_server_fields(vals)
        vals = self._clean_photos(vals)
        if "next_visit_date" in vals:
            # a new due date is reminded again
            vals["reminder_date"] = False
        return super().write(vals)

    # ------------------------------------------------------------------ next visit reminder
    @api.model
    def _remind_next_visits(self, today=None):
        """An activity for the store of each care record whose next visit is due within the
        company's reminder days (or overdue) and after which the member has no care record (at any
        store): for the store manager, else the beautician's user, in their language. Each record
        is reminded once (``reminder_date``; a new due date is reminded again)."""
        Record = self.sudo()
        [(horizon,)] = (
            self.env["res.company"].sudo()._read_group([], aggregates=["store_care_reminder_days:max"])
        )
        # a day ahead of UTC's date: each store's own date is checked below
        latest_today = today or fields.Date.today() + timedelta(days=1)
        due = Record.search(
            [
                ("next_visit_date", "!=", False),
                ("next_visit_date", "<=", latest_today + timedelta(days=horizon or 0)),
                ("reminder_date", "=", False),
            ]
        )
        if not due:
            return Record
        latest = {}
        for record in Record.search([("partner_id", "in", due.partner_id.ids)], order="date desc, id desc"):
            latest.setdefault(record.partner_id.id, record)
        reminded = Record.browse()
        for record in due:
            if latest[record.partner_id.id] != record:
                continue  # the member came again since
            store_today = today or fields.Date.context_today(
                record.with_context(tz=record.store_id.tz or "Asia/Shanghai")
            )
            if record.next_visit_date > store_today + timedelta(
                days=record.company_id.store_care_reminder_days
            ):
                continue
            user = record.store_id.manager_id or record.employee_id.user_id
            if not user:
                continue
            lang_env = record.with_context(lang=user._store_lang()).env
            record.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=record.next_visit_date,
                user_id=user.id,
                summary=lang_env._(
                    "Next care visit due: %(member)s on %(date)s",
                    member=record.partner_id.name,
                    date=format_date(lang_env, record.next_visit_date),
                ),
                note=lang_env._(
                    "Last visit on %(date)s: %(service)s. Invite the member for their next visit.",
                    date=format_date(lang_env, record.date),
                    service=record.service_id.name or "-",
                ),
            )
            record.reminder_date = store_today
            reminded |= record
        return reminded

    @api.model
    def _cron_remind_next_visits(self):
        self._remind_next_visits()
