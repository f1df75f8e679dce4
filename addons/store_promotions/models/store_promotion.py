import math
from collections import defaultdict

import pytz

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from odoo.addons.store_pos_ext.models.server_guard import is_server_write, server_write

TEMPLATES = [
    ("threshold", "Spend and save"),
    ("nth_unit", "Nth item discount"),
    ("buy_x_get_y", "Buy X get Y"),
    ("member_day", "Member day"),
    ("flash", "Flash sale"),
    ("member_only", "Members only"),
    ("category", "Category discount"),
]
PERCENT_TEMPLATES = ("member_day", "flash", "member_only", "category")
STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("approved", "Approved"),
    ("running", "Running"),
    ("ended", "Ended"),
    ("rejected", "Rejected"),
]
WEEKDAY_FIELDS = ["on_mon", "on_tue", "on_wed", "on_thu", "on_fri", "on_sat", "on_sun"]
# The fields of its core program a promotion's user may set. Everything else of the program (its
# rules, rewards, POS configs, chain role, top-up bonus rules...) is derived by ``_sync_program``:
# the program is written with sudo, so a field passed through would reach any record by id
# (``[1, id, vals]`` on ``rule_ids`` rewrote the chain's own rules).
PROGRAM_FIELDS = {"name", "date_from", "date_to", "company_id"}


# Written by the server only (the approval buttons, the order check): never by a user's create or write.
SERVER_SET_FIELDS = frozenset({"state", "spent", "order_count", "reviewed_by_id", "proposed_by_id"})


class StorePromotion(models.Model):
    """A promotion built from a template. It owns a core ``loyalty.program`` (delegation), which
    the POS applies where core can express it; the server checks every paid order against the
    template, the schedule, the scope, tiers, per-member limits and the budget."""

    _name = "store.promotion"
    _description = "Store promotion"
    _inherit = ["mail.thread", "store.scope.guard"]
    _inherits = {"loyalty.program": "program_id"}
    _order = "priority desc, id desc"

    program_id = fields.Many2one("loyalty.program", required=True, ondelete="cascade", index=True)
    # Its own flag: the core program is inactive until approval, the promotion is not.
    active = fields.Boolean(default=True)
    template = fields.Selection(TEMPLATES, required=True, default="threshold", tracking=True)
    state = fields.Selection(STATES, default="draft", required=True, readonly=True, tracking=True, index=True)
    preview = fields.Char(compute="_compute_preview")

    # template parameters
    min_amount = fields.Monetary("Spend at least", currency_field="currency_id")
    off_amount = fields.Monetary("Amount off", currency_field="currency_id")
    repeat = fields.Boolean("Repeat for every multiple", help="Each 100 → 30 off: 300 gets 90 off.")
    step_ids = fields.One2many("store.promotion.step", "promotion_id", "Tiers", copy=True)
    nth = fields.Integer("Nth item", default=2)
    percent = fields.Float("Discount (%)", default=50.0, help="50 = half price; 20 = 20% off.")
    buy_qty = fields.Integer("Buy", default=1)
    free_qty = fields.Integer("Get free", default=1)
    product_ids = fields.Many2many("product.product", string="Products on promotion")
    categ_ids = fields.Many2many("product.category", string="Product categories")
    tier_ids = fields.Many2many("store.member.tier", string="Member tiers", help="Empty: every member.")
    partner_tag_ids = fields.Many2many(
        "res.partner.category",
        string="Member tags",
        help="Empty: every member. Set: only members with one of these tags (e.g. the RFM segments).",
    )

    # schedule (store's timezone)
    on_mon = fields.Boolean("Monday")
    on_tue = fields.Boolean("Tuesday")
    on_wed = fields.Boolean("Wednesday")
    on_thu = fields.Boolean("Thursday")
    on_fri = fields.Boolean("Friday")
    on_sat = fields.Boolean("Saturday")
    on_sun = fields.Boolean("Sunday")
    hour_from = fields.Float("From (hour)", default=0.0)
    hour_to = fields.Float("To (hour)", default=24.0)

    # scope and approval
    scope = fields.Selection(
        [("chain", "Whole chain"), ("region", "Regions"), ("stores", "Stores")],
        required=True,
        default="chain",
    )
    region_ids = fields.Many2many("store.region", string="Regions")
    store_ids = fields.Many2many("store.store", string="Stores")
    scope_store_ids = fields.Many2many(
        "store.store",
        "store_promotion_scope_rel",
        string="Stores in scope",
        compute="_compute_scope_store_ids",
        store=True,
    )
    proposed_by_id = fields.Many2one("res.users", readonly=True, default=lambda self: self.env.uid)
    reviewed_by_id = fields.Many2one("res.users", readonly=True)
    review_comment = fields.Text(tracking=True)

    # stacking and limits
    exclusive_group = fields.Char(help="Of the promotions of one group, an order gets one only.")
    priority = fields.Integer(
        default=10,
        help="Of an exclusive group, the highest priority wins, unless the company gives the best "
        "for the customer.",
    )
    member_limit = fields.Integer("Uses per member", help="0: no limit.")
    budget = fields.Monetary("Budget (discount)", currency_field="currency_id", help="0: no budget.")
    # The promotion's figures, one definition (README "Promotions"): the sums of what the server
    # check counted on each paid order (pos.order.store_promo_counted, the effectiveness report's
    # rows), kept up to date in one atomic UPDATE per order (_store_count) for the budget.
    spent = fields.Monetary(
        "Discount cost",
        currency_field="currency_id",
        readonly=True,
        copy=False,
        help="The discount the server counted for this promotion on paid orders (orders flagged for "
        "HQ count nothing): what its budget spent. The sum of the effectiveness report's discount cost.",
    )
    order_count = fields.Integer(
        "Orders",
        readonly=True,
        copy=False,
        help="Paid orders the server counted for this promotion (orders flagged for HQ count "
        "nothing). The effectiveness report's orders.",
    )

    _percent_range = models.Constraint("CHECK (percent >= 0 AND percent <= 100)", "Discount must be 0-100%.")
    _hours_range = models.Constraint(
        "CHECK (hour_from >= 0 AND hour_to <= 24 AND hour_from < hour_to)",
        "Hours: from must be before to (0-24).",
    )

    # ------------------------------------------------------------- create
    def _split_vals(self, vals):
        """(own values, values of the core program): the program is written with sudo, so store
        managers proposing a local promotion need no rights on loyalty programs."""
        program = {k: v for k, v in vals.items() if k in self._fields and self._fields[k].inherited}
        refused = set(program) - PROGRAM_FIELDS
        if refused:
            raise UserError(
                self.env._(
                    "A promotion sets only its name, dates and company on its program, not: %(fields)s.",
                    fields=", ".join(sorted(refused)),
                )
            )
        if program.get("company_id") and program["company_id"] not in self.env.companies.ids:
            raise UserError(self.env._("A promotion belongs to one of your companies."))
        return {k: v for k, v in vals.items() if k not in program}, program

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and not is_server_write():
            # A promotion is born a draft: its state, reviewer, proposer and usage are the
            # server's (given or through default_* context keys, a store manager would create it
            # approved, or spend its budget before it runs).
            for vals in vals_list:
                if SERVER_SET_FIELDS & vals.keys() - {"state"} or vals.get("state", "draft") != "draft":
                    raise UserError(self.env._("Use the Submit, Approve, Reject and End buttons."))
            context = {
                key: value
                for key, value in self.env.context.items()
                if not (key.startswith("default_") and key[8:] in SERVER_SET_FIELDS)
            }
            self = self.with_env(self.env(context=context))
        own_list = []
        for vals in vals_list:
            own, program = self._split_vals(vals)
            program.update(program_type="promotion", trigger="auto", applies_on="current", active=False)
            program.setdefault("name", self.env._("Promotion"))
            own["program_id"] = self.env["loyalty.program"].sudo().create(program).id
            own_list.append(own)
        promotions = super().create(own_list)
        promotions._sync_program()
        return promotions

    def _server_write(self, vals):
        """States, budgets and usage: written by the server only (``store_pos_ext.models.server_guard``)."""
        with server_write():
            return self.write(vals)

    def write(self, vals):
        if is_server_write():
            return super().write(vals)
        locked = self.filtered(lambda p: p.state in ("approved", "running", "ended"))
        if locked and not self.env.user.has_group("store_pos_ext.group_hq_admin"):
            raise UserError(self.env._("An approved promotion can be changed by HQ only."))
        if SERVER_SET_FIELDS & set(vals):
            raise UserError(self.env._("Use the Submit, Approve, Reject and End buttons."))
        own, program = self._split_vals(vals)
        self.check_access("write")
        if program:
            self.program_id.sudo().write(program)
        res = super().write(own)
        self._sync_program()
        return res

    @api.constrains(
        "template", "min_amount", "off_amount", "nth", "buy_qty", "free_qty", "percent", "step_ids"
    )
    def _check_template(self):
        for promo in self:
            t = promo.template
            if t == "threshold" and not promo.step_ids and not (0 < promo.off_amount < promo.min_amount):
                raise ValidationError(
                    self.env._("Spend and save: the amount off must be above 0 and below the threshold.")
                )
            if t == "nth_unit" and (promo.nth < 2 or not 0 < promo.percent <= 100):
                raise ValidationError(self.env._("Nth item: N must be 2 or more and the discount 1-100%."))
            if t == "buy_x_get_y" and (promo.buy_qty < 1 or promo.free_qty < 1):
                raise ValidationError(self.env._("Buy X get Y: both quantities must be 1 or more."))
            if t in PERCENT_TEMPLATES and not 0 < promo.percent <= 100:
                raise ValidationError(self.env._("Discount: enter a percentage between 1 and 100."))
            if t == "member_day" and not any(promo[f] for f in WEEKDAY_FIELDS):
                raise ValidationError(self.env._("Member day: tick the weekday."))
            if t in ("category",) and not (promo.categ_ids or promo.product_ids):
                raise ValidationError(self.env._("Category discount: choose categories or products."))

    @api.depends("scope", "region_ids", "store_ids")
    def _compute_scope_store_ids(self):
        Store = self.env["store.store"].sudo()
        for promo in self:
            if promo.scope == "chain":
                promo.scope_store_ids = Store.search([("company_id", "=", promo.company_id.id)])
            elif promo.scope == "region":
                promo.scope_store_ids = Store.search([("region_id", "in", promo.region_ids.ids)])
            else:
                promo.scope_store_ids = promo.store_ids

    # ------------------------------------------------------------ preview
    def _weekday_labels(self):
        names = [
            self.env._("Mon"), self.env._("Tue"), self.env._("Wed"), self.env._("Thu"),
            self.env._("Fri"), self.env._("Sat"), self.env._("Sun"),
        ]  # fmt: skip
        return [names[i] for i, f in enumerate(WEEKDAY_FIELDS) if self[f]]

    def _hours_label(self):
        def hhmm(h):
            return f"{int(h):02d}:{round((h % 1) * 60):02d}"

        if self.hour_from <= 0 and self.hour_to >= 24:
            return ""
        return f"{hhmm(self.hour_from)}-{hhmm(self.hour_to)}"

    @staticmethod
    def _num(value):
        return f"{value:.2f}".rstrip("0").rstrip(".")

    @api.depends(
        "template", "min_amount", "off_amount", "repeat", "step_ids", "nth", "percent", "buy_qty", "free_qty",
        "product_ids", "categ_ids", "tier_ids", "partner_tag_ids", "hour_from", "hour_to", "scope",
        "region_ids", "store_ids", *WEEKDAY_FIELDS,
    )  # fmt: skip
    def _compute_preview(self):
        for promo in self:
            when = " ".join(filter(None, [" ".join(promo._weekday_labels()), promo._hours_label()]))
            what_on = ", ".join(
                (promo.categ_ids.mapped("name") + promo.product_ids.mapped("name"))[:3]
            ) or self.env._("all products")
            pct = promo.percent
            t = promo.template
            if t == "threshold" and promo.step_ids:
                rule = "; ".join(
                    self.env._(
                        "spend %(min)s get %(off)s off",
                        min=self._num(s.min_amount),
                        off=self._num(s.off_amount),
                    )
                    for s in promo.step_ids
                )
            elif t == "threshold":
                if promo.repeat:
                    rule = self.env._(
                        "every %(min)s spent, %(off)s off",
                        min=self._num(promo.min_amount),
                        off=self._num(promo.off_amount),
                    )
                else:
                    rule = self.env._(
                        "spend %(min)s get %(off)s off",
                        min=self._num(promo.min_amount),
                        off=self._num(promo.off_amount),
                    )
            elif t == "nth_unit":
                rule = self.env._(
                    "item %(n)s of the same product at %(pct)s%% off", n=promo.nth, pct=self._num(pct)
                )
            elif t == "buy_x_get_y":
                rule = self.env._("buy %(x)s get %(y)s free", x=promo.buy_qty, y=promo.free_qty)
            else:
                rule = self.env._("%(pct)s%% off", pct=self._num(pct))
            who = ""
            if promo.tier_ids:
                who = self.env._("members of %s only", "/".join(promo.tier_ids.mapped("name")))
            elif t in ("member_day", "member_only") or promo.partner_tag_ids:
                who = self.env._("members only")
            tagged = ""
            if promo.partner_tag_ids:
                tagged = self.env._("tagged %s", "/".join(promo.partner_tag_ids.mapped("name")))
            scope = {
                "chain": self.env._("all stores"),
                "region": "/".join(promo.region_ids.mapped("name")),
                "stores": "/".join(promo.store_ids.mapped("name")),
            }[promo.scope]
            promo.preview = "，".join(filter(None, [when, f"{what_on}: {rule}", who, tagged, scope]))

    # ------------------------------------------------------- core program
    def _sync_program(self):
        """Mirror the promotion on its core program so the POS applies it where core can:
        percent discounts and plain 满减. POS configs follow the scope; the program is active
        only while the promotion is approved or running."""
        for promo in self:
            program = promo.program_id.sudo()
            rule = {
                "reward_point_mode": "order",
                "reward_point_amount": 1,
                "minimum_amount": 0.0,
                "minimum_qty": 0,
            }
            reward = {"reward_type": "discount", "required_points": 1, "discount_applicability": "order"}
            products = promo.product_ids
            if promo.template == "threshold":
                first = promo.step_ids[:1]
                rule["minimum_amount"] = first.min_amount if first else promo.min_amount
                reward.update(
                    discount_mode="per_order", discount=first.off_amount if first else promo.off_amount
                )
            elif promo.template in PERCENT_TEMPLATES:
                reward.update(discount_mode="percent", discount=promo.percent)
                if products or promo.categ_ids:
                    reward.update(
                        discount_applicability="specific",
                        discount_product_ids=[Command.set(products.ids)],
                        discount_product_category_id=promo.categ_ids[:1].id,
                    )
            else:  # Nth item / buy X get Y: priced by the chain's POS code and checked by the server
                reward.update(discount_mode="per_order", discount=0.01)
            active = promo.state in ("approved", "running")
            program = program.with_context(active_test=False)
            rules, rewards = program.rule_ids, program.reward_ids
            program.write(
                {
                    # Update in place: order lines keep pointing at the same reward.
                    "rule_ids": [Command.update(rules[0].id, rule)] if rules else [Command.create(rule)],
                    "reward_ids": [Command.update(rewards[0].id, reward)]
                    if rewards
                    else [Command.create(reward)],
                    "pos_ok": True,
                    "pos_config_ids": [Command.set(promo.sudo().scope_store_ids.pos_config_ids.ids)],
                    "active": active,
                }
            )
            rules[1:].write({"active": False})
            rewards[1:].write({"active": False})
            program.rule_ids[:1].write({"active": active})
            program.reward_ids[:1].write({"active": active})

    # -------------------------------------------------------- approval
    def _is_hq(self):
        return self.env.user.has_group("store_pos_ext.group_hq_admin")

    def action_submit(self):
        for promo in self:
            if promo.state not in ("draft", "rejected"):
                raise UserError(self.env._("Only a draft can be submitted."))
            allowed = self.env.user.allowed_store_ids
            if not self._is_hq() and (promo.scope == "chain" or promo.scope_store_ids - allowed):
                raise UserError(self.env._("A local promotion may cover your own stores or region only."))
        self._server_write({"state": "submitted"})
        if self._is_hq():
            self.action_approve()

    def action_approve(self):
        if not self._is_hq():
            raise UserError(self.env._("Promotions are approved by HQ."))
        for promo in self:
            if promo.state != "submitted":
                raise UserError(self.env._("Only a submitted promotion can be approved."))
        self.sudo()._server_write({"state": "approved", "reviewed_by_id": self.env.uid})
        self._cron_update_states()

    def action_reject(self):
        if not self._is_hq():
            raise UserError(self.env._("Promotions are approved by HQ."))
        for promo in self:
            if promo.state != "submitted":
                raise UserError(self.env._("Only a submitted promotion can be rejected."))
            if not (promo.review_comment or "").strip():
                raise UserError(self.env._("Comment: say why the promotion is rejected."))
        self.sudo()._server_write({"state": "rejected", "reviewed_by_id": self.env.uid})
        self._sync_program()

    def action_end(self):
        if not self._is_hq():
            raise UserError(self.env._("Promotions are ended by HQ."))
        self.sudo()._server_write({"state": "ended"})
        self._sync_program()

    @api.model
    def _cron_update_states(self):
        promos = self.sudo().search([("state", "in", ("approved", "running"))])
        for promo in promos:
            earliest, latest = promo._store_local_days()
            over_budget = promo.budget and promo.spent >= promo.budget
            if over_budget or (promo.date_to and promo.date_to < earliest):
                state = "ended"
            elif not promo.date_from or promo.date_from <= latest:
                state = "running"
            else:
                state = "approved"
            if state != promo.state:
                promo._server_write({"state": state})
        promos._sync_program()

    @api.model
    def _store_count(self, amounts):
        """Add ``amounts`` ({promotion: discount of one order}) to the budgets spent, and one order
        to each usage count, in one atomic UPDATE. It locks the rows: a till counting the same
        promotion at the same moment waits, then gets a serialization failure and Odoo retries its
        request, which reads the new budget. Returns the promotions whose budget is now spent."""
        if not amounts:
            return self.browse()
        values = SQL(", ").join(SQL("(%s, %s::numeric)", p.id, amount) for p, amount in amounts.items())
        self.env.cr.execute(
            SQL(
                """UPDATE store_promotion p
                      SET spent = COALESCE(p.spent, 0) + v.amount,
                          order_count = COALESCE(p.order_count, 0) + 1,
                          write_uid = %s, write_date = %s
                     FROM (VALUES %s) AS v(id, amount)
                    WHERE p.id = v.id
                RETURNING p.id, p.budget > 0 AND p.spent >= p.budget AND p.state = 'running'
                """,
                self.env.uid,
                self.env.cr.now(),
                values,
            )
        )
        spent_out = self.browse([pid for pid, out in self.env.cr.fetchall() if out])
        self.browse([p.id for p in amounts]).invalidate_recordset(
            ["spent", "order_count", "write_uid", "write_date"]
        )
        return spent_out

    def _end_spent_budget(self):
        """The budget is spent: the promotion ends and its program stops in every POS."""
        self._server_write({"state": "ended"})
        self._sync_program()

    # ------------------------------------------------- server computation
    rule = fields.Json(
        compute="_compute_rule",
        store=True,
        help="The promotion's pricing, schedule, scope and limits in one value: what the POS "
        "prices from and what the server check of a paid order reads, in one query.",
    )

    @api.depends(
        "template", "min_amount", "off_amount", "repeat", "step_ids.min_amount", "step_ids.off_amount",
        "nth", "percent", "buy_qty", "free_qty", "product_ids", "categ_ids", "tier_ids", "partner_tag_ids",
        *WEEKDAY_FIELDS, "hour_from", "hour_to", "program_id.date_from", "program_id.date_to",
        "scope_store_ids", "exclusive_group", "priority", "member_limit",
        "program_id.company_id.store_promo_stacking",
    )  # fmt: skip
    def _compute_rule(self):
        for promo in self:
            program = promo.program_id
            promo.rule = {
                "template": promo.template,
                "weekdays": [bool(promo[f]) for f in WEEKDAY_FIELDS],
                "hour_from": promo.hour_from,
                "hour_to": promo.hour_to,
                "date_from": fields.Date.to_string(program.date_from) if program.date_from else False,
                "date_to": fields.Date.to_string(program.date_to) if program.date_to else False,
                "min_amount": promo.min_amount,
                "off_amount": promo.off_amount,
                "repeat": promo.repeat,
                "steps": sorted([s.min_amount, s.off_amount] for s in promo.step_ids),
                "nth": promo.nth,
                "percent": promo.percent,
                "buy_qty": promo.buy_qty,
                "free_qty": promo.free_qty,
                "product_ids": promo.product_ids.ids,
                "categ_ids": promo.categ_ids.ids,
                "tier_ids": promo.tier_ids.ids,
                "partner_tag_ids": promo.partner_tag_ids.ids,
                "members_only": bool(promo.tier_ids or promo.partner_tag_ids)
                or promo.template in ("member_day", "member_only"),
                "exclusive_group": promo.exclusive_group or False,
                "priority": promo.priority,
                "stacking": program.company_id.store_promo_stacking or "priority",
                "member_limit": promo.member_limit,
                "store_ids": promo.scope_store_ids.ids,
            }

    def _store_local_days(self):
        """(earliest, latest) of today's date in the time zones of this promotion's stores (the
        user's, else China's, for a store without one): its days are the stores' days, not the
        server's (UTC) nor the approving user's. It runs once one of its stores has reached its
        first day (each order is still judged in its own store's time, ``_in_window``) and ends
        once all of them are past its last day."""
        self.ensure_one()
        stores = self.scope_store_ids
        days = [store._store_today() for store in stores] or [stores._store_today()]
        return min(days), max(days)

    def _in_window(self, when_utc, store):
        """Is ``when_utc`` (naive UTC) inside the date range, weekdays and hours, in the store's tz?"""
        self.ensure_one()
        rule = self.rule
        tz = pytz.timezone(store._store_tz())
        local = pytz.utc.localize(when_utc).astimezone(tz)
        day = local.date().isoformat()
        if (rule["date_from"] and day < rule["date_from"]) or (rule["date_to"] and day > rule["date_to"]):
            return False
        if any(rule["weekdays"]) and not rule["weekdays"][local.weekday()]:
            return False
        hour = local.hour + local.minute / 60.0 + local.second / 3600.0
        return rule["hour_from"] <= hour < rule["hour_to"]

    def _applies_to(self, order, when=None):
        """(applies, reason) for a paid order: state, scope, window (judged at ``when``, by
        default the order's date), tier, member limit, budget."""
        self.ensure_one()
        rule = self.rule
        if self.state != "running":
            return False, self.env._("%s is not running", self.name)
        if order.store_id.id not in rule["store_ids"]:
            return False, self.env._(
                "%(promo)s does not cover %(store)s", promo=self.name, store=order.store_id.name
            )
        if not self._in_window(when or order.date_order, order.store_id):
            return False, self.env._("%s: outside its days or hours", self.name)
        member = order.partner_id if order.partner_id.is_member else self.env["res.partner"]
        if rule["members_only"] and not member:
            return False, self.env._("%s is for members", self.name)
        if rule["tier_ids"] and member.member_tier_id.id not in rule["tier_ids"]:
            return False, self.env._("%s: the member's tier is not eligible", self.name)
        if rule["partner_tag_ids"] and not set(member.sudo().category_id.ids) & set(rule["partner_tag_ids"]):
            return False, self.env._("%s: the member has none of its tags", self.name)
        if rule["member_limit"] and member:
            # Plain SQL: the count must not flush (the check runs in a savepoint that does not).
            self.env.cr.execute(
                """SELECT count(*) FROM pos_order_store_promotion_rel rel
                     JOIN pos_order o ON o.id = rel.pos_order_id
                    WHERE rel.store_promotion_id = %s AND o.partner_id = %s AND o.id != %s""",
                [self.id, member.id, order.id or 0],  # an order not saved yet excludes nothing
            )
            used = self.env.cr.fetchone()[0]
            if used >= rule["member_limit"]:
                return False, self.env._(
                    "%(promo)s: the member has used it %(n)s times already", promo=self.name, n=used
                )
        return True, ""

    def _eligible(self, line):
        if line.reward_id or line.qty <= 0:
            return False
        rule = self.rule
        if rule["product_ids"] or rule["categ_ids"]:
            product = line.product_id
            path = f"/{product.categ_id.parent_path or ''}"
            return product.id in rule["product_ids"] or any(f"/{c}/" in path for c in rule["categ_ids"])
        return True

    @staticmethod
    def _charged(line):
        """What ``line`` charged: its price after its discount, times its quantity, and never more
        than the saved line's amount (``price_subtotal_incl``). A till naming a price it did not
        charge gets the promotion of what it charged. For lines given as values (product_id, qty,
        price_unit, discount) without an amount, the price after discount."""
        price = line.qty * line.price_unit * (1 - (line.discount or 0) / 100)
        charged = getattr(line, "price_subtotal_incl", None)
        return price if charged is None else min(price, charged)

    def _compute_discount(self, lines):
        """The discount this promotion gives on ``lines`` (pos.order.line or values with
        product_id record, qty, price_unit, discount), before budget: the server's own figure,
        from what the lines charged (``_charged``)."""
        self.ensure_one()
        rule = self.rule
        eligible = [line for line in lines if self._eligible(line)]
        base = sum(self._charged(line) for line in eligible)
        t = rule["template"]
        if t == "threshold":
            if rule["steps"]:
                return max((off for low, off in rule["steps"] if low <= base + 1e-6), default=0.0)
            if base + 1e-6 < rule["min_amount"]:
                return 0.0
            times = math.floor(base / rule["min_amount"] + 1e-9) if rule["repeat"] else 1
            return rule["off_amount"] * times
        if t in PERCENT_TEMPLATES:
            return round(base * rule["percent"] / 100.0, 2)
        # Nth item / buy X get Y: units of the same product, across lines, cheapest last, each at
        # what its line charged a unit.
        units = defaultdict(list)
        for line in eligible:
            units[line.product_id.id] += [self._charged(line) / line.qty] * int(line.qty)
        total = 0.0
        for prices in units.values():
            prices.sort(reverse=True)
            if t == "nth_unit":
                nth = rule["nth"]
                total += sum(prices[i] for i in range(nth - 1, len(prices), nth)) * rule["percent"] / 100.0
            else:
                buy, group = rule["buy_qty"], rule["buy_qty"] + rule["free_qty"]
                for start in range(0, len(prices) - group + 1, group):
                    total += sum(prices[start + buy : start + group])
        return round(total, 2)

    def _store_promo_pos_params(self):
        """What the POS needs to apply the promotion as ``_applies_to``/``_compute_discount`` do:
        the same rule (without the store list: the program's POS configs follow the scope)."""
        self.ensure_one()
        params = {**self.rule, "id": self.id, "name": self.name}
        del params["store_ids"]
        return params

    def _stack_key(self, amount):
        """How this promotion ranks in its exclusive group for a discount of ``amount``."""
        if self.rule["stacking"] == "best":
            return (amount, self.priority, -self.id)
        return (self.priority, amount, -self.id)

    def _budget_left(self):
        self.ensure_one()
        return max(self.budget - self.spent, 0.0) if self.budget else float("inf")

    # ----------------------------------------------------- effectiveness
    redemption_rate = fields.Float(
        "Redemption rate (%)",
        compute="_compute_effect",
        help="核销率: the orders counted for this promotion / all paid orders of its stores in its "
        "period (from its start, or its creation, to its end or today).",
    )
    avg_ticket = fields.Monetary(
        "Average ticket",
        currency_field="currency_id",
        compute="_compute_effect",
        help="Average total (taxes included) of the orders counted for this promotion.",
    )
    sales_during = fields.Monetary(
        "Daily sales during",
        currency_field="currency_id",
        compute="_compute_effect",
        help="Paid sales of its stores per day of its period.",
    )
    sales_baseline = fields.Monetary(
        "Daily sales before",
        currency_field="currency_id",
        compute="_compute_effect",
        help="Paid sales of its stores per day over as many days just before its period.",
    )
    uplift = fields.Float(
        "Sales uplift (%)", compute="_compute_effect", help="Sales during against sales before, in %."
    )

    def _effect_period(self):
        today = fields.Date.context_today(self)
        start = self.date_from or fields.Date.to_date(self.create_date) or today
        end = min(self.date_to or today, today)
        return start, max(end, start)

    def _compute_effect(self):
        self.env["pos.order"].flush_model()
        # Orders counted and their sales: the effectiveness report's rows of each promotion.
        figures = {
            promo.id: (count, revenue)
            for promo, count, revenue in self.env["store.promotion.report"]
            .sudo()
            ._read_group([("promotion_id", "in", self.ids)], ["promotion_id"], ["__count", "revenue:sum"])
        }
        for promo in self:
            start, end = promo._effect_period()
            days = (end - start).days + 1
            stores = tuple(promo.scope_store_ids.ids) or (0,)
            self.env.cr.execute(
                """SELECT
                     COUNT(*) FILTER (WHERE date_order::date >= %(start)s),
                     COALESCE(SUM(amount_total) FILTER (WHERE date_order::date >= %(start)s), 0),
                     COALESCE(SUM(amount_total) FILTER (WHERE date_order::date < %(start)s), 0)
                   FROM pos_order
                  WHERE store_id IN %(stores)s AND state IN ('paid', 'done', 'invoiced')
                    AND date_order::date BETWEEN %(base)s AND %(end)s""",
                {
                    "start": start,
                    "end": end,
                    "base": fields.Date.subtract(start, days=days),
                    "stores": stores,
                },
            )
            orders, during, before = self.env.cr.fetchone()
            counted, revenue = figures.get(promo.id, (0, 0.0))
            promo.redemption_rate = 100.0 * counted / orders if orders else 0.0
            promo.sales_during = during / days
            promo.sales_baseline = before / days
            promo.uplift = 100.0 * (during - before) / before if before else 0.0
            promo.avg_ticket = revenue / counted if counted else 0.0
