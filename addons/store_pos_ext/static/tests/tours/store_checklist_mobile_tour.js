import { registry } from "@web/core/registry";

/**
 * A cashier fills today's checklist on a phone: ticks an item, enters a fridge temperature,
 * then tries to complete it without the required photo and is told which item is missing.
 */
registry.category("web_tour.tours").add("store_checklist_mobile", {
    steps: () => [
        {
            content: "open today's checklist",
            trigger: ".o_kanban_record:contains('手机巡检')",
            run: "click",
        },
        {
            content: "open the check item",
            trigger: ".o_field_one2many .o_kanban_record:contains('价签齐全')",
            run: "click",
        },
        {
            content: "tick it",
            trigger: ".modal div[name=value_check] input",
            run: "click",
        },
        {
            content: "save the item",
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "open the temperature item",
            trigger: ".o_field_one2many .o_kanban_record:contains('冷藏柜温度')",
            run: "click",
        },
        {
            content: "enter 4.5 °C",
            trigger: ".modal div[name=value_number] input",
            run: "edit 4.5",
        },
        {
            content: "save the item",
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "try to complete",
            trigger: ".o_form_view button[name=action_done]",
            run: "click",
        },
        {
            content: "told which item is missing",
            trigger: ".modal:contains('端架照片')",
        },
        {
            content: "close the message",
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "back on the checklist, still to do",
            trigger: ".o_form_view button[name=action_done]:visible",
        },
    ],
});
