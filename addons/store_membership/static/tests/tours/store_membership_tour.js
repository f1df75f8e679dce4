import * as Chrome from "@point_of_sale/../tests/pos/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/generic_helpers/dialog_util";
import * as ProductScreen from "@point_of_sale/../tests/pos/tours/utils/product_screen_util";
import * as PaymentScreen from "@point_of_sale/../tests/pos/tours/utils/payment_screen_util";
import * as ReceiptScreen from "@point_of_sale/../tests/pos/tours/utils/receipt_screen_util";
import * as PosLoyalty from "@pos_loyalty/../tests/tours/utils/pos_loyalty_util";
import { scan_barcode } from "@point_of_sale/../tests/generic_helpers/utils";
import { registry } from "@web/core/registry";

const PRODUCT = "测试商品";
const POPUP = ".modal .o_store_member_popup";

function openPos() {
    return [Chrome.startPoS(), Dialog.confirm("Open Register")].flat();
}

function addProduct(qty) {
    return [ProductScreen.searchProduct(PRODUCT), ProductScreen.addOrderline(PRODUCT, qty)].flat();
}

function openMemberPopup() {
    return [
        {
            content: "open the member popup",
            trigger: ".product-screen button.o_store_member_button",
            run: "click",
        },
        { content: "member popup is open", trigger: `${POPUP} .o_store_member_query` },
    ];
}

function lookUp(query) {
    return [
        { content: `type ${query}`, trigger: `${POPUP} .o_store_member_query`, run: `edit ${query}` },
        { content: "search", trigger: ".modal .o_store_member_search", run: "click" },
    ];
}

function memberShown(name, phone) {
    return {
        content: `member ${name} (${phone}) is shown masked`,
        trigger: `${POPUP} .o_store_member_card:has(.o_store_member_name:contains("${name}")):has(.o_store_member_phone:contains("${phone}"))`,
    };
}

function selectShownMember(name) {
    return [
        { content: "select the member", trigger: ".modal .o_store_member_select:enabled", run: "click" },
        ...ProductScreen.customerIs(name),
    ];
}

function selectMember(query, name, phone) {
    return [...openMemberPopup(), ...lookUp(query), memberShown(name, phone), ...selectShownMember(name)];
}

function summaryShows(text) {
    return {
        content: `the order shows the member's ${text}`,
        trigger: `.o_store_member_summary:contains("${text}")`,
    };
}

function receiptShows(cls, text) {
    return {
        content: `receipt ${cls} shows ${text}`,
        trigger: `.pos-receipt .o_store_member_receipt .${cls}:contains("${text}")`,
    };
}

function payAndValidate(method) {
    return [
        ProductScreen.clickPayButton(),
        PaymentScreen.clickPaymentMethod(method),
        PaymentScreen.clickValidate(),
        ReceiptScreen.isShown(),
    ].flat();
}

registry.category("web_tour.tours").add("store_member_lookup_select", {
    steps: () =>
        [
            openPos(),
            openMemberPopup(),
            lookUp("13700000000"),
            {
                content: "an unknown phone finds nobody",
                trigger: `${POPUP} .o_store_member_not_found`,
            },
            lookUp("13800138000"),
            memberShown("张三", "138****8000"),
            {
                content: "the full phone number is never shown",
                trigger: `${POPUP}:not(:contains("13800138000"))`,
            },
            selectShownMember("张三"),
            summaryShows("Points: 300"),
            summaryShows("金卡"),
            addProduct("2"),
            {
                content: "core's estimate of chain points (no tier multiplier) is not shown",
                trigger: ".product-screen:not(:has(.loyalty-points-won))",
            },
            payAndValidate("Cash"),
            receiptShows("o_store_receipt_earned", "+40"),
            receiptShows("o_store_receipt_points", "340"),
            // A member card scanned on a new order selects the member.
            ReceiptScreen.clickNextOrder(),
            ProductScreen.isShown(),
            scan_barcode("M99990001"),
            ProductScreen.customerIs("张三"),
            summaryShows("M99990001"),
        ].flat(),
});

registry.category("web_tour.tours").add("store_member_register", {
    steps: () =>
        [
            openPos(),
            openMemberPopup(),
            { trigger: ".modal .o_store_member_to_register", run: "click" },
            { trigger: `${POPUP} .o_store_member_mobile`, run: "edit 1390013" },
            { trigger: `${POPUP} .o_store_member_new_name`, run: "edit 李四" },
            { trigger: ".modal .o_store_member_register", run: "click" },
            {
                content: "a bad mobile is refused with the server's message",
                trigger: `${POPUP} .o_store_member_error:contains("Mobile")`,
            },
            { trigger: `${POPUP} .o_store_member_mobile`, run: "edit 13900139000" },
            {
                trigger: `${POPUP} .o_store_member_birthday`,
                run() {
                    this.anchor.value = "1990-05-01";
                    this.anchor.dispatchEvent(new Event("input", { bubbles: true }));
                },
            },
            { trigger: ".modal .o_store_member_register", run: "click" },
            memberShown("李四", "139****9000"),
            {
                content: "a new member is not marked existing",
                trigger: `${POPUP}:not(:has(.o_store_member_existing))`,
            },
            { content: "registered and selected", trigger: `${POPUP} .o_store_member_selected` },
            selectShownMember("李四"),
            // The same phone again: the popup says so and selects the member already registered.
            openMemberPopup(),
            { trigger: ".modal .o_store_member_to_register", run: "click" },
            { trigger: `${POPUP} .o_store_member_mobile`, run: "edit 13800138000" },
            { trigger: `${POPUP} .o_store_member_new_name`, run: "edit 王五" },
            { trigger: ".modal .o_store_member_register", run: "click" },
            {
                content: "the phone is already a member",
                trigger: `${POPUP} .o_store_member_existing:contains("Already a member")`,
            },
            memberShown("张三", "138****8000"),
            { content: "the existing member is selected", trigger: `${POPUP} .o_store_member_selected` },
            selectShownMember("张三"),
        ].flat(),
});

registry.category("web_tour.tours").add("store_member_redeem_points", {
    steps: () =>
        [
            openPos(),
            addProduct("3"),
            selectMember("13800138000", "张三", "138****8000"),
            summaryShows("Points: 990"),
            PosLoyalty.isRewardButtonHighlighted(true),
            PosLoyalty.claimReward("测试积分"),
            // 990 points buy 900 points' worth (steps of 100): the points this order will earn
            // are not spendable yet, or 1000 would be offered.
            ProductScreen.totalAmountIs("21.00"),
            summaryShows("(-900)"),
            payAndValidate("Cash"),
            receiptShows("o_store_receipt_spent", "900"),
            receiptShows("o_store_receipt_earned", "+21"),
            receiptShows("o_store_receipt_points", "111"),
        ].flat(),
});

registry.category("web_tour.tours").add("store_member_pay_stored_value", {
    steps: () =>
        [
            openPos(),
            addProduct("2"),
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod("储值支付"),
            PaymentScreen.clickValidate(),
            Dialog.is({ title: "Member required" }),
            Dialog.confirm(),
            PaymentScreen.clickBack(),
            selectMember("13800138000", "张三", "138****8000"),
            summaryShows("Stored value"),
            ProductScreen.clickPayButton(),
            PaymentScreen.clickValidate(),
            // The server holds the payment on the card, or refuses it with the balance it has.
            Dialog.is({ title: "Not enough stored value" }),
            {
                content: "the server's refusal says what is available",
                trigger: ".modal:contains('15.00 available, 20.00 needed')",
            },
            Dialog.confirm(),
            PaymentScreen.isShown(),
            // More stored value than due would come back as cash change.
            PaymentScreen.enterPaymentLineAmount("储值支付", "25"),
            PaymentScreen.clickValidate(),
            Dialog.is({ title: "Stored value cannot be given as change" }),
            Dialog.confirm(),
            PaymentScreen.clickPaymentlineDelButton("储值支付", "25.00"),
            PaymentScreen.clickPaymentMethod("Cash"),
            PaymentScreen.enterPaymentLineAmount("Cash", "5"),
            PaymentScreen.clickPaymentMethod("储值支付"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.isShown(),
            receiptShows("o_store_receipt_sv", "0.00"),
            receiptShows("o_store_receipt_earned", "+20"),
        ].flat(),
});

registry.category("web_tour.tours").add("store_member_topup", {
    steps: () =>
        [
            openPos(),
            ProductScreen.clickControlButton("Top up"),
            { trigger: ".modal .o_store_topup_amount", run: "edit 100" },
            { trigger: ".modal .o_store_topup_confirm", run: "click" },
            Dialog.is({ title: "Member required" }),
            Dialog.confirm(),
            selectMember("13800138000", "张三", "138****8000"),
            ProductScreen.clickControlButton("Top up"),
            { trigger: ".modal .o_store_topup_preset:contains('100')", run: "click" },
            { trigger: ".modal .o_store_topup_confirm", run: "click" },
            ProductScreen.selectedOrderlineHas("储值充值", "1", "100.00"),
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod("储值支付"),
            PaymentScreen.clickValidate(),
            Dialog.is({ title: "Top-ups are paid in money" }),
            Dialog.confirm(),
            PaymentScreen.clickPaymentlineDelButton("储值支付", "100.00"),
            PaymentScreen.clickPaymentMethod("Cash"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.isShown(),
            receiptShows("o_store_receipt_sv", "120.00"),
            receiptShows("o_store_receipt_earned", "+0"),
        ].flat(),
});

registry.category("web_tour.tours").add("store_member_birthday_coupon", {
    steps: () =>
        [
            openPos(),
            addProduct("6"),
            selectMember("13800138000", "张三", "138****8000"),
            PosLoyalty.enterCode("BDAY2026"),
            ProductScreen.totalAmountIs("40.00"),
            payAndValidate("Cash"),
        ].flat(),
});

registry.category("web_tour.tours").add("store_member_points_refused", {
    steps: () =>
        [
            openPos(),
            addProduct("3"),
            selectMember("13800138000", "张三", "138****8000"),
            summaryShows("Points: 990"),
            PosLoyalty.claimReward("测试积分"),
            // Another till holds 500 of the 990 points: the server refuses to hold 900 more.
            Dialog.is({ title: "Not enough points" }),
            {
                content: "the server's refusal says what is available",
                trigger: ".modal:contains('490 available, 900 needed')",
            },
            Dialog.confirm(),
            // the refused reward is taken off the order (with it, 21.00)
            ProductScreen.totalAmountIs("30.00"),
            payAndValidate("Cash"),
            receiptShows("o_store_receipt_earned", "+30"),
        ].flat(),
});
