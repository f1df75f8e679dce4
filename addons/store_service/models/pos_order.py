from odoo import fields, models


class PosOrder(models.Model):
    _inherit = "pos.order"

    store_ticket_ids = fields.One2many(
        "helpdesk.ticket",
        "pos_order_id",
        string="Complaints",
        groups="store_pos_ext.group_store_user,store_pos_ext.group_hq_analyst",
    )
    store_ticket_count = fields.Integer(
        compute="_compute_store_ticket_count",
        string="Complaint count",
        groups="store_pos_ext.group_store_user,store_pos_ext.group_hq_analyst",
    )

    def _compute_store_ticket_count(self):
        counts = dict(
            self.env["helpdesk.ticket"]._read_group(
                [("pos_order_id", "in", self.ids)], ["pos_order_id"], ["__count"]
            )
        )
        for order in self:
            order.store_ticket_count = counts.get(order, 0)

    def action_store_new_ticket(self):
        """A new complaint about this order: the member, store and order prefilled."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New Complaint"),
            "res_model": "helpdesk.ticket",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": {
                "default_store_kind": "complaint",
                "default_pos_order_id": self.id,
                "default_partner_id": self.partner_id.id,
                "default_store_id": self.store_id.id,
                "default_name": self.env._("Complaint about %s", self.name),
            },
        }

    def action_store_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "store_service.helpdesk_ticket_action_complaints"
        )
        action["domain"] = [("pos_order_id", "=", self.id)]
        action["context"] = {"default_pos_order_id": self.id, "default_partner_id": self.partner_id.id}
        return action
