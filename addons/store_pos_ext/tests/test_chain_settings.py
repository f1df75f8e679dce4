from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import StoreCommon


@tagged("post_install", "-at_install")
class TestChainSettings(StoreCommon):
    """The chain's settings (Store Chain > Configuration > Settings) as the web client opens and
    saves them: HQ admins reach the chain's app and only it, without being settings admins."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        # the demo HQ admin also manages access rights (base.group_erp_manager, an "admin" for
        # execute()); still no settings administrator
        cls.hq_admin_rights = new_test_user(
            cls.env, login="t_hq_admin_rights", groups="store_pos_ext.group_hq_admin,base.group_erp_manager"
        )
        cls.weight = cls.company.score_weight_sales

    def _open(self, user):
        """Load the chain's settings action as ``user``'s web client: the form, then its values."""
        action = (
            self.env["ir.actions.actions"]
            .with_user(user)
            ._for_xml_id("store_pos_ext.res_config_settings_action")
        )
        self.assertEqual(action["res_model"], "res.config.settings")
        Settings = self.env["res.config.settings"].with_user(user).with_context(module="store_pos_ext")
        views = Settings.get_views([(False, "form")])
        fields = views["models"]["res.config.settings"]["fields"]
        values = Settings.onchange({}, [], {fname: {} for fname in fields})["value"]
        return Settings, views["views"]["form"]["arch"], fields, values

    def test_hq_admin_opens_and_saves_the_chain_settings(self):
        for user in (self.hq_admin, self.hq_admin_rights):
            with self.subTest(user=user.login):
                self.assertFalse(user.has_group("base.group_system"))
                menu = self.env.ref("store_pos_ext.menu_store_settings")
                self.assertIn(menu.id, self.env["ir.ui.menu"].with_user(user)._visible_menu_ids())
                Settings, arch, fields, values = self._open(user)
                self.assertIn('name="score_weight_sales"', arch)
                self.assertNotIn("general_settings", arch, "other apps are not shown")
                self.assertLessEqual(
                    fields.keys(), Settings._store_chain_settings_fields() | {"id", "display_name"}
                )
                self.assertEqual(values["score_weight_sales"], self.company.score_weight_sales)
                # the settings form's Save: web_save of the new record, then execute
                saved = Settings.web_save({"score_weight_sales": 55, "training_months": 4}, {})
                action = Settings.browse(saved[0]["id"]).execute()
                self.assertEqual(action["tag"], "reload")
                self.assertEqual((self.company.score_weight_sales, self.company.training_months), (55, 4))
                self.company.score_weight_sales = self.weight

    def test_hq_admin_reaches_no_other_setting(self):
        Settings = self.env["res.config.settings"].with_user(self.hq_admin)
        others = [
            fname
            for fname in (
                "company_id",
                "module_base_import",
                "auth_signup_reset_password",
                "recaptcha_private_key",
            )
            if fname in Settings._fields
        ]
        self.assertIn("module_base_import", others)
        for fname in others:
            with self.subTest(fname=fname), self.assertRaises(AccessError):
                Settings.create({fname: Settings._fields[fname].convert_to_write(False, Settings)})
        settings = Settings.create({"score_weight_orders": 7})
        for fname in others:
            with self.subTest(read=fname), self.assertRaises(AccessError):
                settings.read([fname])
        chain = Settings._store_chain_settings_fields()
        self.assertLessEqual(Settings.default_get(list(Settings._fields)).keys(), chain | {"company_id"})
        self.assertLessEqual(Settings.get_values().keys(), chain)
        if hasattr(Settings, "reload_template"):  # account: reloads the chart of accounts
            with self.assertRaises(AccessError):
                settings.reload_template()
        # the company itself stays closed to them: only the chain's settings go through
        with self.assertRaises(AccessError):
            self.company.with_user(self.hq_admin).write({"score_weight_sales": 1})
        self.assertEqual(self.company.score_weight_orders, 7)

    def test_store_staff_cannot_open_the_settings(self):
        menu = self.env.ref("store_pos_ext.menu_store_settings")
        for user in (self.manager_a, self.cashier_a, self.region_mgr, self.analyst):
            with self.subTest(user=user.login):
                self.assertNotIn(menu.id, self.env["ir.ui.menu"].with_user(user)._visible_menu_ids())
                Settings = self.env["res.config.settings"].with_user(user)
                with self.assertRaises(AccessError):
                    Settings.get_views([(False, "form")])
                with self.assertRaises(AccessError):
                    Settings.onchange({}, [], {"score_weight_sales": {}})
                with self.assertRaises(AccessError):
                    Settings.create({"score_weight_sales": 99})
                with self.assertRaises(AccessError):
                    self.env["res.config.settings"].create({}).with_user(user).execute()
        self.assertEqual(self.company.score_weight_sales, self.weight)

    def test_settings_admin_keeps_every_app(self):
        admin = self.env.ref("base.user_admin")
        self.assertTrue(admin.has_group("base.group_system"))
        Settings = self.env["res.config.settings"].with_user(admin)
        arch = Settings.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn("general_settings", arch)
        self.assertIn('name="score_weight_sales"', arch)
        Settings.create({"score_weight_sales": 41}).execute()
        self.assertEqual(admin.company_id.score_weight_sales, 41)
