from odoo import fields
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestMembershipDemo(TransactionCase):
    """The demo chain's membership (installed with demo data, as `make run` and `make test` do)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.chain = cls.env.ref("store_pos_ext.company_chain_demo")
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=cls.chain.ids))
        cls.members = cls.env["res.partner"].search(
            [("is_member", "=", True), ("member_mobile", "=like", "1%01210%")]
        )

    def test_programs_tiers_and_payment_method_are_set_on_the_chain(self):
        chain = self.chain
        points, sv = chain.store_points_program_id, chain.store_sv_program_id
        self.assertEqual((points.store_chain_role, points.company_id), ("points", chain))
        self.assertEqual(
            points.rule_ids.mapped(lambda r: (r.reward_point_mode, r.reward_point_amount)), [("money", 1)]
        )
        self.assertEqual((points.reward_ids.discount, points.reward_ids.required_points), (0.01, 100))
        self.assertEqual(points.store_points_validity_months, 12)
        self.assertEqual(
            sorted(sv.store_topup_bonus_rule_ids.mapped(lambda r: (r.min_amount, r.bonus_amount))),
            [(100, 20), (500, 150), (1000, 350)],
        )
        self.assertEqual(chain.store_sv_product_id.name, "储值充值")
        self.assertEqual(sv.trigger_product_ids, chain.store_sv_product_id)
        self.assertEqual(chain.store_birthday_program_id.reward_ids.discount, 20)
        tiers = self.env["store.member.tier"].search([("company_id", "=", chain.id)])
        self.assertEqual(
            [(t.name, t.threshold, t.points_multiplier) for t in tiers],
            [("普通会员", 0, 1.0), ("银卡", 2000, 1.2), ("金卡", 5000, 1.5)],
        )
        self.assertEqual(tiers[-1].pricelist_id.item_ids.percent_price, 5)
        stores = self.env["store.store"].search([("company_id", "=", chain.id)])
        self.assertEqual(len(stores), 4)
        for config in stores.pos_config_ids:
            self.assertTrue(config.payment_method_ids.filtered("store_is_stored_value"), config.name)
            self.assertIn(tiers[-1].pricelist_id, config.available_pricelist_ids)

    def test_members_have_history_made_by_the_server(self):
        members = self.members
        self.assertEqual(len(members), 30)
        self.assertEqual(len(members.home_store_id), 4)
        self.assertTrue(all(m.member_number and m.phone.count("*") == 4 for m in members))
        orders = self.env["pos.order"].search([("partner_id", "in", members.ids)])
        self.assertGreater(len(orders), 100)
        self.assertEqual(set(orders.mapped("store_member_state")), {"done"})
        ledger = self.env["loyalty.history"].search([("partner_id", "in", members.ids)])
        self.assertTrue({"earn", "redeem", "topup", "bonus", "pay"} <= set(ledger.mapped("kind")))
        self.assertTrue(
            ledger.filtered(lambda h: h.kind in ("redeem", "pay") and h.origin_store_id != h.store_id)
        )
        # Tiers follow the rolling spend (orders upgrade at once).
        Tier = self.env["store.member.tier"]
        tiers = Tier.search([("company_id", "=", self.chain.id)], order="threshold desc")
        spend = Tier._store_rolling_values(members, 12)
        for member in members:
            reached = next(t for t in tiers if spend[member.id][0] >= t.threshold)
            self.assertEqual(member.member_tier_id, reached, member.name)
        self.assertTrue({"银卡", "金卡"} <= set(members.member_tier_id.mapped("name")))

    def test_demo_topups_got_the_bonus_of_the_highest_rule_reached(self):
        rules = self.chain.store_sv_program_id.store_topup_bonus_rule_ids
        History = self.env["loyalty.history"]
        topups = History.search([("partner_id", "in", self.members.ids), ("kind", "=", "topup")])
        self.assertEqual(set(topups.mapped("amount")), {100, 500, 1000})
        for topup in topups:
            bonus = History.search([("pos_order_id", "=", topup.pos_order_id.id), ("kind", "=", "bonus")])
            best = max(rules.filtered(lambda r, t=topup: r.min_amount <= t.amount).mapped("min_amount"))
            expected = rules.filtered(lambda r, b=best: r.min_amount == b).bonus_amount
            self.assertEqual(bonus.amount, expected, f"充{topup.amount:.0f}")

    def test_birthdays_this_month_have_their_coupon(self):
        today = fields.Date.context_today(self.members)
        born_now = self.members.filtered(
            lambda m: m.member_birthday and m.member_birthday.month == today.month
        )
        self.assertGreaterEqual(len(born_now), 3)
        coupons = self.env["loyalty.card"].search(
            [("program_id", "=", self.chain.store_birthday_program_id.id)]
        )
        self.assertEqual(coupons.partner_id, born_now)

    def test_demo_loader_runs_once(self):
        count = self.env["pos.order"].search_count([])
        self.env["store.membership.demo"]._create_members(self.chain.id)
        self.assertEqual(self.env["pos.order"].search_count([]), count)
