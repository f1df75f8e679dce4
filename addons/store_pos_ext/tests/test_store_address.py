import importlib.util
from pathlib import Path

from odoo.tests import tagged

from .common import StoreCommon

MIGRATION = Path(__file__).parents[1] / "migrations" / "19.0.1.3.0" / "post-migrate.py"


@tagged("post_install", "-at_install")
class TestStoreAddress(StoreCommon):
    """A store's address is its warehouse's (stock.warehouse.partner_id), a contact of its own: the
    store's form edits it, HQ's address never changes with it, and the store's POS loads it for
    its receipts."""

    def test_new_store_address_is_its_warehouse_contact(self):
        company_partner = self.env.company.partner_id
        hq_street = company_partner.street
        store = self.env["store.store"].create(
            {
                "name": "地址店",
                "code": "ADDR",
                "street": "徐汇区天钥桥路 1 号",
                "city": "上海",
                "phone": "021-1",
            }
        )
        partner = store.warehouse_id.partner_id
        self.assertNotEqual(partner, company_partner)
        self.assertEqual(partner.parent_id, company_partner)
        self.assertEqual(
            (partner.name, partner.street, partner.city, partner.phone),
            ("地址店", "徐汇区天钥桥路 1 号", "上海", "021-1"),
        )
        self.assertEqual(store.partner_id, partner)
        store.write({"street": "徐汇区天钥桥路 2 号", "name": "地址店二"})
        self.assertEqual((partner.street, partner.name), ("徐汇区天钥桥路 2 号", "地址店二"))
        self.assertEqual(company_partner.street, hq_street, "HQ's address is not the store's")

    def test_store_on_a_warehouse_with_hq_address_gets_its_own(self):
        wh = self.env["stock.warehouse"].create({"name": "现有仓库", "code": "EXWH"})
        self.assertEqual(wh.partner_id, self.env.company.partner_id)
        store = self.env["store.store"].create({"name": "已有仓门店", "code": "EXIST", "warehouse_id": wh.id})
        store.city = "杭州"
        self.assertNotEqual(wh.partner_id, self.env.company.partner_id)
        self.assertEqual(wh.partner_id.city, "杭州")

    def test_store_manager_edits_the_address_through_the_store(self):
        """Partner rights do not decide: the store's (its manager may, its cashier may not)."""
        self.store_a.with_user(self.manager_a).write({"street": "店长改的地址", "phone": "021-7"})
        self.assertEqual(self.store_a.warehouse_id.partner_id.street, "店长改的地址")
        self.assertEqual(self.store_a.with_user(self.cashier_a).street, "店长改的地址")

    def test_pos_loads_its_store_for_the_receipt(self):
        self.store_a.write({"street": "天钥桥路 123 号", "city": "上海", "phone": "021-64001234"})
        config = self.store_a.pos_config_ids
        config.with_user(self.cashier_a).open_ui()
        session = config.current_session_id.with_user(self.cashier_a)
        data = session.load_data(["pos.config", "store.store"])
        self.assertEqual(data["pos.config"][0]["store_id"], self.store_a.id)
        self.assertEqual(
            data["store.store"],
            [
                {
                    "id": self.store_a.id,
                    "name": "测试A店",
                    "street": "天钥桥路 123 号",
                    "city": "上海",
                    "state_id": False,
                    "phone": "021-64001234",
                }
            ],
        )

    def test_migration_moves_the_store_address_to_its_warehouse(self):
        store = self.store_b
        company_partner = store.company_id.partner_id
        store.warehouse_id.partner_id = company_partner
        self.env.flush_all()
        # As 19.0.1.2.0 left it: the address in the store's own columns, HQ's on the warehouse.
        cr = self.env.cr
        cr.execute(
            "ALTER TABLE store_store"
            " ADD COLUMN street varchar, ADD COLUMN city varchar, ADD COLUMN phone varchar"
        )
        cr.execute(
            "UPDATE store_store SET street = '张杨路 500 号', city = '上海', phone = '021-5' WHERE id = %s",
            [store.id],
        )
        spec = importlib.util.spec_from_file_location("store_pos_ext_post_migrate_19_0_1_3_0", MIGRATION)
        script = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(script)
        script.migrate(cr, "19.0.1.2.0")
        self.env.invalidate_all()
        partner = store.warehouse_id.partner_id
        self.assertNotEqual(partner, company_partner)
        self.assertEqual((store.street, store.city, store.phone), ("张杨路 500 号", "上海", "021-5"))
        self.assertEqual((partner.street, partner.parent_id), ("张杨路 500 号", company_partner))
        cr.execute(
            "SELECT 1 FROM information_schema.columns"
            " WHERE table_name = 'store_store' AND column_name = 'street'"
        )
        self.assertFalse(cr.fetchall(), "the old columns are dropped")
