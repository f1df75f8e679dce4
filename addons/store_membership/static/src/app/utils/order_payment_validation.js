import OrderPaymentValidation from "@point_of_sale/app/utils/order_payment_validation";
import { patch } from "@web/core/utils/patch";

patch(OrderPaymentValidation.prototype, {
    async isOrderValid(isForceValidate) {
        if (!(await super.isOrderValid(...arguments))) {
            return false;
        }
        // Points first: a refused reward is taken off before any stored value is held for the rest.
        if (!(await this.pos.storeAuthorizePoints(this.order))) {
            return false;
        }
        return await this.pos.storeCheckStoredValue(this.order);
    },
});
