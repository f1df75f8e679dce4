import * as Chrome from "@point_of_sale/../tests/pos/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/generic_helpers/dialog_util";
import * as ProductScreen from "@point_of_sale/../tests/pos/tours/utils/product_screen_util";
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("store_handover_shown_at_opening", {
    steps: () =>
        [
            Chrome.startPoS(),
            {
                content: "the previous shift's handover is shown before the register opens",
                trigger: ".modal .store-handover:contains('冷柜2号温度偏高'):contains('明早鲜奶到货')",
            },
            Dialog.confirm("Open Register"),
            ProductScreen.isShown(),
        ].flat(),
});
