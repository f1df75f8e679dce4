from odoo import Command
from odoo.tests import tagged

from .common import StoreCommon


@tagged("post_install", "-at_install")
class TestChangeLog(StoreCommon):
    """Regions, users' roles and POS price rules: every change logged (OCA auditlog)."""

    def _lines(self, record, field):
        return self.env["auditlog.log.line"].search(
            [
                ("log_id.model_model", "=", record._name),
                ("log_id.res_id", "=", record.id),
                ("field_name", "=", field),
                ("log_id.method", "=", "write"),
            ]
        )

    def test_store_role_and_discount_limit_changes_are_logged(self):
        self.region_east.with_user(self.hq_admin).write({"name": "测试华东(新)"})
        line = self._lines(self.region_east, "name")
        self.assertEqual(line.log_id.user_id, self.hq_admin)
        self.assertEqual((line.old_value_text, line.new_value_text), ("测试华东", "测试华东(新)"))
        admin = self.env.ref("base.user_admin")
        self.cashier_a.with_user(admin).write(
            {"group_ids": [Command.link(self.env.ref("store_pos_ext.group_store_manager").id)]}
        )
        line = self._lines(self.cashier_a, "group_ids")
        self.assertEqual(line.log_id.user_id, admin, "a role given is logged")
        config = self.store_a.pos_config_ids[:1]
        config.with_user(self.hq_admin).write({"store_discount_limit_cashier": 50})
        line = self._lines(config, "store_discount_limit_cashier")
        self.assertEqual(line.new_value_text, "50.0")

    def test_hq_admins_read_the_change_log(self):
        self.region_east.with_user(self.hq_admin).write({"name": "测试华东(新)"})
        self.assertTrue(self.env["auditlog.log"].with_user(self.hq_admin).search_count([]))
