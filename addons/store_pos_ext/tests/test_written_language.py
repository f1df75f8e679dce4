from freezegun import freeze_time

from odoo.tests import tagged

from .test_checklist import ChecklistCommon, png


class WrittenLanguageCommon(ChecklistCommon):
    """A Chinese chain (company and store manager in zh_CN) run by an English-speaking HQ admin and
    by crons, which run as OdooBot in English: what the server writes for people is in the
    recipient's language, or the company's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env.company.partner_id.lang = "zh_CN"
        cls.manager_a.lang = "zh_CN"
        cls.hq_admin.lang = "en_US"
        # as a cron runs: the superuser, in English
        cls.env = cls.env(context={**cls.env.context, "lang": "en_US"})


@tagged("post_install", "-at_install")
class TestWrittenLanguage(WrittenLanguageCommon):
    def test_overdue_activity_in_the_managers_language(self):
        checklist = self._checklist()
        with freeze_time("2026-03-02 03:00:00"):
            self.env["store.checklist"]._cron_check_overdue()
        activity = checklist.activity_ids
        self.assertEqual(activity.user_id, self.manager_a)
        self.assertEqual(activity.summary, f"检查清单逾期：{checklist.name}")
        # the due time in the manager's time zone and language, not a UTC timestamp
        self.assertIn("截止时间为", str(activity.note))
        self.assertNotIn("2026-03-02 02:00:00", str(activity.note))

    def test_rejection_in_chinese_whatever_hq_speaks(self):
        checklist = self._checklist()
        self._fill(checklist)
        checklist.with_user(self.cashier_a).action_done()
        photo = checklist.line_ids.filtered(lambda line: line.kind == "photo")
        photo.review_comment = "太暗"
        photo.with_user(self.hq_admin).with_context(lang="en_US").action_reject()
        # chatter: the company's language; the manager's to-do: theirs
        self.assertIn("总部驳回了照片", str(checklist.message_ids[0].body))
        self.assertEqual(checklist.activity_ids.summary, f"重拍被驳回的照片：{checklist.name}")
        photo.with_user(self.cashier_a).photo = png(50, 50)
        checklist.with_user(self.cashier_a).with_context(lang="en_US").action_done()
        self.assertIn("检查清单已完成", str(checklist.message_ids[0].body))

    def test_cron_made_checklists_are_named_in_the_companys_language(self):
        self.template.update_field_translations("name", {"en_US": "Cold chain", "zh_CN": "冷链检查"})
        checklist = self._checklist()  # generated in English, as the daily cron runs
        self.assertTrue(checklist.name.startswith("冷链检查 "), checklist.name)
