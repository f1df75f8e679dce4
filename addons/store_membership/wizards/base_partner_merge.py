from odoo import models
from odoo.exceptions import UserError


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _update_foreign_keys(self, src_partners, dst_partner):
        """Core's contact merge moves cards and sums their points by writing them (loyalty's
        ``_merge_loyalty_cards``) and re-points ledger rows in SQL: for members, that would go
        around the member ledger. Merging a member away is refused here (before anything is
        changed: the whole merge is one transaction) and done by the member merge instead.
        A plain contact may still be merged into a member."""
        chain_cards = (
            self.env["loyalty.card"]
            .sudo()
            .with_context(active_test=False)
            .search_count(
                [("partner_id", "in", src_partners.ids), ("program_id.store_chain_role", "!=", False)]
            )
        )
        if chain_cards or src_partners.sudo().filtered("is_member"):
            raise UserError(
                self.env._(
                    "Members carry points and stored value: merge them with Membership › Members › "
                    "Merge members (HQ member admins), which moves their balances through the member ledger."
                )
            )
        return super()._update_foreign_keys(src_partners, dst_partner)
