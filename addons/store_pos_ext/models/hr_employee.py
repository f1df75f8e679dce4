from odoo import api, fields, models


class HrEmployee(models.Model):
    _inherit = "hr.employee"

    store_id = fields.Many2one("store.store", index=True, tracking=True)

    @api.model
    def _load_pos_data_read(self, records, config):
        # A store's POS: the role the server prices each cashier's manual discounts by (the till
        # warns before payment; pos_hr's own ``_role`` knows no store managers nor HQ).
        read_records = super()._load_pos_data_read(records, config)
        if config.store_id:
            for employee in read_records:
                employee["_store_price_role"] = config.with_env(self.env)._price_role_of(
                    self.browse(employee["id"])
                )
        return read_records


class HrEmployeePublic(models.Model):
    _inherit = "hr.employee.public"

    store_id = fields.Many2one("store.store", readonly=True)
