#!/usr/bin/env python3
"""Writes the spreadsheet dashboards of store_dashboard (data/files/hq_dashboard.json and
region_dashboard.json) from one definition: Odoo Community has no spreadsheet editor, so the
dashboards are edited here and written again:

    python3 scripts/make_dashboards.py

Both read store.sales.fact only (pivots and charts), so a region manager's record rules confine
the region dashboard to their stores. Labels are English in _t() formulas and chart titles,
translated in store_dashboard/i18n/zh_CN.po like any other string (Odoo's i18n export extracts
them from files named *_dashboard.json).
"""

import json
from pathlib import Path

FILES = Path(__file__).resolve().parents[1] / "addons" / "store_dashboard" / "data" / "files"
MODEL = "store.sales.fact"
ACTION = "store_dashboard.store_sales_fact_action"
ROW_HEIGHT = 23  # o-spreadsheet's default row height (px): figures are placed in pixels
WIDTH = 1010

# global filters: one period (the previous period is the same filter with offset -1), region, store
PERIOD, REGION, STORE = "store-period", "store-region", "store-store"
FILTERS = {
    PERIOD: {"id": PERIOD, "type": "date", "label": "Period", "defaultValue": "last_30_days"},
    REGION: {
        "id": REGION,
        "type": "relation",
        "label": "Region",
        "modelName": "store.region",
        "defaultValueDisplayNames": [],
        "includeChildren": False,
    },
    STORE: {
        "id": STORE,
        "type": "relation",
        "label": "Store",
        "modelName": "store.store",
        "defaultValueDisplayNames": [],
        "includeChildren": False,
    },
}

# money, percent, count, and whole yuan for the totals (a phone shows two scorecards a row)
FORMATS = {"1": "[$¥]#,##0.00", "2": "0.0%", "3": "#,##0", "4": "[$¥]#,##0"}
MONEY, PERCENT, INTEGER, YUAN = 1, 2, 3, 4
STYLES = {
    "1": {"textColor": "#01666b", "fontSize": 16, "bold": True},  # section title
    "2": {"bold": True, "textColor": "#434343", "fontSize": 11},  # table header
    "3": {"textColor": "#434343"},  # table body
    "4": {"bold": True, "fillColor": "#f2f2f2"},  # data sheet header
    "5": {"textColor": "#434343", "align": "left"},  # hours of the peak hours table
}
WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def matching(offset=0):
    return {
        PERIOD: {"chain": "date", "type": "date", "offset": offset},
        REGION: {"chain": "region_id", "type": "many2one"},
        STORE: {"chain": "store_id", "type": "many2one"},
    }


def measure(field, hidden=False):
    result = {"id": f"{field}:sum", "fieldName": field, "aggregator": "sum"}
    if hidden:
        result["isHidden"] = True
    return result


def computed(name, formula, fmt):
    return {
        "id": f"{name}:sum",
        "fieldName": name,
        "aggregator": "sum",
        "userDefinedName": name,
        "computedBy": {"sheetId": "data", "formula": formula},
        "format": fmt,
    }


TOTALS = [
    "revenue",
    "order_count",
    "member_order_count",
    "non_member_order_count",
    "new_member_count",
    "refund_count",
    "refund_amount",
    "discount_amount",
]
# the columns of the region and store tables after the name:
# revenue, orders, 客单价, member share, new members
BREAKDOWN = [
    measure("revenue"),
    measure("order_count"),
    computed("Average ticket", "=IFERROR('revenue:sum'/'order_count:sum', 0)", FORMATS["1"]),
    measure("member_order_count", hidden=True),
    computed("Member share", "=IFERROR('member_order_count:sum'/'order_count:sum', 0)", FORMATS["2"]),
    measure("new_member_count"),
]
BREAKDOWN_HEADERS = ["Revenue", "Orders", "Average ticket", "Member share", "New members"]


def pivot(formula_id, name, measures, rows=(), columns=(), offset=0, sort=None):
    result = {
        "type": "ODOO",
        "model": MODEL,
        "domain": [],
        "context": {},
        "measures": measures,
        "rows": [{"fieldName": row} for row in rows],
        "columns": [{"fieldName": col} for col in columns],
        "name": name,
        "formulaId": formula_id,
        "actionXmlId": ACTION,
        "fieldMatching": matching(offset),
        "sortedColumn": sort and {"measure": sort, "order": "desc", "domain": []},
    }
    return result


def view_link(label, view_type, context):
    """A section title that opens the facts in a pivot or graph view (Odoo's odoo://view link)."""
    action = {
        "domain": [],
        "context": context,
        "modelName": MODEL,
        "views": [[False, "pivot"], [False, "graph"], [False, "list"], [False, "search"]],
    }
    payload = {"viewType": view_type, "action": action, "threshold": 0, "name": label}
    return f"[{label}](odoo://view/{json.dumps(payload, separators=(',', ':'))})"


def col(index):
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[index]


def scorecard(chart_id, title, key, baseline, x, y, up_is_good=True, mode="percentage"):
    good, bad = "#43C5B1", "#EA6175"
    return {
        "id": chart_id,
        "width": 240,
        "height": 110,
        "tag": "chart",
        "col": 0,
        "row": 0,
        "offset": {"x": x, "y": y},
        "data": {
            "type": "scorecard",
            "chartId": chart_id,
            "title": {"text": title, "bold": True, "color": "#434343"},
            "background": "#EFF6FF",
            "keyValue": key,
            "baseline": baseline,
            "baselineMode": mode,
            "baselineDescr": {"text": "vs previous"},
            "baselineColorUp": good if up_is_good else bad,
            "baselineColorDown": bad if up_is_good else good,
            "humanize": False,
        },
    }


def odoo_chart(chart_id, title, chart_type, group_by, measure_field, y, height=300):
    return {
        "id": chart_id,
        "width": WIDTH,
        "height": height,
        "tag": "chart",
        "col": 0,
        "row": 0,
        "offset": {"x": 0, "y": y},
        "data": {
            "type": chart_type,
            "chartId": chart_id,
            "title": {"text": title, "bold": True, "color": "#434343"},
            "background": "#FFFFFF",
            "legendPosition": "none",
            "metaData": {
                "groupBy": [group_by],
                "measure": measure_field,
                "order": None,
                "resModel": MODEL,
                "mode": "line" if chart_type == "odoo_line" else "bar",
                "cumulatedStart": False,
            },
            "searchParams": {
                "comparison": None,
                "context": {},
                "domain": [],
                "groupBy": [group_by],
                "orderBy": [],
            },
            "dataSets": [],
            "verticalAxisPosition": "left",
            "stacked": False,
            "cumulatedStart": False,
            "fillArea": chart_type == "odoo_line",
            "actionXmlId": ACTION,
            "fieldMatching": matching(),
        },
    }


def data_sheet():
    """KPIs of the period and of the previous one (pivots 1 and 2): the scorecards read them."""
    cells = {"A1": '=_t("KPI")', "B1": '=_t("Period")', "C1": '=_t("Previous period")'}
    formats = {}
    rows = [  # label, formula on pivot P (current: 1, previous: 2), format
        ("Revenue", 'PIVOT.VALUE({p},"revenue:sum")', YUAN),
        ("Orders", 'PIVOT.VALUE({p},"order_count:sum")', INTEGER),
        ("Average ticket", "IFERROR({c}2/{c}3, 0)", MONEY),
        ("Member share", "IFERROR({c}11/{c}3, 0)", PERCENT),
        ("New members", 'PIVOT.VALUE({p},"new_member_count:sum")', INTEGER),
        ("Card sign-up rate", "IFERROR({c}6/({c}12+{c}6), 0)", PERCENT),
        ("Refunds", 'PIVOT.VALUE({p},"refund_amount:sum")', YUAN),
        ("Refunded orders", 'PIVOT.VALUE({p},"refund_count:sum")', INTEGER),
        ("Discounts", 'PIVOT.VALUE({p},"discount_amount:sum")', YUAN),
        ("Member orders", 'PIVOT.VALUE({p},"member_order_count:sum")', INTEGER),
        ("Non-member orders", 'PIVOT.VALUE({p},"non_member_order_count:sum")', INTEGER),
    ]
    for index, (label, formula, fmt) in enumerate(rows, start=2):
        cells[f"A{index}"] = f'=_t("{label}")'
        cells[f"B{index}"] = "=" + formula.format(p=1, c="B")
        cells[f"C{index}"] = "=" + formula.format(p=2, c="C")
        formats[f"B{index}:C{index}"] = fmt
    return {
        "id": "data",
        "name": "Data",
        "colNumber": 6,
        "rowNumber": 20,
        "rows": {},
        "cols": {"0": {"size": 180}, "1": {"size": 130}, "2": {"size": 130}},
        "merges": [],
        "cells": cells,
        "styles": {"A1:C1": 4},
        "formats": formats,
        "borders": {},
        "conditionalFormats": [],
        "dataValidationRules": [],
        "figures": [],
        "tables": [],
        "areGridLinesVisible": True,
        "isVisible": True,
        "headerGroups": {"ROW": [], "COL": []},
        "comments": {},
    }


def dashboard_sheet(with_regions):
    cells, styles, formats, figures, conditional = {}, {}, {}, [], []
    cards = [
        ("Revenue", 2, True, "percentage"),
        ("Orders", 3, True, "percentage"),
        ("Average ticket", 4, True, "percentage"),
        ("Member share", 5, True, "difference"),
        ("New members", 6, True, "difference"),
        ("Card sign-up rate", 7, True, "difference"),
        ("Refunds", 8, False, "percentage"),
        ("Discounts", 10, False, "percentage"),
    ]
    for index, (title, row, up_is_good, mode) in enumerate(cards):
        x, y = (index % 4) * 257, 10 + (index // 4) * 120
        figures.append(
            scorecard(f"kpi-{index + 1}", title, f"Data!B{row}", f"Data!C{row}", x, y, up_is_good, mode)
        )
    row = 12  # 1-based row of the next section, below the scorecards (2 x 120 px)
    figures.append(
        odoo_chart("revenue-by-day", "Revenue by day", "odoo_line", "date:day", "revenue", row * ROW_HEIGHT)
    )
    row += 15

    def table(title_cell, formula_id, limit, first_header):
        nonlocal row
        cells[f"A{row}"] = title_cell
        styles[f"A{row}"] = 1
        row += 1
        headers = [first_header, *BREAKDOWN_HEADERS]
        for index, header in enumerate(headers):
            cells[f"{col(index)}{row}"] = f'=_t("{header}")'
        styles[f"A{row}:{col(len(headers) - 1)}{row}"] = 2
        row += 1
        cells[f"A{row}"] = f"=PIVOT({formula_id}, {limit}, FALSE, FALSE, 10, FALSE)"
        styles[f"A{row}:{col(len(headers) - 1)}{row + limit - 1}"] = 3
        formats[f"B{row}:B{row + limit - 1}"] = MONEY
        row += limit + 1

    # 客流高峰: orders by hour (rows) and weekday (columns), coloured by count
    cells[f"A{row}"] = view_link(
        "Peak hours: orders by weekday and hour",
        "pivot",
        {
            "pivot_row_groupby": ["hour"],
            "pivot_column_groupby": ["weekday"],
            "pivot_measures": ["order_count"],
        },
    )
    styles[f"A{row}"] = 1
    row += 1
    cells[f"A{row}"] = '=_t("Hour")'
    for weekday, name in enumerate(WEEKDAYS):
        cells[f"{col(weekday + 1)}{row}"] = f'=_t("{name}")'
    styles[f"A{row}:H{row}"] = 2
    row += 1
    first = row
    for hour in range(24):
        cells[f"A{row}"] = f'="{hour:02d}:00"'
        for weekday in range(7):
            cells[f"{col(weekday + 1)}{row}"] = (
                f'=PIVOT.VALUE(5,"order_count:sum","hour",{hour},"weekday","{weekday}")'
            )
        row += 1
    styles[f"A{first}:A{row - 1}"] = 5
    styles[f"B{first}:H{row - 1}"] = 3
    formats[f"B{first}:H{row - 1}"] = INTEGER
    conditional.append(
        {
            "id": "peak-hours",
            "ranges": [f"B{first}:H{row - 1}"],
            "rule": {
                "type": "ColorScaleRule",
                "minimum": {"type": "value", "color": 0xFFFFFF},
                "maximum": {"type": "value", "color": 0xF28C28},
            },
        }
    )
    row += 1
    # the same peak hours as a chart: on a phone, a dashboard shows its charts only
    figures.append(
        odoo_chart("orders-by-hour", "Orders by hour", "odoo_bar", "hour", "order_count", row * ROW_HEIGHT)
    )
    row += 14
    # for a phone (charts only): revenue by region at HQ, by store in a region (a few bars each)
    if with_regions:
        chart = odoo_chart(
            "revenue-by-region", "Revenue by region", "odoo_bar", "region_id", "revenue", row * ROW_HEIGHT
        )
    else:
        chart = odoo_chart(
            "revenue-by-store", "Revenue by store", "odoo_bar", "store_id", "revenue", row * ROW_HEIGHT
        )
    figures.append(chart)
    row += 14
    # the tables last: the store table's length depends on the chain
    if with_regions:
        table(view_link("Sales by region", "pivot", {"pivot_row_groupby": ["region_id"]}), "3", 10, "Region")
    table(view_link("Sales by store", "pivot", {"pivot_row_groupby": ["store_id"]}), "4", 30, "Store")

    return {
        "id": "dashboard",
        "name": "Dashboard",
        "colNumber": 8,
        "rowNumber": row + 1,
        "rows": {},
        "cols": {"0": {"size": 200}, **{str(index): {"size": 115} for index in range(1, 8)}},
        "merges": [],
        "cells": cells,
        "styles": styles,
        "formats": formats,
        "borders": {},
        "conditionalFormats": conditional,
        "dataValidationRules": [],
        "figures": figures,
        "tables": [],
        "areGridLinesVisible": False,
        "isVisible": True,
        "headerGroups": {"ROW": [], "COL": []},
        "comments": {},
    }


def dashboard(with_regions):
    pivots = {
        "1": pivot("1", "KPIs - period", [measure(f) for f in TOTALS]),
        "2": pivot("2", "KPIs - previous period", [measure(f) for f in TOTALS], offset=-1),
        "4": pivot("4", "Sales by store", BREAKDOWN, rows=["store_id"], sort="revenue:sum"),
        "5": pivot("5", "Peak hours", [measure("order_count")], rows=["hour"], columns=["weekday"]),
    }
    if with_regions:
        pivots["3"] = pivot("3", "Sales by region", BREAKDOWN, rows=["region_id"], sort="revenue:sum")
    filters = [FILTERS[PERIOD], FILTERS[REGION], FILTERS[STORE]]
    return {
        "version": "18.5.10",
        "sheets": [dashboard_sheet(with_regions), data_sheet()],
        "styles": STYLES,
        "formats": FORMATS,
        "borders": {},
        "revisionId": "START_REVISION",
        "uniqueFigureIds": True,
        "settings": {
            "locale": {
                "name": "English (US)",
                "code": "en_US",
                "thousandsSeparator": ",",
                "decimalSeparator": ".",
                "dateFormat": "mm/dd/yyyy",
                "timeFormat": "hh:mm:ss",
                "formulaArgSeparator": ",",
                "weekStart": 1,
            }
        },
        "pivots": dict(sorted(pivots.items())),
        "pivotNextId": 6,
        "customTableStyles": {},
        "globalFilters": filters,
        "lists": {},
        "listNextId": 1,
        "chartOdooMenusReferences": {},
    }


def main():
    FILES.mkdir(parents=True, exist_ok=True)
    for name, with_regions in (("hq_dashboard.json", True), ("region_dashboard.json", False)):
        text = json.dumps(dashboard(with_regions), indent=1, ensure_ascii=False) + "\n"
        (FILES / name).write_text(text)
        print(f"wrote {FILES / name}")


if __name__ == "__main__":
    main()
