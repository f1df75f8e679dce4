from odoo import api, fields, models
from odoo.exceptions import UserError

from .pos_order import PAID_STATES, creating_orders, paid_edit_allowed

# What was sold on a line: fixed once its order is paid (core itself only writes the cost, lots
# and coupons of paid lines afterwards).
PAID_LINE_FIELDS = {
    "order_id",
    "product_id",
    "qty",
    "price_unit",
    "discount",
    "price_extra",
    "price_subtotal",
    "price_subtotal_incl",
    "tax_ids",
    "refunded_orderline_id",
}


class PosOrderLine(models.Model):
    _name = "pos.order.line"
    _inherit = ["pos.order.line", "store.scope.guard"]

    salesperson_id = fields.Many2one(
        "hr.employee",
        index="btree_not_null",
        help="The employee credited for this line in staff performance. Empty: the order's "
        "cashier (or the employee of the order's user) is credited.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        if not creating_orders():
            Order = self.env["pos.order"]
            orders = Order.browse(
                {
                    vals["order_id"]
                    for vals in vals_list
                    if vals.get("order_id") and not self._is_late_tip(vals)
                }
            )
            self._check_paid_orders(orders)
        return super().create(vals_list)

    @api.model
    def _is_late_tip(self, vals):
        """Whether ``vals`` is the tip line pos_restaurant adds to a paid order ("tip after
        payment"): its tip product, on an order not tipped yet, where the POS allows it."""
        order = self.env["pos.order"].browse(vals["order_id"])
        config = order.config_id
        return bool(
            config.tip_product_id
            and vals.get("product_id") == config.tip_product_id.id
            and "set_tip_after_payment" in config._fields
            and config.set_tip_after_payment
            and not order.is_tipped
        )

    def write(self, vals):
        guarded = self._paid_line_fields() & set(vals)
        if guarded:
            changed = self.filtered(lambda line: line._paid_line_changes(vals, guarded))
            if changed:
                target = self.env["pos.order"].browse(vals.get("order_id") or [])
                self._check_paid_orders(changed.order_id | target)
        return super().write(vals)

    @api.model
    def _paid_line_fields(self):
        """Line fields fixed once the order is paid (other addons add theirs)."""
        return PAID_LINE_FIELDS

    def _paid_line_changes(self, vals, names):
        self.ensure_one()
        for name in names:
            field, value = self._fields[name], vals[name]
            if field.type in ("one2many", "many2many"):
                if value:
                    return True
            elif field.type == "many2one":
                if (value or False) != self[name].id:
                    return True
            elif field.type in ("float", "monetary"):
                if round((value or 0.0) - self[name], 6):
                    return True
            elif value != self[name]:
                return True
        return False

    def _check_paid_orders(self, orders):
        # Orders of a store's POS only: a POS without a store keeps core's behaviour.
        for order in orders.filtered(lambda o: o.state in PAID_STATES and o.config_id.store_id):
            if not paid_edit_allowed(order):
                raise UserError(self.env._("The lines of a paid order cannot be changed: make a refund."))

    # ------------------------------------------------------------ pricing
    def _price_is_reward(self):
        """Whether this line is a reward the server pricing leaves to the loyalty and promotion
        checks (pos_loyalty's reward lines; see store_membership)."""
        self.ensure_one()
        return False

    def _price_attribute_extra(self):
        """The POS's ``price_extra`` of this line: the extras of its no_variant and dynamic
        attribute values (those of "always" attributes are in the variant's price)."""
        self.ensure_one()
        return sum(
            value.price_extra
            for value in self.attribute_value_ids
            if value.attribute_id.create_variant != "always"
        )
