import base64
import io
import random
from datetime import datetime, time, timedelta

import pytz
from PIL import Image

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools.misc import format_datetime


class StoreChecklist(models.Model):
    """One store's checklist of one SOP template for one day (or one POS session)."""

    _name = "store.checklist"
    _description = "Store Checklist"
    _inherit = ["store.scoped.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date desc, due_datetime, id desc"

    name = fields.Char(compute="_compute_name", store=True)
    template_id = fields.Many2one("store.sop.template", required=True, index=True, ondelete="restrict")
    schedule = fields.Selection(related="template_id.schedule", store=True)
    date = fields.Date(required=True, index=True, help="Local business day of the store.")
    session_id = fields.Many2one("pos.session", string="POS Session", index="btree_not_null")
    due_datetime = fields.Datetime(string="Due")
    state = fields.Selection(
        [("open", "To Do"), ("done", "Done")], default="open", required=True, tracking=True, index=True
    )
    line_ids = fields.One2many("store.checklist.line", "checklist_id", string="Items")
    progress = fields.Float(compute="_compute_progress", store=True, aggregator="avg")
    done_by_id = fields.Many2one("res.users", readonly=True)
    done_employee_id = fields.Many2one("hr.employee", string="Done By Employee", readonly=True)
    done_datetime = fields.Datetime(string="Done On", readonly=True)
    is_late = fields.Boolean(
        string="Late", compute="_compute_is_late", store=True, help="Done after its due time."
    )
    overdue_notified = fields.Boolean(readonly=True, copy=False)
    photo_count = fields.Integer(compute="_compute_progress", store=True)
    rejected_count = fields.Integer(compute="_compute_progress", store=True)

    _day_uniq = models.UniqueIndex(
        "(template_id, store_id, date) WHERE session_id IS NULL",
        "This store already has this checklist for that day.",
    )
    _session_uniq = models.UniqueIndex(
        "(template_id, session_id) WHERE session_id IS NOT NULL",
        "This POS session already has this checklist.",
    )

    @api.depends("template_id.name", "date", "session_id.name")
    def _compute_name(self):
        for checklist in self:
            suffix = checklist.session_id.name or fields.Date.to_string(checklist.date)
            # In the company's language, whoever makes the checklist (the daily cron runs in English).
            template = checklist.template_id.with_context(lang=checklist.store_id.company_id._store_lang())
            checklist.name = f"{template.name or ''} {suffix or ''}".strip()

    @api.depends("line_ids.is_filled", "line_ids.kind", "line_ids.review_state")
    def _compute_progress(self):
        for checklist in self:
            lines = checklist.line_ids
            checklist.progress = 100.0 * len(lines.filtered("is_filled")) / len(lines) if lines else 0.0
            checklist.photo_count = len(lines.filtered(lambda line: line.kind == "photo" and line.photo))
            checklist.rejected_count = len(lines.filtered(lambda line: line.review_state == "rejected"))

    @api.depends("done_datetime", "due_datetime")
    def _compute_is_late(self):
        for checklist in self:
            checklist.is_late = bool(
                checklist.done_datetime
                and checklist.due_datetime
                and checklist.done_datetime > checklist.due_datetime
            )

    # ------------------------------------------------------------------ completion
    def action_done(self):
        for checklist in self:
            if checklist.state == "done":
                continue
            problems = checklist.line_ids._completion_problems()
            if problems:
                raise ValidationError(
                    self.env._(
                        "%(checklist)s cannot be completed yet:\n%(problems)s",
                        checklist=checklist.name,
                        problems="\n".join(problems),
                    )
                )
            now = fields.Datetime.now()
            checklist.sudo().write(
                {
                    "state": "done",
                    "done_by_id": self.env.uid,
                    "done_employee_id": self.env.user.employee_id.id,
                    "done_datetime": now,
                }
            )
            checklist.activity_ids.filtered(
                lambda a: a.activity_type_id == self.env.ref("mail.mail_activity_data_todo")
            ).action_feedback(
                feedback=self.with_context(lang=checklist.store_id.company_id._store_lang()).env._(
                    "Checklist completed."
                )
            )
        return True

    def action_reopen(self):
        if not self.env.su and not (
            self.env.user.has_group("store_pos_ext.group_store_manager")
            or self.env.user.has_group("store_pos_ext.group_hq_admin")
        ):
            raise AccessError(self.env._("Only the store manager or HQ can reopen a checklist."))
        self.check_access("write")
        self.sudo().write(
            {"state": "open", "done_by_id": False, "done_employee_id": False, "done_datetime": False}
        )
        return True

    def write(self, vals):
        # Store users fill the items; the checklist itself changes only through its actions.
        if not self.env.su and not self.env.user.has_group("store_pos_ext.group_hq_admin"):
            # line_ids: the form saves its items through the checklist; each command still goes
            # through the item's own write check (answers only) and access rights (no create/unlink).
            allowed = {"line_ids", "activity_ids", "message_follower_ids", "message_ids"}
            if vals.keys() - allowed:
                raise AccessError(
                    self.env._("Checklists change through their buttons; only their items are filled in.")
                )
        return super().write(vals)

    # ------------------------------------------------------------------ generation
    @api.model
    def _due_datetime(self, store, day, hour):
        """Naive UTC datetime of ``hour`` (float, local time of the store) on ``day``."""
        tz = pytz.timezone(store.tz or "Asia/Shanghai")
        hours = min(hour, 23 + 59 / 60)
        local = datetime.combine(day, time(int(hours), round((hours % 1) * 60) % 60))
        return tz.localize(local).astimezone(pytz.utc).replace(tzinfo=None)

    @api.model
    def _local_today(self, store):
        return datetime.now(pytz.timezone(store.tz or "Asia/Shanghai")).date()

    @api.model
    def _generate(self, templates, day=None, stores=None):
        """Create the missing day checklists of ``templates`` for ``day`` (each store's local
        today by default). Running it again creates nothing new."""
        Checklist = self.sudo()
        vals_list = []
        for template in templates.filtered(lambda t: t.schedule != "session"):
            template_stores = template._get_stores()
            if stores is not None:
                template_stores &= stores
            for store in template_stores:
                store_day = day or self._local_today(store)
                if template.schedule == "weekly" and str(store_day.weekday()) != template.weekday:
                    continue
                vals_list.append(
                    {
                        "template_id": template.id,
                        "store_id": store.id,
                        "date": store_day,
                        "due_datetime": self._due_datetime(store, store_day, template._due_hour(store)),
                    }
                )
        if not vals_list:
            return Checklist
        existing = {
            (c.template_id.id, c.store_id.id, c.date)
            for c in Checklist.search(
                [
                    ("template_id", "in", templates.ids),
                    ("date", "in", list({v["date"] for v in vals_list})),
                    ("session_id", "=", False),
                ]
            )
        }
        missing = [v for v in vals_list if (v["template_id"], v["store_id"], v["date"]) not in existing]
        return Checklist._create_with_lines(missing)

    @api.model
    def _generate_for_session(self, session):
        """Checklists of the 'each POS session' templates for a newly opened session."""
        store = session.config_id.store_id
        if not store:
            return self.browse()
        templates = self.env["store.sop.template"].sudo().search([("schedule", "=", "session")])
        templates = templates.filtered(lambda t: store in t._get_stores())
        done = self.sudo().search([("session_id", "=", session.id)]).template_id
        day = self._local_today(store)
        return self.sudo()._create_with_lines(
            [
                {"template_id": t.id, "store_id": store.id, "date": day, "session_id": session.id}
                for t in templates - done
            ]
        )

    @api.model
    def _create_with_lines(self, vals_list):
        templates = self.env["store.sop.template"].browse({v["template_id"] for v in vals_list})
        lines_of = {t.id: t.item_ids._line_values() for t in templates}
        for vals in vals_list:
            vals["line_ids"] = [fields.Command.create(line) for line in lines_of[vals["template_id"]]]
        return self.with_context(mail_create_nolog=True, tracking_disable=True).create(vals_list)

    @api.model
    def _cron_generate(self):
        templates = self.env["store.sop.template"].search([("item_ids", "!=", False)])
        self._generate(templates)

    @api.model
    def _cron_check_overdue(self):
        """One to-do for the store manager per overdue checklist."""
        overdue = self.sudo().search(
            [
                ("state", "=", "open"),
                ("overdue_notified", "=", False),
                ("due_datetime", "<", fields.Datetime.now()),
            ]
        )
        for checklist in overdue:
            manager = checklist.store_id.manager_id
            if manager:
                # In the manager's language and time zone (the cron runs as OdooBot, in English).
                env = self.with_context(lang=manager._store_lang()).env
                due = format_datetime(env, checklist.due_datetime, tz=manager.tz, dt_format="short")
                checklist.activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=manager.id,
                    summary=env._("Overdue checklist: %s", checklist.name),
                    note=env._("It was due %s and is not completed.", due),
                )
        overdue.overdue_notified = True
        return overdue

    @api.model
    def _demo_generate_history(self, days):
        """Demo data only: ``days`` of filled checklists in every demo store, then today's."""
        # The history's review activities notify no one (demo users have no inbox to fill, and a
        # notification e-mail cannot be rendered while a module's data is loading).
        self = self.with_context(mail_activity_quick_update=True)
        rnd = random.Random(42)
        photos = []
        for color in ((196, 30, 58), (40, 120, 200), (60, 160, 90), (230, 170, 40)):
            buf = io.BytesIO()
            Image.new("RGB", (96, 72), color).save(buf, "PNG")
            photos.append(base64.b64encode(buf.getvalue()))
        templates = self.env["store.sop.template"].search([("schedule", "!=", "session")])
        today = fields.Date.context_today(self)
        vals_list = []
        for store in self.env["store.store"].search([("pos_config_ids", "!=", False)]):
            users = store.user_ids or self.env.user
            for back in range(days, 0, -1):
                day = today - timedelta(days=back)
                for template in templates:
                    if store not in template._get_stores():
                        continue
                    if template.schedule == "weekly" and str(day.weekday()) != template.weekday:
                        continue
                    due = self._due_datetime(store, day, template._due_hour(store))
                    late = rnd.random() < 0.08
                    lines = []
                    for line in template.item_ids._line_values():
                        kind = line["kind"]
                        if kind == "check":
                            line["value_check"] = True
                        elif kind == "number":
                            mid = (line["min_value"] + line["max_value"]) / 2
                            line["value_number"] = (
                                round(mid + rnd.uniform(-1, 1), 1) if line["use_range"] else 500
                            )
                        elif kind == "photo":
                            line["photo"] = rnd.choice(photos)
                            line["review_state"] = "approved" if back > 3 else "pending"
                        elif kind == "text" and rnd.random() < 0.2:
                            line["value_text"] = "无异常"
                        lines.append(fields.Command.create(line))
                    vals_list.append(
                        {
                            "template_id": template.id,
                            "store_id": store.id,
                            "date": day,
                            "due_datetime": due,
                            "state": "done",
                            "done_by_id": rnd.choice(users).id,
                            "done_datetime": due
                            + timedelta(minutes=rnd.randint(5, 90) * (1 if late else -1)),
                            "line_ids": lines,
                        }
                    )
        checklists = self.sudo().with_context(mail_create_nolog=True, tracking_disable=True).create(vals_list)
        # A few photos of the last two weeks were rejected by HQ.
        recent = checklists.line_ids.filtered(
            lambda line: line.kind == "photo" and line.date >= today - timedelta(days=14)
        )
        rejected = recent.filtered(lambda _line: rnd.random() < 0.1)
        rejected.sudo().review_comment = "照片模糊，请重新拍摄"
        rejected.action_reject()
        self._cron_generate()
        return checklists

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done(self):
        if any(c.state == "done" for c in self) and not self.env.user.has_group(
            "store_pos_ext.group_hq_admin"
        ):
            raise UserError(self.env._("Only HQ can delete a completed checklist."))
