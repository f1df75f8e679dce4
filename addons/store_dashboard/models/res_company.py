from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    # RFM classes of the members (res.partner._cron_rfm_tags): recent, frequent and valuable
    # are judged against these.
    store_rfm_months = fields.Integer(
        "RFM window (months)",
        default=12,
        help="Frequency and monetary value count the member's visits and spend over these last months.",
    )
    store_rfm_recency_days = fields.Integer(
        "RFM recent within (days)", default=90, help="A member who bought within these days is recent."
    )
    store_rfm_frequency = fields.Integer(
        "RFM frequent from (visits)",
        default=6,
        help="A member with at least these visits in the window is frequent.",
    )
    store_rfm_monetary = fields.Float(
        "RFM valuable from (spend)",
        default=1000.0,
        help="A member who spent at least this in the window is valuable.",
    )

    @api.constrains("store_rfm_months", "store_rfm_recency_days", "store_rfm_frequency", "store_rfm_monetary")
    def _check_store_rfm_thresholds(self):
        for company in self:
            if company.store_rfm_months < 1:
                raise ValidationError(self.env._("The RFM window must be at least 1 month."))
            if company.store_rfm_recency_days < 1:
                raise ValidationError(self.env._("The RFM recency must be at least 1 day."))
            if company.store_rfm_frequency < 1:
                raise ValidationError(self.env._("The RFM frequency must be at least 1 visit."))
            if company.store_rfm_monetary < 0:
                raise ValidationError(self.env._("The RFM spend threshold cannot be negative."))
