from odoo import models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_round


class PosSession(models.Model):
    _inherit = "pos.session"

    # ------------------------------------------------------- RPC entry points
    def authorize_member_spend(self, partner_id, kind, order_uuid, amount=0.0, reward_lines=None):
        """The till asks, before an order is paid, to hold what it spends of a member's balance.

        ``kind`` is ``"stored_value"`` (``amount``: the stored-value payments, CNY) or ``"points"``
        (``reward_lines``: ``{"reward_id", "amount", "qty", "code"}`` of the order's points reward
        lines; the points are computed here from the rewards, as the settlement does). Asking again
        for the same order replaces its hold. Returns ``{"authorized", "message", "available",
        "amount"}``: a refusal is an answer, not an error, so the till can show it.
        """
        session = self._check_member_spend_session()
        if kind not in ("stored_value", "points") or not order_uuid or not isinstance(order_uuid, str):
            raise UserError(self.env._("Unknown balance authorisation request."))
        Hold = self.env["store.member.hold"]
        company = session.config_id.company_id
        if kind == "points":
            amount = self.env["pos.order"]._store_redeem_cost(
                company.store_points_program_id, reward_lines or []
            )
        else:
            amount = float_round(float(amount or 0.0), precision_digits=2)
        if amount <= 0:
            Hold._release(order_uuid, [kind])
            return {"authorized": True, "message": False, "amount": 0.0, "available": False}
        if (
            self.env["pos.order"]
            .sudo()
            .search_count([("uuid", "=", order_uuid), ("state", "not in", ("draft", "cancel"))], limit=1)
        ):
            return {
                "authorized": False,
                "message": self.env._("This order is already paid."),
                "amount": amount,
                "available": False,
            }
        partner = (
            self.env["res.partner"].sudo().search_fetch([("id", "=", int(partner_id or 0))], ["is_member"])
        )
        card = partner._store_member_cards(create=False).get(kind) if partner.is_member else None
        if not card:
            Hold._release(order_uuid, [kind])
            return {
                "authorized": False,
                "message": Hold._hold_message(kind, 0.0, amount),
                "amount": amount,
                "available": 0.0,
            }
        return Hold._authorize(session, card.sudo(), kind, order_uuid, amount)

    def release_member_spend(self, order_uuid, kinds=("stored_value", "points")):
        """The cashier removed the stored-value payment or the points reward: free the hold."""
        self._check_member_spend_session()
        kinds = [k for k in (kinds or []) if k in ("stored_value", "points")]
        return self.env["store.member.hold"]._release(str(order_uuid), kinds)

    # ---------------------------------------------------------------- helpers
    def _check_member_spend_session(self):
        """The one open session the calling cashier may sell in (its store's), or an error."""
        if len(self) != 1:
            raise UserError(self.env._("Give the one POS session the order is sold in."))
        if not self.env.user.has_group("point_of_sale.group_pos_user"):
            raise AccessError(self.env._("Only Point of Sale users can spend member balances."))
        # Core's access rights and the store record rules: a store user sees its stores' sessions only.
        self.check_access("read")
        # as core's order sync: a session being opened sells, one being closed does not
        if self.state not in ("opening_control", "opened"):
            raise UserError(self.env._("This POS session is not open."))
        return self.sudo()
