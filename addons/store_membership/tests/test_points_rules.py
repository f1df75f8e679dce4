import importlib.util
from pathlib import Path

from lxml import etree

from odoo import Command
from odoo.tests import tagged

from .common import MemberCommon

MIGRATION = Path(__file__).parents[1] / "migrations" / "19.0.1.2.0" / "post-migrate.py"
SECURITY = Path(__file__).parents[1] / "security" / "store_membership_security.xml"


@tagged("post_install", "-at_install")
class TestPointsRules(MemberCommon):
    """What earns points, and how many, comes from the chain points program's own core loyalty
    rules (products, categories ``child_of``, minimum quantity and amount; per CNY, per unit, per
    order), evaluated on the server from the saved lines, as core's POS counts them. Orders are
    synced by the store's cashier."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Category = cls.env["product.category"]
        cls.food = Category.create({"name": "食品"})
        cls.fruit = Category.create({"name": "水果", "parent_id": cls.food.id})
        cls.household = Category.create({"name": "日用品"})
        Product = cls.env["product.product"]
        cls.apple = Product.create(
            {
                "name": "苹果",
                "categ_id": cls.fruit.id,
                "list_price": 30,
                "available_in_pos": True,
                "taxes_id": False,
            }
        )
        cls.soap = Product.create(
            {
                "name": "香皂",
                "categ_id": cls.household.id,
                "list_price": 40,
                "available_in_pos": True,
                "taxes_id": False,
            }
        )

    def _rules(self, *rules):
        self.points_program.rule_ids = [Command.clear()] + [Command.create(rule) for rule in rules]

    def _earned(self, lines, payments=None, partner=None):
        data = self._order_data(self.store_a, lines, partner=partner or self.member, payments=payments)
        self._authorize(data, self.cashier_a)
        order = self._sync(data, user=self.cashier_a)
        self.assertEqual(order.store_member_state, "done", order.store_member_issue)
        return order.store_points_earned

    # ------------------------------------------------------------ what earns
    def test_a_category_rule_earns_on_the_goods_of_that_category_and_below(self):
        self._rules(
            {"reward_point_mode": "money", "reward_point_amount": 1, "product_category_id": self.food.id}
        )
        # 苹果 is in 水果, a child of 食品: 60 earns; 香皂 (日用品) does not.
        self.assertEqual(self._earned([(self.apple, 2, 30.0), (self.soap, 1, 40.0)]), 60)

    def test_a_rule_domain_excludes_goods_from_earning(self):
        self._rules(
            {
                "reward_point_mode": "money",
                "reward_point_amount": 1,
                "product_domain": repr(["!", ("categ_id", "child_of", [self.food.id])]),
            }
        )
        self.assertEqual(self._earned([(self.apple, 2, 30.0), (self.soap, 1, 40.0)]), 40)

    def test_a_product_rule_earns_on_that_product(self):
        self._rules(
            {
                "reward_point_mode": "money",
                "reward_point_amount": 2,
                "product_ids": [Command.set(self.soap.ids)],
            }
        )
        self.assertEqual(self._earned([(self.apple, 1, 30.0), (self.soap, 1, 40.0)]), 80)

    def test_minimum_amount_of_a_rule(self):
        self._rules({"reward_point_mode": "money", "reward_point_amount": 1, "minimum_amount": 100})
        self.assertEqual(self._earned([(self.soap, 2, 40.0)]), 0)
        self.assertEqual(self._earned([(self.soap, 3, 40.0)]), 120)

    def test_points_per_unit_with_a_minimum_quantity_and_per_order(self):
        self._rules(
            {"reward_point_mode": "unit", "reward_point_amount": 5, "minimum_qty": 3},
            {"reward_point_mode": "order", "reward_point_amount": 10},
        )
        self.assertEqual(self._earned([(self.soap, 2, 40.0)]), 10)
        self.assertEqual(self._earned([(self.soap, 3, 40.0)]), 3 * 5 + 10)

    def test_a_rule_with_a_code_earns_nothing_by_itself(self):
        self._rules({"reward_point_mode": "money", "reward_point_amount": 1, "code": "STORE-SECRET"})
        self.assertEqual(self._earned([(self.soap, 1, 40.0)]), 0)

    def test_tier_multiplier_applies_to_the_rules(self):
        self._rules(
            {"reward_point_mode": "money", "reward_point_amount": 1, "product_category_id": self.food.id}
        )
        self.member.sudo().member_tier_id = self.tier_gold
        self.assertEqual(self._earned([(self.apple, 1, 30.0), (self.soap, 1, 40.0)]), 60)
        # The tiers are cached for the settlement: a change of the multiplier counts at once.
        self.tier_gold.points_multiplier = 3.0
        self.assertEqual(self._earned([(self.apple, 1, 30.0), (self.soap, 1, 40.0)]), 90)

    # ------------------------------------------------------- what was paid
    def test_stored_value_principal_earns_unless_the_program_says_not(self):
        self._earned([(self.topup_product, 1, 100.0)])  # 100 principal + 20 bonus, no points
        self.assertEqual(self._card(self.member).points, 0)
        # 120 of goods paid with 100 principal and 20 bonus: the principal earns, the bonus does not.
        self.assertEqual(self._earned([(self.soap, 3, 40.0)], payments=[(self.sv_method, 120.0)]), 100)
        self.points_program.store_sv_principal_earns = False
        self._earned([(self.topup_product, 1, 100.0)])
        self.assertEqual(self._earned([(self.soap, 3, 40.0)], payments=[(self.sv_method, 120.0)]), 0)

    def test_a_discount_on_the_order_lowers_what_each_rule_earns(self):
        self._rules(
            {"reward_point_mode": "money", "reward_point_amount": 1, "product_category_id": self.food.id}
        )
        promotion = self.env["loyalty.program"].create(
            {
                "name": "满100减20",
                "program_type": "promotion",
                "trigger": "auto",
                "applies_on": "current",
                "pos_ok": True,
                "rule_ids": [Command.create({"reward_point_mode": "order", "minimum_amount": 100})],
                "reward_ids": [
                    Command.create(
                        {
                            "reward_type": "discount",
                            "discount_mode": "per_order",
                            "discount": 20,
                            "required_points": 1,
                        }
                    )
                ],
            }
        )
        reward = promotion.reward_ids
        # 100 of goods, 50 of them 食品, 20 off the order: 80 paid, 40 of it for the 食品.
        lines = [
            (self.apple, 1, 50.0),
            (self.soap, 1, 50.0),
            {
                "product_id": reward.discount_line_product_id.id,
                "qty": 1,
                "price_unit": -20.0,
                "reward_id": reward.id,
                "is_reward_line": True,
                "reward_identifier_code": "x1",
            },
        ]
        self.assertEqual(self._earned(lines), 40)

    def test_an_exchange_earns_on_the_new_goods_and_takes_back_the_returned(self):
        sale = self._sync(
            self._order_data(self.store_a, [(self.soap, 2, 50.0)], partner=self.member), self.cashier_a
        )
        self.assertEqual(sale.store_points_earned, 100)
        exchange = self._order_data(
            self.store_a,
            [
                {
                    "product_id": self.soap.id,
                    "qty": -1,
                    "price_unit": 50.0,
                    "refunded_orderline_id": sale.lines.id,
                },
                (self.apple, 1, 80.0),
            ],
            partner=self.member,
        )
        order = self._sync(exchange, self.cashier_a)
        self.assertEqual(order.store_member_state, "done", order.store_member_issue)
        self.assertEqual(order.store_points_earned, 80, "the new goods earn in full")
        card = self._card(self.member)
        card.invalidate_recordset()
        self.assertEqual(card.points, 100 - 50 + 80, "the returned goods' points are taken back once")

    # ------------------------------------------------------------ top-ups
    def test_the_topup_product_is_the_stored_value_programs_trigger_product(self):
        self.assertEqual(self.env.company.store_sv_product_id, self.topup_product)
        other = self.env["product.product"].create(
            {"name": "储值卡充值", "type": "service", "taxes_id": False}
        )
        self.sv_program.rule_ids.product_ids = [Command.set(other.ids)]
        self.assertEqual(self.env.company.store_sv_product_id, other)
        # A sale of the old top-up product is goods now: it tops nothing up.
        self._earned([(self.topup_product, 1, 100.0)])
        self.assertFalse(self._card(self.member, "stored_value").points)


@tagged("post_install", "-at_install")
class TestPointsRulesMigration(MemberCommon):
    """19.0.1.2.0 moves "categories that earn no points" and "earns member points" into the
    rules of the chain points program, and the top-up product into the stored value program."""

    def _migrate(self):
        spec = importlib.util.spec_from_file_location("store_membership_post_migrate_19_0_1_2_0", MIGRATION)
        script = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(script)
        self.env.flush_all()
        script.migrate(self.env.cr, "19.0.1.1.0")
        self.env.invalidate_all()

    def test_migration_keeps_what_earned_and_what_did_not(self):
        cr = self.env.cr
        food = self.env["product.category"].create({"name": "烟酒"})
        tobacco = self.env["product.product"].create({"name": "香烟", "categ_id": food.id, "taxes_id": False})
        card = self.env["product.product"].create({"name": "购物卡", "taxes_id": False})
        topup = self.env["product.product"].create({"name": "旧充值", "type": "service", "taxes_id": False})
        # The data as 19.0.1.1.0 kept it: a relation table, a column, the company's top-up product.
        cr.execute(
            """CREATE TABLE IF NOT EXISTS loyalty_program_product_category_rel
               (loyalty_program_id integer, product_category_id integer)"""
        )
        cr.execute(
            "INSERT INTO loyalty_program_product_category_rel VALUES (%s, %s)",
            [self.points_program.id, food.id],
        )
        cr.execute(
            "ALTER TABLE product_template ADD COLUMN IF NOT EXISTS store_earns_points boolean DEFAULT true"
        )
        cr.execute("UPDATE product_template SET store_earns_points = true")
        cr.execute(
            "UPDATE product_template SET store_earns_points = false WHERE id IN %s",
            [tuple((card | topup).product_tmpl_id.ids)],
        )
        cr.execute(
            "UPDATE res_company SET store_sv_product_id = %s WHERE id = %s", [topup.id, self.env.company.id]
        )

        self._migrate()

        rule = self.points_program.rule_ids
        self.assertEqual(len(rule), 1)
        valid = rule._get_valid_products()
        self.assertNotIn(tobacco, valid, "an excluded category earns nothing")
        self.assertNotIn(card, valid, "a product that earned no points still earns none")
        self.assertIn(self.product, valid, "other goods earn as before")
        self.assertIn(topup, self.sv_program.trigger_product_ids, "the old top-up product tops up")
        self.assertIn(self.topup_product, self.sv_program.trigger_product_ids)
        cr.execute("SELECT to_regclass('loyalty_program_product_category_rel')")
        self.assertIsNone(cr.fetchone()[0], "the old table is dropped")
        cr.execute(
            """SELECT 1 FROM information_schema.columns
                WHERE table_name = 'product_template' AND column_name = %s""",
            ["store_earns_points"],
        )
        self.assertFalse(cr.fetchall(), "the old column is dropped")
        # And the server earns as the old fields said.
        data = self._order_data(
            self.store_a, [(tobacco, 1, 30.0), (card, 1, 100.0), (self.product, 1, 40.0)], partner=self.member
        )
        order = self._sync(data, self.cashier_a)
        self.assertEqual(order.store_points_earned, 40)

    def test_migration_rewrites_the_ledger_rule_of_store_users(self):
        rule = self.env.ref("store_membership.rule_loyalty_history_store_user")
        data = etree.parse(str(SECURITY))
        new = data.xpath("//record[@id='rule_loyalty_history_store_user']/field[@name='domain_force']")[
            0
        ].text
        rule.domain_force = "['|', ('store_id', '=', False), ('store_id', 'in', user.allowed_store_ids.ids)]"
        self._migrate()
        self.assertEqual(rule.domain_force, new, "the rule of 19.0.1.2.0's data file")

    def test_migration_folds_full_width_mobiles(self):
        Partner = self.env["res.partner"]
        other = Partner.browse(Partner.store_member_register({"mobile": "13700137000", "name": "王五"})["id"])
        twin = Partner.browse(Partner.store_member_register({"mobile": "13600136000", "name": "赵六"})["id"])
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE res_partner SET member_mobile = %s WHERE id = %s", ["13７00137001", other.id]
        )
        self.env.cr.execute(
            "UPDATE res_partner SET member_mobile = %s WHERE id = %s", ["13６00136000", self.member.id]
        )
        self._migrate()
        self.assertEqual(other.sudo().member_mobile, "13700137001")
        self.assertEqual(twin.sudo().member_mobile, "13600136000")
        self.assertEqual(
            self.member.sudo().member_mobile, "13６00136000", "another member's number: left to HQ"
        )

    def test_migration_of_a_fresh_install_changes_nothing(self):
        before = self.points_program.rule_ids.mapped("product_domain")
        self._migrate()
        self.assertEqual(self.points_program.rule_ids.mapped("product_domain"), before)
        self.assertEqual(self.env.company.store_sv_product_id, self.topup_product)
