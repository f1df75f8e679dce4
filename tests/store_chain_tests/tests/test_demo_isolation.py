from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemoChainIsolation(TransactionCase):
    """The demo chain as users log into it: each store's people see their store only."""

    def user(self, login):
        return self.env["res.users"].search([("login", "=", login)])

    def test_demo_chain_shape(self):
        stores = self.env["store.store"].search([("code", "in", ["SHXH", "SHPD", "HZXH", "BJCY"])])
        self.assertEqual(len(stores), 4)
        for store in stores:
            self.assertTrue(store.warehouse_id and store.pos_config_ids and store.manager_id)
            quants = self.env["stock.quant"].search(
                [("location_id", "=", store.warehouse_id.lot_stock_id.id), ("quantity", ">", 0)]
            )
            self.assertGreaterEqual(len(quants), 50)
        self.assertGreaterEqual(
            self.env["product.product"].search_count([("default_code", "=like", "YJ%")]), 50
        )
        self.assertEqual(self.user("xuhui_cashier").lang, "zh_CN")

    def test_store_manager_gets_nothing_of_another_store(self):
        xuhui = self.env.ref("store_pos_ext.store_shxh_demo")
        pudong = self.env.ref("store_pos_ext.store_shpd_demo")
        manager = self.user("xuhui_manager")
        as_mgr = self.env(user=manager)
        self.assertEqual(as_mgr["store.store"].search([]), xuhui)
        self.assertEqual(as_mgr["pos.config"].search([]), xuhui.pos_config_ids)
        self.assertFalse(as_mgr["pos.config"].search([("id", "in", pudong.pos_config_ids.ids)]))
        picking_types = as_mgr["stock.picking"].search([]).picking_type_id
        self.assertFalse(picking_types.warehouse_id - xuhui.warehouse_id)
        self.assertEqual(
            as_mgr["store.store"].search_read([], ["name"]), [{"id": xuhui.id, "name": xuhui.name}]
        )
        with self.assertRaises(AccessError):
            pudong.with_user(manager).read(["name"])
        with self.assertRaises(AccessError):
            pudong.pos_config_ids.with_user(manager).write({"name": "hijack"})

    def test_store_operations_of_another_store_are_hidden(self):
        xuhui = self.env.ref("store_pos_ext.store_shxh_demo")
        env = self.env(user=self.user("xuhui_cashier"))
        checklists = env["store.checklist"].search([])
        self.assertTrue(checklists, "the demo has three months of checklists")
        self.assertEqual(checklists.store_id, xuhui)
        self.assertEqual(env["store.checklist.line"].search([("kind", "=", "photo")]).store_id, xuhui)
        all_photos = self.env["store.checklist.line"].search_count([("kind", "=", "photo")])
        self.assertGreater(all_photos, env["store.checklist.line"].search_count([("kind", "=", "photo")]))

    def test_region_and_hq(self):
        east = self.env(user=self.user("east_manager"))["store.store"].search([])
        self.assertEqual(set(east.mapped("code")), {"SHXH", "SHPD", "HZXH"})
        hq = self.env(user=self.user("hq_analyst"))["store.store"].search([])
        self.assertGreaterEqual(len(hq), 4)
