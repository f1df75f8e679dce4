from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, float_compare, float_round

from odoo.addons.store_pos_ext.models.server_guard import is_server_write, server_write

HOLD_MINUTES = 15


class StoreMemberHold(models.Model):
    """An authorisation on a member's chain card, as a card terminal takes one: the till asks the
    server to hold the stored value (or the points) an order is about to spend; the settlement of
    that order captures the hold, an unused one expires after ``HOLD_MINUTES`` and is released.

    Holds are written by the server only (``pos.session.authorize_member_spend`` and the
    settlement); store users read their stores' holds.
    """

    _name = "store.member.hold"
    _inherit = ["store.scoped.mixin"]
    _description = "Member balance hold"
    _order = "id desc"

    card_id = fields.Many2one("loyalty.card", required=True, index=True, ondelete="cascade")
    partner_id = fields.Many2one("res.partner", "Member", required=True, index=True, ondelete="cascade")
    kind = fields.Selection(
        [("stored_value", "Stored value"), ("points", "Points")], required=True, readonly=True
    )
    amount = fields.Float("Amount held", required=True, help="CNY of stored value, or points.")
    order_uuid = fields.Char("Order reference", required=True, index=True)
    config_id = fields.Many2one("pos.config", "Point of Sale", required=True, ondelete="cascade")
    session_id = fields.Many2one("pos.session", required=True, ondelete="cascade")
    pos_order_id = fields.Many2one("pos.order", "Order", index="btree_not_null", ondelete="set null")
    state = fields.Selection(
        [("held", "Held"), ("captured", "Captured"), ("released", "Released"), ("expired", "Expired")],
        default="held",
        required=True,
        index=True,
    )
    expire_at = fields.Datetime("Expires at", required=True)

    _one_active_hold_per_order = models.UniqueIndex(
        "(order_uuid, kind) WHERE state = 'held'",
        "An order holds each kind of balance once.",
    )
    _active_per_card_idx = models.Index("(card_id, expire_at) WHERE state = 'held'")

    # ------------------------------------------------------------------ guards
    @api.model_create_multi
    def create(self, vals_list):
        if not is_server_write():
            raise UserError(self.env._("Balance holds are made by the server only."))
        return super().create(vals_list)

    def write(self, vals):
        if not is_server_write():
            self.check_access("write")  # a store user is refused by the access rights first
            raise UserError(self.env._("Balance holds are made by the server only."))
        return super().write(vals)

    # ------------------------------------------------------------ authorising
    @api.model
    def _hold_message(self, kind, available, amount):
        if kind == "stored_value":
            return self.env._(
                "Not enough stored value: %(available)s available, %(amount)s needed.",
                available=f"{available:.2f}",
                amount=f"{amount:.2f}",
            )
        return self.env._(
            "Not enough points: %(available)s available, %(amount)s needed.",
            available=int(available),
            amount=int(amount),
        )

    @api.model
    def _authorize(self, session, card, kind, order_uuid, amount):
        """Hold ``amount`` on ``card`` for the order ``order_uuid`` (replacing that order's hold of
        this kind) if the balance less the card's other active holds covers it.

        Returns ``{"authorized": bool, "message", "available", "amount", "expire_at"}``. The card row
        is locked first, so two tills holding on one card are served one after the other.
        """
        config = session.config_id
        till = {
            "session_id": session.id,
            "config_id": config.id,
            "store_id": config.store_id.id,
            "region_id": config.store_id.region_id.id,
        }
        return self._authorize_on(till, SQL("id = %s", card.id), kind, order_uuid, amount)

    @api.model
    def _authorize_on(self, till, card_where, kind, order_uuid, amount):
        """``_authorize`` in three statements, for the till's hot path: lock the card row chosen by
        ``card_where`` (an SQL condition on ``loyalty_card``), add up its other active holds, then
        insert this order's hold or replace it (one upsert on the unique index of active holds).

        ``till``: the ids of ``session_id``, ``config_id``, ``store_id`` and ``region_id`` (the
        hold's own fields, written here as the ORM would). No card matched: ``None``.
        """
        cr = self.env.cr
        # What the SQL below reads must be in the database (pending ORM writes of this transaction).
        self.env.flush_all()
        locked = self._lock_card(card_where)
        if not locked:
            return None
        card_id, partner_id, balance = locked
        now = fields.Datetime.now()
        # A statement of its own, after the lock: at READ COMMITTED it sees what the till that held
        # the lock before us committed (at REPEATABLE READ, see _lock_card).
        cr.execute(
            """SELECT COALESCE(SUM(amount), 0) FROM store_member_hold
                WHERE card_id = %s AND state = 'held' AND expire_at > %s
                  AND NOT (order_uuid = %s AND kind = %s)""",
            [card_id, now, order_uuid, kind],
        )
        available = balance - cr.fetchone()[0]
        digits = 2 if kind == "stored_value" else 0
        # Rounded to the cent first: a balance of float sums (101.80 - 100 = 1.7999999999999972)
        # rounded down would be a cent short of what the member has.
        available = float_round(
            float_round(max(available, 0.0), precision_digits=6),
            precision_digits=digits,
            rounding_method="DOWN",
        )
        result = {"available": available, "amount": amount}
        if float_compare(amount, available, precision_digits=2) > 0:
            # Refused: this order's earlier hold of this kind, if any, is given up.
            cr.execute(
                """UPDATE store_member_hold
                      SET state = 'released', write_uid = %s, write_date = now() AT TIME ZONE 'UTC'
                    WHERE order_uuid = %s AND kind = %s AND state = 'held'""",
                [self.env.uid, order_uuid, kind],
            )
            self.invalidate_model(["state"])
            return {**result, "authorized": False, "message": self._hold_message(kind, available, amount)}
        expire_at = now + timedelta(minutes=HOLD_MINUTES)
        # The ORM's create/write of a hold, in one statement: the fields an ORM create sets (the
        # model has no other default; create and write dates: the transaction's time, as the
        # ORM's), the active hold of this order and kind replaced in place.
        cr.execute(
            """INSERT INTO store_member_hold
                    (card_id, partner_id, kind, amount, order_uuid, config_id, session_id, store_id,
                     region_id, state, expire_at, create_uid, create_date, write_uid, write_date)
               VALUES (%(card)s, %(partner)s, %(kind)s, %(amount)s, %(uuid)s, %(config_id)s,
                       %(session_id)s, %(store_id)s, %(region_id)s, 'held', %(expire_at)s,
                       %(uid)s, now() AT TIME ZONE 'UTC', %(uid)s, now() AT TIME ZONE 'UTC')
               ON CONFLICT (order_uuid, kind) WHERE state = 'held' DO UPDATE SET
                    card_id = EXCLUDED.card_id, partner_id = EXCLUDED.partner_id,
                    amount = EXCLUDED.amount, config_id = EXCLUDED.config_id,
                    session_id = EXCLUDED.session_id, store_id = EXCLUDED.store_id,
                    region_id = EXCLUDED.region_id, expire_at = EXCLUDED.expire_at,
                    write_uid = EXCLUDED.write_uid, write_date = EXCLUDED.write_date""",
            {
                **till,
                "card": card_id,
                "partner": partner_id,
                "kind": kind,
                "amount": amount,
                "uuid": order_uuid,
                "expire_at": expire_at,
                "uid": self.env.uid,
            },
        )
        self.invalidate_model()
        return {
            **result,
            "authorized": True,
            "message": False,
            "available": available - amount,
            "expire_at": fields.Datetime.to_string(expire_at),
        }

    @api.model
    def _release(self, order_uuid, kinds):
        holds = self.sudo().search(
            [("order_uuid", "=", order_uuid), ("kind", "in", list(kinds)), ("state", "=", "held")]
        )
        holds._set_state("released")
        return len(holds)

    # -------------------------------------------------------------- capturing
    @api.model
    def _valid_hold(self, order, kind, card, needed):
        """The hold ``order`` may capture for ``needed`` of ``kind`` on ``card``, or an error message."""
        # The fields checked below, read with the search (one query).
        hold = self.sudo().search_fetch(
            [("order_uuid", "=", order.uuid), ("kind", "=", kind), ("state", "=", "held")],
            ["expire_at", "card_id", "config_id", "amount"],
            limit=1,
        )
        label = self.env._("stored value") if kind == "stored_value" else self.env._("points")
        if not hold:
            return self.env._(
                "Order %(order)s spends %(what)s without an authorisation from the server: "
                "the till must be online and ask for it before the order is paid.",
                order=order.pos_reference or order.uuid,
                what=label,
            )
        if hold.expire_at <= fields.Datetime.now():
            return self.env._(
                "The %(what)s authorisation of order %(order)s has expired: pay it again.",
                what=label,
                order=order.pos_reference or order.uuid,
            )
        if hold.card_id != card or hold.config_id != order.config_id:
            return self.env._(
                "The %(what)s authorisation of order %(order)s was given for another member or till.",
                what=label,
                order=order.pos_reference or order.uuid,
            )
        if float_compare(hold.amount, needed, precision_digits=2) < 0:
            return self.env._(
                "Order %(order)s spends %(needed)s of %(what)s but only %(held)s was authorised.",
                order=order.pos_reference or order.uuid,
                needed=round(needed, 2),
                held=round(hold.amount, 2),
                what=label,
            )
        return hold

    def _capture(self, order):
        with server_write():
            self.sudo().write({"state": "captured", "pos_order_id": order.id})

    # ---------------------------------------------------------------- helpers
    @api.model
    def _lock_card(self, card_where):
        """Lock the card row chosen by ``card_where`` (SQL on ``loyalty_card``); returns its
        ``(id, partner id, balance)`` as locked, or ``None``.

        The row is updated, not just locked (``FOR UPDATE``): at REPEATABLE READ (Odoo's level), a
        till whose snapshot was taken before another till committed its hold would get a mere lock
        and still not see that hold. Updating the row makes such a till fail with a serialization
        error instead, and Odoo retries its request on a fresh snapshot. At READ COMMITTED the
        update waits for the other till, and the statements after it see what that till committed.
        """
        self.env.cr.execute(
            SQL(
                "UPDATE loyalty_card SET write_date = write_date WHERE %s RETURNING id, partner_id, points",
                card_where,
            )
        )
        row = self.env.cr.fetchone()
        if row:
            self.env["loyalty.card"].browse(row[0]).invalidate_recordset(["points"])
        return row

    def _set_state(self, state):
        if self:
            with server_write():
                self.sudo().write({"state": state})

    @api.model
    def _cron_expire_holds(self):
        """Release the holds no order captured in time: their amount is available again."""
        holds = self.sudo().search(
            [("state", "=", "held"), ("expire_at", "<=", fields.Datetime.now())], limit=10000
        )
        holds._set_state("expired")
        return len(holds)
