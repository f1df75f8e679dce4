from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError

# The presets the wizard offers: its field -> (core's preset, its label and identification when
# core's record was deleted and one is made again)
PRESETS = {
    "dine_in": ("pos_restaurant.pos_takein_preset", "Dine In", "none"),
    "takeaway": ("pos_restaurant.pos_takeout_preset", "Takeout", "name"),
    "delivery": ("pos_restaurant.pos_delivery_preset", "Delivery", "address"),
}
# Tables per row on the floor plan, and the grid's step (pixels)
TABLES_PER_ROW = 5
GRID = 150


class StoreRestaurantSetup(models.TransientModel):
    """Restaurant preset (餐饮方案) for one POS of a store: makes it a core pos_restaurant POS with a
    floor of N tables, the dine-in / takeaway / delivery presets chosen, kitchen (order) printing
    and tips off. Applied again, it adds only what is missing: the floor of that name is kept and
    gets the tables it lacks, the presets are set to those chosen. HQ administrators set up any
    store; a store manager their own stores' POS."""

    _name = "store.restaurant.setup"
    _inherit = ["store.scope.guard"]
    _description = "Restaurant preset"

    store_id = fields.Many2one(
        "store.store", required=True, ondelete="cascade", default=lambda self: self.env.user.store_id
    )
    config_id = fields.Many2one(
        "pos.config",
        string="Point of Sale",
        required=True,
        ondelete="cascade",
        domain="[('store_id', '=', store_id)]",
    )
    floor_name = fields.Char("Floor", required=True, default=lambda self: self.env._("Main Hall"))
    table_count = fields.Integer("Tables", required=True, default=10)
    seats = fields.Integer("Seats per Table", required=True, default=4)
    dine_in = fields.Boolean(default=True)
    takeaway = fields.Boolean(default=True)
    delivery = fields.Boolean()

    _table_count_range = models.Constraint(
        "CHECK (table_count > 0 AND table_count <= 200)", "A floor has 1 to 200 tables."
    )
    _seats_range = models.Constraint("CHECK (seats > 0 AND seats <= 50)", "A table has 1 to 50 seats.")

    @api.onchange("store_id")
    def _onchange_store_id(self):
        if self.config_id.store_id != self.store_id:
            configs = self.store_id.pos_config_ids
            self.config_id = configs[:1] if len(configs) == 1 else False

    # ------------------------------------------------------------------ checks
    def _check_can_set_up(self):
        """HQ administrators, or a store manager of the wizard's store; the POS must be that
        store's (the writes below run as superuser: pos.config is HQ's to write)."""
        user = self.env.user
        if not (
            user.has_group("store_pos_ext.group_hq_admin")
            or (
                user.has_group("store_pos_ext.group_store_manager")
                and self.store_id in user.allowed_store_ids
            )
        ):
            raise AccessError(self.env._("Only HQ or the store's manager sets up its restaurant."))
        config = self.config_id.sudo()
        if config.store_id != self.store_id or config.company_id not in self.env.companies:
            raise AccessError(
                self.env._(
                    "%(pos)s is not a point of sale of %(store)s.", pos=config.name, store=self.store_id.name
                )
            )
        if config.current_session_id:
            raise UserError(
                self.env._("Close the session of %s before setting up its restaurant.", config.name)
            )

    # ------------------------------------------------------------------ apply
    def _presets(self):
        Preset = self.env["pos.preset"].sudo()
        presets = Preset.browse()
        for fname, (xmlid, label, identification) in PRESETS.items():
            if not self[fname]:
                continue
            preset = self.env.ref(xmlid, raise_if_not_found=False) or Preset.search(
                [("name", "=", label)], limit=1
            )
            if not preset:
                preset = Preset.create({"name": label, "identification": identification})
            presets |= preset.sudo()
        return presets

    def _ensure_floor(self, config):
        """The config's floor named ``floor_name`` (made if missing) with tables 1..table_count
        (the missing numbers are added; extra tables, seats changed by hand are kept)."""
        floor = config.floor_ids.filtered(lambda f: f.name == self.floor_name)[:1]
        if not floor:
            floor = (
                self.env["restaurant.floor"]
                .sudo()
                .create({"name": self.floor_name, "pos_config_ids": [Command.link(config.id)]})
            )
        numbers = set(floor.with_context(active_test=False).table_ids.mapped("table_number"))
        self.env["restaurant.table"].sudo().create(
            [
                {
                    "floor_id": floor.id,
                    "table_number": number,
                    "seats": self.seats,
                    "shape": "square",
                    "width": 100,
                    "height": 100,
                    "position_h": 50 + ((number - 1) % TABLES_PER_ROW) * GRID,
                    "position_v": 50 + ((number - 1) // TABLES_PER_ROW) * GRID,
                }
                for number in range(1, self.table_count + 1)
                if number not in numbers
            ]
        )
        return floor

    @api.model
    def _config_value(self, config, name):
        """The config's value of ``name`` as written (an id for a many2one)."""
        field = config._fields[name]
        if field.type == "many2one":
            return config[name].id
        return config[name]

    def action_apply(self):
        self.ensure_one()
        self._check_can_set_up()
        config = self.config_id.sudo()
        floor = self._ensure_floor(config)
        presets = self._presets()
        vals = {
            "module_pos_restaurant": True,
            "default_screen": "tables",
            "is_order_printer": False,  # kitchen printing: off until the store adds its printers
            "iface_tipproduct": False,
            "set_tip_after_payment": False,
            "use_presets": bool(presets),
            "available_preset_ids": [Command.set(presets.ids)],
            "default_preset_id": presets[:1].id,
        }
        changed = {name: value for name, value in vals.items() if self._config_value(config, name) != value}
        if "available_preset_ids" in changed and set(config.available_preset_ids.ids) == set(presets.ids):
            del changed["available_preset_ids"]
        if changed:
            config.write(changed)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "%(pos)s is a restaurant: %(floor)s with %(tables)s tables.",
                    pos=config.name,
                    floor=floor.name,
                    tables=len(floor.table_ids),
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
