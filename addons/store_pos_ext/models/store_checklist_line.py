from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools.photo import clean_photo
from .store_sop_template_item import ITEM_KINDS

VALUE_FIELDS = {"value_check", "value_number", "value_text", "photo"}
REVIEW_FIELDS = {"review_state", "review_comment", "reviewer_id", "review_datetime"}


class StoreChecklistLine(models.Model):
    _name = "store.checklist.line"
    _inherit = ["store.scope.guard"]
    _description = "Store Checklist Item"
    _order = "checklist_id, sequence, id"
    # the photo's attachments are written only by the line's own write (see ir_attachment.py)
    _store_owned_attachment_fields = ("photo", "photo_512")

    checklist_id = fields.Many2one("store.checklist", required=True, ondelete="cascade", index=True)
    store_id = fields.Many2one(related="checklist_id.store_id", store=True, index=True)
    region_id = fields.Many2one(related="checklist_id.region_id", store=True)
    date = fields.Date(related="checklist_id.date", store=True)
    checklist_state = fields.Selection(related="checklist_id.state", string="Checklist Status")
    template_item_id = fields.Many2one("store.sop.template.item", ondelete="set null")
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True)
    kind = fields.Selection(ITEM_KINDS, required=True, default="check")
    required = fields.Boolean(default=True)
    use_range = fields.Boolean(string="Allowed Range")
    min_value = fields.Float(string="Minimum")
    max_value = fields.Float(string="Maximum")
    unit = fields.Char()
    guidance = fields.Text()
    # what the staff fill in
    value_check = fields.Boolean(string="Checked")
    value_number = fields.Float(string="Value")
    value_set = fields.Boolean(help="A number was entered (0 is a valid reading).", readonly=True)
    value_text = fields.Text(string="Note")
    photo = fields.Image(max_width=1920, max_height=1920, attachment=True)
    photo_512 = fields.Image(related="photo", string="Thumbnail", max_width=512, max_height=512, store=True)
    filled_by_id = fields.Many2one("res.users", readonly=True)
    filled_datetime = fields.Datetime(readonly=True)
    is_filled = fields.Boolean(compute="_compute_is_filled", store=True)
    out_of_range = fields.Boolean(compute="_compute_is_filled", store=True)
    # HQ review of photos
    review_state = fields.Selection(
        [("pending", "To Review"), ("approved", "Approved"), ("rejected", "Rejected")],
        index=True,
        readonly=True,
    )
    review_comment = fields.Text()
    reviewer_id = fields.Many2one("res.users", readonly=True)
    review_datetime = fields.Datetime(readonly=True)

    @api.depends("kind", "value_check", "value_number", "value_set", "value_text", "photo", "use_range")
    def _compute_is_filled(self):
        for line in self:
            line.out_of_range = bool(
                line.kind == "number"
                and line.use_range
                and line.value_set
                and not line.min_value <= line.value_number <= line.max_value
            )
            line.is_filled = {
                "check": line.value_check,
                "photo": bool(line.photo),
                "number": line.value_set,
                "text": bool(line.value_text and line.value_text.strip()),
            }.get(line.kind, False)

    def _completion_problems(self):
        """Human-readable reasons these lines keep their checklist from completion."""
        problems = []
        for line in self:
            if line.kind == "photo" and line.review_state == "rejected":
                problems.append(self.env._("%s: the photo was rejected, take a new one.", line.name))
            elif line.required and not line.is_filled:
                problems.append(self.env._("%s: required.", line.name))
            elif line.out_of_range:
                problems.append(
                    self.env._(
                        "%(item)s: %(value)s%(unit)s is outside the allowed range %(min)s–%(max)s%(unit)s.",
                        item=line.name,
                        value=line.value_number,
                        unit=line.unit or "",
                        min=line.min_value,
                        max=line.max_value,
                    )
                )
        return problems

    # ------------------------------------------------------------------ photo checks
    def _clean_photo_upload(self, vals):
        """``vals`` with its photo checked and re-encoded (``tools/photo.py``), or a
        ValidationError naming the item."""
        if not vals.get("photo"):
            return vals
        return dict(
            vals, photo=clean_photo(self.env, vals["photo"], self._photo_label(), self._fields["photo"])
        )

    def _photo_label(self):
        return ", ".join(self.mapped("name")) or self.env._("Photo")

    # ------------------------------------------------------------------ writes
    def write(self, vals):
        if (
            vals.keys() - VALUE_FIELDS - REVIEW_FIELDS
            and not self.env.su
            and not self.env.user.has_group("store_pos_ext.group_hq_admin")
        ):
            raise AccessError(self.env._("Only the answer of a checklist item can be changed."))
        if REVIEW_FIELDS & vals.keys() and not self.env.su and not self._is_reviewer():
            raise AccessError(self.env._("Only HQ or the region manager can review checklist photos."))
        if VALUE_FIELDS & vals.keys():
            if not self.env.su and any(line.checklist_id.state == "done" for line in self):
                raise UserError(self.env._("This checklist is completed: reopen it to change it."))
            vals = self._clean_photo_upload(vals)
            vals = dict(vals, filled_by_id=self.env.uid, filled_datetime=fields.Datetime.now())
            if "value_number" in vals:
                vals["value_set"] = True
            if vals.get("photo"):
                vals.update(review_state="pending", reviewer_id=False, review_datetime=False)
        return super().write(vals)

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [self._clean_photo_upload(vals) for vals in vals_list]
        for vals in vals_list:
            if vals.get("photo"):
                vals.setdefault("review_state", "pending")
            if "value_number" in vals and vals.get("kind") == "number":
                vals.setdefault("value_set", True)
        return super().create(vals_list)

    # ------------------------------------------------------------------ review
    def _is_reviewer(self):
        return self.env.user.has_group("store_pos_ext.group_hq_admin") or self.env.user.has_group(
            "store_pos_ext.group_region_manager"
        )

    def _check_reviewable(self):
        if not self._is_reviewer():
            raise AccessError(self.env._("Only HQ or the region manager can review checklist photos."))
        if any(line.kind != "photo" or not line.photo for line in self):
            raise UserError(self.env._("Only items with a photo can be reviewed."))

    def action_approve(self):
        self._check_reviewable()
        self.sudo().write(
            {
                "review_state": "approved",
                "reviewer_id": self.env.uid,
                "review_datetime": fields.Datetime.now(),
            }
        )
        return True

    def action_reject(self):
        """Reject with the comment typed on the item: the item and its checklist reopen and the
        store manager gets a to-do."""
        self._check_reviewable()
        for line in self:
            if not (line.review_comment or "").strip():
                raise UserError(self.env._("%s: write why the photo is rejected.", line.name))
        self.sudo().write(
            {
                "review_state": "rejected",
                "reviewer_id": self.env.uid,
                "review_datetime": fields.Datetime.now(),
            }
        )
        for checklist in self.checklist_id.sudo():
            lines = self.filtered(lambda line, c=checklist: line.checklist_id == c)
            reasons = "\n".join(f"{line.name}: {line.review_comment}" for line in lines)
            checklist.action_reopen()
            # The chatter in the company's language, the manager's to-do in theirs (HQ may work in
            # English).
            company_env = self.with_context(lang=checklist.store_id.company_id._store_lang()).env
            checklist.message_post(body=company_env._("Photo rejected by HQ:\n%s", reasons))
            manager = checklist.store_id.manager_id
            if manager:
                checklist.activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=manager.id,
                    summary=self.with_context(lang=manager._store_lang()).env._(
                        "Retake rejected photo: %s", checklist.name
                    ),
                    note=reasons,
                )
        return True
