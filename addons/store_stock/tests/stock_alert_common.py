from datetime import timedelta

from odoo import fields

from odoo.addons.store_pos_ext.tests.common import StoreCommon


class StockAlertCommon(StoreCommon):
    """StoreCommon's stores A and B (region east) and C (north), A and C of type school, B
    community; a storable product in a subcategory of a category, and a lot-tracked one with
    expiry dates."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        (cls.store_a | cls.store_c).store_type = "school"
        cls.store_b.store_type = "community"
        Category = cls.env["product.category"]
        cls.categ = Category.create({"name": "测试饮料"})
        cls.subcateg = Category.create({"name": "测试矿泉水", "parent_id": cls.categ.id})
        cls.product.write({"is_storable": True, "categ_id": cls.subcateg.id})
        cls.other = cls.env["product.product"].create(
            {"name": "测试可乐", "is_storable": True, "categ_id": cls.subcateg.id}
        )
        cls.milk = cls.env["product.product"].create(
            {
                "name": "测试牛奶",
                "is_storable": True,
                "categ_id": cls.categ.id,
                "tracking": "lot",
                "use_expiration_date": True,
            }
        )
        cls.Threshold = cls.env["store.stock.threshold"].with_user(cls.hq_admin)
        cls.Alert = cls.env["store.stock.alert"]

    @classmethod
    def _threshold(cls, **vals):
        return cls.Threshold.create(vals)

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

    @classmethod
    def _age_stock(cls, store, product, days):
        """The store's stock of ``product`` arrived ``days`` ago."""
        cls.env.flush_all()
        cls.env.cr.execute(
            "UPDATE stock_quant SET in_date = %s WHERE product_id = %s AND location_id = %s",
            [fields.Datetime.now() - timedelta(days=days), product.id, store.warehouse_id.lot_stock_id.id],
        )
        cls.env.invalidate_all()

    def _orderpoint(self, store, product):
        return self.env["stock.warehouse.orderpoint"].search(
            [("location_id", "=", store.warehouse_id.lot_stock_id.id), ("product_id", "=", product.id)]
        )

    def _compute(self):
        self.Alert._compute_alerts(self.store_a | self.store_b | self.store_c)

    def _open(self, store=None, kind=None):
        domain = [("state", "=", "open"), ("product_id", "in", (self.product | self.other | self.milk).ids)]
        if store:
            domain.append(("store_id", "=", store.id))
        if kind:
            domain.append(("kind", "=", kind))
        return self.Alert.search(domain)
