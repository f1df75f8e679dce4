from datetime import datetime

import pytz

from odoo.tests import HttpCase, tagged

from .common import PromoCommon

WEEKDAY_FIELDS = ["on_mon", "on_tue", "on_wed", "on_thu", "on_fri", "on_sat", "on_sun"]


class PromoPosCommon(PromoCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Only the chain's own programs and the promotions of each test in these POS.
        chain = cls.points_program | cls.sv_program
        cls.env["loyalty.program"].search([("id", "not in", chain.ids)]).write({"active": False})
        cls.config = cls.store_a.pos_config_ids[:1]

    @classmethod
    def _today_window(cls):
        """(weekday field, hour from, hour to, weekday number) around now in the store's timezone."""
        now = datetime.now(pytz.timezone(cls.store_a.tz))
        hour = now.hour
        return WEEKDAY_FIELDS[now.weekday()], max(hour - 1, 0), min(hour + 2, 24), now.weekday()


@tagged("post_install", "-at_install")
class TestPromoPosData(PromoPosCommon):
    """What the POS loads to price promotions."""

    def test_program_carries_the_promotion_parameters_and_store_timezone(self):
        promo = self._promo(
            "threshold",
            name="满减数据",
            repeat=True,
            on_sat=True,
            hour_from=10,
            hour_to=14,
            tier_ids=[(6, 0, self.tier_gold.ids)],
            exclusive_group="A",
            priority=30,
        )
        self.store_a.tz = "Asia/Urumqi"
        rows = self.env["loyalty.program"]._load_pos_data_read(promo.program_id, self.config)
        params = rows[0]["store_promo_pos"]
        self.assertEqual(params["template"], "threshold")
        self.assertEqual(params["tz"], "Asia/Urumqi")
        self.assertEqual(params["weekdays"], [False] * 5 + [True, False])
        self.assertEqual((params["hour_from"], params["hour_to"]), (10, 14))
        self.assertEqual((params["min_amount"], params["off_amount"], params["repeat"]), (100, 30, True))
        self.assertEqual(params["tier_ids"], self.tier_gold.ids)
        self.assertTrue(params["members_only"])
        self.assertEqual((params["exclusive_group"], params["priority"]), ("A", 30))
        plain = self.env["loyalty.program"]._load_pos_data_read(self.points_program, self.config)
        self.assertFalse(plain[0]["store_promo_pos"], "a core program is not a store promotion")

    def test_partner_tier_is_loaded_for_members_only(self):
        self.member.sudo().member_tier_id = self.tier_gold
        customer = self.env["res.partner"].create({"name": "散客"})
        Partner = self.env["res.partner"].with_user(self.cashier_a)
        self.assertIn("store_promo_tier", Partner._load_pos_data_fields(self.config))
        rows = {r["id"]: r for r in Partner._load_pos_data_read(self.member | customer, self.config)}
        self.assertEqual(rows[self.member.id]["store_promo_tier"], self.tier_gold.id)
        self.assertTrue(rows[self.member.id]["is_member"])
        self.assertEqual((rows[customer.id]["store_promo_tier"], rows[customer.id]["is_member"]), (0, False))

    def test_member_tags_are_given_to_the_pos(self):
        """A promotion's member tags reach the POS in its rule, a member's tags with the partner
        (tags are no personal data: a cashier's POS gets them), a guest's never."""
        win_back, value = self.env["res.partner.category"].create(
            [{"name": "测试RFM: 流失挽回"}, {"name": "测试RFM: 重要价值"}]
        )
        promo = self._promo("member_day", on_mon=True, partner_tag_ids=[(6, 0, win_back.ids)])
        rows = self.env["loyalty.program"]._load_pos_data_read(promo.program_id, self.config)
        self.assertEqual(rows[0]["store_promo_pos"]["partner_tag_ids"], win_back.ids)
        self.member.sudo().category_id = win_back | value
        customer = self.env["res.partner"].create({"name": "散客", "category_id": [(6, 0, value.ids)]})
        Partner = self.env["res.partner"].with_user(self.cashier_a)
        self.assertIn("store_promo_tags", Partner._load_pos_data_fields(self.config))
        rows = {r["id"]: r for r in Partner._load_pos_data_read(self.member | customer, self.config)}
        self.assertEqual(sorted(rows[self.member.id]["store_promo_tags"]), sorted((win_back | value).ids))
        self.assertFalse(rows[customer.id]["store_promo_tags"], "not a member")

    def test_pos_cannot_send_the_check_result(self):
        """The POS loads every order field and sends them back: the server ignores its check fields."""
        promo = self._promo("threshold")
        data = self._order_data(self.store_a, [(self.cake, 4, 30.0), self._promo_line(promo, 100)])
        data.update(store_promo_state="ok", store_promo_discount=0, store_promo_excess=0)
        order = self._sync(data, user=self.cashier_a)
        self.assertEqual(order.store_promo_state, "flagged")
        self.assertAlmostEqual(order.store_promo_excess, 70)


@tagged("post_install", "-at_install")
class TestPromoPosTour(PromoPosCommon, HttpCase):
    """Promotions applied by the POS in Chromium, checked by the server after payment."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("en_US")
        cls.cashier_a.lang = "en_US"

    def _tour(self, name):
        self.start_tour(f"/pos/ui/{self.config.id}", name, login=self.cashier_a.login)
        return self.env["pos.order"].search([("config_id", "=", self.config.id)], order="id")

    def test_threshold_repeat(self):
        promo = self._promo("threshold", name="每满100减30", repeat=True)
        below, order = self._tour("store_promo_threshold")
        self.assertEqual((below.state, below.amount_total), ("paid", 60))
        self.assertEqual((below.store_promo_state, below.store_promo_discount), ("none", 0))
        self.assertEqual(order.state, "paid")
        self.assertEqual(order.store_promo_state, "ok", order.store_promo_issue)
        self.assertAlmostEqual(order.store_promo_discount, 60)
        self.assertAlmostEqual(order.amount_total, 150)
        self.assertEqual(order.store_promotion_ids, promo)
        reward_line = order.lines.filtered("reward_id")
        self.assertEqual(reward_line.full_product_name, "每满100减30", "named after the promotion")

    def test_second_unit_half_price(self):
        self._promo("nth_unit", name="第二件半价", nth=2, percent=50)
        order = self._tour("store_promo_nth_unit")
        self.assertEqual(order.state, "paid")
        self.assertEqual(order.store_promo_state, "ok", order.store_promo_issue)
        self.assertAlmostEqual(order.store_promo_discount, 10)
        self.assertAlmostEqual(order.amount_total, 30)

    def test_member_day_today_only_for_members_of_the_tier(self):
        today, hour_from, hour_to, weekday = self._today_window()
        other = WEEKDAY_FIELDS[(weekday + 1) % 7]
        self._promo(
            "member_day",
            name="今日会员日8折",
            percent=20,
            hour_from=hour_from,
            hour_to=hour_to,
            **{today: True},
        )
        self._promo("member_day", name="明日会员日5折", percent=50, **{other: True})
        self.member.sudo().member_tier_id = self.tier_basic
        self._promo("member_only", name="金卡专享7折", percent=30, tier_ids=[(6, 0, self.tier_gold.ids)])
        # A promotion for members with a tag this member lacks: the POS does not offer it either.
        win_back = self.env["res.partner.category"].create({"name": "测试RFM: 流失挽回"})
        self._promo("member_only", name="挽回专享6折", percent=40, partner_tag_ids=[(6, 0, win_back.ids)])
        guest, order = self._tour("store_promo_member_day")
        self.assertFalse(guest.partner_id)
        self.assertEqual((guest.amount_total, guest.store_promo_state), (60, "none"), "not for guests")
        self.assertEqual(order.partner_id, self.member)
        self.assertEqual(order.state, "paid")
        self.assertEqual(order.store_promo_state, "ok", order.store_promo_issue)
        self.assertAlmostEqual(order.store_promo_discount, 12)
        self.assertAlmostEqual(order.amount_total, 48)

    def test_exclusive_group_tiers_buy_x_get_y_and_stacking(self):
        steps = [(0, 0, {"min_amount": 100, "off_amount": 10}), (0, 0, {"min_amount": 200, "off_amount": 40})]
        tiered = self._promo("threshold", name="阶梯满减", step_ids=steps, exclusive_group="G", priority=20)
        self._promo("buy_x_get_y", name="买二送一", buy_qty=2, free_qty=1, exclusive_group="G", priority=10)
        flash = self._promo("flash", name="限时九折", percent=10)
        order = self._tour("store_promo_exclusive")
        self.assertEqual(order.store_promo_state, "ok", order.store_promo_issue)
        self.assertEqual(order.store_promotion_ids, tiered | flash)
        self.assertAlmostEqual(order.store_promo_discount, 61)
        self.assertAlmostEqual(order.amount_total, 149)
