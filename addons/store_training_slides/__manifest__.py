{
    "name": "Store Chain: training courses (eLearning)",
    "summary": "Enrol staff with a training alert in the chain's eLearning course",
    "version": "19.0.1.0.0",
    "category": "Sales/Point of Sale",
    "author": "Store Chain Team",
    "website": "https://example.com/store-chain",
    "license": "LGPL-3",
    "depends": ["store_pos_ext", "website_slides"],
    "data": [
        "views/res_config_settings_views.xml",
    ],
    "auto_install": True,
}
