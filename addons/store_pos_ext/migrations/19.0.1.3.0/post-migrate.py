"""19.0.1.3.0: a store's address is its warehouse's address (``stock.warehouse.partner_id``).

Until now a store kept its street, city, province, country and phone in columns of its own, and
its warehouse had core's default address, the company's (HQ's): receipts and pickings showed HQ.
Each store whose warehouse still has the company's partner gets a contact of its own under the
company's, with the address and phone it had, and its warehouse points to it; a warehouse that
already has another address keeps it and the store shows that one. The old columns are dropped.
"""

import logging

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

OLD_COLUMNS = ("street", "city", "state_id", "country_id", "phone")


def _old_columns(cr):
    cr.execute(
        "SELECT column_name FROM information_schema.columns"
        " WHERE table_name = 'store_store' AND column_name IN %s",
        [OLD_COLUMNS],
    )
    return [name for (name,) in cr.fetchall()]


def _move_store_addresses(cr):
    columns = _old_columns(cr)
    if not columns:
        return
    env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
    cr.execute(
        SQL(
            "SELECT id, %s FROM store_store WHERE warehouse_id IS NOT NULL ORDER BY id",
            SQL(", ").join(SQL.identifier(name) for name in columns),
        )
    )
    for row in cr.dictfetchall():
        store = env["store.store"].browse(row.pop("id"))
        if store.warehouse_id.partner_id not in (store.company_id.partner_id, env["res.partner"]):
            _logger.info("Store %s: its warehouse has an address of its own, kept", store.code)
            continue
        address = {name: value for name, value in row.items() if value}
        store._store_partner().write(address)
        _logger.info("Store %s: address moved to its warehouse's contact", store.code)
    for name in columns:
        cr.execute(SQL("ALTER TABLE store_store DROP COLUMN %s", SQL.identifier(name)))


def migrate(cr, version):
    if not version:
        return
    _move_store_addresses(cr)
