from odoo import api, fields, models
from odoo.exceptions import ValidationError

ITEM_KINDS = [
    ("check", "Check"),
    ("photo", "Photo"),
    ("number", "Number"),
    ("text", "Text"),
]


class StoreSopTemplateItem(models.Model):
    _name = "store.sop.template.item"
    _description = "SOP Checklist Item"
    _order = "sequence, id"

    template_id = fields.Many2one("store.sop.template", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    kind = fields.Selection(ITEM_KINDS, required=True, default="check")
    required = fields.Boolean(default=True)
    use_range = fields.Boolean(string="Allowed Range", help="Reject numbers outside minimum–maximum.")
    min_value = fields.Float(string="Minimum")
    max_value = fields.Float(string="Maximum")
    unit = fields.Char(help="Unit shown next to a number, e.g. °C.")
    guidance = fields.Text(translate=True, help="What good looks like, shown to the staff.")

    @api.constrains("kind", "use_range", "min_value", "max_value")
    def _check_range(self):
        for item in self:
            if item.kind == "number" and item.use_range and item.min_value > item.max_value:
                raise ValidationError(
                    self.env._(
                        "Item %(item)s: the minimum (%(min)s) is above the maximum (%(max)s).",
                        item=item.name,
                        min=item.min_value,
                        max=item.max_value,
                    )
                )

    def _line_values(self):
        """The item as copied on a checklist: later template edits do not rewrite history."""
        return [
            {
                "template_item_id": item.id,
                "sequence": item.sequence,
                "name": item.name,
                "kind": item.kind,
                "required": item.required,
                "use_range": item.use_range,
                "min_value": item.min_value,
                "max_value": item.max_value,
                "unit": item.unit,
                "guidance": item.guidance,
            }
            for item in self
        ]
