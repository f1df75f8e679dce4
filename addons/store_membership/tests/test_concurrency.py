"""Two tills spend the same balance at the same moment, each in its own database transaction.

The test framework runs every registry cursor of a test on one connection, so these tests open
real connections (``db_connect(...).cursor()``), commit their setup data and delete it again
(ledger lines and chain cards by SQL: the ORM refuses to delete them).

Odoo runs its transactions at REPEATABLE READ: there the second till's row lock fails with a
serialization error once the first till commits, and Odoo retries the request, which then sees
the new balance. (Without the lock the snapshot would still stop it, later, at the UPDATE of the
card.) At READ COMMITTED only the ``FOR UPDATE`` of ``loyalty.card._store_lock`` keeps the second
till from spending a balance it read before the first till committed: the ``read_committed``
tests fail if that lock is removed (both tills then spend the 80 points).
"""
# These tests commit on purpose, on their own connections only, and delete what they committed.
# pylint: disable=invalid-commit

import threading
import uuid

from psycopg2.extensions import ISOLATION_LEVEL_READ_COMMITTED

from odoo import Command
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tests import TransactionCase, tagged

from odoo.addons.store_pos_ext.models.server_guard import server_write

from ..models.loyalty_card import StoreInsufficientBalance
from .common import real_env, two_tills_at_once


@tagged("post_install", "-at_install")
class TestConcurrency(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tag = uuid.uuid4().hex[:8]
        with cls._real_env() as env:
            Program = env["loyalty.program"]
            # Company-less programs: the unique (company, role) index ignores them, so the committed
            # data cannot collide with a chain program the database already has.
            common = {
                "company_id": False,
                "currency_id": env.company.currency_id.id,
                "rule_ids": [Command.clear()],
            }
            points = Program.create(
                {
                    **common,
                    "name": f"并发积分 {cls.tag}",
                    "program_type": "loyalty",
                    "store_chain_role": "points",
                }
            )
            sv = Program.create(
                {
                    **common,
                    "name": f"并发储值 {cls.tag}",
                    "program_type": "ewallet",
                    "applies_on": "future",
                    "store_chain_role": "stored_value",
                }
            )
            partner = env["res.partner"].create({"name": f"并发会员 {cls.tag}"})
            Card = env["loyalty.card"].with_context(action_no_send_mail=True)
            with server_write():
                cards = Card.create(
                    [
                        {
                            "program_id": program.id,
                            "partner_id": partner.id,
                            "points": 0,
                            "code": f"{cls.tag}-{n}",
                        }
                        for n, program in enumerate(points | sv)
                    ]
                )
            cards[0]._store_credit("adjust", 100, reason="setup")
            cards[1]._store_credit("topup", 100, reason="setup", sv_part="principal")
            env.cr.commit()
            cls.program_ids = (points | sv).ids
            cls.product_ids = (points | sv).reward_ids.discount_line_product_id.product_tmpl_id.ids
            cls.partner_id = partner.id
            cls.points_card_id, cls.sv_card_id = cards.ids
        cls.addClassCleanup(cls._cleanup)

    @classmethod
    def _real_env(cls, isolation=None):
        return real_env(cls.registry, isolation)

    @classmethod
    def _cleanup(cls):
        with cls._real_env() as env:
            cr = env.cr
            cards = (cls.points_card_id, cls.sv_card_id)
            cr.execute("DELETE FROM store_member_hold WHERE card_id IN %s", [cards])
            cr.execute("DELETE FROM loyalty_history WHERE card_id IN %s", [cards])
            cr.execute("DELETE FROM loyalty_card WHERE id IN %s", [cards])
            cr.execute("DELETE FROM loyalty_program WHERE id IN %s", [tuple(cls.program_ids)])
            env["res.partner"].browse(cls.partner_id).unlink()
            env["product.template"].browse(cls.product_ids).unlink()
            cr.commit()
            cr.execute("SELECT count(*) FROM loyalty_card WHERE id IN %s", [cards])
            assert cr.fetchone()[0] == 0, "concurrency test data left behind"

    def _reset(self, card_id, amount):
        """Put the card back to one batch of ``amount`` (the other test of the class may have spent it)."""
        with self._real_env() as env:
            env.cr.execute("DELETE FROM loyalty_history WHERE card_id = %s", [card_id])
            card = env["loyalty.card"].browse(card_id)
            card._store_set_points(0)
            card._store_credit(
                "adjust",
                amount,
                reason="reset",
                sv_part=card.store_chain_role == "stored_value" and "principal",
            )
            env.cr.commit()

    def _race(self, card_id, kind, amount, isolation=None):
        """Two threads, each on its own connection, read the card and then debit ``amount`` at the
        same moment; a serialization failure is retried once, like Odoo retries an RPC.
        Returns the outcome of each thread: 'ok', 'insufficient' or the error."""
        barrier = threading.Barrier(2, timeout=10)
        outcomes = [None, None]
        retried = [False, False]

        def till(n):
            try:
                with self._real_env(isolation) as env:
                    for attempt in range(2):
                        card = env["loyalty.card"].browse(card_id)
                        try:
                            if attempt == 0:
                                # Both tills read the member's balance (the order screen shows it)
                                # before either one writes.
                                self.assertEqual(card.points, 100)
                                barrier.wait()
                            card._store_debit(kind, amount, key=f"race:{self.tag}:{card_id}:{uuid.uuid4()}")
                            env.flush_all()
                            env.cr.commit()
                            outcomes[n] = "ok"
                            return
                        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                            env.cr.rollback()
                            env.invalidate_all()
                            retried[n] = True
                        except StoreInsufficientBalance:
                            env.cr.rollback()
                            outcomes[n] = "insufficient"
                            return
                    outcomes[n] = "serialization failure after a retry"
            except Exception as exc:  # reported by the assertions of the test
                outcomes[n] = repr(exc)

        two_tills_at_once(till)
        return sorted(outcomes), retried

    def _assert_one_spent(self, card_id, kind, outcomes):
        self.assertEqual(outcomes, ["insufficient", "ok"], "exactly one till spends the balance")
        with self._real_env() as env:
            card = env["loyalty.card"].browse(card_id)
            self.assertEqual(card.points, 20)
            lines = env["loyalty.history"].search([("card_id", "=", card_id)], order="id")
            self.assertEqual(lines.filtered(lambda h: h.kind == kind).mapped("amount"), [-80.0])
            self.assertAlmostEqual(
                sum(lines.mapped("amount")), card.points, msg="the ledger adds up to the balance"
            )
            self.assertGreaterEqual(min(lines.mapped("balance_after")), 0, "never negative")
            self.assertEqual(sum(lines.mapped("remaining")), 20, "the FIFO batches hold what is left")

    def test_two_tills_redeem_the_same_points(self):
        self._reset(self.points_card_id, 100)
        outcomes, retried = self._race(self.points_card_id, "redeem", 80)
        self._assert_one_spent(self.points_card_id, "redeem", outcomes)
        self.assertIn(True, retried, "the second till got a serialization failure that Odoo retries")

    def test_two_tills_pay_with_the_same_stored_value(self):
        self._reset(self.sv_card_id, 100)
        outcomes, retried = self._race(self.sv_card_id, "pay", 80)
        self._assert_one_spent(self.sv_card_id, "pay", outcomes)
        self.assertIn(True, retried)

    def test_two_tills_redeem_the_same_points_read_committed(self):
        self._reset(self.points_card_id, 100)
        outcomes, retried = self._race(self.points_card_id, "redeem", 80, ISOLATION_LEVEL_READ_COMMITTED)
        self._assert_one_spent(self.points_card_id, "redeem", outcomes)
        self.assertEqual(retried, [False, False], "the row lock, not a retry, stopped the second till")

    def test_two_tills_pay_with_the_same_stored_value_read_committed(self):
        self._reset(self.sv_card_id, 100)
        outcomes, _retried = self._race(self.sv_card_id, "pay", 80, ISOLATION_LEVEL_READ_COMMITTED)
        self._assert_one_spent(self.sv_card_id, "pay", outcomes)

    def _hold_race(self, isolation=None):
        """Each till holds 60 of the card's 100 at the same moment, after both read the balance.
        Returns (sorted outcomes, retried by till, total held on the card)."""
        self._reset(self.sv_card_id, 100)
        with self._real_env() as env:
            session = env["pos.session"].search([("config_id.store_id", "!=", False)], limit=1)
            self.assertTrue(session, "the demo chain has POS sessions")
            session_id = session.id
        barrier = threading.Barrier(2, timeout=10)
        outcomes, retried = [None, None], [False, False]

        def till(n):
            try:
                with self._real_env(isolation) as env:
                    for _attempt in range(3):
                        card = env["loyalty.card"].browse(self.sv_card_id)
                        try:
                            if not retried[n]:
                                self.assertEqual(card.points, 100)
                                barrier.wait()
                            answer = env["store.member.hold"]._authorize(
                                env["pos.session"].browse(session_id),
                                card,
                                "stored_value",
                                f"race:{self.tag}:{uuid.uuid4()}",
                                60,
                            )
                            env.flush_all()
                            env.cr.commit()
                            outcomes[n] = "held" if answer["authorized"] else "refused"
                            return
                        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                            env.cr.rollback()
                            env.invalidate_all()
                            retried[n] = True
                    outcomes[n] = "serialization failure after retries"
            except Exception as exc:  # reported by the assertions of the test
                outcomes[n] = repr(exc)

        try:
            two_tills_at_once(till)
            with self._real_env() as env:
                env.cr.execute(
                    "SELECT SUM(amount) FROM store_member_hold WHERE card_id = %s AND state = 'held'",
                    [self.sv_card_id],
                )
                held = env.cr.fetchone()[0]
            return sorted(outcomes), retried, held
        finally:
            with self._real_env() as env:
                env.cr.execute("DELETE FROM store_member_hold WHERE card_id = %s", [self.sv_card_id])
                env.cr.commit()

    def test_two_tills_hold_the_same_stored_value(self):
        """Each till holds 60 of the card's 100 at the same moment, after both read the balance:
        one hold is given, the other till is refused (after Odoo's retry), never 120 held."""
        outcomes, retried, held = self._hold_race()
        self.assertEqual(outcomes, ["held", "refused"], "exactly one till holds the balance")
        self.assertIn(True, retried, "the second till's snapshot predates the first hold: it is retried")
        self.assertEqual(held, 60)

    def test_two_tills_hold_the_same_stored_value_read_committed(self):
        """At READ COMMITTED the second till waits on the card's row lock, then adds up the holds
        in a statement of its own (a snapshot taken after the first till committed): refused
        without a retry, never 120 held."""
        outcomes, retried, held = self._hold_race(ISOLATION_LEVEL_READ_COMMITTED)
        self.assertEqual(outcomes, ["held", "refused"], "exactly one till holds the balance")
        self.assertEqual(retried, [False, False], "the row lock, not a retry, stopped the second till")
        self.assertEqual(held, 60)
