from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.store_membership.tests.common import MemberCommon


@tagged("post_install", "-at_install")
class TestServerFields(MemberCommon):
    """Every order field the server writes (pricing, member settlement, promotion check: the
    union of ``pos.order._store_server_fields()`` over the installed addons) is a claim when a till
    sends it: a cashier's sync carrying a forged value of each is saved with the server's own
    value, and a cashier's write of it is refused."""

    def _forged(self, field):
        """A value of ``field`` that differs from what the server writes on a plain cash sale."""
        if field.type == "selection":
            return [value for value, _label in field._description_selection(self.env)][-1]
        if field.type in ("float", "monetary", "integer"):
            return 99999
        if field.type in ("char", "text"):
            return "forged by the till"
        if field.type == "json":
            return {"1": 99999}
        if field.type == "many2many":
            record = self.env[field.comodel_name].search([], limit=1)
            return [(6, 0, record.ids)] if record else None
        if field.type == "many2one":
            record = self.env[field.comodel_name].search([], limit=1)
            return record.id or None
        if field.type == "one2many" and field.comodel_name == "loyalty.history":
            # a ledger line crediting the member's points card, sent with the order
            return [(0, 0, {"card_id": self._card(self.member).id, "amount": 99999, "kind": "earn"})]
        if field.type == "one2many" and field.comodel_name == "store.price.change":
            return [(0, 0, {"amount": 0, "state": "ok", "reason": "forged by the till"})]
        raise AssertionError(f"no forged value for {field.name} ({field.type}): add one")

    def test_every_server_field_sent_by_a_till_is_ignored_and_refused_on_write(self):
        Order = self.env["pos.order"]
        names = sorted(Order._store_server_fields())
        self.assertIn("store_promo_counted", names, "store_promotions declares its own")
        self.assertIn("store_member_state", names)
        self.assertIn("store_price_state", names)
        forged = {name: self._forged(Order._fields[name]) for name in names}
        forged = {name: value for name, value in forged.items() if value is not None}
        card = self._card(self.member)
        balance = card.points
        honest = self._sync(self._order_data(self.store_a, [(self.product, 1, 10.0)]), user=self.cashier_a)
        data = self._order_data(self.store_a, [(self.product, 1, 10.0)])
        order = self._sync({**data, **forged}, user=self.cashier_a)
        self.assertEqual(order.state, "paid")
        card.invalidate_recordset()
        self.assertEqual(card.points, balance, "no ledger line came with the order")
        for name in forged:
            with self.subTest(field=name):
                self.assertEqual(order[name], honest[name], f"{name}: the till's value was kept")
                with self.assertRaises(UserError):
                    order.with_user(self.cashier_a).write({name: forged[name]})
