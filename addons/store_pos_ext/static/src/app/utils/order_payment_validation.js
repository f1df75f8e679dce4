import OrderPaymentValidation from "@point_of_sale/app/utils/order_payment_validation";
import { ask } from "@point_of_sale/app/utils/make_awaitable_dialog";
import { _t } from "@web/core/l10n/translation";
import { patch } from "@web/core/utils/patch";

patch(OrderPaymentValidation.prototype, {
    async isOrderValid(isForceValidate) {
        if (!(await super.isOrderValid(...arguments))) {
            return false;
        }
        return await this.storeConfirmManualPrices();
    },
    /**
     * Warn the cashier of a store's POS before paying an order the server pricing will flag for
     * HQ (a discount over the role's limit, without a reason, or by a role that may not give
     * any): "Back" returns to the order to fix it, "Pay anyway" goes on.
     *
     * Asked once per validation: pos_loyalty checks the order before its coupons and core again.
     */
    async storeConfirmManualPrices() {
        const problems = this.pos.storePriceProblems(this.order);
        const key = problems.join("\n");
        if (!problems.length || this.storeConfirmedPriceProblems === key) {
            return true;
        }
        const body = [
            _t("These discounts need HQ review:"),
            ...problems.map((problem) => `• ${problem}`),
            "",
            _t(
                "If you pay anyway, the sale is saved but flagged for HQ, and the member earns no points on it."
            ),
        ].join("\n");
        const confirmed = await ask(this.pos.dialog, {
            title: _t("Discount needs HQ review"),
            body,
            confirmLabel: _t("Pay anyway"),
            cancelLabel: _t("Back"),
        });
        if (confirmed) {
            this.storeConfirmedPriceProblems = key;
        }
        return confirmed;
    },
});
