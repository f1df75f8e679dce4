from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResUsers(models.Model):
    _inherit = "res.users"

    store_ids = fields.Many2many(
        "store.store",
        "res_users_store_store_rel",
        "user_id",
        "store_id",
        string="Allowed Stores",
        help="Stores whose data this user may see and work on (store-level roles only; "
        "HQ roles see every store).",
    )
    store_id = fields.Many2one(
        "store.store",
        string="Current Store",
        help="Default store of the records this user creates.",
    )
    managed_region_ids = fields.Many2many(
        "store.region",
        "store_region_manager_rel",
        "user_id",
        "region_id",
        string="Managed Regions",
    )
    allowed_store_ids = fields.Many2many(
        "store.store",
        compute="_compute_allowed_store_ids",
        compute_sudo=True,
        string="All Allowed Stores",
        help="Allowed stores plus every store of the regions the user manages. "
        "Record rules of store-level roles filter on this.",
    )

    @api.depends("store_ids", "managed_region_ids.store_ids")
    def _compute_allowed_store_ids(self):
        for user in self:
            user.allowed_store_ids = user.store_ids | user.managed_region_ids.store_ids

    @api.constrains("store_id")
    def _check_current_store(self):
        for user in self:
            if user.store_id and user.store_id not in user.allowed_store_ids:
                raise ValidationError(
                    self.env._(
                        "%(store)s is not one of the allowed stores of %(user)s.",
                        store=user.store_id.name,
                        user=user.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        users = super().create(vals_list)
        users._default_current_store()
        return users

    def write(self, vals):
        res = super().write(vals)
        if {"store_ids", "managed_region_ids"} & vals.keys():
            if "store_id" not in vals:
                self._default_current_store()
            self.env.registry.clear_cache()  # rule domains are cached per user
        return res

    def _default_current_store(self):
        """Keep the current store among the allowed ones (first allowed store, or none)."""
        for user in self.sudo():
            if not user.store_id or user.store_id not in user.allowed_store_ids:
                user.store_id = user.allowed_store_ids[:1]

    def action_archive(self):
        """Core (mail) deletes the activities of a user it archives. A store employee's user is
        archived when they leave (hr_employee._store_offboard) and their open activities wait for
        the staff handover (store.staff.handover) to give them to a colleague: they are kept."""
        staff = self.filtered(lambda u: u.sudo().with_context(active_test=False).employee_ids.store_id)
        if staff:
            staff.write({"active": False})
        others = self - staff
        return super(ResUsers, others).action_archive() if others else True

    @api.model
    def _demo_quiet_odoobot(self, user_ids):
        """Demo data only: OdooBot (mail_bot, when installed) opens no onboarding chat on these
        users' first login."""
        if "odoobot_state" in self._fields:
            self.browse(user_ids).sudo().odoobot_state = "disabled"

    def _store_lang(self):
        """The language of what the server writes for this user (their activities): theirs if it
        is active, else their company's."""
        self.ensure_one()
        return self.env["res.lang"]._get_code(self.sudo().lang) or self.sudo().company_id._store_lang()

    @property
    def SELF_READABLE_FIELDS(self):
        return [*super().SELF_READABLE_FIELDS, "store_id", "store_ids", "allowed_store_ids"]

    @api.model
    def _load_pos_data_read(self, records, config):
        # A store's POS: the role the server prices the user's manual discounts by (the till warns
        # before payment; core's ``role`` knows no store managers nor HQ).
        read_records = super()._load_pos_data_read(records, config)
        if config.store_id:
            for user in read_records:
                user["_store_price_role"] = config.with_env(self.env)._price_role_of()
        return read_records
