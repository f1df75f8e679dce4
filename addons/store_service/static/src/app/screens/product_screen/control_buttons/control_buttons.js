import { patch } from "@web/core/utils/patch";
import { ControlButtons } from "@point_of_sale/app/screens/product_screen/control_buttons/control_buttons";
import { StoreHelpRequestPopup } from "@store_service/app/components/popups/help_request_popup/help_request_popup";

patch(ControlButtons.prototype, {
    clickStoreHelp() {
        this.dialog.add(StoreHelpRequestPopup, {});
    },
});
