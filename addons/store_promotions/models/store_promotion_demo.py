from odoo import Command, api, fields, models

from odoo.addons.store_membership.models.store_membership_demo import DEMO_RECENT_DAYS

# ruff: noqa: E501 - one demo promotion per line reads best


class StorePromotion(models.Model):
    _inherit = "store.promotion"

    @api.model
    def _demo_create_promotions(self, company_id):
        """Demo data only: one promotion of each template in the demo chain, published by HQ and
        running since a day of the last ``DEMO_RECENT_DAYS`` days, and a local one proposed by the
        上海徐汇店 manager, waiting for HQ."""
        company = self.env["res.company"].browse(company_id)
        today = fields.Date.context_today(self)

        def since(days):
            return fields.Date.subtract(today, days=min(days, DEMO_RECENT_DAYS))

        def products(*numbers):
            refs = [self.env.ref(f"store_pos_ext.product_{n:02d}_demo") for n in numbers]
            return [Command.set([t.product_variant_id.id for t in refs])]

        top_tier = self.env["store.member.tier"].search(
            [("company_id", "=", company.id)], order="threshold desc", limit=1
        )
        east = self.env.ref("store_pos_ext.region_east_demo")
        base = {"company_id": company.id}
        published = self.create(
            [
                {**base, "name": "全场满100减20", "template": "threshold", "min_amount": 100, "off_amount": 20,
                 "exclusive_group": "满减", "priority": 10, "date_from": since(35)},
                {**base, "name": "华东每满200减50", "template": "threshold", "min_amount": 200, "off_amount": 50,
                 "repeat": True, "scope": "region", "region_ids": [Command.set(east.ids)],
                 "exclusive_group": "满减", "priority": 20, "budget": 5000, "date_from": since(28)},
                {**base, "name": "饮料第二件半价", "template": "nth_unit", "nth": 2, "percent": 50,
                 "product_ids": products(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), "date_from": since(33)},
                {**base, "name": "零食买二送一", "template": "buy_x_get_y", "buy_qty": 2, "free_qty": 1,
                 "product_ids": products(11, 12, 13), "member_limit": 3, "date_from": since(24)},
                {**base, "name": "周三会员日 全场9折", "template": "member_day", "on_wed": True, "percent": 10, "date_from": since(35)},
                {**base, "name": "下午茶限时8.5折", "template": "flash", "hour_from": 14.0, "hour_to": 17.0,
                 "percent": 15, "product_ids": products(8, 9, 17, 19), "date_from": since(17)},
                {**base, "name": "金卡会员专享95折", "template": "member_only", "percent": 5,
                 "tier_ids": [Command.set(top_tier.ids)], "date_from": since(35)},
                {**base, "name": "新品尝鲜8折", "template": "category", "percent": 20, "product_ids": products(14, 15), "date_from": since(12)},
            ]
        )  # fmt: skip
        published.action_submit()
        manager = self.env.ref("store_pos_ext.user_xuhui_manager_demo", raise_if_not_found=False)
        store = self.env.ref("store_pos_ext.store_shxh_demo")
        local = self.with_user(manager or self.env.user).create(
            {**base, "name": "徐汇店周末满50减5", "template": "threshold", "min_amount": 50, "off_amount": 5,
             "on_sat": True, "on_sun": True, "scope": "stores", "store_ids": [Command.set(store.ids)]}
        )  # fmt: skip
        local.action_submit()
        return published | local
