import { PosOrderline } from "@point_of_sale/app/models/pos_order_line";
import { patch } from "@web/core/utils/patch";

/** The text of a POS note: core stores internal notes as a JSON list of {text, colorIndex}. */
export function storeNoteText(note) {
    if (!note) {
        return "";
    }
    let items;
    try {
        items = JSON.parse(note);
    } catch {
        return String(note).trim();
    }
    if (Array.isArray(items)) {
        return items
            .map((item) => (item && typeof item === "object" ? item.text || "" : String(item)))
            .map((text) => text.trim())
            .filter(Boolean)
            .join("; ");
    }
    return items === null ? "" : String(items).trim();
}

/**
 * What the server pricing of a store's POS (pos.order._price_verdict) reads of a line, so the
 * till can warn the cashier before payment. The server stays the judge: this is a hint.
 */
patch(PosOrderline.prototype, {
    /** A reward line: the loyalty and promotion checks judge it, not the price check. */
    storePriceIsReward() {
        return false;
    },
    /** Money received rather than goods (tips; other addons add top-ups): any amount. */
    storePriceAnyAmount() {
        return this.isTipLine();
    },
    /** The reason of a manual change: the line's internal note, its combo's, else the order's. */
    storePriceReason() {
        for (const note of [this.note, this.combo_parent_id?.note, this.order_id?.internal_note]) {
            const text = storeNoteText(note);
            if (text) {
                return text;
            }
        }
        return "";
    },
    /**
     * The manual price change of this line, or null: `pct` how far below the pricelist's price
     * it is charged (its line discount, and for a manual price how far below the pricelist's
     * price), `discounted` whether it has a line discount. A combo is judged on its parent line;
     * refunds, rewards and any-amount lines are not judged.
     */
    storeManualChange() {
        if (
            this.combo_parent_id ||
            this.refunded_orderline_id ||
            this.storePriceIsReward() ||
            this.storePriceAnyAmount()
        ) {
            return null;
        }
        const combo = this.combo_line_ids || [];
        const discount = Math.max(this.getDiscount(), ...combo.map((line) => line.getDiscount()));
        let listPrice = this.price_unit;
        if (this.price_type === "manual" && !combo.length) {
            listPrice = this.product_id.product_tmpl_id.getPrice(
                this.order_id.pricelist_id,
                Math.abs(this.getQuantity()) || 1,
                this.getPriceExtra(),
                false,
                this.product_id
            );
        }
        const charged = this.price_unit * (1 - discount / 100);
        const lower = this.currency.round(listPrice - charged) > 0;
        if (!lower && !discount) {
            return null;
        }
        let pct = 0;
        if (lower) {
            pct = listPrice > 0 ? ((listPrice - charged) / listPrice) * 100 : 100;
        }
        return { pct: Math.round(pct * 100) / 100, lower, discounted: Boolean(discount) };
    },
});
