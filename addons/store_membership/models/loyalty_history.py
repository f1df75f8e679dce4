from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import SQL

from odoo.addons.store_pos_ext.models.server_guard import is_server_write

LEDGER_KINDS = [
    ("earn", "Earn"),
    ("redeem", "Redeem"),
    ("expire", "Expire"),
    ("topup", "Top-up"),
    ("bonus", "Top-up bonus"),
    ("pay", "Pay"),
    ("refund", "Refund"),
    ("adjust", "Adjustment"),
]

# Fields the ledger itself may still change on a posted line (FIFO bookkeeping of a batch).
BATCH_FIELDS = {"remaining", "reminder_sent"}


class LoyaltyHistory(models.Model):
    """Core's card history, used as the immutable member ledger for chain cards.

    A line of a chain card (points or stored value) is written only by ``loyalty.card._store_post``;
    afterwards only its FIFO bookkeeping (``remaining``) changes, and never by a user.
    """

    _name = "loyalty.history"
    _inherit = ["loyalty.history", "store.scope.guard"]

    store_chain_role = fields.Selection(related="card_id.program_id.store_chain_role", store=True)
    partner_id = fields.Many2one("res.partner", string="Member", index=True, readonly=True)
    store_id = fields.Many2one("store.store", index=True, readonly=True)
    region_id = fields.Many2one("store.region", related="store_id.region_id", store=True)
    origin_store_id = fields.Many2one(
        "store.store",
        readonly=True,
        index=True,
        help="Store where the consumed points or stored value were issued (inter-store settlement).",
    )
    kind = fields.Selection(LEDGER_KINDS, readonly=True, index=True)
    amount = fields.Float(readonly=True, help="Signed change of the balance.")
    balance_after = fields.Float(readonly=True)
    value_cny = fields.Monetary(
        "Value (CNY)", currency_field="currency_id", readonly=True, help="Signed value of the change."
    )
    spent_value_cny = fields.Monetary(
        "Spent (CNY)",
        currency_field="currency_id",
        readonly=True,
        help="Value of points redeemed or stored value paid by this line (inter-store settlement).",
    )
    currency_id = fields.Many2one(related="card_id.program_id.currency_id")
    sv_part = fields.Selection(
        [("principal", "Principal"), ("bonus", "Bonus")], "Stored value part", readonly=True
    )
    user_id = fields.Many2one("res.users", readonly=True, default=lambda self: self.env.uid)
    pos_order_id = fields.Many2one("pos.order", readonly=True, index="btree_not_null")
    reason = fields.Char(readonly=True)
    ledger_key = fields.Char(readonly=True, copy=False)
    remaining = fields.Float(readonly=True, help="Part of a credit not yet consumed (FIFO).")
    expire_date = fields.Date(readonly=True)
    reminder_sent = fields.Boolean(readonly=True)
    source_line_id = fields.Many2one("loyalty.history", "Consumed batch", readonly=True)
    is_cross_store = fields.Boolean(
        "Spent in another store",
        compute="_compute_is_cross_store",
        search="_search_is_cross_store",
        help="Spent in another store than the one that issued it (inter-store settlement).",
    )

    _ledger_key_unique = models.UniqueIndex("(ledger_key) WHERE ledger_key IS NOT NULL")
    _open_batch_idx = models.Index("(card_id, expire_date, id) WHERE remaining > 0")

    @api.depends("store_id", "origin_store_id")
    def _compute_is_cross_store(self):
        for line in self:
            line.is_cross_store = bool(
                line.store_id and line.origin_store_id and line.store_id != line.origin_store_id
            )

    def _search_is_cross_store(self, operator, value):
        """Lines whose store and issuing store are both known and differ: two columns compared
        in SQL (a domain compares a field with a value only)."""
        if operator not in ("in", "not in"):
            return NotImplemented
        wanted = {bool(v) for v in value}
        if operator == "not in":
            wanted = {True, False} - wanted
        if wanted == {True, False}:
            return Domain.TRUE
        if not wanted:
            return Domain.FALSE

        def to_sql(model, alias, query):
            store = model._field_to_sql(alias, "store_id", query)
            origin = model._field_to_sql(alias, "origin_store_id", query)
            cross = SQL("(%s IS NOT NULL AND %s IS NOT NULL AND %s != %s)", store, origin, store, origin)
            return cross if True in wanted else SQL("NOT %s", cross)

        return Domain.custom(to_sql=to_sql)

    def _store_guarded(self):
        return self.filtered(lambda h: h.sudo().card_id.program_id.store_chain_role)

    @api.model_create_multi
    def create(self, vals_list):
        if not is_server_write():
            card_ids = {vals.get("card_id") for vals in vals_list}
            cards = self.env["loyalty.card"].sudo().browse(card_ids).exists()
            if cards.filtered("program_id.store_chain_role"):
                raise UserError(
                    self.env._("The member ledger is written by the server only (points and stored value).")
                )
        return super().create(vals_list)

    def write(self, vals):
        guarded = bool(self._store_guarded())
        if not guarded and vals.get("card_id"):
            # Moved onto a chain card (e.g. a line made on a coupon): a forged ledger line.
            target = self.env["loyalty.card"].sudo().browse(vals["card_id"]).exists()
            guarded = bool(target.program_id.store_chain_role)
        if guarded and (not is_server_write() or set(vals) - BATCH_FIELDS):
            raise UserError(self.env._("Member ledger lines cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never_ledger(self):
        if self._store_guarded():
            raise UserError(self.env._("Member ledger lines cannot be deleted."))
