import { ReceiptHeader } from "@point_of_sale/app/screens/receipt_screen/receipt/receipt_header/receipt_header";
import { patch } from "@web/core/utils/patch";

/** A store's POS prints the store (store.store, loaded with its POS) instead of head office. */
patch(ReceiptHeader.prototype, {
    get store() {
        return this.order.config.store_id;
    },
    /** Province, city, street: the order a Chinese address is written in. */
    get storeAddress() {
        const store = this.store;
        return [store?.state_id?.name, store?.city, store?.street].filter(Boolean).join(" ");
    },
});
