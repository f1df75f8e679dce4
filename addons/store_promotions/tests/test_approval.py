from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import PromoCommon


@tagged("post_install", "-at_install")
class TestApproval(PromoCommon):
    def _local(self, user, stores, **vals):
        return (
            self.env["store.promotion"]
            .with_user(user)
            .create(
                {
                    "name": "本店满减",
                    "template": "threshold",
                    "min_amount": 100,
                    "off_amount": 20,
                    "scope": "stores",
                    "store_ids": [(6, 0, stores.ids)],
                    **vals,
                }
            )
        )

    def test_store_manager_proposes_hq_approves(self):
        promo = self._local(self.manager_a, self.store_a)
        promo.action_submit()
        self.assertEqual(promo.state, "submitted")
        self.assertFalse(promo.program_id.active, "not applied before approval")
        with self.assertRaises(UserError):
            promo.action_approve()
        promo.with_user(self.hq_admin).action_approve()
        self.assertEqual(promo.state, "running")
        self.assertTrue(promo.program_id.active)
        with self.assertRaises(UserError):
            promo.write({"off_amount": 90})

    def test_a_promotion_starts_on_its_stores_day(self):
        """At 02:00 in Shanghai (18:00 UTC the day before), a promotion starting today in its store
        runs once approved, whatever the server's or the approving user's time zone; it ends once
        its last day is over there."""
        self.hq_admin.tz = "Europe/Brussels"
        with freeze_time("2026-12-07 18:00:00"):
            promo = self._local(self.manager_a, self.store_a, date_from="2026-12-08", date_to="2026-12-08")
            promo.action_submit()
            promo.with_user(self.hq_admin).action_approve()
            self.assertEqual(promo.state, "running")
        with freeze_time("2026-12-08 15:00:00"):  # 23:00 in Shanghai: still its day
            promo.with_user(self.hq_admin)._cron_update_states()
            self.assertEqual(promo.state, "running")
        with freeze_time("2026-12-08 16:30:00"):  # 00:30 on the 9th in Shanghai
            promo.with_user(self.hq_admin)._cron_update_states()
            self.assertEqual(promo.state, "ended")

    def test_a_promotion_is_born_a_draft(self):
        """A store manager cannot create a promotion approved, running or with usage, by its values
        or by default_* context keys (which core's create applies)."""
        for vals in (
            {"state": "approved"},
            {"state": "running"},
            {"spent": 50.0},
            {"order_count": 3},
            {"reviewed_by_id": self.hq_admin.id},
            {"proposed_by_id": self.hq_admin.id},
        ):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                self._local(self.manager_a, self.store_a, **vals)
        Promotion = self.env["store.promotion"].with_user(self.manager_a)
        promo = Promotion.with_context(
            default_state="approved", default_spent=10.0, default_reviewed_by_id=self.hq_admin.id
        ).create(
            {
                "name": "伪造批准",
                "template": "threshold",
                "min_amount": 100,
                "off_amount": 20,
                "scope": "stores",
                "store_ids": [(6, 0, self.store_a.ids)],
            }
        )
        self.assertEqual(
            (promo.state, promo.spent, promo.reviewed_by_id), ("draft", 0.0, self.env["res.users"])
        )
        self.assertEqual(promo.proposed_by_id, self.manager_a)
        self.assertFalse(promo.program_id.active)

    def test_hq_rejects_with_a_comment(self):
        promo = self._local(self.manager_a, self.store_a)
        promo.action_submit()
        hq = promo.with_user(self.hq_admin)
        with self.assertRaises(UserError):
            hq.action_reject()
        hq.review_comment = "力度太大"
        hq.action_reject()
        self.assertEqual(promo.state, "rejected")

    def test_store_manager_cannot_propose_beyond_their_stores(self):
        with self.assertRaises(UserError):
            self._local(self.manager_a, self.store_b).action_submit()
        chain = (
            self.env["store.promotion"]
            .with_user(self.manager_a)
            .create({"name": "全场", "template": "threshold", "min_amount": 100, "off_amount": 20})
        )
        with self.assertRaises(UserError):
            chain.action_submit()

    def test_a_promotion_cannot_reach_the_chain_rules_through_its_program(self):
        """The promotion's program is written with sudo: rule, reward or bonus-rule commands passed
        through a promotion would reach any record by id (the chain's 充100送20 became 充100送100000)."""
        promo = self._local(self.manager_a, self.store_a)
        points_rule = self.points_program.rule_ids[:1]
        bonus_rule = self.sv_program.store_topup_bonus_rule_ids[:1]
        before = (
            points_rule.reward_point_amount,
            bonus_rule.bonus_amount,
            self.points_program.reward_ids[:1].discount,
        )
        attacks = {
            "rule_ids": [(1, points_rule.id, {"reward_point_amount": 1000})],
            "reward_ids": [(1, self.points_program.reward_ids[:1].id, {"discount": 100})],
            "store_topup_bonus_rule_ids": [(1, bonus_rule.id, {"bonus_amount": 100000})],
            "store_chain_role": "points",
            "pos_config_ids": [(6, 0, self.store_b.pos_config_ids.ids)],
        }
        for name, value in attacks.items():
            with self.subTest(field=name), self.assertRaisesRegex(UserError, name):
                promo.with_user(self.manager_a).write({name: value})
            with self.subTest(field=name, on="create"), self.assertRaisesRegex(UserError, name):
                self._local(self.manager_a, self.store_a, **{name: value})
        after = (
            points_rule.reward_point_amount,
            bonus_rule.bonus_amount,
            self.points_program.reward_ids[:1].discount,
        )
        self.assertEqual(after, before, "the chain's rules, rewards and bonus rules are untouched")
        self.assertEqual(before[0], 1)
        # What a promotion owns is still written: its name and dates.
        promo.with_user(self.manager_a).write({"name": "本店满100减20"})
        self.assertEqual(promo.program_id.name, "本店满100减20")

    def test_cashier_cannot_create_or_edit(self):
        with self.assertRaises(AccessError):
            self._local(self.cashier_a, self.store_a)

    def test_store_users_see_only_promotions_for_their_stores(self):
        mine = self._promo("threshold", scope="stores", store_ids=[(6, 0, self.store_a.ids)])
        other = self._promo("threshold", scope="stores", store_ids=[(6, 0, self.store_b.ids)])
        chain = self._promo("threshold")
        seen = (
            self.env["store.promotion"]
            .with_user(self.cashier_a)
            .search([("id", "in", (mine | other | chain).ids)])
        )
        self.assertEqual(seen, mine | chain)
        seen = (
            self.env["store.promotion"]
            .with_user(self.analyst)
            .search([("id", "in", (mine | other | chain).ids)])
        )
        self.assertEqual(seen, mine | other | chain)

    def test_a_forged_context_does_not_approve(self):
        promo = self._local(self.manager_a, self.store_a)
        promo.action_submit()
        forged = promo.with_user(self.manager_a).with_context(store_promotion_sync=True)
        with self.assertRaises(UserError):
            forged.write({"state": "running", "spent": 0})
        self.assertEqual(promo.state, "submitted")
