import json

from odoo import Command
from odoo.tests import HttpCase, tagged

from .test_checklist import make_template, png


@tagged("post_install", "-at_install")
class TestChecklistOnPhone(HttpCase):
    """The mobile checklist in the web client and the session-close gate, as the cashier's browser
    and RPC calls do them."""

    browser_size = "375x667"
    touch_enabled = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.store = cls.env["store.store"].create(
            {"name": "手机测试店", "code": "PHONE", "tz": "Asia/Shanghai"}
        )
        cls.store.require_closing_checklist = True
        cls.cashier = cls.env["res.users"].create(
            {
                "name": "手机收银员",
                "login": "phone_cashier",
                "password": "phone_cashier",
                "group_ids": [Command.set([cls.env.ref("store_pos_ext.group_store_user").id])],
                "store_ids": [Command.set(cls.store.ids)],
            }
        )
        cls.template = make_template(cls.env, "手机巡检", cls.store, schedule="closing")
        cls.checklist = cls.env["store.checklist"]._generate(cls.template, stores=cls.store)

    def rpc(self, model, method, *args):
        response = self.url_open(
            "/web/dataset/call_kw",
            data=json.dumps({"params": {"model": model, "method": method, "args": list(args), "kwargs": {}}}),
            headers={"Content-Type": "application/json"},
        )
        return response.json()

    def test_fill_on_phone_then_close_the_session(self):
        self.start_tour(
            "/odoo/action-store_pos_ext.store_checklist_action",
            "store_checklist_mobile",
            login="phone_cashier",
        )
        lines = self.checklist.line_ids
        self.assertTrue(lines.filtered(lambda line: line.kind == "check").value_check)
        self.assertEqual(lines.filtered(lambda line: line.kind == "number").value_number, 4.5)
        self.assertEqual(self.checklist.state, "open")

        # The cashier's till: the session does not close while the closing checklist is open.
        config = self.store.pos_config_ids
        config.with_user(self.cashier).open_ui()
        session = config.current_session_id
        self.authenticate("phone_cashier", "phone_cashier")
        result = self.rpc("pos.session", "close_session_from_ui", [session.id])["result"]
        self.assertFalse(result["successful"])
        self.assertIn("手机巡检", result["message"])

        photo = lines.filtered(lambda line: line.kind == "photo")
        answer = self.rpc("store.checklist.line", "write", [photo.id], {"photo": png().decode()})
        self.assertTrue(answer.get("result"), answer)
        answer = self.rpc("store.checklist", "action_done", [self.checklist.id])
        self.assertTrue(answer.get("result"), answer)
        self.rpc("pos.session", "post_closing_cash_details", [session.id], 0)
        result = self.rpc("pos.session", "close_session_from_ui", [session.id])["result"]
        self.assertTrue(result["successful"], result)
        self.assertEqual(session.state, "closed")
