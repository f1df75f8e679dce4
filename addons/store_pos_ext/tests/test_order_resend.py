import copy
import uuid

from odoo import Command
from odoo.tests import tagged

from .common import StoreCommon


@tagged("post_install", "-at_install")
class TestOrderResend(StoreCommon):
    """A draft whose answer was lost is sent again, paid: it lands once, as one paid order with
    the lines and payments it has, whether or not the till names its lines by uuid."""

    def _draft_then_paid(self, with_uuids):
        data = self._order_data(self.store_a, [(self.product, 2, 10.0), (self.product, 1, 5.0)])
        if with_uuids:
            for command in data["lines"] + data["payment_ids"]:
                command[2]["uuid"] = str(uuid.uuid4())
        draft = self._sync(dict(copy.deepcopy(data), state="draft"), user=self.cashier_a)
        self.assertEqual((draft.state, len(draft.lines)), ("draft", 2))
        for _n in range(2):  # the till did not get the answer: it sends the order again, paid
            order = self._sync(copy.deepcopy(data), user=self.cashier_a)
        self.assertEqual(order, draft, "one order")
        return order

    def test_resent_draft_with_line_uuids_lands_once(self):
        order = self._draft_then_paid(with_uuids=True)
        self.assertEqual(order.state, "paid")
        self.assertEqual(sorted(order.lines.mapped("qty")), [1, 2])
        self.assertEqual(len(order.payment_ids), 1)
        self.assertEqual(order.amount_paid, 25.0)
        self.assertEqual(self.env["pos.order"].search_count([("uuid", "=", order.uuid)]), 1)

    def test_resend_without_uuids_never_duplicates_lines(self):
        order = self._draft_then_paid(with_uuids=False)
        self.assertEqual(order.state, "paid")
        self.assertEqual(sorted(order.lines.mapped("qty")), [1, 2], "the re-sent lines, not twice")
        self.assertEqual(len(order.payment_ids), 1)
        self.assertEqual(sum(order.lines.mapped("price_subtotal_incl")), 25.0)

    def test_resent_line_update_keeps_other_lines(self):
        """A re-send naming a line by its server id and adding one by uuid keeps the first."""
        data = self._order_data(self.store_a, [(self.product, 1, 10.0)])
        data["lines"][0][2]["uuid"] = str(uuid.uuid4())
        draft = self._sync(dict(copy.deepcopy(data), state="draft", payment_ids=[]), user=self.cashier_a)
        extra = self._order_data(self.store_a, [(self.product, 3, 5.0)])["lines"][0]
        extra[2]["uuid"] = str(uuid.uuid4())
        cash = draft.config_id.payment_method_ids.filtered("is_cash_count")[:1]
        resent = dict(
            copy.deepcopy(data),
            lines=[
                Command.update(
                    draft.lines.id, {"qty": 2, "price_subtotal": 20.0, "price_subtotal_incl": 20.0}
                ),
                extra,
            ],
            amount_total=35.0,
            amount_paid=35.0,
            payment_ids=[Command.create({"amount": 35.0, "payment_method_id": cash.id})],
        )
        order = self._sync(resent, user=self.cashier_a)
        self.assertEqual(order.state, "paid")
        self.assertEqual(sorted(order.lines.mapped("qty")), [2, 3])
