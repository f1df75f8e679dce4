from odoo import http
from odoo.http import request

from odoo.addons.point_of_sale.controllers.main import PosController


class StorePosController(PosController):
    @http.route()
    def pos_web(self, config_id=False, from_backend=False, subpath=None, **k):
        """Core opens any POS by id for any internal user (it reads the config as superuser) and
        answers with its session and access token. The POS of a store opens only for a user who
        may read that config (the record rules: their own stores, or HQ); a POS without a store
        keeps core's behaviour."""
        if config_id and str(config_id).isdigit():
            config = request.env["pos.config"].sudo().browse(int(config_id)).exists()
            if config.store_id and not config.with_env(request.env).has_access("read"):
                return request.redirect("/odoo/action-point_of_sale.action_client_pos_menu")
        return super().pos_web(config_id, from_backend=from_backend, subpath=subpath, **k)
