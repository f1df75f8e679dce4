from dateutil.relativedelta import relativedelta

from odoo import api, fields, models, tools
from odoo.tools import SQL


class StoreMemberTier(models.Model):
    """A member level (普通会员, 银卡, 金卡 …). A member holds the highest tier whose threshold their
    rolling spend (or points earned) reaches; orders upgrade at once, the monthly review downgrades."""

    _name = "store.member.tier"
    _description = "Member tier"
    _order = "threshold, sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    threshold_type = fields.Selection(
        [("spend", "Spend in the period (CNY)"), ("points", "Points earned in the period")],
        required=True,
        default="spend",
    )
    threshold = fields.Float(required=True, default=0.0, help="0: every member starts here.")
    period_months = fields.Integer("Rolling period (months)", required=True, default=12)
    points_multiplier = fields.Float(default=1.0, help="Points earned are multiplied by this.")
    pricelist_id = fields.Many2one(
        "product.pricelist",
        "Member pricelist",
        help="Set on the member when they reach the tier; the POS then prices their orders with it.",
    )
    discount_note = fields.Char("Benefits", translate=True)
    member_count = fields.Integer(compute="_compute_member_count")

    _threshold_positive = models.Constraint(
        "CHECK (threshold >= 0 AND period_months > 0 AND points_multiplier > 0)",
        "Thresholds cannot be negative; the period and the multiplier must be positive.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()  # _store_tier_table
        return super().create(vals_list)

    def write(self, vals):
        self.env.registry.clear_cache()  # _store_tier_table
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()  # _store_tier_table
        return super().unlink()

    @api.model
    @tools.ormcache("company_id")
    def _store_tier_table(self, company_id):
        """((tier id, points multiplier), …) of the company's active tiers, highest first: read
        for every order settled (the tier an order may reach, the points it earns), cached; a
        change of a tier clears the cache."""
        tiers = (
            self.sudo()
            .with_context(active_test=True)
            .search_fetch(
                [("company_id", "=", company_id)],
                ["points_multiplier"],
                order="threshold desc, sequence desc, id desc",
            )
        )
        return tuple((tier.id, tier.points_multiplier) for tier in tiers)

    @api.model
    def _store_multiplier(self, partner):
        """The points multiplier of ``partner``'s tier (1 without one), without reading the tier."""
        tier = partner.member_tier_id
        if not tier:
            return 1.0
        table = dict(self._store_tier_table((partner.company_id or self.env.company).id))
        return table.get(tier.id) or tier.sudo().points_multiplier or 1.0

    def _compute_member_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("member_tier_id", "in", self.ids)], ["member_tier_id"], ["__count"]
            )
        )
        for tier in self:
            tier.member_count = counts.get(tier, 0)

    @api.model
    def _store_rolling_values(self, partners, months):
        """{partner_id: (spend, points earned)} over the last ``months`` months, one query."""
        since = fields.Datetime.now() - relativedelta(months=months)
        values = {pid: [0.0, 0.0] for pid in partners.ids}
        if not partners:
            return values
        self.env["pos.order"].flush_model(["partner_id", "state", "date_order", "store_member_state"])
        self.env["pos.order.line"].flush_model(["order_id", "product_id", "price_subtotal_incl"])
        self.env["loyalty.history"].flush_model(["partner_id", "kind", "amount"])
        # Spend: what the member bought, top-ups of stored value excluded (they are not purchases),
        # and orders flagged for HQ too (an order that does not reconcile earns nothing, tiers included).
        companies = self.env["res.company"].sudo().search([("store_sv_product_id", "!=", False)])
        topups = tuple(companies.store_sv_product_id.ids) or (0,)
        self.env.cr.execute(
            SQL(
                """SELECT o.partner_id, SUM(l.price_subtotal_incl), 0
                     FROM pos_order_line l JOIN pos_order o ON o.id = l.order_id
                    WHERE o.partner_id IN %(partners)s AND o.state IN ('paid', 'done', 'invoiced')
                      AND o.store_member_state IS DISTINCT FROM 'flagged'
                      AND o.date_order >= %(since)s AND l.product_id NOT IN %(topups)s
                 GROUP BY o.partner_id
                UNION ALL
                   SELECT partner_id, 0, SUM(amount) FROM loyalty_history
                    WHERE partner_id IN %(partners)s AND kind = 'earn' AND create_date >= %(since)s
                 GROUP BY partner_id""",
                partners=tuple(partners.ids),
                since=since,
                topups=topups,
            )
        )
        for pid, spend, points in self.env.cr.fetchall():
            values[pid][0] += float(spend or 0.0)
            values[pid][1] += float(points or 0.0)
        return values

    @api.model
    def _store_tier_for(self, partners, allow_down=False):
        """Move ``partners`` to the tier their rolling values reach. Returns the partners changed."""
        changed = self.env["res.partner"]
        by_company = {}
        for partner in partners:
            company = partner.company_id or self.env.company
            by_company.setdefault(company, self.env["res.partner"])
            by_company[company] |= partner
        for company, members in by_company.items():
            tiers = self.browse(tier_id for tier_id, _multiplier in self._store_tier_table(company.id))
            top = tiers[:1]
            if not allow_down:
                # Orders only move members up: nothing to compute for those at the top tier.
                members = members.filtered(lambda p, top=top: p.member_tier_id != top)
            if not tiers or not members:
                continue
            months = max(tiers.mapped("period_months"))
            values = self._store_rolling_values(members, months)
            for partner in members:
                spend, points = values[partner.id]
                reached = next(
                    (t for t in tiers if (spend if t.threshold_type == "spend" else points) >= t.threshold),
                    self.browse(),
                )
                current = partner.member_tier_id
                if reached == current or not reached:
                    continue
                going_up = not current or (reached.threshold, reached.sequence) > (
                    current.threshold,
                    current.sequence,
                )
                if going_up or allow_down:
                    partner._store_set_tier(reached, spend=spend, points=points)
                    changed |= partner
        return changed

    @api.model
    def _cron_review_tiers(self):
        """Monthly review: members whose rolling values fell below their tier go down."""
        members = self.env["res.partner"].search([("is_member", "=", True)])
        for start in range(0, len(members), 5000):
            self._store_tier_for(members[start : start + 5000], allow_down=True)
