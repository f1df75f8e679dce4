from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import MemberCommon


@tagged("post_install", "-at_install")
class TestMemberMerge(MemberCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the merge is logged in the company's language
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env.company.partner_id.lang = "zh_CN"
        Partner = cls.env["res.partner"]
        # 张三 registered first (earliest number), then again with a second mobile at store B.
        cls.dup = Partner.browse(
            Partner.with_user(cls.cashier_a).store_member_register({"mobile": "13900139001", "name": "张三"})[
                "id"
            ]
        )
        cls._sync(cls._order_data(cls.store_a, [(cls.product, 6, 100.0)], partner=cls.member))
        cls._sync(cls._order_data(cls.store_b, [(cls.product, 5, 100.0)], partner=cls.dup))
        cls._sync(cls._order_data(cls.store_b, [(cls.topup_product, 1, 100.0)], partner=cls.dup))

    def _ledger(self, partner):
        return self.env["loyalty.history"].search([("partner_id", "=", partner.id)])

    def _merge(self, dst, dups, user=None):
        Wizard = self.env["store.member.merge"].with_user(user or self.hq_admin)
        wizard = Wizard.create({"dst_partner_id": dst.id, "partner_ids": [Command.set(dups.ids)]})
        return wizard.action_merge()

    def test_merge_sums_balances_and_keeps_history_and_earliest_number(self):
        number = self.member.member_number
        self.assertLess(number, self.dup.member_number)
        before = {line.id: (line.amount, line.balance_after) for line in self._ledger(self.member)}
        self.assertEqual(self.member.member_tier_id, self.tier_basic, "600 CNY: below 金卡")
        self.assertEqual(self.dup.member_tier_id, self.tier_basic, "500 CNY (+100 top-up): below 金卡")

        # The survivor is the later registration; it takes the earliest number.
        self._merge(self.dup, self.member)

        points, sv = self._card(self.dup), self._card(self.dup, "stored_value")
        self.assertEqual(points.points, 600 + 500)
        self.assertEqual((sv.points, sv.store_sv_principal, sv.store_sv_bonus), (120, 100, 20))
        for card in (
            points
            | sv
            | self.member.with_context(active_test=False)._store_member_cards(create=False)["points"]
        ):
            self.assertAlmostEqual(card.points, sum(card.history_ids.mapped("amount")), msg=card.code)
        # The old member's lines are untouched; its card is emptied by an adjustment line.
        old_lines = self._ledger(self.member)
        self.assertEqual(
            {line.id: (line.amount, line.balance_after) for line in old_lines if line.id in before}, before
        )
        moved_out = old_lines.filtered(lambda h: h.id not in before)
        self.assertEqual((moved_out.kind, moved_out.amount, moved_out.balance_after), ("adjust", -600, 0))
        moved_in = points.history_ids.filtered(lambda h: h.kind == "adjust")
        self.assertEqual((moved_in.amount, moved_in.origin_store_id), (600, self.store_a))
        earned = old_lines.filtered(lambda h: h.kind == "earn")
        self.assertEqual(moved_in.expire_date, earned.expire_date, "the points keep their expiry")
        self.assertIn(number, moved_in.reason)
        self.assertEqual(moved_in.user_id, self.hq_admin)

        # Earliest number kept, duplicate archived and freed, orders moved, tier recomputed.
        self.assertEqual(self.dup.member_number, number)
        self.assertFalse(self.member.active)
        self.assertFalse(self.member.is_member or self.member.member_number)
        self.assertFalse(self.env["res.partner"].store_member_lookup("13800138000"))
        self.assertEqual(self.env["res.partner"].store_member_lookup(number)["id"], self.dup.id)
        self.assertEqual(self.env["pos.order"].search_count([("partner_id", "=", self.member.id)]), 0)
        self.assertEqual(self.env["pos.order"].search_count([("partner_id", "=", self.dup.id)]), 3)
        self.assertEqual(self.dup.member_tier_id, self.tier_gold, "600 + 500 + 100 CNY reach 金卡")
        self.assertFalse(
            self.member.with_context(active_test=False)._store_member_cards(create=False)["points"].active
        )
        # written in the company's language (Chinese in the demo and test databases)
        log = self.dup.message_ids.filtered(
            lambda m: any(w in (m.body or "").lower() for w in ("merged", "合并"))
        )
        self.assertEqual(log.author_id, self.hq_admin.partner_id)
        self.assertIn(number, log.body)

        # The value moved keeps its store of issue: all 1100 points spent in store C settle to
        # store B (the survivor's own 500) and store A (the 600 moved in).
        reward = self.points_program.reward_ids
        data = self._order_data(
            self.store_c,
            [
                (self.product, 1, 100.0),
                {
                    "product_id": reward.discount_line_product_id.id,
                    "qty": 1,
                    "price_unit": -11.0,
                    "reward_id": reward.id,
                    "is_reward_line": True,
                    "points_cost": 1100,
                },
            ],
            partner=self.dup,
        )
        self.assertTrue(self._authorize(data)["points"]["authorized"])
        self._sync(data)
        redeem = points.history_ids.filtered(lambda h: h.kind == "redeem")
        self.assertEqual(
            sorted((h.origin_store_id.code, h.amount) for h in redeem), [("TSTA", -600), ("TSTB", -500)]
        )

    def test_a_negative_balance_follows_the_member(self):
        card = self._card(self.dup)
        card._store_debit("refund", 700, store=self.store_b, allow_negative=True)
        self.assertEqual(card.points, -200)
        self._merge(self.member, self.dup)
        survivor = self._card(self.member)
        self.assertEqual(survivor.points, 600 - 200)
        self.assertEqual(card.points, 0)
        self.assertAlmostEqual(survivor.points, sum(survivor.history_ids.mapped("amount")))
        self.assertEqual(self._card(self.member, "stored_value").points, 120)

    def test_only_member_admins_merge(self):
        Wizard = self.env["store.member.merge"]
        vals = {"dst_partner_id": self.member.id, "partner_ids": [Command.set(self.dup.ids)]}
        for user in (self.cashier_a, self.manager_a, self.analyst):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                Wizard.with_user(user).create(vals)
        # Even a wizard made for them by someone else does nothing.
        wizard = Wizard.create(vals)
        with self.assertRaises(AccessError):
            wizard.with_user(self.analyst).action_merge()
        self.assertTrue(self.dup.active)
        self.assertEqual(self._card(self.member).points, 600)

    def test_merging_a_member_with_itself_or_nobody_is_refused(self):
        with self.assertRaises(UserError):
            self._merge(self.member, self.member)
        with self.assertRaises(UserError):
            self._merge(self.member, self.env["res.partner"])
        contact = self.env["res.partner"].create({"name": "普通联系人"})
        with self.assertRaises(UserError):
            self._merge(self.member, contact)
        self.assertTrue(self.member.active and self.member.is_member)
        self.assertEqual(self._card(self.member).points, 600)

    def test_core_contact_merge_refuses_members_but_takes_contacts(self):
        Merge = self.env["base.partner.merge.automatic.wizard"]
        with self.assertRaisesRegex(UserError, "Merge members"):
            Merge._merge((self.member | self.dup).ids, self.dup)
        with self.assertRaises(UserError):
            Merge._merge((self.member | self.dup).ids, self.member)
        self.assertEqual((self._card(self.member).points, self._card(self.dup).points), (600, 500))
        # A plain contact may be merged into a member: no card is involved.
        contact = self.env["res.partner"].create({"name": "张三 (旧联系人)", "email": "zs@example.com"})
        Merge._merge((contact | self.member).ids, self.member)
        self.assertFalse(contact.exists())
        self.assertEqual(self._card(self.member).points, 600)

    def test_default_survivor_is_the_earliest_member(self):
        wizard = (
            self.env["store.member.merge"]
            .with_user(self.hq_admin)
            .with_context(active_model="res.partner", active_ids=(self.dup | self.member).ids)
            .create({})
        )
        self.assertEqual((wizard.dst_partner_id, wizard.partner_ids), (self.member, self.dup))
