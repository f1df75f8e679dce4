from odoo.tests import tagged

from .common import MemberCommon


@tagged("post_install", "-at_install")
class TestPosLoading(MemberCommon):
    """Tills never preload members: they are found with store_member_lookup when they show their
    card or give their phone number."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create({"name": "普通客户"})
        # The member buys more often than the customer, so core's ranking would load them first.
        for _n in range(3):
            cls._sync(cls._order_data(cls.store_b, [(cls.product, 1, 10.0)], partner=cls.member))
        cls._sync(cls._order_data(cls.store_b, [(cls.product, 1, 10.0)], partner=cls.customer))
        cls.session = cls._session(cls.store_a)

    def test_pos_start_loads_customers_but_no_member(self):
        data = self.session.load_data(["pos.order", "res.partner"])
        loaded = {partner["id"] for partner in data["res.partner"]}
        self.assertIn(self.customer.id, loaded)
        self.assertNotIn(self.member.id, loaded)

    def test_loading_more_customers_skips_members(self):
        config = self.session.config_id
        ranked = [row[0] for row in config.get_limited_partners_loading()]
        self.assertIn(self.customer.id, ranked)
        self.assertNotIn(self.member.id, ranked)
        more = self.env["res.partner"].get_new_partner(config.id, [], 0)["res.partner"]
        self.assertNotIn(self.member.id, {partner["id"] for partner in more})
