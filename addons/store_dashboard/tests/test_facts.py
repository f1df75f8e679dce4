import random
from datetime import timedelta
from unittest.mock import patch

from psycopg2 import errors

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import SQL, mute_logger

from .. import uninstall_hook
from ..tools import fact_sql
from .common import DashboardCommon


@tagged("post_install", "-at_install")
class TestFactUpkeep(DashboardCommon):
    """The facts are kept as orders are settled and members register: after a random mix of
    sales (members or not, line discounts, rewards), refunds, re-synced orders and registrations
    over three days, they equal an aggregation of the orders computed in Python, without any
    rebuild. The reconcile rewrites a tampered day, and only it. Nobody but the server writes
    them; a store manager reads their stores' only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        rng = random.Random(14)
        # (an instance helper of MemberCommon that reads self.env only)
        cls.coupon_reward = cls._coupon_program(cls, "测试优惠券").reward_ids[:1]
        cls.member_b = cls._register(cls.store_b, "13800138001", name="测试会员二")
        members = [cls.member, cls.member_b, None, None]
        sales = []
        for n in range(24):
            store = rng.choice([cls.store_a, cls.store_a, cls.store_b, cls.store_c])
            when = cls._hours_ago(rng.randint(0, 72))
            lines = [(cls.product, rng.randint(1, 3), rng.choice([10.0, 25.0]))]
            if n % 4 == 1:  # a line discount of 20 %
                price = 50.0
                lines.append(
                    {
                        "product_id": cls.product.id,
                        "qty": 2,
                        "price_unit": price,
                        "discount": 20.0,
                        "price_subtotal": 80.0,
                        "price_subtotal_incl": 80.0,
                        "note": "会员活动",
                    }
                )
            if n % 6 == 2:  # a reward line of a coupon program: 5 off
                lines.append(
                    {
                        "product_id": cls.coupon_reward.discount_line_product_id.id,
                        "qty": 1,
                        "price_unit": -5.0,
                        "reward_id": cls.coupon_reward.id,
                        "is_reward_line": True,
                    }
                )
            partner = rng.choice(members)
            employee = rng.choice([cls.emp_1, cls.emp_2, None])
            data = cls._order_data(store, lines, partner=partner)
            data["date_order"] = when.strftime("%Y-%m-%d %H:%M:%S")
            if employee:
                data["employee_id"] = employee.id
            order = cls._sync(data)
            sales.append((order, data))
            if n % 5 == 3:  # the till sends it again (its answer was lost)
                cls._sync(dict(data))
        # Every store has a member's order rung up by an employee (the isolation test reads them).
        for store in cls.stores:
            cls._sale(store, [(cls.product, 1, 10.0)], partner=cls.member, employee=cls.emp_2)
        # Refunds of some sales, a day later, bound to the sold lines.
        for order, _data in sales[::5]:
            line = order.lines.filtered(lambda line: line.qty > 0)[:1]
            refund = cls._order_data(
                order.store_id, [cls._refund_line(line, 1)], partner=order.partner_id or None
            )
            refund["date_order"] = (order.date_order + timedelta(hours=20)).strftime("%Y-%m-%d %H:%M:%S")
            cls._sync(refund)
        # An exchange: one unit of a sale given back and a dearer good bought (total positive),
        # and a sale of a cheap good with one returned line (total negative): each a sale of its
        # sold lines and a refund of its returned line.
        for (order, _data), price in ((sales[1], 80.0), (sales[2], 1.0)):
            line = order.lines.filtered(lambda line: line.qty > 0 and line.price_unit > 0)[:1]
            exchange = cls._order_data(
                order.store_id,
                [cls._refund_line(line, 1), (cls.product, 1, price)],
                partner=order.partner_id or None,
            )
            exchange["date_order"] = (order.date_order + timedelta(hours=3)).strftime("%Y-%m-%d %H:%M:%S")
            cls._sync(exchange)
        # A draft first, then paid: counted once, when paid.
        draft = cls._order_data(cls.store_b, [(cls.product, 1, 10.0)])
        cls._sync({**draft, "state": "draft"})
        cls.draft_then_paid = cls._sync(dict(draft))
        cls.new_member = cls._register(cls.store_a, "13800138002", employee=cls.emp_1, name="测试会员三")
        cls.sales = sales

    def test_facts_equal_the_orders_after_a_mix_of_sales_refunds_and_resyncs(self):
        self.assertEqual(self.draft_then_paid.state, "paid")
        self.assertEqual(len(self.env["pos.order"].search([("uuid", "=", self.sales[3][1]["uuid"])])), 1)
        facts = self.env["store.sales.fact"].search([("store_id", "in", self.stores.ids)])
        self.assertGreater(sum(facts.mapped("refund_count")), 0, "the mix has refunds")
        self.assertGreater(sum(facts.mapped("discount_amount")), 0, "the mix has discounts")
        self.assertEqual(sum(facts.mapped("new_member_count")), 2, "two registrations at the test stores")
        self.assertFactsMatchOrders()
        # Rebuilt from scratch, the facts are the same: nothing to fix.
        days = sorted({key[1] for key in self._actual()["sales"]})
        self.assertEqual(self.env["store.sales.fact"]._reconcile_days(days[0], days[-1], self.stores.ids), [])
        self.assertFactsMatchOrders()

    def test_an_exchange_is_a_sale_of_its_sold_lines_and_a_refund_of_its_returns(self):
        line = self.sales[0][0].lines.filtered(lambda line: line.qty > 0 and line.price_unit > 0)[:1]
        when = self._hours_ago(80).replace(minute=10)
        data = self._order_data(
            self.store_c, [self._refund_line(line, 1, price=50.0), (self.product, 1, 80.0)]
        )
        data["date_order"] = when.strftime("%Y-%m-%d %H:%M:%S")
        self._sync(data)
        fact = (
            self.env["store.sales.fact"]
            .search([("store_id", "=", self.store_c.id)])
            .filtered(lambda f: f.order_count and f.refund_amount == 50.0 and f.revenue >= 80.0)
        )
        self.assertTrue(fact, "an exchange counts as a sale of 80 and a refund of 50")
        self.assertEqual(fact[:1].refund_count, 1)
        self.assertFactsMatchOrders()

    def test_the_sign_up_order_is_a_member_order_and_history_stays(self):
        """A customer registered at the till while the order was rung up (the order's date before
        the registration) pays as a member: a member order and a visit of the member. The
        sign-up and the member order stay after the member is archived, and a rebuild changes
        nothing."""
        newcomer = self._register(self.store_c, "13800138009", employee=self.emp_1, name="测试会员四")
        order = self._sale(
            self.store_c,
            [(self.product, 2, 10.0)],
            partner=newcomer,
            employee=self.emp_1,
            when=newcomer.member_consent_date - timedelta(minutes=2),
        )
        self.assertLess(order.date_order, newcomer.member_consent_date)
        self.assertNotEqual(order.store_member_state, "none")
        Fact = self.env["store.sales.fact"]
        domain = [("store_id", "=", self.store_c.id)]

        def totals():
            facts = Fact.search(domain)
            return sum(facts.mapped("member_order_count")), sum(facts.mapped("new_member_count"))

        members, sign_ups = totals()
        self.assertGreaterEqual(sign_ups, 1)
        self.assertTrue(
            self.env["store.member.month.fact"].search([("partner_id", "=", newcomer.id)]),
            "the sign-up order is a visit of the new member",
        )
        self.assertFactsMatchOrders()
        # An anonymous sale flagged by the member settlement (stored value without a member) is
        # no member order.
        anonymous = self._sale(self.store_c, [(self.product, 1, 10.0)])
        anonymous._store_write(store_member_state="flagged")
        Fact._refresh_orders(anonymous.ids)
        self.assertFactsMatchOrders()
        members, sign_ups = totals()
        # Archived since (or merged away): the past is not rewritten, not even by a rebuild.
        newcomer.sudo().write({"active": False, "is_member": False})
        today = order.date_order.date()
        self.assertEqual(
            Fact._reconcile_days(today - timedelta(days=1), today + timedelta(days=1), self.stores.ids), []
        )
        self.assertEqual(totals(), (members, sign_ups))
        self.assertFactsMatchOrders()

    def test_a_member_merge_moves_the_facts_to_the_kept_member(self):
        Wizard = self.env["store.member.merge"].with_user(self.hq_admin)
        Wizard.create(
            {"dst_partner_id": self.member.id, "partner_ids": [Command.set(self.member_b.ids)]}
        ).action_merge()
        self.assertFalse(self.member_b.is_member)
        Month = self.env["store.member.month.fact"]
        self.assertFalse(Month.search([("partner_id", "=", self.member_b.id)]))
        self.assertFactsMatchOrders()

    def test_a_customer_set_on_a_paid_order_moves_its_visit(self):
        order = self._sale(self.store_c, [(self.product, 1, 30.0)])
        self.assertFalse(order.partner_id)
        order.write({"partner_id": self.member_b.id})  # core's way to invoice a paid order later
        self.assertEqual(order.partner_id, self.member_b)
        self.assertFactsMatchOrders()

    def test_reconcile_fixes_a_tampered_day(self):
        fact = self.env["store.sales.fact"].search([("store_id", "=", self.store_a.id)], limit=1)
        other = self.env["store.sales.fact"].search(
            [("store_id", "=", self.store_b.id), ("date", "!=", fact.date)], limit=1
        )
        self.env.cr.execute(
            "UPDATE store_sales_fact SET revenue = revenue + 7, order_count = order_count + 1 WHERE id = %s",
            [fact.id],
        )
        # and a made-up hour of a day with no order at all
        self.env.cr.execute(
            """INSERT INTO store_sales_fact (store_id, date, hour, order_count, revenue)
               VALUES (%s, %s - 30, 3, 2, 20)""",
            [self.store_c.id, fact.date],
        )
        self.env.invalidate_all()
        fixed = self.env["store.sales.fact"]._reconcile_days(
            fact.date - timedelta(days=30), fact.date, self.stores.ids
        )
        self.assertIn((self.store_a.id, fact.date), fixed)
        self.assertIn((self.store_c.id, fact.date - timedelta(days=30)), fixed)
        self.assertNotIn((self.store_b.id, other.date), fixed, "an untouched day is not rewritten")
        self.assertFactsMatchOrders()

    def test_nobody_writes_the_facts_and_a_store_manager_reads_their_stores_only(self):
        for model in ("store.sales.fact", "store.member.month.fact", "store.employee.day.fact"):
            Facts = self.env[model]
            own = Facts.search([("store_id", "=", self.store_a.id)], limit=1)
            other = Facts.search([("store_id", "=", self.store_b.id)], limit=1)
            self.assertTrue(own and other, model)
            for user in (self.manager_a, self.region_mgr, self.analyst, self.hq_admin):
                with self.subTest(model=model, user=user.login):
                    as_user = Facts.with_user(user)
                    with self.assertRaises(AccessError):
                        as_user.create({"store_id": self.store_a.id})
                    with self.assertRaises(AccessError):
                        own.with_user(user).write({"order_count": 99})
                    with self.assertRaises(AccessError):
                        own.with_user(user).unlink()
            seen = Facts.with_user(self.manager_a).search([("store_id", "in", self.stores.ids)])
            self.assertEqual(seen.store_id, self.store_a, f"{model}: a store manager sees their store only")
            with self.assertRaises(AccessError):
                other.with_user(self.manager_a).read(["store_id"])
            region = Facts.with_user(self.region_mgr).search([("store_id", "in", self.stores.ids)])
            self.assertEqual(region.store_id, self.store_a | self.store_b, f"{model}: the region's stores")
            chain = Facts.with_user(self.analyst).search([("store_id", "in", self.stores.ids)])
            self.assertEqual(chain.store_id, self.stores, f"{model}: HQ sees every store")
        # a cashier reads no member's spend and no colleague's sign-ups
        for model in ("store.member.month.fact", "store.employee.day.fact"):
            with self.subTest(model=model), self.assertRaises(AccessError):
                self.env[model].with_user(self.cashier_a).search([])

    def test_a_sale_is_kept_when_another_till_holds_its_fact_row(self):
        """Two tills of a store settling in the same hour update the same fact row; the second
        one's PostgreSQL refuses (repeatable read). Its sale is saved and settled all the same, the
        reconcile is woken, and it makes the facts right."""
        cron = self.env.ref("store_dashboard.ir_cron_store_dashboard_reconcile")
        Trigger = self.env["ir.cron.trigger"]
        before = Trigger.search([("cron_id", "=", cron.id)])
        conflict = errors.SerializationFailure("could not serialize access due to concurrent update")
        with patch.object(fact_sql, "execute_batch", side_effect=conflict):
            order = self._sale(self.store_a, [(self.product, 2, 25.0)], partner=self.member)
        self.assertEqual(order.state, "paid")
        self.assertEqual(order.store_member_state, "done")
        self.assertGreater(Trigger.search([("cron_id", "=", cron.id)]), before)
        with self.assertRaises(AssertionError):
            self.assertFactsMatchOrders()  # the sale is not counted yet
        self.env["store.sales.fact"]._cron_reconcile()
        self.assertFactsMatchOrders()

    def test_the_batch_function_is_versioned_and_made_when_missing(self):
        """The upkeep's function is named after a hash of its SQL: missing (new code loaded, or an
        update by another process dropped it), it is made again and the sale counted; an update
        drops the older versions, the uninstall every version."""
        cr = self.env.cr
        name = fact_sql.batch_function_name()
        self.assertRegex(name, r"^store_dashboard_refresh_batch_[0-9a-f]{12}$")
        self.assertFalse(fact_sql.ensure_batch_function(cr), "there already: one lookup, nothing made")
        # an older version of another signature, and this version gone
        cr.execute(
            "CREATE FUNCTION store_dashboard_refresh_batch(int[]) RETURNS int LANGUAGE sql AS 'SELECT 1'"
        )
        cr.execute(SQL("DROP FUNCTION %s", SQL.identifier(name)))
        with mute_logger("odoo.sql_db"):  # the first call's "function does not exist"
            self._sale(self.store_c, [(self.product, 1, 12.0)], partner=self.member, employee=self.emp_1)
        self.assertFactsMatchOrders()

        def versions():
            cr.execute(r"SELECT proname FROM pg_proc WHERE proname LIKE 'store\_dashboard\_refresh\_batch%'")
            return sorted(row[0] for row in cr.fetchall())

        self.assertEqual(versions(), sorted([name, "store_dashboard_refresh_batch"]))
        self.env["store.sales.fact"].init()  # install / update
        self.assertEqual(versions(), [name])
        uninstall_hook(self.env)
        self.assertEqual(versions(), [])
