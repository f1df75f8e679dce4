from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_is_zero
from odoo.tools.misc import format_date, formatLang

from odoo.addons.store_pos_ext.models.server_guard import is_server_write, server_write

GUARDED_FIELDS = {"points", "program_id", "partner_id"}
# A coupon of a server-issued program (the birthday coupon): who holds it, its uses and validity.
COUPON_FIELDS = GUARDED_FIELDS | {"expiration_date"}
# A member's chain card: also its code, validity and status (an archived stored-value card drops
# out of the POS, and the next top-up would open a second card beside it).
CHAIN_CARD_FIELDS = COUPON_FIELDS | {"code", "active"}
PRECISION = 2


class StoreInsufficientBalance(UserError):
    """Raised when a debit would take a chain card below zero."""


class LoyaltyCard(models.Model):
    _inherit = "loyalty.card"

    store_chain_role = fields.Selection(related="program_id.store_chain_role")
    store_sv_principal = fields.Float(
        "Principal", compute="_compute_store_sv_parts", help="Unspent stored value paid by the member."
    )
    store_sv_bonus = fields.Float("Bonus", compute="_compute_store_sv_parts")

    def _compute_store_sv_parts(self):
        # The card's own batches, wherever they were issued (a store user sees only their store's lines).
        rows = (
            self.env["loyalty.history"]
            .sudo()
            ._read_group(
                [("card_id", "in", self.ids), ("remaining", ">", 0), ("sv_part", "!=", False)],
                ["card_id", "sv_part"],
                ["remaining:sum"],
            )
        )
        parts = {(card.id, part): total for card, part, total in rows}
        for card in self:
            card.store_sv_principal = parts.get((card.id, "principal"), 0.0)
            card.store_sv_bonus = parts.get((card.id, "bonus"), 0.0)

    # ------------------------------------------------------------------ guards
    @api.model_create_multi
    def create(self, vals_list):
        if not is_server_write():
            program_ids = {vals.get("program_id") for vals in vals_list}
            programs = self.env["loyalty.program"].sudo().browse(program_ids).exists()
            if programs.filtered("store_chain_role"):
                raise UserError(self.env._("Member cards are created by the server only."))
            if programs.filtered("store_server_issued"):
                raise UserError(self.env._("These coupons are issued and used by the server only."))
        return super().create(vals_list)

    def write(self, vals):
        if not is_server_write() and CHAIN_CARD_FIELDS & set(vals):
            target = self.env["loyalty.program"].sudo().browse(vals.get("program_id") or [])
            programs = self.sudo().program_id | target
            chain = programs.filtered("store_chain_role")
            if chain and CHAIN_CARD_FIELDS & set(vals):
                raise UserError(
                    self.env._(
                        "Points and stored value change only through sales, top-ups and HQ adjustments."
                    )
                )
            if (programs - chain).filtered("store_server_issued") and COUPON_FIELDS & set(vals):
                raise UserError(self.env._("These coupons are issued and used by the server only."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never_member_card(self):
        if not is_server_write() and self.sudo().program_id.filtered("store_chain_role"):
            raise UserError(self.env._("Member cards cannot be deleted."))

    def action_loyalty_update_balance(self):
        if self.program_id.store_chain_role:
            return self.env["ir.actions.act_window"]._for_xml_id(
                "store_membership.store_member_adjust_action"
            ) | {"context": {"default_card_id": self.id}}
        return super().action_loyalty_update_balance()

    # ------------------------------------------------------------------ ledger
    def _store_lock(self):
        """Row-lock the cards: a second till spending the same balance waits, then sees the new
        balance (or gets a serialization error and its request is retried by Odoo)."""
        if self.ids:
            self.flush_recordset(["points"])
            self.env.cr.execute(
                "SELECT id, points FROM loyalty_card WHERE id IN %s ORDER BY id FOR UPDATE", [tuple(self.ids)]
            )
            # The balances as the lock found them, into the cache (reading them again after an
            # invalidation would fetch the whole card).
            points = self._fields["points"]
            for card_id, balance in self.env.cr.fetchall():
                points._update_cache(self.browse(card_id), balance or 0.0)

    def _store_unit_value(self):
        self.ensure_one()
        if self.program_id.store_chain_role == "stored_value":
            return 1.0
        return self.program_id.store_point_value

    def _store_key_done(self, key, order=False):
        if not key:
            return False
        fresh_order = order and order._name == "pos.order" and key.startswith(order._store_key(""))
        if fresh_order and order._store_is_new():
            return False  # an order created in this transaction: no ledger line names it yet
        return bool(self.env["loyalty.history"].sudo().search_count([("ledger_key", "=", key)], limit=1))

    def _store_line_vals(self, kind, amount, balance, *, store, order, key, reason, **extra):
        self.ensure_one()
        store = store or (order and order.store_id)
        return {
            "card_id": self.id,
            "partner_id": self.partner_id.id,
            "kind": kind,
            "amount": amount,
            "issued": max(amount, 0.0),
            "used": max(-amount, 0.0),
            "balance_after": balance,
            "value_cny": amount * self._store_unit_value(),
            "store_id": store.id if store else False,
            # the stored related fields, given so that no UPDATE follows the INSERT
            "store_chain_role": self.program_id.store_chain_role,
            "region_id": store.region_id.id if store else False,
            "pos_order_id": order.id if order else False,
            "order_model": "pos.order" if order else False,
            "order_id": order.id if order else False,
            "ledger_key": key or False,
            "reason": reason or False,
            "description": reason or self._store_kind_label(kind),
            **extra,
        }

    def _store_company_env(self):
        """The environment in the card's company's language: ledger lines are read by HQ and the
        stores, whoever (a cron, an English-speaking admin) writes them."""
        # The program's company (the card's is the same, stored): the program is read for the
        # ledger line anyway, reading the card's would fetch the whole card again.
        company = self.program_id.company_id or self.env.company
        return self.with_context(lang=company._store_lang()).env

    def _store_kind_label(self, kind):
        env = self._store_company_env()
        return dict(env["loyalty.history"]._fields["kind"]._description_selection(env))[kind]

    def _store_set_points(self, points):
        with server_write():
            self.with_context(loyalty_no_mail=True, tracking_disable=True).write({"points": points})

    def _store_credit(self, kind, amount, **kwargs):
        """Add ``amount`` (> 0) to the card (see ``_store_post``)."""
        if float_compare(amount, 0.0, PRECISION) <= 0:
            return self.env["loyalty.history"]
        return self._store_post(kind, amount, **kwargs)

    def _store_debit(self, kind, amount, **kwargs):
        """Take ``amount`` (> 0) off the card (see ``_store_post``)."""
        if float_compare(amount, 0.0, PRECISION) <= 0:
            return self.env["loyalty.history"]
        return self._store_post(kind, -amount, **kwargs)

    def _store_post(
        self,
        kind,
        amount,
        *,
        store=False,
        order=False,
        key=False,
        reason=False,
        expire_date=False,
        sv_part=False,
        parts=None,
        allow_negative=False,
        value_cny=None,
    ):
        """The one way a balance changes: lock the card, post once per idempotency ``key``,
        write the ledger lines with the balance after each, set the card's balance.

        A credit (``amount`` > 0) is one ledger line that is also a FIFO batch (``expire_date``,
        ``sv_part``). A debit (``amount`` < 0) consumes the oldest open batches first (of
        ``parts`` only, if given): one ledger line per (store where the value was issued,
        principal/bonus), so the inter-store settlement knows who issued what was spent. A
        debit beyond the balance raises ``StoreInsufficientBalance`` unless ``allow_negative``.
        ``value_cny`` overrides the CNY value of the lines (e.g. 0 for a coupon).
        """
        self.ensure_one()
        if float_is_zero(amount, PRECISION) or self._store_key_done(key, order):
            return self.env["loyalty.history"]
        self._store_lock()
        extra = {} if value_cny is None else {"value_cny": value_cny}
        common = {"store": store, "order": order, "reason": reason}
        if amount > 0:
            before = self.points
            balance = before + amount
            # A balance below zero (a refund took back points already spent) is covered first.
            origin = store or (order and order.store_id) or self.env["store.store"]
            vals_list = [
                self._store_line_vals(
                    kind,
                    amount,
                    balance,
                    key=key,
                    remaining=amount if before >= 0 else max(amount + before, 0.0),
                    expire_date=expire_date,
                    sv_part=sv_part,
                    origin_store_id=origin.id,
                    **common,
                    **extra,
                )
            ]
        else:
            vals_list, balance = self._store_debit_lines(
                kind, -amount, key, parts, allow_negative, common, extra
            )
        self._store_set_points(balance)
        with server_write():
            return self.env["loyalty.history"].sudo().create(vals_list)

    def _store_open_batches(self, parts=None):
        domain = [("card_id", "=", self.id), ("remaining", ">", 0)]
        if parts:
            domain.append(("sv_part", "in", list(parts)))
        batches = self.env["loyalty.history"].sudo().search(domain, order="expire_date asc nulls last, id")
        if self.program_id.store_chain_role == "stored_value":
            # Principal is spent before bonus, so a refund of unused principal cannot cash out a bonus.
            batches = batches.sorted(lambda b: b.sv_part != "principal")
        return batches

    def _store_debit_lines(self, kind, amount, key, parts, allow_negative, common, extra):
        """The ledger lines of a debit of ``amount`` and the balance after it; consumes the batches."""
        batches = self._store_open_batches(parts)
        available = self.points if not parts else sum(batches.mapped("remaining"))
        if not allow_negative and float_compare(available, amount, PRECISION) < 0:
            raise StoreInsufficientBalance(
                self.env._(
                    "Not enough balance on %(card)s: %(available)s available, %(amount)s needed.",
                    card=self.display_name,
                    available=round(available, 2),
                    amount=round(amount, 2),
                )
            )
        taken = defaultdict(float)
        rest = amount
        with server_write():
            for batch in batches:
                if float_is_zero(rest, PRECISION):
                    break
                part = min(rest, batch.remaining)
                batch.remaining = batch.remaining - part
                taken[(batch.origin_store_id.id, batch.sv_part or False)] += part
                rest -= part
        if not float_is_zero(rest, PRECISION):
            taken[(False, False)] += rest
        balance = self.points
        vals_list = []
        for n, ((origin_id, part), value) in enumerate(taken.items()):
            balance -= value
            spent = value * self._store_unit_value() if kind in ("redeem", "pay") else 0.0
            vals_list.append(
                self._store_line_vals(
                    kind,
                    -value,
                    balance,
                    key=key if n == 0 or not key else f"{key}#{n + 1}",
                    origin_store_id=origin_id,
                    sv_part=part,
                    spent_value_cny=abs(extra["value_cny"]) if "value_cny" in extra else spent,
                    **common,
                    **extra,
                )
            )
        return vals_list, balance

    def _store_expire_date(self, from_date=False):
        self.ensure_one()
        months = self.program_id.store_points_validity_months
        if self.program_id.store_chain_role != "points" or months <= 0:
            return False
        return fields.Date.add(from_date or fields.Date.context_today(self), months=months)

    # ------------------------------------------------------------------ crons
    @api.model
    def _cron_store_expire_points(self):
        """Expire the unspent rest of every points batch past its date, oldest first."""
        today = fields.Date.context_today(self)
        History = self.env["loyalty.history"].sudo()
        batches = History.search(
            [("remaining", ">", 0), ("expire_date", "<", today), ("store_chain_role", "=", "points")],
            order="expire_date, id",
            limit=10000,
        )
        by_card = defaultdict(float)
        for batch in batches:
            by_card[batch.card_id] += batch.remaining
        for card, total in by_card.items():
            env = card._store_company_env()
            card._store_debit(
                "expire",
                total,
                key=f"expire:{card.id}:{today}",
                reason=env._("Points expired on %s", format_date(env, today)),
            )
        return len(by_card)

    @api.model
    def _cron_store_points_reminder(self):
        """Tell members (chatter message, mail if they have an e-mail) about points expiring soon."""
        today = fields.Date.context_today(self)
        History = self.env["loyalty.history"].sudo()
        programs = self.env["loyalty.program"].sudo().search([("store_chain_role", "=", "points")])
        reminded = 0
        for program in programs:
            horizon = fields.Date.add(today, days=program.store_expiry_reminder_days)
            batches = History.search(
                [
                    ("card_id.program_id", "=", program.id),
                    ("remaining", ">", 0),
                    ("expire_date", ">=", today),
                    ("expire_date", "<=", horizon),
                    ("reminder_sent", "=", False),
                ],
                limit=10000,
            )
            per_partner = defaultdict(lambda: [0.0, None])
            for batch in batches:
                entry = per_partner[batch.partner_id]
                entry[0] += batch.remaining
                entry[1] = min(entry[1] or batch.expire_date, batch.expire_date)
            for partner, (points, first_date) in per_partner.items():
                # In the member's language (the cron runs as OdooBot, in English).
                env = self.with_context(lang=partner._store_lang()).env
                partner.message_post(
                    body=env._(
                        "%(points)s points expire on %(date)s. Spend them in any of our stores.",
                        points=formatLang(env, int(points), digits=0),
                        date=format_date(env, first_date),
                    ),
                    message_type="notification",
                    subtype_xmlid="mail.mt_comment" if partner.email else "mail.mt_note",
                    partner_ids=partner.ids if partner.email else [],
                )
                reminded += 1
            with server_write():
                batches.write({"reminder_sent": True})
        return reminded
