import { patch } from "@web/core/utils/patch";
import { PosStore } from "@point_of_sale/app/services/pos_store";
import { AlertDialog } from "@web/core/confirmation_dialog/confirmation_dialog";
import { ConnectionLostError } from "@web/core/network/rpc";
import { _t } from "@web/core/l10n/translation";

patch(PosStore.prototype, {
    async setup() {
        // partner id -> member info from the server (store_member_lookup), false if not a member
        this.storeMembers = {};
        this.storeMembersPending = new Set();
        await super.setup(...arguments);
    },

    // ------------------------------------------------------------- members
    async storeLookupMember(query) {
        query = (query || "").trim();
        if (!query) {
            return false;
        }
        return await this.data.call("res.partner", "store_member_lookup", [query]);
    },
    async storeRegisterMember(vals) {
        const employee = this.config.module_pos_hr ? this.getCashier() : null;
        return await this.data.call("res.partner", "store_member_register", [vals], {
            config_id: this.config.id,
            employee_id: employee?.id || false,
        });
    },
    /**
     * Load the member into the POS (members are not preloaded), read its points card afresh (the
     * rewards offered must match the server's balance) and set it on the current order.
     */
    async storeSelectMember(info) {
        const order = this.getOrder();
        const current = order.getPartner();
        if (current && current.id !== info.id && order.getHasRefundLines()) {
            // as core's partner list: a refund stays with the customer of the refunded order
            this.dialog.add(AlertDialog, {
                title: _t("Can't change customer"),
                body: _t(
                    "This order refunds %s's purchase: start a new order for this member.",
                    current.name
                ),
            });
            return false;
        }
        if (!this.models["res.partner"].get(info.id)) {
            await this.data.read("res.partner", [info.id]);
        }
        const partner = this.models["res.partner"].get(info.id);
        this.storeMembers[info.id] = info;
        if (info.points_card_id) {
            await this.data.read("loyalty.card", [info.points_card_id]);
        }
        if (order.getPartner() !== partner) {
            this.setPartnerToCurrentOrder(partner);
        }
        await this.updateRewards();
        return partner;
    },
    /** A scanned member card: look the number up and select the member. */
    async storeSelectMemberByCode(code) {
        let info = false;
        try {
            info = await this.storeLookupMember(code);
        } catch (error) {
            if (error instanceof ConnectionLostError) {
                return false;
            }
            throw error;
        }
        if (info) {
            await this.storeSelectMember(info);
        }
        return info;
    },
    async storeRefreshMember(partner) {
        const info = await this.storeLookupMember(partner.member_number);
        this.storeMembers[partner.id] = info || false;
        return info || false;
    },
    /** Member info of the partner for display; fetched once in the background when missing. */
    storeMemberInfo(partner) {
        if (!partner?.is_member || !partner.member_number) {
            return null;
        }
        if (!(partner.id in this.storeMembers) && !this.storeMembersPending.has(partner.id)) {
            this.storeMembersPending.add(partner.id);
            this.storeRefreshMember(partner)
                .catch(() => {})
                .finally(() => this.storeMembersPending.delete(partner.id));
        }
        return this.storeMembers[partner.id] || null;
    },
    setPartnerToCurrentOrder(partner) {
        super.setPartnerToCurrentOrder(...arguments);
        this.storeMemberInfo(partner);
    },

    // -------------------------------------------------------------- top-up
    async storeTopupProduct() {
        const productId = this.company.raw.store_sv_product_id;
        if (!productId) {
            return null;
        }
        if (!this.models["product.product"].get(productId)) {
            await this.loadNewProducts([["product_variant_ids", "in", [productId]]]);
        }
        return this.models["product.product"].get(productId) || null;
    },
    /** Add the top-up product to the current order at ``amount``; the server credits it. */
    async storeAddTopup(amount) {
        const order = this.getOrder();
        if (!order?.getPartner()?.is_member) {
            this.dialog.add(AlertDialog, {
                title: _t("Member required"),
                body: _t("Select a member before topping up stored value."),
            });
            return false;
        }
        const product = await this.storeTopupProduct();
        if (!product) {
            this.dialog.add(AlertDialog, {
                title: _t("No top-up product"),
                body: _t(
                    "Set the top-up product in the membership settings and make it available in the Point of Sale."
                ),
            });
            return false;
        }
        return await this.addLineToCurrentOrder(
            {
                product_id: product,
                product_tmpl_id: product.product_tmpl_id,
                price_unit: amount,
                qty: 1,
            },
            {},
            false
        );
    },

    // ---------------------------------------------------------- stored value
    /**
     * An order paid (or refunded) with stored value needs a member, and the server must hold the
     * payment on the member's card before the order is paid; the settlement captures that hold.
     */
    async storeCheckStoredValue(order) {
        const svLines = order.payment_ids.filter(
            (line) => line.payment_method_id.store_is_stored_value
        );
        if (!svLines.length) {
            await this.storeReleaseSpend(order, "stored_value");
            return true;
        }
        const topupProductId = this.company.raw.store_sv_product_id;
        if (topupProductId && order.lines.some((line) => line.product_id?.id === topupProductId)) {
            this.dialog.add(AlertDialog, {
                title: _t("Top-ups are paid in money"),
                body: _t("A stored value top-up cannot be paid with stored value."),
            });
            return false;
        }
        const amount = svLines.reduce((total, line) => total + line.getAmount(), 0);
        const partner = order.getPartner();
        if (!partner?.is_member) {
            this.dialog.add(AlertDialog, {
                title: _t("Member required"),
                body: _t("Select the member whose stored value pays for this order."),
            });
            return false;
        }
        if (amount <= 0) {
            await this.storeReleaseSpend(order, "stored_value");
            return true;
        }
        const cashPaid = order.payment_ids
            .filter((line) => line.payment_method_id.is_cash_count)
            .reduce((total, line) => total + line.getAmount(), 0);
        // What is paid beyond the total goes back as cash: never more than the cash received.
        if (this.currency.isPositive(order.amountPaid - order.totalDue - cashPaid)) {
            this.dialog.add(AlertDialog, {
                title: _t("Stored value cannot be given as change"),
                body: _t("Lower the stored value payment to the amount still due."),
            });
            return false;
        }
        // The server holds the amount on the member's card (as a card terminal does) or refuses.
        return await this.storeAuthorizeSpend(order, "stored_value", { amount });
    },

    // ------------------------------------------------- balance authorisation
    /** Reward lines of this order that spend the member's chain points, as the server reads them. */
    storeChainRewardLines(order) {
        return order
            .getOrderlines()
            .filter((line) => line.is_reward_line && order._storeIsChainCard(line.coupon_id))
            .map((line) => ({
                reward_id: line.reward_id?.id,
                amount: line.priceIncl,
                qty: line.qty,
                code: line.reward_identifier_code || false,
            }));
    },
    /**
     * Ask the server to hold what ``order`` spends of its member's ``kind`` of balance
     * ("stored_value" or "points"); a refusal or an offline till is shown to the cashier.
     * Returns true when the order may go on.
     */
    async storeAuthorizeSpend(order, kind, { amount = 0, reward_lines = [] } = {}) {
        const partner = order.getPartner();
        const offline = {
            stored_value: {
                title: _t("Stored value unavailable offline"),
                body: _t(
                    "Stored value can only be spent while the till is online. Use cash or a card."
                ),
            },
            points: {
                title: _t("Points unavailable offline"),
                body: _t(
                    "Points can only be redeemed while the till is online. Remove the reward or try again later."
                ),
            },
        };
        let result;
        try {
            result = await this.data.call(
                "pos.session",
                "authorize_member_spend",
                [[this.session.id], partner?.id || false, kind, order.uuid],
                { amount, reward_lines }
            );
        } catch (error) {
            if (error instanceof ConnectionLostError) {
                this.dialog.add(AlertDialog, offline[kind]);
                return false;
            }
            throw error;
        }
        order.uiState.storeHolds = order.uiState.storeHolds || {};
        if (!result.authorized) {
            delete order.uiState.storeHolds[kind];
            this.dialog.add(AlertDialog, {
                title:
                    kind === "stored_value" ? _t("Not enough stored value") : _t("Not enough points"),
                body: result.message,
            });
            if (partner) {
                delete this.storeMembers[partner.id];
            }
            return false;
        }
        if (result.amount > 0) {
            order.uiState.storeHolds[kind] = result.amount;
        } else {
            delete order.uiState.storeHolds[kind];
        }
        return true;
    },
    /** Points: hold what the order's chain reward lines cost (nothing to hold releases the hold). */
    async storeAuthorizePoints(order) {
        const reward_lines = this.storeChainRewardLines(order);
        if (!reward_lines.length && !order.uiState.storeHolds?.points) {
            return true;
        }
        return await this.storeAuthorizeSpend(order, "points", { reward_lines });
    },
    /** The cashier took the payment or the reward off: free the hold (it would expire anyway). */
    async storeReleaseSpend(order, kind) {
        if (!order.uiState.storeHolds?.[kind]) {
            return;
        }
        delete order.uiState.storeHolds[kind];
        try {
            await this.data.call("pos.session", "release_member_spend", [
                [this.session.id],
                order.uuid,
                [kind],
            ]);
        } catch (error) {
            if (!(error instanceof ConnectionLostError)) {
                throw error;
            }
        }
    },

    // ----------------------------------------------------------- after sync
    async postSyncAllOrders(orders) {
        await super.postSyncAllOrders(...arguments);
        for (const order of orders) {
            const partner = order.getPartner?.();
            if (partner?.is_member && order.store_member_state === "done") {
                const info = this.storeMembers[partner.id];
                if (info) {
                    info.points = order.store_points_after;
                    info.stored_value = order.store_sv_after;
                }
            } else if (partner?.is_member) {
                delete this.storeMembers[partner.id];
            }
        }
    },
});
