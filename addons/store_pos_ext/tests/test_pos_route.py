from odoo.tests import HttpCase, tagged

from .common import StoreCommon


@tagged("post_install", "-at_install")
class TestPosRoute(StoreCommon, HttpCase):
    """``/pos/ui/<config>`` opens the POS of a store only for that store's staff (and HQ)."""

    def test_a_cashier_cannot_open_another_stores_pos(self):
        config_b = self.store_b.pos_config_ids[:1]
        self.authenticate(self.cashier_a.login, self.cashier_a.login)
        response = self.url_open(f"/pos/ui/{config_b.id}", allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        self.assertNotIn(config_b.access_token, response.text)
        self.assertFalse(config_b.current_session_id, "no session was opened for them")

    def test_a_cashier_opens_their_own_stores_pos(self):
        config_a = self.store_a.pos_config_ids[:1]
        self.authenticate(self.cashier_a.login, self.cashier_a.login)
        response = self.url_open(f"/pos/ui/{config_a.id}", allow_redirects=False)
        self.assertEqual(response.status_code, 200)
        self.assertIn(config_a.access_token, response.text)
