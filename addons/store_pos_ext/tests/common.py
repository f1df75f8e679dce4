from odoo import Command
from odoo.tests import TransactionCase, new_test_user


class StoreCommon(TransactionCase):
    """Two regions, three stores (A and B in one region, C in another), each created through
    store.store.create (so each gets its warehouse and POS), and one user per role."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
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
