from datetime import datetime, timedelta

import pytz

from odoo import fields
from odoo.tests import tagged

from .common import PromoCommon

TZ = pytz.timezone("Asia/Shanghai")  # the test stores' timezone


def _utc(local):
    """Naive UTC of a naive store-time datetime."""
    return TZ.localize(local).astimezone(pytz.utc).replace(tzinfo=None)


@tagged("post_install", "-at_install")
class TestOrderDate(PromoCommon):
    """The till sends the order's date: promotion days and hours are judged on the server's time
    of receipt unless that date lies inside the order's open session and not in the future."""

    def setUp(self):
        super().setUp()
        self.session = self._session(self.store_a)
        if not self.session.start_at:  # opened by the cashier a minute ago
            self.session.start_at = fields.Datetime.now() - timedelta(minutes=1)

    def _flash(self, local_hour):
        """A 限时折扣 (20% off) for the hour starting at ``local_hour`` (store time), every day."""
        return self._promo("flash", percent=20, hour_from=local_hour, hour_to=local_hour + 1)

    def _sell_at(self, promo, date, discount=24):
        data = self._order_data(self.store_a, [(self.cake, 4, 30.0), self._promo_line(promo, discount)])
        data["date_order"] = fields.Datetime.to_string(date)
        return self._sync(data, user=self.cashier_a)

    def _assert_flagged_and_uncounted(self, order, promo, text):
        self.assertEqual(order.state, "paid", "the sale is kept")
        self.assertEqual(order.store_promo_state, "flagged")
        self.assertIn(text, order.store_promo_issue)
        self.assertEqual((promo.spent, promo.order_count), (0, 0), "a flagged order moves no budget")

    def test_out_of_hours_offer_with_a_made_up_date(self):
        now_local = datetime.now(pytz.utc).astimezone(TZ).replace(tzinfo=None)
        # An hour of offer three hours away from now: later today (a date in the future) or,
        # past midnight, earlier today (before the session opened). Never now.
        hour = (now_local.hour + 3) % 24
        promo = self._flash(hour)
        made_up = _utc(now_local.replace(hour=hour, minute=30, second=0, microsecond=0))
        order = self._sell_at(promo, made_up)
        self._assert_flagged_and_uncounted(order, promo, "outside its days or hours")
        self.assertIn("promotion hours are judged at the time of receipt", order.store_promo_issue)

    def test_order_dated_in_the_future(self):
        promo = self._promo("threshold")
        order = self._sell_at(promo, fields.Datetime.now() + timedelta(days=1), discount=30)
        self._assert_flagged_and_uncounted(order, promo, "later than the server received it")

    def test_order_dated_before_its_session_opened(self):
        promo = self._promo("threshold")
        order = self._sell_at(promo, self.session.start_at - timedelta(hours=2), discount=30)
        self._assert_flagged_and_uncounted(order, promo, "before its session opened")

    def test_offline_order_is_judged_at_its_date_inside_the_session(self):
        """A till offline for hours syncs later: its date inside the open session is believed."""
        rung_up = fields.Datetime.now() - timedelta(hours=4)
        self.session.start_at = rung_up - timedelta(hours=2)
        local = pytz.utc.localize(rung_up).astimezone(TZ)
        promo = self._flash(local.hour)  # the offer was on when the order was rung up, not now
        order = self._sell_at(promo, rung_up)
        self.assertEqual(order.store_promo_state, "ok", order.store_promo_issue)
        self.assertEqual((promo.spent, promo.order_count), (24, 1))
