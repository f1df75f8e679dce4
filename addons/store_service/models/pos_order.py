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
        counts = self.env["helpdesk.ticket"]._store_complaint_counts("pos_order_id", self)
        for order in self:
            order.store_ticket_count = counts.get(order, 0)

    def action_store_new_ticket(self):
        """A new complaint about this order: the member, store and order prefilled."""
        self.ensure_one()
        return self.env["helpdesk.ticket"]._store_new_complaint_action(
            pos_order_id=self.id,
            partner_id=self.partner_id.id,
            store_id=self.store_id.id,
            name=self.env._("Complaint about %s", self.name),
        )

    def action_store_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "store_service.helpdesk_ticket_action_complaints"
        )
        action["domain"] = [("pos_order_id", "=", self.id)]
        action["context"] = {"default_pos_order_id": self.id, "default_partner_id": self.partner_id.id}
        return action
