from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from odoo.addons.store_pos_ext.models.store_store import STORE_TYPES

SCOPES = [
    ("chain", "Whole chain"),
    ("region", "Region"),
    ("store_type", "Store type"),
    ("store", "Store"),
]
# The field naming the stores of each scope (the chain: every store of the company).
SCOPE_FIELDS = {"region": "region_id", "store_type": "store_type", "store": "store_id"}
# How many reorder rules a save creates, changes or deletes itself; the rest is the background job's
# (ir_cron_store_stock_threshold_sync), batch after batch: core's ORM writes a rule in milliseconds,
# and a chain-wide threshold on a category may be a million of them.
SYNC_BATCH = 5000


class StoreStockThreshold(models.Model):
    """HQ's stock policy for a product or a product category in a scope of stores: safety stock
    (min) and maximum, written as core reorder rules on each store's stock location
    (``_sync_orderpoints``), and the slow-mover and near-expiry days of the alerts.

    For one store and one product the most specific threshold wins: the scope first (store >
    store type > region > chain), then the target at the same scope (a product > its category >
    the category's parents), then the newest. Each value is resolved on its own: a threshold
    with min and max both 0 sets no quantities, and days of 0 set no days, so the less specific
    threshold's values apply (a chain category threshold may give the near-expiry days while a
    store's product threshold gives the quantities)."""

    _name = "store.stock.threshold"
    _description = "Stock threshold"
    _inherit = ["store.scope.guard"]
    _order = "company_id, scope, id desc"

    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    scope = fields.Selection(SCOPES, required=True, default="chain")
    region_id = fields.Many2one("store.region", index=True, ondelete="cascade")
    store_type = fields.Selection(STORE_TYPES)
    store_id = fields.Many2one("store.store", index=True, ondelete="cascade")
    product_id = fields.Many2one(
        "product.product", index=True, ondelete="cascade", domain=[("is_storable", "=", True)]
    )
    categ_id = fields.Many2one(
        "product.category",
        string="Product Category",
        index=True,
        ondelete="cascade",
        help="Applies to the products of this category and of its subcategories.",
    )
    min_qty = fields.Float(
        "Safety Stock (Min)",
        digits="Product Unit",
        help="Below it a store gets a below-safety-stock alert and core's replenishment orders up to "
        "the maximum. 0 with a maximum of 0: the less specific threshold's quantities apply.",
    )
    max_qty = fields.Float(
        "Maximum",
        digits="Product Unit",
        help="Stock level core's replenishment orders up to; above it a store gets an overstock alert.",
    )
    slow_mover_days = fields.Integer(
        "Slow-Mover Days",
        help="A product in stock for this many days without a sale in the store is a slow mover. "
        "0: the less specific threshold's days apply (none: no slow-mover alert).",
    )
    near_expiry_days = fields.Integer(
        "Near-Expiry Days",
        help="A lot in stock that expires within this many days gets a near-expiry alert. "
        "0: the less specific threshold's days apply (none: no near-expiry alert).",
    )
    orderpoint_ids = fields.One2many(
        "stock.warehouse.orderpoint", "store_threshold_id", string="Reorder Rules", readonly=True
    )
    orderpoint_count = fields.Integer(compute="_compute_orderpoint_count", string="Reorder Rule Count")

    _scope_target_uniq = models.UniqueIndex(
        "(company_id, scope, COALESCE(region_id, 0), COALESCE(store_type, ''), COALESCE(store_id, 0), "
        "COALESCE(product_id, 0), COALESCE(categ_id, 0)) WHERE active",
        "A threshold already exists for this scope and product or category: change that one.",
    )

    @api.depends("scope", "region_id", "store_type", "store_id", "product_id", "categ_id")
    def _compute_display_name(self):
        types = dict(self._fields["store_type"]._description_selection(self.env))
        scopes = dict(self._fields["scope"]._description_selection(self.env))
        for threshold in self:
            where = {
                "chain": scopes["chain"],
                "region": threshold.region_id.display_name,
                "store_type": types.get(threshold.store_type),
                "store": threshold.store_id.display_name,
            }[threshold.scope or "chain"]
            what = threshold.product_id.display_name or threshold.categ_id.display_name
            threshold.display_name = f"{where or ''} / {what or ''}"

    def _compute_orderpoint_count(self):
        counts = dict(
            self.env["stock.warehouse.orderpoint"]._read_group(
                [("store_threshold_id", "in", self.ids)], ["store_threshold_id"], ["__count"]
            )
        )
        for threshold in self:
            threshold.orderpoint_count = counts.get(threshold, 0)

    # ------------------------------------------------------------------ checks
    def _label(self, fname):
        return self._fields[fname].get_description(self.env)["string"]

    @api.constrains(
        "scope", "region_id", "store_type", "store_id", "product_id", "categ_id",
        "min_qty", "max_qty", "slow_mover_days", "near_expiry_days",
    )  # fmt: skip
    def _check_threshold(self):
        for threshold in self:
            for fname in ("min_qty", "max_qty", "slow_mover_days", "near_expiry_days"):
                if threshold[fname] < 0:
                    raise ValidationError(
                        self.env._("%(field)s cannot be negative.", field=self._label(fname))
                    )
            if threshold.max_qty < threshold.min_qty:
                raise ValidationError(
                    self.env._(
                        "%(max)s must be at least %(min)s.",
                        max=self._label("max_qty"),
                        min=self._label("min_qty"),
                    )
                )
            if bool(threshold.product_id) == bool(threshold.categ_id):
                raise ValidationError(
                    self.env._(
                        "Choose either a %(product)s or a %(category)s for the threshold.",
                        product=self._label("product_id"),
                        category=self._label("categ_id"),
                    )
                )
            needed = SCOPE_FIELDS.get(threshold.scope)
            if needed and not threshold[needed]:
                raise ValidationError(
                    self.env._(
                        "%(field)s is required for a threshold of this scope.", field=self._label(needed)
                    )
                )
            for fname in set(SCOPE_FIELDS.values()) - {needed}:
                if threshold[fname]:
                    raise ValidationError(
                        self.env._(
                            "%(field)s is set but the threshold's scope does not use it: clear it "
                            "or change the scope.",
                            field=self._label(fname),
                        )
                    )
            if threshold.store_id and threshold.store_id.company_id != threshold.company_id:
                raise ValidationError(
                    self.env._(
                        "%(field)s must belong to the threshold's company.", field=self._label("store_id")
                    )
                )

    # ------------------------------------------------------------------ CRUD
    @api.model
    def _clear_other_scope_fields(self, vals):
        """Switching the scope clears the fields of the other scopes (hidden in the form)."""
        if "scope" in vals:
            needed = SCOPE_FIELDS.get(vals["scope"])
            for fname in SCOPE_FIELDS.values():
                if fname != needed:
                    vals[fname] = False
        return vals

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [
            self._clear_other_scope_fields(dict(vals, scope=vals.get("scope", "chain"))) for vals in vals_list
        ]
        thresholds = super().create(vals_list)
        thresholds._sync_orderpoints()
        return thresholds

    def write(self, vals):
        res = super().write(self._clear_other_scope_fields(dict(vals)))
        self._sync_orderpoints()
        return res

    def unlink(self):
        companies = self.company_id
        res = super().unlink()
        self.browse()._sync_orderpoints(companies)
        return res

    # ------------------------------------------------------------------ resolution
    @api.model
    def _candidates_sql(self, store_ids):
        """SQL of the thresholds applying to each (store, product) of ``store_ids``: the columns
        store_id, product_id, threshold_id, min_qty, max_qty, slow_mover_days, near_expiry_days,
        scope_rank and target_rank (the higher, the more specific). Product thresholds join on
        their product, category ones on the products of the category and its subcategories, so
        the rows are only those a threshold names, and only products the store lists (its assortment)."""
        return SQL(
            """
            SELECT s.id AS store_id, g.product_id, t.id AS threshold_id,
                   t.min_qty, t.max_qty, t.slow_mover_days, t.near_expiry_days,
                   CASE t.scope WHEN 'store' THEN 4 WHEN 'store_type' THEN 3
                                WHEN 'region' THEN 2 ELSE 1 END AS scope_rank,
                   g.target_rank
              FROM (
                    SELECT t.id AS threshold_id, t.product_id, 100000 AS target_rank
                      FROM store_stock_threshold t
                     WHERE t.active AND t.product_id IS NOT NULL
                    UNION ALL
                    SELECT t.id, pp.id, length(tc.parent_path)
                      FROM store_stock_threshold t
                      JOIN product_category tc ON tc.id = t.categ_id
                      JOIN product_category pc ON pc.parent_path LIKE tc.parent_path || '%%'
                      JOIN product_template ct ON ct.categ_id = pc.id
                      JOIN product_product pp ON pp.product_tmpl_id = ct.id
                     WHERE t.active AND t.product_id IS NULL
                   ) g
              JOIN store_stock_threshold t ON t.id = g.threshold_id
              JOIN product_product pp ON pp.id = g.product_id AND pp.active
              JOIN product_template pt ON pt.id = pp.product_tmpl_id AND pt.active AND pt.is_storable
                   AND (pt.company_id IS NULL OR pt.company_id = t.company_id)
              JOIN store_store s ON s.company_id = t.company_id AND s.active
                   AND s.warehouse_id IS NOT NULL AND s.id = ANY(%(store_ids)s)
                   AND CASE t.scope WHEN 'chain' THEN TRUE
                                    WHEN 'region' THEN s.region_id = t.region_id
                                    WHEN 'store_type' THEN s.store_type = t.store_type
                                    ELSE s.id = t.store_id END
             -- the store's assortment (product_template.py): chain core, or local to its region or to it
             WHERE pt.store_assortment IS DISTINCT FROM 'local'
                OR EXISTS (SELECT 1 FROM store_product_template_local_store_rel ls
                            WHERE ls.product_tmpl_id = pt.id AND ls.store_id = s.id)
                OR EXISTS (SELECT 1 FROM store_product_template_local_region_rel lr
                            WHERE lr.product_tmpl_id = pt.id AND lr.region_id = s.region_id)
            """,
            store_ids=list(store_ids),
        )

    @api.model
    def _winner_sql(self, candidates, condition, columns):
        """SQL of the most specific candidate per (store, product) among those meeting ``condition``."""
        return SQL(
            """SELECT DISTINCT ON (c.store_id, c.product_id) c.store_id, c.product_id,
                      c.threshold_id, %(columns)s
                 FROM (%(candidates)s) c
                WHERE %(condition)s
             ORDER BY c.store_id, c.product_id, c.scope_rank DESC, c.target_rank DESC, c.threshold_id DESC""",
            candidates=candidates,
            condition=condition,
            columns=columns,
        )

    @api.model
    def _quantity_winners_sql(self, store_ids):
        return self._winner_sql(
            self._candidates_sql(store_ids),
            SQL("c.min_qty > 0 OR c.max_qty > 0"),
            SQL("c.min_qty, c.max_qty"),
        )

    @api.model
    def _days_winners_sql(self, store_ids, column):
        return self._winner_sql(
            self._candidates_sql(store_ids),
            SQL("%s > 0", SQL.identifier("c", column)),
            SQL("%s AS days", SQL.identifier("c", column)),
        )

    # ------------------------------------------------------------------ reorder rules
    @api.model
    def _stores_of(self, companies):
        return (
            self.env["store.store"]
            .sudo()
            .search([("warehouse_id", "!=", False), ("company_id", "in", companies.ids)])
        )

    @api.model
    def _orderpoint_changes_sql(self, store_ids):
        """SQL of the difference between the winning quantities of ``store_ids`` and the reorder
        rules on their stock locations, one row per rule to change: ``orderpoint_id`` (NULL: a rule
        to create), ``threshold_id`` (NULL: a rule a threshold made that no threshold gives any
        more, to delete), ``min_qty``, ``max_qty`` and, to create, ``warehouse_id``,
        ``location_id``, ``company_id``, ``product_id``. A store's rule of a product without a
        threshold is taken over (updated), never created twice. Nothing changed: no row."""
        return SQL(
            """
            WITH win AS (%(winners)s
            ), loc AS (
                SELECT s.id AS store_id, w.id AS warehouse_id, w.lot_stock_id, sl.company_id
                  FROM store_store s
                  JOIN stock_warehouse w ON w.id = s.warehouse_id
                  JOIN stock_location sl ON sl.id = w.lot_stock_id
                 WHERE s.id = ANY(%(store_ids)s)
            ), op AS (
                SELECT op.id, l.store_id, op.product_id, op.store_threshold_id, op.product_min_qty,
                       op.product_max_qty, op.active, op.trigger
                  FROM stock_warehouse_orderpoint op JOIN loc l ON l.lot_stock_id = op.location_id
            )
            SELECT op.id AS orderpoint_id, win.threshold_id, win.min_qty, win.max_qty,
                   l.warehouse_id, l.lot_stock_id AS location_id, l.company_id, win.product_id
              FROM win
              FULL JOIN op ON op.store_id = win.store_id AND op.product_id = win.product_id
              LEFT JOIN loc l ON l.store_id = win.store_id AND op.id IS NULL
             WHERE (win.store_id IS NULL AND op.store_threshold_id IS NOT NULL)
                OR op.id IS NULL
                OR (win.store_id IS NOT NULL
                    AND (op.store_threshold_id IS DISTINCT FROM win.threshold_id
                         OR op.product_min_qty IS DISTINCT FROM win.min_qty
                         OR op.product_max_qty IS DISTINCT FROM win.max_qty
                         OR op.active IS NOT TRUE
                         OR op.trigger IS DISTINCT FROM 'manual'))
             ORDER BY win.store_id, win.product_id, op.id
            """,
            winners=self._quantity_winners_sql(store_ids),
            store_ids=list(store_ids),
        )

    def _sync_orderpoints(self, companies=None):
        """Write the winning quantities of every (store, product) of the thresholds' companies as
        core reorder rules (trigger manual) on the store's stock location: create the missing ones
        (or take over the store's existing rule of that product), update the changed ones, delete
        the ones a threshold made that no threshold gives any more. The difference is computed in
        SQL (``_orderpoint_changes_sql``): nothing changed costs a handful of queries whatever
        the number of stores and products; core's ORM creates, writes (one write per distinct set
        of values) and deletes only the rules that change.

        At most SYNC_BATCH changes; when more are due, the background job is woken to apply them.
        Returns how many changes are left."""
        companies = companies or self.company_id or self.env.company
        stores = self._stores_of(companies)
        if not stores:
            return 0
        self.env.flush_all()
        self.env.cr.execute(self._orderpoint_changes_sql(stores.ids))
        changes = self.env.cr.fetchall()
        left = max(len(changes) - SYNC_BATCH, 0)
        if left:
            changes = changes[:SYNC_BATCH]
            self.env.ref("store_stock.ir_cron_store_stock_threshold_sync").sudo()._trigger()
        to_create, to_update, to_delete = [], defaultdict(list), []
        for (
            op_id,
            threshold_id,
            min_qty,
            max_qty,
            warehouse_id,
            location_id,
            company_id,
            product_id,
        ) in changes:
            if threshold_id is None:
                to_delete.append(op_id)
            elif op_id is None:
                to_create.append(
                    {
                        "warehouse_id": warehouse_id,
                        "location_id": location_id,
                        "company_id": company_id,
                        "product_id": product_id,
                        "product_min_qty": min_qty,
                        "product_max_qty": max_qty,
                        "trigger": "manual",
                        "store_threshold_id": threshold_id,
                    }
                )
            else:
                to_update[threshold_id, min_qty, max_qty].append(op_id)
        Orderpoint = self.env["stock.warehouse.orderpoint"].sudo().with_context(active_test=False)
        if to_delete:
            Orderpoint.browse(to_delete).unlink()
        for (threshold_id, min_qty, max_qty), ids in to_update.items():
            Orderpoint.browse(ids).write(
                {
                    "store_threshold_id": threshold_id,
                    "product_min_qty": min_qty,
                    "product_max_qty": max_qty,
                    "active": True,
                    "trigger": "manual",
                }
            )
        if to_create:
            Orderpoint.create(to_create)
        return left

    @api.model
    def _cron_sync_orderpoints(self):
        """The background job: apply what saves left (a batch, a commit, and again) and, nightly,
        bring the rules of new stores and new products of a threshold's category up to date."""
        Cron = self.env["ir.cron"]
        companies = self.env["store.store"].sudo()._read_group([], ["company_id"])
        for (company,) in companies:
            left = True
            while left:
                left = self._sync_orderpoints(company)
                if Cron._commit_progress(remaining=left) <= 0 and left:
                    return  # out of time: the job runs again soon, from where it is

    def action_apply(self):
        """Button: write the thresholds of the chain as reorder rules now (a big change: the first
        batch now, the rest in the background job)."""
        self.check_access("write")
        left = self._sync_orderpoints(self.company_id or self.env.company)
        if not left:
            return True
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "message": self.env._(
                    "%(count)s reorder rules are left to apply: "
                    "the background job applies them in the next minutes.",
                    count=left,
                ),
            },
        }

    def action_view_orderpoints(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "store_stock.stock_warehouse_orderpoint_store_action"
        )
        action["domain"] = [("store_threshold_id", "=", self.id)]
        return action
