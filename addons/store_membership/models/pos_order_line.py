from odoo import api, models


class PosOrderLine(models.Model):
    _inherit = "pos.order.line"

    @api.model
    def _paid_line_fields(self):
        # Which reward a paid line was decides the points a refund gives back.
        return super()._paid_line_fields() | {"reward_id"}

    def _price_is_reward(self):
        # pos_loyalty's reward lines (promotions, coupons, points, eWallet): judged by the
        # promotions' check, the coupons' consumption and the holds, not priced from a pricelist.
        return super()._price_is_reward() or bool(self.reward_id or self.is_reward_line)
