import pytz

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, clean_context

STATES = [
    ("proposed", "Proposed"),
    ("applied", "Applied"),
    ("dismissed", "Dismissed"),
    ("closed", "Closed"),
]
CLOSE_REASONS = [("sold_out", "Sold out"), ("expired", "Expired")]
# A proposal still to act on or acted on and running: the daily job keeps its quantity up to date
# and closes it when its lot is sold out or expired.
OPEN_STATES = ("proposed", "applied")


class StoreMarkdownProposal(models.Model):
    """A near-expiry (临期) markdown of one lot in one store, proposed by the daily job at the
    discount of its tier (``store.markdown.rule``). *Apply* turns it into a 限时折扣 promotion of the
    product in that store (store_promotions), proposed with the user's own rights: a store manager's
    waits for HQ's approval, HQ's runs at once. The job writes and closes proposals; users only
    apply or dismiss them."""

    _name = "store.markdown.proposal"
    _description = "Near-expiry markdown proposal"
    _inherit = ["store.scoped.mixin"]
    _order = "expiration_date, id desc"

    company_id = fields.Many2one(related="store_id.company_id", store=True, index=True)
    state = fields.Selection(STATES, default="proposed", required=True, readonly=True, index=True)
    close_reason = fields.Selection(CLOSE_REASONS, readonly=True)
    product_id = fields.Many2one(
        "product.product", required=True, index=True, readonly=True, ondelete="cascade"
    )
    categ_id = fields.Many2one("product.category", string="Product Category", readonly=True, index=True)
    lot_id = fields.Many2one("stock.lot", required=True, index=True, readonly=True, ondelete="cascade")
    expiration_date = fields.Datetime(readonly=True, help="The lot's expiration date (core product_expiry).")
    days_left = fields.Integer(
        readonly=True,
        aggregator=None,
        help="Days from the proposal's day to the expiry day, in the store's timezone (0: expires today).",
    )
    qty_on_hand = fields.Float("On Hand", digits="Product Unit", readonly=True)
    rule_id = fields.Many2one("store.markdown.rule", string="Tier", readonly=True, ondelete="set null")
    percent = fields.Float("Discount (%)", readonly=True, aggregator=None)
    date_proposed = fields.Date("Proposed On", readonly=True, index=True)
    date_closed = fields.Datetime("Closed On", readonly=True)
    promotion_id = fields.Many2one("store.promotion", readonly=True, ondelete="set null")
    promotion_state = fields.Selection(related="promotion_id.state", string="Promotion Status")

    _proposed_uniq = models.UniqueIndex(
        "(store_id, lot_id) WHERE state = 'proposed'",
        "A store has one pending markdown proposal per lot.",
    )

    @api.depends("store_id", "product_id", "lot_id", "percent")
    def _compute_display_name(self):
        for proposal in self:
            proposal.display_name = " · ".join(
                filter(None, [proposal.store_id.name, proposal.product_id.display_name,
                              proposal.lot_id.name, f"-{proposal.percent:g}%"])
            )  # fmt: skip

    # ------------------------------------------------------------------ daily job
    @api.model
    def _candidates(self, stores, now, horizon_days):
        """(store id, product id, lot id, quantity, expiration date) of the lots on hand in the
        stores' warehouses that have not expired and expire before ``now + horizon_days``."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT s.id, q.product_id, q.lot_id, SUM(q.quantity), lot.expiration_date
                  FROM stock_quant q
                  JOIN stock_location sl ON sl.id = q.location_id AND sl.usage = 'internal'
                  JOIN store_store s ON s.warehouse_id = sl.warehouse_id
                  JOIN stock_lot lot ON lot.id = q.lot_id
                 WHERE s.id = ANY(%(stores)s)
                   AND lot.expiration_date > %(now)s
                   AND lot.expiration_date < %(now)s + make_interval(days => %(horizon)s)
                 GROUP BY s.id, q.product_id, q.lot_id, lot.expiration_date
                HAVING SUM(q.quantity) > 0
                """,
                stores=stores.ids,
                now=now,
                horizon=horizon_days,
            )
        )
        return self.env.cr.fetchall()

    @api.model
    def _days_left(self, store, now, expiration_date):
        tz = pytz.timezone(store.tz or "Asia/Shanghai")

        def local_day(dt):
            return pytz.utc.localize(dt).astimezone(tz).date()

        return (local_day(expiration_date) - local_day(now)).days

    @api.model
    def _propose_markdowns(self, stores=None, now=None):
        """Propose, update and close the markdowns of ``stores`` (default: every store with a
        warehouse) as of ``now``. Run twice on one day, the second run creates nothing: a lot gets a
        new proposal only for a deeper tier than the one it was proposed, applied or dismissed at
        (a pending proposal is raised to the deeper tier instead)."""
        Proposal = self.sudo()
        now = now or fields.Datetime.now()
        stores = (stores or self.env["store.store"]).sudo()
        if not stores:
            stores = stores.search([("warehouse_id", "!=", False)])
        stores = stores.filtered("warehouse_id")
        if not stores:
            return
        Rule = self.env["store.markdown.rule"]
        rules = Rule.sudo().search([("company_id", "in", stores.company_id.ids)])
        max_days = max(rules.mapped("days"), default=-1)
        candidates = Proposal._candidates(stores, now, max_days + 2) if max_days >= 0 else []
        existing = Proposal.search(
            [("store_id", "in", stores.ids), ("state", "in", (*OPEN_STATES, "dismissed"))]
        ).grouped(lambda p: (p.store_id.id, p.lot_id.id))
        seen = Proposal.browse()
        to_create = []
        Store, Product = self.env["store.store"], self.env["product.product"]
        for store_id, product_id, lot_id, qty, expiration_date in candidates:
            store, product = Store.browse(store_id), Product.browse(product_id)
            days_left = Proposal._days_left(store, now, expiration_date)
            tier = rules._tier_for(store.company_id, product.categ_id, days_left)
            known = existing.get((store_id, lot_id), Proposal.browse())
            seen |= known
            if not tier:
                continue
            values = {"qty_on_hand": qty, "days_left": days_left, "expiration_date": expiration_date}
            opened = known.filtered(lambda p: p.state in OPEN_STATES)
            changed = [p.id for p in opened if (p.qty_on_hand, p.days_left) != (qty, days_left)]
            Proposal.browse(changed).write(values)
            if any(p.percent >= tier.percent for p in known):
                continue  # proposed, applied or dismissed at this tier (or a deeper one) already
            pending = known.filtered(lambda p: p.state == "proposed")
            values.update(rule_id=tier.id, percent=tier.percent)
            if pending:
                pending.write(values)
                continue
            to_create.append(
                {
                    **values,
                    "store_id": store_id,
                    "product_id": product_id,
                    "categ_id": product.categ_id.id,
                    "lot_id": lot_id,
                    "date_proposed": fields.Date.context_today(Proposal.with_context(tz=store.tz), now),
                }
            )
        seen |= Proposal.create(to_create)
        # open proposals whose lot is no longer on hand before its expiry: sold out, or expired
        gone = Proposal.search([("store_id", "in", stores.ids), ("state", "in", OPEN_STATES)]) - seen
        for reason, proposals in gone.grouped(
            lambda p: (
                "expired" if p.lot_id.expiration_date and p.lot_id.expiration_date <= now else "sold_out"
            )
        ).items():
            proposals.write({"state": "closed", "close_reason": reason, "date_closed": now})

    @api.model
    def _cron_propose_markdowns(self):
        self._propose_markdowns()

    # ------------------------------------------------------------------ actions
    def _check_can_act(self):
        user = self.env.user
        if not (
            user.has_group("store_pos_ext.group_store_manager")
            or user.has_group("store_pos_ext.group_hq_admin")
        ):
            raise UserError(self.env._("Only a store manager or HQ applies or dismisses markdowns."))
        self.check_access("read")

    def action_apply(self):
        """A 限时折扣 (flash sale) of the proposal's product in its store at the proposed discount,
        from today to the lot's expiry day, created and submitted with the user's rights: a store
        manager's waits for HQ's approval, HQ's is approved at once (store_promotions' rules). The
        markdowns of one product in one store share an exclusive group: the till applies one."""
        self._check_can_act()
        if self.filtered(lambda p: p.state != "proposed"):
            raise UserError(self.env._("Only a proposed markdown can be applied."))
        Promotion = self.env["store.promotion"].with_context(clean_context(self.env.context))
        for proposal in self:
            store = proposal.store_id
            today = fields.Date.context_today(self.with_context(tz=store.tz))
            expiry_day = fields.Date.context_today(self.with_context(tz=store.tz), proposal.expiration_date)
            promotion = Promotion.create(
                {
                    "name": self.env._(
                        "Near-expiry markdown: %(product)s (lot %(lot)s) at %(store)s",
                        product=proposal.product_id.display_name,
                        lot=proposal.lot_id.name,
                        store=store.name,
                    ),
                    "template": "flash",
                    "percent": proposal.percent,
                    "product_ids": [Command.set(proposal.product_id.ids)],
                    "scope": "stores",
                    "store_ids": [Command.set(store.ids)],
                    "date_from": today,
                    "date_to": max(today, expiry_day),
                    "company_id": store.company_id.id,
                    "exclusive_group": f"markdown-{store.id}-{proposal.product_id.id}",
                    "priority": int(proposal.percent),
                }
            )
            promotion.action_submit()
            # the proposal is the server's record: only its state and link are written
            proposal.sudo().write({"state": "applied", "promotion_id": promotion.id})
        if len(self) == 1:
            return {
                "type": "ir.actions.act_window",
                "res_model": "store.promotion",
                "res_id": self.promotion_id.id,
                "view_mode": "form",
                "views": [(False, "form")],
            }
        return True

    def action_dismiss(self):
        self._check_can_act()
        if self.filtered(lambda p: p.state != "proposed"):
            raise UserError(self.env._("Only a proposed markdown can be dismissed."))
        self.sudo().write({"state": "dismissed"})

    @api.model
    def action_refresh_proposals(self):
        """Button of the list: the daily job now, for the user's stores (HQ: every store)."""
        user = self.env.user
        if not (
            user.has_group("store_pos_ext.group_store_manager")
            or user.has_group("store_pos_ext.group_hq_analyst")
        ):
            raise UserError(self.env._("Only a store manager or HQ refreshes the markdown proposals."))
        if self._store_confined_user():
            stores = user.allowed_store_ids
            if not stores:
                return {"type": "ir.actions.client", "tag": "soft_reload"}
        else:
            stores = self.env["store.store"].search(
                [("warehouse_id", "!=", False), ("company_id", "in", self.env.companies.ids)]
            )
        self._propose_markdowns(stores)
        return {"type": "ir.actions.client", "tag": "soft_reload"}
