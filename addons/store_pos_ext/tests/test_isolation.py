from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import StoreCommon


@tagged("post_install", "-at_install")
class TestStoreIsolation(StoreCommon):
    """A store-level user sees and changes only the records of their stores; HQ sees all."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order_a = cls._sell(cls.store_a)
        cls.order_b = cls._sell(cls.store_b)
        cls.order_c = cls._sell(cls.store_c)
        wh_b = cls.store_b.warehouse_id
        cls.picking_b = cls.env["stock.picking"].create(
            {
                "picking_type_id": wh_b.int_type_id.id,
                "location_id": wh_b.lot_stock_id.id,
                "location_dest_id": wh_b.lot_stock_id.id,
            }
        )
        wh_a = cls.store_a.warehouse_id
        cls.picking_a = cls.env["stock.picking"].create(
            {
                "picking_type_id": wh_a.int_type_id.id,
                "location_id": wh_a.lot_stock_id.id,
                "location_dest_id": wh_a.lot_stock_id.id,
            }
        )
        cls.scoped = {
            "store.store": (cls.store_a, cls.store_b),
            "pos.config": (cls.store_a.pos_config_ids, cls.store_b.pos_config_ids),
            "pos.session": (cls.order_a.session_id, cls.order_b.session_id),
            "pos.order": (cls.order_a, cls.order_b),
            "pos.order.line": (cls.order_a.lines, cls.order_b.lines),
            "stock.picking": (cls.picking_a, cls.picking_b),
        }

    def test_store_manager_sees_only_own_store(self):
        for model, (own, other) in self.scoped.items():
            with self.subTest(model=model):
                Model = self.env[model].with_user(self.manager_a)
                found = Model.search([("id", "in", (own | other).ids)])
                self.assertEqual(found, own)
                self.assertEqual(Model.search_count([("id", "in", other.ids)]), 0)
                with self.assertRaises(AccessError):
                    other.with_user(self.manager_a).read(["display_name"])

    def test_store_manager_read_group_and_export(self):
        with self.assertRaisesRegex(UserError, "export"):
            self.env["pos.order"].with_user(self.cashier_a).search([]).export_data(["name"])
        # Even with core's export permission, a store manager exports their store only.
        self.manager_a.group_ids += self.env.ref("base.group_allow_export")
        Order = self.env["pos.order"].with_user(self.manager_a)
        groups = Order._read_group([], ["store_id"], ["amount_total:sum"])
        self.assertEqual([store for store, _total in groups], [self.store_a])
        exported = Order.search([]).export_data(["name", "store_id/name"])["datas"]
        self.assertEqual({row[1] for row in exported}, {self.store_a.name})
        Report = self.env["report.pos.order"].with_user(self.manager_a)
        stores = {config.store_id for (config,) in Report._read_group([], ["config_id"])}
        self.assertEqual(stores, {self.store_a})

    def test_store_manager_cannot_write_other_store(self):
        self.store_a.with_user(self.manager_a).phone = "021-1"
        self.assertEqual(self.store_a.phone, "021-1")
        with self.assertRaises(AccessError):
            self.store_b.with_user(self.manager_a).phone = "021-2"
        with self.assertRaises(AccessError):
            self.order_b.with_user(self.manager_a).to_invoice = True
        with self.assertRaises(AccessError):
            self.picking_b.with_user(self.manager_a).origin = "x"

    def test_cashier_reads_but_cannot_edit_the_store(self):
        store = self.store_a.with_user(self.cashier_a)
        self.assertEqual(store.name, self.store_a.name)
        with self.assertRaises(AccessError):
            store.phone = "1"
        with self.assertRaises(AccessError):
            self.env["store.store"].with_user(self.cashier_a).create({"name": "x", "code": "X"})
        self.assertEqual(self.env["pos.order"].with_user(self.cashier_a).search([]), self.order_a)

    def test_region_manager_sees_the_region(self):
        orders = self.env["pos.order"].with_user(self.region_mgr).search([])
        self.assertEqual(orders, self.order_a | self.order_b)

    def test_hq_sees_everything(self):
        for user in (self.analyst, self.hq_admin):
            orders = (
                self.env["pos.order"]
                .with_user(user)
                .search([("id", "in", (self.order_a | self.order_b | self.order_c).ids)])
            )
            self.assertEqual(len(orders), 3)
        with self.assertRaises(AccessError):
            self.store_a.with_user(self.analyst).phone = "1"

    def test_losing_a_store_hides_it_at_once(self):
        Order = self.env["pos.order"].with_user(self.manager_a)
        self.assertEqual(Order.search([]), self.order_a)
        self.manager_a.store_ids = self.store_b
        self.assertEqual(Order.search([]), self.order_b)
        self.assertEqual(self.manager_a.store_id, self.store_b, "current store follows the allowed ones")


@tagged("post_install", "-at_install")
class TestStoreIsolationReview(StoreCommon):
    """Holes found in review: stock, POS invoices, analyst writes, store re-scoping, RPC methods."""

    def test_stock_of_another_store_is_hidden(self):
        product = self.env["product.product"].create({"name": "库存测试", "is_storable": True})
        Quant = self.env["stock.quant"]
        for store in (self.store_a, self.store_b):
            Quant._update_available_quantity(product, store.warehouse_id.lot_stock_id, 10)
        quants = Quant.with_user(self.manager_a).search([("product_id", "=", product.id)])
        self.assertEqual(quants.warehouse_id, self.store_a.warehouse_id)
        wh_b = self.store_b.warehouse_id
        move_b = self.env["stock.move"].create(
            {
                "product_id": product.id,
                "product_uom_qty": 1,
                "location_id": wh_b.lot_stock_id.id,
                "location_dest_id": self.env.ref("stock.stock_location_customers").id,
            }
        )
        self.assertFalse(self.env["stock.move"].with_user(self.cashier_a).search([("id", "=", move_b.id)]))
        self.assertFalse(self.env["stock.move"].with_user(self.manager_a).search([("id", "=", move_b.id)]))

    def test_transfer_out_of_another_store_is_refused(self):
        wh_a, wh_b = self.store_a.warehouse_id, self.store_b.warehouse_id
        Picking = self.env["stock.picking"].with_user(self.manager_a)
        with self.assertRaises(AccessError):
            Picking.create(
                {
                    "picking_type_id": wh_b.int_type_id.id,
                    "location_id": wh_b.lot_stock_id.id,
                    "location_dest_id": wh_a.lot_stock_id.id,
                }
            )
        incoming = self.env["stock.picking"].create(
            {
                "picking_type_id": wh_b.int_type_id.id,
                "location_id": wh_b.lot_stock_id.id,
                "location_dest_id": wh_a.lot_stock_id.id,
            }
        )
        self.assertEqual(Picking.search([("id", "=", incoming.id)]), incoming, "A sees what comes to it")
        with self.assertRaises(AccessError):
            incoming.with_user(self.manager_a).origin = "x"

    def test_pos_invoice_of_another_store_is_hidden(self):
        order_b = self._sell(self.store_b)
        move = self.env["account.move"].create({"move_type": "entry"})
        order_b.account_move = move
        Move = self.env["account.move"]
        self.assertFalse(Move.with_user(self.cashier_a).search([("id", "=", move.id)]))
        self.assertEqual(Move.with_user(self.manager_b).search([("id", "=", move.id)]), move)
        self.assertEqual(Move.with_user(self.hq_admin).search([("id", "=", move.id)]), move)

    def test_an_invoice_is_linked_by_invoicing_only(self):
        """A store user cannot link another store's invoice (or a forged one) to an order, nor
        unlink the one core made for it; invoicing the order still links its own."""
        customer = self.env["res.partner"].create({"name": "发票客户"})
        order_a = self._sync(self._order_data(self.store_a, [(self.product, 1, 30.0)], partner=customer))
        order_b = self._sync(self._order_data(self.store_b, [(self.product, 1, 40.0)], partner=customer))
        order_b.with_context(generate_pdf=False).action_pos_order_invoice()
        invoice_b = order_b.account_move
        self.assertEqual(invoice_b.move_type, "out_invoice")
        forged = self.env["account.move"].create(
            {"move_type": "out_invoice", "partner_id": self.env["res.partner"].create({"name": "别人"}).id}
        )
        forged.invoice_origin = order_a.pos_reference
        for user in (self.cashier_a, self.manager_a):
            for move in (invoice_b, forged):
                with (
                    self.subTest(user=user.login, move=move.id),
                    self.assertRaisesRegex(UserError, "invoice"),
                ):
                    order_a.with_user(user).write({"account_move": move.id})
        self.assertFalse(order_a.account_move)
        self.assertEqual(invoice_b.pos_order_ids, order_b)
        with self.assertRaisesRegex(UserError, "invoice"):
            order_b.with_user(self.manager_b).write({"account_move": False})
        # Invoicing the order the way core does it (the store's manager) links its own invoice.
        order_a.with_user(self.hq_admin).with_context(generate_pdf=False).action_pos_order_invoice()
        self.assertEqual(order_a.account_move.pos_order_ids, order_a)
        self.assertEqual(order_a.account_move.commercial_partner_id, customer)

    def test_a_store_is_in_a_region_of_its_company(self):
        other = self.env["res.company"].create({"name": "另一家公司"})
        region = self.env["store.region"].create(
            {"name": "他司华南", "code": "O-SOUTH", "company_id": other.id}
        )
        with self.assertRaisesRegex(UserError, "[Cc]ompan"):
            self.store_a.region_id = region
        with self.assertRaisesRegex(UserError, "[Cc]ompan"):
            self.env["store.store"].create({"name": "他司区域的店", "code": "TSTX", "region_id": region.id})

    def test_analyst_is_read_only(self):
        order = self._sell(self.store_a)
        self.assertEqual(order.with_user(self.analyst).amount_total, order.amount_total)
        with self.assertRaises(AccessError):
            order.with_user(self.analyst).to_invoice = True
        with self.assertRaises(AccessError):
            self.store_a.pos_config_ids.with_user(self.analyst).name = "x"

    def test_store_manager_cannot_rescope_the_store(self):
        other_wh = self.env["stock.warehouse"].create({"name": "中心仓", "code": "CDC"})
        store = self.store_a.with_user(self.manager_a)
        for vals in (
            {"warehouse_id": other_wh.id},
            {"region_id": self.region_north.id},
            {"user_ids": [(4, self.manager_b.id)]},
            {"active": False},
            {"code": "NEW"},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                store.write(vals)
        store.write({"phone": "021-999", "opening_time": 7.5})
        self.assertEqual(self.store_a.phone, "021-999")

    def test_only_hq_adds_a_pos(self):
        for user in (self.cashier_a, self.manager_a):
            with self.assertRaises(AccessError):
                self.store_a.with_user(user).action_create_pos_config()
        self.assertEqual(self.store_a.pos_config_count, 1)

    def test_current_store_follows_removal_from_the_store(self):
        self.assertEqual(self.cashier_a.store_id, self.store_a)
        self.store_a.user_ids -= self.cashier_a
        self.assertFalse(self.cashier_a.store_id)
        self.manager_b.store_ids |= self.store_c
        self.store_b.active = False
        self.assertEqual(self.manager_b.store_id, self.store_c)

    def test_warehouse_change_applies_at_once(self):
        other_wh = self.env["stock.warehouse"].create({"name": "新仓", "code": "NWH"})
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": other_wh.int_type_id.id,
                "location_id": other_wh.lot_stock_id.id,
                "location_dest_id": other_wh.lot_stock_id.id,
            }
        )
        Picking = self.env["stock.picking"].with_user(self.manager_a)
        self.assertFalse(Picking.search([("id", "=", picking.id)]))
        self.store_a.warehouse_id = other_wh
        self.assertEqual(Picking.search([("id", "=", picking.id)]), picking)
