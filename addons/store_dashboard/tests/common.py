from collections import defaultdict
from datetime import timedelta

import pytz

from odoo import fields

from odoo.addons.store_membership.tests.common import MemberCommon


def _round(figures):
    return {key: round(float(value), 2) for key, value in figures.items()}


class DashboardCommon(MemberCommon):
    """MemberCommon plus two cashiers (employees) of store A, and the facts as the server keeps
    them against the facts computed here in Python from the orders and members read through the
    ORM (another computation than the server's SQL)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Employee = cls.env["hr.employee"]
        cls.emp_1 = Employee.create({"name": "测试收银员一", "store_id": cls.store_a.id})
        cls.emp_2 = Employee.create({"name": "测试收银员二", "store_id": cls.store_a.id})
        cls.stores = cls.store_a | cls.store_b | cls.store_c

    @classmethod
    def _sale(cls, store, lines, partner=None, when=None, employee=None, **extra):
        """Sync a paid order (``_order_data`` lines) rung up at ``when`` (default now) by
        ``employee``; the saved order."""
        data = cls._order_data(store, lines, partner=partner)
        data["date_order"] = fields.Datetime.to_string(when or fields.Datetime.now())
        if employee:
            data["employee_id"] = employee.id
        data.update(extra)
        return cls._sync(data)

    @classmethod
    def _register(cls, store, mobile, employee=None, name="测试会员"):
        config = store.pos_config_ids[:1]
        result = cls.env["res.partner"].store_member_register(
            {"mobile": mobile, "name": name},
            config_id=config.id,
            employee_id=employee.id if employee else False,
        )
        return cls.env["res.partner"].browse(result["id"])

    # ---------------------------------------------------------------- expected
    def _expected(self):
        """{fact table: {key: figures}} computed in Python from the test stores' paid orders."""
        sales = defaultdict(lambda: defaultdict(float))
        members = defaultdict(lambda: defaultdict(float))
        employees = defaultdict(lambda: defaultdict(float))
        orders = self.env["pos.order"].search(
            [("store_id", "in", self.stores.ids), ("state", "in", ["paid", "done"])]
        )
        for order in orders:
            tz = pytz.timezone(order.store_id.tz or "Asia/Shanghai")
            local = pytz.utc.localize(order.date_order).astimezone(tz)
            # Split by line: return lines are the refunded part, the rest the sold part; an
            # order that sells nothing (only return lines, or a negative sold part) is a refund.
            returns = order.lines.filtered(lambda line: line.qty < 0 or line.refunded_orderline_id)
            sold_lines = order.lines - returns
            returned = sum(returns.mapped("price_subtotal_incl"))
            refund = bool(order.lines and not sold_lines) or order.amount_total - returned < 0
            # A member at the sale: settled as a member's, or registered before the order's date.
            partner = order.partner_id
            member = bool(partner.member_consent_date) and (
                order.store_member_state != "none" or partner.member_consent_date <= order.date_order
            )
            row = sales[(order.store_id.id, local.date(), local.hour)]
            if refund:
                row["refund_count"] += 1
                row["refund_amount"] -= order.amount_total
            else:
                row["refund_count"] += 1 if returns else 0
                row["refund_amount"] -= returned
                row["order_count"] += 1
                row["revenue"] += order.amount_total - returned
                row["untaxed_revenue"] += (
                    order.amount_total - order.amount_tax - sum(returns.mapped("price_subtotal"))
                )
                row["member_order_count" if member else "non_member_order_count"] += 1
                for line in sold_lines:
                    goods = (
                        not line.reward_id
                        and not line.is_reward_line
                        and not line.combo_parent_id
                        and line.price_unit >= 0
                    )
                    row["item_qty"] += line.qty if goods else 0
                    row["discount_amount"] += self._line_discount(line)
                counted = order.sudo().store_promo_counted
                if isinstance(counted, dict) and counted:
                    row["promo_order_count"] += 1
                    row["promo_discount"] += sum(counted.values())
            if member:
                month = members[(order.partner_id.id, order.store_id.id, local.date().replace(day=1))]
                month["order_count"] += 0 if refund else 1
                month["spend"] += order.amount_total
            if order.employee_id:
                day = employees[(order.store_id.id, order.employee_id.id, local.date())]
                day["order_count"] += 0 if refund else 1
                day["non_member_order_count"] += 0 if refund or member else 1
        # A registration is an event: counted whatever became of the member since.
        new_members = (
            self.env["res.partner"]
            .with_context(active_test=False)
            .search([("member_consent_date", "!=", False), ("register_store_id", "in", self.stores.ids)])
        )
        for partner in new_members:
            tz = pytz.timezone(partner.register_store_id.tz or "Asia/Shanghai")
            local = pytz.utc.localize(partner.member_consent_date).astimezone(tz)
            sales[(partner.register_store_id.id, local.date(), local.hour)]["new_member_count"] += 1
            if partner.register_employee_id:
                key = (partner.register_store_id.id, partner.register_employee_id.id, local.date())
                employees[key]["new_member_count"] += 1
        return {
            "sales": {key: _round(value) for key, value in sales.items()},
            "members": {key: _round(value) for key, value in members.items()},
            "employees": {key: _round(value) for key, value in employees.items()},
        }

    @staticmethod
    def _line_discount(line):
        discount = 0.0
        if 0 < line.discount < 100:
            discount += line.price_subtotal_incl * line.discount / (100 - line.discount)
        elif line.discount >= 100:
            discount += line.price_unit * line.qty
        payment = line.reward_id.program_id.program_type in ("ewallet", "gift_card")
        if line.price_subtotal_incl < 0 and not payment:
            discount -= line.price_subtotal_incl
        return discount

    def _actual(self):
        """The same dicts read from the facts (non-zero figures only)."""
        self.env.invalidate_all()

        def figures(record, names):
            return {name: round(float(record[name]), 2) for name in names if record[name]}

        sales_names = [
            "order_count",
            "refund_count",
            "revenue",
            "refund_amount",
            "untaxed_revenue",
            "discount_amount",
            "item_qty",
            "member_order_count",
            "non_member_order_count",
            "new_member_count",
            "promo_order_count",
            "promo_discount",
        ]
        domain = [("store_id", "in", self.stores.ids)]
        sales = {
            (f.store_id.id, f.date, f.hour): figures(f, sales_names)
            for f in self.env["store.sales.fact"].search(domain)
        }
        members = {
            (f.partner_id.id, f.store_id.id, f.month): figures(f, ["order_count", "spend"])
            for f in self.env["store.member.month.fact"].search(domain)
        }
        employees = {
            (f.store_id.id, f.employee_id.id, f.date): figures(
                f, ["order_count", "non_member_order_count", "new_member_count"]
            )
            for f in self.env["store.employee.day.fact"].search(domain)
        }
        return {"sales": sales, "members": members, "employees": employees}

    def assertFactsMatchOrders(self):
        expected, actual = self._expected(), self._actual()
        for table in ("sales", "members", "employees"):
            want = {key: {k: v for k, v in value.items() if v} for key, value in expected[table].items()}
            want = {key: value for key, value in want.items() if value}
            self.assertEqual(actual[table], want, f"{table} facts differ from the orders")

    @staticmethod
    def _hours_ago(hours):
        return fields.Datetime.now().replace(microsecond=0) - timedelta(hours=hours)
