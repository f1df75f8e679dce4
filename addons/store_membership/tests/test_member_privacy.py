import json

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import MemberCommon

EMAIL = "zhangsan.private@example.cn"
STREET = "徐汇区漕溪北路 1 号"
MOBILE = "13800138000"


@tagged("post_install", "-at_install")
class TestMemberPrivacy(MemberCommon):
    """No read method gives store staff a member's address, e-mail or full mobile; HQ member
    admins get the full mobile through the logged reveal only, never from a list."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.member.sudo().write({"street": STREET, "city": "上海", "zip": "200030", "email": EMAIL})

    def _responses(self, user):
        """What each read method of res.partner answers ``user`` about the member."""
        Partner = self.env["res.partner"].with_user(user)
        member = self.member.with_user(user)
        domain = [("id", "=", self.member.id)]
        every = [
            "name",
            "phone",
            "email",
            "email_normalized",
            "email_formatted",
            "street",
            "street2",
            "city",
            "zip",
            "contact_address",
            "contact_address_inline",
            "invoice_emails",
            "member_mobile",
        ]
        readable = [f for f in every if Partner._has_field_access(Partner._fields[f], "read")]
        spec = {name: {} for name in readable}
        yield "read", member.read(readable)
        yield "search_read", Partner.search_read(domain, readable)
        yield "web_read", member.web_read(spec)
        yield "web_search_read", Partner.web_search_read(domain, spec)
        yield "name_search", Partner.with_context(show_email=True, show_address=True).name_search("张三")
        yield "display_name", member.with_context(show_email=True, show_address=True).display_name
        yield "pos data", Partner._load_pos_data_read(member, self.store_a.pos_config_ids[:1])
        # A partner's fields read through a many2one of another record (a POS order's customer).
        order = self._sync(self._order_data(self.store_a, [(self.product, 1, 10.0)], partner=self.member))
        yield (
            "web_read of an order's customer",
            order.with_user(user).web_read({"partner_id": {"fields": spec}}),
        )
        for groupby in ("email", "street", "city", "zip"):
            for method in ("read_group", "formatted_read_group"):
                try:
                    if method == "read_group":
                        answer = Partner.read_group(domain, [groupby], [groupby])
                    else:
                        answer = Partner.formatted_read_group(domain, [groupby], ["__count"])
                except AccessError:
                    answer = "refused"
                yield f"{method} by {groupby}", answer
        try:
            answer = member.export_data(["email", "street"])
        except UserError:
            answer = "refused"
        yield "export_data", answer

    def test_store_staff_get_no_member_address_email_or_full_mobile(self):
        for user in (self.cashier_a, self.manager_a):
            for method, answer in self._responses(user):
                with self.subTest(user=user.login, method=method):
                    text = json.dumps(answer, default=str, ensure_ascii=False)
                    for secret in (EMAIL, "private@", STREET, "漕溪北路", "200030", MOBILE):
                        self.assertNotIn(secret, text)

    def test_hq_analyst_sees_the_address(self):
        row = self.member.with_user(self.analyst).read(["street", "email"])[0]
        self.assertEqual((row["street"], row["email"]), (STREET, EMAIL))

    def test_hq_member_admin_lists_masked_mobiles_and_reveals_through_the_log(self):
        Partner = self.env["res.partner"].with_user(self.hq_admin)
        row = Partner.search_read([("id", "=", self.member.id)], ["member_mobile", "phone"])[0]
        self.assertEqual(row["member_mobile"], "138****8000")
        self.assertEqual(
            self.member.with_user(self.hq_admin).web_read({"member_mobile": {}})[0]["member_mobile"],
            "138****8000",
        )
        wizard = (
            self.env["store.member.unmask"]
            .with_user(self.hq_admin)
            .create({"partner_id": self.member.id, "reason": "会员来电核实"})
        )
        wizard.action_unmask()
        self.assertEqual(wizard.read(["mobile"])[0]["mobile"], MOBILE)
        self.assertTrue(self.env["store.member.unmask.log"].search([("partner_id", "=", self.member.id)]))

    def test_store_staff_may_group_other_fields(self):
        groups = (
            self.env["res.partner"]
            .with_user(self.manager_a)
            .formatted_read_group([("id", "=", self.member.id)], ["is_member"], ["__count"])
        )
        self.assertEqual(groups[0]["__count"], 1)

    def test_store_managers_cannot_archive_delete_or_vcard_members(self):
        # Even one allowed to manage contacts (core's Contact Creation right).
        self.manager_a.group_ids += self.env.ref("base.group_partner_manager")
        member = self.member.with_user(self.manager_a)
        with self.assertRaisesRegex(UserError, "archived by HQ member admins"):
            member.action_archive()
        with self.assertRaisesRegex(UserError, "archived by HQ member admins"):
            member.write({"active": False})
        with self.assertRaisesRegex(UserError, "deleted by HQ member admins"):
            member.unlink()
        with self.assertRaisesRegex(UserError, "HQ roles only"):
            member._get_vcard_file()
        # HQ's vCard is logged as an export.
        self.assertIn(b"BEGIN:VCARD", self.member.with_user(self.analyst)._get_vcard_file())
        log = self.env["store.member.unmask.log"].search([("kind", "=", "export"), ("reason", "=", "vCard")])
        self.assertEqual(log.user_id, self.analyst)
