from odoo import Command
from odoo.tests import tagged

from .common import MemberCommon


@tagged("post_install", "-at_install")
class TestHqLoyaltyEdits(MemberCommon):
    """HQ administrators edit loyalty programs as core's form does: core creates, renames and
    archives each reward's discount product with the rights of the editor, so the HQ role brings
    core's product right (Products: Create)."""

    def test_hq_admin_creates_renames_and_archives_rewards(self):
        self.assertTrue(self.hq_admin.has_group("product.group_product_manager"))
        program = self._coupon_program("测试会员券", user=self.hq_admin)
        reward = program.reward_ids
        self.assertTrue(reward.discount_line_product_id, "core made the reward's discount product")
        # A new reward on a chain program, then renamed: its discount product follows.
        points = self.points_program.with_user(self.hq_admin)
        points.write(
            {
                "reward_ids": [
                    Command.create(
                        {
                            "reward_type": "discount",
                            "discount_mode": "per_point",
                            "discount": 0.01,
                            "required_points": 100,
                            "discount_applicability": "order",
                        }
                    )
                ]
            }
        )
        new_reward = points.reward_ids.sorted("id")[-1]
        new_reward.write({"description": "积分抵现"})
        self.assertEqual(new_reward.discount_line_product_id.name, "积分抵现")
        # Archiving a program archives its rewards and their discount products.
        program.action_archive()
        self.assertFalse(reward.active)
        self.assertFalse(reward.discount_line_product_id.active)
