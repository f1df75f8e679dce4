import { registry } from "@web/core/registry";
import { serializeDate } from "@web/core/l10n/dates";

const { DateTime } = luxon;

/**
 * The HQ dashboard, opened by its menu entry's action: it loads, draws its figures, and its orders
 * scorecard (Data!B3: the orders of the last 30 days, read by a spreadsheet pivot of
 * store.sales.fact through the dashboard's period filter) shows the orders of those days.
 * The same tour runs on a desktop and on a 390 px phone (figures only).
 * Then the KPI board (指标看板, get_kpis): its orders card shows the same orders, with its
 * definition written under the figure; a phone shows at most two cards a row.
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

/** The orders of the facts of today and the 29 days before (the browser's dates), read directly. */
async function ordersOfLast30Days() {
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
    return orders;
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
                const orders = await ordersOfLast30Days();
                if (!(shown > 0) || shown !== orders) {
                    throw new Error(`orders shown: ${shown}, orders of the period: ${orders}`);
                }
            },
        },
        {
            content: "open the KPI board (指标看板)",
            trigger: ".o_spreadsheet_dashboard_action",
            run: () =>
                odoo.__WOWL_DEBUG__.root.env.services.action.doAction(
                    "store_dashboard.store_kpi_board_action"
                ),
        },
        {
            content: "its orders card shows the orders of the last 30 days and their definition",
            trigger: ".o_store_kpi_board .o_kpi_card.o_kpi_order_count .o_kpi_definition:contains('Paid sales')",
            run: async () => {
                const card = document.querySelector(".o_kpi_card.o_kpi_order_count");
                const orders = await ordersOfLast30Days();
                const shown = Number(card.querySelector(".o_kpi_value").textContent.replace(/\D/g, ""));
                if (!(shown > 0) || shown !== orders) {
                    throw new Error(`KPI board orders: ${shown}, orders of the period: ${orders}`);
                }
                // the definition is written under the figure (no hover needed), on a phone too
                const definition = card.querySelector(".o_kpi_definition");
                if (!definition.getBoundingClientRect().height) {
                    throw new Error("the orders card's definition is not shown");
                }
                // a phone shows at most two cards a row
                const cards = [...document.querySelectorAll(".o_kpi_card")];
                const firstRow = cards.filter((c) => c.offsetTop === cards[0].offsetTop).length;
                if (window.innerWidth < 768 && firstRow > 2) {
                    throw new Error(`a phone shows ${firstRow} cards a row`);
                }
            },
        },
    ],
});
