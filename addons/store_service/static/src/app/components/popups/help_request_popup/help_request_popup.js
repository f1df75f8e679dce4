import { Component, onWillStart, useState } from "@odoo/owl";
import { Dialog } from "@web/core/dialog/dialog";
import { usePos } from "@point_of_sale/app/hooks/pos_hook";
import { getDataURLFromFile } from "@web/core/utils/urls";
import { _t } from "@web/core/l10n/translation";

const PHOTO_MAX_BYTES = 10 * 1024 * 1024;

/**
 * 一键求助: a help request to HQ (text, optional photo, the current order), and the store's
 * requests with HQ's answer.
 */
export class StoreHelpRequestPopup extends Component {
    static template = "store_service.StoreHelpRequestPopup";
    static components = { Dialog };
    static props = {
        getPayload: { type: Function, optional: true },
        close: Function,
    };

    setup() {
        this.pos = usePos();
        this.state = useState({
            text: "",
            photo: false,
            photoName: "",
            attachOrder: true,
            error: "",
            sending: false,
            sent: false,
            requests: [],
        });
        onWillStart(() => this.load());
    }

    get hasOrder() {
        const order = this.pos.getOrder();
        return Boolean(order && !order.isEmpty());
    }

    async load() {
        try {
            this.state.requests = await this.pos.storeHelpRequests();
        } catch {
            this.state.requests = [];
        }
    }

    async onPhoto(ev) {
        const file = ev.target.files?.[0];
        this.state.error = "";
        if (!file) {
            this.state.photo = false;
            this.state.photoName = "";
            return;
        }
        if (file.size > PHOTO_MAX_BYTES) {
            this.state.error = _t("The photo is larger than 10 MB.");
            ev.target.value = "";
            return;
        }
        const dataUrl = await getDataURLFromFile(file);
        this.state.photo = dataUrl.split(",")[1] || false;
        this.state.photoName = file.name;
    }

    async send() {
        const text = this.state.text.trim();
        if (!text) {
            this.state.error = _t("Describe what you need help with.");
            return;
        }
        this.state.error = "";
        this.state.sending = true;
        try {
            this.state.requests = await this.pos.storeSendHelpRequest({
                text,
                photo: this.state.photo,
                attachOrder: this.state.attachOrder && this.hasOrder,
            });
            this.state.text = "";
            this.state.photo = false;
            this.state.photoName = "";
            this.state.sent = true;
        } catch (error) {
            this.state.error = error?.data?.message || error?.message || _t("The help request could not be sent.");
        } finally {
            this.state.sending = false;
        }
    }
}
