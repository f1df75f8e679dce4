import base64
import io
from datetime import date, datetime, timedelta

from freezegun import freeze_time
from PIL import Image

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import StoreCommon


def png(width=40, height=30, fmt="PNG"):
    buf = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buf, fmt)
    return base64.b64encode(buf.getvalue())


PHONE_ITEMS = (
    {"name": "价签齐全", "kind": "check"},
    {"name": "端架照片", "kind": "photo"},
    {"name": "冷藏柜温度", "kind": "number", "use_range": True, "min_value": 2, "max_value": 8},
)
NOTE_ITEM = {"name": "备注", "kind": "text", "required": False}


def make_template(env, name, stores, schedule="daily", items=PHONE_ITEMS, **vals):
    """An SOP template for ``stores`` with ``items`` (dicts of store.sop.template.item values)."""
    return env["store.sop.template"].create(
        {
            "name": name,
            "schedule": schedule,
            "scope": "stores",
            "store_ids": [Command.set(stores.ids)],
            "item_ids": [Command.create(dict(item)) for item in items],
            **vals,
        }
    )


class ChecklistCommon(StoreCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.store_a.manager_id = cls.manager_a
        cls.template = make_template(
            cls.env, "冷柜与陈列", cls.store_a | cls.store_b, due_time=10.0, items=[*PHONE_ITEMS, NOTE_ITEM]
        )
        cls.day = date(2026, 3, 2)  # a Monday

    def _checklist(self, store=None):
        Checklist = self.env["store.checklist"]
        Checklist._generate(self.template, day=self.day)
        return Checklist.search(
            [("template_id", "=", self.template.id), ("store_id", "=", (store or self.store_a).id)]
        )

    def _line(self, records, kind):
        lines = records.line_ids if records._name == "store.checklist" else records
        return lines.filtered(lambda line: line.kind == kind)

    def _fill(self, checklist, user=None):
        lines = checklist.line_ids.with_user(user or self.cashier_a)
        self._line(lines, "check").value_check = True
        self._line(lines, "photo").photo = png()
        self._line(lines, "number").value_number = 4.5


@tagged("post_install", "-at_install")
class TestChecklistGeneration(ChecklistCommon):
    def test_generation_is_idempotent(self):
        Checklist = self.env["store.checklist"]
        first = Checklist._generate(self.template, day=self.day)
        self.assertEqual(first.store_id, self.store_a | self.store_b)
        self.assertEqual(len(first.line_ids), 8)
        self.assertFalse(Checklist._generate(self.template, day=self.day), "a second run creates nothing")
        self.assertEqual(Checklist.search_count([("template_id", "=", self.template.id)]), 2)
        self.assertEqual(len(Checklist._generate(self.template, day=self.day + timedelta(days=1))), 2)

    def test_due_time_is_local_store_time(self):
        checklist = self._checklist()
        # 10:00 in Shanghai is 02:00 UTC
        self.assertEqual(checklist.due_datetime, datetime(2026, 3, 2, 2, 0))

    def test_weekly_and_scopes(self):
        self.template.write({"schedule": "weekly", "weekday": "2"})  # Wednesday
        Checklist = self.env["store.checklist"]
        self.assertFalse(Checklist._generate(self.template, day=self.day))
        self.assertEqual(len(Checklist._generate(self.template, day=self.day + timedelta(days=2))), 2)
        self.store_c.industry = "beauty"
        self.template.write({"scope": "industry", "industry": "beauty", "schedule": "daily"})
        self.assertEqual(Checklist._generate(self.template, day=self.day).store_id, self.store_c)
        self.store_c.store_type = "mall"
        self.template.write({"scope": "store_type", "store_type": "mall"})
        self.assertEqual(self.template._get_stores(), self.store_c)

    def test_template_edit_does_not_rewrite_history(self):
        checklist = self._checklist()
        self.template.item_ids[0].name = "新名称"
        self.assertEqual(checklist.line_ids[0].name, "价签齐全")

    def test_cron_creates_today_for_each_store(self):
        with freeze_time("2026-03-02 01:00:00"):
            self.env["store.checklist"]._cron_generate()
            self.env["store.checklist"]._cron_generate()
        found = self.env["store.checklist"].search([("template_id", "=", self.template.id)])
        self.assertEqual(len(found), 2)
        self.assertEqual(set(found.mapped("date")), {date(2026, 3, 2)})


@tagged("post_install", "-at_install")
class TestChecklistCompletion(ChecklistCommon):
    def test_missing_photo_blocks_completion(self):
        checklist = self._checklist().with_user(self.cashier_a)
        self._line(checklist, "check").value_check = True
        self._line(checklist, "number").value_number = 5
        with self.assertRaisesRegex(ValidationError, "端架照片"):
            checklist.action_done()
        self.assertEqual(checklist.state, "open")

    def test_out_of_range_blocks_completion(self):
        checklist = self._checklist()
        self._fill(checklist)
        self._line(checklist, "number").with_user(self.cashier_a).value_number = 9.5
        self.assertTrue(self._line(checklist, "number").out_of_range)
        with self.assertRaisesRegex(ValidationError, "冷藏柜温度"):
            checklist.with_user(self.cashier_a).action_done()

    def test_zero_is_a_reading(self):
        checklist = self._checklist()
        line = self._line(checklist, "number")
        self.assertFalse(line.is_filled)
        line.with_user(self.cashier_a).value_number = 0
        self.assertTrue(line.is_filled)
        self.assertTrue(line.out_of_range)

    def test_complete_then_locked(self):
        checklist = self._checklist()
        self._fill(checklist)
        checklist.with_user(self.cashier_a).action_done()
        self.assertEqual(checklist.state, "done")
        self.assertEqual(checklist.done_by_id, self.cashier_a)
        self.assertEqual(checklist.progress, 75.0, "the optional note is not filled")
        with self.assertRaises(UserError):
            self._line(checklist, "check").with_user(self.cashier_a).value_check = False
        with self.assertRaises(UserError):
            checklist.with_user(self.cashier_a).unlink()

    def test_bad_uploads_are_rejected_and_nothing_saved(self):
        checklist = self._checklist()
        line = self._line(checklist, "photo").with_user(self.cashier_a)
        not_image = base64.b64encode(b"%PDF-1.4 not a photo")
        with self.assertRaisesRegex(ValidationError, "端架照片.*JPG/PNG/WEBP"):
            line.photo = not_image
        with self.assertRaisesRegex(ValidationError, "could not be read"):
            line.photo = b"@@@ not base64 @@@"
        huge = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"0" * (10 * 1024 * 1024 + 1))
        with self.assertRaisesRegex(ValidationError, "limit is 10 MB"):
            line.photo = huge
        self.assertFalse(line.photo)
        self.assertFalse(line.review_state)

    def test_photo_is_resized_on_the_server(self):
        line = self._line(self._checklist(), "photo").with_user(self.cashier_a)
        line.photo = png(4000, 3000, "JPEG")
        stored = Image.open(io.BytesIO(base64.b64decode(line.photo)))
        self.assertLessEqual(max(stored.size), 1920)
        self.assertEqual(line.review_state, "pending")

    def test_overdue_reminds_the_manager_once(self):
        checklist = self._checklist()
        with freeze_time("2026-03-02 03:00:00"):
            first = self.env["store.checklist"]._cron_check_overdue()
            again = self.env["store.checklist"]._cron_check_overdue()
        self.assertIn(checklist, first)
        self.assertFalse(again & checklist)
        activities = checklist.activity_ids
        self.assertEqual(len(activities), 1)
        self.assertEqual(activities.user_id, self.manager_a)
        self._fill(checklist)
        checklist.with_user(self.cashier_a).action_done()
        self.assertFalse(checklist.activity_ids, "completing closes the reminder")
        self.assertTrue(checklist.is_late)


@tagged("post_install", "-at_install")
class TestChecklistReview(ChecklistCommon):
    def setUp(self):
        super().setUp()
        self.checklist = self._checklist()
        self._fill(self.checklist)
        self.checklist.with_user(self.cashier_a).action_done()
        self.photo = self._line(self.checklist, "photo")

    def test_store_users_cannot_review(self):
        for user in (self.cashier_a, self.manager_a):
            with self.assertRaises(AccessError):
                self.photo.with_user(user).action_approve()
            with self.assertRaises(AccessError):
                self.photo.with_user(user).write({"review_state": "approved"})
        self.assertEqual(self.photo.review_state, "pending")

    def test_forged_writes_change_nothing(self):
        as_cashier = self.checklist.with_user(self.cashier_a)
        for vals in ({"state": "open"}, {"done_by_id": self.manager_a.id}, {"store_id": self.store_b.id}):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                as_cashier.write(vals)
        number = self._line(self.checklist, "number").with_user(self.cashier_a)
        for vals in ({"max_value": 100}, {"use_range": False}, {"required": False}, {"kind": "text"}):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                number.write(vals)
        line = self._line(self.checklist, "number")
        with self.assertRaises(AccessError):
            as_cashier.write({"line_ids": [Command.update(line.id, {"max_value": 100})]})
        with self.assertRaises(AccessError):
            as_cashier.write({"line_ids": [Command.create({"name": "x", "kind": "check"})]})
        with self.assertRaises(AccessError):
            as_cashier.write({"line_ids": [Command.delete(line.id)]})
        with self.assertRaises(AccessError):
            as_cashier.action_reopen()
        self.assertEqual(self.checklist.state, "done")
        self.assertEqual(self._line(self.checklist, "number").max_value, 8)
        self.checklist.with_user(self.manager_a).action_reopen()
        self.assertEqual(self.checklist.state, "open")

    def test_reject_needs_a_reason_then_reopens(self):
        photo = self.photo.with_user(self.hq_admin)
        with self.assertRaisesRegex(UserError, "write why"):
            photo.action_reject()
        photo.review_comment = "太暗，看不清价签"
        photo.action_reject()
        self.assertEqual(self.photo.review_state, "rejected")
        self.assertEqual(self.checklist.state, "open", "rejection reopens the checklist")
        self.assertEqual(self.checklist.activity_ids.user_id, self.manager_a)
        self.assertIn("太暗", self.checklist.message_ids[0].body)
        with self.assertRaisesRegex(ValidationError, "rejected"):
            self.checklist.with_user(self.cashier_a).action_done()
        self.photo.with_user(self.cashier_a).photo = png(50, 50)
        self.assertEqual(self.photo.review_state, "pending")
        self.checklist.with_user(self.cashier_a).action_done()
        self.assertEqual(self.checklist.state, "done")

    def test_region_manager_reviews_own_region_only(self):
        self.photo.with_user(self.region_mgr).action_approve()
        self.assertEqual(self.photo.review_state, "approved")
        self.assertEqual(self.photo.reviewer_id, self.region_mgr)
        other_template = self.template.copy({"scope": "stores", "store_ids": [Command.set(self.store_c.ids)]})
        checklist_c = self.env["store.checklist"]._generate(other_template, day=self.day)
        photo_c = self._line(checklist_c, "photo")
        photo_c.photo = png()
        with self.assertRaises(AccessError):
            photo_c.with_user(self.region_mgr).action_approve()


@tagged("post_install", "-at_install")
class TestChecklistIsolation(ChecklistCommon):
    def test_other_store_sees_nothing(self):
        checklist_a = self._checklist(self.store_a)
        checklist_b = self._checklist(self.store_b)
        handover_b = self.env["store.shift.handover"].create(
            {"session_id": self._sell(self.store_b).session_id.id}
        )
        for model, own, other in (
            ("store.checklist", checklist_a, checklist_b),
            ("store.checklist.line", checklist_a.line_ids, checklist_b.line_ids),
        ):
            Model = self.env[model].with_user(self.manager_a)
            self.assertEqual(Model.search([("id", "in", (own | other).ids)]), own)
            with self.assertRaises(AccessError):
                other.with_user(self.manager_a).read(["id"])
        Handover = self.env["store.shift.handover"].with_user(self.manager_a)
        self.assertFalse(Handover.search([("id", "=", handover_b.id)]))
        with self.assertRaises(AccessError):
            checklist_b.line_ids[0].with_user(self.manager_a).value_check = True
        self.assertEqual(
            self.env["store.checklist"]
            .with_user(self.analyst)
            .search_count([("id", "in", (checklist_a | checklist_b).ids)]),
            2,
        )
