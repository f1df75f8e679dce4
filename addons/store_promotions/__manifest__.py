{
    "name": "Store Chain Promotions (连锁促销)",
    "summary": "Promotions from templates (满减, 第N件M折, 买X送Y, 会员日, 限时折扣, 会员专享, 品类折扣) "
    "with schedules, store/region scope, HQ approval, budgets, a server check of paid orders and ROI",
    "version": "19.0.1.3.0",
    "category": "Sales/Point of Sale",
    "author": "Store Chain Team",
    "website": "https://example.com/store-chain",
    "license": "LGPL-3",
    "depends": ["store_membership"],
    "data": [
        "security/store_promotions_security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "views/store_promotion_views.xml",
        "views/store_promotion_report_views.xml",
        "views/pos_order_views.xml",
        "views/res_config_settings_views.xml",
        "views/store_promotions_menus.xml",
    ],
    "demo": [
        "demo/store_promotions_demo.xml",
    ],
    "assets": {
        "point_of_sale._assets_pos": [
            "store_promotions/static/src/app/**/*",
        ],
        "web.assets_tests": [
            "store_promotions/static/tests/tours/**/*",
        ],
    },
}
