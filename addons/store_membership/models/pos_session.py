from odoo import models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, float_round


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

        A till waits for this answer before it can pay: it reads the few columns it needs in plain
        SQL (after the ORM's access check) instead of whole sessions, configs and companies.
        """
        till = self._check_member_spend_session(order_uuid)
        if kind not in ("stored_value", "points") or not order_uuid or not isinstance(order_uuid, str):
            raise UserError(self.env._("Unknown balance authorisation request."))
        Hold = self.env["store.member.hold"]
        if kind == "points":
            amount = self.env["pos.order"]._store_redeem_cost(
                self.env["loyalty.program"].browse(till["points_program_id"]), reward_lines or []
            )
        else:
            amount = float_round(float(amount or 0.0), precision_digits=2)
        if amount <= 0:
            Hold._release(order_uuid, [kind])
            return {"authorized": True, "message": False, "amount": 0.0, "available": False}
        if till["order_paid"]:
            return {
                "authorized": False,
                "message": self.env._("This order is already paid."),
                "amount": amount,
                "available": False,
            }
        program_id = till["points_program_id" if kind == "points" else "sv_program_id"]
        # The member's card of the company's chain program, as res.partner._store_member_cards
        # finds it (active member, active card), chosen and locked in one statement.
        member_card = SQL(
            """id = (SELECT card.id FROM loyalty_card card
                       JOIN res_partner partner ON partner.id = card.partner_id
                      WHERE partner.id = %s AND partner.active AND partner.is_member
                        AND card.program_id = %s AND card.active
                      ORDER BY card.id LIMIT 1)""",
            int(partner_id or 0),
            program_id,
        )
        answer = program_id and Hold._authorize_on(till, member_card, kind, order_uuid, amount)
        if not answer:
            Hold._release(order_uuid, [kind])
            return {
                "authorized": False,
                "message": Hold._hold_message(kind, 0.0, amount),
                "amount": amount,
                "available": 0.0,
            }
        return answer

    def release_member_spend(self, order_uuid, kinds=("stored_value", "points")):
        """The cashier removed the stored-value payment or the points reward: free the hold."""
        self._check_member_spend_session()
        kinds = [k for k in (kinds or []) if k in ("stored_value", "points")]
        return self.env["store.member.hold"]._release(str(order_uuid), kinds)

    # ---------------------------------------------------------------- helpers
    def _check_member_spend_session(self, order_uuid=None):
        """The one open session the calling cashier may sell in (its store's), or an error.

        Returns the ids a hold needs: ``session_id``, ``config_id``, ``store_id``, ``region_id``,
        the chain programs of the session's company (``points_program_id``, ``sv_program_id``),
        and ``order_paid``: whether the order ``order_uuid`` is already saved as paid.
        """
        if len(self) != 1:
            raise UserError(self.env._("Give the one POS session the order is sold in."))
        if not self.env.user.has_group("point_of_sale.group_pos_user"):
            raise AccessError(self.env._("Only Point of Sale users can spend member balances."))
        self.env.flush_all()
        # Core's access rights and the store record rules (a store user sees its stores' sessions
        # only), applied by the search; the columns read with it in one query.
        visible = self._search([("id", "=", self.id)])
        self.env.cr.execute(
            SQL(
                """SELECT session.state, config.id, config.store_id, store.region_id,
                          company.store_points_program_id, company.store_sv_program_id,
                          EXISTS(SELECT FROM pos_order
                                  WHERE uuid = %s AND state NOT IN ('draft', 'cancel')) AS paid
                     FROM pos_session session
                     JOIN pos_config config ON config.id = session.config_id
                     JOIN res_company company ON company.id = config.company_id
                LEFT JOIN store_store store ON store.id = config.store_id
                    WHERE session.id IN %s""",
                order_uuid if isinstance(order_uuid, str) else None,
                visible.subselect(),
            )
        )
        row = self.env.cr.fetchone()
        if not row:
            # Not visible: core's access error says why (a deleted session: core's missing record
            # error); otherwise it is no session to sell in.
            self.check_access("read")
            self.sudo().fetch(["state"])
            raise UserError(self.env._("This POS session is not open."))
        state, config_id, store_id, region_id, points_program_id, sv_program_id, paid = row
        # as core's order sync: a session being opened sells, one being closed does not
        if state not in ("opening_control", "opened"):
            raise UserError(self.env._("This POS session is not open."))
        return {
            "session_id": self.id,
            "config_id": config_id,
            "store_id": store_id,
            "region_id": region_id,
            "points_program_id": points_program_id,
            "sv_program_id": sv_program_id,
            "order_paid": paid,
        }
