from odoo import api, models


class PosOrderLine(models.Model):
    _inherit = "pos.order.line"

    @api.model
    def _paid_line_fields(self):
        # Which reward a paid line was decides the points a refund gives back.
        return super()._paid_line_fields() | {"reward_id"}
