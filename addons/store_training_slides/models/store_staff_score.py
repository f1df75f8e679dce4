from odoo import models


class StoreStaffScore(models.Model):
    _inherit = "store.staff.score"

    def _schedule_training(self, history):
        """Besides the manager's to-do, enrol the employee's user in the company's training course."""
        res = super()._schedule_training(history)
        channel = self.company_id.training_channel_id
        user = self.employee_id.user_id
        if channel and user:
            channel.sudo()._action_add_members(user.partner_id)
        return res
