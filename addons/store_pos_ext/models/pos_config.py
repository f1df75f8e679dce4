from odoo import api, fields, models
from odoo.exceptions import AccessError


class PosConfig(models.Model):
    _name = "pos.config"
    _inherit = ["pos.config", "store.scope.guard"]

    store_id = fields.Many2one(
        "store.store",
        index=True,
        ondelete="restrict",
        help="The store this point of sale belongs to. Store users only see their stores' POS.",
    )
    region_id = fields.Many2one(related="store_id.region_id", store=True)
    # Manual price changes and line discounts a role may give (core's "Line Discounts" and
    # "Restrict Price Modifications to Managers" decide whether it may at all).
    store_discount_limit_cashier = fields.Float(
        "Cashier discount limit (%)",
        default=10.0,
        help="Largest manual discount (line discount or lowered price) a cashier may give, with a reason.",
    )
    store_discount_limit_manager = fields.Float(
        "Store manager discount limit (%)",
        default=30.0,
        help="Largest manual discount a store manager (POS manager role) may give, with a reason.",
    )
    store_discount_limit_hq = fields.Float(
        "HQ discount limit (%)",
        default=100.0,
        help="Largest manual discount an HQ administrator may give, with a reason (100: no limit).",
    )

    @api.model
    def action_open_store_pos(self):
        """The home action of a store's cashier (``action_open_store_pos``): the POS of their current
        store (core's /pos/ui/<config>, which opens a session as the dashboard's button does), or
        core's POS dashboard when they have no store or their store has several POS."""
        store = self.env.user.store_id
        configs = self.search([("store_id", "=", store.id)]) if store else self.browse()
        if len(configs) == 1:
            return {"type": "ir.actions.act_url", "url": f"/pos/ui/{configs.id}", "target": "self"}
        return self.env["ir.actions.act_window"]._for_xml_id("point_of_sale.action_pos_config_kanban")

    def write(self, vals):
        # The settings of a store's POS are HQ's (core lets every POS user write its POS): a store
        # user, region managers included, would otherwise raise their own discount limits, switch
        # line discounts on, change its pricelist, its store, or the warehouse it takes stock from.
        store_pos = self.filtered("store_id") or vals.get("store_id")
        if store_pos and not self.env.su and self._store_confined_user():
            raise AccessError(
                self.env._(
                    "The settings of a store's POS are set by HQ administrators (%(fields)s).",
                    fields=", ".join(
                        sorted(
                            self._fields[name].get_description(self.env)["string"]
                            for name in vals
                            if name in self._fields
                        )
                    ),
                )
            )
        return super().write(vals)

    def _price_role_limit(self, role):
        """The largest manual discount (%) ``role`` may give on this POS."""
        self.ensure_one()
        return {
            "hq": self.store_discount_limit_hq,
            "manager": self.store_discount_limit_manager,
            "cashier": self.store_discount_limit_cashier,
        }.get(role, 0.0)

    def _price_role_of(self, employee=None):
        """The role (hq, manager, cashier, minimal) the server pricing judges a manual price change
        by (``pos.order._price_role``) in an order of this POS sent by the current user, naming
        ``employee`` (pos_hr's cashier; none: the user's own order). Loaded by the POS to warn the
        cashier before payment, so that the till and the server agree."""
        self.ensure_one()
        session = self.current_session_id
        order = self.env["pos.order"].new(
            {
                "session_id": session.id,
                "config_id": self.id,
                "employee_id": employee.id if employee else False,
            }
        )
        return order._price_role()[0]
