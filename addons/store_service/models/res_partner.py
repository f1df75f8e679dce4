from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    store_ticket_count = fields.Integer(
        compute="_compute_store_ticket_count",
        string="Complaint count",
        groups="store_pos_ext.group_store_user,store_pos_ext.group_hq_analyst",
    )

    def _compute_store_ticket_count(self):
        counts = self.env["helpdesk.ticket"]._store_complaint_counts(
            "partner_id", self, [("store_kind", "=", "complaint")]
        )
        for partner in self:
            partner.store_ticket_count = counts.get(partner, 0)

    def action_store_new_ticket(self):
        """A new complaint of this member (or customer), prefilled."""
        self.ensure_one()
        return self.env["helpdesk.ticket"]._store_new_complaint_action(partner_id=self.id)

    def action_store_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "store_service.helpdesk_ticket_action_complaints"
        )
        action["domain"] = [("partner_id", "=", self.id), ("store_kind", "=", "complaint")]
        action["context"] = {"default_partner_id": self.id, "default_store_kind": "complaint"}
        return action
