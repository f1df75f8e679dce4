from odoo import api, fields, models
from odoo.exceptions import UserError


class StoreMemberAdjust(models.TransientModel):
    """HQ adjustment of a member card (points or stored value) or refund of unused principal."""

    _name = "store.member.adjust"
    _description = "Adjust a member balance"

    card_id = fields.Many2one("loyalty.card", required=True, domain="[('store_chain_role', '!=', False)]")
    store_chain_role = fields.Selection(related="card_id.store_chain_role")
    balance = fields.Float(related="card_id.points", string="Current balance")
    operation = fields.Selection(
        [("add", "Add"), ("remove", "Remove"), ("refund", "Refund unused principal")],
        required=True,
        default="add",
    )
    amount = fields.Float(required=True)
    reason = fields.Char(required=True)
    store_id = fields.Many2one("store.store", help="Store the adjustment is booked to (settlement).")

    @api.onchange("card_id")
    def _onchange_card_id(self):
        if self.card_id and not self.store_id:
            self.store_id = self.card_id.partner_id.home_store_id

    def action_apply(self):
        self.ensure_one()
        if not self.env.user.has_group("store_membership.group_member_admin"):
            raise UserError(self.env._("Only HQ member admins can adjust member balances."))
        if self.amount <= 0:
            raise UserError(self.env._("Amount: enter a positive amount."))
        if not (self.reason or "").strip():
            raise UserError(self.env._("Reason: an adjustment needs a reason."))
        card = self.card_id.sudo()
        if self.operation == "add":
            card._store_credit(
                "adjust",
                self.amount,
                store=self.store_id,
                reason=self.reason,
                sv_part="bonus" if card.store_chain_role == "stored_value" else False,
                expire_date=card._store_expire_date(),
            )
        elif self.operation == "remove":
            card._store_debit("adjust", self.amount, store=self.store_id, reason=self.reason)
        else:
            if card.store_chain_role != "stored_value":
                raise UserError(self.env._("Only stored value can be refunded."))
            card._store_debit(
                "refund", self.amount, store=self.store_id, reason=self.reason, parts=["principal"]
            )
            if not card.store_sv_principal and card.store_sv_bonus:
                # Bonus came with the principal: it goes when the principal is paid back.
                card._store_debit(
                    "refund", card.store_sv_bonus, store=self.store_id, reason=self.reason, parts=["bonus"]
                )
        return {"type": "ir.actions.act_window_close"}
