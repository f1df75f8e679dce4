from lxml import etree

from odoo import fields
from odoo.tests import TransactionCase, tagged
from odoo.tools.safe_eval import safe_eval


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
        amounts = set(topups.mapped("amount"))
        self.assertTrue({100, 500, 1000} <= amounts, "every rule is reached exactly")
        self.assertTrue(amounts - {100, 500, 1000}, "and top-ups between and above the rules")
        for topup in topups:
            bonus = History.search([("pos_order_id", "=", topup.pos_order_id.id), ("kind", "=", "bonus")])
            best = max(rules.filtered(lambda r, t=topup: r.min_amount <= t.amount).mapped("min_amount"))
            expected = rules.filtered(lambda r, b=best: r.min_amount == b).bonus_amount
            self.assertEqual(bonus.amount, expected, f"充{topup.amount:.0f}")

    def _local_days(self, table, column, ids):
        self.env.flush_all()
        self.env.cr.execute(
            f"""SELECT DISTINCT ({column} AT TIME ZONE 'UTC' AT TIME ZONE 'Asia/Shanghai')::date
                  FROM {table} WHERE id IN %s""",
            [tuple(ids) or (0,)],
        )
        return sorted(row[0] for row in self.env.cr.fetchall())

    def test_demo_ledger_is_a_year_of_dated_history(self):
        """The ledger holds a year of history as it happened, not lines stamped at install: its
        lines span at least 300 days, each dated with its order, and the orders of the four stores
        fall on the busy hours (11-13, 17-20) and on weekends more than on weekdays."""
        ledger = self.env["loyalty.history"].search([("partner_id", "in", self.members.ids)])
        days = self._local_days("loyalty_history", "create_date", ledger.ids)
        self.assertGreaterEqual(len(days), 300)
        today = fields.Date.context_today(self.members)
        self.assertGreaterEqual((today - days[0]).days, 330)
        self.assertLessEqual(days[-1], today)
        for line in ledger.filtered("pos_order_id"):
            self.assertEqual(line.create_date, line.pos_order_id.date_order, line.pos_order_id.name)
        self.assertTrue({"earn", "redeem", "topup", "bonus", "pay", "refund"} <= set(ledger.mapped("kind")))
        stores = self.env["store.store"].search([("company_id", "=", self.chain.id)])
        orders = self.env["pos.order"].search([("config_id", "in", stores.pos_config_ids.ids)])
        self.assertTrue(orders.filtered(lambda o: not o.partner_id), "anonymous sales too")
        shanghai = self.members.with_context(tz="Asia/Shanghai")
        hours = [fields.Datetime.context_timestamp(shanghai, o.date_order).hour for o in orders]
        peak = sum(1 for hour in hours if hour in (11, 12, 17, 18, 19))
        self.assertGreater(peak / len(hours), 0.4, "busy hours (5 of 14 opening hours)")
        self.assertGreaterEqual(len(set(hours)), 12)
        per_day = {}
        for order in orders:
            day = fields.Date.context_today(self.members, order.date_order)
            per_day[day] = per_day.get(day, 0) + 1
        weekend = [n for day, n in per_day.items() if day.weekday() >= 5]
        weekday = [n for day, n in per_day.items() if day.weekday() < 5]
        self.assertGreater(sum(weekend) / len(weekend), 1.2 * sum(weekday) / len(weekday))
        self.assertTrue(all(o.create_date == o.date_order for o in orders[:200]), "orders dated as synced")

    def test_demo_members_joined_over_the_year(self):
        """Members register over the year (joined = the partner's creation), in the order of
        their member numbers, and buy only after they joined."""
        joined = self._local_days("res_partner", "create_date", self.members.ids)
        self.assertGreaterEqual((joined[-1] - joined[0]).days, 300)
        today = fields.Date.context_today(self.members)
        self.assertTrue([d for d in joined if (today - d).days <= 31], "some joined this past month")
        by_number = self.members.sorted("member_number")
        self.assertEqual(by_number.mapped("create_date"), sorted(by_number.mapped("create_date")))
        for member in self.members:
            self.assertEqual(member.member_consent_date, member.create_date)
            first = self.env["pos.order"].search(
                [("partner_id", "=", member.id)], order="date_order", limit=1
            )
            if first:
                self.assertGreater(first.date_order, member.create_date, member.name)

    def test_demo_cards_ledger_adds_up_in_date_order(self):
        """Every chain card of the demo (points and stored value) holds the sum of its ledger,
        and its ledger read in date order adds up line by line (balance after each line), over
        months of history."""
        programs = self.chain.store_points_program_id | self.chain.store_sv_program_id
        cards = self.env["loyalty.card"].search([("program_id", "in", programs.ids)])
        self.assertGreaterEqual(len(cards), 60)
        spans = []
        for card in cards:
            lines = card.history_ids.sorted(lambda h: (h.create_date, h.id))
            running = 0.0
            for line in lines:
                running += line.amount
                self.assertAlmostEqual(line.balance_after, running, places=2, msg=card.code)
            self.assertAlmostEqual(card.points, running, places=2, msg=card.code)
            if lines:
                spans.append((lines[-1].create_date - lines[0].create_date).days)
        self.assertGreaterEqual(max(spans), 300, "a card's ledger spans the year")

    def test_points_expiry_does_not_empty_the_demo(self):
        """Points are valid 12 months from the day they were earned (the ledger line's date, the
        order's): the year of history expires nothing today, and the oldest batches expire in the
        coming weeks (reminders are due)."""
        today = fields.Date.context_today(self.members)
        batches = self.env["loyalty.history"].search(
            [("partner_id", "in", self.members.ids), ("kind", "=", "earn")]
        )
        for batch in batches[:300]:
            self.assertEqual(
                batch.expire_date,
                fields.Date.add(fields.Date.context_today(self.members, batch.create_date), months=12),
            )
        self.assertEqual(self.env["loyalty.card"]._cron_store_expire_points(), 0)
        soon = batches.filtered(lambda b: b.remaining > 0 and (b.expire_date - today).days <= 30)
        self.assertTrue(soon, "some points expire within a month")

    def test_birthday_this_month_filter(self):
        """本月生日 filters the members born in the current month, and only them."""
        view = self.env.ref("store_membership.res_partner_view_search_member")
        node = etree.fromstring(view.arch).xpath("//filter[@name='filter_birthday_month']")[0]
        today = fields.Date.context_today(self.members)
        domain = safe_eval(node.get("domain"), {"context_today": lambda: today})
        Partner = self.env["res.partner"]
        found = Partner.search([*domain, ("id", "in", self.members.ids)])
        born_now = self.members.filtered(
            lambda m: m.member_birthday and m.member_birthday.month == today.month
        )
        self.assertGreaterEqual(len(born_now), 3)
        self.assertEqual(found, born_now)
        self.assertLess(len(found), len(self.members.filtered("member_birthday")))
        others = Partner.search(
            [("member_birthday_month", "!=", today.month), ("id", "in", self.members.ids)]
        )
        self.assertEqual(others, self.members - born_now)

    def test_cross_store_filter(self):
        """Cross-store (跨店) ledger lines are spent in another store than the one that issued them."""
        view = self.env.ref("store_membership.loyalty_history_view_search_ledger")
        node = etree.fromstring(view.arch).xpath("//filter[@name='filter_cross_store']")[0]
        History = self.env["loyalty.history"]
        found = History.search([*safe_eval(node.get("domain")), ("partner_id", "in", self.members.ids)])
        spent = History.search([("kind", "in", ("redeem", "pay")), ("partner_id", "in", self.members.ids)])
        expected = spent.filtered(
            lambda h: h.store_id and h.origin_store_id and h.store_id != h.origin_store_id
        )
        self.assertTrue(expected and spent - expected)
        self.assertEqual(found, expected)

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
