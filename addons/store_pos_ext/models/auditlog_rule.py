from odoo import api, models


class AuditlogRule(models.Model):
    _inherit = "auditlog.rule"

    @api.model
    def _store_confirm_rules(self, ids):
        """Confirm the chain's change-log rules still in draft (called by our data files on every
        update: core's ``set_to_confirmed`` would add a second "View logs" action to a confirmed one)."""
        self.browse(ids).exists().filtered(lambda rule: rule.state == "draft").set_to_confirmed()

    # ------------------------------------------------------------------ logging without a rule
    # A rule patches create/write/unlink of every record of its model and reads them through a
    # throw-away cache, which changes core's behaviour of some models (loyalty programs, their
    # rules and rewards: Odoo's own loyalty tests fail). For those, the model's own small
    # create/write/unlink overrides call these helpers for the records that must be logged only;
    # the log is the one a confirmed full rule writes, deleted records' values included.

    @api.model
    def _store_write_logged(self, records, vals, watch_field, write):
        """``write(vals)`` of ``records``, logged for those their ``_store_change_logged()``
        chooses before or after it (writing ``watch_field`` may move a record into the log or out)."""
        logged = records._store_change_logged()
        watched = records if watch_field in vals else logged
        old_values = self._store_values(watched, vals)
        res = write(vals)
        if watched:
            self._store_log_write(logged | watched._store_change_logged(), old_values)
        return res

    @api.model
    def _store_unlink_logged(self, records, unlink):
        """``unlink()`` of ``records``, logged for those their ``_store_change_logged()`` chooses."""
        logged = records._store_change_logged()
        old_values = self._store_unlink_values(logged)
        res = unlink()
        self._store_log_unlink(logged, old_values)
        return res

    @api.model
    def _store_values(self, records, fnames=None):
        """Values of ``records`` as auditlog's full log reads them (``read()`` as superuser):
        ``{id: {field: value}}`` for the fields auditlog logs (``get_auditlog_fields``), only
        those of ``fnames`` if given. One2many fields are left out: their records log their own
        changes, and a program's one2many lists all its cards."""
        records = records.filtered(lambda record: isinstance(record.id, int))
        names = [
            name
            for name in self.get_auditlog_fields(records)
            if records._fields[name].type != "one2many" and (fnames is None or name in fnames)
        ]
        if not records or not names:
            return {}
        return {row["id"]: row for row in records.sudo().with_context(prefetch_fields=False).read(names)}

    @api.model
    def _store_log_create(self, records):
        """Log the creation of ``records`` with all their values."""
        self._store_create_logs(records, "create", None, self._store_values(records))

    @api.model
    def _store_log_write(self, records, old_values):
        """Log the change of ``records`` from ``old_values`` (``_store_values`` before the write)
        to their values now: one line per field that changed."""
        records = records.filtered(lambda record: record.id in old_values)
        fnames = {name for values in old_values.values() for name in values} - {"id"}
        if records and fnames:
            self._store_create_logs(records, "write", old_values, self._store_values(records, fnames))

    @api.model
    def _store_unlink_values(self, records):
        """What ``_store_log_unlink`` needs of ``records``, read before they are deleted."""
        values = self._store_values(records)
        for record in records.sudo().filtered(lambda record: record.id in values):
            values[record.id]["display_name"] = record.display_name
        return values

    @api.model
    def _store_log_unlink(self, records, old_values):
        """Log the deletion of those of ``records`` that are gone, with their values before
        (``_store_unlink_values``). auditlog's ``create_logs`` keeps them only for a rule with
        ``capture_record`` and names the log after a record it reads, so this writes the log as
        it does, after the deletion (a record kept, e.g. archived instead, is not logged here)."""
        gone = (records - records.exists()).filtered(lambda record: record.id in old_values)
        if not gone:
            return
        rule = self.sudo()
        vals = {
            "model_id": rule._store_model_id(records._name),
            "method": "unlink",
            "user_id": self.env.uid,
            "log_type": "full",
            "http_request_id": rule.env["auditlog.http.request"].current_http_request(),
            "http_session_id": rule.env["auditlog.http.session"].current_http_session(),
        }
        vals_list = []
        for res_id in gone.ids:
            log_vals = {**vals, "res_id": res_id, "name": old_values[res_id].get("display_name")}
            log_vals["line_ids"] = rule._create_log_line_on_read(
                log_vals, list(old_values[res_id]), old_values, []
            )
            vals_list.append(log_vals)
        rule.env["auditlog.log"].create(vals_list)

    @api.model
    def _store_create_logs(self, records, method, old_values, new_values):
        self.sudo()._store_model_id(records._name)
        self.sudo().create_logs(
            self.env.uid, records._name, records.ids, method, old_values, new_values, {"log_type": "full"}
        )

    @api.model
    def _store_model_id(self, model_name):
        """The ir.model id of ``model_name``, in the registry cache where ``create_logs`` looks it
        up (filled by ``_register_hook`` for the models of confirmed rules only)."""
        for cache in ("_auditlog_model_cache", "_auditlog_field_cache"):
            if not hasattr(self.pool, cache):
                setattr(self.pool, cache, {})
        cache = self.pool._auditlog_model_cache
        if model_name not in cache:
            cache[model_name] = self.env["ir.model"]._get_id(model_name)
        return cache[model_name]
