from odoo import api, fields, models


class StoreMarkdownRule(models.Model):
    """A near-expiry (临期) markdown tier: ``days`` or fewer days before a lot's expiration date, its
    product is proposed at ``percent`` off. The tiers of a product category (the nearest category
    up its parents that has tiers) replace the company's default tiers (those without category)."""

    _name = "store.markdown.rule"
    _description = "Near-expiry markdown tier"
    _order = "company_id, categ_id, days desc, id"

    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    categ_id = fields.Many2one(
        "product.category",
        string="Product Category",
        index=True,
        ondelete="cascade",
        help="Empty: the company's default tiers, for categories without tiers of their own.",
    )
    days = fields.Integer(
        "Days before expiry",
        required=True,
        default=3,
        help="The tier applies when the lot expires within this many days (0: on its expiry day).",
    )
    percent = fields.Float("Discount (%)", required=True, default=30.0)

    _days_positive = models.Constraint("CHECK (days >= 0)", "The days before expiry cannot be negative.")
    _percent_range = models.Constraint(
        "CHECK (percent > 0 AND percent <= 100)", "The discount must be above 0 and at most 100%."
    )
    _tier_uniq = models.UniqueIndex(
        "(company_id, COALESCE(categ_id, 0), days) WHERE active",
        "A category (or the company's default) has one tier per number of days.",
    )

    @api.depends("categ_id", "days", "percent")
    def _compute_display_name(self):
        for rule in self:
            rule.display_name = self.env._(
                "%(categ)s: %(days)s days → %(percent)s%% off",
                categ=rule.categ_id.display_name or self.env._("Default"),
                days=rule.days,
                percent=f"{rule.percent:g}",
            )

    @api.model
    def _tier_for(self, company, categ, days_left):
        """The tier of a lot of ``categ`` expiring in ``days_left`` days: of the tiers that apply
        (the nearest category's, else the company's defaults), the one with the fewest days still at
        or above ``days_left`` (1 day → 50% wins over 3 days → 30% on the last day). Called on a
        recordset, chooses among its rules (the daily job reads them once); on none, searches."""
        rules = (
            self.filtered(lambda r: r.company_id == company and r.active)
            if self
            else self.sudo().search([("company_id", "=", company.id)])
        )
        by_categ = rules.grouped("categ_id")
        tiers = self.browse()
        while categ and not tiers:
            tiers = by_categ.get(categ, self.browse())
            categ = categ.parent_id
        tiers = tiers or by_categ.get(self.env["product.category"], self.browse())
        fitting = tiers.filtered(lambda r: r.days >= days_left)
        return fitting.sorted(lambda r: (r.days, -r.percent))[:1]
