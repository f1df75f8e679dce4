import { patch } from "@web/core/utils/patch";
import { PosOrder } from "@point_of_sale/app/models/pos_order";

patch(PosOrder.prototype, {
    /**
     * Chain points can only be redeemed from the balance the server holds: the points this order
     * would earn are credited after the sale (and the server refuses to spend them in advance).
     */
    _getRealCouponPoints(coupon_id) {
        const card = this.models["loyalty.card"].get(coupon_id);
        const chainProgramId = this.company?.raw?.store_points_program_id;
        if (!card || !chainProgramId || card.program_id?.id !== chainProgramId) {
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
