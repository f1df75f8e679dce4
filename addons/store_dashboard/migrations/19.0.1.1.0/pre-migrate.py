"""19.0.1.1.0: the sales facts' weekday becomes a selection (its names shown in pivots and graphs,
translated) instead of a number: the column turns from integer to text, 0 (Monday) .. 6 (Sunday)
kept as '0' .. '6', before the ORM sees the new field type.

The stock turnover KPI's facts (``store.stock.day.fact``) are a new table: the nightly job fills
them from the first night after the update."""

import logging

from odoo.tools import sql

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    column = sql.table_columns(cr, "store_sales_fact").get("weekday")
    if not column or column["udt_name"] != "int4":
        return
    cr.execute("ALTER TABLE store_sales_fact ALTER COLUMN weekday TYPE varchar USING weekday::varchar")
    _logger.info("store_sales_fact.weekday: numbers turned into the selection's keys")
