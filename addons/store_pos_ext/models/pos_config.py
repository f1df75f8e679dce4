from odoo import fields, models


class PosConfig(models.Model):
    _inherit = "pos.config"

    store_id = fields.Many2one(
        "store.store",
        index=True,
        ondelete="restrict",
        help="The store this point of sale belongs to. Store users only see their stores' POS.",
    )
    region_id = fields.Many2one(related="store_id.region_id", store=True)
