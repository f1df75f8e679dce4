from datetime import datetime

from odoo.tests import tagged

from .common import PromoCommon


@tagged("post_install", "-at_install")
class TestTemplates(PromoCommon):
    def test_spend_and_save_single_repeat_and_tiered(self):
        single = self._promo("threshold", publish=False)
        self.assertEqual(single._compute_discount([self._line(self.cake, 5)]), 30)  # 150
        self.assertEqual(single._compute_discount([self._line(self.cake, 3)]), 0)  # 90
        repeat = self._promo("threshold", publish=False, repeat=True)
        self.assertEqual(repeat._compute_discount([self._line(self.cake, 12)]), 90)  # 360: 3 x 30
        tiered = self._promo(
            "threshold",
            publish=False,
            step_ids=[
                (0, 0, {"min_amount": 100, "off_amount": 10}),
                (0, 0, {"min_amount": 200, "off_amount": 30}),
            ],
        )
        self.assertEqual(tiered._compute_discount([self._line(self.cake, 9)]), 30)  # 270
        self.assertEqual(tiered._compute_discount([self._line(self.cake, 4)]), 10)  # 120

    def test_second_item_half_price_counts_units_not_lines(self):
        promo = self._promo("nth_unit", publish=False)
        self.assertEqual(promo._compute_discount([self._line(self.tea, 2)]), 10, "one line of qty 2")
        self.assertEqual(promo._compute_discount([self._line(self.tea, 1), self._line(self.tea, 1)]), 10)
        self.assertEqual(promo._compute_discount([self._line(self.tea, 3)]), 10)
        self.assertEqual(promo._compute_discount([self._line(self.tea, 4)]), 20)
        self.assertEqual(
            promo._compute_discount([self._line(self.tea, 1), self._line(self.cake, 1)]),
            0,
            "two different products are not a second item",
        )
        # Mixed prices of the same product: the cheaper unit is the discounted one.
        self.assertEqual(
            promo._compute_discount([self._line(self.tea, 1, 20), self._line(self.tea, 1, 16)]), 8
        )

    def test_buy_two_get_one(self):
        promo = self._promo("buy_x_get_y", publish=False)
        self.assertEqual(promo._compute_discount([self._line(self.tea, 2)]), 0)
        self.assertEqual(promo._compute_discount([self._line(self.tea, 3)]), 20)
        self.assertEqual(promo._compute_discount([self._line(self.tea, 6)]), 40)

    def test_category_discount_only_on_its_category(self):
        promo = self._promo("category", publish=False, categ_ids=[(6, 0, self.categ_drink.ids)], percent=20)
        self.assertEqual(promo._compute_discount([self._line(self.tea, 2), self._line(self.cake, 1)]), 8)

    def test_member_day_window_edges_in_store_timezone(self):
        promo = self._promo("member_day", publish=False, on_wed=True, hour_from=15.0, hour_to=16.0)
        # 2026-11-25 is a Wednesday; Asia/Shanghai is UTC+8.
        at = lambda h, m, day=25: datetime(2026, 11, day, h - 8, m)  # noqa: E731
        self.assertFalse(promo._in_window(at(14, 59), self.store_a))
        self.assertTrue(promo._in_window(at(15, 0), self.store_a))
        self.assertTrue(promo._in_window(at(15, 59), self.store_a))
        self.assertFalse(promo._in_window(at(16, 0), self.store_a))
        self.assertFalse(promo._in_window(at(15, 30, day=26), self.store_a), "Thursday")

    def test_preview_reads_like_the_rule(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        promo = self._promo(
            "threshold",
            publish=False,
            on_wed=True,
            hour_from=15.0,
            hour_to=16.0,
            tier_ids=[(6, 0, self.tier_gold.ids)],
            partner_tag_ids=[(0, 0, {"name": "测试RFM: 流失挽回"})],
        ).with_context(lang="en_US")
        self.assertIn("Wed 15:00-16:00", promo.preview)
        self.assertIn("spend 100 get 30 off", promo.preview)
        self.assertIn("金卡", promo.preview)
        self.assertIn("tagged 测试RFM: 流失挽回", promo.preview)

    def test_core_program_follows_scope_and_state(self):
        promo = self._promo(
            "category",
            publish=False,
            categ_ids=[(6, 0, self.categ_drink.ids)],
            scope="stores",
            store_ids=[(6, 0, self.store_a.ids)],
        )
        program = promo.program_id.with_context(active_test=False)
        self.assertFalse(program.active)
        self.assertEqual(program.pos_config_ids, self.store_a.pos_config_ids)
        self.assertEqual(program.reward_ids.discount_mode, "percent")
        promo.action_submit()
        self.assertEqual(promo.state, "running")
        self.assertTrue(program.active)

    def test_a_store_opened_later_gets_the_chain_promotions(self):
        promo = self._promo("threshold")
        store = self.env["store.store"].create(
            {"name": "测试新店", "code": "TSTNEW", "region_id": self.region_north.id}
        )
        self.assertIn(store, promo.scope_store_ids)
        self.assertTrue(store.pos_config_ids)
        self.assertLessEqual(store.pos_config_ids, promo.program_id.pos_config_ids)
