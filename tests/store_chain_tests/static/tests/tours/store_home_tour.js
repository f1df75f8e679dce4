import * as Chrome from "@point_of_sale/../tests/pos/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/generic_helpers/dialog_util";
import * as ProductScreen from "@point_of_sale/../tests/pos/tours/utils/product_screen_util";
import * as PaymentScreen from "@point_of_sale/../tests/pos/tours/utils/payment_screen_util";
import * as ReceiptScreen from "@point_of_sale/../tests/pos/tours/utils/receipt_screen_util";
import { registry } from "@web/core/registry";

/** HQ logs in (start URL /odoo): the chain overview, the stores, is their home; a store opens. */
registry.category("web_tour.tours").add("store_home_hq", {
    steps: () => [
        {
            content: "home is the stores kanban",
            trigger: ".o_action_manager .o_kanban_view .o_kanban_record:contains('上海徐汇店')",
        },
        {
            content: "every store of the chain is there",
            trigger: ".o_kanban_view .o_kanban_record:contains('北京朝阳店')",
        },
        {
            content: "open 上海徐汇店",
            trigger: ".o_kanban_view .o_kanban_record:contains('上海徐汇店')",
            run: "click",
        },
        {
            content: "the store's form, with its own address",
            trigger: ".o_form_view .o_field_widget[name=street] input:value(徐汇区天钥桥路 123 号)",
        },
    ],
});

/** A store manager logs in: their store's page is their home; it counts today's checklists
 * (and the overdue ones) and the store's open stock alerts, and opens them. */
registry.category("web_tour.tours").add("store_home_manager", {
    steps: () => [
        {
            content: "home is the manager's store",
            trigger: ".o_form_view .o_field_widget[name=name]:contains('上海徐汇店'), .o_form_view .o_field_widget[name=name] input:value(上海徐汇店)",
        },
        {
            content: "the store's open stock alerts are counted",
            trigger: ".o_form_view button[name=action_view_store_alerts] .o_stat_value",
        },
        {
            content: "open the checklists to do",
            trigger: ".o_form_view button[name=action_view_todo_checklists]",
            run: "click",
        },
        {
            content: "the checklists, filtered on today and overdue",
            trigger: ".o_searchview .o_facet_value:contains('Today and Overdue')",
        },
        {
            content: "today's checklist is there",
            trigger: ".o_kanban_view .o_kanban_record:contains('首页巡检')",
            run: "click",
        },
        {
            content: "it opens",
            trigger: ".o_form_view button[name=action_done]",
        },
    ],
});

/**
 * A cashier logs in (start URL /odoo): their home action opens their store's POS, which shows the
 * chain's catalogue (no furniture category); a sale's receipt prints the store and the cashier.
 */
registry.category("web_tour.tours").add("store_home_cashier", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            ProductScreen.productIsDisplayed("农夫山泉 550ml"),
            {
                content: "the chain's POS categories",
                trigger: ".category-button:contains('饮料')",
            },
            {
                content: "no category of Odoo's demo catalogue",
                trigger: ".pos:has(.category-button:contains('饮料')):not(:has(.category-button:contains('Chairs'))):not(:has(.category-button:contains('Desks')))",
            },
            ProductScreen.addOrderline("农夫山泉 550ml", "1"),
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod("Cash"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.isShown(),
            {
                content: "the receipt prints the store's name",
                trigger: ".pos-receipt .o_store_receipt_name:contains('上海徐汇店')",
            },
            {
                content: "the store's address and phone",
                trigger: ".pos-receipt .o_store_receipt_address:contains('徐汇区天钥桥路 123 号') ~ .o_store_receipt_phone:contains('021-64001234')",
            },
            {
                content: "not head office's",
                trigger: ".pos-receipt:not(:contains('漕溪北路')):not(:contains('021-64000000'))",
            },
            ReceiptScreen.cashierNameExists("李娜"),
        ].flat(),
});

/**
 * A store manager's stock day (issue #13's acceptance): from their store's page, today's stock
 * alerts (农夫山泉 below its safety stock in 上海徐汇店), then the transfer suggested from 上海浦东店,
 * which they accept: the transfer is created.
 */
registry.category("web_tour.tours").add("store_manager_stock_day", {
    steps: () => [
        {
            content: "the store's page counts its open stock alerts",
            trigger: ".o_form_view button[name=action_view_store_alerts]",
            run: "click",
        },
        {
            content: "today's alerts, by kind",
            trigger: ".o_list_view .o_group_header:contains('Below safety stock')",
            run: "click",
        },
        {
            content: "农夫山泉 is below its safety stock",
            trigger: ".o_list_view .o_data_row:contains('农夫山泉')",
        },
        {
            content: "back to the store",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains('上海徐汇店')",
            run: "click",
        },
        {
            content: "the suggested transfers of the store",
            trigger: ".o_form_view button[name=action_view_store_transfer_suggestions]",
            run: "click",
        },
        {
            content: "农夫山泉 from 上海浦东店",
            trigger: ".o_list_view .o_data_row:contains('农夫山泉'):contains('上海浦东店') td[name=product_id]",
            run: "click",
        },
        {
            content: "accept it: create the transfer",
            trigger: ".o_form_view .o_form_statusbar button[name=action_create_transfer]",
            run: "click",
        },
        {
            content: "the transfer is created: the store's receipt of 农夫山泉 opens, waiting for the delivery",
            trigger: ".o_form_view:has(.o_statusbar_status button:contains('Waiting Another Operation')) .o_data_row:contains('农夫山泉')",
        },
    ],
});
