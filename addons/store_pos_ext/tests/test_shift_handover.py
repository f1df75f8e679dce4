import importlib.util
from pathlib import Path

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged

from .test_checklist import ChecklistCommon, make_template, png

MIGRATION = Path(__file__).parents[1] / "migrations" / "19.0.1.4.0" / "pre-migrate.py"


@tagged("post_install", "-at_install")
class TestSessionCloseGate(ChecklistCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.closing = make_template(
            cls.env,
            "闭店检查",
            cls.store_a,
            schedule="closing",
            items=[{"name": "现金已清点", "kind": "check"}, {"name": "闭店照片", "kind": "photo"}],
        )

    def _open_session(self):
        config = self.store_a.pos_config_ids
        config.with_user(self.cashier_a).open_ui()
        return config.current_session_id

    def test_close_blocked_until_closing_checklist_done(self):
        self.store_a.require_closing_checklist = True
        session = self._open_session().with_user(self.cashier_a)
        result = session.close_session_from_ui()
        self.assertFalse(result["successful"])
        self.assertIn("闭店检查", result["message"])
        self.assertNotIn(session.state, ("closing_control", "closed"))
        with self.assertRaisesRegex(UserError, "closing checklists"):
            session.action_pos_session_closing_control()
        checklist = self.env["store.checklist"].search(
            [("template_id", "=", self.closing.id), ("store_id", "=", self.store_a.id)]
        )
        self.assertEqual(len(checklist), 1, "the gate created today's closing checklist")
        lines = checklist.line_ids.with_user(self.cashier_a)
        lines.filtered(lambda line: line.kind == "check").value_check = True
        lines.filtered(lambda line: line.kind == "photo").photo = png()
        checklist.with_user(self.cashier_a).action_done()
        session.post_closing_cash_details(0)
        result = session.close_session_from_ui()
        self.assertTrue(result["successful"], result)
        self.assertEqual(session.state, "closed")

    def test_no_gate_when_the_store_does_not_require_it(self):
        session = self._open_session().with_user(self.cashier_a)
        session.post_closing_cash_details(0)
        self.assertTrue(session.close_session_from_ui()["successful"])

    def test_session_checklists_are_created_and_gate_the_session(self):
        self.store_a.require_closing_checklist = True
        self.closing.active = False
        per_session = self.template.copy({"name": "班次交接检查", "schedule": "session"})
        session = self._open_session()
        checklist = session.checklist_ids
        self.assertEqual(checklist.template_id, per_session)
        self.assertFalse(session.with_user(self.cashier_a).close_session_from_ui()["successful"])
        self._fill(checklist)
        checklist.with_user(self.cashier_a).action_done()
        session.with_user(self.cashier_a).post_closing_cash_details(0)
        self.assertTrue(session.with_user(self.cashier_a).close_session_from_ui()["successful"])

    def test_handover_is_shown_to_the_next_session(self):
        session = self._open_session()
        handover = (
            self.env["store.shift.handover"]
            .with_user(self.cashier_a)
            .create(
                {
                    "session_id": session.id,
                    "cash_counted": 120.0,
                    "open_issues": "冷柜2号温度偏高，已报修",
                    "carried_items": "明早鲜奶到货需上架",
                }
            )
        )
        self.assertEqual(handover.store_id, self.store_a)
        self.assertEqual(session.handover_id, handover)
        session.with_user(self.cashier_a).post_closing_cash_details(0)
        session.with_user(self.cashier_a).close_session_from_ui()
        next_session = self._open_session()
        self.assertNotEqual(next_session, session)
        self.assertEqual(handover.next_session_id, next_session)
        self.assertEqual(next_session.previous_handover_id, handover)
        handover.with_user(self.manager_a).action_acknowledge()
        self.assertEqual(handover.acknowledged_by_id, self.manager_a)
        with self.assertRaises(AccessError):
            handover.with_user(self.cashier_a).write({"acknowledged_by_id": self.cashier_a.id})
        with self.assertRaises(AccessError):
            handover.with_user(self.cashier_a).write({"next_session_id": session.id})
        with self.assertRaises(AccessError):
            self.env["store.shift.handover"].with_user(self.cashier_a).create(
                {"session_id": next_session.id, "acknowledged_by_id": self.manager_a.id}
            )

    def test_a_cashier_cannot_write_another_stores_handover(self):
        """Naming store B's session with their own store, a cashier of A would read B's expected
        cash and block B's own note (one note per session)."""
        config_b = self.store_b.pos_config_ids[:1]
        config_b.with_user(self.manager_b).open_ui()
        session_b = config_b.current_session_id
        Handover = self.env["store.shift.handover"].with_user(self.cashier_a)
        with self.assertRaises(AccessError):
            Handover.create({"session_id": session_b.id, "store_id": self.store_a.id, "cash_counted": 1})
        self.assertFalse(self.env["store.shift.handover"].search([("session_id", "=", session_b.id)]))
        own = self.env["store.shift.handover"].with_user(self.manager_b).create({"session_id": session_b.id})
        self.assertEqual(own.store_id, self.store_b)
        with self.assertRaises(ValidationError):
            own.sudo().store_id = self.store_a

    def test_the_cash_difference_is_computed_never_written(self):
        """Writing the expected cash (computed from the session) or the difference would store a
        made-up difference: a shortfall hidden from the next shift and HQ."""
        session = self._open_session()
        handover = (
            self.env["store.shift.handover"]
            .with_user(self.cashier_a)
            .create({"session_id": session.id, "cash_counted": 80.0})
        )
        expected = session.cash_register_balance_end
        self.assertEqual(handover.cash_difference, 80.0 - expected)
        for user in (self.cashier_a, self.manager_a, self.hq_admin):
            for vals in (
                {"cash_difference": 0.0},
                {"cash_expected": 80.0},
                {"cash_expected": 80.0, "cash_counted": 80.0},
            ):
                with self.subTest(user=user.login, vals=vals), self.assertRaises(AccessError):
                    handover.with_user(user).write(vals)
        with self.assertRaises(AccessError):
            self.env["store.shift.handover"].with_user(self.cashier_a).create(
                {"session_id": session.id, "cash_counted": 10.0, "cash_difference": 0.0}
            )
        handover.invalidate_recordset()
        self.assertEqual(handover.cash_difference, 80.0 - expected)
        handover.with_user(self.cashier_a).cash_counted = 90.0
        self.assertEqual(handover.cash_difference, 90.0 - expected)

    def test_the_expected_cash_is_the_balance_when_counted(self):
        """The note keeps the session's cash balance of when the cash was counted: a sale after it
        leaves the note's difference alone (it followed the session's running balance, and every
        order synced searched the session's notes). A recount takes the balance of then."""
        session = self._open_session()
        Handover = self.env["store.shift.handover"].with_user(self.cashier_a)
        handover = Handover.create({"session_id": session.id, "cash_counted": 80.0})
        expected = session.cash_register_balance_end
        self.assertEqual((handover.cash_expected, handover.cash_difference), (expected, 80.0 - expected))
        self._sync(self._order_data(self.store_a, [(self.product, 1, 30.0)]), user=self.cashier_a)
        session.invalidate_recordset()
        self.assertEqual(session.cash_register_balance_end, expected + 30.0, "the sale was paid in cash")
        handover.invalidate_recordset()
        self.assertEqual((handover.cash_expected, handover.cash_difference), (expected, 80.0 - expected))
        handover.cash_counted = 110.0
        self.assertEqual(
            (handover.cash_expected, handover.cash_difference), (expected + 30.0, 80.0 - expected)
        )

    def test_migration_keeps_each_notes_difference(self):
        """19.0.1.3.0 stored the difference only; the migration gives each note the expected cash
        that makes the difference it showed (counted - difference), not today's balance."""
        session = self._open_session()
        handover = self.env["store.shift.handover"].create({"session_id": session.id, "cash_counted": 80.0})
        self.env.flush_all()
        cr = self.env.cr
        cr.execute("ALTER TABLE store_shift_handover DROP COLUMN cash_expected")
        cr.execute("UPDATE store_shift_handover SET cash_difference = -12.5 WHERE id = %s", [handover.id])
        spec = importlib.util.spec_from_file_location("store_pos_ext_pre_migrate_19_0_1_4_0", MIGRATION)
        script = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(script)
        script.migrate(cr, "19.0.1.3.0")
        self.env.invalidate_all()
        self.assertEqual((handover.cash_expected, handover.cash_difference), (92.5, -12.5))


@tagged("post_install", "-at_install")
class TestHandoverInPos(HttpCase):
    """The next shift's cashier sees the handover note when opening the register."""

    def test_handover_shown_when_the_next_session_opens(self):
        self.env["res.lang"]._activate_lang("en_US")  # core's tour helpers match English texts
        store = self.env["store.store"].create({"name": "交班测试店", "code": "HAND"})
        cashier = new_test_user(
            self.env, login="hand_cashier", groups="store_pos_ext.group_store_user", lang="en_US"
        )
        cashier.store_ids = store
        config = store.pos_config_ids
        config.with_user(cashier).open_ui()
        session = config.current_session_id
        self.env["store.shift.handover"].with_user(cashier).create(
            {
                "session_id": session.id,
                "cash_counted": 88.0,
                "open_issues": "冷柜2号温度偏高，已报修",
                "carried_items": "明早鲜奶到货需上架",
            }
        )
        session.with_user(cashier).post_closing_cash_details(0)
        self.assertTrue(session.with_user(cashier).close_session_from_ui()["successful"])
        self.start_tour(f"/pos/ui/{config.id}", "store_handover_shown_at_opening", login="hand_cashier")
        self.assertNotEqual(config.current_session_id, session)
        self.assertIn("冷柜2号", config.current_session_id.previous_handover_summary)
