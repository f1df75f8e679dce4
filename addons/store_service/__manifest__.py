{
    "name": "Store Chain Customer Service (门店客服)",
    "summary": "Complaints (客诉) with the member, store, order and photos on OCA helpdesk tickets, "
    "an SLA per category, progress notices to the member by e-mail and SMS, and help requests "
    "(一键求助) from the till to HQ's service team",
    "version": "19.0.1.0.0",
    "category": "Sales/Point of Sale",
    "author": "Store Chain Team",
    "website": "https://example.com/store-chain",
    "license": "LGPL-3",
    # helpdesk_mgmt, helpdesk_mgmt_sla (OCA, AGPL-3): tickets, stages, teams, categories, SLAs.
    # helpdesk_mgmt_rating (OCA, AGPL-3): the member's rating of a closed complaint (core's rating).
    # sms (core): the progress notices' SMS are queued as sms.sms.
    "depends": [
        "store_pos_ext",
        "store_membership",
        "helpdesk_mgmt",
        "helpdesk_mgmt_sla",
        "helpdesk_mgmt_rating",
        "sms",
    ],
    "data": [
        "security/store_service_security.xml",
        "security/ir.model.access.csv",
        "data/resource_calendar_data.xml",
        "data/helpdesk_data.xml",
        "data/mail_template_data.xml",
        "data/sms_template_data.xml",
        "views/helpdesk_ticket_views.xml",
        "views/helpdesk_ticket_photo_views.xml",
        "views/pos_order_views.xml",
        "views/res_partner_views.xml",
        "views/store_service_menus.xml",
    ],
    "demo": [
        "demo/helpdesk_ticket_demo.xml",
    ],
    "assets": {
        "point_of_sale._assets_pos": [
            "store_service/static/src/app/**/*",
        ],
        "web.assets_tests": [
            "store_service/static/tests/tours/**/*",
        ],
    },
}
