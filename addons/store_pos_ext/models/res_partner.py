from odoo import models


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _store_lang(self):
        """The language to write to this person in (an activity for them, a message to a member):
        theirs if it is active, else their company's (``res.company._store_lang``)."""
        self.ensure_one()
        partner = self.sudo()
        company = partner.company_id or self.env.company
        return self.env["res.lang"]._get_code(partner.lang) or company._store_lang()

    def write(self, vals):
        res = super().write(vals)
        if "lang" in vals and self.env["res.company"].sudo().search_count(
            [("partner_id", "in", self.ids)], limit=1
        ):
            self.env.registry.clear_cache()  # res.company._store_lang_code
        return res
