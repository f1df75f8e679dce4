from odoo import api, models
from odoo.exceptions import AccessError


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    # A binary field stored as an attachment (attachment=True) writes its attachment as superuser
    # (fields.Binary.create/write use ir.attachment.sudo()). A model that lists such fields in
    # ``_store_owned_attachment_fields`` gets them set only that way, through the record's own
    # write, which checks the value: an attachment created, written, moved onto or off such a
    # field, or deleted, by anything but the superuser is refused.

    def _store_owned_field(self, res_model, res_field):
        """The field ``res_model.res_field`` if it is owned by its record, else None."""
        if not (res_model and res_field) or res_model not in self.env:
            return None
        model = self.env[res_model]
        if res_field not in getattr(model, "_store_owned_attachment_fields", ()):
            return None
        return model._fields.get(res_field)

    def _store_refuse_owned(self, res_model, res_field):
        field = self._store_owned_field(res_model, res_field)
        if field is None:
            return
        model = self.env[res_model]
        raise AccessError(
            self.env._(
                "“%(field)s” of %(model)s is set on the record itself, not through its attachment.",
                field=field._description_string(self.env),
                model=self.env["ir.model"]._get(model._name).name,
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                self._store_refuse_owned(vals.get("res_model"), vals.get("res_field"))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            for attachment in self.sudo():
                self._store_refuse_owned(attachment.res_model, attachment.res_field)
                self._store_refuse_owned(
                    vals.get("res_model", attachment.res_model), vals.get("res_field", attachment.res_field)
                )
        return super().write(vals)

    def unlink(self):
        if not self.env.su:
            for attachment in self.sudo():
                self._store_refuse_owned(attachment.res_model, attachment.res_field)
        return super().unlink()
