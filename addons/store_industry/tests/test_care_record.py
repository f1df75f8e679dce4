import base64
import io
from datetime import timedelta

from PIL import Image

from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import CareCommon

HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


def image_bytes(fmt="PNG", size=(40, 30)):
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 120, 30)).save(buf, fmt)
    return buf.getvalue()


@tagged("post_install", "-at_install")
class TestCareRecordIsolation(CareCommon):
    def test_own_store_writes_a_visited_store_reads_others_see_nothing(self):
        record_a = self._care(self.cashier_a, self.store_a, employee_id=self.beautician_a.id, note="补水")
        # store B has not seen the member: nothing of store A's care records
        self.assertFalse(self.Care.with_user(self.manager_b).search([]))
        with self.assertRaises(AccessError):
            record_a.with_user(self.manager_b).read(["note"])
        self.assertEqual(self.member.with_user(self.manager_b).store_care_record_count, 0)
        # the member visits store B: its staff now read the member's history, store A's included...
        record_b = self._care(self.manager_b, self.store_b, employee_id=self.beautician_b.id)
        self.assertEqual(self.Care.with_user(self.cashier_b).search([]), record_a | record_b)
        self.assertEqual(record_a.with_user(self.cashier_b).note, "补水")
        self.assertEqual(self.member.with_user(self.cashier_b).store_care_record_count, 2)
        # ... but only store A writes or deletes store A's record
        with self.assertRaises(AccessError):
            record_a.with_user(self.manager_b).write({"note": "改写"})
        with self.assertRaises(AccessError):
            record_a.with_user(self.manager_b).unlink()
        record_a.with_user(self.cashier_a).write({"note": "补水+舒缓"})
        self.assertEqual(record_a.note, "补水+舒缓")
        # HQ reads every record and writes none
        self.assertEqual(self.Care.with_user(self.analyst).search([]), record_a | record_b)
        with self.assertRaises(AccessError):
            record_a.with_user(self.hq_admin).write({"note": "总部改写"})

    def test_store_user_cannot_create_or_move_a_record_into_another_store(self):
        with self.assertRaises(AccessError):
            self._care(self.cashier_a, self.store_b)
        record = self._care(self.cashier_a, self.store_a)
        with self.assertRaises(AccessError):
            record.with_user(self.cashier_a).write({"store_id": self.store_b.id})
        self.assertEqual(record.store_id, self.store_a)
        # the reminder date is the job's
        with self.assertRaises(AccessError):
            record.with_user(self.cashier_a).write({"reminder_date": fields.Date.today()})
        with self.assertRaises(AccessError):
            self._care(self.cashier_a, self.store_a, reminder_date=fields.Date.today())
        # another store's beautician is refused
        with self.assertRaises(ValidationError):
            self._care(self.cashier_a, self.store_a, employee_id=self.beautician_b.id)
        with self.assertRaises(ValidationError):
            self._care(self.cashier_a, self.store_a, skin_moisture=120)

    def test_cashier_reads_the_record_without_the_members_phone_or_address(self):
        record = self._care(self.cashier_a, self.store_a, skin_type="dry", skin_moisture=32.5)
        self._care(self.manager_b, self.store_b)
        for user in (self.cashier_a, self.cashier_b):
            values = record.with_user(user).read()[0]
            text = repr(values)
            self.assertNotIn(self.mobile, text)
            self.assertNotIn("南京西路", text)
            self.assertNotIn("meili@example.com", text)
            self.assertEqual(values["skin_moisture"], 32.5)
            member = record.with_user(user).partner_id.read(["phone", "street", "email"])[0]
            self.assertEqual(member["phone"], "138****8001")
            self.assertFalse(member["street"] or member["email"])
            with self.assertRaises(AccessError):
                record.with_user(user).partner_id.read(["member_mobile"])


@tagged("post_install", "-at_install")
class TestCareRecordPhotos(CareCommon):
    """Before/after photos get the SOP photos' upload checks (store_pos_ext tools/photo.py)."""

    def test_a_file_that_is_not_a_photo_is_refused(self):
        record = self._care(self.cashier_a, self.store_a)
        as_cashier = record.with_user(self.cashier_a)
        with self.assertRaisesRegex(ValidationError, "Before photo: only JPG/PNG/WEBP photos are accepted"):
            as_cashier.photo_before = base64.b64encode(HTML)
        with self.assertRaisesRegex(ValidationError, "After photo: the photo could not be read"):
            as_cashier.write({"photo_after": "not base64!"})
        with self.assertRaises(ValidationError):
            self._care(
                self.cashier_a, self.store_a, photo_before=base64.b64encode(b"\x89PNG\r\n\x1a\n" + HTML)
            )
        self.assertFalse(record.photo_before or record.photo_after)

    def test_a_photo_is_stored_re_encoded_without_trailing_data(self):
        record = self._care(self.cashier_a, self.store_a, photo_before=base64.b64encode(image_bytes() + HTML))
        record.with_user(self.cashier_a).photo_after = base64.b64encode(image_bytes("JPEG"))
        before = base64.b64decode(record.photo_before)
        self.assertNotIn(b"<script>", before)
        with Image.open(io.BytesIO(before)) as image:
            self.assertEqual((image.format, image.size), ("PNG", (40, 30)))
        with Image.open(io.BytesIO(base64.b64decode(record.photo_after))) as image:
            self.assertEqual(image.format, "JPEG")

    def test_the_photo_attachment_cannot_be_forged(self):
        record = self._care(self.cashier_a, self.store_a)
        with self.assertRaises(AccessError):
            self.env["ir.attachment"].with_user(self.cashier_a).create(
                {
                    "name": "before.png",
                    "res_model": record._name,
                    "res_id": record.id,
                    "res_field": "photo_before",
                    "raw": image_bytes() + HTML,
                }
            )


@tagged("post_install", "-at_install")
class TestCareReminder(CareCommon):
    def setUp(self):
        super().setUp()
        self.today = fields.Date.today()

    def _activities(self, records):
        return self.env["mail.activity"].search(
            [("res_model", "=", "store.care.record"), ("res_id", "in", records.ids)]
        )

    def test_reminder_once_for_a_visit_due_within_the_days(self):
        due = self._care(self.cashier_a, self.store_a, next_visit_date=self.today + timedelta(days=2))
        later = self._care(self.cashier_a, self.store_a, next_visit_date=self.today + timedelta(days=10))
        later.date = self.today - timedelta(days=30)  # an older visit: the member came again since
        self.assertEqual(self.Care._remind_next_visits(self.today), due)
        activity = self._activities(due)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.manager_a)
        self.assertEqual(activity.date_deadline, self.today + timedelta(days=2))
        self.assertIn("李美丽", activity.summary)
        self.assertEqual(due.reminder_date, self.today)
        # the job runs again (the same day, the next day): no second activity
        self.assertFalse(self.Care._remind_next_visits(self.today))
        self.assertFalse(self.Care._remind_next_visits(self.today + timedelta(days=1)))
        self.assertEqual(len(self._activities(due)), 1)
        self.assertFalse(self._activities(later))

    def test_no_reminder_when_not_due_yet_or_the_member_came_again(self):
        first = self._care(self.cashier_a, self.store_a, next_visit_date=self.today + timedelta(days=5))
        self.assertFalse(self.Care._remind_next_visits(self.today))
        first.date = self.today - timedelta(days=20)
        self._care(self.manager_b, self.store_b)  # the member came to store B since
        self.assertFalse(self.Care._remind_next_visits(self.today + timedelta(days=3)))
        self.assertFalse(self._activities(first))

    def test_the_reminder_is_written_in_the_managers_language(self):
        self.manager_a.lang = "zh_CN"
        self.env["res.lang"]._activate_lang("zh_CN")
        due = self._care(self.cashier_a, self.store_a, next_visit_date=self.today + timedelta(days=1))
        self.Care._remind_next_visits(self.today)
        self.assertIn("下次护理", self._activities(due).summary)

    def test_a_new_due_date_is_reminded_again(self):
        due = self._care(self.cashier_a, self.store_a, next_visit_date=self.today + timedelta(days=1))
        self.Care._remind_next_visits(self.today)
        due.with_user(self.cashier_a).next_visit_date = self.today + timedelta(days=3)
        self.assertFalse(due.reminder_date)
        self.assertEqual(self.Care._remind_next_visits(self.today), due)
        self.assertEqual(len(self._activities(due)), 2)
