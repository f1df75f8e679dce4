from contextlib import contextmanager
from contextvars import ContextVar

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command

# A paid order's customer, lines and amounts are what was sold: users cannot change them. Core's
# own sync writes them on an order it is processing (it creates orders already paid, then
# recomputes their amounts), and a few server flows (a member merge) move orders to another
# customer: those run inside ``editing_paid_orders``. A context variable, not a context key: a
# browser can send any context, this lives in the server thread only.
_PAID_EDIT = ContextVar("store_pos_ext_paid_edit", default=frozenset())
# Set while orders are created: their lines are created with them (core creates synced orders paid).
_CREATING = ContextVar("store_pos_ext_creating_orders", default=False)
_ALL = "*"
PAID_STATES = ("paid", "done")
PAID_AMOUNT_FIELDS = ("amount_total", "amount_tax", "amount_paid", "amount_return", "amount_difference")


@contextmanager
def editing_paid_orders(uuids=_ALL):
    """Let server code write the customer, lines and amounts of paid orders: those of ``uuids``
    (core's sync of these orders), or of any order (the default). Never reachable over RPC."""
    allowed = _PAID_EDIT.get()
    token = _PAID_EDIT.set(allowed | ({_ALL} if uuids == _ALL else {u for u in uuids if u}))
    try:
        yield
    finally:
        _PAID_EDIT.reset(token)


def paid_edit_allowed(order):
    allowed = _PAID_EDIT.get()
    return _ALL in allowed or order.uuid in allowed


def creating_orders():
    return _CREATING.get()


def resent_commands(records, commands):
    """The commands of a draft order re-sent to the server (its answer was lost, so the till
    still holds its lines and payments as new) against ``records``, what the draft already has.

    A "create" of a record the draft has (same uuid) updates it instead of failing on the uuid
    constraint. Creates without uuid cannot be matched: the re-sent order then carries all its
    records, and those of the draft it does not name are dropped instead of kept twice."""
    by_uuid = {record.uuid: record for record in records if record.uuid}
    named, result, anonymous = set(), [], False
    for command in commands:
        if command[0] == Command.CREATE:
            vals = command[2] or {}
            record = by_uuid.get(vals.get("uuid"))
            if record:
                named.add(record.id)
                result.append(Command.update(record.id, _replacing_vals(record, vals)))
                continue
            anonymous = anonymous or not vals.get("uuid")
        elif command[0] in (Command.UPDATE, Command.LINK):
            named.add(command[1])
        result.append(command)
    if anonymous:
        result = [Command.delete(record.id) for record in records if record.id not in named] + result
    return result


def _replacing_vals(record, vals):
    """``vals`` of a re-sent ``record`` as an update: its one2many values (lots, custom
    attribute values), sent as new again, replace the ones it has rather than add to them."""
    update = {}
    for name, value in vals.items():
        if name == "uuid":
            continue
        field = record._fields.get(name)
        if (
            field
            and field.type == "one2many"
            and value
            and all(c[0] == Command.CREATE for c in value)
            and record[name]
        ):
            value = [Command.clear(), *value]
        update[name] = value
    return update


class PosOrder(models.Model):
    _inherit = "pos.order"

    store_id = fields.Many2one(related="config_id.store_id", string="Store", store=True, index=True)
    region_id = fields.Many2one(
        related="config_id.store_id.region_id", string="Region", store=True, index=True
    )

    # ------------------------------------------------------------------ sync
    @api.model
    def _process_order(self, order, existing_order):
        # Chain POS only: a POS without a store keeps core's sync as it is.
        if existing_order and existing_order.config_id.store_id:
            for field in ("lines", "payment_ids"):
                if order.get(field):
                    order[field] = resent_commands(existing_order[field], order[field])
        # Core writes the amounts of the order it processes after creating it paid.
        with editing_paid_orders([order.get("uuid")]):
            return super()._process_order(order, existing_order)

    # ------------------------------------------------------------------ guard
    @api.model_create_multi
    def create(self, vals_list):
        token = _CREATING.set(True)
        try:
            return super().create(vals_list)
        finally:
            _CREATING.reset(token)

    def write(self, vals):
        if set(vals) & ({"partner_id", "lines"} | set(PAID_AMOUNT_FIELDS)):
            self._check_paid_order_write(vals)
        return super().write(vals)

    def _check_paid_order_write(self, vals):
        """Refuse changing the customer, lines or amounts of a paid order. A customer may be set
        on a paid order that has none (core's way to invoice it later) when ``_paid_partner_settable``
        allows it; amounts may be rewritten to what the lines and payments give (core's recompute
        after a payment change), never to a made-up figure."""
        # Orders of a store's POS only: a POS without a store keeps core's behaviour.
        for order in self.filtered(lambda o: o.state in PAID_STATES and o.config_id.store_id):
            if paid_edit_allowed(order):
                continue
            if vals.get("lines"):
                raise UserError(self.env._("The lines of a paid order cannot be changed: make a refund."))
            changes_partner = "partner_id" in vals and (vals["partner_id"] or False) != order.partner_id.id
            if changes_partner and (order.partner_id or not order._paid_partner_settable()):
                raise UserError(
                    self.env._("The customer of a paid order cannot be changed: refund it and sell again.")
                )
            currency = order.currency_id
            paid = sum(order.payment_ids.mapped("amount"))
            expected = {
                "amount_total": order.amount_total,
                "amount_tax": order.amount_tax,
                "amount_paid": paid,
                "amount_return": -sum(a for a in order.payment_ids.mapped("amount") if a < 0),
                "amount_difference": paid - vals.get("amount_total", order.amount_total),
            }
            for name in PAID_AMOUNT_FIELDS:
                if name in vals and currency.compare_amounts(vals[name] or 0.0, expected[name]):
                    raise UserError(self.env._("The amounts of a paid order cannot be changed."))

    def _paid_partner_settable(self):
        """Whether a customer may be set on this paid order that has none (other addons refuse it
        when the order already counted for someone)."""
        self.ensure_one()
        return not self.partner_id
