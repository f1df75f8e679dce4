from odoo.tests import tagged

from .test_checklist import ChecklistCommon


@tagged("post_install", "-at_install")
class TestFollowersIsolation(ChecklistCommon):
    """Core lets every internal user read every follower row: a store user sees those of the
    records of their stores only."""

    def test_followers_of_another_stores_records_are_hidden(self):
        checklist_a, checklist_b = self._checklist(self.store_a), self._checklist(self.store_b)
        watcher = self.env["res.partner"].create({"name": "关注者", "email": "watcher@example.cn"})
        (checklist_a | checklist_b).message_subscribe(partner_ids=watcher.ids)
        domain = [("res_model", "=", "store.checklist"), ("partner_id", "=", watcher.id)]
        Followers = self.env["mail.followers"]
        rows = Followers.with_user(self.manager_a).search_read(domain, ["res_id", "email"])
        self.assertEqual([row["res_id"] for row in rows], checklist_a.ids)
        self.assertEqual(Followers.with_user(self.manager_b).search(domain).mapped("res_id"), checklist_b.ids)
        self.assertEqual(len(Followers.with_user(self.analyst).search(domain)), 2, "HQ sees all")
        # Followers of records of models without store rules (a partner) stay visible.
        watcher.message_subscribe(partner_ids=watcher.ids)
        self.assertTrue(
            Followers.with_user(self.manager_a).search(
                [("res_model", "=", "res.partner"), ("res_id", "=", watcher.id)]
            )
        )
