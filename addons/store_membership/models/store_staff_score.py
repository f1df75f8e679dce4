from odoo import api, fields, models


class StoreStaffScore(models.Model):
    _inherit = "store.staff.score"

    @api.model
    def _get_member_signups(self, month_start, month_end, employees):
        """Members registered by each employee (办卡 attribution) in [month_start, month_end)."""
        rows = (
            self.env["res.partner"]
            .sudo()
            .with_context(active_test=False)
            ._read_group(
                [
                    ("is_member", "=", True),
                    ("register_employee_id", "in", employees.ids),
                    ("create_date", ">=", fields.Datetime.to_datetime(month_start)),
                    ("create_date", "<", fields.Datetime.to_datetime(month_end)),
                ],
                ["register_employee_id"],
                ["__count"],
            )
        )
        return {employee.id: count for employee, count in rows}
