{
    "name": "Store Chain: cross-addon tests",
    "summary": "Installs every addon of the chain together and tests them as one system",
    "version": "19.0.1.0.0",
    "category": "Hidden/Tests",
    "author": "Store Chain Team",
    "license": "LGPL-3",
    "depends": ["store_pos_ext", "store_membership", "store_promotions", "store_stock"],
    "assets": {
        "web.assets_tests": [
            "store_chain_tests/static/tests/tours/**/*",
        ],
    },
}
