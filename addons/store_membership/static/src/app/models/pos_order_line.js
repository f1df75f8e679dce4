import { PosOrderline } from "@point_of_sale/app/models/pos_order_line";
import { patch } from "@web/core/utils/patch";

/** The till's side of the server pricing's exceptions of store_membership (pos.order.line
 * _price_is_reward, pos.order _price_any_amount_products). */
patch(PosOrderline.prototype, {
    storePriceIsReward() {
        return (
            super.storePriceIsReward(...arguments) || Boolean(this.is_reward_line || this.reward_id)
        );
    },
    /** Top-ups (the chain's top-up product, core's eWallet and gift card trigger products). */
    storePriceAnyAmount() {
        if (super.storePriceAnyAmount(...arguments)) {
            return true;
        }
        const productId = this.product_id?.id;
        if (productId && productId === this.company?.raw?.store_sv_product_id) {
            return true;
        }
        return this.models["loyalty.program"].some(
            (program) =>
                ["ewallet", "gift_card"].includes(program.program_type) &&
                program.trigger_product_ids.some((product) => product.id === productId)
        );
    },
});
