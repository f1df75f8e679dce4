from datetime import datetime, timedelta

import pytz

from odoo.tests import HttpCase, tagged

from odoo.addons.store_pos_ext.tests.common import StoreCommon

from .test_dashboard_views import add_sales_facts


@tagged("post_install", "-at_install")
class TestDashboardTour(StoreCommon, HttpCase):
    """An HQ analyst opens the HQ dashboard from its menu entry in Chromium, on a desktop and on a
    390 px phone, and its orders scorecard shows the orders of the last 30 days; then the KPI board
    (指标看板) shows them in its orders card with their definition
    (static/tests/tours/store_dashboard_tour.js)."""

    def test_hq_dashboard_on_desktop_and_phone(self):
        # the browser's today (the spreadsheet's last 30 days) and the day before
        today = datetime.now(pytz.utc).date()
        add_sales_facts(
            self.env,
            self.store_a,
            [
                (today, 11, {"order_count": 7, "revenue": 700.0, "member_order_count": 2}),
                (today - timedelta(days=1), 18, {"order_count": 5, "revenue": 250.0}),
            ],
        )
        self.env["res.lang"]._activate_lang("en_US")
        self.analyst.lang = "en_US"  # the tour reads the dashboard's English name
        url = "/odoo/action-store_dashboard.spreadsheet_dashboard_hq_action"
        self.start_tour(url, "store_dashboard_hq", login=self.analyst.login)
        self.browser_size, self.touch_enabled = "390x844", True
        self.start_tour(url, "store_dashboard_hq", login=self.analyst.login)
