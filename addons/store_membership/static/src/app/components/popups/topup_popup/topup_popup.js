import { Component, onMounted, useRef, useState } from "@odoo/owl";
import { Dialog } from "@web/core/dialog/dialog";
import { usePos } from "@point_of_sale/app/hooks/pos_hook";
import { parseFloat as parseNumber } from "@web/views/fields/parsers";

/** Amount to top up the selected member's stored value with (the bonus is added by the server). */
export class StoreTopupPopup extends Component {
    static template = "store_membership.StoreTopupPopup";
    static components = { Dialog };
    static props = {
        getPayload: Function,
        close: Function,
    };
    static presets = [100, 200, 500, 1000];

    setup() {
        this.pos = usePos();
        this.inputRef = useRef("amount");
        this.state = useState({ amount: "", error: false });
        onMounted(() => this.inputRef.el?.focus());
    }

    get member() {
        return this.pos.getOrder()?.getPartner();
    }

    setPreset(amount) {
        this.state.amount = String(amount);
        this.state.error = false;
    }

    confirm() {
        let amount;
        try {
            amount = parseNumber(this.state.amount || "");
        } catch {
            amount = NaN;
        }
        if (!(amount > 0)) {
            this.state.error = true;
            return;
        }
        this.props.getPayload(this.pos.currency.round(amount));
        this.props.close();
    }

    onKeydown(ev) {
        if (ev.key === "Enter") {
            this.confirm();
        }
    }
}
