from odoo import models


class HelpdeskTicketSla(models.Model):
    _inherit = "helpdesk.ticket.sla"

    def _stage_recompute(self):
        # Called by helpdesk_mgmt_sla when a ticket's stage is written, with the writer's rights:
        # the SLA line follows from the ticket, whose write access was checked (see
        # helpdesk_ticket.py), so the server keeps it.
        return super(HelpdeskTicketSla, self.sudo())._stage_recompute()
