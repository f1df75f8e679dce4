from datetime import timedelta

from odoo import api, fields, models


class StoreStockAlert(models.Model):
    _inherit = "store.stock.alert"

    @api.model
    def _demo_setup_stock_alerts(self, category_id):
        """Demo data only: HQ's thresholds at each level (chain, region 华东, store type 学校, store
        上海徐汇店), stock that breaks a few of them, then the alerts computed. 农夫山泉 is short in 上海
        徐汇店 (12 for a safety stock of 30) while 上海浦东店 of the same region has 35 over its maximum
        (95 for 60): the transfer suggestion's case. Fresh and dairy products get near-expiry and
        slow-mover days: one lot of a dairy product in 上海徐汇店 expires in 3 days."""
        ref = self.env.ref
        shxh, shpd = ref("store_pos_ext.store_shxh_demo"), ref("store_pos_ext.store_shpd_demo")
        hzxh, bjcy = ref("store_pos_ext.store_hzxh_demo"), ref("store_pos_ext.store_bjcy_demo")
        company = shxh.company_id
        Product = self.env["product.product"].with_context(active_test=False)
        fresh = Product.search(
            [
                ("default_code", "=like", "YJ%"),
                ("pos_categ_ids", "in", [ref("store_pos_ext.pos_category_fresh_demo").id]),
            ]
        )
        dairy = Product.search(
            [
                ("default_code", "=like", "YJ%"),
                ("pos_categ_ids", "in", [ref("store_pos_ext.pos_category_dairy_demo").id]),
            ]
        )
        (fresh | dairy).product_tmpl_id.write({"categ_id": category_id})

        def product(n):
            return ref(f"store_pos_ext.product_{n:02d}_demo").product_variant_id

        water, cola = product(1), product(2)
        base = {"company_id": company.id}
        self.env["store.stock.threshold"].create(
            [
                {**base, "scope": "chain", "categ_id": category_id, "min_qty": 5, "max_qty": 150,
                 "near_expiry_days": 5, "slow_mover_days": 3},
                {**base, "scope": "chain", "product_id": water.id, "min_qty": 20, "max_qty": 120},
                {**base, "scope": "region", "region_id": shxh.region_id.id, "product_id": water.id,
                 "min_qty": 30, "max_qty": 60},
                {**base, "scope": "store_type", "store_type": hzxh.store_type, "product_id": water.id,
                 "min_qty": 25, "max_qty": 50},
                {**base, "scope": "store", "store_id": shxh.id, "product_id": cola.id,
                 "min_qty": 40, "max_qty": 80},
            ]
        )  # fmt: skip
        Quant = self.env["stock.quant"].with_company(company).with_context(inventory_mode=True)

        def count(store, prod, qty, lot=None):
            Quant.create(
                {
                    "product_id": prod.id,
                    "location_id": store.warehouse_id.lot_stock_id.id,
                    "inventory_quantity": qty,
                    "lot_id": lot and lot.id,
                }
            ).action_apply_inventory()

        for store, qty in ((shxh, 12), (shpd, 95), (hzxh, 45), (bjcy, 60)):
            count(store, water, qty)
        count(shxh, cola, 0)
        # a dairy product tracked by lots with expiry dates (core's product_expiry)
        milk = dairy[:1]
        milk.product_tmpl_id.write({"tracking": "lot", "use_expiration_date": True})
        lot = self.env["stock.lot"].create(
            {
                "name": f"DEMO-{fields.Date.context_today(self):%Y%m%d}",
                "product_id": milk.id,
                "company_id": company.id,
                "expiration_date": fields.Datetime.now() + timedelta(days=3),
            }
        )
        count(shxh, milk, 8, lot)
        # a fresh product in 杭州西湖店 since 10 days and not sold there since
        self.env.cr.execute(
            """SELECT ol.product_id FROM pos_order_line ol JOIN pos_order o ON o.id = ol.order_id
                WHERE o.store_id = %s AND o.date_order >= now() - interval '3 days'""",
            [hzxh.id],
        )
        sold = {row[0] for row in self.env.cr.fetchall()}
        slow = (fresh - dairy).filtered(lambda p: p.id not in sold)[:1]
        if slow:
            self.env.flush_all()
            self.env.cr.execute(
                """UPDATE stock_quant SET in_date = now() - interval '10 days'
                    WHERE product_id = %s AND location_id = %s""",
                [slow.id, hzxh.warehouse_id.lot_stock_id.id],
            )
        self._compute_alerts()
