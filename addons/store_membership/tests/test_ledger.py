from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import MemberCommon


@tagged("post_install", "-at_install")
class TestLedger(MemberCommon):
    def test_order_earns_points_once_when_synced_three_times(self):
        data = self._order_data(self.store_a, [(self.product, 3, 100.0)], partner=self.member)
        orders = {self._sync(dict(data)) for _n in range(3)}
        self.assertEqual(len(orders), 1, "the same uuid is one order")
        card = self._card(self.member)
        self.assertEqual(card.points, 300)
        lines = card.history_ids.filtered(lambda h: h.kind == "earn")
        self.assertEqual(len(lines), 1)
        self.assertEqual(lines.store_id, self.store_a)
        self.assertEqual(lines.balance_after, 300)
        # Settling again (e.g. a retried job) changes nothing either.
        orders.pop()._store_member_settle()
        self.assertEqual(card.points, 300)

    def test_points_earned_in_a_spent_in_b_settle_to_a(self):
        self._sync(self._order_data(self.store_a, [(self.product, 5, 100.0)], partner=self.member))
        data = self._order_data(
            self.store_b,
            [
                (self.product, 1, 100.0),
                # the browser lies: 3 CNY cost 300 points
                self._points_reward_line(3.0, points_cost=1, coupon_id=self._card(self.member).id),
            ],
            partner=self.member,
        )
        self.assertEqual(self._authorize(data, self.cashier_b)["points"]["amount"], 300)
        order = self._sync(data)
        card = self._card(self.member)
        self.assertEqual(order.store_points_spent, 300)
        # 500 earned, 300 redeemed, then 97 CNY earns 97.
        self.assertEqual(card.points, 500 - 300 + 97)
        redeem = card.history_ids.filtered(lambda h: h.kind == "redeem")
        self.assertEqual((redeem.store_id, redeem.origin_store_id), (self.store_b, self.store_a))
        self.assertAlmostEqual(redeem.spent_value_cny, 3.0)

    def test_redeeming_more_than_the_balance_is_refused(self):
        """Points are spent by authorisation: 5000 points wanted, none held; the sync is refused."""
        data = self._order_data(
            self.store_a,
            [(self.product, 1, 100.0), self._points_reward_line(50.0, points_cost=0)],
            partner=self.member,
        )
        answer = self._authorize(data, self.cashier_a)["points"]
        self.assertFalse(answer["authorized"])
        self.assertIn("Not enough points", answer["message"])
        with self.assertRaises(UserError):
            self._sync(data, self.cashier_a)
        self.assertFalse(self.env["pos.order"].search([("uuid", "=", data["uuid"])]))
        self.assertEqual(self._card(self.member).points, 0)

    def test_topup_with_bonus_then_pay_with_stored_value_at_another_store(self):
        self._sync(self._order_data(self.store_a, [(self.topup_product, 1, 100.0)], partner=self.member))
        card = self._card(self.member, "stored_value")
        self.assertEqual(card.points, 120)
        self.assertEqual((card.store_sv_principal, card.store_sv_bonus), (100, 20))
        self.assertEqual(self._card(self.member).points, 0, "top-ups earn no points")
        data = self._sv_order(self.store_b, 110.0)
        self.assertTrue(self._authorize(data, self.cashier_b)["stored_value"]["authorized"])
        order = self._sync(data)
        card.invalidate_recordset()
        self.assertEqual(order.store_sv_after, 10)
        self.assertEqual((card.store_sv_principal, card.store_sv_bonus), (0, 10), "principal is spent first")
        pays = card.history_ids.filtered(lambda h: h.kind == "pay")
        self.assertEqual(sorted(pays.mapped("sv_part")), ["bonus", "principal"])
        self.assertEqual(set(pays.mapped("origin_store_id")), {self.store_a})

    def test_stored_value_payment_beyond_balance_is_refused(self):
        data = self._sv_order(self.store_a, 50.0)
        answer = self._authorize(data, self.cashier_a)["stored_value"]
        self.assertFalse(answer["authorized"])
        self.assertIn("Not enough stored value", answer["message"])
        with self.assertRaises(UserError):
            self._sync(data, self.cashier_a)
        self.assertFalse(self.env["pos.order"].search([("uuid", "=", data["uuid"])]))
        self.assertEqual(self._card(self.member, "stored_value").points, 0)

    def test_refund_takes_back_the_points_of_the_refunded_lines(self):
        order = self._sync(self._order_data(self.store_a, [(self.product, 4, 50.0)], partner=self.member))
        self.assertEqual(self._card(self.member).points, 200)
        line = order.lines
        refund = self._sync(self._order_data(self.store_b, [self._refund_line(line, 1)], partner=self.member))
        self.assertEqual(refund.store_points_earned, -50)
        self.assertEqual(self._card(self.member).points, 150)

    def test_cashier_cannot_change_balances_by_any_core_path(self):
        card = self._card(self.member)
        self._sync(self._order_data(self.store_a, [(self.product, 1, 10.0)], partner=self.member))
        order = self.env["pos.order"].search([("partner_id", "=", self.member.id)], limit=1)
        cashier_env = self.env(user=self.cashier_a)
        Card = cashier_env["loyalty.card"]
        with self.assertRaises(UserError):
            Card.browse(card.id).write({"points": 1_000_000})
        with self.assertRaises(UserError):
            cashier_env["loyalty.history"].create(
                {"card_id": card.id, "description": "x", "issued": 1_000_000}
            )
        with self.assertRaises(UserError):
            card.history_ids[:1].with_user(self.cashier_a).write({"amount": 1_000_000})
        with self.assertRaises(UserError):
            card.history_ids[:1].with_user(self.cashier_a).unlink()
        # The core POS calls: the points the browser sends for a chain card are ignored.
        result = (
            cashier_env["pos.order"]
            .browse(order.id)
            .confirm_coupon_programs(
                {
                    str(card.id): {
                        "points": 1_000_000,
                        "program_id": self.points_program.id,
                        "coupon_id": card.id,
                    }
                }
            )
        )
        cashier_env["pos.order"].browse(order.id).add_loyalty_history_lines(
            [{"card_id": card.id, "won": 1_000_000, "spent": 0}], []
        )
        # A new card for the member in the chain program (negative id = "create") is ignored too.
        cashier_env["pos.order"].browse(order.id).confirm_coupon_programs(
            {"-1": {"points": 1_000_000, "program_id": self.points_program.id, "partner_id": self.member.id}}
        )
        card.invalidate_recordset()
        self.assertEqual(card.points, 10)
        self.assertEqual([u["points"] for u in result["coupon_updates"]], [10])
        self.assertEqual(
            self.env["loyalty.card"].search_count(
                [("partner_id", "=", self.member.id), ("program_id", "=", self.points_program.id)]
            ),
            1,
        )
        # Nor archived, recoded or re-dated: an archived stored-value card drops out of the POS.
        for vals in ({"active": False}, {"code": "FORGED"}, {"expiration_date": "2020-01-01"}):
            with self.subTest(vals=vals), self.assertRaisesRegex(UserError, "only through"):
                Card.browse(card.id).write(vals)
            with (
                self.subTest(vals=vals, who="store manager"),
                self.assertRaisesRegex(UserError, "only through"),
            ):
                card.with_user(self.manager_a).write(vals)
        self.assertTrue(card.active)
        # Even an HQ admin goes through the adjustment wizard, never a direct write.
        with self.assertRaises(UserError):
            card.with_user(self.hq_admin).write({"points": 5})

    def test_a_ledger_line_cannot_be_moved_onto_a_chain_card(self):
        """A line made on a coupon's card, then written onto a member's chain card with an amount,
        would be a forged ledger line: refused, even for an administrator outside the server's
        posting."""
        card = self._card(self.member)
        coupons = self.env["loyalty.program"].create(
            {"name": "门店券", "program_type": "coupons", "trigger": "with_code", "applies_on": "current"}
        )
        coupon = self.env["loyalty.card"].create({"program_id": coupons.id, "partner_id": self.member.id})
        line = self.env["loyalty.history"].create({"card_id": coupon.id, "description": "x", "issued": 5})
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            line.write({"card_id": card.id, "issued": 1_000_000, "amount": 1_000_000})
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            line.with_user(self.cashier_a).sudo().write({"card_id": card.id})
        self.assertEqual(line.card_id, coupon)
        self.assertNotIn(line, card.history_ids)

    def test_adjustment_needs_member_admin_and_reason(self):
        card = self._card(self.member)
        Wizard = self.env["store.member.adjust"]
        with self.assertRaises(AccessError):
            Wizard.with_user(self.manager_a).create({"card_id": card.id, "amount": 10, "reason": "x"})
        wizard = Wizard.with_user(self.hq_admin).create(
            {"card_id": card.id, "amount": 10, "reason": "客诉补偿"}
        )
        wizard.action_apply()
        line = card.history_ids
        self.assertEqual(
            (line.kind, line.amount, line.user_id, line.reason), ("adjust", 10, self.hq_admin, "客诉补偿")
        )
        with self.assertRaises(UserError):
            Wizard.with_user(self.hq_admin).create(
                {"card_id": card.id, "amount": 0, "reason": "x"}
            ).action_apply()

    def test_expiry_takes_the_oldest_batches_first(self):
        card = self._card(self.member)
        old = card._store_credit("earn", 100, store=self.store_a, expire_date="2020-01-31")
        card._store_credit("earn", 50, store=self.store_b, expire_date="2099-01-31")
        card._store_debit("redeem", 30, store=self.store_b)
        self.assertEqual(old.remaining, 70, "the redemption took the oldest batch")
        self.env["loyalty.card"]._cron_store_expire_points()
        self.assertEqual(card.points, 50)
        expire = card.history_ids.filtered(lambda h: h.kind == "expire")
        self.assertEqual((expire.amount, expire.origin_store_id), (-70, self.store_a))
        self.env["loyalty.card"]._cron_store_expire_points()
        self.assertEqual(card.points, 50, "expiry runs once per batch")

    def test_store_user_sees_only_their_stores_ledger(self):
        self._sync(self._order_data(self.store_a, [(self.product, 1, 10.0)], partner=self.member))
        self._sync(self._order_data(self.store_b, [(self.product, 1, 20.0)], partner=self.member))
        History = self.env["loyalty.history"]
        domain = [("partner_id", "=", self.member.id)]
        # An HQ adjustment carries no store: HQ sees it, a store does not.
        card = self._card(self.member)
        card._store_credit("adjust", 5, reason="客诉补偿")
        own = History.with_user(self.cashier_a).search(domain)
        self.assertEqual(own.store_id, self.store_a)
        self.assertNotIn("adjust", own.mapped("kind"))
        self.assertEqual(len(History.with_user(self.analyst).search(domain)), 3)
        self.assertEqual(History.with_user(self.analyst).search(domain).store_id, self.store_a | self.store_b)
        # The card's stored-value parts still count every store's batches for that store's cashier.
        sv = self._card(self.member, "stored_value")
        sv._store_credit("topup", 100, store=self.store_b, sv_part="principal")
        self.assertEqual(sv.with_user(self.cashier_a).store_sv_principal, 100)

    def test_forged_program_id_on_a_chain_card_changes_nothing(self):
        order = self._sync(self._order_data(self.store_a, [(self.product, 1, 10.0)], partner=self.member))
        card = self._card(self.member)
        gift = self.env["loyalty.program"].create({"name": "礼品", "program_type": "promotion"})
        order.with_user(self.cashier_a).confirm_coupon_programs(
            {str(card.id): {"points": 1_000_000, "program_id": gift.id, "coupon_id": card.id}}
        )
        card.invalidate_recordset()
        self.assertEqual(card.points, 10)
        self.assertFalse(card.history_ids.filtered(lambda h: h.amount >= 1_000_000))

    def test_cashier_cannot_rewrite_settlement_fields(self):
        order = self._sync(self._order_data(self.store_a, [(self.product, 1, 10.0)], partner=self.member))
        with self.assertRaises(UserError):
            order.with_user(self.cashier_a).write({"store_points_earned": 1_000_000})
        with self.assertRaises(UserError):
            order.with_user(self.cashier_a).write({"store_member_state": "none"})

    def test_refund_without_customer_reverses_the_original_members_points(self):
        order = self._sync(self._order_data(self.store_a, [(self.product, 2, 50.0)], partner=self.member))
        self._sync(self._order_data(self.store_a, [self._refund_line(order.lines, 2)]))
        self.assertEqual(self._card(self.member).points, 0)

    def test_topup_without_member_is_flagged(self):
        order = self._sync(self._order_data(self.store_a, [(self.topup_product, 1, 100.0)]))
        self.assertEqual(order.store_member_state, "flagged")

    def test_settlement_sums_per_pair_of_stores(self):
        card = self._card(self.member)
        sv = self._card(self.member, "stored_value")
        card._store_credit("earn", 1000, store=self.store_a)
        card._store_credit("earn", 500, store=self.store_c)
        card._store_debit("redeem", 1200, store=self.store_b)  # 1000 from A, 200 from C
        sv._store_credit("topup", 300, store=self.store_c, sv_part="principal")
        sv._store_debit("pay", 100, store=self.store_a)
        rows = self.env["loyalty.history"]._read_group(
            [("partner_id", "=", self.member.id), ("kind", "in", ("redeem", "pay"))],
            ["origin_store_id", "store_id", "store_chain_role"],
            ["spent_value_cny:sum"],
        )
        got = {(o.code, s.code, role): value for o, s, role, value in rows}
        self.assertEqual(
            got,
            {
                ("TSTA", "TSTB", "points"): 10.0,
                ("TSTC", "TSTB", "points"): 2.0,
                ("TSTC", "TSTA", "stored_value"): 100.0,
            },
        )

    def test_hq_refunds_unused_principal_and_the_bonus_goes_with_it(self):
        self._sync(self._order_data(self.store_a, [(self.topup_product, 1, 100.0)], partner=self.member))
        sv = self._card(self.member, "stored_value")
        Wizard = self.env["store.member.adjust"]
        with self.assertRaises(UserError):
            Wizard.with_user(self.hq_admin).create(
                {"card_id": sv.id, "operation": "refund", "amount": 120, "reason": "退卡"}
            ).action_apply()
        Wizard.with_user(self.hq_admin).create(
            {"card_id": sv.id, "operation": "refund", "amount": 100, "reason": "退卡"}
        ).action_apply()
        sv.invalidate_recordset()
        self.assertEqual(sv.points, 0)
        self.assertEqual(
            sorted(sv.history_ids.filtered(lambda h: h.kind == "refund").mapped("amount")), [-100, -20]
        )

    def test_points_reminder_once_per_batch(self):
        card = self._card(self.member)
        soon = fields.Date.add(fields.Date.today(), days=10)
        card._store_credit("earn", 80, store=self.store_a, expire_date=soon)
        Card = self.env["loyalty.card"]
        self.assertGreaterEqual(Card._cron_store_points_reminder(), 1)
        self.assertIn("80", self.member.message_ids[:1].body)
        self.assertEqual(Card._cron_store_points_reminder(), 0, "each batch is reminded once")

    def test_core_ewallet_discount_line_spends_stored_value(self):
        sv = self._card(self.member, "stored_value")
        sv._store_credit("topup", 50, store=self.store_a, sv_part="principal")
        reward = self.env["loyalty.reward"].create(
            {
                "program_id": self.sv_program.id,
                "reward_type": "discount",
                "discount_mode": "per_point",
                "discount": 1,
                "required_points": 1,
            }
        )
        data = self._order_data(
            self.store_b,
            [
                (self.product, 1, 30.0),
                {
                    "product_id": reward.discount_line_product_id.id,
                    "qty": 1,
                    "price_unit": -30.0,
                    "reward_id": reward.id,
                    "is_reward_line": True,
                    "coupon_id": sv.id,
                },
            ],
            partner=self.member,
            payments=[],
        )
        # core's eWallet line spends stored value: it needs a hold
        with self.assertRaises(UserError), self.cr.savepoint():
            self._sync(dict(data))
        self.assertEqual(self._authorize(data, self.cashier_b)["stored_value"]["amount"], 30)
        order = self._sync(data)
        self.assertEqual(order.store_member_state, "done")
        self.assertEqual(sv.points, 20)
        self.assertEqual(order.store_points_earned, 30, "paying with stored value still earns points")

    def test_topup_paid_with_stored_value_gets_no_bonus(self):
        sv = self._card(self.member, "stored_value")
        sv._store_credit("topup", 100, store=self.store_a, sv_part="principal")
        data = self._order_data(
            self.store_a,
            [(self.topup_product, 1, 100.0)],
            partner=self.member,
            payments=[(self.sv_method, 100.0)],
        )
        self._authorize(data, self.cashier_a)
        order = self._sync(data)
        self.assertEqual(order.store_member_state, "flagged")
        # No money came in: nothing topped up, no bonus, and the stored value offered for it stays.
        self.assertEqual(sv.points, 100, "nothing paid, nothing topped up, no bonus")
        self.assertFalse(order.store_ledger_ids)
