from odoo import models


class StoreMemberMerge(models.TransientModel):
    _inherit = "store.member.merge"

    def action_merge(self):
        """The merged members' orders count for the kept member from now on: their facts (the
        duplicates' months, registrations and orders) are recomputed."""
        partners = self.dst_partner_id | self.partner_ids
        orders = self.env["pos.order"].sudo().search([("partner_id", "in", partners.ids)])
        res = super().action_merge()
        self.env["store.sales.fact"]._refresh_orders(orders.ids, partners.ids)
        return res
