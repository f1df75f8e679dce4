import json
from collections import defaultdict
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tools import SQL, float_compare, float_round

from .server_guard import is_server_write, server_write
from .store_scoped_mixin import CHAIN_ROLES

# A paid order's customer, lines and amounts are what was sold: users cannot change them. Core's
# own sync writes them on an order it is processing (it creates orders already paid, then
# recomputes their amounts), and a few server flows (a member merge) move orders to another
# customer: those run inside ``editing_paid_orders``. A context variable, not a context key: a
# browser can send any context, this lives in the server thread only.
_PAID_EDIT = ContextVar("store_pos_ext_paid_edit", default=frozenset())
# Set while orders are created: their lines are created with them (core creates synced orders paid).
_CREATING = ContextVar("store_pos_ext_creating_orders", default=False)
# {order id: paid yet} of the orders whose after-payment work waits for core's _process_saved_order.
_AFTER_PAID_LATER = ContextVar("store_pos_ext_after_paid_later", default=None)
_ALL = "*"
PAID_STATES = ("paid", "done")
PAID_AMOUNT_FIELDS = ("amount_total", "amount_tax", "amount_paid", "amount_return", "amount_difference")
# When, by whom and at which till a paid order was sold: what the server saved when the till synced
# it. Nobody changes them afterwards (the dashboards' facts, the session's accounting, the staff
# scores read them); a date sent by a browser is a claim.
PAID_FIXED_FIELDS = ("date_order", "employee_id", "session_id", "config_id", "store_id", "region_id")
# Written by the server's pricing of a paid order only (``_price_check``).
SERVER_FIELDS = {"store_price_state", "store_price_issue", "store_price_difference", "store_price_change_ids"}
# How far an order's date may lie from the server's clock or before its session opened before
# the pricing stops believing it (pricelist rules are judged at the server's time then).
PRICE_DATE_TOLERANCE = timedelta(minutes=10)


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


def _type_problem(env, field, value):
    """What is wrong with ``value`` for ``field`` (translated words), or None."""
    if field.type in ("float", "monetary", "integer"):
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            return env._("is not a number")
        try:
            float(value)
        except ValueError:
            return env._("is not a number")
    elif field.type == "many2one":
        if isinstance(value, bool) or not isinstance(value, int):
            return env._("is not a record id")
    elif field.type in ("date", "datetime"):
        try:
            fields.Datetime.to_datetime(value)
        except (ValueError, TypeError):
            return env._("is not a date")
    elif field.type in ("one2many", "many2many") and not isinstance(value, (list, tuple)):
        return env._("is not a list")
    return None


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
    _name = "pos.order"
    _inherit = ["pos.order", "store.scope.guard"]

    store_id = fields.Many2one(related="config_id.store_id", string="Store", store=True, index=True)
    region_id = fields.Many2one(
        related="config_id.store_id.region_id", string="Region", store=True, index=True
    )
    store_price_state = fields.Selection(
        [("none", "Not priced"), ("ok", "Priced"), ("flagged", "Flagged for HQ")],
        "Server pricing",
        default="none",
        readonly=True,
        copy=False,
        index=True,
    )
    store_price_issue = fields.Text("Pricing issue", readonly=True, copy=False)
    store_price_difference = fields.Monetary(
        "Price difference",
        readonly=True,
        copy=False,
        help="What the server prices the lines flagged for HQ at, minus what they charged "
        "(CNY, taxes included).",
    )
    # Chain roles only: a POS reads every field of its orders.
    store_price_change_ids = fields.One2many(
        "store.price.change", "order_id", "Manual price changes", readonly=True, groups=CHAIN_ROLES
    )

    # ------------------------------------------------------------------ sync
    @api.model
    def _process_order(self, order, existing_order):
        self._store_check_sync_types(order)
        # The POS sends every field of its orders back, with its defaults: the server's are dropped.
        for name in self._store_server_fields():
            order.pop(name, None)
        # Chain POS only: a POS without a store keeps core's sync as it is.
        if existing_order and existing_order.config_id.store_id and existing_order.state in PAID_STATES:
            # Core ignores a paid order sent again; should a flow bring one here, the server keeps
            # its date, cashier and session: what the till sends now is a claim.
            for name in ("date_order", "employee_id", "session_id"):
                if name in order:
                    value = existing_order[name]
                    order[name] = (
                        fields.Datetime.to_string(value) if name == "date_order" else value.id or False
                    )
        if existing_order and existing_order.config_id.store_id:
            for field in ("lines", "payment_ids"):
                if order.get(field):
                    order[field] = resent_commands(existing_order[field], order[field])
        # Core writes the amounts of the order it processes after creating it paid.
        with editing_paid_orders([order.get("uuid")]):
            return super()._process_order(order, existing_order)

    @api.model
    def _store_check_sync_types(self, order):
        """Refuse an order whose values do not have their fields' types, naming the field, before
        core converts them (a bare ValueError/TypeError otherwise, or a half-read order)."""
        if not isinstance(order, dict):
            raise UserError(self.env._("Order data must be a dictionary."))
        ref = order.get("pos_reference") or order.get("uuid") or order.get("name") or "?"

        def check(model, vals, where):
            if not isinstance(vals, dict):
                raise UserError(
                    self.env._("Order %(order)s, %(where)s: not a dictionary.", order=ref, where=where)
                )
            for name, value in vals.items():
                field = model._fields.get(name)
                if field is None or value in (None, False):
                    continue
                problem = _type_problem(self.env, field, value)
                if problem:
                    raise UserError(
                        self.env._(
                            "Order %(order)s, %(where)s: %(field)s: %(value)s %(problem)s.",
                            order=ref,
                            where=where,
                            field=name,
                            value=json.dumps(value, default=str, ensure_ascii=False)[:40],
                            problem=problem,
                        )
                    )

        check(
            self, {k: v for k, v in order.items() if k not in ("lines", "payment_ids")}, self.env._("order")
        )
        for field, model, label in (
            ("lines", self.env["pos.order.line"], self.env._("line %s")),
            ("payment_ids", self.env["pos.payment"], self.env._("payment %s")),
        ):
            commands = order.get(field) or []
            if not isinstance(commands, (list, tuple)):
                raise UserError(
                    self.env._("Order %(order)s: %(field)s must be a list.", order=ref, field=field)
                )
            for n, command in enumerate(commands, 1):
                if not isinstance(command, (list, tuple)) or not command:
                    raise UserError(
                        self.env._("Order %(order)s, %(where)s: not a command.", order=ref, where=label % n)
                    )
                if command[0] in (Command.CREATE, Command.UPDATE) and len(command) == 3:
                    check(model, command[2], label % n)

    # ------------------------------------------------------------------ guard
    @api.model_create_multi
    def create(self, vals_list):
        token = _CREATING.set(True)
        try:
            return super().create(vals_list)
        finally:
            _CREATING.reset(token)

    @api.model
    def _store_server_fields(self):
        """Order fields only the server writes (through ``_store_write``): each addon adds its own."""
        return SERVER_FIELDS

    def _store_write(self, **vals):
        with server_write():
            self.sudo().write(vals)

    def _demo_date_records(self):
        """Demo data only: date these paid orders' records at the order's date, as if the till had
        synced them then (the ORM stamps what it creates with the time of the install). Each addon
        dates what it wrote for an order (the member ledger: ``store_membership``)."""
        if not self:
            return
        self.env.flush_all()
        ids = tuple(self.ids)
        cr = self.env.cr
        cr.execute(
            "UPDATE pos_order SET create_date = date_order, write_date = date_order WHERE id IN %s", [ids]
        )
        for table, column in (("pos_order_line", "order_id"), ("pos_payment", "pos_order_id")):
            cr.execute(
                SQL(
                    "UPDATE %s r SET create_date = o.date_order, write_date = o.date_order"
                    " FROM pos_order o WHERE r.%s = o.id AND o.id IN %s",
                    SQL.identifier(table),
                    SQL.identifier(column),
                    ids,
                )
            )
        self.env.invalidate_all()

    def write(self, vals):
        if not is_server_write() and self._store_server_fields() & set(vals):
            raise UserError(self.env._("These order fields are set by the server only."))
        if set(vals) & ({"partner_id", "lines"} | set(PAID_AMOUNT_FIELDS) | set(PAID_FIXED_FIELDS)):
            self._check_paid_order_write(vals)
        if "account_move" in vals and not self.env.su and not is_server_write():
            self._check_invoice_link(vals["account_move"])
        return super().write(vals)

    def _check_invoice_link(self, move_id):
        """An order's invoice is the one core makes for it (``_generate_pos_order_invoice``: the
        invoice names the order's receipt in its origin and links the order). A user cannot link
        another invoice (another store's, another customer's: the till would load it and the
        order would count as invoiced), nor unlink or replace the one it has."""
        if isinstance(move_id, models.BaseModel):
            move_id = move_id.id
        move = self.env["account.move"].sudo().browse(move_id or []).exists()
        for order in self.filtered(lambda o: o.config_id.store_id):
            if order.account_move == move:
                continue
            origins = {ref.strip() for ref in (move.invoice_origin or "").split(",")} - {""}
            names_order = order.pos_reference in origins or (order.name and move.ref == order.name)
            if (
                order.account_move
                or not move
                or not names_order
                or move.company_id != order.company_id
                or move.move_type not in ("out_invoice", "out_refund")
                or move.commercial_partner_id != order.partner_id.commercial_partner_id
            ):
                raise UserError(
                    self.env._(
                        "Order %(order)s: its invoice is the one made for it from the order, it "
                        "cannot be set or changed by hand.",
                        order=order.pos_reference or order.name,
                    )
                )

    def _check_paid_order_write(self, vals):
        """Refuse changing the customer, lines or amounts of a paid order. A customer may be set
        on a paid order that has none (core's way to invoice it later) when ``_paid_partner_settable``
        allows it; amounts may be rewritten to what the lines and payments give (core's recompute
        after a payment change), never to a made-up figure. Its date, cashier, session and
        point of sale (``PAID_FIXED_FIELDS``) never change, not even in server flows."""
        # Orders of a store's POS only: a POS without a store keeps core's behaviour.
        for order in self.filtered(lambda o: o.state in PAID_STATES and o.config_id.store_id):
            if order._paid_fixed_fields_changed(vals):
                raise UserError(
                    self.env._(
                        "The date, cashier, session and point of sale of a paid order cannot be "
                        "changed: they are what the till synced."
                    )
                )
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

    def _paid_fixed_fields_changed(self, vals):
        """Whether ``vals`` change any of ``PAID_FIXED_FIELDS`` of this order."""
        self.ensure_one()
        for name in PAID_FIXED_FIELDS:
            if name not in vals or name not in self._fields:
                continue
            if self._fields[name].type == "many2one":
                value = vals[name]
                new = value.id if isinstance(value, models.BaseModel) else value or False
                if new != self[name].id:
                    return True
            else:
                new = fields.Datetime.to_datetime(vals[name])
                if (new and new.replace(microsecond=0)) != self[name]:
                    return True
        return False

    def _paid_partner_settable(self):
        """Whether a customer may be set on this paid order that has none (other addons refuse it
        when the order already counted for someone)."""
        self.ensure_one()
        return not self.partner_id

    # ------------------------------------------------------------ paid
    def action_pos_order_paid(self):
        res = super().action_pos_order_paid()
        # Priced at once: its verdict is written with core's own writes of the order, and core's
        # picking reads the products the pricing read.
        self._price_check()
        later = _AFTER_PAID_LATER.get() or {}
        waiting = self.filtered(lambda o: o.id in later)
        for order in waiting:
            later[order.id] = True  # paid: its checks wait for core to be done with it
        (self - waiting)._store_after_paid()
        return res

    def _process_saved_order(self, draft):
        """A synced order is settled and checked (``_store_after_paid``) once core has paid it,
        made its picking and costed it: the settlement's savepoint then flushes the whole order
        once (in the middle of core's work, it split each row's writes in two and recomputed
        twice). ``action_pos_order_paid`` called elsewhere (the back office's payment wizard)
        runs them at once. The mark is a context variable, out of reach of a request."""
        self.ensure_one()
        later = {self.id: False}
        token = _AFTER_PAID_LATER.set(later)
        try:
            res = super()._process_saved_order(draft)
        finally:
            _AFTER_PAID_LATER.reset(token)
        if later[self.id]:
            self._store_after_paid()
        return res

    def _store_after_paid(self):
        """What the chain does with orders just paid and priced (``_price_check``), each addon
        after those it depends on: the member settlement, the promotion check, the facts."""
        return True

    # ------------------------------------------------------------ pricing
    def _price_check(self):
        """Price each paid order of a store's POS on the server, once: write the verdict on the
        order and record its manual price changes (``store.price.change``). An order that does not
        price right is kept (the sale happened) and flagged for HQ with the difference in CNY;
        membership and promotions read the verdict (``_price_issues``) and credit, earn and spend
        nothing on it."""
        for order in self.filtered(lambda o: o.config_id.store_id and o.store_price_state == "none"):
            # The flags are HQ's to read: in the company's language, whatever the till's.
            verdict_order = order.with_context(lang=order.company_id._store_lang())
            changes, issues, difference = verdict_order._price_verdict()
            if changes:
                self.env["store.price.change"].sudo().create(changes)
            order._store_write(
                store_price_state="flagged" if issues else "ok",
                store_price_issue="\n".join(issues) or False,
                store_price_difference=difference,
            )

    def _price_issues(self):
        """What the server pricing found wrong in this paid order (priced now if it was not yet)."""
        self.ensure_one()
        if self.store_price_state == "none":
            if not self.config_id.store_id or self.state not in PAID_STATES:
                return []
            self._price_check()
        return self.store_price_issue.split("\n") if self.store_price_state == "flagged" else []

    def _price_verdict(self):
        """(changes, issues, difference) of this order as the server prices it: the values of its
        ``store.price.change`` records, what is wrong (messages for HQ) and the amount in CNY the
        flagged lines charged less than the server's price (taxes included). Reads only.

        Each goods line is priced as the POS prices it, with core's own functions: the pricelist's
        price for the product, quantity and date (``_compute_price_rule``), plus the extras of its
        no_variant/dynamic attributes; a combo as a whole (its parent's price, the items' extra
        prices and attribute extras, items beyond the free quantity at their combo's price); a
        refund line at the price, discount and taxes of the line it refunds. Reward lines are the
        promotions' and loyalty's to judge; tips, top-ups and gift cards may carry any amount
        (``_price_any_amount_products``). The effective taxes of a line (after the fiscal position)
        must be those of its product for the company.

        A line charged below the server's price, or with a line discount, is a manual price change:
        allowed only to a role the POS lets change prices or give discounts, up to the role's limit
        (``pos.config._price_role_limit``), with a reason (the line's internal note, or the order's).
        A line charged above it costs the chain nothing: it is recorded only when the POS restricts
        price changes to managers, and flagged then when the role is not a manager's."""
        self.ensure_one()
        currency, config = self.currency_id, self.config_id
        digits = self.env["decimal.precision"].precision_get("Product Price")
        role, employee, user, refusal = self._price_role()
        limit = config._price_role_limit(role)
        lines = self.lines.filtered(lambda line: not line._price_is_reward())
        any_amount = None
        changes, issues, difference = [], [], 0.0

        def free(product):
            nonlocal any_amount
            if any_amount is None:
                any_amount = self._price_any_amount_products()
            return product in any_amount

        def name(line):
            return line.full_product_name or line.product_id.display_name

        def money(amount):
            return f"{currency.round(amount):.2f}"

        def compare(a, b, tolerance=0.0):
            if tolerance:
                return 0 if abs(a - b) <= tolerance else (1 if a > b else -1)
            return float_compare(a, b, precision_digits=digits)

        # What the POS charges for each judged line: (anchor line, server unit price, charged unit
        # price, quantity, tolerance on the unit price, line discount given, lowered price_unit).
        judged = []
        discount_product = self._price_discount_product()
        # A refunded combo's lines are refund lines: each at the price of the line it refunds.
        refunds = lines.filtered("refunded_orderline_id")
        combos = (lines - refunds).filtered(lambda line: line.combo_line_ids and not line.combo_parent_id)
        in_combo = combos | combos.combo_line_ids
        goods = lines - in_combo - refunds - lines.filtered(lambda line: line.product_id == discount_product)
        prices = self._price_expected(goods | combos)
        # A price above the server's costs the chain nothing: judged (and recorded) only where the
        # POS restricts price changes to managers.
        judge_higher = config.restrict_price_control
        for line in goods:
            expected = float_round(prices[line], precision_digits=digits)
            charged = line.price_unit * (1 - (line.discount or 0.0) / 100.0)
            off = compare(charged, expected)
            if (off < 0 or line.discount or (off and judge_higher)) and not free(line.product_id):
                judged.append(
                    (
                        line,
                        expected,
                        charged,
                        line.qty,
                        0.0,
                        bool(line.discount),
                        compare(line.price_unit, expected) < 0,
                    )
                )
        for parent in combos:
            expected, charged, count = self._price_combo(parent, prices[parent])
            discounted = any(parent.combo_line_ids.mapped("discount")) or bool(parent.discount)
            qty = parent.qty or 1.0
            tolerance = currency.rounding * count / abs(qty)
            off = compare(charged / qty, expected / qty, tolerance)
            if off < 0 or discounted or (off and judge_higher):
                list_charged = sum(line.price_unit * line.qty for line in parent | parent.combo_line_ids)
                judged.append(
                    (
                        parent,
                        expected / qty,
                        charged / qty,
                        qty,
                        tolerance,
                        discounted,
                        compare(list_charged / qty, expected / qty, tolerance) < 0,
                    )
                )
        for line in refunds:
            sold = line.refunded_orderline_id
            expected = sold.price_unit * (1 - (sold.discount or 0.0) / 100.0)
            charged = line.price_unit * (1 - (line.discount or 0.0) / 100.0)
            if compare(charged, expected) > 0 and line.qty < 0:
                diff = currency.round((expected - charged) * line.qty)
                issues.append(
                    self.env._(
                        "Refund line %(product)s: %(charged)s CNY a unit back for a sale at %(price)s CNY: "
                        "%(diff)s CNY more than was paid.",
                        product=name(line),
                        charged=money(charged),
                        price=money(expected),
                        diff=money(diff),
                    )
                )
                difference += diff
            if line.tax_ids != sold.tax_ids:
                issues.append(
                    self.env._(
                        "Refund line %(product)s: taxes %(taxes)s instead of those of its sale (%(sold)s).",
                        product=name(line),
                        taxes=", ".join(line.tax_ids.mapped("name")) or "-",
                        sold=", ".join(sold.tax_ids.mapped("name")) or "-",
                    )
                )
        for line in lines.filtered(lambda line: line.product_id == discount_product):
            base = sum((lines - line).filtered(lambda other: other.qty > 0).mapped("price_subtotal_incl"))
            judged.append((line, base, base + line.price_subtotal_incl, 1.0, currency.rounding, True, True))

        for line, expected, charged, qty, tolerance, discounted, lowered in judged:
            lower = compare(charged, expected, tolerance) < 0
            pct = (
                (expected - charged) / expected * 100.0
                if lower and expected > 0
                else (100.0 if lower else 0.0)
            )
            reason = self._price_reason(line)
            problems = []
            if lower or discounted:
                if refusal:
                    problems.append(refusal)
                elif role == "minimal":
                    problems.append(self.env._("this role may not change prices or give discounts"))
                if discounted and not config.manual_discount and line.product_id != discount_product:
                    problems.append(self.env._("line discounts are off on this POS"))
                if lowered and config.restrict_price_control and role not in ("manager", "hq"):
                    problems.append(self.env._("price changes are restricted to managers on this POS"))
                if lower and float_compare(pct, limit, precision_digits=2) > 0:
                    problems.append(
                        self.env._("over the %(limit)s%% limit of this role", limit=round(limit, 2))
                    )
                if lower and not reason:
                    problems.append(self.env._("no reason given (the line's internal note)"))
            elif config.restrict_price_control and role not in ("manager", "hq"):
                problems.append(self.env._("price changes are restricted to managers on this POS"))
            diff = self._price_difference(line, expected, charged, qty)
            issue = False
            if problems:
                issue = self.env._(
                    "%(product)s: %(charged)s CNY a unit instead of the server's %(price)s CNY "
                    "(%(pct)s%% off) by %(who)s: %(problems)s; %(diff)s CNY not allowed.",
                    product=name(line),
                    charged=money(charged),
                    price=money(expected),
                    pct=round(pct, 2),
                    who=(employee or user).display_name,
                    problems="; ".join(problems),
                    diff=money(diff),
                )
                issues.append(issue)
                difference += diff
            changes.append(
                {
                    "store_id": self.store_id.id,
                    # Given, not computed after the insert (one UPDATE less per order).
                    "region_id": self.store_id.region_id.id,
                    "order_id": self.id,
                    "line_id": line.id,
                    "product_id": line.product_id.id,
                    "employee_id": employee.id,
                    "user_id": user.id,
                    "role": role,
                    "qty": qty,
                    "list_price": expected,
                    "charged_price": charged,
                    "discount_pct": pct,
                    "limit_pct": limit,
                    "amount": diff,
                    "reason": reason or False,
                    "state": "flagged" if problems else "ok",
                    "issue": issue,
                }
            )

        tax_issues, tax_difference = self._price_tax_issues(
            lines - refunds - lines.filtered(lambda line: line.product_id == discount_product)
        )
        return changes, issues + tax_issues, currency.round(difference + tax_difference)

    def _price_expected(self, lines):
        """{line: unit price} the POS gives each of ``lines`` (a combo: its parent's price for one):
        the order's pricelist price (core's ``_compute_price_rule``) at ``_price_date``, with the
        extras of the line's no_variant/dynamic attribute values (the POS's ``price_extra``). Lines
        of one quantity (when the pricelist has quantity rules) and extra are priced together: one
        search of pricelist rules each."""
        pricelist, date = self._price_pricelist(), self._price_date()
        Item = pricelist.env["product.pricelist.item"]
        shape = Item._store_rule_shape(pricelist.id) if pricelist else "none"
        groups = defaultdict(lambda: self.env["pos.order.line"])
        for line in lines:
            qty = 1.0 if line.combo_line_ids or shape != "qty" else abs(line.qty) or 1.0
            groups[(qty, line._price_attribute_extra())] |= line
        prices = {}
        for (qty, extra), group in groups.items():
            products = group.product_id.with_context(no_variant_attributes_price_extra=extra)
            if shape == "none":
                # What _compute_price_rule gives without a rule, without searching for rules.
                result = {
                    product.id: (
                        Item._compute_price(
                            product, qty, product.uom_id, date=date, currency=self.currency_id
                        ),
                    )
                    for product in products
                }
            else:
                result = pricelist._compute_price_rule(products, qty, currency=self.currency_id, date=date)
            for line in group:
                prices[line] = result[line.product_id.id][0]
        return prices

    def _price_combo(self, parent, parent_price):
        """(server amount, charged amount, lines) of the combo ``parent`` and its items, as the POS
        splits a combo (computeComboItems): the parent's pricelist price for each combo, plus each
        item's extra price and attribute extras, items beyond their combo's free quantity at the
        combo's price."""
        digits = self.env["decimal.precision"].precision_get("Product Price")
        qty = parent.qty or 1.0
        expected = parent_price * qty
        units = defaultdict(float)
        for line in parent.combo_line_ids:
            item = line.combo_item_id
            expected += (item.extra_price + line._price_attribute_extra()) * line.qty
            if item.combo_id:
                units[item.combo_id] += line.qty
        for combo, count in units.items():
            extra_units = max(abs(count) - abs(qty) * combo.qty_free, 0.0)
            expected += (
                extra_units * float_round(combo.base_price, precision_digits=digits) * (1 if qty > 0 else -1)
            )
        charged = sum(
            line.price_unit * (1 - (line.discount or 0.0) / 100.0) * line.qty
            for line in parent | parent.combo_line_ids
        )
        return expected, charged, len(parent.combo_line_ids) + 1

    def _price_difference(self, line, expected, charged, qty):
        """What a line priced at ``expected`` a unit would have charged more than at ``charged``,
        taxes included (the line's taxes after the fiscal position)."""
        currency = self.currency_id
        taxes = self.fiscal_position_id.map_tax(line.tax_ids) if line.tax_ids else line.tax_ids
        if not taxes or line.combo_line_ids:
            return currency.round((expected - charged) * qty)

        def amount(price):
            return taxes.compute_all(price, currency, qty, product=line.product_id, partner=self.partner_id)[
                "total_included"
            ]

        return currency.round(amount(expected) - amount(charged))

    def _price_tax_issues(self, lines):
        """(issues, difference): lines whose taxes after the fiscal position are not their
        product's taxes of the company after it (as the POS sets them)."""
        fpos, company, currency = self.fiscal_position_id, self.company_id, self.currency_id
        issues, difference = [], 0.0
        domain = self.env["account.tax"]._check_company_domain(company)
        for line in lines.filtered(lambda line: line.tax_ids or line.product_id.taxes_id):
            expected = fpos.map_tax(line.product_id.taxes_id.filtered_domain(domain))
            actual = fpos.map_tax(line.tax_ids)
            if expected == actual:
                continue
            price = line.price_unit * (1 - (line.discount or 0.0) / 100.0)

            def amount(taxes, price=price, line=line):
                return taxes.compute_all(
                    price, currency, line.qty, product=line.product_id, partner=self.partner_id
                )["total_included"]

            diff = currency.round(amount(expected) - amount(actual))
            difference += diff
            issues.append(
                self.env._(
                    "Line %(product)s: taxes %(taxes)s instead of %(expected)s (%(diff)s CNY).",
                    product=line.full_product_name or line.product_id.display_name,
                    taxes=", ".join(actual.mapped("name")) or "-",
                    expected=", ".join(expected.mapped("name")) or "-",
                    diff=f"{diff:.2f}",
                )
            )
        return issues, difference

    def _price_pricelist(self):
        """The pricelist the server prices with: the order's when its POS offers it, else the POS's."""
        available = self.config_id._get_available_pricelists()
        if not self.pricelist_id or self.pricelist_id in available:
            return self.pricelist_id
        return self.config_id.pricelist_id

    def _price_date(self):
        """When pricelist rules are judged: the order's date, unless it lies in the future or
        before its session opened (the server's time then)."""
        now = fields.Datetime.now()
        date, start = self.date_order or now, self.session_id.start_at
        if date > now + PRICE_DATE_TOLERANCE or (start and date < start - PRICE_DATE_TOLERANCE):
            return now
        return date

    def _price_role(self):
        """(role, employee, user, refusal) a manual price change of this order is judged by: core's
        role in the POS (minimal, cashier, manager) of the pos_hr employee the order names, or
        without one of the user who sent it; HQ administrators (and the server itself) are "hq".
        A store manager's user counts as a POS manager in their own stores.

        The employee is the till's claim (pos_hr checks PINs in the browser): it counts only for an
        employee this POS lets log in, and never raises the role above the sender's own beyond a
        store manager's; "hq" needs the request to be signed by an HQ user. An employee the POS
        does not let log in has no right to change prices (``refusal`` says why)."""
        config, sender = self.config_id, self.env.user
        employee = self.employee_id if config.module_pos_hr else self.env["hr.employee"]

        def is_hq(user):
            return user._is_superuser() or user.has_group("store_pos_ext.group_hq_admin")

        def is_manager(user):
            store_manager = user.has_group("store_pos_ext.group_store_manager")
            return user.has_group("point_of_sale.group_pos_manager") or (
                store_manager and self.store_id in user.allowed_store_ids
            )

        if not employee:
            role = "hq" if is_hq(sender) else "manager" if is_manager(sender) else "cashier"
            return role, employee, sender, None
        user = employee.user_id
        session_user = self.session_id.user_id or sender
        if not employee.sudo().filtered_domain(config._employee_domain(session_user.id)):
            refusal = self.env._(
                "%(employee)s may not log in to this POS", employee=employee.sudo().display_name
            )
            return "minimal", employee, user or sender, refusal
        if user and is_hq(user) and (user == sender or is_hq(sender)):
            role = "hq"
        elif employee in config.minimal_employee_ids:
            role = "minimal"
        elif employee in config.advanced_employee_ids or (user and (is_manager(user) or is_hq(user))):
            role = "manager"
        else:
            role = "cashier"
        return role, employee, user or sender, None

    def _price_reason(self, line):
        """The reason given for a manual change of ``line``: its internal note (the POS's "Internal
        Note" button), its combo's, else the order's internal note."""
        for note in (line.note, line.combo_parent_id.note, self.internal_note):
            text = _note_text(note)
            if text:
                return text
        return ""

    def _price_discount_product(self):
        """pos_discount's global discount product of this POS (a manual discount), if any."""
        config = self.config_id
        if "discount_product_id" in config._fields and config.module_pos_discount:
            return config.discount_product_id
        return self.env["product.product"]

    def _price_any_amount_products(self):
        """Products a line may charge any amount for: money received, not goods (the POS's tip
        product; other addons add top-ups and gift cards)."""
        return self.config_id.tip_product_id


def _note_text(note):
    """The text of a POS note: core stores internal notes as a JSON list of {text, colorIndex}."""
    if not note:
        return ""
    try:
        items = json.loads(note)
    except ValueError:
        return note.strip()
    if isinstance(items, list):
        texts = [item.get("text", "") if isinstance(item, dict) else str(item) for item in items]
        return "; ".join(text.strip() for text in texts if text and text.strip())
    return str(items).strip()
