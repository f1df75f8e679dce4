import * as Chrome from "@point_of_sale/../tests/pos/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/generic_helpers/dialog_util";
import * as Numpad from "@point_of_sale/../tests/generic_helpers/numpad_util";
import * as ProductScreen from "@point_of_sale/../tests/pos/tours/utils/product_screen_util";
import * as PaymentScreen from "@point_of_sale/../tests/pos/tours/utils/payment_screen_util";
import * as ReceiptScreen from "@point_of_sale/../tests/pos/tours/utils/receipt_screen_util";
import { registry } from "@web/core/registry";

const PRODUCT = "测试商品";
const WARNING = ".modal:has(.modal-header:contains('Discount needs HQ review'))";

function openPos() {
    return [Chrome.startPoS(), Dialog.confirm("Open Register")].flat();
}

function addProduct() {
    return [ProductScreen.searchProduct(PRODUCT), ProductScreen.addOrderline(PRODUCT, "1")].flat();
}

function payCash() {
    return [
        ProductScreen.clickPayButton(),
        PaymentScreen.clickPaymentMethod("Cash"),
        PaymentScreen.clickValidate(),
    ].flat();
}

function warningSays(text) {
    return {
        content: `the warning says "${text}"`,
        trigger: `${WARNING} .modal-body:contains("${text}")`,
    };
}

function warningDoesNotSay(text) {
    return {
        content: `the warning does not say "${text}"`,
        trigger: `${WARNING} .modal-body:not(:contains("${text}"))`,
    };
}

function noWarning() {
    return { content: "no price warning", trigger: `body:not(:has(${WARNING}))` };
}

// 25% off a cashier's 10% limit, without a note: warned, back to the order, then paid anyway.
registry.category("web_tour.tours").add("store_price_warning_discount", {
    steps: () =>
        [
            openPos(),
            addProduct(),
            ProductScreen.addDiscount("25"),
            ProductScreen.selectedOrderlineHas(PRODUCT, "1", "7.50"),
            payCash(),
            warningSays(`${PRODUCT}: 25% off is over your 10% limit`),
            warningSays(`${PRODUCT}: no reason given — add an internal note`),
            warningSays("flagged for HQ"),
            {
                content: "go back to the order",
                trigger: `${WARNING} .modal-footer button:contains("Back")`,
                run: "click",
            },
            noWarning(),
            PaymentScreen.isShown(),
            PaymentScreen.clickValidate(),
            warningSays("25% off is over your 10% limit"),
            Dialog.confirm("Pay anyway"),
            ReceiptScreen.isShown(),
            noWarning(),
        ].flat(),
});

// A manual price 20% below the pricelist's, with a reason: over the limit only.
registry.category("web_tour.tours").add("store_price_warning_manual_price", {
    steps: () =>
        [
            openPos(),
            addProduct(),
            Numpad.click("Price"),
            Numpad.isActive("Price"),
            Numpad.click("8"),
            ProductScreen.selectedOrderlineHas(PRODUCT, "1", "8.00"),
            ProductScreen.addInternalNote("临期"),
            payCash(),
            warningSays(`${PRODUCT}: 20% off is over your 10% limit`),
            warningDoesNotSay("no reason given"),
            Dialog.confirm("Pay anyway"),
            ReceiptScreen.isShown(),
            noWarning(),
        ].flat(),
});

// 5% off with a reason, within a cashier's 10%: no warning.
registry.category("web_tour.tours").add("store_price_warning_honest", {
    steps: () =>
        [
            openPos(),
            addProduct(),
            ProductScreen.addDiscount("5"),
            ProductScreen.selectedOrderlineHas(PRODUCT, "1", "9.50"),
            ProductScreen.addInternalNote("样品"),
            payCash(),
            ReceiptScreen.isShown(),
            noWarning(),
        ].flat(),
});
