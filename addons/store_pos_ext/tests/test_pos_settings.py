from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import StoreCommon


@tagged("post_install", "-at_install")
class TestPosSettings(StoreCommon):
    """The settings of a store's POS are HQ's. Core lets every POS user write their POS, so a
    cashier could raise their own manual-discount limit, switch line discounts on, lift the
    managers-only price control, change the pricelist, the payment methods, or take stock from
    another store's warehouse: refused for store users, region managers included."""

    def test_store_users_cannot_change_the_settings_of_their_pos(self):
        config = self.store_a.pos_config_ids[:1]
        other_type = self.store_b.pos_config_ids[:1].picking_type_id
        pricelist = self.env["product.pricelist"].create({"name": "测试低价"})
        attacks = [
            {"store_discount_limit_cashier": 100.0},
            {"store_discount_limit_manager": 100.0},
            {"manual_discount": True},
            {"restrict_price_control": False},
            {"pricelist_id": pricelist.id},
            {"available_pricelist_ids": [Command.link(pricelist.id)]},
            {"payment_method_ids": [Command.clear()]},
            {"picking_type_id": other_type.id},
            {"store_id": self.store_b.id},
        ]
        before = config.read([next(iter(vals)) for vals in attacks])[0]
        for user in (self.cashier_a, self.manager_a, self.region_mgr):
            for vals in attacks:
                with self.subTest(user=user.login, field=next(iter(vals))), self.assertRaises(AccessError):
                    config.with_user(user).write(vals)
        self.env.invalidate_all()
        self.assertEqual(config.read(list(before))[0], before, "nothing of the POS changed")

    def test_hq_configures_store_pos_and_core_users_keep_theirs(self):
        config = self.store_a.pos_config_ids[:1]
        config.with_user(self.hq_admin).write({"store_discount_limit_cashier": 5.0, "manual_discount": True})
        self.assertEqual(config.store_discount_limit_cashier, 5.0)
        # A POS without a store keeps core's rights (a POS administrator without a chain role).
        plain_config = self.env["pos.config"].create({"name": "测试无门店收银台"})
        plain = new_test_user(self.env, login="t_plain_pos_admin", groups="point_of_sale.group_pos_manager")
        plain_config.with_user(plain).write({"manual_discount": True})
        self.assertTrue(plain_config.manual_discount)
