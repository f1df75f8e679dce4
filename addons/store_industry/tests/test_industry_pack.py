from odoo.exceptions import AccessError

from odoo.addons.store_industry.models.store_store import PACK_MODULE
from odoo.addons.store_pos_ext.tests.common import StoreCommon


class TestIndustryPack(StoreCommon):
    """Creating a store of an industry (or making a store one) applies its industry pack."""

    def _pack(self, name, company=None):
        suffix = "" if name.startswith("categ_") else f"_c{(company or self.env.company).id}"
        return self.env.ref(f"{PACK_MODULE}.{name}{suffix}", raise_if_not_found=False)

    def _counts(self):
        return {
            model: self.env[model].with_context(active_test=False).search_count([])
            for model in ("pos.category", "product.template", "store.sop.template", "store.sop.template.item")
        }

    def test_a_new_beauty_store_gets_its_pack(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["store.sop.template"].search(
            [("scope", "=", "industry"), ("industry", "=", "beauty")]
        ).active = False
        store = self.env["store.store"].create(
            {
                "name": "测试美容店",
                "code": "TSTBEAUTY",
                "region_id": self.region_east.id,
                "industry": "beauty",
            }
        )
        care, retail = self._pack("categ_beauty_care"), self._pack("categ_beauty_retail")
        facial = self._pack("beauty_facial")
        self.assertTrue(care and retail and facial)
        self.assertEqual(facial.type, "service")
        self.assertEqual(facial.list_price, 198.0)
        self.assertTrue(facial.available_in_pos)
        self.assertEqual(facial.pos_categ_ids, care)
        self.assertEqual(facial.company_id, store.company_id)
        # named in English and in every active language
        self.assertEqual(facial.with_context(lang="en_US").name, "Deep Cleansing Facial")
        self.assertEqual(facial.with_context(lang="zh_CN").name, "深层清洁面部护理")
        # the store's POS sells the pack's categories only
        config = store.pos_config_ids
        self.assertTrue(config.limit_categories)
        self.assertEqual(config.iface_available_categ_ids, care | retail)
        # its SOP checklist applies to the company's beauty stores, this one among them
        template = self._pack("beauty_opening")
        self.assertEqual(
            (template.scope, template.industry, template.schedule), ("industry", "beauty", "opening")
        )
        self.assertEqual(len(template.item_ids), 4)
        self.assertIn(store, template._get_stores())
        temperature = template.item_ids.filtered(lambda i: i.kind == "number")
        self.assertEqual((temperature.min_value, temperature.max_value, temperature.unit), (22.0, 28.0, "°C"))
        self.assertIn("Industry pack Beauty Salon applied", store.message_ids[:1].body)

    def test_applied_again_it_changes_nothing(self):
        store = self.env["store.store"].create(
            {"name": "测试健身房", "code": "TSTGYM", "region_id": self.region_east.id, "industry": "fitness"}
        )
        counts, messages = self._counts(), len(store.message_ids)
        config = store.pos_config_ids
        categories = config.iface_available_categ_ids
        store.with_user(self.hq_admin).action_store_apply_industry_pack()
        # a second gym of the same company makes nothing new either: the pack's records are shared
        other = self.env["store.store"].create(
            {
                "name": "测试健身房二",
                "code": "TSTGYM2",
                "region_id": self.region_east.id,
                "industry": "fitness",
            }
        )
        self.assertEqual(self._counts(), counts)
        self.assertEqual(len(store.message_ids), messages)
        self.assertEqual(config.iface_available_categ_ids, categories)
        self.assertEqual(other.pos_config_ids.iface_available_categ_ids, categories)

    def test_what_the_chain_changed_stays(self):
        store = self.env["store.store"].create(
            {
                "name": "测试咖啡店",
                "code": "TSTCAFE",
                "region_id": self.region_east.id,
                "industry": "restaurant",
            }
        )
        latte = self._pack("cafe_latte")
        latte.write({"active": False, "list_price": 30.0})
        # the store's POS also sells the chain's other drinks
        extra = self.env["pos.category"].create({"name": "测试茶饮"})
        store.pos_config_ids.iface_available_categ_ids |= extra
        store.with_user(self.hq_admin).action_store_apply_industry_pack()
        self.assertFalse(latte.active)
        self.assertEqual(latte.list_price, 30.0)
        self.assertIn(extra, store.pos_config_ids.iface_available_categ_ids)
        # a pack record deleted is made again (a product cannot be deleted while a POS is open)
        self._pack("restaurant_opening").unlink()
        store.with_user(self.hq_admin).action_store_apply_industry_pack()
        self.assertTrue(self._pack("restaurant_opening"))

    def test_a_store_made_a_supermarket_keeps_every_category(self):
        Template = self.env["store.sop.template"]
        industry_templates = [("scope", "=", "industry"), ("industry", "=", "supermarket")]
        Template.search(industry_templates).active = False  # the chain has none of its own
        self.store_a.industry = "supermarket"
        self.assertTrue(self._pack("categ_fresh"))
        self.assertIn(self.store_a, self._pack("supermarket_fresh")._get_stores())
        self.assertFalse(self.store_a.pos_config_ids.limit_categories)
        # a general retail store has no pack
        counts = self._counts()
        self.env["store.store"].create(
            {"name": "测试百货店", "code": "TSTRETAIL", "region_id": self.region_east.id}
        )
        self.assertEqual(self._counts(), counts)

    def test_only_hq_sets_a_stores_industry_and_applies_its_pack(self):
        counts = self._counts()
        with self.assertRaises(AccessError):
            self.store_a.with_user(self.manager_a).industry = "beauty"
        with self.assertRaises(AccessError):
            self.store_a.with_user(self.manager_a).store_type = "mall"
        with self.assertRaises(AccessError):
            self.store_a.with_user(self.manager_a).action_store_apply_industry_pack()
        self.assertEqual(self._counts(), counts)
        self.store_a.with_user(self.hq_admin).industry = "beauty"
        self.assertTrue(self.store_a.pos_config_ids.limit_categories)

    def test_a_company_with_its_own_checklist_of_the_industry_keeps_it(self):
        own = self.env["store.sop.template"].create(
            {"name": "测试健身检查", "scope": "industry", "industry": "fitness", "schedule": "opening"}
        )
        store = self.env["store.store"].create(
            {"name": "测试健身房", "code": "TSTGYM", "region_id": self.region_east.id, "industry": "fitness"}
        )
        self.assertFalse(self._pack("fitness_opening"))
        self.assertEqual(
            self.env["store.sop.template"].search([("scope", "=", "industry"), ("industry", "=", "fitness")]),
            own,
        )
        # the rest of the pack is there
        self.assertTrue(self._pack("fitness_personal"))
        self.assertTrue(store.pos_config_ids.limit_categories)
