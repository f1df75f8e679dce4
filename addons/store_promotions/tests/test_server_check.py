import importlib.util
from pathlib import Path
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import PromoCommon

TAGS_MIGRATION = Path(__file__).parents[1] / "migrations" / "19.0.1.3.0" / "post-migrate.py"


@tagged("post_install", "-at_install")
class TestServerCheck(PromoCommon):
    def _sell(self, promo, qty, discount, store=None, partner=None):
        data = self._order_data(
            store or self.store_a,
            [(self.cake, qty, 30.0), self._promo_line(promo, discount)],
            partner=partner,
        )
        return self._sync(data)

    def test_allowed_discount_is_checked_and_counted(self):
        promo = self._promo("threshold")
        order = self._sell(promo, 4, 30)  # 120 -> 30 off
        self.assertEqual((order.store_promo_state, order.store_promo_excess), ("ok", 0))
        self.assertEqual(order.store_promotion_ids, promo)
        self.assertEqual((promo.spent, promo.order_count), (30, 1))

    def test_forged_discount_is_saved_and_flagged_with_the_difference(self):
        promo = self._promo("threshold")
        order = self._sell(promo, 4, 100)
        self.assertEqual(order.state, "paid")
        self.assertEqual(order.store_promo_state, "flagged")
        self.assertAlmostEqual(order.store_promo_excess, 70)
        self.assertEqual((promo.spent, promo.order_count), (0, 0), "a flagged order moves no budget")
        self.assertFalse(order.store_promotion_ids, "nor a use (per-member limits count these)")
        with self.assertRaises(UserError):
            order.with_user(self.cashier_a).write({"store_promo_state": "ok"})
        with self.assertRaises(UserError):
            order.with_user(self.cashier_a).with_context(store_promo_check=True).write(
                {"store_promo_state": "ok"}
            )

    def test_a_resynced_order_is_counted_once(self):
        promo = self._promo("threshold")
        data = self._order_data(self.store_a, [(self.cake, 4, 30.0), self._promo_line(promo, 30)])
        orders = [self._sync(dict(data)) for _n in range(3)]  # the till sends it again after a timeout
        self.assertEqual(len(set(orders)), 1, "one order")
        self.assertEqual((promo.spent, promo.order_count), (30, 1), "budget and usage counted once")

    def test_a_failing_check_keeps_the_sale_and_flags_it(self):
        promo = self._promo("threshold")
        Promotion = type(self.env["store.promotion"])
        boom = patch.object(Promotion, "_compute_discount", side_effect=ZeroDivisionError("boom"))
        with boom, mute_logger("odoo.addons.store_promotions.models.pos_order"):
            order = self._sell(promo, 4, 30)
        self.assertEqual(order.state, "paid", "the sale is saved")
        self.assertEqual(len(order.lines), 2, "with its lines")
        self.assertEqual((order.store_promo_state, order.store_promo_issue), ("flagged", "boom"))
        self.assertEqual((promo.spent, promo.order_count), (0, 0), "a failed check counts nothing")

    def test_store_outside_the_scope_is_flagged(self):
        promo = self._promo("threshold", scope="stores", store_ids=[(6, 0, self.store_a.ids)])
        order = self._sell(promo, 4, 30, store=self.store_c)
        self.assertEqual(order.store_promo_state, "flagged")
        self.assertIn("测试C店", order.store_promo_issue)

    def test_budget_runs_out_mid_day(self):
        promo = self._promo("threshold", budget=50)
        first = self._sell(promo, 4, 30)
        second = self._sell(promo, 4, 30)
        self.assertEqual(first.store_promo_state, "ok")
        self.assertEqual(second.store_promo_state, "flagged")
        self.assertAlmostEqual(second.store_promo_excess, 10)
        self.assertEqual(promo.spent, 30, "the flagged order moves no budget")
        self.assertEqual(promo.state, "ended", "what is left cannot pay this order's discount")
        self.assertFalse(promo.program_id.active, "the POS stops offering it")
        third = self._sell(promo, 4, 30)
        self.assertAlmostEqual(third.store_promo_excess, 30)

    def test_per_member_limit(self):
        promo = self._promo("threshold", member_limit=1)
        self.assertEqual(self._sell(promo, 4, 30, partner=self.member).store_promo_state, "ok")
        self.assertEqual(self._sell(promo, 4, 30, partner=self.member).store_promo_state, "flagged")

    def test_members_only_tier(self):
        promo = self._promo("member_only", percent=10, tier_ids=[(6, 0, self.tier_gold.ids)])
        self.assertEqual(
            self._sell(promo, 4, 12, partner=self.member).store_promo_state, "flagged", "basic tier"
        )
        self.assertEqual(self._sell(promo, 4, 12).store_promo_state, "flagged", "no member")

    def test_member_tags(self):
        """A promotion for member tags (e.g. the RFM segments): a member with one of the tags, not
        another member nor a guest, as a till's cashier syncs the orders."""
        win_back, value = self.env["res.partner.category"].create(
            [{"name": "测试RFM: 流失挽回"}, {"name": "测试RFM: 重要价值"}]
        )
        promo = self._promo("threshold", partner_tag_ids=[(6, 0, win_back.ids)])
        self.assertTrue(promo.rule["members_only"], "a tag is a member's")
        self.member.sudo().category_id = value

        def sell(partner=None):
            data = self._order_data(
                self.store_a, [(self.cake, 4, 30.0), self._promo_line(promo, 30)], partner=partner
            )
            return self._sync(data, user=self.cashier_a)

        untagged = sell(self.member)
        self.assertEqual(untagged.store_promo_state, "flagged", "a member without the tag")
        self.assertIn("none of its tags", untagged.store_promo_issue)
        self.assertAlmostEqual(untagged.store_promo_excess, 30)
        self.assertEqual(sell().store_promo_state, "flagged", "no member")
        self.member.sudo().category_id = value | win_back
        tagged = sell(self.member)
        self.assertEqual(tagged.store_promo_state, "ok", tagged.store_promo_issue)
        self.assertEqual(tagged.store_promotion_ids, promo)
        self.assertEqual((promo.spent, promo.order_count), (30, 1))

    def test_a_targeted_tag_is_given_by_hq_only(self):
        """A user who may edit contacts (core's Contact Creation right; store roles may not),
        tagging a member with a promotion's tag, would give them the promotion."""
        targeted, free = self.env["res.partner.category"].create(
            [{"name": "测试RFM: 重要价值"}, {"name": "过敏"}]
        )
        self._promo("threshold", partner_tag_ids=[(6, 0, targeted.ids)])
        editor = new_test_user(
            self.env, login="t_contact_editor", groups="base.group_user,base.group_partner_manager"
        )
        member = self.member.with_user(editor)
        member.write({"category_id": [(4, free.id)]})
        for command in ([(4, targeted.id)], [(6, 0, (free | targeted).ids)]):
            # assertRaises rolls the refused write back (a savepoint), as the request would be
            with self.subTest(command=command), self.assertRaises(UserError) as refused:
                member.write({"category_id": command})
            self.assertIn("member admins", str(refused.exception))
        self.assertEqual(self.member.category_id, free)
        self.member.sudo().category_id = free | targeted  # the RFM job, HQ
        with self.assertRaises(UserError):
            member.write({"category_id": [(3, targeted.id)]})
        member.write({"category_id": [(3, free.id)]})
        self.assertEqual(self.member.category_id, targeted)

    def test_migration_gives_rules_saved_before_the_empty_tag_list(self):
        promo = self._promo("threshold")
        self.env.flush_all()
        # As 19.0.1.2.0 left it: a rule without member tags.
        self.env.cr.execute(
            "UPDATE store_promotion SET rule = rule - 'partner_tag_ids' WHERE id = %s", [promo.id]
        )
        self.env.invalidate_all()
        self.assertNotIn("partner_tag_ids", promo.rule)
        spec = importlib.util.spec_from_file_location("store_promotions_migrate_19_0_1_3_0", TAGS_MIGRATION)
        script = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(script)
        script.migrate(self.env.cr, "19.0.1.2.0")
        self.env.invalidate_all()
        self.assertEqual(promo.rule["partner_tag_ids"], [])
        self.assertEqual(self._sell(promo, 4, 30, partner=self.member).store_promo_state, "ok")

    def test_exclusive_group_keeps_one(self):
        a = self._promo("threshold", exclusive_group="A", priority=20)
        b = self._promo("category", exclusive_group="A", categ_ids=[(6, 0, self.categ_drink.ids)])
        data = self._order_data(
            self.store_a,
            [(self.cake, 4, 30.0), (self.tea, 1, 20.0), self._promo_line(a, 30), self._promo_line(b, 4)],
        )
        order = self._sync(data)
        self.assertEqual(order.store_promo_state, "flagged")
        self.assertAlmostEqual(order.store_promo_excess, 4)

    def test_effectiveness_report_rows(self):
        promo = self._promo("threshold")
        self._sell(promo, 4, 30)
        self._sell(promo, 5, 30, store=self.store_b)
        rows = self.env["store.promotion.report"].search([("promotion_id", "=", promo.id)])
        self.assertEqual(sorted(rows.mapped("revenue")), [90, 120])
        self.assertEqual(sum(rows.mapped("discount")), 60)
        self.assertEqual(promo.avg_ticket, 105)
        self.assertGreater(promo.redemption_rate, 0)

    def test_best_for_customer_policy_keeps_the_bigger_discount(self):
        self.env.company.store_promo_stacking = "best"
        a = self._promo("threshold", exclusive_group="A", priority=20)  # 30 off
        b = self._promo("member_only", exclusive_group="A", percent=50)  # 60 off on 120
        data = self._order_data(
            self.store_a,
            [(self.cake, 4, 30.0), self._promo_line(a, 30), self._promo_line(b, 60)],
            partner=self.member,
        )
        order = self._sync(data)
        self.assertAlmostEqual(
            order.store_promo_excess, 30, msg="the smaller (higher priority) one is the excess"
        )
        self.assertEqual((a.spent, b.spent), (0, 0), "a flagged order moves no budget")

    def test_member_usage_is_given_to_the_pos(self):
        promo = self._promo("threshold", member_limit=2)
        self._sell(promo, 4, 30, partner=self.member)
        self.member.invalidate_recordset(["store_promo_usage"])
        self.assertEqual(self.member.with_user(self.cashier_a).store_promo_usage, {str(promo.id): 1})
        self.assertEqual(
            promo.program_id._load_pos_data_read(promo.program_id, self.store_a.pos_config_ids[:1])[0][
                "store_promo_pos"
            ]["member_limit"],
            2,
        )

    def test_the_check_follows_every_change_of_a_promotion(self):
        """The check reads the promotion's stored rule: each change must reach it."""
        promo = self._promo("threshold")
        store = self.env["store.store"].create({"name": "测试后开店", "code": "TSTLATE"})
        self.assertEqual(self._sell(promo, 4, 30, store=store).store_promo_state, "ok", "a later store")
        promo.write({"min_amount": 200})  # HQ edits a running promotion
        self.assertEqual(self._sell(promo, 4, 30).store_promo_state, "flagged", "120 is below the new 200")
        promo.step_ids = [(0, 0, {"min_amount": 100, "off_amount": 30})]
        self.assertEqual(self._sell(promo, 4, 30).store_promo_state, "ok", "tiers replace the threshold")
        promo.date_to = "2020-01-01"  # a field of the core program
        self.assertIn("outside", self._sell(promo, 4, 30).store_promo_issue)
        promo.date_to = False
        promo.scope, promo.store_ids = "stores", self.store_b
        self.assertIn("does not cover", self._sell(promo, 4, 30).store_promo_issue)
        other = self._promo("member_only", exclusive_group="G", percent=50, priority=1)
        promo.write({"exclusive_group": "G", "priority": 20, "scope": "chain"})
        self.env.flush_all()
        self.env.company.store_promo_stacking = "best"  # the company's policy changes afterwards
        data = self._order_data(
            self.store_a,
            [(self.cake, 4, 30.0), self._promo_line(promo, 30), self._promo_line(other, 60)],
            partner=self.member,
        )
        excess = self._sync(data).store_promo_excess
        self.assertAlmostEqual(excess, 30, msg="best for the customer keeps the 60 off")
