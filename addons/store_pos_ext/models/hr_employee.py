from markupsafe import Markup

from odoo import Command, api, fields, models

# A POS session that is not closed yet.
OPEN_SESSION_STATES = ("opening_control", "opened", "closing_control")


class HrEmployee(models.Model):
    _inherit = "hr.employee"

    store_id = fields.Many2one("store.store", index=True, tracking=True)

    def write(self, vals):
        leaving = self.filtered("active") if "active" in vals and not vals["active"] else self.browse()
        res = super().write(vals)
        leaving = leaving.filtered(lambda e: e._store_is_chain_staff())
        if leaving:
            leaving._store_offboard()
        return res

    def _store_is_chain_staff(self):
        """Staff of a store, or an employee whose user has a Store Chain role; the others keep core
        Odoo's departure."""
        self.ensure_one()
        user = self.sudo().user_id
        return bool(
            self.sudo().store_id
            or (user and user.has_group("store_pos_ext.group_store_user"))
            or (user and user.has_group("store_pos_ext.group_hq_analyst"))
        )

    def _store_offboard(self):
        """离职冻结: an archived employee of the chain (core's departure flow archives them) loses their
        access at once, whoever archived them and however:

        - their user is archived (its sessions end with it: ``active`` is part of the session
          token), unless it still belongs to another active employee, is the superuser, or is the
          user archiving them;
        - they leave every POS's employee lists; a POS restricted to some employees stays
          restricted (core opens a POS with an empty "basic" list to every employee of the company);
        - a POS session still open in their name is not closed for them (closing counts the cash
          and posts the accounting): the store manager gets a to-do on it to close it.

        What was done is logged on the employee."""
        Employee = self.env["hr.employee"].sudo().with_context(active_test=False)
        for employee in self.sudo():
            # Logged in the company's language, whoever archives the employee.
            env = self.with_context(lang=employee.company_id._store_lang()).env
            notes = []
            user = employee.user_id
            if user and user.active:
                others = Employee.search_count(
                    [("user_id", "=", user.id), ("active", "=", True), ("id", "!=", employee.id)]
                )
                if others or user._is_superuser() or user == self.env.user:
                    notes.append(env._("User %(user)s kept: it is still in use.", user=user.name))
                else:
                    user.action_archive()  # keeps the activities for the handover (res_users.py)
                    notes.append(env._("User %(user)s archived.", user=user.name))
            configs = employee._store_remove_from_pos()
            if configs:
                notes.append(
                    env._(
                        "Removed from the POS employees of %(configs)s.",
                        configs=", ".join(configs.mapped("name")),
                    )
                )
            sessions = employee._store_flag_open_sessions()
            if sessions:
                notes.append(
                    env._(
                        "POS sessions still open in their name, to be closed by the store manager: "
                        "%(sessions)s.",
                        sessions=", ".join(sessions.mapped("name")),
                    )
                )
            if notes:
                body = Markup("<br/>").join([env._("Departure: access disabled."), *notes])
                employee.message_post(body=body, message_type="comment", subtype_xmlid="mail.mt_note")

    def _store_remove_from_pos(self):
        self.ensure_one()
        lists = ("basic_employee_ids", "advanced_employee_ids", "minimal_employee_ids")
        Config = self.env["pos.config"].sudo().with_context(active_test=False)
        configs = Config.search(["|", "|", *[(name, "in", self.ids) for name in lists]], order="id")
        for config in configs:
            vals = {name: [Command.unlink(self.id)] for name in lists if self in config[name]}
            remaining = (config.basic_employee_ids - self).filtered("active")
            if config.basic_employee_ids and not remaining:
                # Keep the POS restricted: the other listed employees keep their roles (core reads
                # the manager and minimal lists first), and nobody else gets in.
                others = (config.advanced_employee_ids | config.minimal_employee_ids) - self
                vals["basic_employee_ids"] = [Command.set(others.ids)] if others else []
                if not others:
                    # Nobody else is listed: the archived employee stays, inert (archived employees
                    # are never loaded), rather than the POS opening to every employee.
                    vals.pop("basic_employee_ids", None)
            config.write(vals)
        return configs

    def _store_flag_open_sessions(self):
        self.ensure_one()
        if not self.user_id:
            return self.env["pos.session"]
        sessions = (
            self.env["pos.session"]
            .sudo()
            .search([("user_id", "=", self.user_id.id), ("state", "in", OPEN_SESSION_STATES)])
        )
        for session in sessions:
            manager = session.config_id.store_id.manager_id
            if manager and manager.active:
                env = self.with_context(lang=manager._store_lang()).env
                session.activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=manager.id,
                    summary=env._("Close the session of %(employee)s, who left", employee=self.name),
                    note=env._(
                        "%(employee)s has left: their user is disabled. Count the cash and close this "
                        "session.",
                        employee=self.name,
                    ),
                )
        return sessions

    def action_store_staff_handover(self):
        return self.env["store.staff.handover"]._action_open(self)

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

    def action_store_staff_handover(self):
        """Store managers see their staff's public profile: the handover opens from it too."""
        return self.env["store.staff.handover"]._action_open(self.env["hr.employee"].browse(self.ids))
