from odoo import api, fields, models
from odoo.exceptions import AccessError


class HelpdeskTicketPhoto(models.Model):
    """A photo of a complaint or help request (the spoiled fruit, the broken shelf). Uploads are
    checked and re-encoded as SOP checklist photos are (store_pos_ext: type JPG/PNG/WEBP, at most
    10 MB and the megapixel limit, decoded by Pillow and written again without metadata)."""

    _name = "helpdesk.ticket.photo"
    _inherit = ["store.scope.guard"]
    _description = "Ticket Photo"
    _order = "ticket_id, id"
    # the photo's attachments are written only by the record's own create (see store_pos_ext's
    # ir_attachment.py)
    _store_owned_attachment_fields = ("photo",)

    ticket_id = fields.Many2one("helpdesk.ticket", required=True, index=True, ondelete="cascade")
    name = fields.Char(string="Caption")
    photo = fields.Image(max_width=1920, max_height=1920, attachment=True, required=True)

    @api.model
    def _store_clean_photo(self, data):
        """``{"photo": data}`` checked and re-encoded by store_pos_ext's SOP photo checks
        (ValidationError naming the problem otherwise)."""
        return self.env["store.checklist.line"]._clean_photo_upload({"photo": data})

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [
            dict(vals, **self._store_clean_photo(vals["photo"])) if vals.get("photo") else vals
            for vals in vals_list
        ]
        return super().create(vals_list)

    def write(self, vals):
        # A photo is evidence: it is added or removed, never replaced (HQ and the server may).
        if (
            "photo" in vals
            and not self.env.su
            and not self.env.user.has_group("store_pos_ext.group_hq_admin")
        ):
            raise AccessError(self.env._("A ticket's photo cannot be replaced: add a new one."))
        if vals.get("photo"):
            vals = dict(vals, **self._store_clean_photo(vals["photo"]))
        return super().write(vals)
