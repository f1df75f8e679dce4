import { registry } from "@web/core/registry";
import { serializeDate } from "@web/core/l10n/dates";

const { DateTime } = luxon;

/**
 * The HQ dashboard, opened by its menu entry's action: it loads, draws its figures, and its orders
 * scorecard (Data!B3: the orders of the last 30 days, read by a spreadsheet pivot of
 * store.sales.fact through the dashboard's period filter) shows the orders of those days.
 * The same tour runs on a desktop and on a 390 px phone (figures only).
 */
async function loadedOrders() {
    const loader = odoo.__WOWL_DEBUG__.root.env.services.spreadsheet_dashboard_loader;
    // within the step's 10 s, so that a figure that never loads says so
    for (let attempt = 0; attempt < 80; attempt++) {
        const model = loader.getActiveDashboard()?.model;
        if (model) {
            const dataSheetId = model.getters.getSheetIds()[1];
            const cell = model.getters.getEvaluatedCell({ sheetId: dataSheetId, col: 1, row: 2 });
            if (typeof cell.value === "number") {
                return cell.value;
            }
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error("the orders of the HQ dashboard never loaded");
}

registry.category("web_tour.tours").add("store_dashboard_hq", {
    steps: () => [
        {
            content: "the HQ dashboard is the open one",
            trigger: ".o_spreadsheet_dashboard_action:contains('HQ Dashboard')",
        },
        {
            content: "its figures are drawn",
            trigger: ".o_spreadsheet_dashboard_action .o-figure canvas",
        },
        {
            content: "the orders scorecard shows the orders of the last 30 days",
            trigger: ".o_spreadsheet_dashboard_action .o-figure canvas",
            run: async () => {
                const phoneFigures = ".o_mobile_dashboard .o-mobile-figure canvas";
                if (window.innerWidth < 768 && !document.querySelector(phoneFigures)) {
                    throw new Error("a phone shows the dashboard's figures one under the other");
                }
                const shown = await loadedOrders();
                // the same days read directly (last 30 days: today and the 29 before, in the
                // browser's time zone, as the spreadsheet's date filter)
                const today = DateTime.local().startOf("day");
                const { orm } = odoo.__WOWL_DEBUG__.root.env.services;
                const [{ "order_count:sum": orders }] = await orm.formattedReadGroup(
                    "store.sales.fact",
                    [
                        ["date", ">=", serializeDate(today.minus({ days: 29 }))],
                        ["date", "<=", serializeDate(today)],
                    ],
                    [],
                    ["order_count:sum"]
                );
                if (!(shown > 0) || shown !== orders) {
                    throw new Error(`orders shown: ${shown}, orders of the period: ${orders}`);
                }
            },
        },
    ],
});
