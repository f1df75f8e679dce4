from collections import defaultdict, namedtuple

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_round

# One query for the whole chain (or the given regions/products): each store's position on each of
# its reorder rules (core's stock.warehouse.orderpoint on the store warehouse's stock location).
#   on_hand  quants in the rule's location and its internal sub-locations
#   incoming open moves (confirmed/waiting/assigned) into it from elsewhere (a transfer on its way)
#   outgoing open moves out of it to elsewhere
#   keep_qty what the store keeps: its maximum; its minimum (safety stock) only when the product is
#            an open slow mover there (store.stock.alert), so all the stock it does not sell above
#            its safety stock may go where it sells
# Rules with min = max = 0 are ignored (core's replenishment report creates such manual rules by
# itself). Only (product, region) pairs with at least one deficit and one surplus come back. A store
# put in a region of another company (regions do not check it) is left out: no transfer across companies.
POSITIONS_SQL = """
WITH op AS (
    SELECT op.id AS orderpoint_id, op.product_id, op.location_id,
           op.product_min_qty AS min_qty,
           GREATEST(op.product_max_qty, op.product_min_qty) AS max_qty,
           s.id AS store_id, s.region_id, s.sequence AS store_sequence,
           CASE WHEN EXISTS (
                    SELECT 1 FROM store_stock_alert a
                     WHERE a.store_id = s.id AND a.product_id = op.product_id
                       AND a.kind = 'slow_mover' AND a.state = 'open')
                THEN op.product_min_qty
                ELSE GREATEST(op.product_max_qty, op.product_min_qty) END AS keep_qty
      FROM stock_warehouse_orderpoint op
      JOIN stock_warehouse w ON w.id = op.warehouse_id AND w.lot_stock_id = op.location_id
      JOIN store_store s ON s.warehouse_id = w.id
      JOIN store_region r ON r.id = s.region_id AND r.company_id = s.company_id
     WHERE op.active AND s.active AND s.region_id IS NOT NULL
       AND (op.product_min_qty > 0 OR op.product_max_qty > 0)
       AND (%(region_ids)s::int[] IS NULL OR s.region_id = ANY(%(region_ids)s::int[]))
       AND (%(product_ids)s::int[] IS NULL OR op.product_id = ANY(%(product_ids)s::int[]))
), loc AS (
    SELECT DISTINCT parent.id AS op_location_id, child.id AS location_id
      FROM stock_location parent
      JOIN stock_location child ON child.parent_path LIKE parent.parent_path || '%%'
      JOIN stock_warehouse w ON w.lot_stock_id = parent.id
      JOIN store_store s ON s.warehouse_id = w.id AND s.active AND s.region_id IS NOT NULL
     WHERE child.usage = 'internal'
       AND (%(region_ids)s::int[] IS NULL OR s.region_id = ANY(%(region_ids)s::int[]))
), quant AS (
    SELECT loc.op_location_id, q.product_id, SUM(q.quantity) AS qty
      FROM stock_quant q
      JOIN loc ON loc.location_id = q.location_id
     WHERE (%(product_ids)s::int[] IS NULL OR q.product_id = ANY(%(product_ids)s::int[]))
     GROUP BY 1, 2
), incoming AS (
    SELECT dst.op_location_id, m.product_id, SUM(m.product_qty) AS qty
      FROM stock_move m
      JOIN loc dst ON dst.location_id = m.location_dest_id
      LEFT JOIN loc src ON src.location_id = m.location_id AND src.op_location_id = dst.op_location_id
     WHERE m.state NOT IN ('draft', 'done', 'cancel') AND src.location_id IS NULL
       AND (%(product_ids)s::int[] IS NULL OR m.product_id = ANY(%(product_ids)s::int[]))
     GROUP BY 1, 2
), outgoing AS (
    SELECT src.op_location_id, m.product_id, SUM(m.product_qty) AS qty
      FROM stock_move m
      JOIN loc src ON src.location_id = m.location_id
      LEFT JOIN loc dst ON dst.location_id = m.location_dest_id AND dst.op_location_id = src.op_location_id
     WHERE m.state NOT IN ('draft', 'done', 'cancel') AND dst.location_id IS NULL
       AND (%(product_ids)s::int[] IS NULL OR m.product_id = ANY(%(product_ids)s::int[]))
     GROUP BY 1, 2
), pos AS (
    SELECT op.*, COALESCE(quant.qty, 0) AS on_hand,
           COALESCE(quant.qty, 0) + COALESCE(incoming.qty, 0) - COALESCE(outgoing.qty, 0) AS forecast,
           COALESCE(quant.qty, 0) - COALESCE(outgoing.qty, 0) AS shippable
      FROM op
      LEFT JOIN quant ON quant.op_location_id = op.location_id AND quant.product_id = op.product_id
      LEFT JOIN incoming ON incoming.op_location_id = op.location_id AND incoming.product_id = op.product_id
      LEFT JOIN outgoing ON outgoing.op_location_id = op.location_id AND outgoing.product_id = op.product_id
), flagged AS (
    SELECT pos.*, pos.forecast < pos.min_qty AS is_deficit, pos.shippable > pos.keep_qty AS is_surplus
      FROM pos
)
SELECT orderpoint_id, product_id, region_id, store_id, store_sequence, min_qty, max_qty, forecast,
       shippable, is_deficit, is_surplus, keep_qty
  FROM (
    SELECT flagged.*, bool_or(is_deficit) OVER w AS any_deficit, bool_or(is_surplus) OVER w AS any_surplus
      FROM flagged
     WHERE is_deficit OR is_surplus
    WINDOW w AS (PARTITION BY product_id, region_id)
) x
WHERE (any_deficit AND any_surplus) OR %(every_row)s
"""
# The suggestions of _compute_suggestions, one array per column of ``Planned``. Written by the server
# (the nightly job, or a manager's Refresh in sudo): no create_uid/write_uid, whose foreign-key
# checks would cost as much as the rest of the row (a chain has hundreds of thousands of rows); the
# table keeps only the foreign keys it needs (stores, product, region).
INSERT_SQL = """
INSERT INTO store_stock_transfer_suggestion (
    store_id, source_store_id, product_id, quantity, dest_forecast, dest_min_qty, dest_max_qty,
    source_qty, source_max_qty, source_distance, region_id, state, state_sequence, create_date,
    write_date)
SELECT v.store_id, v.source_store_id, v.product_id, v.quantity, v.dest_forecast, v.dest_min_qty,
       v.dest_max_qty, v.source_qty, v.source_max_qty, v.source_distance, s.region_id, 'new', 0,
       NOW() AT TIME ZONE 'UTC', NOW() AT TIME ZONE 'UTC'
  FROM unnest(%(c0)s::int[], %(c1)s::int[], %(c2)s::int[], %(c3)s::float8[], %(c4)s::float8[],
              %(c5)s::float8[], %(c6)s::float8[], %(c7)s::float8[], %(c8)s::float8[], %(c9)s::int[])
       AS v(store_id, source_store_id, product_id, quantity, dest_forecast, dest_min_qty, dest_max_qty,
            source_qty, source_max_qty, source_distance)
  JOIN store_store s ON s.id = v.store_id
RETURNING id
"""

Position = namedtuple(
    "Position",
    "orderpoint_id product_id region_id store_id store_sequence min_qty max_qty forecast shippable "
    "is_deficit is_surplus keep_qty",
)
# One suggestion to insert (the columns of the INSERT of _compute_suggestions, in order).
Planned = namedtuple(
    "Planned",
    "store_id source_store_id product_id quantity dest_forecast dest_min_qty dest_max_qty source_qty "
    "source_max_qty source_distance",
)


class StoreStockTransferSuggestion(models.Model):
    """A store-to-store transfer (调拨) proposed by the server: a store of a region whose stock of a
    product is below its reorder rule's minimum gets it from stores of the same region holding more
    than their rule's maximum. ``store_id`` is the destination (the store that asked), ``source_store_id``
    the store that ships; users of both stores see the suggestion, each side only its own picking."""

    _name = "store.stock.transfer.suggestion"
    _inherit = ["store.scoped.mixin"]
    _description = "Transfer Suggestion"
    _order = "state_sequence, region_id, product_id, store_id, source_distance, id"
    _check_company_auto = True

    store_id = fields.Many2one(string="To Store", help="The store short of the product.")
    source_store_id = fields.Many2one(
        "store.store",
        string="From Store",
        required=True,
        index=True,
        ondelete="cascade",
        help="A store of the same region holding more than its maximum.",
    )
    company_id = fields.Many2one(related="store_id.company_id")
    product_id = fields.Many2one("product.product", required=True, index=True, ondelete="cascade")
    uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    quantity = fields.Float("Quantity to Move", digits="Product Unit", required=True)
    dest_forecast = fields.Float(
        "Stock at Destination",
        digits="Product Unit",
        help="On hand at the destination, with the transfers already on their way, when suggested.",
    )
    dest_min_qty = fields.Float("Destination Min", digits="Product Unit")
    dest_max_qty = fields.Float("Destination Max", digits="Product Unit")
    source_qty = fields.Float(
        "Stock at Source",
        digits="Product Unit",
        help="On hand at the source less what it already ships, when suggested.",
    )
    source_max_qty = fields.Float(
        "Source Keeps",
        digits="Product Unit",
        help="What the source store keeps: its maximum, or its safety stock when the product is a "
        "slow mover there.",
    )
    source_distance = fields.Integer(
        "Distance Rank",
        help="How far the source is from the destination: the difference of their store sequences "
        "(stores are numbered along the delivery round). Nearest sources are used first.",
    )
    out_picking_id = fields.Many2one("stock.picking", string="Source Delivery", readonly=True, copy=False)
    in_picking_id = fields.Many2one("stock.picking", string="Destination Receipt", readonly=True, copy=False)
    state = fields.Selection(
        [
            ("new", "Suggested"),
            ("transfer", "Transfer Created"),
            ("transit", "In Transit"),
            ("done", "Received"),
            ("cancel", "Cancelled"),
        ],
        compute="_compute_state",
        store=True,
        index=True,
    )
    state_sequence = fields.Integer(compute="_compute_state", store=True)

    _quantity_positive = models.Constraint("CHECK(quantity > 0)", "The quantity to move must be positive.")

    @api.depends("out_picking_id.state", "in_picking_id.state")
    def _compute_state(self):
        order = {"new": 0, "transfer": 1, "transit": 2, "done": 3, "cancel": 4}
        for suggestion in self:
            out, incoming = suggestion.sudo().out_picking_id, suggestion.sudo().in_picking_id
            if not incoming:
                state = "new"
            elif "cancel" in (out.state, incoming.state):
                state = "cancel"
            elif incoming.state == "done":
                state = "done"
            elif out.state == "done":
                state = "transit"
            else:
                state = "transfer"
            suggestion.state = state
            suggestion.state_sequence = order[state]

    @api.depends("product_id", "source_store_id", "store_id")
    def _compute_display_name(self):
        for suggestion in self.sudo():
            suggestion.display_name = self.env._(
                "%(product)s: %(from_store)s → %(dest)s",
                product=suggestion.product_id.display_name,
                from_store=suggestion.source_store_id.name,
                dest=suggestion.store_id.name,
            )

    # ------------------------------------------------------------------ computation
    @api.model
    def _stock_positions(self, region_ids=None, product_ids=None, every_row=False):
        """Rows (``Position``) of POSITIONS_SQL: one query, whatever the number of stores and
        products; ``every_row``: also the deficits and surpluses of products nobody else can help."""
        self.env.flush_all()
        cr = self.env.cr
        # A chain's positions are a million rows: sorts and hashes in memory, and no JIT (it takes
        # PostgreSQL seconds to compile this plan); both back to the session's settings after.
        cr.execute("SET LOCAL jit = off; SET LOCAL work_mem = '64MB'")
        try:
            cr.execute(
                POSITIONS_SQL,
                {
                    "region_ids": list(region_ids) if region_ids is not None else None,
                    "product_ids": list(product_ids) if product_ids is not None else None,
                    "every_row": every_row,
                },
            )
            return [Position(*row) for row in cr.fetchall()]
        finally:
            cr.execute("RESET jit; RESET work_mem")

    @api.model
    def _plan(self, rows):
        """Split each deficit over the surplus stores of its region, nearest first.

        A deficit is a store whose stock (on hand plus what is on its way, less what it ships) is
        below its rule's minimum; it asks for enough to reach its maximum. A surplus is what a store
        holds (on hand less what it ships) above what it keeps (``keep_qty``): its maximum, or its
        minimum where the product is an open slow mover (滞销) in that store; never more is taken
        from it. The deficits of a product in a region are served biggest
        first (then in store order), each from the nearest sources first (see ``source_distance``);
        a surplus given to one deficit is not offered again. Returns a list of ``Planned``."""
        groups = defaultdict(lambda: ([], []))
        for row in rows:
            deficits, sources = groups[row.product_id, row.region_id]
            if row.is_deficit:
                deficits.append((row, row.max_qty - row.forecast))
            elif row.is_surplus:
                sources.append([row, row.shippable - row.keep_qty])
        products = self.env["product.product"].browse({key[0] for key in groups})
        rounding = {p.id: p.uom_id.rounding for p in products}
        plan = []
        for (product_id, _region_id), (deficits, sources) in groups.items():
            deficits.sort(key=lambda d: (-d[1], d[0].store_sequence, d[0].store_id))
            for deficit, need in deficits:
                nearest = sorted(
                    sources,
                    key=lambda s, d=deficit: (
                        abs(s[0].store_sequence - d.store_sequence),
                        s[0].store_sequence,
                        s[0].store_id,
                    ),
                )
                for source in nearest:
                    qty = float_round(
                        min(need, source[1]), precision_rounding=rounding[product_id], rounding_method="DOWN"
                    )
                    if qty <= 0:
                        continue
                    source[1] -= qty
                    need -= qty
                    row = source[0]
                    plan.append(
                        Planned(
                            deficit.store_id,
                            row.store_id,
                            product_id,
                            qty,
                            deficit.forecast,
                            deficit.min_qty,
                            deficit.max_qty,
                            row.shippable,
                            row.keep_qty,
                            abs(row.store_sequence - deficit.store_sequence),
                        )
                    )
                    if need <= 0:
                        break
        return plan

    @api.model
    def _compute_suggestions(self, regions=None):
        """Replace the open suggestions (not yet turned into a transfer) of ``regions`` (all regions
        when None) with fresh ones. Transfers already created count as on their way. In SQL both
        ways (a chain has hundreds of thousands of them): the stored fields the ORM would compute
        (region, company, state) are set by the INSERT."""
        region_ids = regions.ids if regions is not None else None
        self.env.flush_all()
        self.env.cr.execute(
            "DELETE FROM store_stock_transfer_suggestion"
            " WHERE state = 'new' AND (%(regions)s::int[] IS NULL OR region_id = ANY(%(regions)s::int[]))",
            {"regions": region_ids},
        )
        self.invalidate_model()
        plan = self._plan(self._stock_positions(region_ids=region_ids))
        if not plan:
            return self.browse()
        # each column as one array literal ('{1,2,3}'): PostgreSQL parses it at once, where an
        # ARRAY[...] expression of hundreds of thousands of parameters takes it seconds
        columns = ["{" + ",".join(map(str, column)) + "}" for column in zip(*plan, strict=True)]
        self.env.cr.execute(INSERT_SQL, {f"c{i}": column for i, column in enumerate(columns)})
        return self.sudo().browse([row[0] for row in self.env.cr.fetchall()])

    @api.model
    def _cron_compute_suggestions(self):
        self._compute_suggestions()

    @api.model
    def action_compute_suggestions(self):
        """The list's Refresh button: HQ administrators recompute the chain, store and region
        managers the regions of their stores."""
        user = self.env.user
        if user.has_group("store_pos_ext.group_hq_admin"):
            regions = None
        elif user.has_group("store_pos_ext.group_store_manager"):
            regions = user.allowed_store_ids.region_id
        else:
            raise AccessError(
                self.env._(
                    "Only store managers, region managers and HQ administrators can refresh "
                    "transfer suggestions."
                )
            )
        self._compute_suggestions(regions)
        return {"type": "ir.actions.client", "tag": "soft_reload"}

    # ------------------------------------------------------------------ transfers
    def _check_may_create_transfer(self):
        """Who creates the transfer: a store manager of either store (the destination accepts the
        suggestion, the source offers its surplus), a region manager of their region's stores, or an
        HQ administrator. Nothing moves before each side validates its own picking."""
        user = self.env.user
        if self.env.su or user.has_group("store_pos_ext.group_hq_admin"):
            return
        if not user.has_group("store_pos_ext.group_store_manager"):
            raise AccessError(self.env._("Only store managers and HQ administrators can create transfers."))
        allowed = user.allowed_store_ids
        for suggestion in self:
            if not (suggestion.store_id | suggestion.source_store_id) & allowed:
                raise AccessError(
                    self.env._(
                        "You do not manage %(dest)s nor %(from_store)s.",
                        dest=suggestion.store_id.name,
                        from_store=suggestion.source_store_id.name,
                    )
                )

    def action_create_transfer(self):
        """Create the inter-warehouse transfer of each suggestion through the company's transit
        location: the source's delivery (its stock → transit) and the destination's receipt
        (transit → its stock), chained as core's resupply routes chain them. Stock moves only
        when the source validates its delivery, then when the destination validates its receipt."""
        self.check_access("read")
        self._check_may_create_transfer()
        for suggestion in self.sudo():
            if suggestion.state != "new":
                raise UserError(self.env._("%(name)s already has a transfer.", name=suggestion.display_name))
            suggestion._check_source_still_has_surplus()
            suggestion._create_pickings()
        return self.action_view_transfers() if len(self) == 1 else True

    def _check_source_still_has_surplus(self):
        self.ensure_one()
        rows = self._stock_positions(
            region_ids=self.region_id.ids, product_ids=self.product_id.ids, every_row=True
        )
        source = next((r for r in rows if r.store_id == self.source_store_id.id), None)
        left = source.shippable - source.keep_qty if source and source.is_surplus else 0
        if left < self.quantity:
            raise UserError(
                self.env._(
                    "%(from_store)s no longer has %(qty)s %(uom)s of %(product)s above what it keeps "
                    "(Quantity to Move). Refresh the suggestions.",
                    from_store=self.source_store_id.name,
                    qty=self.quantity,
                    uom=self.uom_id.name,
                    product=self.product_id.display_name,
                )
            )

    def _create_pickings(self):
        self.ensure_one()
        company = self.company_id
        transit = company.internal_transit_location_id
        if not transit:
            raise UserError(
                self.env._("The company %s has no inter-warehouse transit location.", company.name)
            )
        src_wh, dst_wh = self.source_store_id.warehouse_id, self.store_id.warehouse_id
        if not src_wh or not dst_wh:
            raise UserError(self.env._("Both stores need a warehouse (Warehouse)."))
        Picking = self.env["stock.picking"].sudo().with_company(company)
        # Both stores read it: in the company's language, not the clicking user's.
        origin = self.with_context(lang=company._store_lang()).env._("Transfer suggestion %s", self.id)

        def move(source, dest, **extra):
            return Command.create(
                {
                    "product_id": self.product_id.id,
                    "product_uom_qty": self.quantity,
                    "product_uom": self.product_id.uom_id.id,
                    "location_id": source.id,
                    "location_dest_id": dest.id,
                    "company_id": company.id,
                    **extra,
                }
            )

        out = Picking.create(
            {
                "picking_type_id": src_wh.out_type_id.id,
                "location_id": src_wh.lot_stock_id.id,
                "location_dest_id": transit.id,
                "partner_id": dst_wh.partner_id.id,
                "origin": origin,
                "move_ids": [move(src_wh.lot_stock_id, transit, propagate_cancel=True)],
            }
        )
        incoming = Picking.create(
            {
                "picking_type_id": dst_wh.in_type_id.id,
                "location_id": transit.id,
                "location_dest_id": dst_wh.lot_stock_id.id,
                "partner_id": src_wh.partner_id.id,
                "origin": origin,
                "move_ids": [
                    move(transit, dst_wh.lot_stock_id, move_orig_ids=[Command.set(out.move_ids.ids)])
                ],
            }
        )
        (out | incoming).action_confirm()
        out.action_assign()
        self.write({"out_picking_id": out.id, "in_picking_id": incoming.id})

    def action_view_transfers(self):
        """The pickings of these suggestions the user may read: each store sees its own side."""
        pickings = (self.sudo().out_picking_id | self.sudo().in_picking_id).with_env(self.env)
        pickings = pickings._filtered_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id("stock.action_picking_tree_all")
        action.update({"domain": [("id", "in", pickings.ids)], "context": {"create": False}})
        if len(pickings) == 1:
            action.update({"view_mode": "form", "views": [(False, "form")], "res_id": pickings.id})
        return action
