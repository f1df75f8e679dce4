import json
import uuid

from odoo import Command
from odoo.tests import tagged
from odoo.tools import float_round

from .common import PromoCommon


def till_combo_prices(parent_price, confs, digits=2):
    """Port of the POS's ``computeComboItems`` (point_of_sale/static/src/app/models/utils/
    compute_combo_items.js) for the free items of a combo: the parent's price split over the
    chosen items in proportion of their combo's ``base_price``, the rest on the last one, plus each
    item's ``extra_price`` and attribute extras. ``confs``: [(combo item, qty, attribute extras)]."""
    original_total = sum(item.combo_id.base_price * qty for item, qty, _extra in confs)
    remaining = parent_price
    prices = []
    for index, (item, qty, extra) in enumerate(confs):
        price = float_round(item.combo_id.base_price * parent_price / original_total, precision_digits=digits)
        remaining -= price * qty
        if index == len(confs) - 1:
            price += remaining
        prices.append(price + extra + item.extra_price)
    return prices


@tagged("post_install", "-at_install")
class TestHonestTill(PromoCommon):
    """Every kind of line the demo POS makes, with the prices and amounts an honest till computes
    (the POS's pricing: pricelist rules by product and quantity, a tier pricelist, attribute
    extras, combos, taxes included in the price, core loyalty rewards, a chain promotion, a
    top-up, a refund, a tip, cash rounding, an authorised manual discount): the server's pricing,
    the member settlement and the promotion check flag none of them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env, currency = cls.env, cls.env.company.currency_id
        cls.config = cls.store_a.pos_config_ids[:1]
        Product = env["product.product"]
        cls.milk = Product.create(
            {"name": "测试牛奶", "list_price": 20.0, "available_in_pos": True, "taxes_id": False}
        )
        cls.vat_incl = env["account.tax"].create(
            {
                "name": "测试含税13%",
                "amount": 13,
                "amount_type": "percent",
                "price_include_override": "tax_included",
            }
        )
        cls.wine = Product.create(
            {
                "name": "测试红酒",
                "list_price": 113.0,
                "available_in_pos": True,
                "taxes_id": [Command.set(cls.vat_incl.ids)],
            }
        )
        cls.candy = Product.create(
            {"name": "测试糖果", "list_price": 9.97, "available_in_pos": True, "taxes_id": False}
        )
        # The retail pricelist: milk 10% off, 15 each from 6 (a quantity tier); the gold tier's
        # member pricelist: 5% off everything.
        cls.retail = env["product.pricelist"].create(
            {
                "name": "测试零售价",
                "currency_id": currency.id,
                "item_ids": [
                    Command.create(
                        {
                            "applied_on": "1_product",
                            "product_tmpl_id": cls.milk.product_tmpl_id.id,
                            "compute_price": "percentage",
                            "percent_price": 10,
                        }
                    ),
                    Command.create(
                        {
                            "applied_on": "1_product",
                            "product_tmpl_id": cls.milk.product_tmpl_id.id,
                            "compute_price": "fixed",
                            "fixed_price": 15.0,
                            "min_quantity": 6,
                        }
                    ),
                ],
            }
        )
        cls.gold = env["product.pricelist"].create(
            {
                "name": "测试金卡价",
                "currency_id": currency.id,
                "item_ids": [
                    Command.create(
                        {"applied_on": "3_global", "compute_price": "percentage", "percent_price": 5}
                    )
                ],
            }
        )
        cls.tier_gold.pricelist_id = cls.gold
        # A drink with a no_variant attribute (toppings with extra prices).
        topping = env["product.attribute"].create(
            {
                "name": "测试加料",
                "create_variant": "no_variant",
                "value_ids": [Command.create({"name": "珍珠"}), Command.create({"name": "椰果"})],
            }
        )
        tmpl = env["product.template"].create(
            {
                "name": "测试加料奶茶",
                "list_price": 15.0,
                "available_in_pos": True,
                "taxes_id": False,
                "attribute_line_ids": [
                    Command.create(
                        {"attribute_id": topping.id, "value_ids": [Command.set(topping.value_ids.ids)]}
                    )
                ],
            }
        )
        cls.bubble_tea = tmpl.product_variant_id
        cls.pearl = tmpl.attribute_line_ids.product_template_value_ids.filtered(lambda v: v.name == "珍珠")
        cls.pearl.price_extra = 3.0
        # A combo: 30 for a main and a drink, the wrap and the juice 2 more.
        burger, wrap, cola, juice = (
            Product.create({"name": name, "list_price": price, "available_in_pos": True, "taxes_id": False})
            for name, price in (
                ("测试汉堡", 20.0),
                ("测试鸡肉卷", 22.0),
                ("测试可乐", 8.0),
                ("测试果汁", 10.0),
            )
        )
        Combo = env["product.combo"]
        cls.mains = Combo.create(
            {
                "name": "测试主食",
                "combo_item_ids": [
                    Command.create({"product_id": burger.id}),
                    Command.create({"product_id": wrap.id, "extra_price": 2.0}),
                ],
            }
        )
        cls.drinks = Combo.create(
            {
                "name": "测试饮料",
                "combo_item_ids": [
                    Command.create({"product_id": cola.id}),
                    Command.create({"product_id": juice.id, "extra_price": 2.0}),
                ],
            }
        )
        cls.lunch = Product.create(
            {
                "name": "测试午餐套餐",
                "type": "combo",
                "list_price": 30.0,
                "available_in_pos": True,
                "taxes_id": False,
                "combo_ids": [Command.set((cls.mains | cls.drinks).ids)],
            }
        )
        # Core loyalty: a 10%-off promotion of core's own (no chain promotion behind it).
        cls.core_promo = env["loyalty.program"].create(
            {
                "name": "测试核心九折",
                "program_type": "promotion",
                "trigger": "auto",
                "applies_on": "current",
                "pos_ok": True,
                "pos_config_ids": [Command.link(cls.config.id)],
                "rule_ids": [Command.create({"minimum_amount": 0})],
                "reward_ids": [
                    Command.create(
                        {
                            "reward_type": "discount",
                            "discount": 10,
                            "discount_mode": "percent",
                            "discount_applicability": "order",
                        }
                    )
                ],
            }
        )
        tip = env.ref("point_of_sale.product_product_tip")
        rounding = env["account.cash.rounding"].create(
            {
                "name": "测试抹零0.1",
                "rounding": 0.1,
                "rounding_method": "HALF-UP",
                "profit_account_id": cls.config.journal_id.default_account_id.id,
                "loss_account_id": cls.config.journal_id.default_account_id.id,
            }
        )
        cls.config.write(
            {
                "use_pricelist": True,
                "pricelist_id": cls.retail.id,
                "available_pricelist_ids": [Command.set((cls.retail | cls.gold).ids)],
                "iface_tipproduct": True,
                "tip_product_id": tip.id,
                "cash_rounding": True,
                "rounding_method": rounding.id,
                "only_round_cash_method": True,
                "manual_discount": True,
            }
        )
        cls.cash = cls._session(cls.store_a).config_id.payment_method_ids.filtered("is_cash_count")[:1]

    # ------------------------------------------------------------ the till
    def _line(self, product, qty, price_unit, discount=0.0, taxes=None, **extra):
        """A line as the POS builds it: the product's taxes (``tax_ids``), amounts from them."""
        taxes = product.taxes_id if taxes is None else taxes
        amounts = taxes.compute_all(
            price_unit * (1 - discount / 100.0), self.env.company.currency_id, qty, product=product
        )
        return {
            "uuid": str(uuid.uuid4()),
            "product_id": product.id,
            "qty": qty,
            "price_unit": price_unit,
            "discount": discount,
            "tax_ids": [Command.set(taxes.ids)],
            "price_subtotal": amounts["total_excluded"],
            "price_subtotal_incl": amounts["total_included"],
            **extra,
        }

    def _sell(self, lines, partner=None, pricelist=None, relations=None, **order_vals):
        """Sync an order as the cashier's till: total from the lines, paid in cash rounded to 0.1."""
        data = self._order_data(self.store_a, lines, partner=partner)
        total = round(sum(line[2]["price_subtotal_incl"] for line in data["lines"]), 2)
        cash = float_round(total, precision_rounding=0.1, rounding_method="HALF-UP")
        data.update(
            amount_total=total,
            amount_tax=round(total - sum(line[2]["price_subtotal"] for line in data["lines"]), 2),
            amount_paid=cash,
            pricelist_id=(pricelist or self.retail).id,
            **order_vals,
        )
        data["payment_ids"][0][2]["amount"] = cash
        if relations:
            data["relations_uuid_mapping"] = {"pos.order.line": relations}
        self._authorize(data, self.cashier_a)
        return self._sync(data, user=self.cashier_a)

    # ------------------------------------------------------------ the test
    def test_every_kind_of_line_of_an_honest_till_is_priced_right(self):
        orders = {}
        # Pricelist: milk 18 (10% rule), 6 at 15 (the quantity tier); tax-included wine; a
        # bubble tea with pearls (15 + 3); candy 9.97 paid 10.0 in cash (cash rounding).
        orders["pricelist"] = self._sell(
            [
                self._line(self.milk, 1, 18.0),
                self._line(self.milk, 6, 15.0),
                self._line(self.wine, 1, 113.0),
                self._line(
                    self.bubble_tea,
                    2,
                    18.0,
                    price_extra=3.0,
                    attribute_value_ids=[Command.set(self.pearl.ids)],
                ),
                self._line(self.candy, 1, 9.97),
            ],
            partner=self.member,
        )
        # A combo: the parent at 0, the wrap and the juice sharing its 30 plus their extras.
        mains_item = self.mains.combo_item_ids.filtered(lambda i: i.extra_price)
        drinks_item = self.drinks.combo_item_ids.filtered(lambda i: i.extra_price)
        wrap_price, juice_price = till_combo_prices(30.0, [(mains_item, 1, 0.0), (drinks_item, 1, 0.0)])
        parent = self._line(self.lunch, 1, 0.0)
        children = [
            self._line(mains_item.product_id, 1, wrap_price, combo_item_id=mains_item.id),
            self._line(drinks_item.product_id, 1, juice_price, combo_item_id=drinks_item.id),
        ]
        orders["combo"] = self._sell(
            [parent, *children],
            partner=self.member,
            relations={child["uuid"]: {"combo_parent_id": parent["uuid"]} for child in children},
        )
        self.assertEqual(
            orders["combo"].lines.filtered("combo_line_ids").combo_line_ids.mapped("price_unit"),
            [23.43, 10.57],
        )
        # Core loyalty reward (10% off the order) and a chain promotion (满100减30).
        core_reward = self.core_promo.reward_ids
        orders["core loyalty"] = self._sell(
            [
                self._line(self.milk, 6, 15.0),
                self._line(
                    core_reward.discount_line_product_id,
                    1,
                    -9.0,
                    reward_id=core_reward.id,
                    is_reward_line=True,
                    reward_identifier_code="core10",
                ),
            ]
        )
        promo = self._promo("threshold", min_amount=100, off_amount=30)
        orders["promotion"] = self._sell(
            [self._line(self.wine, 1, 113.0), self._line(self.cake, 1, 30.0), self._promo_line(promo, 30)],
            partner=self.member,
        )
        # A top-up, a tip, an authorised manual discount (within the cashier's 10%, with a reason).
        orders["top-up"] = self._sell([self._line(self.topup_product, 1, 100.0)], partner=self.member)
        tip = self.config.tip_product_id
        orders["tip"] = self._sell(
            [self._line(self.milk, 1, 18.0), self._line(tip, 1, 5.0)], is_tipped=True, tip_amount=5.0
        )
        orders["manual discount"] = self._sell(
            [
                self._line(
                    self.milk, 1, 18.0, discount=10, note=json.dumps([{"text": "临期", "colorIndex": 0}])
                )
            ],
            partner=self.member,
        )
        # The gold tier's member on the gold pricelist: milk 19 (5% off 20).
        gold_member = self.env["res.partner"].browse(
            self.env["res.partner"].store_member_register({"mobile": "13900139077", "name": "金卡测试"})["id"]
        )
        gold_member._store_set_tier(self.tier_gold)
        orders["tier pricelist"] = self._sell(
            [self._line(self.milk, 1, 19.0)], partner=gold_member, pricelist=self.gold
        )
        # A refund of the first order's milk at the price it was sold at.
        sold = orders["pricelist"].lines.filtered(lambda line: line.product_id == self.milk and line.qty == 1)
        orders["refund"] = self._sell(
            [
                self._line(
                    self.milk,
                    -1,
                    sold.price_unit,
                    discount=sold.discount,
                    taxes=sold.tax_ids,
                    refunded_orderline_id=sold.id,
                )
            ],
            partner=self.member,
        )

        false_flags = {
            kind: "\n".join(
                filter(None, [order.store_price_issue, order.store_member_issue, order.store_promo_issue])
            )
            for kind, order in orders.items()
            if "flagged" in (order.store_price_state, order.store_member_state, order.store_promo_state)
            or order.state not in ("paid", "done")
        }
        self.assertEqual(false_flags, {}, "an honest till is never flagged")
        for kind, order in orders.items():
            self.assertEqual(order.store_price_state, "ok", kind)
        self.assertEqual(orders["promotion"].store_promo_state, "ok")
        self.assertEqual(orders["top-up"].store_member_state, "done")
        self.assertEqual(self._card(self.member, "stored_value").points, 120.0, "the top-up and its bonus")
        self.assertEqual(orders["manual discount"].store_price_change_ids.reason, "临期")
        self.assertEqual(orders["pricelist"].amount_paid, orders["pricelist"].amount_total + 0.03)
        recorded = self.env["store.price.change"].search(
            [("order_id", "in", [o.id for o in orders.values()])]
        )
        self.assertEqual(recorded.order_id, orders["manual discount"], "no other line is a manual change")

    def test_a_till_that_charges_less_than_its_pricing_is_flagged(self):
        """The same kinds of lines, each charged below what the POS's pricing gives, without a
        reason: every one is flagged with its difference (the checks above are not blind)."""
        mains_item = self.mains.combo_item_ids.filtered(lambda i: i.extra_price)
        drinks_item = self.drinks.combo_item_ids.filtered(lambda i: i.extra_price)
        parent = self._line(self.lunch, 1, 0.0)
        children = [  # the items' extras left out: 30 instead of 34
            self._line(mains_item.product_id, 1, 21.43, combo_item_id=mains_item.id),
            self._line(drinks_item.product_id, 1, 8.57, combo_item_id=drinks_item.id),
        ]
        cases = {
            "quantity tier on one unit": ([self._line(self.milk, 1, 15.0)], {}, 3.0),
            "attribute extra not charged": (
                [self._line(self.bubble_tea, 1, 15.0, attribute_value_ids=[Command.set(self.pearl.ids)])],
                {},
                3.0,
            ),
            # 19 is the gold price; this member is not gold: the retail price (18) judges it.
            "tier pricelist without the tier": (
                [self._line(self.milk, 1, 19.0 - 1.9)],
                {"pricelist": self.gold},
                0.9,
            ),
            "combo extras": (
                [parent, *children],
                {"relations": {child["uuid"]: {"combo_parent_id": parent["uuid"]} for child in children}},
                4.0,
            ),
        }
        for kind, (lines, kwargs, difference) in cases.items():
            with self.subTest(kind):
                order = self._sell(lines, partner=self.member, **kwargs)
                self.assertEqual(order.store_price_state, "flagged", kind)
                self.assertAlmostEqual(order.store_price_difference, difference)
                self.assertEqual(order.store_member_state, "flagged")
        sold = self._sell([self._line(self.milk, 1, 18.0)], partner=self.member).lines
        refund = self._sell(
            [self._line(self.milk, -1, 20.0, refunded_orderline_id=sold.id)], partner=self.member
        )
        self.assertEqual(refund.store_price_state, "flagged", "a refund pays back what was paid, no more")
        self.assertAlmostEqual(refund.store_price_difference, 2.0)
