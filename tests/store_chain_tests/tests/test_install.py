from pathlib import Path

from odoo.tests import TransactionCase, tagged
from odoo.tools.safe_eval import datetime, dateutil, safe_eval, time

REPO = Path(__file__).resolve().parents[3]
OUR_ADDONS = sorted(p.parent.name for p in (REPO / "addons").glob("*/__manifest__.py"))


@tagged("post_install", "-at_install")
class TestInstall(TransactionCase):
    def test_every_addon_of_the_repo_is_installed(self):
        self.assertTrue(OUR_ADDONS)
        modules = self.env["ir.module.module"].search([("name", "in", OUR_ADDONS)])
        self.assertEqual({m.name: m.state for m in modules}, dict.fromkeys(OUR_ADDONS, "installed"))

    def test_every_window_action_context_is_one_the_web_client_can_read(self):
        """The web client evaluates an action's context itself, with the names a browser has (the
        user, the companies, the active record, dates): ``ref()`` exists only while a data file is
        loaded (``eval=``), and a context naming it broke its menu (客服 > 投诉)."""
        data = self.env["ir.model.data"].search(
            [("module", "in", OUR_ADDONS), ("model", "=", "ir.actions.act_window")]
        )
        actions = self.env["ir.actions.act_window"].browse(data.mapped("res_id")).exists()
        self.assertTrue(actions)
        names = {
            "uid": self.env.uid,
            "context": {},
            "allowed_company_ids": self.env.companies.ids,
            "current_company_id": self.env.company.id,
            "active_id": 1,
            "active_ids": [1],
            "active_model": "res.partner",
            "context_today": datetime.date.today,
            "datetime": datetime,
            "relativedelta": dateutil.relativedelta.relativedelta,
            "time": time,
        }
        for action in actions:
            with self.subTest(action=action.xml_id):
                self.assertIsInstance(safe_eval(action.context or "{}", dict(names)), dict)

    def _our_models(self):
        data = self.env["ir.model.data"].search([("module", "in", OUR_ADDONS), ("model", "=", "ir.model")])
        return (
            self.env["ir.model"]
            .browse(data.mapped("res_id"))
            .filtered(lambda m: not self.env[m.model]._abstract and not self.env[m.model]._transient)
        )

    def test_every_model_has_access_lines(self):
        models = self._our_models()
        self.assertIn("store.store", models.mapped("model"))
        for model in models:
            with self.subTest(model=model.model):
                self.assertTrue(model.access_ids, f"{model.model} has no ir.model.access line")

    def _hq_only(self, model_name):
        hq = self.env.ref("store_pos_ext.group_hq_analyst")
        access = self.env["ir.model.access"].search(
            [("model_id.model", "=", model_name), ("perm_read", "=", True)]
        )
        return bool(access) and all(hq in line.group_id.all_implied_ids for line in access)

    def test_every_store_scoped_model_has_the_rule_pair(self):
        """Every model with a store (the mixin, or a store_id field from our addons) is isolated:
        one rule for store-level users and one for HQ."""
        store_user = self.env.ref("store_pos_ext.group_store_user")
        hq = self.env.ref("store_pos_ext.group_hq_analyst")
        scoped = [
            name
            for name, model in self.env.registry.items()
            if not model._abstract
            # a wizard only HQ roles may open (they see every store) needs no store rule
            and not (model._transient and self._hq_only(name))
            and "store_id" in model._fields
            and model._fields["store_id"].comodel_name == "store.store"
            and model._fields["store_id"].store
            and model._table
            # people are assigned to stores, their records are not owned by one
            and name not in ("res.users", "hr.employee", "hr.employee.public")
        ]
        self.assertIn("pos.order", scoped)
        for name in scoped:
            with self.subTest(model=name):
                rules = self.env["ir.rule"].search([("model_id.model", "=", name)])
                self.assertTrue(rules.filtered(lambda r: store_user in r.groups), f"{name}: no store rule")
                self.assertTrue(rules.filtered(lambda r: hq in r.groups), f"{name}: no HQ rule")

    def test_chinese_is_shipped(self):
        menu = self.env.ref("store_pos_ext.menu_store_root")
        self.assertEqual(menu.with_context(lang="zh_CN").name, "连锁门店")
        field = self.env["ir.model.fields"]._get("store.store", "store_type")
        self.assertEqual(field.with_context(lang="zh_CN").field_description, "门店类型")

    def test_demo_chain_company_is_chinese_in_cny(self):
        chain = self.env.ref("store_pos_ext.company_chain_demo")
        self.assertEqual(chain.currency_id.name, "CNY")
        self.assertEqual(self.env.ref("store_pos_ext.store_shxh_demo").company_id, chain)
        self.assertEqual(chain.chart_template, "cn")
