import importlib.util
from pathlib import Path

from odoo.tests import tagged

from .common import PromoCommon

MIGRATION = Path(__file__).parents[1] / "migrations" / "19.0.1.2.0" / "post-migrate.py"


@tagged("post_install", "-at_install")
class TestPromotionFigures(PromoCommon):
    """One definition of each promotion figure: the effectiveness report's rows are what the
    server check counted on each paid order, and the promotion's orders, discount cost, average
    ticket and redemption rate (the comparison) are their sums."""

    def _sell(self, promo, qty, discount, store=None):
        data = self._order_data(
            store or self.store_a, [(self.cake, qty, 30.0), self._promo_line(promo, discount)]
        )
        return self._sync(data)

    def _report(self, promo):
        return self.env["store.promotion.report"].search([("promotion_id", "=", promo.id)])

    def test_report_and_comparison_count_the_same_orders_and_discount(self):
        promo = self._promo("threshold")  # 满100减30
        ok_a = self._sell(promo, 4, 30)  # 120 -> 90
        ok_b = self._sell(promo, 5, 30, store=self.store_b)  # 150 -> 120
        forged = self._sell(promo, 4, 100)  # 70 more than allowed: flagged, counts nothing
        self.assertEqual(forged.store_promo_state, "flagged")
        plain = self._sync(self._order_data(self.store_a, [(self.cake, 1, 30.0)]))
        self.assertEqual(plain.state, "paid")

        rows = self._report(promo)
        self.assertEqual(rows.order_id, ok_a | ok_b, "a flagged order is no order of the promotion")
        self.assertEqual((sum(rows.mapped("order_count")), sum(rows.mapped("discount"))), (2, 60))
        promo.invalidate_recordset()
        self.assertEqual(
            (promo.order_count, promo.spent), (2, 60), "the comparison's figures are the report's"
        )
        self.assertEqual(ok_a.store_promo_counted, {str(promo.id): 30.0})
        self.assertFalse(forged.store_promo_counted)
        self.assertEqual(promo.avg_ticket, 105, "(90 + 120) / 2: the orders counted")
        # 2 counted of the 4 paid orders of its stores (A and B) in its period
        self.assertEqual(promo.redemption_rate, 50)

    def test_two_promotions_on_one_order_each_count_their_own_discount(self):
        threshold = self._promo("threshold")  # 30 off 120
        category = self._promo("category", percent=10, product_ids=[(6, 0, self.cake.ids)])  # 12 off
        order = self._sync(
            self._order_data(
                self.store_a,
                [(self.cake, 4, 30.0), self._promo_line(threshold, 30), self._promo_line(category, 12)],
            )
        )
        self.assertEqual(order.store_promo_state, "ok", order.store_promo_issue)
        self.assertEqual(sum(self._report(threshold).mapped("discount")), 30)
        self.assertEqual(sum(self._report(category).mapped("discount")), 12)
        (threshold | category).invalidate_recordset()
        self.assertEqual((threshold.spent, category.spent), (30, 12))

    def test_migration_fills_the_counted_discount_of_orders_checked_before(self):
        promo = self._promo("threshold")
        ok = self._sell(promo, 4, 30)
        forged = self._sell(promo, 4, 100)
        self.env.flush_all()
        # As 19.0.1.1.0 left them: the promotions an order counted for, no counted amounts.
        self.env.cr.execute(
            "UPDATE pos_order SET store_promo_counted = NULL WHERE id IN %s", [(ok.id, forged.id)]
        )
        self.env.invalidate_all()
        self.assertFalse(self._report(promo))
        spec = importlib.util.spec_from_file_location("store_promotions_post_migrate_19_0_1_2_0", MIGRATION)
        script = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(script)
        script.migrate(self.env.cr, "19.0.1.1.0")
        self.env.invalidate_all()
        self.assertEqual(ok.store_promo_counted, {str(promo.id): 30})
        self.assertFalse(forged.store_promo_counted, "a flagged order counted nothing")
        self.assertEqual(sum(self._report(promo).mapped("discount")), promo.spent)
