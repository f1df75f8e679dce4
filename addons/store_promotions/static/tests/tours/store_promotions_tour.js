import * as Chrome from "@point_of_sale/../tests/pos/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/generic_helpers/dialog_util";
import * as Order from "@point_of_sale/../tests/generic_helpers/order_widget_util";
import * as ProductScreen from "@point_of_sale/../tests/pos/tours/utils/product_screen_util";
import * as PaymentScreen from "@point_of_sale/../tests/pos/tours/utils/payment_screen_util";
import * as ReceiptScreen from "@point_of_sale/../tests/pos/tours/utils/receipt_screen_util";
import * as PosLoyalty from "@pos_loyalty/../tests/tours/utils/pos_loyalty_util";
import { registry } from "@web/core/registry";

function add(product, qty) {
    return [ProductScreen.searchProduct(product), ProductScreen.addOrderline(product, qty)].flat();
}

function open() {
    return [Chrome.startPoS(), Dialog.confirm("Open Register")].flat();
}

// 每满100减30: 60 gets nothing; 210 gets 2 × 30 off.
registry.category("web_tour.tours").add("store_promo_threshold", {
    steps: () =>
        [
            open(),
            add("测试奶茶", "3"),
            ProductScreen.totalAmountIs("60.00"),
            Order.doesNotHaveLine({ productName: "每满100减30" }),
            PosLoyalty.finalizeOrder("Cash", "60"),
            add("测试奶茶", "3"),
            add("测试蛋糕", "5"),
            PosLoyalty.hasRewardLine("每满100减30", "-60.00"),
            ProductScreen.totalAmountIs("150.00"),
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod("Cash"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.receiptIsThere(),
            {
                content: "the receipt names the promotion",
                trigger: ".receipt-screen .pos-receipt .orderline:contains('每满100减30'):contains('60.00')",
            },
            ReceiptScreen.clickNextOrder(),
        ].flat(),
});

// 第二件半价: one line of 2 teas at 20 -> 10 off.
registry.category("web_tour.tours").add("store_promo_nth_unit", {
    steps: () =>
        [
            open(),
            add("测试奶茶", "1"),
            ProductScreen.totalAmountIs("20.00"),
            Order.doesNotHaveLine({ productName: "第二件半价" }),
            ProductScreen.clickNumpad("2"),
            ProductScreen.selectedOrderlineHas("测试奶茶", "2"),
            PosLoyalty.hasRewardLine("第二件半价", "-10.00"),
            ProductScreen.totalAmountIs("30.00"),
            PosLoyalty.finalizeOrder("Cash", "30"),
        ].flat(),
});

// 会员日8折 today for members only; the other weekday's 5折 and the gold tier's 7折 never show.
registry.category("web_tour.tours").add("store_promo_member_day", {
    steps: () =>
        [
            open(),
            add("测试蛋糕", "2"),
            ProductScreen.totalAmountIs("60.00"),
            Order.doesNotHaveLine({ productName: "今日会员日8折" }),
            PosLoyalty.finalizeOrder("Cash", "60"),
            add("测试蛋糕", "2"),
            ProductScreen.clickPartnerButton(),
            ProductScreen.clickCustomer("张三", true),
            PosLoyalty.hasRewardLine("今日会员日8折", "-12.00"),
            ProductScreen.totalAmountIs("48.00"),
            Order.doesNotHaveLine({ productName: "明日会员日5折" }),
            Order.doesNotHaveLine({ productName: "金卡专享7折" }),
            PosLoyalty.finalizeOrder("Cash", "48"),
        ].flat(),
});

// One promotion per exclusive group: buy 2 get 1, then the tiered 满减 of higher priority instead;
// the 10% flash sale outside the group stacks with either.
registry.category("web_tour.tours").add("store_promo_exclusive", {
    steps: () =>
        [
            open(),
            add("测试蛋糕", "3"),
            PosLoyalty.hasRewardLine("买二送一", "-30.00"),
            PosLoyalty.hasRewardLine("限时九折", "-9.00"),
            ProductScreen.totalAmountIs("51.00"),
            add("测试奶茶", "6"),
            PosLoyalty.hasRewardLine("阶梯满减", "-40.00"),
            PosLoyalty.hasRewardLine("限时九折", "-21.00"),
            Order.doesNotHaveLine({ productName: "买二送一" }),
            ProductScreen.totalAmountIs("149.00"),
            PosLoyalty.finalizeOrder("Cash", "149"),
        ].flat(),
});
