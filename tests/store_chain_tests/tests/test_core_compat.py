import uuid

from odoo import Command, fields
from odoo.tests import new_test_user, tagged

from odoo.addons.store_pos_ext.tests.common import StoreCommon


@tagged("post_install", "-at_install")
class TestPlainPosUser(StoreCommon):
    """A cashier with only core's POS User group (no Store Chain role) keeps core's till: with every
    addon of the chain installed they open a session, load the POS, sell and close, in a store's
    POS (which has handover notes) and in a POS without a store."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pos_user = new_test_user(
            cls.env, login="t_plain_pos_user", groups="base.group_user,point_of_sale.group_pos_user"
        )
        cls.store_config = cls.store_a.pos_config_ids[:1]
        cls.plain_config = cls.env["pos.config"].create({"name": "测试无门店POS"})
        journal = cls.env["account.journal"].create({"name": "测试现金", "type": "cash", "code": "TCSH"})
        cls.plain_config.payment_method_ids = cls.env["pos.payment.method"].create(
            {"name": "测试现金", "journal_id": journal.id}
        )

    def _order(self, session):
        cash = session.config_id.payment_method_ids.filtered("is_cash_count")[:1]
        uid = str(uuid.uuid4())
        return {
            "amount_paid": 10.0,
            "amount_return": 0,
            "amount_tax": 0,
            "amount_total": 10.0,
            "date_order": fields.Datetime.to_string(fields.Datetime.now()),
            "pricelist_id": session.config_id.pricelist_id.id,
            "name": f"Order {uid}",
            "last_order_preparation_change": "{}",
            "lines": [
                Command.create(
                    {
                        "product_id": self.product.id,
                        "qty": 1,
                        "price_unit": 10.0,
                        "price_subtotal": 10.0,
                        "price_subtotal_incl": 10.0,
                        "tax_ids": [],
                        "pack_lot_ids": [],
                    }
                )
            ],
            "partner_id": False,
            "session_id": session.id,
            "payment_ids": [
                Command.create({"amount": 10.0, "name": fields.Datetime.now(), "payment_method_id": cash.id})
            ],
            "uuid": uid,
            "user_id": self.pos_user.id,
            "to_invoice": False,
            "state": "paid",
        }

    def _run_till(self, config):
        config = config.with_user(self.pos_user)
        config.open_ui()
        session = config.current_session_id
        data = session.load_data([])
        self.assertEqual(data["pos.session"][0]["id"], session.id)
        result = self.env["pos.order"].with_user(self.pos_user).sync_from_ui([self._order(session)])
        order = self.env["pos.order"].browse(result["pos.order"][0]["id"])
        self.assertEqual(order.state, "paid")
        # The POS reads every field of its orders (the ticket screen, refunds), in a new request.
        self.env.invalidate_all()
        read = self.env["pos.order"].with_user(self.pos_user)._load_pos_data_read(order, config)
        self.assertEqual(read[0]["id"], order.id)
        self.assertEqual(order.amount_paid, 10.0)
        session.post_closing_cash_details(session.cash_register_balance_end)
        closed = session.close_session_from_ui()
        self.assertTrue(closed["successful"], closed)
        self.assertEqual(session.state, "closed")
        return data

    def test_the_till_of_a_store_shows_the_previous_handover(self):
        # The previous shift of this POS handed over a note (as the superuser would record it).
        self.store_config.open_ui()
        previous = self.store_config.current_session_id
        self.env["store.shift.handover"].create(
            {"session_id": previous.id, "cash_counted": 0, "open_issues": "冷柜漏水"}
        )
        previous.post_closing_cash_details(previous.cash_register_balance_end)
        self.assertTrue(previous.close_session_from_ui()["successful"])
        data = self._run_till(self.store_config)
        self.assertIn("冷柜漏水", data["pos.session"][0]["previous_handover_summary"])

    def test_the_till_of_a_pos_without_store(self):
        data = self._run_till(self.plain_config)
        self.assertFalse(data["pos.session"][0]["previous_handover_summary"])
