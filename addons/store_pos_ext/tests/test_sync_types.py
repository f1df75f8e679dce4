from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import StoreCommon


@tagged("post_install", "-at_install")
class TestSyncTypes(StoreCommon):
    """An order synced with a value of the wrong type is refused with a message naming the field,
    and nothing of the request is written."""

    def _refused(self, data, message):
        before = self.env["pos.order"].search_count([])
        with self.assertRaises(UserError) as caught:
            self.env["pos.order"].with_user(self.cashier_a).sync_from_ui([data])
        self.assertIn(message, str(caught.exception))
        self.assertEqual(self.env["pos.order"].search_count([]), before)

    def test_bad_types_name_the_field(self):
        cases = [
            ("lines", 0, "qty", "two", 'line 1: qty: "two" is not a number'),
            ("lines", 0, "price_unit", [1], "line 1: price_unit: [1] is not a number"),
            ("lines", 0, "product_id", "可乐", 'line 1: product_id: "可乐" is not a record id'),
            ("payment_ids", 0, "amount", {"x": 1}, 'payment 1: amount: {"x": 1} is not a number'),
            (None, None, "partner_id", "abc", 'order: partner_id: "abc" is not a record id'),
            (None, None, "date_order", "yesterday", 'order: date_order: "yesterday" is not a date'),
            (None, None, "amount_total", True, "order: amount_total: true is not a number"),
        ]
        for field, index, name, value, message in cases:
            with self.subTest(name=name, value=value):
                data = self._order_data(self.store_a, [(self.product, 1, 10.0)])
                target = data if field is None else data[field][index][2]
                target[name] = value
                self._refused(data, message)

    def test_numbers_as_strings_are_still_numbers(self):
        data = self._order_data(self.store_a, [(self.product, 1, 10.0)])
        data["lines"][0][2]["qty"] = "1"
        order = self._sync(data, user=self.cashier_a)
        self.assertEqual(order.lines.qty, 1.0)
