from odoo import api, models


class StoreMembershipDemo(models.AbstractModel):
    _inherit = "store.membership.demo"

    @api.model
    def _demo_promotions_running(self, company):
        return super()._demo_promotions_running(company) or bool(
            self.env["store.promotion"]
            .sudo()
            .search_count([("state", "=", "running"), ("company_id", "=", company.id)], limit=1)
        )

    @api.model
    def _demo_discount_lines(self, order):
        """The running promotions the till applies to the demo ``order`` (not saved yet): each one whose
        scope, days, hours, tiers and limits admit it (``_applies_to``), for the discount the
        server allows (``_compute_discount``), one per exclusive group (``_stack_key``)."""
        lines = super()._demo_discount_lines(order)
        promos = (
            self.env["store.promotion"]
            .sudo()
            .search([("state", "=", "running"), ("company_id", "=", order.company_id.id)])
        )
        best = {}
        for promo in promos:
            if order.store_id.id not in promo.rule["store_ids"] or not promo._applies_to(order)[0]:
                continue
            amount = round(min(promo._compute_discount(order.lines), promo._budget_left()), 2)
            group = promo.exclusive_group or promo.id
            if amount > 0 and (
                group not in best or promo._stack_key(amount) > best[group][0]._stack_key(best[group][1])
            ):
                best[group] = (promo, amount)
        for promo, amount in best.values():
            reward = promo.program_id.reward_ids[:1]
            lines.append(
                {
                    "product_id": reward.discount_line_product_id.id,
                    "qty": 1,
                    "price_unit": -amount,
                    "price_subtotal": -amount,
                    "price_subtotal_incl": -amount,
                    "reward_id": reward.id,
                    "is_reward_line": True,
                }
            )
        if (
            sum(line["price_subtotal_incl"] for line in lines)
            + sum(order.lines.mapped("price_subtotal_incl"))
            < 0
        ):
            return []
        return lines
