import time

from odoo import api, models, tools
from odoo.exceptions import AccessError, UserError

# Seconds a till's answer about other stores' stock may be old: the answers of one product in one
# region are cached (the registry's ormcache, per database and worker) for the current time bucket
# of this length, so a busy chain asks the database once per product and region every 30 seconds.
OTHER_STORES_STOCK_TTL = 30


class PosSession(models.Model):
    _inherit = "pos.session"

    def get_other_stores_stock(self, product_id):
        """The till's product info (其他门店库存): the quantity on hand of ``product_id`` in each
        store of this session's store's region (this store included, marked ``current``) and in
        the company's central warehouses (warehouses that belong to no store, marked ``central``).
        Nothing else of the other stores: no costs, no transfers. The caller must be allowed on
        this session's store (store roles) or be HQ; the quantities are read as superuser."""
        self.ensure_one()
        self.check_access("read")
        store = self.config_id.store_id
        if not store:
            raise UserError(self.env._("The point of sale %s belongs to no store.", self.config_id.name))
        user = self.env.user
        if not (
            self.env.su or user.has_group("store_pos_ext.group_hq_analyst") or store in user.allowed_store_ids
        ):
            raise AccessError(self.env._("You do not work in the store %s.", store.name))
        product = self.env["product.product"].browse(int(product_id)).exists()
        if not product:
            raise UserError(self.env._("The product (product_id) %s does not exist.", product_id))
        product.check_access("read")
        if product.company_id and product.company_id != self.company_id:
            raise AccessError(self.env._("The product %s belongs to another company.", product.display_name))
        rows = self._other_stores_stock_rows(
            product.id,
            store.region_id.id or False,
            store.id if not store.region_id else False,
            self.company_id.id,
            self.env.lang or "en_US",
            int(time.time() // OTHER_STORES_STOCK_TTL),
        )
        sequence = store.sequence
        result = [
            {
                "key": f"{kind}-{rec_id}",
                "name": name,
                "qty": qty,
                "uom": product.uom_id.name,
                "current": kind == "store" and rec_id == store.id,
                "central": kind == "warehouse",
            }
            for kind, rec_id, name, qty, _seq in sorted(
                rows,
                key=lambda r: (r[0] != "store", r[1] != store.id, abs(r[4] - sequence), r[4], r[1]),
            )
        ]
        return result

    @api.model
    @tools.ormcache("product_id", "region_id", "store_id", "company_id", "lang", "bucket")
    def _other_stores_stock_rows(self, product_id, region_id, store_id, company_id, lang, bucket):
        """(kind, id, name, on hand, sequence) of each store of the region (or the one store without
        a region) and each central warehouse of the company; two searches and one SQL sum."""
        env = self.sudo().with_context(lang=lang, active_test=True).env
        domain = [("region_id", "=", region_id)] if region_id else [("id", "=", store_id)]
        # a region does not check its stores' company: the session's company's stores only
        stores = env["store.store"].search(
            [*domain, ("company_id", "=", company_id), ("warehouse_id", "!=", False)]
        )
        central = env["stock.warehouse"].search([("company_id", "=", company_id), ("store_ids", "=", False)])
        warehouses = stores.warehouse_id | central
        self.env["stock.quant"].flush_model(["product_id", "location_id", "quantity"])
        self.env.cr.execute(
            """
            SELECT l.warehouse_id, SUM(q.quantity)
              FROM stock_quant q
              JOIN stock_location l ON l.id = q.location_id
             WHERE q.product_id = %s AND l.usage = 'internal' AND l.warehouse_id = ANY(%s)
             GROUP BY l.warehouse_id
            """,
            [product_id, warehouses.ids],
        )
        qty = dict(self.env.cr.fetchall())
        rows = [("store", s.id, s.name, qty.get(s.warehouse_id.id, 0.0), s.sequence) for s in stores]
        rows += [("warehouse", w.id, w.name, qty.get(w.id, 0.0), 0) for w in central]
        return tuple(rows)
