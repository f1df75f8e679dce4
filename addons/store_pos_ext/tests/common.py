import uuid

from odoo import Command, fields
from odoo.tests import TransactionCase, new_test_user


class StoreCommon(TransactionCase):
    """Two regions, three stores (A and B in one region, C in another), each created through
    store.store.create (so each gets its warehouse and POS), and one user per role."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        # What the server writes for HQ and the stores (flags, ledger reasons, chatter) is in the
        # company's language: English here, as the tests read it, whatever the database's; the
        # tests of the language itself set Chinese (test_written_language).
        cls.env.company.partner_id.lang = "en_US"
        Region, Store = cls.env["store.region"], cls.env["store.store"]
        cls.region_east = Region.create({"name": "测试华东", "code": "T-EAST"})
        cls.region_north = Region.create({"name": "测试华北", "code": "T-NORTH"})
        cls.store_a = Store.create({"name": "测试A店", "code": "TSTA", "region_id": cls.region_east.id})
        cls.store_b = Store.create({"name": "测试B店", "code": "TSTB", "region_id": cls.region_east.id})
        cls.store_c = Store.create({"name": "测试C店", "code": "TSTC", "region_id": cls.region_north.id})
        (cls.store_a | cls.store_b | cls.store_c).tz = "Asia/Shanghai"

        def user(login, group, stores=(), **kw):
            u = new_test_user(cls.env, login=login, groups=f"store_pos_ext.{group}", **kw)
            if stores:
                u.store_ids = [Command.set([s.id for s in stores])]
            return u

        cls.manager_a = user("t_manager_a", "group_store_manager", [cls.store_a])
        cls.cashier_a = user("t_cashier_a", "group_store_user", [cls.store_a])
        cls.manager_b = user("t_manager_b", "group_store_manager", [cls.store_b])
        cls.region_mgr = user("t_region_east", "group_region_manager")
        cls.region_east.manager_user_ids = [Command.link(cls.region_mgr.id)]
        cls.analyst = user("t_analyst", "group_hq_analyst")
        cls.hq_admin = user("t_hq_admin", "group_hq_admin")
        cls.product = cls.env["product.product"].create(
            {"name": "测试商品", "list_price": 10.0, "available_in_pos": True, "taxes_id": False}
        )

    @classmethod
    def _sell(cls, store, amount=10.0):
        """A paid POS order in the store's first POS (as superuser), the way a till records it."""
        config = store.pos_config_ids[:1]
        if not config.current_session_id:
            config.open_ui()
        session = config.current_session_id
        return cls.env["pos.order"].create(
            {
                "session_id": session.id,
                "lines": [
                    Command.create(
                        {
                            "product_id": cls.product.id,
                            "qty": 1,
                            "price_unit": amount,
                            "price_subtotal": amount,
                            "price_subtotal_incl": amount,
                        }
                    )
                ],
                "amount_total": amount,
                "amount_tax": 0.0,
                "amount_paid": 0.0,
                "amount_return": 0.0,
            }
        )

    @classmethod
    def _session(cls, store):
        config = store.pos_config_ids[:1]
        if not config.current_session_id:
            config.open_ui()
        return config.current_session_id

    @classmethod
    def _order_data(cls, store, lines, partner=None, payments=None, uid=None):
        """A sync_from_ui payload as the POS sends it (with its ``uuid`` and ``access_token``, which
        core's update of a draft reads). ``lines``: (product, qty, price) or dicts of extra line
        values; ``payments``: (method, amount), default cash for the total; ``uid``: the order's
        uuid (default a new one)."""
        session = cls._session(store)
        order_lines = []
        for line in lines:
            if isinstance(line, dict):
                vals = line
            else:
                product, qty, price = line
                vals = {"product_id": product.id, "qty": qty, "price_unit": price}
            total = vals["qty"] * vals["price_unit"]
            order_lines.append(
                Command.create(
                    {
                        "price_subtotal": total,
                        "price_subtotal_incl": total,
                        "tax_ids": [],
                        "pack_lot_ids": [],
                        **vals,
                    }
                )
            )
        total = sum(line[2]["price_subtotal_incl"] for line in order_lines)
        cash = session.config_id.payment_method_ids.filtered("is_cash_count")[:1]
        payments = payments if payments is not None else [(cash, total)]
        return {
            "amount_paid": sum(a for _m, a in payments),
            "amount_return": 0,
            "amount_tax": 0,
            "amount_total": total,
            "date_order": fields.Datetime.to_string(fields.Datetime.now()),
            "pricelist_id": session.config_id.pricelist_id.id,
            "name": f"Order {uid or uuid.uuid4()}",
            "last_order_preparation_change": "{}",
            "lines": order_lines,
            "partner_id": partner.id if partner else False,
            "session_id": session.id,
            "payment_ids": [
                Command.create({"amount": a, "name": fields.Datetime.now(), "payment_method_id": m.id})
                for m, a in payments
            ],
            "uuid": uid or str(uuid.uuid4()),
            "access_token": str(uuid.uuid4()),
            "user_id": cls.env.uid,
            "to_invoice": False,
            "state": "paid",
        }

    @classmethod
    def _sync(cls, data, user=None):
        """Sync ``data`` as ``user`` (default the test's user); the saved order of its uuid."""
        uid = data["uuid"]  # core drops it from the data of an order it updates
        env = cls.env(user=user) if user else cls.env
        env["pos.order"].sync_from_ui([data])
        return cls.env["pos.order"].search([("uuid", "=", uid)])
