from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import MemberCommon

LOYALTY_MODELS = ("loyalty.program", "loyalty.rule", "loyalty.reward")


@tagged("post_install", "-at_install")
class TestChangeLog(MemberCommon):
    """The chain's rules (points and stored-value programs, the birthday coupon, their rules and
    rewards, top-up bonus rules, tiers) are changed by HQ only, and every change is logged (OCA
    auditlog): who, when, old -> new. Other loyalty programs are not logged and behave as core."""

    def _logs(self, record, method):
        return self.env["auditlog.log"].search(
            [("model_model", "=", record._name), ("res_id", "=", record.id), ("method", "=", method)]
        )

    def _changes(self, record, field):
        return self.env["auditlog.log.line"].search(
            [
                ("log_id.model_model", "=", record._name),
                ("log_id.res_id", "=", record.id),
                ("field_name", "=", field),
                ("log_id.method", "=", "write"),
            ]
        )

    def _loyalty_logs(self):
        return self.env["auditlog.log"].search([("model_model", "in", LOYALTY_MODELS)])

    def test_hq_changes_of_tiers_and_bonus_rules_are_logged_with_old_and_new_values(self):
        self.tier_gold.with_user(self.hq_admin).write({"threshold": 2000})
        line = self._changes(self.tier_gold, "threshold")
        self.assertEqual((line.old_value_text, line.new_value_text), ("1000.0", "2000.0"))
        self.assertEqual(line.log_id.user_id, self.hq_admin)

    def test_the_chain_settings_changes_are_logged(self):
        """Which program is the birthday coupon, and the privacy limits, are chain rules too."""
        company = self.env.company
        birthday = self.env["loyalty.program"].create({"name": "生日券(新)", "program_type": "coupons"})
        before = company.store_birthday_program_id
        limit_before = company.store_member_unmask_daily_limit
        settings = self.env["res.config.settings"].create({})
        settings.store_birthday_program_id = birthday
        settings.store_member_unmask_daily_limit = 7
        settings.execute()
        line = self._changes(company, "store_birthday_program_id")
        self.assertEqual(len(line), 1)
        self.assertIn("生日券(新)", line.new_value_text)
        if before:
            self.assertIn(before.name, line.old_value_text)
        limit = self._changes(company, "store_member_unmask_daily_limit")
        self.assertEqual((limit.old_value_text, limit.new_value_text), (str(limit_before), "7"))
        logs = self._logs(company, "write")
        company.write({"email": "hq@example.com"})
        self.assertEqual(self._logs(company, "write"), logs, "other company fields are not logged")

    def test_hq_changes_of_chain_programs_rules_and_rewards_are_logged(self):
        rule = self.points_program.rule_ids[:1]
        rule.with_user(self.hq_admin).write({"reward_point_amount": 2})
        # The stored value's payment reward, as the demo chain has it: 1 CNY per CNY on the card.
        sv_reward = self.env["loyalty.reward"].create(
            {
                "program_id": self.sv_program.id,
                "reward_type": "discount",
                "discount_mode": "per_point",
                "discount": 1,
                "required_points": 1,
                "discount_applicability": "order",
            }
        )
        sv_reward.with_user(self.hq_admin).write({"discount_max_amount": 200})
        self.points_program.with_user(self.hq_admin).write({"name": "测试积分(新)"})
        for record, field, old, new in (
            (rule, "reward_point_amount", "1.0", "2.0"),
            (sv_reward, "discount_max_amount", "0.0", "200.0"),
            (self.points_program, "name", "测试积分", "测试积分(新)"),
        ):
            with self.subTest(model=record._name, field=field):
                line = self._changes(record, field)
                self.assertEqual(len(line), 1)
                self.assertEqual((line.old_value_text, line.new_value_text), (old, new))
                self.assertEqual((line.old_value, line.new_value), (old, new))
                self.assertEqual(line.log_id.user_id, self.hq_admin)
                self.assertEqual(line.log_id.model_id.model, record._name)
                # Only what changed is logged.
                self.assertEqual(line.log_id.line_ids, line)
        self.assertEqual(rule.reward_point_amount, 2)

    def test_creating_and_deleting_a_rule_of_a_chain_program_is_logged(self):
        Rule = self.env["loyalty.rule"].with_user(self.hq_admin)
        rule = Rule.create(
            {
                "program_id": self.points_program.id,
                "reward_point_mode": "unit",
                "reward_point_amount": 5,
                "product_ids": [Command.set(self.product.ids)],
            }
        )
        log = self._logs(rule, "create")
        self.assertEqual(len(log), 1)
        self.assertEqual(log.user_id, self.hq_admin)
        values = {line.field_name: line for line in log.line_ids}
        self.assertEqual(values["reward_point_amount"].new_value_text, "5.0")
        self.assertEqual(values["reward_point_mode"].new_value_text, "unit")
        self.assertIn(self.product.display_name, values["product_ids"].new_value_text)
        self.assertIn("测试积分", values["program_id"].new_value_text)
        rule_id = rule.id
        rule.unlink()
        log = self.env["auditlog.log"].search(
            [("model_model", "=", "loyalty.rule"), ("res_id", "=", rule_id), ("method", "=", "unlink")]
        )
        self.assertEqual(len(log), 1)
        self.assertEqual(log.user_id, self.hq_admin)
        values = {line.field_name: line for line in log.line_ids}
        self.assertEqual(values["reward_point_amount"].old_value_text, "5.0", "the deleted values are kept")

    def test_rules_and_rewards_changed_through_the_program_form_are_logged(self):
        """The program form saves its rules and rewards through the program. Core's behaviour
        that an auditlog rule on these models broke stays: a reward is created while its program
        is renamed, and a product a running reward uses cannot be archived. As an HQ admin: a
        new reward creates its discount product (the HQ role has core's product right)."""
        admin = self.hq_admin
        program = self.points_program.with_user(admin)
        program.write(
            {
                "name": "测试积分(新)",
                "rule_ids": [Command.update(program.rule_ids[0].id, {"reward_point_amount": 3})],
                "reward_ids": [
                    Command.create(
                        {
                            "reward_type": "discount",
                            "discount_mode": "percent",
                            "discount": 50,
                            "required_points": 500,
                            "discount_applicability": "specific",
                            "discount_product_ids": [Command.set(self.product.ids)],
                        }
                    )
                ],
            }
        )
        self.assertEqual(len(program.reward_ids), 2)
        with self.assertRaises(ValidationError, msg="as core: a product a running reward uses stays"):
            self.product.action_archive()
        new_reward = program.reward_ids.sorted("id")[-1]
        self.assertEqual(len(self._logs(new_reward, "create")), 1)
        line = self._changes(program.rule_ids[0], "reward_point_amount")
        self.assertEqual((line.old_value_text, line.new_value_text), ("1.0", "3.0"))
        self.assertEqual(line.log_id.user_id, admin)
        self.assertEqual(self._changes(self.points_program, "name").new_value_text, "测试积分(新)")

    def test_the_birthday_coupon_is_a_chain_rule(self):
        """The company's birthday coupon is given by the server to every member: its reward is a
        rule of the chain like the points, so its changes are logged too."""
        birthday = self._coupon_program("测试生日券")
        self.env.company.store_birthday_program_id = birthday
        reward = birthday.reward_ids
        reward.with_user(self.hq_admin).write({"discount": 30})
        line = self._changes(reward, "discount")
        self.assertEqual((line.old_value_text, line.new_value_text), ("20.0", "30.0"))

    def test_a_program_becoming_a_chain_program_is_logged(self):
        program = self.env["loyalty.program"].create({"name": "测试积分2", "program_type": "loyalty"})
        self.points_program.active = False
        program.with_user(self.hq_admin).write({"store_chain_role": "points"})
        line = self._changes(program, "store_chain_role")
        self.assertEqual((line.old_value_text, line.new_value_text), (False, "points"))

    def test_deleting_a_chain_program_logs_it_with_its_rules_and_rewards(self):
        """The database deletes a program's rules and rewards with it (not their unlink): they are
        logged as deleted too. As an HQ admin: archiving a program archives its rewards'
        discount products (the HQ role has core's product right)."""
        admin = self.hq_admin
        self.points_program.active = False
        self.points_program.flush_recordset()
        program = self.env["loyalty.program"].create(
            {
                "name": "测试积分2",
                "program_type": "loyalty",
                "store_chain_role": "points",
                "rule_ids": [Command.create({"reward_point_mode": "money", "reward_point_amount": 1})],
                "reward_ids": [
                    Command.create(
                        {"reward_type": "discount", "discount_mode": "per_point", "discount": 0.01}
                    )
                ],
            }
        )
        program.with_user(admin).action_archive()
        deleted = [program, program.with_context(active_test=False).rule_ids]
        deleted.append(program.with_context(active_test=False).reward_ids)
        line = self._changes(deleted[1], "active")
        self.assertEqual((line.old_value_text, line.new_value_text), ("True", False), "archived with it")
        program.with_user(admin).unlink()
        for records in deleted:
            with self.subTest(model=records._name):
                log = self._logs(records, "unlink")
                self.assertEqual(len(log), 1)
                self.assertEqual(log.user_id, admin)
                self.assertIn(
                    "program_id" if records != program else "name", log.line_ids.mapped("field_name")
                )

    def test_other_programs_are_not_logged_and_behave_as_core(self):
        before = self._loyalty_logs()
        admin = self.env.ref("base.user_admin")
        coupons = self._coupon_program("普通优惠券", user=admin)
        coupons.write(
            {
                "name": "普通优惠券(新)",
                "reward_ids": [Command.update(coupons.reward_ids[0].id, {"discount": 15})],
                "rule_ids": [Command.update(coupons.rule_ids[0].id, {"reward_point_amount": 2})],
            }
        )
        rule = self.env["loyalty.rule"].with_user(admin).create({"program_id": coupons.id})
        rule.unlink()
        reward = coupons.reward_ids[0]
        self.assertEqual((coupons.name, reward.discount), ("普通优惠券(新)", 15))
        self.assertEqual(coupons.rule_ids.reward_point_amount, 2)
        # Core keeps the discount product's name to the reward's description.
        reward.description = "普通优惠"
        self.assertEqual(reward.discount_line_product_id.name, "普通优惠")
        coupons.active = False
        coupons.unlink()
        self.assertEqual(self._loyalty_logs(), before, "nothing of a plain program is logged")

    def test_order_sync_writes_no_change_log(self):
        before = self._loyalty_logs()
        data = self._order_data(self.store_a, [(self.product, 2, 50.0)], partner=self.member)
        order = self._sync(data, user=self.cashier_a)
        self.assertEqual(order.store_points_earned, 100)
        self.assertEqual(self._loyalty_logs(), before)

    def test_store_staff_cannot_change_chain_rules(self):
        rule = self.points_program.rule_ids[:1]
        reward = self.points_program.reward_ids[:1]
        for user in (self.manager_a, self.cashier_a):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    rule.with_user(user).write({"reward_point_amount": 1000})
                with self.assertRaises(AccessError):
                    reward.with_user(user).write({"required_points": 1})
                with self.assertRaises(AccessError):
                    self.points_program.with_user(user).write({"name": "改了"})
                with self.assertRaises(AccessError):
                    self.env["loyalty.rule"].with_user(user).create({"program_id": self.points_program.id})
                with self.assertRaises(AccessError):
                    self.env["loyalty.reward"].with_user(user).create({"program_id": self.points_program.id})
                with self.assertRaises(AccessError):
                    rule.with_user(user).unlink()
                with self.assertRaises(AccessError):
                    reward.with_user(user).unlink()
                with self.assertRaises(AccessError):
                    self.env["loyalty.program"].with_user(user).create({"name": "店内积分"})
                with self.assertRaises(AccessError):
                    self.tier_gold.with_user(user).write({"threshold": 1})
        self.assertEqual(rule.reward_point_amount, 1)
        self.assertEqual(reward.required_points, 100)
        self.assertEqual(len(self.points_program.rule_ids), 1)
