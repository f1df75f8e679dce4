from odoo import api, fields, models


class StoreRegion(models.Model):
    _name = "store.region"
    _description = "Store Region"
    _order = "sequence, code, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    manager_user_ids = fields.Many2many(
        "res.users",
        "store_region_manager_rel",
        "region_id",
        "user_id",
        string="Region Managers",
        help="Users who manage every store of this region.",
    )
    store_ids = fields.One2many("store.store", "region_id", string="Stores")
    store_count = fields.Integer(compute="_compute_store_count")

    _code_company_uniq = models.Constraint(
        "UNIQUE(code, company_id)", "The region code must be unique per company."
    )

    @api.depends("store_ids")
    def _compute_store_count(self):
        counts = dict(
            self.env["store.store"]._read_group([("region_id", "in", self.ids)], ["region_id"], ["__count"])
        )
        for region in self:
            region.store_count = counts.get(region, 0)

    @api.model_create_multi
    def create(self, vals_list):
        regions = super().create(vals_list)
        self.env.registry.clear_cache()  # region managers' allowed stores feed record rules
        return regions

    def write(self, vals):
        managers_before = self.manager_user_ids
        res = super().write(vals)
        if "manager_user_ids" in vals or "active" in vals:
            self.env.registry.clear_cache()
            (managers_before | self.manager_user_ids)._default_current_store()
        return res

    def unlink(self):
        managers = self.manager_user_ids
        res = super().unlink()
        self.env.registry.clear_cache()
        managers._default_current_store()
        return res

    def action_view_stores(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("store_pos_ext.store_store_action")
        action["domain"] = [("region_id", "=", self.id)]
        action["context"] = {"default_region_id": self.id}
        return action
