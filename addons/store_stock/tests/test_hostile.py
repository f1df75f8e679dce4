"""A hostile cashier, store manager or region manager of another store, calling the addon's public
methods over JSON-RPC (call_kw), with any context."""

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from odoo.addons.store_pos_ext.models.server_guard import server_write
from odoo.addons.store_pos_ext.tests.common import StoreCommon

from .stock_alert_common import StockAlertCommon
from .test_transfer_suggestion import TransferCommon


@tagged("post_install", "-at_install")
class TestHostileChainedMoves(StoreCommon):
    """The read rule on chained stock moves (a transfer's other side) must not let a store user
    chain their own move to any move of another store and so read it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product.is_storable = True
        cls.customers = cls.env.ref("stock.stock_location_customers")
        cls.c_move = cls.env["stock.move"].create(
            {
                "product_id": cls.product.id,
                "product_uom_qty": 7,
                "price_unit": 3.25,
                "location_id": cls.store_c.warehouse_id.lot_stock_id.id,
                "location_dest_id": cls.customers.id,
            }
        )

    def _my_move(self, user, **extra):
        return (
            self.env["stock.move"]
            .with_user(user)
            .create(
                {
                    "product_id": self.product.id,
                    "product_uom_qty": 1,
                    "location_id": self.store_a.warehouse_id.lot_stock_id.id,
                    "location_dest_id": self.customers.id,
                    **extra,
                }
            )
        )

    def _assert_hidden(self, user):
        with self.assertRaises(AccessError):
            self.c_move.with_user(user).read(["product_uom_qty", "price_unit"])
        self.assertFalse(self.env["stock.move"].with_user(user).search([("id", "=", self.c_move.id)]))

    def test_a_cashier_cannot_chain_a_new_move_to_another_store_move(self):
        self._assert_hidden(self.cashier_a)
        with self.assertRaises(AccessError):
            self._my_move(self.cashier_a, move_dest_ids=[Command.link(self.c_move.id)])
        self._assert_hidden(self.cashier_a)

    def test_a_manager_cannot_chain_an_own_move_to_another_store_move(self):
        mine = self._my_move(self.manager_a)
        for field in ("move_dest_ids", "move_orig_ids"):
            with self.assertRaises(AccessError):
                mine.write({field: [Command.set(self.c_move.ids)]})
        self._assert_hidden(self.manager_a)


@tagged("post_install", "-at_install")
class TestHostilePromotionProposal(StockAlertCommon):
    """The flash sale proposed from an alert is a draft of the alert's product at the alert's store,
    whatever context the caller sends."""

    def _near_expiry_alert(self):
        self._threshold(scope="chain", categ_id=self.categ.id, near_expiry_days=5)
        lot = self.env["stock.lot"].create(
            {
                "name": "L-HOSTILE",
                "product_id": self.milk.id,
                "expiration_date": "2099-01-01 00:00:00",
            }
        )
        lot.expiration_date = lot.create_date
        self._set_qty(self.store_a, self.milk, 4, lot)
        self._compute()
        return self._open(self.store_a, "near_expiry")

    def test_crafted_defaults_do_not_reach_the_promotion(self):
        alert = self._near_expiry_alert()
        self.assertEqual(len(alert), 1)
        crafted = {
            "default_state": "approved",
            "default_reviewed_by_id": self.hq_admin.id,
            "default_categ_ids": [Command.set(self.categ.ids)],
            "default_region_ids": [Command.set(self.region_east.ids)],
            "default_budget": 0,
            "default_active": True,
        }
        action = alert.with_user(self.manager_a).with_context(**crafted).action_propose_promotion()
        promotion = self.env["store.promotion"].browse(action["res_id"])
        self.assertEqual(promotion.state, "draft")
        self.assertFalse(promotion.reviewed_by_id)
        self.assertFalse(promotion.categ_ids)
        self.assertFalse(promotion.region_ids)
        self.assertEqual(promotion.product_ids, self.milk)
        self.assertEqual(promotion.store_ids, self.store_a)

    def test_another_store_manager_cannot_propose_for_the_alert(self):
        alert = self._near_expiry_alert()
        for user in (self.manager_b, self.cashier_a):
            with self.assertRaises(AccessError):
                alert.with_user(user).action_propose_promotion()
        self.assertFalse(alert.promotion_id)


@tagged("post_install", "-at_install")
class TestHostileTransferContext(TransferCommon):
    """A store manager creates the transfer of a suggestion; the pickings and moves the server
    creates as superuser take nothing from the caller's context."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._rule(cls.store_a, 10, 30)
        cls._stock(cls.store_a, 5)
        cls._rule(cls.store_b, 5, 20)
        cls._stock(cls.store_b, 30)

    def test_crafted_defaults_do_not_reach_the_pickings(self):
        suggestion = self.Suggestion._compute_suggestions().filtered(lambda s: s.product_id == self.item)
        self.assertEqual(len(suggestion), 1)
        crafted = {
            "default_state": "done",
            "default_picked": True,
            "default_quantity": 10,
            "default_partner_id": self.manager_c.partner_id.id,
            "default_location_dest_id": self.store_c.warehouse_id.lot_stock_id.id,
            "default_location_id": self.store_c.warehouse_id.lot_stock_id.id,
            "default_picking_type_id": self.store_c.warehouse_id.out_type_id.id,
        }
        suggestion.with_user(self.manager_a).with_context(**crafted).action_create_transfer()
        out, incoming = suggestion.out_picking_id, suggestion.in_picking_id
        self.assertEqual(suggestion.state, "transfer")
        self.assertEqual(out.picking_type_id, self.store_b.warehouse_id.out_type_id)
        self.assertEqual(incoming.picking_type_id, self.store_a.warehouse_id.in_type_id)
        self.assertNotEqual(out.state, "done")
        self.assertNotEqual(incoming.state, "done")
        moves = (out | incoming).move_ids
        self.assertFalse(moves.filtered("picked"))
        self.assertNotIn("done", moves.mapped("state"))
        c_stock = self.store_c.warehouse_id.lot_stock_id
        for records in (out | incoming, moves, moves.move_line_ids):
            self.assertNotIn(c_stock, records.location_id | records.location_dest_id)
        self.assertEqual(out.partner_id, self.store_a.warehouse_id.partner_id)
        self.assertEqual((self._on_hand(self.store_a), self._on_hand(self.store_b)), (5, 30))


@tagged("post_install", "-at_install")
class TestHostileThresholds(StockAlertCommon):
    """Store users read the thresholds that apply to their stores, not those of other stores; only
    HQ administrators write them."""

    def test_a_store_without_type_sees_no_other_store_threshold(self):
        self.store_a.store_type = False
        of_c = self._threshold(
            scope="store", store_id=self.store_c.id, product_id=self.product.id, min_qty=3, max_qty=9
        )
        of_north = self._threshold(
            scope="region", region_id=self.region_north.id, product_id=self.product.id, min_qty=4, max_qty=9
        )
        school = self._threshold(
            scope="store_type", store_type="school", product_id=self.product.id, min_qty=2, max_qty=9
        )
        mine = self._threshold(
            scope="store", store_id=self.store_a.id, product_id=self.product.id, min_qty=5, max_qty=9
        )
        chain = self._threshold(scope="chain", product_id=self.product.id, min_qty=1, max_qty=9)
        for user in (self.cashier_a, self.manager_a):
            seen = (
                self.env["store.stock.threshold"]
                .with_user(user)
                .search([("product_id", "=", self.product.id)])
            )
            self.assertEqual(seen, mine | chain)
            with self.assertRaises(AccessError):
                (of_c | of_north | school).with_user(user).read(["min_qty"])

    def test_store_users_write_no_threshold_nor_reorder_rule(self):
        mine = self._threshold(
            scope="store", store_id=self.store_a.id, product_id=self.product.id, min_qty=5, max_qty=9
        )
        rule = self._orderpoint(self.store_a, self.product)
        self.assertTrue(rule)
        for user in (self.manager_a, self.region_mgr):
            with self.assertRaises(AccessError):
                mine.with_user(user).write({"min_qty": 0})
            with self.assertRaises(AccessError):
                mine.with_user(user).action_apply()
            with self.assertRaises(AccessError):
                rule.with_user(user).write({"product_min_qty": 0})
            with self.assertRaises(AccessError):
                self.env["stock.warehouse.orderpoint"].with_user(user).create(
                    {
                        "product_id": self.product.id,
                        "location_id": self.store_a.warehouse_id.lot_stock_id.id,
                        "product_min_qty": 100,
                        "product_max_qty": 200,
                    }
                )
        self.assertEqual((mine.min_qty, rule.product_min_qty), (5, 5))


@tagged("post_install", "-at_install")
class TestHostileAlertRefresh(StockAlertCommon):
    def test_a_store_user_without_store_refreshes_nothing(self):
        self._threshold(scope="chain", product_id=self.product.id, min_qty=5, max_qty=50)
        self._set_qty(self.store_c, self.product, 1)
        self._compute()
        alert = self._open(self.store_c, "below_min")
        self.assertEqual(len(alert), 1)
        self._set_qty(self.store_c, self.product, 10)  # a refresh of C would close it
        nobody = new_test_user(self.env, login="t_storeless", groups="store_pos_ext.group_store_user")
        self.assertFalse(nobody.allowed_store_ids)
        self.Alert.with_user(nobody).action_refresh_alerts()
        self.assertEqual(alert.state, "open", "a user without a store recomputes no store")
        self.Alert.with_user(self.manager_b).action_refresh_alerts()
        self.assertEqual(alert.state, "open", "B's manager recomputes B only")


@tagged("post_install", "-at_install")
class TestHostilePosConfig(StoreCommon):
    """The till's server calls with another store's POS."""

    def test_another_store_pos_is_refused(self):
        config_b = self.store_b.pos_config_ids[:1]
        self.assertTrue(config_b)
        template = self.product.product_tmpl_id.with_user(self.cashier_a)
        with self.assertRaises(AccessError):
            template.load_product_from_pos(config_b.id, [])
        with self.assertRaises(AccessError):
            template.get_product_info_pos(5.0, 1, config_b.id)


@tagged("post_install", "-at_install")
class TestHostileOtherStoresStock(TransferCommon):
    """The till's other stores' stock stays within the session's company."""

    @classmethod
    def _foreign_store(cls):
        """A store of another company in this company's region East. A store's region is of its
        company now (check_company); a database from before that check may still hold such a
        store: it is put there in SQL, as that data would be."""
        other_company = cls.env["res.company"].create({"name": "调拨测试他司"})
        store = (
            cls.env["store.store"]
            .with_company(other_company)
            .create({"name": "他司华东店", "code": "TSTX", "company_id": other_company.id, "sequence": 15})
        )
        store.flush_recordset()
        cls.env.cr.execute(
            "UPDATE store_store SET region_id = %s WHERE id = %s", [cls.region_east.id, store.id]
        )
        store.invalidate_recordset(["region_id"])
        return store

    def test_no_transfer_suggestion_across_companies(self):
        foreign = self._foreign_store()
        self._rule(self.store_a, 10, 30)
        self._stock(self.store_a, 5)
        self.env["stock.warehouse.orderpoint"].with_company(foreign.company_id).create(
            {
                "warehouse_id": foreign.warehouse_id.id,
                "location_id": foreign.warehouse_id.lot_stock_id.id,
                "product_id": self.item.id,
                "product_min_qty": 1,
                "product_max_qty": 2,
                "trigger": "manual",
            }
        )
        self.env["stock.quant"]._update_available_quantity(self.item, foreign.warehouse_id.lot_stock_id, 50)
        suggestions = self.Suggestion._compute_suggestions().filtered(lambda s: s.product_id == self.item)
        self.assertFalse(suggestions, "the other company's store neither gives nor receives")

    def test_a_store_of_another_company_in_the_region_is_not_listed(self):
        foreign = self._foreign_store()
        self.assertTrue(foreign.warehouse_id)
        self.env["stock.quant"].sudo()._update_available_quantity(
            self.item, foreign.warehouse_id.lot_stock_id, 9
        )
        self.env.registry.clear_cache()
        session = self._session(self.store_a)
        rows = session.with_user(self.cashier_a).get_other_stores_stock(self.item.id)
        self.assertIn("测试B店", [r["name"] for r in rows])
        self.assertNotIn("他司华东店", [r["name"] for r in rows])


@tagged("post_install", "-at_install")
class TestHostileMultiCompany(StoreCommon):
    """HQ users read the stock records of their allowed companies only, as core's multi-company
    rules have them read the stock itself."""

    def test_hq_reads_no_alert_nor_suggestion_of_another_company(self):
        other_company = self.env["res.company"].create({"name": "库存测试他司"})
        foreign = (
            self.env["store.store"]
            .with_company(other_company)
            .create({"name": "他司店", "code": "TSTY", "company_id": other_company.id})
        )
        alert = self.env["store.stock.alert"].create(
            {"store_id": foreign.id, "product_id": self.product.id, "kind": "overstock"}
        )
        with server_write():
            suggestion = (
                self.env["store.stock.replenishment"]
                .sudo()
                .create({"store_id": foreign.id, "product_id": self.product.id, "suggested_qty": 3})
            )
        self.assertNotIn(other_company, self.analyst.company_ids)
        for user in (self.analyst, self.hq_admin):
            self.assertFalse(self.env["store.stock.alert"].with_user(user).search([("id", "=", alert.id)]))
            self.assertFalse(
                self.env["store.stock.replenishment"].with_user(user).search([("id", "=", suggestion.id)])
            )
        self.analyst.company_ids = [Command.link(other_company.id)]
        as_analyst = self.env(user=self.analyst, context={"allowed_company_ids": other_company.ids})
        self.assertEqual(as_analyst["store.stock.alert"].search([("id", "=", alert.id)]), alert)
        self.assertEqual(
            as_analyst["store.stock.replenishment"].search([("id", "=", suggestion.id)]), suggestion
        )


@tagged("post_install", "-at_install")
class TestHostileReplenishment(StoreCommon):
    def test_a_requested_quantity_cannot_be_rewritten(self):
        with server_write():
            requested = (
                self.env["store.stock.replenishment"]
                .sudo()
                .create({"store_id": self.store_a.id, "product_id": self.product.id, "suggested_qty": 500})
            )
            requested.state = "requested"
        with self.assertRaises(UserError):
            requested.with_user(self.manager_a).write({"suggested_qty": 5})
        with self.assertRaises(AccessError):
            requested.with_user(self.manager_b).write({"suggested_qty": 5})
        self.assertEqual(requested.suggested_qty, 500)
