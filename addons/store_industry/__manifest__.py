{
    "name": "Store Chain Industry Packs (行业方案)",
    "summary": "Supermarket fresh: near-expiry (临期) markdown proposals by tier, applied as store "
    "promotions through HQ approval; shrink (损耗) by reason on core scrap, with a loss rate per store",
    "version": "19.0.1.1.0",
    "category": "Inventory/Inventory",
    "author": "Store Chain Team",
    "website": "https://example.com/store-chain",
    "license": "LGPL-3",
    # store_stock: the chain's stores' stock (and, through it, store_promotions' 限时折扣 and core
    # product_expiry's lot expiry dates).
    "depends": ["store_stock", "store_promotions", "product_expiry"],
    "data": [
        "security/store_industry_security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "data/stock_scrap_reason_tag_data.xml",
        "data/store_markdown_rule_data.xml",
        "views/store_markdown_rule_views.xml",
        "views/store_markdown_proposal_views.xml",
        "views/store_shrink_report_views.xml",
        "views/stock_scrap_views.xml",
        "views/store_stock_replenishment_views.xml",
        "views/store_care_record_views.xml",
        "views/store_class_session_views.xml",
        "views/store_class_booking_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/store_store_views.xml",
        "views/store_industry_menus.xml",
    ],
    "demo": [
        "demo/store_industry_demo.xml",
    ],
}
