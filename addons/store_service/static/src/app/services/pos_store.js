import { patch } from "@web/core/utils/patch";
import { PosStore } from "@point_of_sale/app/services/pos_store";

patch(PosStore.prototype, {
    /**
     * 一键求助: send a help request to HQ's service team. The current order is saved as a draft
     * first (as core's "save for later" does) so the server can attach it; the server checks that
     * the session is open and the caller's, and that the order is of this session.
     * Returns the store's help requests (newest first).
     */
    async storeSendHelpRequest({ text, photo = false, attachOrder = true }) {
        const order = this.getOrder();
        let orderId = false;
        if (attachOrder && order && !order.isEmpty()) {
            await this.syncAllOrders({ orders: [order], force: true, throw: true });
            const saved = this.models["pos.order"].getBy("uuid", order.uuid);
            orderId = typeof saved?.id === "number" ? saved.id : false;
        }
        return await this.data.call("helpdesk.ticket", "store_pos_help_request", [
            this.session.id,
            text,
            orderId,
            photo,
        ]);
    },
    /** The store's help requests with HQ's answer (stage, handler, due time, last reply). */
    async storeHelpRequests() {
        return await this.data.call("helpdesk.ticket", "store_pos_help_requests", [this.session.id]);
    },
});
