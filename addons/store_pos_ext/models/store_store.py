from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import LazyTranslate

from odoo.addons.base.models.res_partner import _tz_get

_lt = LazyTranslate(__name__)

STORE_TYPES = [
    ("business", "Business District"),
    ("community", "Community"),
    ("school", "School"),
    ("office", "Office Building"),
    ("mall", "Shopping Mall"),
    ("transport", "Transport Hub"),
    ("other", "Other"),
]
# What only HQ may change: it moves the store's data from one scope to another.
HQ_FIELDS = {
    "code",
    "company_id",
    "region_id",
    "warehouse_id",
    "user_ids",
    "manager_id",
    "active",
    "require_closing_checklist",
    # which SOP checklists apply to the store (templates by store type or industry) and, with
    # store_industry, its industry pack
    "store_type",
    "industry",
}
# The store's address, kept on its warehouse's partner (store.store._store_partner).
ADDRESS_FIELDS = ("street", "city", "state_id", "country_id", "phone")
# What record rules depend on (their cached domains are cleared when it changes).
SCOPE_FIELDS = {"region_id", "user_ids", "manager_id", "active", "warehouse_id", "company_id"}
INDUSTRIES = [
    ("supermarket", "Supermarket"),
    ("beauty", "Beauty Salon"),
    ("fitness", "Fitness"),
    ("restaurant", "Restaurant / Café"),
    ("retail", "General Retail"),
]


class StoreStore(models.Model):
    _name = "store.store"
    _description = "Store"
    _inherit = ["mail.thread", "pos.load.mixin"]
    _order = "sequence, code, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, tracking=True)
    code = fields.Char(
        required=True,
        tracking=True,
        help="Short unique store code; its first 5 characters name the store's warehouse.",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    color = fields.Integer()
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    region_id = fields.Many2one("store.region", index=True, tracking=True, check_company=True)
    store_type = fields.Selection(STORE_TYPES, default="community")
    industry = fields.Selection(INDUSTRIES, default="retail", required=True)
    # Address: the store's warehouse's address (core's stock.warehouse.partner_id), a contact of
    # its own under the company's (see _store_partner); edited here, printed on the store's receipts.
    partner_id = fields.Many2one(related="warehouse_id.partner_id", string="Address Contact")
    street = fields.Char(related="warehouse_id.partner_id.street", readonly=False)
    city = fields.Char(related="warehouse_id.partner_id.city", readonly=False)
    state_id = fields.Many2one(related="warehouse_id.partner_id.state_id", string="Province", readonly=False)
    country_id = fields.Many2one(related="warehouse_id.partner_id.country_id", readonly=False)
    phone = fields.Char(related="warehouse_id.partner_id.phone", readonly=False)
    # People
    manager_id = fields.Many2one("res.users", string="Store Manager", tracking=True)
    user_ids = fields.Many2many(
        "res.users",
        "res_users_store_store_rel",
        "store_id",
        "user_id",
        string="Users",
        help="Users allowed to work in this store.",
    )
    employee_ids = fields.One2many("hr.employee", "store_id", string="Staff")
    # Operations
    warehouse_id = fields.Many2one(
        "stock.warehouse", index=True, ondelete="restrict", tracking=True, check_company=True
    )
    pos_config_ids = fields.One2many("pos.config", "store_id", string="Points of Sale")
    pos_config_count = fields.Integer(compute="_compute_pos_config_count")
    checklist_todo_count = fields.Integer(
        "Checklists to do",
        compute="_compute_checklist_todo_count",
        help="Open checklists of the store's day and of earlier days.",
    )
    opening_time = fields.Float(default=9.0, help="Opening hour, local time.")
    closing_time = fields.Float(default=22.0, help="Closing hour, local time.")
    require_closing_checklist = fields.Boolean(
        help="A POS session of this store closes only when the store's closing checklists of the "
        "day and the session's own checklists are done.",
    )
    tz = fields.Selection(
        _tz_get, string="Timezone", default=lambda self: self.env.user.tz or "Asia/Shanghai"
    )

    _code_company_uniq = models.Constraint(
        "UNIQUE(code, company_id)", "The store code must be unique per company."
    )
    _warehouse_uniq = models.Constraint("UNIQUE(warehouse_id)", "A warehouse can belong to one store only.")

    @api.constrains("opening_time", "closing_time")
    def _check_hours(self):
        for store in self:
            if not (0 <= store.opening_time < 24 and 0 < store.closing_time <= 24):
                raise ValidationError(self.env._("Opening hours must lie between 00:00 and 24:00."))
            if store.opening_time >= store.closing_time:
                raise ValidationError(
                    self.env._("Store %s: the opening time must be before the closing time.", store.name)
                )

    @api.depends("pos_config_ids")
    def _compute_pos_config_count(self):
        counts = dict(
            self.env["pos.config"]._read_group([("store_id", "in", self.ids)], ["store_id"], ["__count"])
        )
        for store in self:
            store.pos_config_count = counts.get(store, 0)

    def _compute_checklist_todo_count(self):
        Checklist = self.env["store.checklist"]
        for store in self:
            store.checklist_todo_count = Checklist.search_count(
                [
                    ("store_id", "=", store.id),
                    ("state", "=", "open"),
                    ("date", "<=", Checklist._local_today(store)),
                ]
            )

    # ------------------------------------------------------------------ POS data
    @api.model
    def _load_pos_data_domain(self, data, config):
        return [("id", "=", config.store_id.id)]

    @api.model
    def _load_pos_data_fields(self, config):
        # what the store's receipts print (store_pos_ext/static/src/app/screens/receipt_screen)
        return ["id", "name", "street", "city", "state_id", "phone"]

    # ------------------------------------------------------------------ create / write
    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [dict(vals) for vals in vals_list]
        addresses = [{f: vals.pop(f) for f in ADDRESS_FIELDS if f in vals} for vals in vals_list]
        stores = super().create(vals_list)
        for store, address in zip(stores, addresses, strict=True):
            if not self.env.context.get("store_skip_setup"):
                if not store.warehouse_id:
                    store._create_warehouse()
                if not store.pos_config_ids:
                    store._create_pos_config()
            if store.warehouse_id:
                store._store_partner().sudo().write(address)
        stores._sync_users()
        self.env.registry.clear_cache()  # allowed stores feed record rules
        return stores

    def write(self, vals):
        if (
            HQ_FIELDS & vals.keys()
            and not self.env.su
            and not self.env.user.has_group("store_pos_ext.group_hq_admin")
        ):
            raise AccessError(
                self.env._(
                    "Only HQ administrators can change a store's %s.",
                    ", ".join(
                        self._fields[f].get_description(self.env)["string"] for f in HQ_FIELDS & vals.keys()
                    ),
                )
            )
        address = {f: vals[f] for f in ADDRESS_FIELDS if f in vals}
        if address or "name" in vals:
            # the store decides who edits its address (its own record rules), not partner rights
            self.check_access("write")
            vals = {f: v for f, v in vals.items() if f not in ADDRESS_FIELDS}
        users_before = self.user_ids | self.manager_id | self.region_id.manager_user_ids
        res = super().write(vals)
        if address or "name" in vals:
            for store in self.filtered("warehouse_id"):
                partner = store._store_partner().sudo()
                partner.write({**address, "name": store.name} if "name" in vals else address)
        if {"manager_id", "user_ids"} & vals.keys():
            self._sync_users()
        if SCOPE_FIELDS & vals.keys():
            self.env.registry.clear_cache()
            # users who lost a store (or whose store was archived) get a current store they may use
            (users_before | self.user_ids | self.region_id.manager_user_ids)._default_current_store()
        return res

    def _sync_users(self):
        """The store manager always belongs to the store's users."""
        for store in self:
            if store.manager_id and store.manager_id not in store.user_ids:
                store.user_ids = [Command.link(store.manager_id.id)]

    def _warehouse_vals(self):
        """Name and code for the store's new warehouse, both free in its company (archived included)."""
        self.ensure_one()
        Warehouse = self.env["stock.warehouse"].sudo().with_context(active_test=False)
        company = [("company_id", "=", self.company_id.id)]
        code = next(
            c
            for c in ((self.code or "")[:5].upper(), *(f"S{n}" for n in range(self.id, self.id + 100000)))
            if c and len(c) <= 5 and not Warehouse.search_count([*company, ("code", "=", c)])
        )
        name = self.name
        if Warehouse.search_count([*company, ("name", "=", name)]):
            name = f"{self.name} ({self.code})"
        return {"name": name, "code": code, "company_id": self.company_id.id}

    def _create_warehouse(self):
        self.ensure_one()
        warehouse = (
            self.env["stock.warehouse"].sudo().with_company(self.company_id).create(self._warehouse_vals())
        )
        self.warehouse_id = warehouse
        return warehouse

    def _store_partner(self):
        """The store's address: its warehouse's partner. Core gives a new warehouse the company's
        own partner (HQ's address); the store gets a contact of its own under the company's the
        first time it needs one, so that editing a store's address never changes HQ's."""
        self.ensure_one()
        warehouse = self.warehouse_id.sudo()
        partner = warehouse.partner_id
        if partner and partner != self.company_id.partner_id:
            return partner
        company_partner = self.company_id.partner_id
        partner = (
            self.env["res.partner"]
            .sudo()
            .create(
                {
                    "name": self.name,
                    "type": "other",
                    "parent_id": company_partner.id,
                    "company_id": self.company_id.id,
                    "country_id": company_partner.country_id.id,
                }
            )
        )
        warehouse.partner_id = partner
        return partner

    def _create_pos_config(self, name=None):
        """A POS for this store: its warehouse's POS operation type, its own cash payment
        method (core allows a cash method in one POS only) and the company's non-cash methods."""
        self.ensure_one()
        PosConfig = self.env["pos.config"].sudo().with_company(self.company_id)
        name = name or self.name
        cash_pm = PosConfig._create_cash_payment_method(
            {"name": self.env._("Cash %s", name)}  # core picks a free journal code (CSH1, CSH2, ...)
        )
        self._set_translated(cash_pm, "name", _lt("Cash"))
        non_cash = (
            self.env["pos.payment.method"]
            .sudo()
            .search(
                [
                    *self.env["pos.payment.method"]._check_company_domain(self.company_id),
                    ("is_cash_count", "=", False),
                    ("split_transactions", "=", False),
                ]
            )
        )
        config = PosConfig.create(
            {
                "name": name,
                "store_id": self.id,
                "company_id": self.company_id.id,
                "picking_type_id": self.warehouse_id.pos_type_id.id,
                "payment_method_ids": [Command.set((cash_pm | non_cash).ids)],
            }
        )
        return config

    @api.model
    def _demo_setup_company(self, company_id):
        """Demo data only: the chain's company gets the Chinese chart of accounts when available."""
        company = self.env["res.company"].browse(company_id)
        if not company.chart_template:
            Chart = self.env["account.chart.template"]
            # Only an installed l10n_cn: loading its chart would install the module, which a
            # module's own data loading cannot do (a database made without country China).
            l10n_cn = self.env["ir.module.module"].search(
                [("name", "=", "l10n_cn"), ("state", "=", "installed")]
            )
            code = "cn" if l10n_cn and "cn" in Chart._get_chart_template_mapping() else "generic_coa"
            # as core's l10n demo companies do: with the chart's demo entries, in CNY (the generic
            # chart's demo entries are a US company's, and their activities' notifications fail
            # while a module's data is loading)
            Chart.try_loading(code, company, install_demo=code == "cn")

    @api.model
    def _demo_load_stock(self):
        """Demo data only: an opening inventory of every demo product in every store."""
        products = self.env["product.product"].search(
            [("is_storable", "=", True), ("default_code", "=like", "YJ%")]
        )
        for store in self.search([("warehouse_id", "!=", False)]):
            Quant = self.env["stock.quant"].with_company(store.company_id)
            vals = [
                {
                    "product_id": product.id,
                    "location_id": store.warehouse_id.lot_stock_id.id,
                    "inventory_quantity": 20 + (i * 7 + store.id * 13) % 80,
                }
                for i, product in enumerate(products)
            ]
            Quant.with_context(inventory_mode=True).create(vals).action_apply_inventory()

    @api.model
    def _demo_setup_pos(self, store_ids, category_ids):
        """Demo data only: the demo stores' POS show the chain's POS categories and products (core's
        Restrict Categories; Odoo's own demo catalogue is in the database too), as text tiles since
        the demo products have no images (core's Show Product Images off)."""
        self.browse(store_ids).pos_config_ids.write(
            {
                "limit_categories": True,
                "iface_available_categ_ids": [Command.set(category_ids)],
                "show_product_images": False,
            }
        )

    def _store_tz(self):
        """The time zone of this store (one, or none): its own, else the user's, else China's."""
        return self.tz or self.env.user.tz or "Asia/Shanghai"

    def _store_today(self):
        """Today's date in the store's time zone (``_store_tz``)."""
        return fields.Date.context_today(self.with_context(tz=self._store_tz()))

    def _set_translated(self, record, fname, source):
        """Give a translatable field the English ``source`` and its translation (from this
        addon's i18n) in every active language, whoever's language creates the record."""
        record.with_context(lang="en_US")[fname] = self.with_context(lang="en_US").env._(source)
        translations = {
            lang: self.with_context(lang=lang).env._(source)
            for lang, _label in self.env["res.lang"].get_installed()
            if lang != "en_US"
        }
        if translations:
            record.update_field_translations(fname, translations)

    # ------------------------------------------------------------------ actions
    def action_create_pos_config(self):
        self.ensure_one()
        if not self.env.user.has_group("store_pos_ext.group_hq_admin"):
            raise AccessError(self.env._("Only HQ administrators can add a POS to a store."))
        self.check_access("write")
        if not self.warehouse_id:
            self._create_warehouse()
        config = self._create_pos_config(
            self.env._("%(store)s POS %(n)s", store=self.name, n=self.pos_config_count + 1)
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "pos.config",
            "res_id": config.id,
            "view_mode": "form",
        }

    @api.model
    def action_open_my_store(self):
        """The home of a store manager (``action_open_my_store``): the page of their current store,
        whose buttons count what is to do today (checklists, and what other addons add); the stores
        for a user without a current store."""
        store = self.env.user.store_id
        if store:
            return {
                "type": "ir.actions.act_window",
                "name": store.name,
                "res_model": "store.store",
                "res_id": store.id,
                "view_mode": "form",
                "views": [(False, "form")],
                "target": "current",
            }
        return self.env["ir.actions.act_window"]._for_xml_id("store_pos_ext.store_store_action")

    def action_view_todo_checklists(self):
        """Today's checklists of this store and its overdue ones."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("store_pos_ext.store_checklist_action_today")
        action["domain"] = [("store_id", "=", self.id)]
        return action

    def action_view_pos_configs(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("point_of_sale.action_pos_config_kanban")
        action["domain"] = [("store_id", "=", self.id)]
        action["context"] = {"default_store_id": self.id}
        return action
