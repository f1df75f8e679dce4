"""19.0.1.1.0: the first stock snapshot of the stock turnover KPI (``store.stock.day.fact``), as an
install takes it, so that the history starts on the day of the update rather than the night after."""

from odoo import SUPERUSER_ID, api, fields


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["store.stock.day.fact"]._snapshot(fields.Datetime.now())
