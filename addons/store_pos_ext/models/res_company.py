from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError

SCORE_WEIGHT_FIELDS = (
    "score_weight_sales",
    "score_weight_orders",
    "score_weight_signups",
    "score_weight_checklist",
    "score_weight_ontime",
    "score_weight_photos",
)


class ResCompany(models.Model):
    _inherit = "res.company"

    # Staff performance: weights of the normalised metrics (see store.staff.score)
    score_weight_sales = fields.Float("Sales Weight", default=40.0)
    score_weight_orders = fields.Float("Orders Weight", default=20.0)
    score_weight_signups = fields.Float("Member Sign-ups Weight", default=15.0)
    score_weight_checklist = fields.Float("Checklist Completion Weight", default=15.0)
    score_weight_ontime = fields.Float("Checklist On-time Weight", default=10.0)
    score_weight_photos = fields.Float(
        "Rejected Photos Penalty",
        default=5.0,
        help="Subtracted from the score in proportion to the employee's rejected photos.",
    )
    # Training alert
    training_bottom_percent = fields.Float(
        "Training: Bottom Percent",
        default=20.0,
        help="Employees ranked in this bottom share of their store (or region) are at risk.",
    )
    training_months = fields.Integer(
        "Training: Consecutive Months",
        default=3,
        help="A training activity is scheduled after this many consecutive months at risk.",
    )
    training_scope = fields.Selection(
        [("store", "Store"), ("region", "Region")],
        string="Training: Ranking Scope",
        default="store",
        required=True,
    )

    @api.constrains(*SCORE_WEIGHT_FIELDS, "training_bottom_percent", "training_months")
    def _check_staff_score_settings(self):
        for company in self:
            if any(company[fname] < 0 for fname in SCORE_WEIGHT_FIELDS):
                raise ValidationError(self.env._("Staff performance weights cannot be negative."))
            if not 0 < company.training_bottom_percent <= 100:
                raise ValidationError(
                    self.env._("The training bottom percent must be above 0 and at most 100.")
                )
            if company.training_months < 1:
                raise ValidationError(self.env._("The training alert needs at least one month."))

    def write(self, vals):
        res = super().write(vals)
        if "partner_id" in vals:
            self.env.registry.clear_cache()  # _store_lang_code
        return res

    # ------------------------------------------------------------------ language
    def _store_lang(self):
        """The language of what the server writes for this company's people when no single person
        receives it (chatter, ledger reasons, order flags, cron-made records): the company's own
        (its partner's language) if it is active, else the current one. A cron runs as OdooBot in
        English; a Chinese chain still reads Chinese."""
        self.ensure_one()
        return self._store_lang_code(self.id) or self.env.lang or "en_US"

    @tools.ormcache("company_id")
    def _store_lang_code(self, company_id):
        """The active language of the company's partner, cached: it is read for every order
        settled, and reading it loaded the whole partner. A change of the company's partner or
        of its language clears the cache (``res.partner.write``, ``res.company.write``; core
        clears it when a language is (de)activated)."""
        company = self.sudo().browse(company_id)
        partner = company.partner_id
        partner.fetch(["lang"])
        return self.env["res.lang"]._get_code(partner.lang)
