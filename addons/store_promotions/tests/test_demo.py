from odoo import fields
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestPromotionDemo(TransactionCase):
    """The demo promotions have run for weeks in the demo chain's history: their orders fill the
    effectiveness report and the comparison."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.chain = cls.env.ref("store_pos_ext.company_chain_demo")
        cls.promotions = cls.env["store.promotion"].search(
            [("company_id", "=", cls.chain.id), ("state", "=", "running")]
        )

    def test_effectiveness_report_has_rows_for_the_running_demo_promotions(self):
        self.assertEqual(len(self.promotions), 8)
        today = fields.Date.context_today(self.promotions)
        Report = self.env["store.promotion.report"]
        rows = Report._read_group(
            [("promotion_id", "in", self.promotions.ids)],
            ["promotion_id"],
            ["order_count:sum", "discount:sum", "date:min", "date:max"],
        )
        found = {promo: (count, discount, first, last) for promo, count, discount, first, last in rows}
        for promo in self.promotions:
            with self.subTest(promotion=promo.name):
                self.assertIn(promo, found, "the report has its orders")
                count, discount, first, last = found[promo]
                self.assertGreater(discount, 0)
                self.assertGreaterEqual(first, promo.date_from, "no order before it started")
                self.assertLessEqual(last, today)
                # The comparison counts the orders the server check accepted: all of the demo's.
                self.assertEqual(promo.order_count, count)
                self.assertGreater(promo.redemption_rate, 0)
                self.assertGreater(promo.sales_baseline, 0, "sales before it started")
        self.assertGreater(len({(r[3], r[4]) for r in rows}), 1, "promotions started on different days")
        orders = self.env["pos.order"].search([("store_promotion_ids", "in", self.promotions.ids)])
        self.assertEqual(set(orders.mapped("store_promo_state")), {"ok"})
        self.assertTrue(orders.filtered("partner_id") and orders.filtered(lambda o: not o.partner_id))
