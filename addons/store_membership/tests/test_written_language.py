from odoo import fields
from odoo.tests import tagged

from .common import MemberCommon


@tagged("post_install", "-at_install")
class TestWrittenLanguage(MemberCommon):
    """A Chinese chain (company and member in zh_CN) with an English-speaking cashier and crons,
    which run as OdooBot in English: the ledger and the chatter are written in Chinese."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env.company.partner_id.lang = "zh_CN"
        cls.member.lang = "zh_CN"
        cls.cashier_a.lang = "en_US"
        cls.env = cls.env(context={**cls.env.context, "lang": "en_US"})

    def test_topup_bonus_reason_in_the_companys_language(self):
        data = self._order_data(self.store_a, [(self.topup_product, 1, 500.0)], partner=self.member)
        self._sync(data, user=self.cashier_a)
        card = self._card(self.member, "stored_value")
        bonus = card.history_ids.filtered(lambda h: h.kind == "bonus")
        self.assertEqual(bonus.amount, 150)
        self.assertTrue(bonus.reason.startswith("充值赠送：充 "), bonus.reason)
        self.assertEqual(bonus.description, bonus.reason)
        # money as money: ¥ 500 and ¥ 150, not 500.0 → 150.0
        self.assertNotIn(".0", bonus.reason)
        self.assertIn("500", bonus.reason)
        self.assertIn("150", bonus.reason)
        topup = card.history_ids.filtered(lambda h: h.kind == "topup")
        self.assertEqual(topup.description, "充值", "a line without a reason is described by its kind")

    def test_points_expiry_reason_in_the_companys_language(self):
        card = self._card(self.member)
        card._store_credit("earn", 100, store=self.store_a, expire_date="2020-01-31")
        self.env["loyalty.card"]._cron_store_expire_points()
        expire = card.history_ids.filtered(lambda h: h.kind == "expire")
        self.assertTrue(expire.reason.startswith("积分于 "), expire.reason)
        self.assertTrue(expire.reason.endswith(" 过期"), expire.reason)

    def test_points_reminder_in_the_members_language(self):
        card = self._card(self.member)
        soon = fields.Date.add(fields.Date.today(), days=10)
        card._store_credit("earn", 80, store=self.store_a, expire_date=soon)
        self.env["loyalty.card"]._cron_store_points_reminder()
        body = str(self.member.message_ids[:1].body)
        self.assertIn("您有 80 积分将于", body)
        self.assertIn("欢迎到任一门店使用", body)
