from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain

ASSORTMENTS = [("core", "Chain core"), ("local", "Local")]


class ProductTemplate(models.Model):
    """Core and local assortment (全国统一核心商品 / 区域、门店本地特色商品).

    A chain core product is listed in every store; a local product only in the stores of its
    regions and in its stores. A store's POS loads and finds only the products its store lists
    (plus what core always loads: tips, discount and reward products, the products of loaded
    orders); the back office's "Listed in my stores" filter shows a store user theirs."""

    _inherit = "product.template"

    store_assortment = fields.Selection(
        ASSORTMENTS,
        string="Assortment",
        default="core",
        required=True,
        index=True,
        help="Chain core: listed in every store. Local: only in the stores of the regions and the "
        "stores chosen below.",
    )
    store_local_region_ids = fields.Many2many(
        "store.region",
        "store_product_template_local_region_rel",
        "product_tmpl_id",
        "region_id",
        string="Local to regions",
    )
    store_local_store_ids = fields.Many2many(
        "store.store",
        "store_product_template_local_store_rel",
        "product_tmpl_id",
        "store_id",
        string="Local to stores",
    )
    store_listed = fields.Boolean(
        "Listed in my stores",
        compute="_compute_store_listed",
        search="_search_store_listed",
        help="Listed in one of the stores you work for.",
    )
    store_listed_store_ids = fields.Many2many(
        "store.store",
        string="Listed in stores",
        compute="_compute_store_listed_store_ids",
        help="The active stores listing this product.",
    )

    # ------------------------------------------------------------------ assortment
    @api.model
    def _store_assortment_domain(self, stores):
        """Products listed in at least one of ``stores`` (store.store), as a domain list."""
        stores = stores.sudo()
        return [
            "|",
            "|",
            ("store_assortment", "=", "core"),
            ("store_local_store_ids", "in", stores.ids),
            ("store_local_region_ids", "in", stores.region_id.ids),
        ]

    @api.model
    def _store_my_stores(self):
        """The stores a user works for; every store for HQ without stores of its own."""
        user = self.env.user
        if not user.allowed_store_ids and user.has_group("store_pos_ext.group_hq_analyst"):
            return self.env["store.store"].search([("active", "=", True)])
        return user.allowed_store_ids

    @api.depends_context("uid")
    @api.depends("store_assortment", "store_local_region_ids", "store_local_store_ids")
    def _compute_store_listed(self):
        listed = self.sudo().filtered_domain(self._store_assortment_domain(self._store_my_stores()))
        for product in self:
            product.store_listed = product in listed

    def _search_store_listed(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        domain = Domain(self._store_assortment_domain(self._store_my_stores()))
        return domain if (operator == "=") == value else ~domain

    @api.depends("store_assortment", "store_local_region_ids", "store_local_store_ids")
    def _compute_store_listed_store_ids(self):
        stores = self.env["store.store"].search([("active", "=", True)])
        products = self.sudo()
        listing = {store: products.filtered_domain(self._store_assortment_domain(store)) for store in stores}
        for product in self:
            product.store_listed_store_ids = stores.filtered(
                lambda store, product=product: product in listing[store]
            )

    @api.constrains("store_assortment", "store_local_region_ids", "store_local_store_ids")
    def _check_store_assortment(self):
        for product in self:
            if product.store_assortment == "local" and not (
                product.store_local_region_ids or product.store_local_store_ids
            ):
                raise ValidationError(
                    self.env._(
                        "%(product)s: a local product needs at least one region or store "
                        "(fields 'Local to regions' / 'Local to stores').",
                        product=product.display_name,
                    )
                )

    # ------------------------------------------------------------------ POS data
    @api.model
    def _store_pos_assortment(self, config):
        """The assortment condition of ``config``'s POS (none for a POS without a store)."""
        store = config.sudo().store_id
        return self._store_assortment_domain(store) if store else []

    @api.model
    def _load_pos_data_domain(self, data, config):
        return [*super()._load_pos_data_domain(data, config), *self._store_pos_assortment(config)]

    @api.model
    def load_product_from_pos(self, config_id, domain, offset=0, limit=0):
        """The till's search on the server (a barcode, a name not loaded): the store's products only."""
        config = self.env["pos.config"].browse(config_id)
        domain = Domain(domain) & Domain(self._store_pos_assortment(config))
        return super().load_product_from_pos(config_id, domain, offset=offset, limit=limit)

    # ------------------------------------------------------------------ POS product info
    def get_product_info_pos(self, price, quantity, pos_config_id, product_variant_id=False):
        """Core's product info lists every warehouse of the company, with quantities read under the
        user's rights (a store user reads 0 for every other store's warehouse). A store's POS keeps
        its own warehouse there; the other stores of its region and the central warehouses are in
        the popup's "Other stores' stock" (pos.session.get_other_stores_stock)."""
        info = super().get_product_info_pos(price, quantity, pos_config_id, product_variant_id)
        warehouse = self.env["pos.config"].browse(pos_config_id).store_id.warehouse_id
        if warehouse and info.get("warehouses"):
            info["warehouses"] = [w for w in info["warehouses"] if w["id"] == warehouse.id]
        return info
