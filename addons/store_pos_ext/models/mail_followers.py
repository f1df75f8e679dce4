from odoo import models
from odoo.fields import Domain


class MailFollowers(models.Model):
    _inherit = "mail.followers"

    def _search(self, domain, *args, **kwargs):
        """Core lets every internal user read every follower row (which record of which model,
        which partner, their e-mail). A store user sees the followers of the records of
        store-scoped models (those with a record rule for store users) they may read only."""
        user = self.env.user
        if (
            not self.env.su
            and not kwargs.get("bypass_access")
            and user.has_group("store_pos_ext.group_store_user")
            and not user.has_group("store_pos_ext.group_hq_analyst")
        ):
            domain = Domain(domain) & self._store_visible_domain()
        return super()._search(domain, *args, **kwargs)

    def _store_visible_domain(self):
        group = self.env.ref("store_pos_ext.group_store_user")
        rules = self.env["ir.rule"].sudo().search([("groups", "in", group.ids), ("perm_read", "=", True)])
        visible = Domain.TRUE
        for model in sorted(set(rules.model_id.mapped("model"))):
            if model in self.env and "message_follower_ids" in self.env[model]._fields:
                visible &= Domain("res_model", "!=", model) | Domain(
                    "res_id", "in", self.env[model]._search([])
                )
        return visible
