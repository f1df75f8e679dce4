from datetime import datetime, time, timedelta

from odoo import Command, fields
from odoo.tests import new_test_user

from odoo.addons.store_pos_ext.tests.common import StoreCommon


class FreshCommon(StoreCommon):
    """StoreCommon's stores (Asia/Shanghai) with the company's markdown tiers 3 days → 30% and
    1 day → 50%, a lot-tracked milk with expiry dates, and one of its lots in store A expiring on
    ``cls.expiry_day`` at 10:00 Shanghai time (02:00 UTC)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Rule = cls.env["store.markdown.rule"]
        Rule.search([("company_id", "=", cls.env.company.id)]).unlink()
        Rule.create(
            [
                {"company_id": cls.env.company.id, "days": 3, "percent": 30},
                {"company_id": cls.env.company.id, "days": 1, "percent": 50},
            ]
        )
        cls.categ = cls.env["product.category"].create({"name": "测试乳品"})
        cls.milk = cls.env["product.product"].create(
            {
                "name": "测试鲜牛奶",
                "is_storable": True,
                "categ_id": cls.categ.id,
                "tracking": "lot",
                "use_expiration_date": True,
                "list_price": 10.0,
                "available_in_pos": True,
                "taxes_id": False,
            }
        )
        cls.expiry_day = fields.Date.today() + timedelta(days=10)
        cls.lot = cls._lot("TEST-LOT-1", cls.expiry_day)
        cls._set_qty(cls.store_a, cls.milk, 12, cls.lot)
        cls.Proposal = cls.env["store.markdown.proposal"]

    @classmethod
    def _lot(cls, name, day):
        return cls.env["stock.lot"].create(
            {
                "name": name,
                "product_id": cls.milk.id,
                "company_id": cls.env.company.id,
                "expiration_date": datetime.combine(day, time(2, 0)),
            }
        )

    @classmethod
    def _set_qty(cls, store, product, qty, lot=None):
        cls.env["stock.quant"].with_context(inventory_mode=True).create(
            {
                "product_id": product.id,
                "location_id": store.warehouse_id.lot_stock_id.id,
                "inventory_quantity": qty,
                "lot_id": lot and lot.id,
            }
        ).action_apply_inventory()

    def _days_before(self, days):
        """08:00 in Shanghai (00:00 UTC), ``days`` days before the lot's expiry day."""
        return datetime.combine(self.expiry_day - timedelta(days=days), time(0, 0))

    def _run(self, days_before, stores=None):
        self.Proposal._propose_markdowns(
            stores or (self.store_a | self.store_b), now=self._days_before(days_before)
        )
        return self.Proposal.search([("product_id", "=", self.milk.id)])

    def _scrap(self, user, store, product, qty, reason, lot=None):
        """A scrap of the store's stock recorded by ``user`` through core's scrap form."""
        scrap = (
            self.env["stock.scrap"]
            .with_user(user)
            .create(
                {
                    "product_id": product.id,
                    "scrap_qty": qty,
                    "location_id": store.warehouse_id.lot_stock_id.id,
                    "lot_id": lot and lot.id,
                    "scrap_reason_tag_ids": [Command.set(reason.ids)],
                }
            )
        )
        scrap.action_validate()
        return scrap


class CareCommon(StoreCommon):
    """StoreCommon's stores with a member (full mobile and an address), a facial service, a serum,
    a beautician of store A, store A's manager as its store manager and a cashier of store B."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.mobile = "13800138001"
        cls.member = Partner.browse(
            Partner.store_member_register({"mobile": cls.mobile, "name": "李美丽"})["id"]
        )
        cls.member.write({"street": "南京西路 1 号", "city": "上海", "email": "meili@example.com"})
        Product = cls.env["product.product"]
        cls.service = Product.create({"name": "测试面部补水护理", "type": "service", "list_price": 298.0})
        cls.serum = Product.create({"name": "测试玻尿酸精华", "list_price": 128.0})
        cls.beautician_a = cls.env["hr.employee"].create({"name": "测试美容师A", "store_id": cls.store_a.id})
        cls.beautician_b = cls.env["hr.employee"].create({"name": "测试美容师B", "store_id": cls.store_b.id})
        cls.store_a.manager_id = cls.manager_a
        cls.cashier_b = new_test_user(cls.env, login="t_cashier_b", groups="store_pos_ext.group_store_user")
        cls.cashier_b.store_ids = [Command.set(cls.store_b.ids)]
        cls.env.company.store_care_reminder_days = 3
        cls.Care = cls.env["store.care.record"]

    def _care(self, user, store, **vals):
        """A care record of the member in ``store``, created by ``user`` over RPC as the form does."""
        return self.Care.with_user(user).create(
            {
                "store_id": store.id,
                "partner_id": self.member.id,
                "service_id": self.service.id,
                "date": fields.Date.today(),
                **vals,
            }
        )


class FitnessCommon(StoreCommon):
    """StoreCommon's stores with three members, a coach per store, store A's manager as its store
    manager, a cashier of store B, and a spinning class of store A tomorrow for 2 members."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.mobiles = ["13800138011", "13800138012", "13800138013"]
        cls.members = Partner.browse(
            [
                Partner.store_member_register({"mobile": mobile, "name": f"测试会员{n}"})["id"]
                for n, mobile in enumerate(cls.mobiles, 1)
            ]
        )
        cls.coach_a = cls.env["hr.employee"].create({"name": "测试教练A", "store_id": cls.store_a.id})
        cls.coach_b = cls.env["hr.employee"].create({"name": "测试教练B", "store_id": cls.store_b.id})
        cls.store_a.manager_id = cls.manager_a
        cls.cashier_b = new_test_user(cls.env, login="t_cashier_b", groups="store_pos_ext.group_store_user")
        cls.cashier_b.store_ids = [Command.set(cls.store_b.ids)]
        cls.Session = cls.env["store.class.session"]
        cls.Booking = cls.env["store.class.booking"]
        cls.session_a = cls._class(cls.store_a, capacity=2, employee_id=cls.coach_a.id)

    @classmethod
    def _class(cls, store, start=None, **vals):
        start = start or fields.Datetime.now() + timedelta(days=1)
        return cls.Session.create(
            {
                "store_id": store.id,
                "name": "测试燃脂单车",
                "room": "单车房",
                "start": start,
                "stop": start + timedelta(hours=1),
                **vals,
            }
        )

    def _book(self, user, session, member, **vals):
        """``member`` booked into ``session`` by ``user`` over RPC, as the class's form does."""
        return self.Booking.with_user(user).create(
            {"session_id": session.id, "partner_id": member.id, **vals}
        )
