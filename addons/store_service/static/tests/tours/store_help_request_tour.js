import * as Chrome from "@point_of_sale/../tests/pos/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/generic_helpers/dialog_util";
import * as ProductScreen from "@point_of_sale/../tests/pos/tours/utils/product_screen_util";
import { registry } from "@web/core/registry";

const PRODUCT = "测试商品";
const POPUP = ".modal .o_store_help_popup";

// 一键求助: the cashier sees HQ's answer to an earlier request, then sends a new one with the
// current order attached; it is listed at once with its stage.
registry.category("web_tour.tours").add("store_help_request", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            ProductScreen.searchProduct(PRODUCT),
            ProductScreen.addOrderline(PRODUCT, "1"),
            {
                content: "open the help dialog",
                trigger: ".o_store_help_button",
                run: "click",
            },
            {
                content: "HQ's answer to the earlier request is shown with its stage",
                trigger: `${POPUP} .o_store_help_request:contains('冷柜不制冷') .o_store_help_stage:contains('In Progress')`,
            },
            {
                content: "with HQ's last reply",
                trigger: `${POPUP} .o_store_help_request .o_store_help_reply:contains('维修师傅下午两点到店')`,
            },
            {
                content: "the current order is attached",
                trigger: `${POPUP} .o_store_help_attach_order:checked`,
            },
            {
                content: "describe the problem",
                trigger: `${POPUP} .o_store_help_text`,
                run: "edit 顾客投诉苹果变质，要求退款",
            },
            {
                content: "send it to HQ",
                trigger: ".modal .o_store_help_send",
                run: "click",
            },
            {
                content: "sent",
                trigger: `${POPUP} .o_store_help_sent`,
            },
            {
                content: "the new request is listed with its stage",
                trigger: `${POPUP} .o_store_help_request:contains('顾客投诉苹果变质') .o_store_help_stage:contains('New')`,
            },
        ].flat(),
});
