from datetime import datetime, time, timedelta

from odoo import Command, fields

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
