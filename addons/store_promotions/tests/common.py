from types import SimpleNamespace

from odoo.addons.store_membership.tests.common import MemberCommon


class PromoCommon(MemberCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.categ_drink = cls.env["product.category"].create({"name": "测试饮品"})
        cls.tea = cls.env["product.product"].create(
            {
                "name": "测试奶茶",
                "list_price": 20.0,
                "available_in_pos": True,
                "taxes_id": False,
                "categ_id": cls.categ_drink.id,
            }
        )
        cls.cake = cls.env["product.product"].create(
            {"name": "测试蛋糕", "list_price": 30.0, "available_in_pos": True, "taxes_id": False}
        )

    @classmethod
    def _promo(cls, template="threshold", publish=True, **vals):
        defaults = {
            "threshold": {"min_amount": 100, "off_amount": 30},
            "nth_unit": {"nth": 2, "percent": 50},
            "buy_x_get_y": {"buy_qty": 2, "free_qty": 1},
        }.get(template, {"percent": 20})
        promo = cls.env["store.promotion"].create(
            {"name": f"测试{template}", "template": template, **defaults, **vals}
        )
        if publish:
            promo.action_submit()  # HQ (the test superuser) publishes directly
        return promo

    @staticmethod
    def _line(product, qty, price=None):
        return SimpleNamespace(
            product_id=product,
            qty=qty,
            price_unit=product.list_price if price is None else price,
            discount=0.0,
            reward_id=False,
        )

    def _promo_line(self, promo, amount):
        reward = promo.program_id.with_context(active_test=False).reward_ids[:1]
        return {
            "product_id": reward.discount_line_product_id.id,
            "qty": 1,
            "price_unit": -amount,
            "reward_id": reward.id,
            "is_reward_line": True,
        }
