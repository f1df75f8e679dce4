import { patch } from "@web/core/utils/patch";
import { ControlButtons } from "@point_of_sale/app/screens/product_screen/control_buttons/control_buttons";
import { StoreMemberPopup } from "@store_membership/app/components/popups/member_popup/member_popup";
import { StoreTopupPopup } from "@store_membership/app/components/popups/topup_popup/topup_popup";
import { makeAwaitable } from "@point_of_sale/app/utils/make_awaitable_dialog";

patch(ControlButtons.prototype, {
    async clickStoreMember() {
        await makeAwaitable(this.dialog, StoreMemberPopup, {});
    },
    async clickStoreTopup() {
        const amount = await makeAwaitable(this.dialog, StoreTopupPopup, {});
        if (amount) {
            await this.pos.storeAddTopup(amount);
        }
    },
});
