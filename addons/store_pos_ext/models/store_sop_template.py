from odoo import api, fields, models

from .store_store import INDUSTRIES, STORE_TYPES

SCHEDULES = [
    ("opening", "Store Opening"),
    ("closing", "Store Closing"),
    ("daily", "Daily"),
    ("weekly", "Weekly"),
    ("session", "Each POS Session"),
]
WEEKDAYS = [
    ("0", "Monday"),
    ("1", "Tuesday"),
    ("2", "Wednesday"),
    ("3", "Thursday"),
    ("4", "Friday"),
    ("5", "Saturday"),
    ("6", "Sunday"),
]


class StoreSopTemplate(models.Model):
    """A standard operating procedure (SOP) checklist that HQ defines once and every store fills."""

    _name = "store.sop.template"
    _description = "SOP Checklist Template"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    description = fields.Text(translate=True)
    item_ids = fields.One2many("store.sop.template.item", "template_id", string="Items", copy=True)
    schedule = fields.Selection(SCHEDULES, required=True, default="daily")
    weekday = fields.Selection(WEEKDAYS, help="Day of the week of a weekly checklist.")
    due_time = fields.Float(
        help="Local time by which the checklist must be done. Empty: one hour after opening for "
        "opening checklists, closing time for the others.",
    )
    scope = fields.Selection(
        [
            ("all", "All Stores"),
            ("store_type", "Store Type"),
            ("industry", "Industry"),
            ("stores", "Chosen Stores"),
        ],
        required=True,
        default="all",
    )
    store_type = fields.Selection(STORE_TYPES)
    industry = fields.Selection(INDUSTRIES)
    store_ids = fields.Many2many("store.store", string="Stores")
    checklist_count = fields.Integer(compute="_compute_checklist_count")

    _weekday_required = models.Constraint(
        "CHECK(schedule != 'weekly' OR weekday IS NOT NULL)",
        "A weekly checklist needs its day of the week.",
    )

    def _compute_checklist_count(self):
        counts = dict(
            self.env["store.checklist"]._read_group(
                [("template_id", "in", self.ids)], ["template_id"], ["__count"]
            )
        )
        for template in self:
            template.checklist_count = counts.get(template, 0)

    def _get_stores(self):
        """The active stores this template applies to."""
        self.ensure_one()
        domain = [("company_id", "=", self.company_id.id)]
        if self.scope == "store_type":
            domain.append(("store_type", "=", self.store_type))
        elif self.scope == "industry":
            domain.append(("industry", "=", self.industry))
        elif self.scope == "stores":
            domain.append(("id", "in", self.store_ids.ids))
        return self.env["store.store"].search(domain)

    def _due_hour(self, store):
        self.ensure_one()
        if self.due_time:
            return self.due_time
        if self.schedule == "opening":
            return min(store.opening_time + 1, 24.0)
        return store.closing_time

    @api.onchange("schedule")
    def _onchange_schedule(self):
        if self.schedule != "weekly":
            self.weekday = False

    def action_view_checklists(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("store_pos_ext.store_checklist_action")
        action["domain"] = [("template_id", "=", self.id)]
        action["context"] = {}
        return action
