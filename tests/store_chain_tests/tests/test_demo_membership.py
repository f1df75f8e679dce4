import re

from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged

MASKED = re.compile(r"^1\d{2}\*{4}\d{4}$")


@tagged("post_install", "-at_install")
class TestDemoMembership(TransactionCase):
    """The demo chain's members as its users see them: balances are their ledger, a store's
    cashier sees that store's ledger lines and masked phones only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.chain = cls.env.ref("store_pos_ext.company_chain_demo")
        cls.xuhui = cls.env.ref("store_pos_ext.store_shxh_demo")
        cls.cashier = cls.env["res.users"].search([("login", "=", "xuhui_cashier")])
        cls.members = (
            cls.env["res.partner"]
            .with_company(cls.chain)
            .search([("is_member", "=", True), ("company_id", "in", [False, cls.chain.id])])
        )

    def test_demo_member_balance_is_the_sum_of_their_ledger(self):
        programs = self.chain.store_points_program_id | self.chain.store_sv_program_id
        cards = self.env["loyalty.card"].search(
            [("partner_id", "in", self.members.ids), ("program_id", "in", programs.ids)]
        )
        self.assertGreaterEqual(len(self.members), 30)
        self.assertEqual(len(cards), 2 * len(self.members), "one points card and one stored value card each")
        self.assertTrue(cards.filtered(lambda c: c.store_chain_role == "stored_value" and c.points > 0))
        for card in cards:
            with self.subTest(card=card.code):
                lines = card.history_ids.sorted("id")
                self.assertAlmostEqual(card.points, sum(lines.mapped("amount")), places=2)
                if lines:
                    self.assertAlmostEqual(card.points, lines[-1].balance_after, places=2)
        member = self.members.filtered(lambda m: m.member_tier_id.name == "金卡")[:1]
        self.assertEqual(
            member.with_company(self.chain).member_points,
            member._store_member_cards(create=False)["points"].points,
        )

    def test_xuhui_cashier_sees_own_store_ledger_lines_only(self):
        History = self.env["loyalty.history"]
        domain = [("partner_id", "in", self.members.ids)]
        everything = History.search(domain)
        self.assertGreater(len(everything.store_id), 1)
        seen = History.with_user(self.cashier).search(domain)
        self.assertTrue(seen, "the demo has ledger lines of 上海徐汇店")
        self.assertEqual(seen.store_id, self.xuhui)
        other = (everything - seen)[:1]
        self.assertNotEqual(other.store_id, self.xuhui)
        with self.assertRaises(AccessError):
            other.with_user(self.cashier).read(["amount"])
        self.assertEqual(
            History.with_user(self.cashier).search_count([*domain, ("store_id", "!=", self.xuhui.id)]), 0
        )

    def test_xuhui_cashier_sees_masked_phones_only(self):
        Partner = self.env["res.partner"].with_user(self.cashier)
        members = Partner.search([("id", "in", self.members.ids)])
        self.assertEqual(len(members), len(self.members), "members are chain-wide")
        for row in members.read(["phone"]):
            self.assertRegex(row["phone"], MASKED)
        with self.assertRaises(AccessError):
            members[:1].read(["member_mobile"])
        info = Partner.store_member_lookup(self.members[:1].member_number)
        self.assertRegex(info["phone_masked"], MASKED)
        self.assertNotIn(self.members[:1].member_mobile, str(info))
