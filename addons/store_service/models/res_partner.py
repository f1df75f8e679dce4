from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    store_ticket_count = fields.Integer(
        compute="_compute_store_ticket_count",
        string="Complaint count",
        groups="store_pos_ext.group_store_user,store_pos_ext.group_hq_analyst",
    )

    def _compute_store_ticket_count(self):
        counts = dict(
            self.env["helpdesk.ticket"]._read_group(
                [("partner_id", "in", self.ids), ("store_kind", "=", "complaint")],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.store_ticket_count = counts.get(partner, 0)

    def action_store_new_ticket(self):
        """A new complaint of this member (or customer), prefilled."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New Complaint"),
            "res_model": "helpdesk.ticket",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": {"default_store_kind": "complaint", "default_partner_id": self.id},
        }

    def action_store_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "store_service.helpdesk_ticket_action_complaints"
        )
        action["domain"] = [("partner_id", "=", self.id), ("store_kind", "=", "complaint")]
        action["context"] = {"default_partner_id": self.id, "default_store_kind": "complaint"}
        return action
