from lxml import etree

from odoo.tests import tagged

from .common import MemberCommon

MEMBER_FIELDS = (
    "member_number",
    "member_tier_id",
    "home_store_id",
    "member_staff_id",
    "member_birthday",
    "member_points",
    "member_stored_value",
    "member_sv_principal",
    "member_sv_bonus",
)


@tagged("post_install", "-at_install")
class TestMemberForm(MemberCommon):
    """The Members menu opens a member on what the stores serve them by, with buttons to their
    ledger, POS orders and coupons, without the company-contact fields."""

    def _member_form(self, user):
        action = self.env.ref("store_membership.res_partner_action_member")
        views = [[view.view_id.id, view.view_mode] for view in action.view_ids]
        result = self.env["res.partner"].with_user(user).get_views(views)
        return etree.fromstring(result["views"]["form"]["arch"])

    def test_the_member_form_opens_on_the_member(self):
        arch = self._member_form(self.manager_a)
        sheet_order = [node for node in arch.iter() if node.tag in ("group", "field")]
        member_group = arch.xpath("//group[@name='store_member']")[0]
        self.assertEqual(member_group.get("invisible"), "not is_member")
        for name in MEMBER_FIELDS:
            self.assertTrue(member_group.xpath(f".//field[@name='{name}']"), f"{name} on the member card")
        # the masked mobile is in the header, above the member card, read-only for a member
        phone = arch.xpath("//sheet/div[hasclass('mb8')]//field[@name='phone']")[0]
        self.assertEqual(phone.get("readonly"), "is_member")
        # the member card comes before the company-contact group
        parent = arch.xpath("//field[@name='parent_id']")[0]
        self.assertLess(sheet_order.index(member_group), sheet_order.index(parent))
        for name in ("parent_id", "function", "vat", "website", "company_type"):
            node = arch.xpath(f"//field[@name='{name}']")[0]
            self.assertIn("is_member", node.get("invisible", ""), f"{name} is hidden for members")
        contacts = arch.xpath("//page[@name='contact_addresses']")[0]
        self.assertIn("is_member", contacts.get("invisible"))
        # privacy: no address nor e-mail for store staff
        self.assertEqual(arch.xpath("//span[@name='address_name']")[0].get("invisible"), "store_hide_address")
        email = arch.xpath("//sheet/div[hasclass('mb8')]//field[@name='email']/..")[0]
        self.assertEqual(email.get("invisible"), "store_hide_address")
        # the full mobile is HQ member admins' only
        self.assertFalse(arch.xpath("//field[@name='member_mobile']"))
        buttons = {button.get("name") for button in arch.xpath("//div[@name='button_box']/button")}
        self.assertLessEqual(
            {"action_store_member_ledger", "action_store_member_coupons", "action_view_pos_order"}, buttons
        )

    def test_smart_buttons_as_a_store_manager(self):
        self.store_a.manager_id = self.manager_a
        order_a = self._sync(self._order_data(self.store_a, [(self.product, 1, 30.0)], partner=self.member))
        order_b = self._sync(self._order_data(self.store_b, [(self.product, 1, 20.0)], partner=self.member))
        other = self.env["res.partner"].browse(
            self.env["res.partner"].store_member_register({"mobile": "13900139000", "name": "李四"})["id"]
        )
        self._sync(self._order_data(self.store_a, [(self.product, 1, 10.0)], partner=other))
        coupon_program = self.env["loyalty.program"].create(
            {"name": "测试优惠券", "program_type": "coupons", "trigger": "with_code"}
        )
        coupon = self.env["loyalty.card"].create(
            {"program_id": coupon_program.id, "partner_id": self.member.id, "points": 1}
        )
        self.env["loyalty.card"].create(
            {"program_id": coupon_program.id, "partner_id": other.id, "points": 1}
        )

        member = self.member.with_user(self.manager_a)
        # the ledger: this member's chain card lines of the manager's store only
        action = member.action_store_member_ledger()
        self.assertEqual(action["res_model"], "loyalty.history")
        lines = self.env["loyalty.history"].with_user(self.manager_a).search(action["domain"])
        self.assertEqual(lines.partner_id, self.member)
        self.assertEqual(lines.pos_order_id, order_a)
        self.assertEqual(set(lines.mapped("store_chain_role")), {"points"})
        self.assertEqual(member.member_ledger_count, len(lines))
        # POS orders (core's button): this member's, of the manager's store
        action = member.action_view_pos_order()
        orders = self.env["pos.order"].with_user(self.manager_a).search(action["domain"])
        self.assertEqual(orders, order_a)
        self.assertNotIn(order_b, orders)
        # coupons: the member's, not the chain's points and stored value cards
        action = member.action_store_member_coupons()
        self.assertEqual(action["res_model"], "loyalty.card")
        cards = self.env["loyalty.card"].with_user(self.manager_a).search(action["domain"])
        self.assertEqual(cards, coupon)
        self.assertEqual(member.member_coupon_count, 1)

    def test_balances_on_the_form(self):
        data = self._order_data(self.store_a, [(self.topup_product, 1, 100.0)], partner=self.member)
        self._sync(data)
        self.env.invalidate_all()  # a new request: the cards' balances are computed afresh
        member = self.member.with_user(self.manager_a)
        self.assertEqual(
            (member.member_stored_value, member.member_sv_principal, member.member_sv_bonus), (120, 100, 20)
        )
        self.assertEqual(member.read(["member_number"])[0]["member_number"], self.member.member_number)
