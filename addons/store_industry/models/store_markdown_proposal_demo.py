from datetime import timedelta

from odoo import Command, api, fields, models


class StoreMarkdownProposal(models.Model):
    _inherit = "store.markdown.proposal"

    @api.model
    def _demo_setup_fresh(self):
        """Demo data only: the demo chain's markdown tiers (3 days → 30% off, 1 day → 50% off), a lot
        of the dairy product store_stock's demo tracks by lot expiring tomorrow in 上海浦东店 (beside
        the one of 上海徐汇店 expiring in 3 days), a few scraps by reason, then the proposals."""
        ref = self.env.ref
        shxh, shpd = ref("store_pos_ext.store_shxh_demo"), ref("store_pos_ext.store_shpd_demo")
        company = shxh.company_id
        self.env["store.markdown.rule"].create(
            [
                {"company_id": company.id, "days": 3, "percent": 30},
                {"company_id": company.id, "days": 1, "percent": 50},
            ]
        )
        Product = self.env["product.product"].with_context(active_test=False)
        milk = Product.search(
            [("default_code", "=like", "YJ%"), ("tracking", "=", "lot"), ("use_expiration_date", "=", True)],
            limit=1,
        )
        Quant = self.env["stock.quant"].with_company(company).with_context(inventory_mode=True)
        if milk:
            lot = self.env["stock.lot"].create(
                {
                    "name": f"DEMO-{fields.Date.context_today(self):%Y%m%d}-PD",
                    "product_id": milk.id,
                    "company_id": company.id,
                    "expiration_date": fields.Datetime.now() + timedelta(days=1),
                }
            )
            Quant.create(
                {
                    "product_id": milk.id,
                    "location_id": shpd.warehouse_id.lot_stock_id.id,
                    "inventory_quantity": 6,
                    "lot_id": lot.id,
                }
            ).action_apply_inventory()
        # shrink: fresh products (not tracked by lot) scrapped in both stores, by reason
        fresh = Product.search(
            [
                ("default_code", "=like", "YJ%"),
                ("pos_categ_ids", "in", [ref("store_pos_ext.pos_category_fresh_demo").id]),
                ("tracking", "=", "none"),
                ("is_storable", "=", True),
            ],
            limit=2,
        )
        Scrap = self.env["stock.scrap"].with_company(company)
        reasons = {
            "expired": ref("store_industry.scrap_reason_expired"),
            "damaged": ref("store_industry.scrap_reason_damaged"),
        }
        for store, product, qty, reason in (
            (shxh, fresh[:1], 3, "expired"),
            (shxh, fresh[1:2], 1, "damaged"),
            (shpd, fresh[:1], 2, "damaged"),
        ):
            if not product:
                continue
            location = store.warehouse_id.lot_stock_id
            Quant.create(
                {"product_id": product.id, "location_id": location.id, "inventory_quantity": 20}
            ).action_apply_inventory()
            Scrap.create(
                {
                    "product_id": product.id,
                    "scrap_qty": qty,
                    "location_id": location.id,
                    "company_id": company.id,
                    "scrap_reason_tag_ids": [Command.set(reasons[reason].ids)],
                }
            ).do_scrap()
        self._propose_markdowns(shxh | shpd)
