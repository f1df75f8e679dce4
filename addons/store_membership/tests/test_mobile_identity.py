import importlib.util
from pathlib import Path

from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.store_membership.models.res_partner import normalize_mobile

from .common import MemberCommon

MIGRATION = Path(__file__).parents[1] / "migrations" / "19.0.1.3.0" / "post-migrate.py"


@tagged("post_install", "-at_install")
class TestMobileIdentity(MemberCommon):
    """A mainland mobile is the chain's 11-digit key; a foreign mobile is stored in E.164 with its
    country code and is never taken for a mainland one (parsed by phonenumbers)."""

    def _register(self, mobile, name="Foreign", user=None):
        Partner = self.env["res.partner"].with_user(user or self.cashier_a)
        return Partner.store_member_register({"mobile": mobile, "name": name})

    def test_foreign_mobiles_are_stored_in_e164(self):
        for written, e164, masked in (
            ("+852 9123 4567", "+85291234567", "+852 ****4567"),
            ("＋８１ 90-1234-5678", "+819012345678", "+81 ****5678"),
            ("+1 (385) 555-0123", "+13855550123", "+1 ****0123"),
        ):
            with self.subTest(written=written):
                info = self._register(written)
                self.assertFalse(info["existing"])
                member = self.env["res.partner"].browse(info["id"])
                self.assertEqual(member.sudo().member_mobile, e164)
                self.assertEqual(member.phone, masked)
                self.assertEqual(info["phone_masked"], masked)

    def test_one_foreign_mobile_is_one_member_however_it_is_written(self):
        first = self._register("+852 9123 4567")
        for written in ("0085291234567", "+852-9123-4567", "＋８５２ ９１２３ ４５６７"):
            with self.subTest(written=written):
                again = self._register(written)
                self.assertTrue(again["existing"])
                self.assertEqual(again["id"], first["id"])
        found = self.env["res.partner"].with_user(self.cashier_a).store_member_lookup("+852 9123 4567")
        self.assertEqual(found["id"], first["id"])

    def test_foreign_and_mainland_numbers_sharing_digits_are_two_members(self):
        mainland = self._register("13855550123", "大陆会员")
        us = self._register("+1 385 555 0123", "US member")
        self.assertFalse(us["existing"], "+1 385… is not the mainland 1385…")
        self.assertNotEqual(us["id"], mainland["id"])
        Partner = self.env["res.partner"].with_user(self.cashier_a)
        self.assertEqual(Partner.store_member_lookup("13855550123")["id"], mainland["id"])
        self.assertEqual(Partner.store_member_lookup("001 385 555 0123")["id"], us["id"])
        # Without its country code a foreign number is read as a mainland one, and it is none.
        self.assertFalse(normalize_mobile("85291234567"))
        self.assertFalse(normalize_mobile("91234567"))
        self.assertEqual(normalize_mobile("+86 138 5555 0123"), "13855550123")

    def test_a_foreign_mobile_is_unique_too(self):
        self._register("+852 9123 4567")
        other = self.env["res.partner"].browse(self._register("13900139000", "李四")["id"])
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.cr.savepoint():
            other.write({"member_mobile": "00852 9123 4567"})
            other.flush_recordset()

    def test_invalid_numbers_get_an_error_naming_the_field(self):
        for bad in (
            "+852 1234",  # too short
            "+852 2123 4567",  # a Hong Kong landline, not a mobile
            "+44 1385 550123",  # a UK landline
            "+86 10 1234 5678",  # a Beijing landline
            "+1-800-FLOWERS",  # letters
            "91234567",  # a foreign mobile without its country code
        ):
            with self.subTest(bad=bad):
                with self.assertRaisesRegex(ValidationError, r"^Mobile: .* country code"):
                    self._register(bad)
                with self.assertRaisesRegex(ValidationError, "^手机号：.*国家/地区代码"):
                    self.env["res.partner"].with_user(self.cashier_a).with_context(
                        lang="zh_CN"
                    ).store_member_register({"mobile": bad, "name": "X"})
        with self.assertRaisesRegex(ValidationError, r"^Mobile: .* country code"):
            self.member.write({"member_mobile": "+852 2123 4567"})

    def _migrate(self):
        spec = importlib.util.spec_from_file_location("store_membership_post_migrate_19_0_1_3_0", MIGRATION)
        script = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(script)
        self.env.flush_all()
        script.migrate(self.env.cr, "19.0.1.2.0")
        self.env.invalidate_all()

    def test_migration_stores_foreign_mobiles_in_e164(self):
        Partner = self.env["res.partner"]
        hk, jp, twin, bad, mainland = (
            Partner.browse(Partner.store_member_register({"mobile": m, "name": n})["id"])
            for m, n in (
                ("13700137000", "HK"),
                ("13700137001", "JP"),
                ("13700137002", "HK twin"),
                ("13700137003", "Bad"),
                ("13700137004", "大陆"),
            )
        )
        self.env.flush_all()
        # As 19.0.1.2.0 left them: numbers that were no mainland mobile, as typed.
        for partner, raw in (
            (hk, "+852 9123 4567"),
            (jp, "＋８１ 90 1234 5678"),
            (twin, "00852-9123-4567"),
            (bad, "+852 1234"),
        ):
            self.env.cr.execute("UPDATE res_partner SET member_mobile = %s WHERE id = %s", [raw, partner.id])
        self._migrate()
        self.assertEqual(hk.sudo().member_mobile, "+85291234567")
        self.assertEqual(hk.phone, "+852 ****4567")
        self.assertEqual(jp.sudo().member_mobile, "+819012345678")
        self.assertEqual(twin.sudo().member_mobile, "00852-9123-4567", "another member's number: left to HQ")
        self.assertEqual(bad.sudo().member_mobile, "+852 1234", "no valid mobile: left as it is")
        self.assertEqual(mainland.sudo().member_mobile, "13700137004")
        self.assertEqual(Partner.store_member_lookup("+852 9123 4567")["id"], hk.id)
