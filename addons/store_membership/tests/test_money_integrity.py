from odoo import Command
from odoo.tests import tagged

from .common import MemberCommon


@tagged("post_install", "-at_install")
class TestMoneyIntegrity(MemberCommon):
    """What a hostile cashier can send through ``sync_from_ui``: every order is saved, but an order
    whose lines, total and payments do not add up credits and earns nothing and is flagged for HQ.
    Credits are backed by money received; points only by what the member paid."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cash = cls._session(cls.store_a).config_id.payment_method_ids.filtered("is_cash_count")[:1]

    def _balance(self, role):
        card = self._card(self.member, role)
        return card.points if card else 0.0

    def _sync_as_cashier(self, data):
        return self._pay_at_till(data, self.cashier_a)

    def _assert_flagged_nothing_credited(self, order, *amounts):
        self.assertEqual(order.state, "paid", "the sale is saved, never rejected")
        self.assertEqual(order.store_member_state, "flagged")
        for amount in amounts:
            self.assertIn(amount, order.store_member_issue)
        self.assertEqual(self._balance("stored_value"), 0.0)
        self.assertEqual(self._balance("points"), 0.0)
        self.assertFalse(order.store_ledger_ids.filtered(lambda h: h.amount > 0), "no credit posted")

    # ------------------------------------------------------------ credit without money
    def test_topup_without_money_credits_nothing(self):
        data = self._order_data(
            self.store_a, [(self.topup_product, 1, 1000.0)], partner=self.member, payments=[]
        )
        data.update(amount_total=0.0, amount_paid=0.0)
        order = self._sync_as_cashier(data)
        self._assert_flagged_nothing_credited(order, "1000.00")

    def test_goods_without_money_earn_no_points(self):
        data = self._order_data(self.store_a, [(self.product, 100, 100.0)], partner=self.member, payments=[])
        data.update(amount_total=0.0, amount_paid=0.0)
        order = self._sync_as_cashier(data)
        self._assert_flagged_nothing_credited(order, "10000.00")
        self.assertFalse(order.store_points_earned)

    def test_line_amount_not_its_price_earns_nothing(self):
        """The till claims a line of 10 x 100 is worth 1: the total and the cash agree with the claim."""
        data = self._order_data(
            self.store_a,
            [{"product_id": self.product.id, "qty": 10, "price_unit": 100.0, "price_subtotal_incl": 1.0}],
            partner=self.member,
        )
        data["lines"][0][2]["price_subtotal"] = 1.0
        order = self._sync_as_cashier(data)
        self._assert_flagged_nothing_credited(order, "1000.00")

    def test_topup_balanced_by_a_negative_goods_line_credits_nothing(self):
        data = self._order_data(
            self.store_a,
            [(self.topup_product, 1, 1000.0), (self.product, -1, 1000.0)],
            partner=self.member,
            payments=[],
        )
        self.assertEqual(data["amount_total"], 0.0, "the total adds up: only the negative line is wrong")
        order = self._sync_as_cashier(data)
        self._assert_flagged_nothing_credited(order, "-1000.00")

    def test_stored_value_refund_of_goods_never_bought_credits_nothing(self):
        data = self._order_data(
            self.store_a,
            [(self.product, -1, 500.0)],
            partner=self.member,
            payments=[(self.sv_method, -500.0)],
        )
        order = self._sync_as_cashier(data)
        self._assert_flagged_nothing_credited(order, "-500.00")

    def test_topup_paid_with_stored_value_only_is_not_credited(self):
        """A top-up line balanced by a stored-value payment: no money came in, nothing to credit."""
        self._sync_as_cashier(
            self._order_data(self.store_a, [(self.topup_product, 1, 100.0)], partner=self.member)
        )
        self.assertEqual(self._balance("stored_value"), 120.0)
        order = self._sync_as_cashier(
            self._order_data(
                self.store_a,
                [(self.topup_product, 1, 100.0)],
                partner=self.member,
                payments=[(self.sv_method, 100.0)],
            )
        )
        self.assertEqual(order.store_member_state, "flagged")
        self.assertIn("100.00", order.store_member_issue)
        self.assertFalse(order.store_ledger_ids, "no top-up, no bonus, and the 100 offered stays")
        self.assertEqual(self._balance("stored_value"), 120.0)
        # ... and is free again: the hold the till took for it is released, not left to expire.
        held = self.env["store.member.hold"].search([("order_uuid", "=", order.uuid), ("state", "=", "held")])
        self.assertFalse(held)
        spend = self._order_data(
            self.store_a, [(self.product, 1, 120.0)], partner=self.member, payments=[(self.sv_method, 120.0)]
        )
        self.assertTrue(self._authorize(spend, self.cashier_a)["stored_value"]["authorized"])

    def test_goods_without_money_do_not_lift_the_tier(self):
        """An order that does not reconcile earns nothing, a better tier included: its 10,000 CNY
        of goods are no spend towards 金卡 (1,000 CNY, points x2)."""
        data = self._order_data(self.store_a, [(self.product, 100, 100.0)], partner=self.member, payments=[])
        data.update(amount_total=0.0, amount_paid=0.0)
        self.assertEqual(self._sync_as_cashier(data).store_member_state, "flagged")
        for _n in range(2):
            order = self._sync_as_cashier(
                self._order_data(self.store_a, [(self.product, 1, 10.0)], partner=self.member)
            )
            self.assertEqual(order.store_member_state, "done", order.store_member_issue)
            self.assertEqual(order.store_points_earned, 10, "1 point per CNY paid, not 金卡's 2")
        self.assertEqual(self.member.member_tier_id, self.tier_basic)

    # ------------------------------------------------------------ bonus rule
    def test_topup_bonus_is_the_highest_rule_reached(self):
        # A program created with its rules, the lowest first, then top-ups in the same
        # transaction (as the demo does): the rules are in creation order, not the model's order.
        self.sv_program.active = False
        self.env.flush_all()  # the archived program leaves the one-per-company index first
        self.env.company.store_sv_program_id = self.env["loyalty.program"].create(
            {
                "name": "新储值",
                "program_type": "ewallet",
                "applies_on": "future",
                "trigger": "auto",
                "store_chain_role": "stored_value",
                "rule_ids": [
                    Command.clear(),
                    Command.create(
                        {
                            "reward_point_mode": "money",
                            "reward_point_amount": 1,
                            "product_ids": [Command.set(self.topup_product.ids)],
                        }
                    ),
                ],
                "store_topup_bonus_rule_ids": [
                    Command.create({"min_amount": 100, "bonus_amount": 20}),
                    Command.create({"min_amount": 1000, "bonus_amount": 350}),
                    Command.create({"min_amount": 500, "bonus_amount": 150}),
                ],
            }
        )
        # A member registered now (card codes are per member and role).
        Partner = self.env["res.partner"]
        member = Partner.browse(
            Partner.store_member_register({"mobile": "13900139001", "name": "李四"})["id"]
        )
        order = self._sync_as_cashier(
            self._order_data(self.store_a, [(self.topup_product, 1, 1000.0)], partner=member)
        )
        self.assertEqual(order.store_member_state, "done", order.store_member_issue)

        def bonus(order):
            return order.store_ledger_ids.filtered(lambda h: h.kind == "bonus").amount

        self.assertEqual(bonus(order), 350.0, "充1000: the 1000 rule, not the first one reached")
        order = self._sync_as_cashier(
            self._order_data(self.store_a, [(self.topup_product, 1, 700.0)], partner=member)
        )
        self.assertEqual(bonus(order), 150.0, "充700: the 500 rule")
        card = self._card(member, "stored_value")
        self.assertEqual(card.program_id, self.env.company.store_sv_program_id)
        self.assertEqual(card.points, 1000 + 350 + 700 + 150)

    # ------------------------------------------------------------ points only on what was paid
    def test_points_are_not_earned_on_bonus_stored_value(self):
        self._sync_as_cashier(
            self._order_data(self.store_a, [(self.topup_product, 1, 100.0)], partner=self.member)
        )
        self.assertEqual(self._balance("stored_value"), 120.0)
        order = self._sync_as_cashier(
            self._order_data(
                self.store_a,
                [(self.product, 1, 150.0)],
                partner=self.member,
                payments=[(self.sv_method, 120.0), (self.cash, 30.0)],
            )
        )
        self.assertEqual(order.store_member_state, "done")
        # 30 cash + 100 principal earn; the 20 bonus does not.
        self.assertEqual(order.store_points_earned, 130)
        self.assertEqual(self._balance("points"), 130)

    def test_honest_order_with_taxes_discount_and_change_settles(self):
        """A core-like till order: a tax excluded from the price, a tax included in it, a 10% line
        discount, cash given with change back. It reconciles: no false flag, the right points."""
        Tax = self.env["account.tax"]
        vat13 = Tax.create({"name": "增值税13%", "amount": 13, "amount_type": "percent"})
        vat6 = Tax.create(
            {
                "name": "增值税6%含",
                "amount": 6,
                "amount_type": "percent",
                "price_include_override": "tax_included",
            }
        )
        lines = []
        for qty, price, discount, tax in ((2, 100.0, 0, vat13), (1, 106.0, 10, vat6)):
            # Products at these prices with these taxes: the server prices each line itself.
            product = self.env["product.product"].create(
                {"name": f"测试{tax.name}", "list_price": price, "taxes_id": [Command.set(tax.ids)]}
            )
            taxes = tax.compute_all(price * (1 - discount / 100), self.env.company.currency_id, qty)
            lines.append(
                {
                    "product_id": product.id,
                    "qty": qty,
                    "price_unit": price,
                    "discount": discount,
                    "tax_ids": [Command.set(tax.ids)],
                    "price_subtotal": taxes["total_excluded"],
                    "price_subtotal_incl": taxes["total_included"],
                    # A manual discount within the cashier's limit, with its reason (internal note).
                    **({"note": '[{"text": "包装破损", "colorIndex": 0}]'} if discount else {}),
                }
            )
        data = self._order_data(self.store_a, lines, partner=self.member, payments=[(self.cash, 330.0)])
        total = sum(line[2]["price_subtotal_incl"] for line in data["lines"])
        self.assertAlmostEqual(total, 226.0 + 95.4)
        data.update(
            amount_total=total,
            amount_tax=round(total - sum(line[2]["price_subtotal"] for line in data["lines"]), 2),
            amount_paid=330.0,
            # The till sends the change as a negative amount; core saves it as a negative payment.
            amount_return=round(total - 330.0, 2),
        )
        order = self._sync_as_cashier(data)
        self.assertEqual(order.state, "paid")
        self.assertEqual(order.store_member_state, "done", order.store_member_issue)
        self.assertEqual(order.store_points_earned, 321)

    def test_honest_order_with_cash_rounding_settles(self):
        config = self._session(self.store_a).config_id
        rounding = self.env["account.cash.rounding"].create(
            {
                "name": "抹零 0.1",
                "rounding": 0.1,
                "rounding_method": "HALF-UP",
                "profit_account_id": config.journal_id.default_account_id.id,
                "loss_account_id": config.journal_id.default_account_id.id,
            }
        )
        config.write({"cash_rounding": True, "rounding_method": rounding.id, "only_round_cash_method": True})
        data = self._order_data(self.store_a, [(self.product, 1, 99.97)], partner=self.member)
        data["payment_ids"][0][2]["amount"] = 100.0
        data["amount_paid"] = 100.0
        order = self._sync_as_cashier(data)
        self.assertEqual(order.store_member_state, "done", order.store_member_issue)
        self.assertEqual(order.store_points_earned, 99)
