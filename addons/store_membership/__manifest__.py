{
    "name": "Store Chain Membership (连锁会员)",
    "summary": "One member across every store: tiers, chain-wide points, stored value, "
    "a server-authoritative ledger, inter-store settlement, birthday coupons, masked phones",
    "version": "19.0.1.3.0",
    "category": "Sales/Point of Sale",
    "author": "Store Chain Team",
    "website": "https://example.com/store-chain",
    "license": "LGPL-3",
    "depends": ["store_pos_ext", "pos_loyalty"],
    # Members' mobiles are parsed with it (mainland key, foreign numbers in E.164).
    "external_dependencies": {"python": ["phonenumbers"]},
    "data": [
        "security/store_membership_security.xml",
        "security/ir.model.access.csv",
        "data/ir_sequence_data.xml",
        "data/auditlog_rule_data.xml",
        "data/ir_cron_data.xml",
        "wizards/store_member_adjust_views.xml",
        "wizards/store_member_unmask_views.xml",
        "wizards/store_staff_handover_views.xml",
        "wizards/store_member_merge_views.xml",
        "views/res_partner_views.xml",
        "views/store_member_tier_views.xml",
        "views/loyalty_history_views.xml",
        "views/loyalty_program_views.xml",
        "views/pos_order_views.xml",
        "views/pos_payment_method_views.xml",
        "views/store_member_unmask_log_views.xml",
        "views/store_member_hold_views.xml",
        "views/res_config_settings_views.xml",
        "views/store_membership_menus.xml",
    ],
    "demo": [
        "demo/store_membership_demo.xml",
    ],
    "assets": {
        "point_of_sale._assets_pos": [
            "store_membership/static/src/app/**/*",
        ],
        "web.assets_tests": [
            "store_membership/static/tests/tours/**/*",
        ],
    },
}
