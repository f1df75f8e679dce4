import copy
from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import StoreCommon


@tagged("post_install", "-at_install")
class TestPaidOrderFixed(StoreCommon):
    """A paid order's date, cashier, session and point of sale are what the till synced: a
    cashier's (or HQ's) write is refused, and a paid order sent again with another date and
    cashier keeps the server's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Employee = cls.env["hr.employee"]
        cls.emp_1 = Employee.create({"name": "测试收银员一", "store_id": cls.store_a.id})
        cls.emp_2 = Employee.create({"name": "测试收银员二", "store_id": cls.store_a.id})
        cls.data = cls._order_data(cls.store_a, [(cls.product, 1, 10.0)])
        cls.data["employee_id"] = cls.emp_1.id
        cls.sale = cls._sync(copy.deepcopy(cls.data), user=cls.cashier_a)
        cls.other_config = cls.env["pos.config"].create({"name": "测试A店二号机", "store_id": cls.store_a.id})
        cls.other_config.open_ui()

    def _fixed(self, order):
        return (order.date_order, order.employee_id, order.session_id, order.config_id, order.store_id)

    def test_a_paid_order_date_cashier_and_till_cannot_be_written(self):
        sale, before = self.sale, self._fixed(self.sale)
        self.assertEqual(sale.state, "paid")
        later = fields.Datetime.to_string(sale.date_order - timedelta(days=3))
        attempts = [
            {"date_order": later},
            {"employee_id": self.emp_2.id},
            {"employee_id": False},
            {"session_id": self.other_config.current_session_id.id},
            {"config_id": self.other_config.id},
            {"store_id": self.store_b.id},
        ]
        for user in (self.cashier_a, self.hq_admin):
            for vals in attempts:
                with self.subTest(user=user.login, vals=vals), self.assertRaises(UserError):
                    sale.with_user(user).write(vals)
        self.assertEqual(self._fixed(sale), before)
        self.assertEqual(self.store_a.pos_config_ids[:1].store_id, self.store_a)
        # Writing back what the order says is no change; a draft's date still moves.
        sale.with_user(self.cashier_a).write(
            {"date_order": fields.Datetime.to_string(sale.date_order), "employee_id": self.emp_1.id}
        )
        draft = self._sync({**self._order_data(self.store_a, [(self.product, 1, 10.0)]), "state": "draft"})
        draft.with_user(self.cashier_a).write({"date_order": later})
        self.assertEqual(fields.Datetime.to_string(draft.date_order), later)

    def test_a_paid_order_sent_again_keeps_its_date_and_cashier(self):
        before = self._fixed(self.sale)
        again = copy.deepcopy(self.data)
        again["date_order"] = fields.Datetime.to_string(self.sale.date_order - timedelta(days=3))
        again["employee_id"] = self.emp_2.id
        self._sync(copy.deepcopy(again), user=self.cashier_a)
        self.assertEqual(self._fixed(self.sale), before, "core's sync ignores a paid order sent again")
        # Should a flow process it anyway (core's _process_order of an existing order, here its
        # header), the server keeps its own date, cashier and session.
        header = {k: v for k, v in again.items() if k not in ("lines", "payment_ids")}
        Order = self.env["pos.order"].with_user(self.cashier_a)
        Order._process_order(header, self.sale.with_user(self.cashier_a))
        self.assertEqual(self._fixed(self.sale), before)
        self.assertEqual(self.sale.state, "paid")
