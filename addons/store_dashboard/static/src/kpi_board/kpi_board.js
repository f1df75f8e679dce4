import { Component, onWillStart, useState, useSubEnv } from "@odoo/owl";
import { formatDate, deserializeDate } from "@web/core/l10n/dates";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { formatFloat } from "@web/core/utils/numbers";
import { useService } from "@web/core/utils/hooks";
import { Layout } from "@web/search/layout";
import { getDefaultConfig } from "@web/views/view";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";

const { DateTime } = luxon;

/** KPIs where a rise is bad news (shown red when they go up). */
const LOWER_IS_BETTER = new Set(["refund_amount", "stockouts"]);
/** KPIs whose change is neither good nor bad news by itself (shown uncoloured). */
const NEUTRAL = new Set(["promo_cost", "discount_amount", "days_of_cover"]);

/**
 * 指标看板: the KPIs of store.dashboard.get_kpis for a period against the period just before, for
 * the stores the user's record rules give (HQ the chain, a region manager their regions, a store
 * manager their stores), one card per KPI with its definition written under the figure (readable
 * on a phone, no hover), and 办卡率 by employee.
 */
export class KpiBoard extends Component {
    static template = "store_dashboard.KpiBoard";
    static components = { Layout };
    static props = { ...standardActionServiceProps };

    setup() {
        useSubEnv({ config: { ...getDefaultConfig(), ...this.env.config } });
        this.orm = useService("orm");
        this.presets = [
            { key: "last_7_days", label: _t("Last 7 days") },
            { key: "last_30_days", label: _t("Last 30 days") },
            { key: "this_month", label: _t("This month") },
            { key: "last_month", label: _t("Last month") },
        ];
        this.state = useState({
            preset: "last_30_days",
            regionId: false,
            storeId: false,
            regions: [],
            stores: [],
            result: null,
            loading: true,
        });
        onWillStart(async () => {
            const [regions, stores] = await Promise.all([
                this.orm.searchRead("store.region", [], ["name"], { order: "name" }),
                this.orm.searchRead("store.store", [], ["name", "region_id"], { order: "name" }),
            ]);
            this.state.regions = regions;
            this.state.stores = stores;
            await this.load();
        });
    }

    /** The local dates [from, to] of a preset, as the browser's calendar reads them. */
    periodOf(preset) {
        const today = DateTime.local().startOf("day");
        switch (preset) {
            case "last_7_days":
                return [today.minus({ days: 6 }), today];
            case "this_month":
                return [today.startOf("month"), today];
            case "last_month": {
                const start = today.minus({ months: 1 }).startOf("month");
                return [start, start.endOf("month").startOf("day")];
            }
            default:
                return [today.minus({ days: 29 }), today];
        }
    }

    async load() {
        this.state.loading = true;
        const request = (this.lastRequest = (this.lastRequest || 0) + 1);
        const [from, to] = this.periodOf(this.state.preset);
        // the baseline: get_kpis' default, as many days just before the period
        const result = await this.orm.call("store.dashboard", "get_kpis", [
            from.toISODate(),
            to.toISODate(),
            false,
            false,
            this.state.regionId,
            this.state.storeId,
        ]);
        if (request === this.lastRequest) {
            // only the answer to the last choice is shown
            this.state.result = result;
            this.state.loading = false;
        }
    }

    get shownStores() {
        const regionId = this.state.regionId;
        return regionId
            ? this.state.stores.filter((store) => store.region_id && store.region_id[0] === regionId)
            : this.state.stores;
    }

    get storeNames() {
        return Object.fromEntries(this.state.stores.map((store) => [store.id, store.name]));
    }

    onPreset(ev) {
        this.state.preset = ev.target.value;
        this.load();
    }

    onRegion(ev) {
        this.state.regionId = parseInt(ev.target.value) || false;
        if (this.state.storeId && !this.shownStores.some((s) => s.id === this.state.storeId)) {
            this.state.storeId = false;
        }
        this.load();
    }

    onStore(ev) {
        this.state.storeId = parseInt(ev.target.value) || false;
        this.load();
    }

    formatRange(range) {
        return range.map((day) => formatDate(deserializeDate(day))).join(" – ");
    }

    formatValue(value, unit) {
        if (unit === "currency") {
            // get_kpis' amounts are in the currency of the user's company, which it returns
            const currency = this.state.result?.currency || { symbol: "", position: "before" };
            const figure = formatFloat(value, { digits: [false, 2] });
            return currency.position === "after"
                ? `${figure}\u00a0${currency.symbol}`
                : `${currency.symbol}${figure}`;
        }
        if (unit === "percent") {
            return `${formatFloat(value, { digits: [false, 1] })}%`;
        }
        if (unit === "ratio") {
            return formatFloat(value, { digits: [false, 2] });
        }
        if (unit === "days") {
            return _t("%s days", formatFloat(value, { digits: [false, 1] }));
        }
        return formatFloat(value, { digits: [false, 0] });
    }

    formatChange(kpi) {
        if (kpi.change === false) {
            return "—";
        }
        const arrow = kpi.change > 0 ? "▲" : kpi.change < 0 ? "▼" : "";
        const figure = `${formatFloat(Math.abs(kpi.change), { digits: [false, 1] })}%`;
        return arrow ? `${arrow}\u00a0${figure}` : figure;
    }

    changeClass(kpi) {
        if (!kpi.change || NEUTRAL.has(kpi.key)) {
            return "text-muted";
        }
        const good = (kpi.change > 0) !== LOWER_IS_BETTER.has(kpi.key);
        return good ? "text-success" : "text-danger";
    }
}

registry.category("actions").add("store_dashboard.kpi_board", KpiBoard);
