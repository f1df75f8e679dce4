from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import MemberCommon


@tagged("post_install", "-at_install")
class TestRegistrationInput(MemberCommon):
    """Registration with values of the wrong type names the field and creates nothing."""

    def test_bad_types_name_the_field(self):
        Partner = self.env["res.partner"].with_user(self.cashier_a)
        before = Partner.sudo().search_count([("is_member", "=", True)])
        for args, message in (
            (({"mobile": "13900139000", "name": 123},), "Name"),
            (({"mobile": "13900139000", "name": "李四", "birthday": 19900101},), "Birthday"),
            (({"mobile": ["13900139000"], "name": "李四"},), "Mobile"),
            ((["13900139000", "李四"],), "Registration"),
            (({"mobile": "13900139000", "name": "李四"}, "pos"), "config_id"),
            (({"mobile": "13900139000", "name": "李四"}, False, "店长"), "employee_id"),
        ):
            with self.subTest(args=args), self.assertRaisesRegex(ValidationError, message):
                Partner.store_member_register(*args)
        self.assertEqual(Partner.sudo().search_count([("is_member", "=", True)]), before)
