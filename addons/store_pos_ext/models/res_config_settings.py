from lxml import etree

from odoo import api, fields, models
from odoo.exceptions import AccessError

# the settings app of the chain: <app name="store_pos_ext"> (the other chain addons add blocks to it)
CHAIN_SETTINGS_APP = "store_pos_ext"


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    score_weight_sales = fields.Float(related="company_id.score_weight_sales", readonly=False)
    score_weight_orders = fields.Float(related="company_id.score_weight_orders", readonly=False)
    score_weight_signups = fields.Float(related="company_id.score_weight_signups", readonly=False)
    score_weight_checklist = fields.Float(related="company_id.score_weight_checklist", readonly=False)
    score_weight_ontime = fields.Float(related="company_id.score_weight_ontime", readonly=False)
    score_weight_photos = fields.Float(related="company_id.score_weight_photos", readonly=False)
    training_bottom_percent = fields.Float(related="company_id.training_bottom_percent", readonly=False)
    training_months = fields.Integer(related="company_id.training_months", readonly=False)
    training_scope = fields.Selection(related="company_id.training_scope", readonly=False)

    # ------------------------------------------------------------------ HQ admins
    # Core lets base.group_system only at res.config.settings (ir.model.access) and execute()
    # needs an administrator. HQ admins get the model's access rights too (ir.model.access.csv)
    # but, below settings administrators, reach only the chain's own settings: the fields of
    # _store_chain_settings_fields() are the only ones they read, write or get defaults for, the
    # settings view shows them the chain's app only, and saving applies only those fields (each a
    # field of their company, written as superuser) without running the other apps' set_values().

    @api.model
    def _store_chain_settings_fields(self):
        """Settings of the chain's app that HQ admins read and change. Each is a related field on
        ``company_id`` (a company's setting). Chain addons adding a setting extend this."""
        return {
            "score_weight_sales",
            "score_weight_orders",
            "score_weight_signups",
            "score_weight_checklist",
            "score_weight_ontime",
            "score_weight_photos",
            "training_bottom_percent",
            "training_months",
            "training_scope",
        }

    @api.model
    def _store_chain_settings_only(self):
        """Whether the user reaches the settings below settings administrator (as an HQ admin)."""
        return not self.env.su and not self.env.user._is_system()

    @api.model
    def _store_check_hq_admin(self):
        if not self.env.user.has_group("store_pos_ext.group_hq_admin"):
            raise AccessError(self.env._("Only HQ administrators can change the chain's settings."))

    @api.model
    def _has_field_access(self, field, operation):
        if self._store_chain_settings_only():
            allowed = self._store_chain_settings_fields()
            if operation == "read":
                allowed = allowed | {"id", "display_name"}
            if field.name not in allowed:
                return False
        return super()._has_field_access(field, operation)

    @api.model
    def default_get(self, fields):
        if self._store_chain_settings_only():
            # no other app's defaults (nor their get_values()) for HQ admins; the company of the
            # settings is the current one
            allowed = self._store_chain_settings_fields() | {"company_id"}
            fields = [fname for fname in fields if fname in allowed]
            values = super().default_get(fields)
            # every app's get_values() answers whatever fields were asked
            return {fname: value for fname, value in values.items() if fname in allowed}
        return super().default_get(fields)

    @api.model
    def get_values(self):
        values = super().get_values()
        if self._store_chain_settings_only():
            allowed = self._store_chain_settings_fields()
            values = {fname: value for fname, value in values.items() if fname in allowed}
        return values

    @api.model
    def get_view(self, view_id=None, view_type="form", **options):
        result = super().get_view(view_id, view_type, **options)
        if view_type != "form" or not self._store_chain_settings_only():
            return result
        arch = etree.fromstring(result["arch"])
        for app in arch.xpath(f"//app[@name!='{CHAIN_SETTINGS_APP}']"):
            app.getparent().remove(app)
        for node in arch.xpath("//field[@name]"):
            field = self._fields.get(node.get("name"))
            if field is None or not self._has_field_access(field, "read"):
                node.getparent().remove(node)
        result["arch"] = etree.tostring(arch, encoding="unicode")
        return result

    def _store_pop_company_values(self, vals):
        """Check that ``vals`` only sets the chain's settings, and take the company fields out of
        it: ``{company field: value}``."""
        company_vals = {}
        for fname in list(vals):
            field = self._fields.get(fname)
            if field is None:
                continue
            self._check_field_access(field, "write")
            path = (field.related or "").split(".")
            if len(path) == 2 and path[0] == "company_id" and not field.readonly:
                value = vals.pop(fname)
                if field.type == "many2one" and value:
                    self.env[field.comodel_name].browse(value).check_access("read")
                company_vals[path[1]] = value
        return company_vals

    @api.model_create_multi
    def create(self, vals_list):
        if not self._store_chain_settings_only():
            return super().create(vals_list)
        self._store_check_hq_admin()
        company_vals = [self._store_pop_company_values(vals) for vals in vals_list]
        records = super().create(vals_list)
        for record, values in zip(records, company_vals, strict=True):
            if values:
                record.sudo().company_id.write(values)
        records.invalidate_recordset()
        return records

    def write(self, vals):
        if not self._store_chain_settings_only():
            return super().write(vals)
        self._store_check_hq_admin()
        vals = dict(vals)
        company_vals = self._store_pop_company_values(vals)
        res = super().write(vals) if vals else True
        if company_vals:
            self.sudo().company_id.write(company_vals)
        self.invalidate_recordset()
        return res

    def set_values(self):
        if not self._store_chain_settings_only():
            return super().set_values()
        # the chain's settings are company fields, written when the settings are saved
        self._store_check_hq_admin()
        return None

    def execute(self):
        if not self._store_chain_settings_only():
            return super().execute()
        self.ensure_one()
        self._store_check_hq_admin()
        self.set_values()
        return {"type": "ir.actions.client", "tag": "reload"}
