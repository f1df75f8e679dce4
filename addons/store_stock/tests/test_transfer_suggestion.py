from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.store_pos_ext.tests.common import StoreCommon


class TransferCommon(StoreCommon):
    """Stores A, B and D in region East (sequences 10, 20, 30: B is nearer A than D), C in North;
    a storable product with a reorder rule in each store."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.store_d = cls.env["store.store"].create(
            {"name": "测试D店", "code": "TSTD", "region_id": cls.region_east.id}
        )
        for store, seq in ((cls.store_a, 10), (cls.store_b, 20), (cls.store_d, 30), (cls.store_c, 40)):
            store.sequence = seq
        cls.manager_c = new_test_user(
            cls.env, login="t_manager_c", groups="store_pos_ext.group_store_manager"
        )
        cls.manager_c.store_ids = [Command.set(cls.store_c.ids)]
        cls.item = cls.env["product.product"].create(
            {"name": "调拨测试商品", "is_storable": True, "available_in_pos": True, "list_price": 5.0}
        )
        cls.Suggestion = cls.env["store.stock.transfer.suggestion"]

    @classmethod
    def _rule(cls, store, min_qty, max_qty, product=None):
        warehouse = store.warehouse_id
        return cls.env["stock.warehouse.orderpoint"].create(
            {
                "warehouse_id": warehouse.id,
                "location_id": warehouse.lot_stock_id.id,
                "product_id": (product or cls.item).id,
                "product_min_qty": min_qty,
                "product_max_qty": max_qty,
                "trigger": "manual",
            }
        )

    @classmethod
    def _stock(cls, store, qty, product=None):
        cls.env["stock.quant"]._update_available_quantity(
            product or cls.item, store.warehouse_id.lot_stock_id, qty
        )

    def _on_hand(self, store):
        return self.item.with_context(warehouse_id=store.warehouse_id.id).qty_available


@tagged("post_install", "-at_install")
class TestTransferSuggestion(TransferCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A: 5 on hand, min 10 / max 30 -> needs 25. B: 30, max 20 -> 10 spare. D: 40, max 20 -> 20
        # spare. C (another region): 100, max 10 -> 90 spare, never offered to A.
        for store, min_qty, max_qty, qty in (
            (cls.store_a, 10, 30, 5),
            (cls.store_b, 5, 20, 30),
            (cls.store_d, 5, 20, 40),
            (cls.store_c, 5, 10, 100),
        ):
            cls._rule(store, min_qty, max_qty)
            cls._stock(store, qty)

    def _mine(self, suggestions):
        return suggestions.filtered(lambda s: s.product_id == self.item)

    def test_a_deficit_is_split_over_the_nearest_surplus_stores_of_its_region(self):
        suggestions = self._mine(self.Suggestion._compute_suggestions())
        got = sorted((s.source_store_id.name, s.store_id.name, s.quantity) for s in suggestions)
        # B is nearest and gives all it has above its max (10), D the rest (15); C is in North.
        self.assertEqual(got, [("测试B店", "测试A店", 10.0), ("测试D店", "测试A店", 15.0)])
        b_to_a = suggestions.filtered(lambda s: s.source_store_id == self.store_b)
        self.assertEqual((b_to_a.dest_forecast, b_to_a.dest_min_qty, b_to_a.dest_max_qty), (5, 10, 30))
        self.assertEqual((b_to_a.source_qty, b_to_a.source_max_qty, b_to_a.source_distance), (30, 20, 10))
        self.assertEqual(b_to_a.region_id, self.region_east)
        self.assertTrue(all(s.state == "new" for s in suggestions))

    def test_a_slow_mover_gives_what_it_holds_above_its_safety_stock(self):
        """A store where the product does not sell (an open slow-mover alert) keeps only its
        minimum: B (30 on hand, min 5) offers 25 instead of the 10 above its maximum."""
        self.env["store.stock.alert"].create(
            {"store_id": self.store_b.id, "product_id": self.item.id, "kind": "slow_mover", "state": "open"}
        )
        suggestions = self._mine(self.Suggestion._compute_suggestions())
        got = sorted((s.source_store_id.name, s.store_id.name, s.quantity) for s in suggestions)
        self.assertEqual(got, [("测试B店", "测试A店", 25.0)])
        self.assertEqual(suggestions.source_max_qty, 5.0)
        # Accepting it still checks what the source keeps (its safety stock, not its maximum).
        self._stock(self.store_b, -6)
        with self.assertRaises(UserError):
            suggestions.action_create_transfer()

    def test_the_transfer_origin_is_in_the_company_language(self):
        """Both stores read the pickings' source document: the company's language (zh_CN), not the
        language of the manager who clicked."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env.company.partner_id.lang = "zh_CN"
        suggestion = self._mine(self.Suggestion._compute_suggestions()).filtered(
            lambda s: s.source_store_id == self.store_b
        )
        suggestion.with_user(self.manager_a).with_context(lang="en_US").action_create_transfer()
        self.assertEqual(suggestion.in_picking_id.origin, f"调拨建议 {suggestion.id}")
        self.assertEqual(suggestion.out_picking_id.origin, f"调拨建议 {suggestion.id}")

    def test_no_suggestion_without_surplus_in_the_region_and_refresh_replaces(self):
        self._stock(self.store_b, -10)  # B at its max: nothing spare
        self._stock(self.store_d, -20)
        first = self._mine(self.Suggestion._compute_suggestions())
        self.assertFalse(first, "C's surplus is in another region")
        self._stock(self.store_d, 20)
        second = self._mine(self.Suggestion._compute_suggestions(self.region_east))
        self.assertEqual(second.mapped("quantity"), [20.0])
        again = self._mine(self.Suggestion._compute_suggestions(self.region_east))
        self.assertEqual(len(again), 1, "a refresh replaces the open suggestions, no duplicate")
        self.assertFalse(second.exists())

    def _count_queries(self):
        self.env.flush_all()
        self.env.invalidate_all()
        start = self.env.cr.sql_log_count
        self.Suggestion._compute_suggestions()
        return self.env.cr.sql_log_count - start

    def test_the_suggestion_query_count_does_not_grow_with_stores(self):
        self._count_queries()  # warm the caches (decimal precision, ...)
        before = self._count_queries()
        # another store short of a second product, and one with a surplus of it
        other = self.env["product.product"].create({"name": "调拨测试商品2", "is_storable": True})
        store_e = self.env["store.store"].create(
            {"name": "测试E店", "code": "TSTE", "region_id": self.region_east.id, "sequence": 50}
        )
        for store, min_qty, max_qty, qty in (
            (self.store_a, 10, 30, 0),
            (self.store_d, 1, 5, 50),
            (store_e, 10, 30, 0),
        ):
            self._rule(store, min_qty, max_qty, product=other)
            if qty:
                self._stock(store, qty, product=other)
        self.assertEqual(self._count_queries(), before)
        got = self.Suggestion.search([("product_id", "=", other.id)])
        self.assertEqual(sorted(got.mapped("quantity")), [15.0, 30.0], "D's 45 spare: A 30, E the rest")

    def test_create_transfer_moves_stock_only_when_each_side_validates(self):
        suggestions = self._mine(self.Suggestion._compute_suggestions())
        b_to_a = suggestions.filtered(lambda s: s.source_store_id == self.store_b)
        b_to_a.with_user(self.manager_a).action_create_transfer()  # the destination accepts
        out, incoming = b_to_a.out_picking_id, b_to_a.in_picking_id
        transit = self.env.company.internal_transit_location_id
        self.assertEqual(b_to_a.state, "transfer")
        self.assertEqual(
            (out.picking_type_id, out.location_id, out.location_dest_id),
            (self.store_b.warehouse_id.out_type_id, self.store_b.warehouse_id.lot_stock_id, transit),
        )
        self.assertEqual(
            (incoming.picking_type_id, incoming.location_id, incoming.location_dest_id),
            (self.store_a.warehouse_id.in_type_id, transit, self.store_a.warehouse_id.lot_stock_id),
        )
        self.assertEqual(out.move_ids.product_uom_qty, 10)
        self.assertEqual(incoming.move_ids.move_orig_ids, out.move_ids)
        self.assertEqual((self._on_hand(self.store_a), self._on_hand(self.store_b)), (5, 30))
        # Each side sees its own picking only.
        Picking = self.env["stock.picking"]
        self.assertEqual(Picking.with_user(self.manager_b).search([("id", "in", (out | incoming).ids)]), out)
        self.assertEqual(
            Picking.with_user(self.manager_a).search([("id", "in", (out | incoming).ids)]), incoming
        )
        with self.assertRaises(AccessError):
            out.with_user(self.manager_a).read(["name"])
        # A refresh counts the transfer on its way: A is no longer short, nothing suggested twice.
        self.assertFalse(
            self._mine(self.Suggestion._compute_suggestions()).filtered(lambda s: s.state == "new")
        )
        with self.assertRaises(UserError):
            b_to_a.with_user(self.manager_a).action_create_transfer()
        # The source ships: its stock leaves, the destination's does not arrive yet.
        out.with_user(self.manager_b).button_validate()
        self.assertEqual(out.state, "done")
        self.assertEqual((self._on_hand(self.store_a), self._on_hand(self.store_b)), (5, 20))
        self.assertEqual(b_to_a.state, "transit")
        self.assertEqual(incoming.state, "assigned")
        # The destination receives.
        incoming.with_user(self.manager_a).button_validate()
        self.assertEqual((self._on_hand(self.store_a), self._on_hand(self.store_b)), (15, 20))
        self.assertEqual(b_to_a.state, "done")

    def test_the_source_must_still_have_the_surplus(self):
        b_to_a = self._mine(self.Suggestion._compute_suggestions()).filtered(
            lambda s: s.source_store_id == self.store_b
        )
        self._stock(self.store_b, -5)  # sold meanwhile: only 5 above its max now
        with self.assertRaisesRegex(UserError, "no longer has"):
            b_to_a.with_user(self.manager_b).action_create_transfer()
        self.assertFalse(b_to_a.in_picking_id)

    def test_who_sees_and_who_creates(self):
        suggestions = self._mine(self.Suggestion._compute_suggestions())
        b_to_a = suggestions.filtered(lambda s: s.source_store_id == self.store_b)
        d_to_a = suggestions - b_to_a
        mine = self.Suggestion.with_user(self.manager_b).search([("product_id", "=", self.item.id)])
        self.assertEqual(mine, b_to_a, "the source store sees its suggestion, not D's")
        self.assertEqual(
            self.Suggestion.with_user(self.cashier_a).search([("product_id", "=", self.item.id)]), suggestions
        )
        self.assertFalse(
            self.Suggestion.with_user(self.manager_c).search([("product_id", "=", self.item.id)])
        )
        with self.assertRaises(AccessError):
            b_to_a.with_user(self.manager_c).read(["quantity"])
        with self.assertRaises(AccessError):
            b_to_a.with_user(self.manager_c).action_create_transfer()
        with self.assertRaises(AccessError):
            b_to_a.with_user(self.manager_a).write({"quantity": 99})
        with self.assertRaises(AccessError):
            b_to_a.with_user(self.cashier_a).action_create_transfer()
        with self.assertRaises(AccessError):
            self.Suggestion.with_user(self.analyst).browse(d_to_a.id).action_create_transfer()
        with self.assertRaises(AccessError):
            self.Suggestion.with_user(self.cashier_a).action_compute_suggestions()
        # the region manager creates one, the source's manager the other
        d_to_a.with_user(self.region_mgr).action_create_transfer()
        self.assertEqual(d_to_a.state, "transfer")
        b_to_a.with_user(self.manager_b).action_create_transfer()
        self.assertEqual(b_to_a.state, "transfer")
        # a store manager's Refresh recomputes their region and keeps the transfers under way
        self.Suggestion.with_user(self.manager_b).action_compute_suggestions()
        self.assertTrue((b_to_a | d_to_a).exists())
        self.assertFalse(self._mine(self.Suggestion.search([("state", "=", "new")])))


@tagged("post_install", "-at_install")
class TestOtherStoresStock(TransferCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.central = cls.env["stock.warehouse"].create({"name": "调拨测试总仓", "code": "TCEN"})
        for store, qty in ((cls.store_a, 3), (cls.store_b, 37), (cls.store_d, 0), (cls.store_c, 50)):
            if qty:
                cls._stock(store, qty)
        cls.env["stock.quant"]._update_available_quantity(cls.item, cls.central.lot_stock_id, 500)
        cls.session_a = cls._session(cls.store_a)

    def setUp(self):
        super().setUp()
        self.env.registry.clear_cache()

    def _stock_of(self, user, session=None, product=None):
        session = (session or self.session_a).with_user(user)
        return {r["name"]: r for r in session.get_other_stores_stock((product or self.item).id)}

    def test_the_till_reads_the_region_and_central_stock_only(self):
        rows = self._stock_of(self.cashier_a)
        self.assertEqual(
            {name: r["qty"] for name, r in rows.items() if not r["central"]},
            {"测试A店": 3, "测试B店": 37, "测试D店": 0},
        )
        self.assertNotIn("测试C店", rows)
        self.assertEqual(rows["调拨测试总仓"]["qty"], 500)
        self.assertTrue(rows["调拨测试总仓"]["central"])
        self.assertTrue(rows["测试A店"]["current"])
        self.assertEqual(set(rows["测试B店"]), {"key", "name", "qty", "uom", "current", "central"})
        names = list(rows)
        self.assertLess(names.index("测试B店"), names.index("测试D店"), "nearest first")

    def test_a_store_manager_reads_quantities_not_pickings_of_other_stores(self):
        out = self.env["stock.picking"].create(
            {
                "picking_type_id": self.store_b.warehouse_id.out_type_id.id,
                "location_id": self.store_b.warehouse_id.lot_stock_id.id,
                "location_dest_id": self.env.ref("stock.stock_location_customers").id,
            }
        )
        self.assertEqual(self._stock_of(self.manager_a)["测试B店"]["qty"], 37)
        self.assertFalse(self.env["stock.picking"].with_user(self.manager_a).search([("id", "=", out.id)]))
        self.assertFalse(
            self.env["stock.quant"]
            .with_user(self.manager_a)
            .search([("location_id", "=", self.store_b.warehouse_id.lot_stock_id.id)])
        )

    def test_the_till_refuses_what_the_user_cannot_use(self):
        session_b = self._session(self.store_b)
        with self.assertRaises(AccessError):
            self._stock_of(self.cashier_a, session=session_b)
        with self.assertRaises(AccessError):
            self._stock_of(self.manager_c)
        other_company = self.env["res.company"].create({"name": "调拨测试他司"})
        foreign = self.env["product.product"].create({"name": "他司商品", "company_id": other_company.id})
        with self.assertRaises(AccessError):
            self._stock_of(self.cashier_a, product=foreign)
        with self.assertRaises(UserError):
            self.session_a.with_user(self.cashier_a).get_other_stores_stock(999999999)
        plain = new_test_user(self.env, login="t_plain_pos_stock", groups="point_of_sale.group_pos_user")
        with self.assertRaises(AccessError):
            self._stock_of(plain)

    def test_core_product_info_keeps_the_store_own_warehouse(self):
        config = self.store_a.pos_config_ids[:1]
        info = self.item.product_tmpl_id.with_user(self.cashier_a).get_product_info_pos(5.0, 1, config.id)
        self.assertEqual([w["id"] for w in info["warehouses"]], self.store_a.warehouse_id.ids)

    def test_the_answer_is_cached_for_a_short_time(self):
        self.assertEqual(self._stock_of(self.cashier_a)["测试B店"]["qty"], 37)
        self._stock(self.store_b, 1)
        self.assertEqual(self._stock_of(self.cashier_a)["测试B店"]["qty"], 37, "cached")
        self.env.registry.clear_cache()  # as a new time bucket would
        self.assertEqual(self._stock_of(self.cashier_a)["测试B店"]["qty"], 38)


@tagged("post_install", "-at_install")
class TestOtherStoresStockTour(TransferCommon, HttpCase):
    """The cashier opens the product info popup in the POS and sees the other store's quantity."""

    def test_product_info_shows_other_stores_stock(self):
        self.env["res.lang"]._activate_lang("en_US")  # core's tour helpers match English texts
        cashier = new_test_user(
            self.env, login="t_stock_cashier", groups="store_pos_ext.group_store_user", lang="en_US"
        )
        cashier.store_ids = [Command.set(self.store_a.ids)]
        self.store_b.name = "调拨测试B店"
        self.store_c.name = "调拨测试C店"
        self.env["stock.warehouse"].create({"name": "调拨测试总仓", "code": "TCEN"})
        self._stock(self.store_b, 37)
        self._stock(self.store_c, 12)
        config = self.store_a.pos_config_ids[:1]
        self.start_tour(
            f"/pos/ui/{config.id}", "store_other_stores_stock_in_product_info", login=cashier.login
        )
