{
    "name": "Store Dashboards",
    "summary": "HQ and region dashboards: sales facts kept as orders are settled (store x day x hour, "
    "member x month, employee x day), a nightly reconcile, KPIs with their definitions (客单价, 客流, "
    "复购率, 办卡率, promotions, stock-outs, stock turnover) for a period against a baseline, RFM "
    "member tags",
    "version": "19.0.1.1.0",
    "category": "Sales/Point of Sale",
    "author": "Store Chain Team",
    "website": "https://example.com/store-chain",
    "license": "LGPL-3",
    # store_stock brings store_promotions, store_membership and store_pos_ext; spreadsheet_dashboard
    # (core) shows the dashboards.
    "depends": ["store_stock", "spreadsheet_dashboard"],
    "data": [
        "security/store_dashboard_security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "data/res_partner_category_data.xml",
        "data/spreadsheet_dashboard_data.xml",
        "views/store_sales_fact_views.xml",
        "views/store_member_month_fact_views.xml",
        "views/store_employee_day_fact_views.xml",
        "views/store_dashboard_menus.xml",
        "views/store_kpi_board_views.xml",
    ],
    "assets": {
        "web.assets_backend": ["store_dashboard/static/src/**/*"],
        "web.assets_tests": ["store_dashboard/static/tests/tours/**/*"],
    },
    "post_init_hook": "post_init_hook",
    "uninstall_hook": "uninstall_hook",
}
