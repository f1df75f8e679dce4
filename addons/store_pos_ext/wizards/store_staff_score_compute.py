from dateutil.relativedelta import relativedelta

from odoo import fields, models
from odoo.exceptions import AccessError


class StoreStaffScoreCompute(models.TransientModel):
    _name = "store.staff.score.compute"
    _description = "Compute Staff Performance"

    month = fields.Date(
        required=True,
        default=lambda self: fields.Date.context_today(self).replace(day=1) - relativedelta(months=1),
        help="Any day of the month to compute.",
    )
    check_training = fields.Boolean(
        "Check Training Alerts",
        default=True,
        help="Also flag employees at the bottom for the configured months and schedule their training.",
    )

    def action_compute(self):
        self.ensure_one()
        if not self.env.user.has_group("store_pos_ext.group_hq_admin"):
            raise AccessError(self.env._("Only HQ administrators can compute staff performance."))
        Score = self.env["store.staff.score"].sudo()
        month = Score._month_start(self.month)
        Score._compute_month(month, self.env.companies)
        if self.check_training:
            Score._check_training_alerts(month, self.env.companies)
        action = self.env["ir.actions.act_window"]._for_xml_id("store_pos_ext.store_staff_score_action")
        action["domain"] = [("month", "=", fields.Date.to_string(month))]
        action["view_mode"] = "list,pivot,graph,form"
        action["views"] = [(False, mode) for mode in action["view_mode"].split(",")]
        return action
