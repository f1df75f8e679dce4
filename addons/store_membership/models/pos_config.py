from odoo import models
from odoo.tools import SQL


class PosConfig(models.Model):
    _inherit = "pos.config"

    def _get_program_ids(self):
        """The chain stored value is paid with a stored-value payment method and topped up with the
        top-up product; core's eWallet buttons and rewards must not offer it as well."""
        return super()._get_program_ids().filtered(lambda p: p.store_chain_role != "stored_value")

    def get_limited_partners_loading(self, offset=0):
        """Core's list of customers a till preloads (its most frequent buyers), without members.

        Members are found by ``store_member_lookup``; preloading them would put up to
        ``point_of_sale.limited_customer_count`` members' data on every till, and core's query
        ranks every partner of the chain (a million members) at each POS start. The member test
        is written so that the ``is_member`` index finds the few partners that are not members.
        """
        return self.env.execute_query(
            SQL(
                """
                WITH pm AS (
                    SELECT partner_id, COUNT(partner_id) AS order_count
                      FROM pos_order
                     WHERE partner_id IS NOT NULL
                  GROUP BY partner_id
                )
                SELECT partner.id
                  FROM res_partner AS partner
             LEFT JOIN pm ON partner.id = pm.partner_id
                 WHERE (partner.company_id = %s OR partner.company_id IS NULL)
                   AND (partner.is_member IS NULL OR partner.is_member = FALSE)
              ORDER BY COALESCE(pm.order_count, 0) DESC, partner.name
                 LIMIT %s OFFSET %s
                """,
                self.company_id.id,
                self._get_limited_partner_count(),
                offset,
            )
        )
