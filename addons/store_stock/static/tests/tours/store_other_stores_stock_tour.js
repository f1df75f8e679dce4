import * as Chrome from "@point_of_sale/../tests/pos/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/generic_helpers/dialog_util";
import * as ProductScreen from "@point_of_sale/../tests/pos/tours/utils/product_screen_util";
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("store_other_stores_stock_in_product_info", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            ProductScreen.searchProduct("调拨测试商品"),
            ProductScreen.clickInfoProduct("调拨测试商品", [
                {
                    content: "the other store of the region shows its quantity",
                    trigger: ".section-other-stores-stock tr[data-store-stock='调拨测试B店']:contains('37')",
                },
                {
                    content: "the central warehouse is listed",
                    trigger: ".section-other-stores-stock tr:contains('central warehouse')",
                },
                {
                    content: "a store of another region is not, nor in core's inventory section",
                    trigger: ".modal:not(:contains('调拨测试C店')) .section-other-stores-stock",
                },
                Dialog.confirm("Close"),
            ]),
        ].flat(),
});
