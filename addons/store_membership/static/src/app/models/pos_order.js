import { patch } from "@web/core/utils/patch";
import { PosOrder } from "@point_of_sale/app/models/pos_order";

patch(PosOrder.prototype, {
    _storeIsChainCard(card) {
        const chainProgramId = this.company?.raw?.store_points_program_id;
        return Boolean(card && chainProgramId && card.program_id?.id === chainProgramId);
    },
    /** Points of the member's chain card redeemed by the reward lines of this order. */
    storeChainPointsSpent() {
        return this.getOrderlines()
            .filter((line) => line.is_reward_line && this._storeIsChainCard(line.coupon_id))
            .reduce((total, line) => total + line.points_cost, 0);
    },
    /**
     * The chain points an order earns depend on the member's tier and on products that earn no
     * points (top-ups): only the server knows. Its balances are shown by the member summary and
     * the receipt, so core's estimate is left out.
     */
    getLoyaltyPoints() {
        const chainProgramId = this.company?.raw?.store_points_program_id;
        return super
            .getLoyaltyPoints(...arguments)
            .filter(({ program }) => !chainProgramId || program.id !== chainProgramId);
    },
    /**
     * Chain points can only be redeemed from the balance the server holds: the points this order
     * would earn are credited after the sale (and the server refuses to spend them in advance).
     */
    _getRealCouponPoints(coupon_id) {
        const card = this.models["loyalty.card"].get(coupon_id);
        if (!this._storeIsChainCard(card)) {
            return super._getRealCouponPoints(...arguments);
        }
        let points = card.points;
        for (const line of this.getOrderlines()) {
            if (line.is_reward_line && line.coupon_id?.id === coupon_id) {
                points -= line.points_cost;
            }
        }
        return points;
    },
});
