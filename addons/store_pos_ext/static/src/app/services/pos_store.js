import { PosStore } from "@point_of_sale/app/services/pos_store";
import { _t } from "@web/core/l10n/translation";
import { patch } from "@web/core/utils/patch";

patch(PosStore.prototype, {
    /** Whether this POS belongs to a store: the server prices its paid orders. */
    get storeIsChainPos() {
        return Boolean(this.config.raw?.store_id);
    },
    /**
     * The role the server prices the cashier's manual discounts by: hq, manager, cashier or
     * minimal, as the server loaded it for the cashier (pos_hr's employee, else the user), else
     * pos_hr's or core's role.
     */
    storePriceRole() {
        const cashier = this.getCashier();
        return (
            cashier?._store_price_role ||
            cashier?.raw?._store_price_role ||
            cashier?._role ||
            cashier?.raw?.role ||
            "cashier"
        );
    },
    /** The largest manual discount (%) `role` may give here (pos.config._price_role_limit). */
    storePriceRoleLimit(role) {
        const config = this.config;
        const limits = {
            hq: config.store_discount_limit_hq,
            manager: config.store_discount_limit_manager,
            cashier: config.store_discount_limit_cashier,
        };
        return limits[role] || 0;
    },
    /**
     * What the server pricing will flag in `order` (empty: nothing): one plain message per
     * problem of a line charged below its price or with a line discount.
     */
    storePriceProblems(order) {
        if (!this.storeIsChainPos) {
            return [];
        }
        const role = this.storePriceRole();
        const limit = this.storePriceRoleLimit(role);
        const problems = [];
        for (const line of order.getOrderlines()) {
            const change = line.storeManualChange();
            if (!change) {
                continue;
            }
            const product = line.getFullProductName();
            if (role === "minimal") {
                problems.push(
                    _t("%(product)s: your role may not give discounts or change prices", {
                        product,
                    })
                );
            }
            if (change.lower && change.pct > limit + 0.005) {
                problems.push(
                    _t("%(product)s: %(pct)s% off is over your %(limit)s% limit", {
                        product,
                        pct: change.pct,
                        limit: Math.round(limit * 100) / 100,
                    })
                );
            }
            if (change.lower && !line.storePriceReason()) {
                problems.push(
                    _t("%(product)s: no reason given — add an internal note", { product })
                );
            }
        }
        return problems;
    },
});
