"""When the demo chain's tills are busy (demo data only): a moment of a day, drawn from a store's
trading hours with the peaks of a Chinese supermarket (lunch 11-13, after work 17-20)."""

from datetime import datetime

import pytz

# Weight of each opening hour (local time) in a day's sales.
HOUR_WEIGHTS = {
    8: 2, 9: 3, 10: 4, 11: 8, 12: 10, 13: 7, 14: 4, 15: 4, 16: 5, 17: 8, 18: 10, 19: 9, 20: 6, 21: 2,
}  # fmt: skip
HOURS = list(HOUR_WEIGHTS)
WEIGHTS = list(HOUR_WEIGHTS.values())


def demo_moment(rng, day, tz_name):
    """A naive UTC datetime on ``day`` (a date, local to ``tz_name``) at a busy hour."""
    hour = rng.choices(HOURS, WEIGHTS)[0]
    local = datetime(day.year, day.month, day.day, hour, rng.randint(0, 59), rng.randint(0, 59))
    return pytz.timezone(tz_name or "Asia/Shanghai").localize(local).astimezone(pytz.utc).replace(tzinfo=None)


def demo_local(day, hour, minute, tz_name):
    """``day`` at ``hour``:``minute`` local to ``tz_name``, as a naive UTC datetime."""
    local = datetime(day.year, day.month, day.day, hour, minute)
    return pytz.timezone(tz_name or "Asia/Shanghai").localize(local).astimezone(pytz.utc).replace(tzinfo=None)
