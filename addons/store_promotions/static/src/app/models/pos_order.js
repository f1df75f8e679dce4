import { PosOrder } from "@point_of_sale/app/models/pos_order";
import { patch } from "@web/core/utils/patch";
import { _t } from "@web/core/l10n/translation";
import {
    storePromoCustomerOk,
    storePromoDiscount,
    storePromoInWindow,
} from "@store_promotions/app/utils/store_promotion";

function isBetter(keyA, keyB) {
    for (let i = 0; i < keyA.length; i++) {
        if (keyA[i] !== keyB[i]) {
            return keyA[i] > keyB[i];
        }
    }
    return false;
}

/**
 * Core pos_loyalty applies each promotion's core program; the chain's templates are priced here:
 * the program is offered only inside its days/hours and to the customers it is for, its reward
 * line carries the amount the server allows, under the promotion's name, and of the promotions of
 * one exclusive group only one is given (by priority or by amount, as the company chose).
 */
patch(PosOrder.prototype, {
    _storePromoLines() {
        return this.lines
            .filter((line) => !line.is_reward_line && !line.reward_id)
            .map((line) => ({
                product: line.product_id,
                qty: line.qty,
                price_unit: line.price_unit,
                discount: line.discount,
            }));
    },
    storePromoDiscount(program) {
        const params = program.store_promo_pos;
        return params ? storePromoDiscount(params, this._storePromoLines()) : 0;
    },
    /** Program ids of promotions that lose to another promotion of their exclusive group. */
    _storePromoLosers() {
        const best = {};
        const losers = new Set();
        for (const program of this.models["loyalty.program"].getAll()) {
            const params = program.store_promo_pos;
            if (!params || !params.exclusive_group || !this._programIsApplicable(program)) {
                continue;
            }
            const amount = this.storePromoDiscount(program);
            if (amount <= 0) {
                continue;
            }
            // As the server ranks them (store.promotion._stack_key): the company's policy.
            const key =
                params.stacking === "best"
                    ? [amount, params.priority, -program.id]
                    : [params.priority, amount, -program.id];
            const candidate = { program, key };
            const current = best[params.exclusive_group];
            const wins = !current || isBetter(candidate.key, current.key);
            if (wins) {
                if (current) {
                    losers.add(current.program.id);
                }
                best[params.exclusive_group] = candidate;
            } else {
                losers.add(program.id);
            }
        }
        return losers;
    },
    _storePromoOffered(program) {
        return (
            this.storePromoDiscount(program) > 0 && !this._storePromoLosers().has(program.id)
        );
    },
    _programIsApplicable(program) {
        if (!super._programIsApplicable(...arguments)) {
            return false;
        }
        const params = program.store_promo_pos;
        if (!params) {
            return true;
        }
        return storePromoInWindow(params) && storePromoCustomerOk(params, this.getPartner());
    },
    /** Core keeps one "global" (whole-order) discount per order; promotions stack unless they
     * share an exclusive group, so their lines are not core global discounts. */
    _getGlobalDiscountLines() {
        return super
            ._getGlobalDiscountLines(...arguments)
            .filter((line) => !line.reward_id.program_id.store_promo_pos);
    },
    _applyReward(reward, coupon_id, args) {
        if (!reward.program_id.store_promo_pos) {
            return super._applyReward(...arguments);
        }
        if (this._getRealCouponPoints(coupon_id) < reward.required_points) {
            return _t("There are not enough points on the coupon to claim this reward.");
        }
        const rewardLines = this._getRewardLineValues({ reward, coupon_id, ...(args || {}) });
        if (!Array.isArray(rewardLines)) {
            return rewardLines;
        }
        if (!rewardLines.length) {
            return _t("The reward could not be applied.");
        }
        for (const rewardLine of rewardLines) {
            this.applyRewardLine(rewardLine);
        }
        return true;
    },
    getClaimableRewards() {
        return super
            .getClaimableRewards(...arguments)
            .filter(
                ({ reward }) =>
                    !reward.program_id.store_promo_pos || this._storePromoOffered(reward.program_id)
            );
    },
    _getRewardLineValuesDiscount(args) {
        const reward = args.reward;
        const program = reward.program_id;
        if (!program.store_promo_pos) {
            return super._getRewardLineValuesDiscount(...arguments);
        }
        if (!this._storePromoOffered(program)) {
            return [];
        }
        const amount = this.storePromoDiscount(program);
        return [
            {
                product_id: reward.discount_line_product_id,
                full_product_name: program.name,
                price_unit: -amount,
                qty: 1,
                reward_id: reward,
                is_reward_line: true,
                coupon_id: args.coupon_id,
                points_cost: reward.required_points,
                reward_identifier_code: Math.random().toString(36).substring(3),
                tax_ids: [],
            },
        ];
    },
});
