import { PosOrderline } from "@point_of_sale/app/models/pos_order_line";
import { patch } from "@web/core/utils/patch";

/** A promotion's reward line is named after the promotion, in the cart, on the receipt and on
 * the saved order line (core would name it after the reward's discount product). */
patch(PosOrderline.prototype, {
    _storePromoProgram() {
        const program = this.reward_id?.program_id;
        return program?.store_promo_pos ? program : null;
    },
    setFullProductName() {
        const program = this._storePromoProgram();
        if (program) {
            this.full_product_name = program.name;
            return;
        }
        return super.setFullProductName(...arguments);
    },
    get orderDisplayProductName() {
        const result = super.orderDisplayProductName;
        const program = this._storePromoProgram();
        return program ? { ...result, name: program.name } : result;
    },
});
