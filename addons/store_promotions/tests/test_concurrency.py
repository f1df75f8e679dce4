"""Two tills count the same promotion at the same moment, each in its own database transaction.

Like store_membership's concurrency tests, these open real connections, commit their promotion
and delete it again. Both tills read the budget left (30 of 50 is what each order would take),
then count their discount: the second till's UPDATE waits for the first till's commit and fails
with a serialization error; Odoo retries the request, which then reads 20 left. The budget is
never overspent and no count is lost.
"""
# These tests commit on purpose, on their own connections only, and delete what they committed.
# pylint: disable=invalid-commit

import threading

from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tests import TransactionCase, tagged

from odoo.addons.store_membership.tests.common import real_env, two_tills_at_once


@tagged("post_install", "-at_install")
class TestPromotionConcurrency(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with real_env(cls.registry) as env:
            promo = env["store.promotion"].create(
                {
                    "name": "并发测试满减",
                    "template": "threshold",
                    "min_amount": 100,
                    "off_amount": 30,
                    "budget": 50,
                }
            )
            promo.action_submit()
            env.cr.commit()
            cls.promo_id = promo.id
            cls.program_id = promo.program_id.id
        cls.addClassCleanup(cls._cleanup)

    @classmethod
    def _cleanup(cls):
        with real_env(cls.registry) as env:
            program = env["loyalty.program"].with_context(active_test=False).browse(cls.program_id)
            products = program.reward_ids.discount_line_product_id.product_tmpl_id
            promo = env["store.promotion"].browse(cls.promo_id)
            promo._end_spent_budget()  # core refuses to delete an active program
            promo.unlink()
            program.exists().unlink()
            products.unlink()
            env.cr.commit()
            env.cr.execute("SELECT count(*) FROM store_promotion WHERE id = %s", [cls.promo_id])
            assert env.cr.fetchone()[0] == 0, "concurrency test data left behind"

    def test_two_tills_take_the_last_budget(self):
        barrier = threading.Barrier(2, timeout=10)
        counted, retried = [None, None], [False, False]

        def till(n):
            try:
                with real_env(self.registry) as env:
                    for attempt in range(2):
                        promo = env["store.promotion"].browse(self.promo_id)
                        try:
                            amount = min(30, promo._budget_left())  # what the server check allows
                            if attempt == 0:
                                barrier.wait()  # both read the budget before either counts
                            env["store.promotion"]._store_count({promo: amount})
                            env.cr.commit()
                            counted[n] = amount
                            return
                        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                            env.cr.rollback()
                            env.invalidate_all()
                            retried[n] = True
                    counted[n] = "serialization failure after a retry"
            except Exception as exc:  # reported by the assertions below
                counted[n] = repr(exc)

        two_tills_at_once(till)
        self.assertEqual(sorted(counted, key=str), [20, 30], "the second till gets what is left")
        self.assertIn(True, retried, "the second till got a serialization failure that Odoo retries")
        with real_env(self.registry) as env:
            promo = env["store.promotion"].browse(self.promo_id)
            self.assertEqual((promo.spent, promo.order_count), (50, 2), "no lost update, no overspend")
