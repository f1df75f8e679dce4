import { patch } from "@web/core/utils/patch";
import { ControlButtons } from "@point_of_sale/app/screens/product_screen/control_buttons/control_buttons";
import { StoreMemberPopup } from "@store_membership/app/components/popups/member_popup/member_popup";
import { StoreTopupPopup } from "@store_membership/app/components/popups/topup_popup/topup_popup";
import { makeAwaitable } from "@point_of_sale/app/utils/make_awaitable_dialog";

patch(ControlButtons.prototype, {
    async clickStoreMember() {
        await makeAwaitable(this.dialog, StoreMemberPopup, {});
    },
    /** A chain points reward is held on the member's card at once, or taken off again. */
    async _applyReward(reward, coupon_id) {
        const result = await super._applyReward(...arguments);
        const order = this.pos.getOrder();
        if (result !== true || !order._storeIsChainCard(this.pos.models["loyalty.card"].get(coupon_id))) {
            return result;
        }
        if (await this.pos.storeAuthorizePoints(order)) {
            return result;
        }
        for (const line of order._get_reward_lines()) {
            if (order._storeIsChainCard(line.coupon_id)) {
                line.delete();
            }
        }
        order.uiState.disabledRewards.add(reward.id);
        this.pos.updateRewards();
        return false;
    },
    async clickStoreTopup() {
        const amount = await makeAwaitable(this.dialog, StoreTopupPopup, {});
        if (amount) {
            await this.pos.storeAddTopup(amount);
        }
    },
});
