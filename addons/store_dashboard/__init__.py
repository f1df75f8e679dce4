from odoo import fields

from . import models
from . import wizards
from .tools import fact_sql


def post_init_hook(env):
    """Fill the facts from the order history already in the database (the demo's year), and take
    the first stock snapshot (the stock turnover's history starts today)."""
    env["store.sales.fact"]._rebuild_all()
    env["store.stock.day.fact"]._snapshot(fields.Datetime.now())
    if env["ir.module.module"].search([("name", "=", "store_dashboard")]).demo:
        # the demo's year of sales gets a stock history too (reconstructed: demo only)
        env["store.stock.day.fact"]._demo_backfill(400)


def uninstall_hook(env):
    """Drop every version of the facts' batch function (the tables go with the models)."""
    fact_sql.drop_batch_functions(env.cr)
