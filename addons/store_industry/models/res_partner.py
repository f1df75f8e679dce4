from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    store_care_record_ids = fields.One2many("store.care.record", "partner_id", string="Care Records")
    store_care_record_count = fields.Integer("Care Record Count", compute="_compute_store_care_record_count")

    @api.depends("store_care_record_ids")
    @api.depends_context("uid")
    def _compute_store_care_record_count(self):
        """Counted with the user's rights: the care records they may read."""
        counts = dict(
            self.env["store.care.record"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.store_care_record_count = counts.get(partner, 0)

    def action_store_care_records(self):
        """The member's care records (those the user may read), from the member form."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("store_industry.store_care_record_action")
        return action | {
            "name": self.env._("Care Records of %s", self.display_name),
            "domain": [("partner_id", "=", self.id)],
            "context": {"default_partner_id": self.id},
        }
