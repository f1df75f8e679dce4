import json

from odoo import Command
from odoo.tests import tagged

from .common import MemberCommon


def internal_note(text):
    """A line's internal note as the POS's "Internal Note" button stores it."""
    return json.dumps([{"text": text, "colorIndex": 0}])


@tagged("post_install", "-at_install")
class TestServerPricing(MemberCommon):
    """The server prices every paid order of a store itself (store_pos_ext's ``_price_verdict``):
    a line charged below its price, or with a line discount, is a manual change allowed to the
    roles the POS permits, up to the role's limit, with a reason; wrong taxes are flagged. A
    flagged order is saved but credits and earns nothing, with the difference in CNY."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.config = cls.store_a.pos_config_ids[:1]
        cls.config.write(
            {
                "manual_discount": True,
                "store_discount_limit_cashier": 10.0,
                "store_discount_limit_manager": 30.0,
            }
        )
        cls.cash = cls._session(cls.store_a).config_id.payment_method_ids.filtered("is_cash_count")[:1]
        cls.vat13 = cls.env["account.tax"].create(
            {"name": "测试增值税13%", "amount": 13, "amount_type": "percent"}
        )
        cls.taxed = cls.env["product.product"].create(
            {
                "name": "测试含税商品",
                "list_price": 10.0,
                "available_in_pos": True,
                "taxes_id": [Command.set(cls.vat13.ids)],
            }
        )

    def _goods(self, product, qty, price, discount=0.0, note=None, taxes=None):
        """A goods line as the till computes it: its amounts from the line's taxes."""
        taxes = product.taxes_id if taxes is None else taxes
        result = taxes.compute_all(price * (1 - discount / 100.0), self.env.company.currency_id, qty)
        return {
            "product_id": product.id,
            "qty": qty,
            "price_unit": price,
            "discount": discount,
            "tax_ids": [Command.set(taxes.ids)],
            "price_subtotal": result["total_excluded"],
            "price_subtotal_incl": result["total_included"],
            **({"note": note} if note else {}),
        }

    def _order(self, lines, user=None):
        data = self._order_data(self.store_a, lines, partner=self.member)
        total = sum(line[2]["price_subtotal_incl"] for line in data["lines"])
        data["amount_total"] = total
        data["amount_tax"] = round(total - sum(line[2]["price_subtotal"] for line in data["lines"]), 2)
        data["amount_paid"] = total
        data["payment_ids"][0][2]["amount"] = total
        user = user or self.cashier_a
        self._authorize(data, user)
        return self._sync(data, user=user)

    def _points(self):
        card = self._card(self.member)
        return card.points if card else 0.0

    def _assert_flagged(self, order, difference):
        self.assertEqual(order.state, "paid", "the sale is saved")
        self.assertEqual(order.store_member_state, "flagged", "nothing credited or earned")
        self.assertFalse(order.store_points_earned)
        self.assertEqual(self._points(), 0.0)
        self.assertEqual(order.store_price_state, "flagged")
        self.assertAlmostEqual(order.store_price_difference, difference)
        self.assertIn(f"{difference:.2f}", order.store_member_issue)

    # ------------------------------------------------------------ price_unit vs the server's price
    def test_price_unit_lowered_without_the_right_is_flagged(self):
        """The POS restricts price changes to managers: a cashier's till sends 2 x 6 for a product
        the pricelist sells at 10 (a made-up price_unit; lines, total and cash agree with it)."""
        self.config.restrict_price_control = True
        order = self._order([self._goods(self.product, 2, 6.0, note=internal_note("老客户"))])
        self._assert_flagged(order, 8.0)
        change = order.store_price_change_ids
        self.assertRecordValues(
            change,
            [
                {
                    "list_price": 10.0,
                    "charged_price": 6.0,
                    "discount_pct": 40.0,
                    "amount": 8.0,
                    "role": "cashier",
                    "user_id": self.cashier_a.id,
                    "state": "flagged",
                    "reason": "老客户",
                }
            ],
        )
        self.assertIn("restricted to managers", change.issue)

    def test_price_unit_lowered_without_a_reason_is_flagged(self):
        order = self._order([self._goods(self.product, 1, 9.5)])
        self._assert_flagged(order, 0.5)
        self.assertIn("no reason", order.store_price_issue)

    def test_a_raised_price_is_judged_where_the_pos_restricts_price_changes(self):
        order = self._order([self._goods(self.product, 1, 12.0)])
        self.assertEqual(order.store_price_state, "ok", "charging more costs the chain nothing")
        self.assertFalse(order.store_price_change_ids)
        self.config.restrict_price_control = True
        order = self._order([self._goods(self.product, 1, 12.0)])
        self.assertEqual(order.store_price_state, "flagged")
        self.assertAlmostEqual(order.store_price_difference, -2.0)
        self.assertEqual(order.store_price_change_ids.state, "flagged")
        order = self._order([self._goods(self.product, 1, 12.0)], user=self.manager_a)
        self.assertEqual(order.store_price_state, "ok", order.store_price_issue)
        self.assertEqual(order.store_price_change_ids.role, "manager")

    # ------------------------------------------------------------ manual discount and role limit
    def test_manual_discount_within_the_limit_with_a_reason_is_recorded(self):
        order = self._order([self._goods(self.product, 2, 10.0, discount=10, note=internal_note("包装破损"))])
        self.assertEqual(order.store_price_state, "ok", order.store_price_issue)
        self.assertEqual(order.store_member_state, "done", order.store_member_issue)
        self.assertEqual(order.store_points_earned, 18)
        self.assertRecordValues(
            order.store_price_change_ids,
            [
                {
                    "product_id": self.product.id,
                    "list_price": 10.0,
                    "charged_price": 9.0,
                    "discount_pct": 10.0,
                    "limit_pct": 10.0,
                    "amount": 2.0,
                    "role": "cashier",
                    "user_id": self.cashier_a.id,
                    "reason": "包装破损",
                    "state": "ok",
                    "store_id": self.store_a.id,
                }
            ],
        )

    def test_manual_discount_over_the_limit_is_flagged(self):
        order = self._order([self._goods(self.product, 2, 10.0, discount=25, note=internal_note("熟客"))])
        self._assert_flagged(order, 5.0)
        self.assertIn("10.0% limit", order.store_price_issue)
        self.assertEqual(order.store_price_change_ids.state, "flagged")
        # A store manager may give it (30%).
        order = self._order(
            [self._goods(self.product, 2, 10.0, discount=25, note=internal_note("熟客"))], user=self.manager_a
        )
        self.assertEqual(order.store_price_state, "ok", order.store_price_issue)
        self.assertEqual(order.store_price_change_ids.role, "manager")
        self.assertEqual(order.store_member_state, "done", order.store_member_issue)

    def test_line_discount_when_the_pos_has_line_discounts_off_is_flagged(self):
        self.config.manual_discount = False
        order = self._order([self._goods(self.product, 1, 10.0, discount=5, note=internal_note("试吃"))])
        self._assert_flagged(order, 0.5)
        self.assertIn("line discounts are off", order.store_price_issue)

    def test_minimal_role_employee_may_not_discount(self):
        self.config.module_pos_hr = True
        employee = self.env["hr.employee"].create(
            {"name": "测试临时工", "company_id": self.config.company_id.id}
        )
        self.config.minimal_employee_ids = [Command.link(employee.id)]
        data = self._order_data(
            self.store_a,
            [self._goods(self.product, 1, 10.0, discount=5, note=internal_note("试吃"))],
            partner=self.member,
        )
        data["employee_id"] = employee.id
        order = self._sync(data, user=self.cashier_a)
        self._assert_flagged(order, 0.5)
        self.assertEqual(order.store_price_change_ids.employee_id, employee)
        self.assertEqual(order.store_price_change_ids.role, "minimal")

    # ------------------------------------------------------------ the employee the till names
    def _order_by(self, employee, discount):
        """A sale of store A's till (its cashier's session) naming ``employee`` as pos_hr's
        logged-in employee, with a line discount of ``discount`` %."""
        self.config.module_pos_hr = True
        data = self._order_data(
            self.store_a,
            [self._goods(self.product, 1, 10.0, discount=discount, note=internal_note("熟客"))],
            partner=self.member,
        )
        data["employee_id"] = employee.id
        return self._sync(data, user=self.cashier_a)

    def _employee(self, user):
        return self.env["hr.employee"].create(
            {"name": user.name, "user_id": user.id, "company_id": self.config.company_id.id}
        )

    def test_a_till_naming_the_hq_admin_gets_no_hq_limit(self):
        """pos_hr checks PINs in the browser: a cashier's till that names the HQ administrator's
        employee gets a manager's limit at most (30%), not HQ's (100%)."""
        order = self._order_by(self._employee(self.hq_admin), 50)
        self._assert_flagged(order, 5.0)
        self.assertEqual(order.store_price_change_ids.role, "manager")
        self.assertIn("30.0% limit", order.store_price_issue)

    def test_a_till_naming_another_stores_manager_gets_a_cashiers_limit(self):
        order = self._order_by(self._employee(self.manager_b), 25)
        self._assert_flagged(order, 2.5)
        self.assertEqual(order.store_price_change_ids.role, "cashier")
        # Store A's own manager gives it.
        order = self._order_by(self._employee(self.manager_a), 25)
        self.assertEqual(order.store_price_state, "ok", order.store_price_issue)
        self.assertEqual(order.store_price_change_ids.role, "manager")

    def test_a_till_naming_an_employee_the_pos_does_not_let_log_in_may_not_discount(self):
        """The POS lets only its listed employees log in: another one named by the till (here store
        A's own manager, not on the list) has no right to change prices."""
        self.config.basic_employee_ids = [Command.set(self._employee(self.cashier_a).ids)]
        order = self._order_by(self._employee(self.manager_a), 5)
        self._assert_flagged(order, 0.5)
        self.assertEqual(order.store_price_change_ids.role, "minimal")
        self.assertIn("may not log in to this POS", order.store_price_issue)

    # ------------------------------------------------------------ taxes
    def test_wrong_taxes_are_flagged(self):
        """The product carries 13% VAT; the till sends the line without it (10 instead of 11.30)."""
        order = self._order([self._goods(self.taxed, 1, 10.0, taxes=self.env["account.tax"])])
        self._assert_flagged(order, 1.3)
        self.assertIn(self.vat13.name, order.store_price_issue)
        honest = self._order([self._goods(self.taxed, 1, 10.0)])
        self.assertEqual(honest.store_price_state, "ok", honest.store_price_issue)
        self.assertEqual(honest.store_member_state, "done", honest.store_member_issue)

    # ------------------------------------------------------------ pricelists
    def test_a_tier_pricelist_prices_its_members_only(self):
        gold = self.env["product.pricelist"].create(
            {
                "name": "测试金卡价",
                "currency_id": self.env.company.currency_id.id,
                "item_ids": [
                    Command.create(
                        {"compute_price": "percentage", "percent_price": 5, "applied_on": "3_global"}
                    )
                ],
            }
        )
        self.tier_gold.pricelist_id = gold
        self.config.write({"use_pricelist": True, "available_pricelist_ids": [Command.link(gold.id)]})
        line = self._goods(self.product, 2, 9.5)
        data = self._order_data(self.store_a, [line], partner=self.member)
        data["pricelist_id"] = gold.id
        order = self._sync(data, user=self.cashier_a)
        self.assertEqual(
            order.store_price_state, "flagged", "not a gold member: the POS's pricelist prices it"
        )
        self.assertAlmostEqual(order.store_price_difference, 1.0)
        self.member._store_set_tier(self.tier_gold)
        data = self._order_data(self.store_a, [line], partner=self.member)
        data["pricelist_id"] = gold.id
        order = self._sync(data, user=self.cashier_a)
        self.assertEqual(order.store_price_state, "ok", order.store_price_issue)
        self.assertFalse(order.store_price_change_ids, "the member's own tier price is no manual change")
