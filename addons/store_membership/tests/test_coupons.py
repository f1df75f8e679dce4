from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import MemberCommon


@tagged("post_install", "-at_install")
class TestServerIssuedCoupons(MemberCommon):
    """The birthday coupon is issued by the server (the monthly cron) and used up by the server
    when a paid order's reward line names it: the till can neither create one nor say how many
    uses one has left."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.birthday = cls.env["loyalty.program"].create(
            {
                "name": "测试生日券",
                "program_type": "coupons",
                "applies_on": "current",
                "trigger": "with_code",
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
        cls.env.company.store_birthday_program_id = cls.birthday
        cls.reward = cls.birthday.reward_ids
        Partner = cls.env["res.partner"]
        cls.other = Partner.browse(
            Partner.store_member_register({"mobile": "13800138001", "name": "李四"})["id"]
        )
        today = fields.Date.context_today(cls.member)
        (cls.member | cls.other).write({"member_birthday": today.replace(year=1990, day=1)})
        Partner._cron_store_birthday_coupons()
        cls.coupon = cls._coupon(cls.member)
        cls.other_coupon = cls._coupon(cls.other)

    @classmethod
    def _coupon(cls, partner):
        return cls.env["loyalty.card"].search(
            [("program_id", "=", cls.birthday.id), ("partner_id", "=", partner.id)]
        )

    def _coupon_line(self, card=None, code="bday1"):
        return {
            "product_id": self.reward.discount_line_product_id.id,
            "qty": 1,
            "price_unit": -20.0,
            "reward_id": self.reward.id,
            "is_reward_line": True,
            "coupon_id": card.id if card else False,
            "reward_identifier_code": code,
            "points_cost": 1,
        }

    def _sell(self, card, partner=None):
        data = self._order_data(
            self.store_a, [(self.product, 6, 10.0), self._coupon_line(card)], partner=partner or self.member
        )
        return self._sync(data, user=self.cashier_a)

    def _confirm(self, order, coupon_data):
        """What the till calls after the sync (core pos_loyalty), as the cashier."""
        return (
            self.env["pos.order"]
            .with_user(self.cashier_a)
            .browse(order.id)
            .confirm_coupon_programs({str(k): v for k, v in coupon_data.items()})
        )

    def test_the_birthday_program_is_server_issued(self):
        self.assertTrue(self.birthday.store_server_issued)
        self.assertTrue(self.points_program.store_server_issued and self.sv_program.store_server_issued)
        self.env.company.store_birthday_program_id = False
        self.assertFalse(self.birthday.store_server_issued, "follows the company's setting")

    def test_a_valid_coupon_is_used_up_by_the_server_once(self):
        self.assertEqual(self.coupon.points, 1)
        order = self._sell(self.coupon)
        self.assertEqual(order.store_member_state, "done", order.store_member_issue)
        self.assertEqual(self.coupon.points, 0, "used up by the sale itself")
        # The till then reports the use (points -1) as core does: it is not taken twice.
        result = self._confirm(
            order,
            {self.coupon.id: {"points": -1, "program_id": self.birthday.id, "coupon_id": self.coupon.id}},
        )
        self.coupon.invalidate_recordset()
        self.assertEqual(self.coupon.points, 0)
        self.assertEqual([u["points"] for u in result["coupon_updates"]], [0])
        self.assertEqual(len(self.coupon.history_ids), 1, "one use in the card's history")

    def test_coupon_created_by_the_till_for_a_birthday_program(self):
        order = self._sell(self.coupon)
        self._confirm(
            order,
            {
                -1: {
                    "points": 100,
                    "program_id": self.birthday.id,
                    "partner_id": self.member.id,
                    "code": "BDAY100",
                },
                # an existing coupon given 99 more uses, directly or claimed as a gift card
                self.coupon.id: {"points": 99, "program_id": self.birthday.id, "coupon_id": self.coupon.id},
            },
        )
        gift = self.env["loyalty.program"].create({"name": "测试礼品卡", "program_type": "gift_card"})
        self._confirm(order, {-2: {"points": 99, "program_id": gift.id, "coupon_id": self.coupon.id}})
        # Nor a history line the till writes for it (a new id mapped onto the coupon, as core maps).
        self.env["pos.order"].with_user(self.cashier_a).browse(order.id).add_loyalty_history_lines(
            [{"card_id": -5, "won": 99, "spent": 0}], [{"old_id": -5, "id": self.coupon.id}]
        )
        self.assertEqual(len(self.coupon.history_ids), 1, "the server's use only")
        self.assertFalse(
            self.env["loyalty.card"].search([("code", "=", "BDAY100")]), "no coupon made by the till"
        )
        self.coupon.invalidate_recordset()
        self.assertEqual(self.coupon.points, 0)
        card = self.env["loyalty.card"].with_user(self.cashier_a).browse(self.other_coupon.id)
        with self.assertRaises(UserError):
            card.write({"points": 100})
        with self.assertRaises(UserError):
            card.write({"expiration_date": "2999-12-31"})
        with self.assertRaises(UserError):  # not even by the superuser outside the cron
            self.env["loyalty.card"].create({"program_id": self.birthday.id, "partner_id": self.member.id})

    def test_coupon_line_without_a_coupon(self):
        order = self._sell(None)
        self.assertEqual(order.state, "paid", "the sale is kept")
        self.assertEqual(order.store_member_state, "flagged")
        self.assertIn("without a coupon", order.store_member_issue)
        self.assertEqual(self.coupon.points, 1)

    def test_coupon_line_naming_a_coupon_that_does_not_exist(self):
        line = self._coupon_line()
        line["coupon_id"] = 2_000_000_000
        data = self._order_data(self.store_a, [(self.product, 6, 10.0), line], partner=self.member)
        order = self._sync(data, user=self.cashier_a)
        self.assertEqual(order.state, "paid", "the sale is kept, not lost to a foreign key")
        self.assertEqual(order.store_member_state, "flagged")
        self.assertIn("without a coupon", order.store_member_issue)
        self.assertEqual(self.coupon.points, 1)

    def test_another_members_coupon(self):
        order = self._sell(self.other_coupon)
        self.assertEqual(order.store_member_state, "flagged")
        self.assertIn(self.other_coupon.code, order.store_member_issue)
        self.assertEqual(self.other_coupon.points, 1, "李四's coupon is not used")
        anonymous = self._order_data(self.store_a, [(self.product, 6, 10.0), self._coupon_line(self.coupon)])
        self.assertEqual(
            self._sync(anonymous, user=self.cashier_a).store_member_state, "flagged", "no customer"
        )
        self.assertEqual(self.coupon.points, 1)

    def test_coupon_used_twice(self):
        first = self._sell(self.coupon)
        second = self._sell(self.coupon)
        self.assertEqual(first.store_member_state, "done")
        self.assertEqual(second.store_member_state, "flagged")
        self.assertIn("used already", second.store_member_issue)
        self.assertEqual(self.coupon.points, 0, "used once, never below zero")
        # Twice in one order (two reward lines on one coupon of one use) is no better.
        data = self._order_data(
            self.store_a,
            [
                (self.product, 6, 10.0),
                self._coupon_line(self.other_coupon),
                self._coupon_line(self.other_coupon, "b"),
            ],
            partner=self.other,
        )
        self.assertEqual(self._sync(data, user=self.cashier_a).store_member_state, "flagged")
        self.assertEqual(self.other_coupon.points, 1)

    def test_plain_core_coupons_behave_as_in_core(self):
        """A coupon program the server does not issue: the till creates and updates its cards."""
        plain = self.env["loyalty.program"].create(
            {"name": "测试普通券", "program_type": "next_order_coupons", "applies_on": "future"}
        )
        self.assertFalse(plain.store_server_issued)
        order = self._sell(self.coupon)
        self._confirm(
            order, {-1: {"points": 1, "program_id": plain.id, "partner_id": self.member.id, "code": "NEXT1"}}
        )
        self.assertEqual(self.env["loyalty.card"].search([("code", "=", "NEXT1")]).points, 1)
