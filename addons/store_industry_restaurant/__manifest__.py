{
    "name": "Store Chain Restaurant Preset (餐饮方案)",
    "summary": "Sets up core pos_restaurant for a store's POS: floor and tables, dine-in / takeaway / "
    "delivery presets, kitchen printing and tips off; re-applied without duplicates",
    "version": "19.0.1.0.0",
    "category": "Sales/Point of Sale",
    "author": "Store Chain Team",
    "website": "https://example.com/store-chain",
    "license": "LGPL-3",
    # pos_restaurant (core): floors, tables and the dine-in/takeout/delivery presets. A bridge of its
    # own so that installing store_industry does not make core's restaurant module part of every
    # chain: only a chain with restaurants or cafés installs this (not auto-installed).
    "depends": ["store_industry", "pos_restaurant"],
    "data": [
        "security/store_industry_restaurant_security.xml",
        "security/ir.model.access.csv",
        "wizards/store_restaurant_setup_views.xml",
        "views/store_industry_restaurant_menus.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "store_industry_restaurant/static/tests/tours/**/*",
        ],
    },
}
