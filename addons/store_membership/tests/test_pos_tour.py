from collections import defaultdict

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged

from .common import MemberCommon


@tagged("post_install", "-at_install")
class TestPosMemberTour(MemberCommon, HttpCase):
    """The cashier's side of membership in Chromium: find, register and select members, redeem
    points, pay with and top up stored value; each tour is checked against the server's ledger."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Core's tour helpers match English texts; the test databases only have Chinese active.
        cls.env["res.lang"]._activate_lang("en_US")
        cls.pos_cashier = new_test_user(
            cls.env, login="t_pos_member_cashier", groups="store_pos_ext.group_store_user", lang="en_US"
        )
        cls.pos_cashier.store_ids = [Command.set(cls.store_a.ids)]
        cls.config = cls.store_a.pos_config_ids[:1]
        # Only the chain's programs in this POS (the template database has core's demo programs).
        cls.env["loyalty.program"].search([("id", "not in", cls.points_program.ids)]).pos_ok = False
        cards = cls.member._store_member_cards(create=False)
        cls.points_card, cls.sv_card = cards["points"], cards["stored_value"]

    def _tour(self, name):
        self.start_tour(f"/pos/ui/{self.config.id}", name, login=self.pos_cashier.login)
        return self.env["pos.order"].search([("config_id", "=", self.config.id), ("state", "!=", "draft")])

    def _ledger(self, order):
        total = defaultdict(float)
        for line in order.store_ledger_ids:
            total[(line.card_id.store_chain_role, line.kind)] += line.amount
        return dict(total)

    def test_pos_config_loads_no_stored_value_program(self):
        """Stored value is a payment method here: core's eWallet buttons must not offer it."""
        programs = self.config._get_program_ids()
        self.assertIn(self.points_program, programs)
        self.assertNotIn(self.sv_program, programs)

    def test_lookup_select_and_scan_member(self):
        self.points_card._store_credit("adjust", 300, store=self.store_a, reason="test")
        self.member.sudo()._store_set_tier(self.tier_gold)
        self.member.sudo().member_number = "M99990001"
        orders = self._tour("store_member_lookup_select")
        self.assertEqual(len(orders), 1)
        order = orders
        self.assertEqual(order.partner_id, self.member)
        self.assertEqual(order.store_member_state, "done")
        self.assertEqual(order.store_points_earned, 40, "20 CNY at 1 point per CNY, ×2 for 金卡")
        self.assertEqual(self._ledger(order), {("points", "earn"): 40})
        self.assertEqual(self.points_card.points, 340)

    def test_register_member_and_same_phone_finds_existing(self):
        partners_before = self.env["res.partner"].search_count([])
        self._tour("store_member_register")
        new = self.env["res.partner"].search([("name", "=", "李四")])
        self.assertEqual(len(new), 1)
        self.assertTrue(new.is_member)
        self.assertEqual(new.sudo().member_mobile, "13900139000")
        self.assertEqual(new.phone, "139****9000")
        self.assertEqual(str(new.member_birthday), "1990-05-01")
        self.assertEqual((new.register_store_id, new.home_store_id), (self.store_a, self.store_a))
        self.assertFalse(self.env["res.partner"].search([("name", "=", "王五")]), "no duplicate member")
        self.assertEqual(self.env["res.partner"].search_count([]), partners_before + 1)

    def test_redeem_points(self):
        self.points_card._store_credit("adjust", 990, store=self.store_a, reason="test")
        order = self._tour("store_member_redeem_points")
        self.assertEqual(len(order), 1)
        self.assertEqual(order.store_member_state, "done", order.store_member_issue)
        self.assertAlmostEqual(order.amount_total, 21.0)
        self.assertEqual(order.store_points_spent, 900)
        self.assertEqual(order.store_points_earned, 21, "points are earned on what was paid, 30 - 9")
        self.assertEqual(self._ledger(order), {("points", "redeem"): -900, ("points", "earn"): 21})
        self.assertEqual(self.points_card.points, 111)
        hold = self.env["store.member.hold"].search([("card_id", "=", self.points_card.id)])
        self.assertEqual(
            (hold.state, hold.amount, hold.pos_order_id), ("captured", 900, order), "the till held the points"
        )

    def test_points_refused_when_another_till_holds_them(self):
        self.points_card._store_credit("adjust", 990, store=self.store_a, reason="test")
        session = self._session(self.store_a)
        other = self.env["store.member.hold"]._authorize(
            session, self.points_card, "points", "another-till", 500
        )
        self.assertTrue(other["authorized"])
        order = self._tour("store_member_points_refused")
        self.assertEqual(len(order), 1)
        self.assertEqual(order.store_member_state, "done", order.store_member_issue)
        self.assertFalse(order.lines.reward_id, "the refused reward was taken off before payment")
        self.assertEqual(self._ledger(order), {("points", "earn"): 30})
        holds = self.env["store.member.hold"].search([("card_id", "=", self.points_card.id)])
        self.assertEqual(holds.mapped("order_uuid"), ["another-till"], "the refused order holds nothing")

    def test_birthday_coupon_is_used_up_by_the_sale(self):
        """An honest till applies the member's 生日券 by its code: the server uses it up, once."""
        birthday = self.env["loyalty.program"].create(
            {
                "name": "测试生日券",
                "program_type": "coupons",
                "applies_on": "current",
                "trigger": "with_code",
                "pos_ok": True,
                "rule_ids": [
                    Command.clear(),
                    Command.create({"reward_point_mode": "order", "reward_point_amount": 1}),
                ],
                "reward_ids": [
                    Command.clear(),
                    Command.create(
                        {
                            "reward_type": "discount",
                            "discount_mode": "per_order",
                            "discount": 20,
                            "required_points": 1,
                            "discount_applicability": "order",
                        }
                    ),
                ],
            }
        )
        self.env.company.store_birthday_program_id = birthday
        self.member.member_birthday = fields.Date.context_today(self.member).replace(year=1990, day=1)
        self.env["res.partner"]._cron_store_birthday_coupons()
        coupon = self.env["loyalty.card"].search([("program_id", "=", birthday.id)])
        coupon.code = "BDAY2026"
        order = self._tour("store_member_birthday_coupon")
        self.assertEqual(len(order), 1)
        self.assertEqual(order.store_member_state, "done", order.store_member_issue)
        self.assertAlmostEqual(order.amount_total, 40.0)
        self.assertEqual(order.lines.filtered("reward_id").coupon_id, coupon)
        self.assertEqual(coupon.points, 0, "used up once, though the till reported the use too")
        self.assertEqual(len(coupon.history_ids), 1)

    def test_pay_with_stored_value(self):
        self.sv_card._store_credit("topup", 15, store=self.store_a, sv_part="principal")
        order = self._tour("store_member_pay_stored_value")
        self.assertEqual(len(order), 1, "the blocked attempts sent nothing to the server")
        self.assertEqual(order.store_member_state, "done", order.store_member_issue)
        self.assertEqual(
            sorted((p.payment_method_id, p.amount) for p in order.payment_ids),
            sorted([(self.sv_method, 15.0), (self.config.payment_method_ids.filtered("is_cash_count"), 5.0)]),
        )
        self.assertEqual(self._ledger(order), {("stored_value", "pay"): -15, ("points", "earn"): 20})
        self.assertEqual(self.sv_card.points, 0)
        self.assertEqual(order.store_sv_after, 0)
        hold = self.env["store.member.hold"].search([("card_id", "=", self.sv_card.id)])
        self.assertEqual(
            (hold.state, hold.amount, hold.pos_order_id), ("captured", 15, order), "the till held 15"
        )

    def test_topup_gets_bonus(self):
        order = self._tour("store_member_topup")
        self.assertEqual(len(order), 1)
        self.assertEqual(order.store_member_state, "done", order.store_member_issue)
        self.assertEqual(order.lines.product_id, self.topup_product)
        self.assertAlmostEqual(order.amount_total, 100.0)
        self.assertEqual(self._ledger(order), {("stored_value", "topup"): 100, ("stored_value", "bonus"): 20})
        self.assertEqual(self.sv_card.points, 120)
        self.assertEqual((self.sv_card.store_sv_principal, self.sv_card.store_sv_bonus), (100, 20))
        self.assertEqual(order.store_points_earned, 0, "a top-up earns no points")


@tagged("post_install", "-at_install")
class TestPosMemberData(MemberCommon):
    """What the POS loads and sends back for members."""

    def test_browser_cannot_preset_the_settlement(self):
        data = self._order_data(self.store_a, [(self.product, 1, 10.0)], partner=self.member)
        # The POS serialises every order field it loaded, the settlement results included.
        data.update(store_member_state="done", store_points_earned=999, store_sv_after=5000)
        order = self._sync(data, self.cashier_a)
        self.assertEqual(order.store_member_state, "done")
        self.assertEqual(order.store_points_earned, 10)
        self.assertEqual(order.store_sv_after, 0)
        self.assertEqual(order.store_ledger_ids.mapped("kind"), ["earn"])

    def test_pos_reads_whole_orders_with_their_settlement(self):
        config = self.store_a.pos_config_ids[:1]
        order = self._sync(self._order_data(self.store_a, [(self.product, 2, 10.0)], partner=self.member))
        [row] = self.env["pos.order"]._load_pos_data_read(order, config)
        self.assertEqual(row["uuid"], order.uuid, "core's fields are still read")
        self.assertEqual(len(row["lines"]), 1)
        self.assertEqual((row["store_points_earned"], row["store_points_after"]), (20, 20))

    def test_pos_loads_member_fields_and_chain_settings(self):
        config = self.store_a.pos_config_ids[:1]
        partner_fields = self.env["res.partner"]._load_pos_data_fields(config)
        self.assertTrue({"is_member", "member_number"} <= set(partner_fields))
        self.assertNotIn("member_mobile", partner_fields, "the full mobile never reaches a till")
        [company] = self.env["res.company"]._load_pos_data_read(self.env.company, config)
        self.assertEqual(company["store_sv_product_id"], self.topup_product.id)
        self.assertEqual(company["store_points_program_id"], self.points_program.id)
