{
    "name": "Store Chain Inventory (连锁库存)",
    "summary": "Chain inventory: stock thresholds by chain/region/store type/store as core reorder rules, "
    "alerts (below safety stock, overstock, slow movers, near expiry, out of stock), store-to-store "
    "transfer suggestions, replenishment from sales history, other stores' stock at the till, "
    "core and local assortment",
    "version": "19.0.1.0.0",
    "category": "Inventory/Inventory",
    "author": "Store Chain Team",
    "website": "https://example.com/store-chain",
    "license": "LGPL-3",
    # store_promotions: a near-expiry or slow-mover alert proposes a 限时折扣 promotion.
    # product_expiry (core): lots' expiry dates for the near-expiry alerts.
    "depends": ["store_promotions", "product_expiry"],
    "data": [
        "security/store_stock_security.xml",
        "security/ir.model.access.csv",
        "views/product_template_views.xml",
        "views/store_store_views.xml",
        "views/report_pos_order_views.xml",
        "data/store_stock_replenishment_cron.xml",
        "data/ir_cron_data.xml",
        "data/store_stock_transfer_cron.xml",
        "views/store_stock_replenishment_views.xml",
        "views/store_stock_threshold_views.xml",
        "views/stock_warehouse_orderpoint_views.xml",
        "views/store_stock_alert_views.xml",
        "views/store_stock_transfer_suggestion_views.xml",
        "views/store_stock_menus.xml",
    ],
    "demo": [
        "demo/product_assortment_demo.xml",
        "demo/store_stock_alert_demo.xml",
        "demo/store_stock_transfer_demo.xml",
        "demo/store_stock_replenishment_demo.xml",
    ],
    "assets": {
        "point_of_sale._assets_pos": ["store_stock/static/src/app/**/*"],
        "web.assets_tests": ["store_stock/static/tests/tours/**/*"],
    },
}
