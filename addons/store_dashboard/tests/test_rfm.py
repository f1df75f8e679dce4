from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import DashboardCommon


@tagged("post_install", "-at_install")
class TestRfm(DashboardCommon):
    """The monthly job gives every member the tag of its RFM class, with the company's thresholds
    (recent within 30 days, frequent from 2 visits, valuable from 100 CNY over 12 months), and
    moves it when the member's figures change."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.write(
            {
                "store_rfm_months": 12,
                "store_rfm_recency_days": 30,
                "store_rfm_frequency": 2,
                "store_rfm_monetary": 100,
            }
        )
        cls.members = {}
        # class: [(days ago, amount)...]
        plans = {
            "value": [(2, 60.0), (5, 60.0)],
            "develop": [(3, 150.0)],
            "keep": [(60, 60.0), (70, 60.0)],
            "win_back": [(60, 150.0)],
            "general": [(1, 20.0)],
        }
        for n, (key, orders) in enumerate(plans.items()):
            member = cls._register(cls.store_a, f"1390013900{n}", name=f"测试RFM{n}")
            cls.members[key] = member
            for days, amount in orders:
                cls._sale(
                    cls.store_a, [(cls.product, 1, amount)], partner=member, when=cls._hours_ago(24 * days)
                )

        # Bought 200 two months ago, gave one back (100) yesterday: the refund is no visit, so
        # not recent: valuable only (重要挽留).
        refunded = cls._register(cls.store_a, "13900139009", name="测试RFM退款")
        sale = cls._sale(
            cls.store_a, [(cls.product, 2, 100.0)], partner=refunded, when=cls._hours_ago(24 * 60)
        )
        refund = cls._order_data(cls.store_a, [cls._refund_line(sale.lines, 1)], partner=refunded)
        refund["date_order"] = (cls._hours_ago(24)).strftime("%Y-%m-%d %H:%M:%S")
        cls._sync(refund)
        cls.members["refunded"] = refunded

    def _rfm_tags(self, member):
        return member.category_id.filtered(lambda tag: tag.name.startswith("RFM"))

    def test_each_member_gets_the_tag_of_its_class(self):
        Partner = self.env["res.partner"]
        tags = Partner._rfm_tags()
        counts = Partner._cron_rfm_tags()
        for key, member in self.members.items():
            with self.subTest(rfm=key):
                self.assertEqual(self._rfm_tags(member), tags["win_back" if key == "refunded" else key])
        self.assertGreaterEqual(counts["value"], 1)
        # the general member buys twice more: valuable, frequent and recent now
        general = self.members["general"]
        for _n in range(2):
            self._sale(self.store_a, [(self.product, 1, 50.0)], partner=general)
        Partner._cron_rfm_tags()
        self.assertEqual(self._rfm_tags(general), tags["value"], "one RFM tag, the new class's")

    def test_thresholds_that_cannot_classify_are_refused(self):
        for vals in (
            {"store_rfm_months": 0},
            {"store_rfm_recency_days": -1},
            {"store_rfm_frequency": 0},
            {"store_rfm_monetary": -5},
        ):
            with self.subTest(vals=vals), self.assertRaises(ValidationError):
                self.env.company.write(vals)

    def test_a_deleted_tag_leaves_its_class_untagged(self):
        Partner = self.env["res.partner"]
        tags = Partner._rfm_tags()
        tags["general"].unlink()
        counts = Partner._cron_rfm_tags()
        self.assertNotIn("general", counts)
        self.assertFalse(self._rfm_tags(self.members["general"]))
        self.assertEqual(self._rfm_tags(self.members["value"]), tags["value"])
