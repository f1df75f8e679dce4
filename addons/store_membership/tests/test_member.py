from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import MemberCommon


@tagged("post_install", "-at_install")
class TestMember(MemberCommon):
    def test_same_mobile_twice_finds_the_existing_member(self):
        Partner = self.env["res.partner"].with_user(self.cashier_a)
        again = Partner.store_member_register({"mobile": "+86 138-0013-8000", "name": "张三丰"})
        self.assertTrue(again["existing"])
        self.assertEqual(again["id"], self.member.id)
        self.assertEqual(again["phone_masked"], "138****8000")

    def test_one_mobile_is_one_member_however_it_is_written(self):
        Partner = self.env["res.partner"].with_user(self.cashier_a)
        for written in ("13８0013８000", "＋８６ 138 0013 8000", "0086 13800138000", "8613800138000"):
            with self.subTest(written=written):
                again = Partner.store_member_register({"mobile": written, "name": "张三"})
                self.assertTrue(again["existing"])
                self.assertEqual(again["id"], self.member.id)
        # A foreign number is not a mainland mobile, even when its digits look like one: a valid
        # foreign mobile is its own member (E.164), anything else is refused.
        for foreign in ("+1 385 555 0123", "001 3855550123"):
            with self.subTest(foreign=foreign):
                info = Partner.store_member_register({"mobile": foreign, "name": "Foreign"})
                self.assertNotEqual(info["id"], self.member.id)
        with self.assertRaisesRegex(ValidationError, "Mobile"):
            Partner.store_member_register({"mobile": "+44 1385550123", "name": "Foreign"})
        self.assertEqual(self.env["res.partner"].search_count([("member_mobile", "=like", "1385%")]), 0)

    def test_a_registration_counts_for_staff_of_the_till_or_store_only(self):
        """The 办卡 figures of an employee: a caller cannot credit a registration to another
        store's employee (or any employee) by naming their id."""
        Employee = self.env["hr.employee"]
        own = Employee.create({"name": "A店店员", "store_id": self.store_a.id})
        listed = Employee.create({"name": "A店收银员", "store_id": self.store_a.id})
        other = Employee.create({"name": "B店店员", "store_id": self.store_b.id})
        config = self.store_a.pos_config_ids[:1]
        config.write(
            {
                "minimal_employee_ids": [(5,)],
                "basic_employee_ids": [(6, 0, listed.ids)],
                "advanced_employee_ids": [(5,)],
            }
        )
        user_employee = self.cashier_a.employee_id
        Partner = self.env["res.partner"].with_user(self.cashier_a)
        cases = [
            # (config, named, counted): no till named: an employee of the user's store
            (False, other, user_employee),
            (False, own, own),
            # a till that lists its cashiers: only them
            (config, listed, listed),
            (config, own, user_employee),
            (config, other, user_employee),
        ]
        for n, (till, named, counted) in enumerate(cases):
            with self.subTest(till=bool(till), named=named.name):
                info = Partner.store_member_register(
                    {"mobile": f"1390013910{n}", "name": "新会员"},
                    config_id=till and till.id,
                    employee_id=named.id,
                )
                member = self.env["res.partner"].browse(info["id"])
                self.assertEqual(member.register_employee_id, counted)
        # A till that lists no basic employee (pos_hr: any employee may use it): the store's.
        config.write({"basic_employee_ids": [(5,)]})
        for n, (named, counted) in enumerate([(own, own), (other, user_employee)]):
            info = Partner.store_member_register(
                {"mobile": f"1390013911{n}", "name": "新会员"}, config_id=config.id, employee_id=named.id
            )
            self.assertEqual(self.env["res.partner"].browse(info["id"]).register_employee_id, counted)

    def test_registration_names_the_bad_field(self):
        Partner = self.env["res.partner"].with_user(self.cashier_a)
        with self.assertRaisesRegex(ValidationError, "Mobile"):
            Partner.store_member_register({"mobile": "12345", "name": "李四"})
        with self.assertRaisesRegex(ValidationError, "Name"):
            Partner.store_member_register({"mobile": "13900139000", "name": " "})
        with self.assertRaisesRegex(ValidationError, "Birthday"):
            Partner.store_member_register({"mobile": "13900139000", "name": "李四", "birthday": "2999-01-01"})

    def test_registration_records_store_and_masks_phone(self):
        config = self.store_a.pos_config_ids[:1]
        info = (
            self.env["res.partner"]
            .with_user(self.cashier_a)
            .store_member_register(
                {"mobile": "13900139000", "name": "李四", "birthday": "1990-05-01"}, config.id
            )
        )
        partner = self.env["res.partner"].browse(info["id"])
        self.assertEqual((partner.register_store_id, partner.home_store_id), (self.store_a, self.store_a))
        self.assertTrue(partner.member_number.startswith("M"))
        self.assertEqual(partner.with_user(self.cashier_a).phone, "139****9000")
        self.assertEqual(partner.member_tier_id, self.tier_basic)
        with self.assertRaises(AccessError):
            _ = partner.with_user(self.cashier_a).member_mobile

    def test_lookup_by_phone_or_card_number(self):
        Partner = self.env["res.partner"].with_user(self.cashier_a)
        self.assertEqual(Partner.store_member_lookup("13800138000")["id"], self.member.id)
        self.assertEqual(Partner.store_member_lookup(self.member.member_number)["id"], self.member.id)
        self.assertFalse(Partner.store_member_lookup("13800000000"))
        self.assertNotIn("13800138000", str(Partner.store_member_lookup("13800138000")))

    def test_staff_cannot_set_membership_fields(self):
        with self.assertRaises(UserError):
            self.member.with_user(self.manager_a).write({"member_tier_id": self.tier_gold.id})

    def test_spending_crosses_the_threshold_and_upgrades(self):
        self._sync(self._order_data(self.store_a, [(self.product, 1, 600.0)], partner=self.member))
        self.assertEqual(self.member.member_tier_id, self.tier_basic)
        order = self._sync(self._order_data(self.store_b, [(self.product, 1, 500.0)], partner=self.member))
        self.assertEqual(self.member.member_tier_id, self.tier_gold)
        self.assertEqual(order.store_points_earned, 500, "the multiplier applies from the next order")
        nxt = self._sync(self._order_data(self.store_b, [(self.product, 1, 10.0)], partner=self.member))
        self.assertEqual(nxt.store_points_earned, 20)
        history = self.member.member_tier_history_ids.sorted("id")
        self.assertEqual(history.mapped("direction"), ["up", "up"])

    def test_unmask_is_logged_and_limited_to_member_admins(self):
        Wizard = self.env["store.member.unmask"]
        with self.assertRaises(AccessError):
            Wizard.with_user(self.manager_a).create({"partner_id": self.member.id, "reason": "x"})
        wizard = Wizard.with_user(self.hq_admin).create(
            {"partner_id": self.member.id, "reason": "会员来电核实"}
        )
        wizard.action_unmask()
        self.assertEqual(wizard.mobile, "13800138000")
        log = self.env["store.member.unmask.log"].search([("partner_id", "=", self.member.id)])
        self.assertEqual((log.user_id, log.kind, log.reason), (self.hq_admin, "unmask", "会员来电核实"))

    def test_member_export_is_hq_only_and_logged(self):
        self.manager_a.group_ids += self.env.ref("base.group_allow_export")
        with self.assertRaises(UserError):
            self.member.with_user(self.manager_a).export_data(["name"])
        self.analyst.group_ids += self.env.ref("base.group_allow_export")
        self.member.with_user(self.analyst).export_data(["name"])
        self.assertEqual(
            self.env["store.member.unmask.log"].search([("kind", "=", "export")]).user_id, self.analyst
        )

    def test_birthday_coupon_once_a_year(self):
        coupon_program = self.env["loyalty.program"].create(
            {"name": "生日券", "program_type": "coupons", "trigger": "with_code"}
        )
        self.env.company.store_birthday_program_id = coupon_program
        today = fields.Date.context_today(self.member)
        self.member.member_birthday = today.replace(year=1990, day=1)
        self.assertEqual(self.env["res.partner"]._cron_store_birthday_coupons(), 1)
        self.assertEqual(self.env["res.partner"]._cron_store_birthday_coupons(), 0)
        card = self.env["loyalty.card"].search([("program_id", "=", coupon_program.id)])
        self.assertEqual(card.partner_id, self.member)
        # The cashier sees it when looking the member up.
        info = self.env["res.partner"].with_user(self.cashier_a).store_member_lookup("13800138000")
        self.assertEqual([c["code"] for c in info["coupons"]], [card.code])

    def test_monthly_review_downgrades_after_the_period(self):
        order = self._sync(self._order_data(self.store_a, [(self.product, 1, 1200.0)], partner=self.member))
        self.assertEqual(self.member.member_tier_id, self.tier_gold)
        self.env.cr.execute(
            "UPDATE pos_order SET date_order = date_order - interval '13 months' WHERE id = %s", [order.id]
        )
        self.env["pos.order"].invalidate_model(["date_order"])
        self.env["store.member.tier"]._cron_review_tiers()
        self.assertEqual(self.member.member_tier_id, self.tier_basic)
        self.assertEqual(self.member.member_tier_history_ids[:1].direction, "down")

    def test_signups_count_for_the_registering_employee(self):
        employee = self.env["hr.employee"].create({"name": "导购小王", "store_id": self.store_a.id})
        Partner = self.env["res.partner"].with_user(self.cashier_a)
        Partner.store_member_register({"mobile": "13700137000", "name": "王五"}, employee_id=employee.id)
        Partner.store_member_register({"mobile": "13700137001", "name": "赵六"}, employee_id=employee.id)
        today = fields.Date.today()
        signups = self.env["store.staff.score"]._get_member_signups(
            today.replace(day=1), fields.Date.add(today.replace(day=1), months=1), employee
        )
        self.assertEqual(signups, {employee.id: 2})

    def test_chain_role_is_locked_once_cards_exist(self):
        with self.assertRaises(UserError):
            self.points_program.write({"store_chain_role": False})

    def test_cashier_pos_data_has_no_member_address(self):
        self.member.sudo().write({"street": "徐汇区漕溪北路 1 号", "city": "上海"})
        config = self.store_a.pos_config_ids[:1]
        Partner = self.env["res.partner"].with_user(self.cashier_a)
        row = Partner._load_pos_data_read(self.member.with_user(self.cashier_a), config)[0]
        self.assertFalse(row.get("street"))
        self.assertEqual(row["phone"], "138****8000")
        row = self.env["res.partner"].with_user(self.analyst)._load_pos_data_read(self.member, config)[0]
        self.assertEqual(row["street"], "徐汇区漕溪北路 1 号")

    def test_store_staff_form_hides_member_address(self):
        self.assertTrue(self.member.with_user(self.cashier_a).store_hide_address)
        self.assertFalse(self.member.with_user(self.analyst).store_hide_address)
        arch = self.env["res.partner"].get_view(self.env.ref("base.view_partner_form").id)["arch"]
        self.assertIn('name="address_name" invisible="store_hide_address"', arch.replace("'", '"'))

    def test_core_pos_customer_search_finds_member_by_full_mobile(self):
        config = self.store_a.pos_config_ids[:1]
        Partner = self.env["res.partner"].with_user(self.cashier_a)
        domain = ["|", ("name", "ilike", "13800138000"), ("phone", "ilike", "13800138000")]
        rows = Partner.get_new_partner(config.id, domain, 0)["res.partner"]
        self.assertEqual([r["id"] for r in rows], [self.member.id])
        self.assertEqual(rows[0]["phone"], "138****8000")

    def test_topups_do_not_count_as_spend_for_tiers(self):
        self._sync(self._order_data(self.store_a, [(self.topup_product, 1, 1000.0)], partner=self.member))
        self.assertEqual(self.member.member_tier_id, self.tier_basic)
