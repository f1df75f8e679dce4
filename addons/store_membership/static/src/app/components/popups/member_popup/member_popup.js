import { Component, onMounted, useRef, useState } from "@odoo/owl";
import { Dialog } from "@web/core/dialog/dialog";
import { usePos } from "@point_of_sale/app/hooks/pos_hook";
import { ConnectionLostError } from "@web/core/network/rpc";
import { _t } from "@web/core/l10n/translation";

/**
 * Find a member by phone or member number, or register a new one, then select it on the order.
 * The server answers with masked personal data only.
 */
export class StoreMemberPopup extends Component {
    static template = "store_membership.StoreMemberPopup";
    static components = { Dialog };
    static props = {
        getPayload: { type: Function, optional: true },
        close: Function,
    };

    setup() {
        this.pos = usePos();
        this.queryRef = useRef("query");
        this.state = useState({
            mode: "lookup",
            query: "",
            info: null,
            selected: false,
            notFound: false,
            error: "",
            busy: false,
            mobile: "",
            name: "",
            birthday: "",
        });
        onMounted(() => this.queryRef.el?.focus());
    }

    get title() {
        return this.state.mode === "register" ? _t("Register a member") : _t("Member");
    }

    async run(fn) {
        this.state.busy = true;
        this.state.error = "";
        try {
            return await fn();
        } catch (error) {
            if (error instanceof ConnectionLostError) {
                this.state.error = _t(
                    "No connection to the server: members can only be found online."
                );
            } else if (error?.data?.message) {
                this.state.error = error.data.message;
            } else {
                throw error;
            }
        } finally {
            this.state.busy = false;
        }
    }

    async search() {
        const query = this.state.query.trim();
        if (!query) {
            return;
        }
        await this.run(async () => {
            const info = await this.pos.storeLookupMember(query);
            this.state.info = info || null;
            this.state.selected = false;
            this.state.notFound = !info;
        });
    }

    onQueryKeydown(ev) {
        if (ev.key === "Enter") {
            this.search();
        }
    }

    showRegister() {
        // A typed number becomes the mobile to register, with its "+" (a foreign number keeps its
        // country code; the server decides what a valid mobile is).
        const query = this.state.query.trim();
        const digits = query.replace(/\D/g, "");
        const international = query.startsWith("+") || query.startsWith("＋");
        if (digits.length >= 11 || (international && digits.length >= 8)) {
            this.state.mobile = international ? `+${digits}` : digits;
        }
        this.state.info = null;
        this.state.notFound = false;
        this.state.error = "";
        this.state.mode = "register";
    }

    showLookup() {
        this.state.error = "";
        this.state.mode = "lookup";
    }

    async register() {
        await this.run(async () => {
            const info = await this.pos.storeRegisterMember({
                mobile: this.state.mobile,
                name: this.state.name,
                birthday: this.state.birthday || false,
            });
            this.state.info = info;
            this.state.mode = "lookup";
            // Registered (or found by the phone): the member is put on the order at once.
            await this.pos.storeSelectMember(info);
            this.state.selected = true;
        });
    }

    async select() {
        if (!this.state.info) {
            return;
        }
        await this.run(async () => {
            const partner = await this.pos.storeSelectMember(this.state.info);
            this.props.getPayload?.(partner);
            this.props.close();
        });
    }

    formatCurrency(amount) {
        return this.env.utils.formatCurrency(amount);
    }
}
