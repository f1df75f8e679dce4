"""19.0.1.2.0: what earns points comes from the chain points program's own loyalty rules.

Before, two fields beside the rules said what earned no points: the program's "categories that earn
no points" (``store_excluded_categ_ids``) and the product's "earns member points" box
(``product.template.store_earns_points``). Both are gone; this moves what they said into every
rule of the chain points program as a product filter (``product_domain``), so that the same goods
keep earning (or not), then drops the old column and table. The top-up product is now the stored
value program's trigger product: a company's former top-up product becomes that program's rule
product when it was not already. Store users no longer see the chain ledger lines that carry no
store (HQ's adjustments and expiries): the record rule is noupdate data, so it is rewritten here.
Mobiles registered with full-width digits are folded to ASCII digits.
"""

import ast
import logging

from odoo import SUPERUSER_ID, Command, api
from odoo.tools import sql

from odoo.addons.store_membership.models.res_partner import normalize_mobile

_logger = logging.getLogger(__name__)

EXCLUDED_TABLE = "loyalty_program_product_category_rel"
LEDGER_RULE_DOMAIN = "['|', ('store_chain_role', '=', False), ('store_id', 'in', user.allowed_store_ids.ids)]"


def _excluded_categories(cr):
    if not sql.table_exists(cr, EXCLUDED_TABLE):
        return {}
    cr.execute(f"SELECT loyalty_program_id, product_category_id FROM {EXCLUDED_TABLE}")
    excluded = {}
    for program_id, categ_id in cr.fetchall():
        excluded.setdefault(program_id, []).append(categ_id)
    return excluded


def _products_earning_nothing(cr):
    if not sql.column_exists(cr, "product_template", "store_earns_points"):
        return []
    cr.execute(
        """SELECT p.id FROM product_product p JOIN product_template t ON t.id = p.product_tmpl_id
            WHERE t.store_earns_points IS FALSE ORDER BY p.id"""
    )
    return [row[0] for row in cr.fetchall()]


def _topup_products(cr):
    if not sql.column_exists(cr, "res_company", "store_sv_product_id"):
        return {}
    cr.execute("SELECT id, store_sv_product_id FROM res_company WHERE store_sv_product_id IS NOT NULL")
    return dict(cr.fetchall())


def _normalize_member_mobiles(cr):
    """Mobiles registered with full-width digits (the old check took any Unicode digit): folded to
    ASCII, unless that number is already another member's (then HQ merges the two)."""
    cr.execute("SELECT id, member_mobile FROM res_partner WHERE member_mobile !~ '^[0-9]*$'")
    for partner_id, mobile in cr.fetchall():
        normal = normalize_mobile(mobile)
        cr.execute("SELECT id FROM res_partner WHERE member_mobile = %s AND id != %s", [normal, partner_id])
        if normal and not cr.fetchall():
            cr.execute("UPDATE res_partner SET member_mobile = %s WHERE id = %s", [normal, partner_id])
        else:
            _logger.warning(
                "Member %s: mobile %r is another member's or not a mainland mobile", partner_id, mobile
            )


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
    excluded = _excluded_categories(cr)
    no_points = _products_earning_nothing(cr)
    topups = _topup_products(cr)
    companies = env["res.company"].browse(list(topups)).exists()
    for company in companies:
        program, product = company.store_sv_program_id, env["product.product"].browse(topups[company.id])
        if program and product.exists() and product not in program.trigger_product_ids:
            rule = program.rule_ids[:1]
            if rule:
                rule.product_ids = [Command.link(product.id)]
            else:
                program.rule_ids = [
                    Command.create(
                        {
                            "reward_point_mode": "money",
                            "reward_point_amount": 1,
                            "product_ids": [Command.set(product.ids)],
                        }
                    )
                ]
            _logger.info(
                "Top-up product %s is now the trigger product of %s", product.display_name, program.name
            )
    all_topups = set(topups.values())
    for program in env["loyalty.program"].search([("store_chain_role", "=", "points")]):
        categories = excluded.get(program.id, [])
        products = [p for p in no_points if p not in all_topups]  # top-ups never earn anyway
        if not categories and not products:
            continue
        for rule in program.rule_ids:
            domain = ast.literal_eval(rule.product_domain or "[]")
            if categories:
                domain += ["!", ("categ_id", "child_of", categories)]
            if products:
                domain += [("id", "not in", products)]
            rule.product_domain = repr(domain)
        _logger.info(
            "Points program %s: %d excluded categories and %d products moved into its rules",
            program.name,
            len(categories),
            len(products),
        )
    _normalize_member_mobiles(cr)
    # A record rule of noupdate data: chain ledger lines without a store (HQ's) are not a store's.
    rule = env.ref("store_membership.rule_loyalty_history_store_user", raise_if_not_found=False)
    if rule:
        rule.domain_force = LEDGER_RULE_DOMAIN
    # A field that became computed keeps its column's values on update: recompute it.
    Company = env["res.company"]
    env.add_to_compute(Company._fields["store_sv_product_id"], Company.search([]))
    env.flush_all()
    if sql.table_exists(cr, EXCLUDED_TABLE):
        cr.execute(f"DROP TABLE {EXCLUDED_TABLE}")
        cr.execute("DELETE FROM ir_model_relation WHERE name = %s", [EXCLUDED_TABLE])
    if sql.column_exists(cr, "product_template", "store_earns_points"):
        cr.execute("ALTER TABLE product_template DROP COLUMN store_earns_points")
