"""Daily demand forecast and replenishment quantity for one store x product (pure Python).

No Odoo, no numpy: ``bench/bench_forecast.py`` imports this file by its path and the model
``store.stock.replenishment`` (``models/store_stock_replenishment.py``) calls it on the series read
by one SQL aggregation.

The model (``fit``): Holt-Winters with a damped additive trend and a multiplicative weekly season,
the season indexed by calendar weekday (Monday = 0), fitted as a single pass of exponential
smoothing with fixed parameters (``DEFAULTS``, chosen on the bench's generated year):

    forecast f(t)  = (level + phi·trend) · season[weekday(t)]
    level'         = alpha · y / season + (1 - alpha) · (level + phi·trend)
    trend'         = beta · (level' - level) + (1 - beta) · phi · trend
    season'[wd]    = gamma · y / level' + (1 - gamma) · season[wd]      (indices renormalised to mean 1)

It starts from the first four weeks without promotion: the level is their mean, each weekday's
index its mean over that mean, shrunk towards 1 when the volume is small (few units make a noisy
ratio). A **promotion day** (``promo[t]`` true: see the model for what counts as one) does not
update the level, trend or season — it is treated as a missing observation, the state only moves
on by its trend — and its error is not counted in the demand variability; its ratio of sales to
the baseline forecast gives the product's promotion lift (median), which a caller may apply to
days it knows will be promotion days (the bench does). Series with fewer than ``MIN_DAYS`` days
without promotion fall back to the mean of those days, flat (``method == "mean"``).

Demand variability is the root mean square of the one-day-ahead errors on days without promotion
after the first two weeks; safety stock = z(service level) · sigma · sqrt(lead + review days)
(periodic review: the stock must cover the lead time and the days until the next review; with a
review period of 0 this is the textbook z · sigma · sqrt(lead time)).
"""

import math
from dataclasses import dataclass, field
from statistics import NormalDist

WEEK = 7
MIN_DAYS = 14  # days without promotion needed for the seasonal model
WARMUP = 14  # first days whose errors do not count in sigma
DEFAULTS = {"alpha": 0.08, "beta": 0.02, "gamma": 0.05, "phi": 0.9}


@dataclass
class Fitted:
    """The state after the last day of history, ready to forecast the following days."""

    level: float
    trend: float
    season: list
    next_weekday: int  # weekday of the first day to forecast (Monday = 0)
    sigma: float  # RMSE of one-day-ahead errors on days without promotion
    promo_lift: float  # median sales / baseline on promotion days (1.0 without any)
    method: str  # "holt_winters", "mean" (too little history) or "none" (no sales)
    phi: float = DEFAULTS["phi"]
    days: int = 0  # days of history read
    promo_days: int = 0  # of which promotion days
    one_step: list = field(default_factory=list)  # one-day-ahead baseline forecast of each day

    def forecast(self, horizon, promo=None):
        """Forecast of each of the next ``horizon`` days (≥ 0); ``promo[h]`` true multiplies that
        day's baseline by the promotion lift."""
        out, damp, cum = [], 1.0, 0.0
        for h in range(horizon):
            damp *= self.phi
            cum += damp
            value = (self.level + cum * self.trend) * self.season[(self.next_weekday + h) % WEEK]
            if promo and promo[h]:
                value *= self.promo_lift
            out.append(max(value, 0.0))
        return out


def _initial_state(y, promo, first_weekday):
    """Level and weekday indices from the first four weeks without promotion (all of them if
    fewer), shrunk towards a flat week when the volume is small."""
    sums, counts = [0.0] * WEEK, [0] * WEEK
    taken = 0
    for t, value in enumerate(y):
        if promo[t]:
            continue
        wd = (first_weekday + t) % WEEK
        sums[wd] += value
        counts[wd] += 1
        taken += 1
        if taken >= 4 * WEEK:
            break
    level = sum(sums) / taken if taken else 0.0
    season = []
    for wd in range(WEEK):
        if not counts[wd] or level <= 0:
            season.append(1.0)
            continue
        raw = sums[wd] / counts[wd] / level
        volume = sums[wd]  # units behind the ratio: 2 units weigh half
        weight = volume / (volume + 2.0)
        season.append(weight * raw + (1.0 - weight))
    return level, _normalised(season)


def _normalised(season):
    mean = sum(season) / WEEK
    return [s / mean for s in season] if mean > 0 else [1.0] * WEEK


def fit(y, promo=None, first_weekday=0, alpha=None, beta=None, gamma=None, phi=None):
    """Fit the daily series ``y`` (oldest first; ``first_weekday``: weekday of ``y[0]``, Monday = 0)
    with ``promo`` flags (same length, optional). Returns a ``Fitted``."""
    alpha = DEFAULTS["alpha"] if alpha is None else alpha
    beta = DEFAULTS["beta"] if beta is None else beta
    gamma = DEFAULTS["gamma"] if gamma is None else gamma
    phi = DEFAULTS["phi"] if phi is None else phi
    y = [max(float(v), 0.0) for v in y]
    n = len(y)
    promo = list(promo) if promo is not None else [False] * n
    if len(promo) != n:
        raise ValueError("promo flags and sales differ in length")
    next_weekday = (first_weekday + n) % WEEK
    clean = [v for v, p in zip(y, promo, strict=True) if not p]
    npromo = n - len(clean)
    if not any(y):
        return Fitted(0.0, 0.0, [1.0] * WEEK, next_weekday, 0.0, 1.0, "none", phi, n, npromo, [0.0] * n)
    if len(clean) < MIN_DAYS:
        base = clean or y  # only promotion days: their mean is all there is
        mean = sum(base) / len(base)
        sigma = math.sqrt(sum((v - mean) ** 2 for v in base) / len(base))
        return Fitted(mean, 0.0, [1.0] * WEEK, next_weekday, sigma, 1.0, "mean", phi, n, npromo, [mean] * n)

    level, season = _initial_state(y, promo, first_weekday)
    trend = 0.0
    sq_err, n_err, lifts, one_step = 0.0, 0, [], []
    for t, value in enumerate(y):
        wd = (first_weekday + t) % WEEK
        base = max(level + phi * trend, 0.0)
        predicted = base * season[wd]
        one_step.append(predicted)
        if promo[t]:
            if predicted > 0:
                lifts.append(value / predicted)
            level, trend = base, phi * trend
            continue
        if t >= WARMUP:
            sq_err += (value - predicted) ** 2
            n_err += 1
        new_level = alpha * value / season[wd] + (1.0 - alpha) * base
        trend = beta * (new_level - level) + (1.0 - beta) * phi * trend
        level = max(new_level, 0.0)
        if level > 1e-9:
            season[wd] = gamma * value / level + (1.0 - gamma) * season[wd]
        if wd == (first_weekday + WEEK - 1) % WEEK:
            season = _normalised(season)
    sigma = math.sqrt(sq_err / n_err) if n_err else 0.0
    lifts.sort()
    lift = lifts[len(lifts) // 2] if lifts else 1.0
    return Fitted(level, trend, season, next_weekday, sigma, lift, "holt_winters", phi, n, npromo, one_step)


def safety_stock(sigma, lead_days, review_days, service_level):
    """z(service level) · sigma · sqrt(lead + review days)."""
    if not 0.5 <= service_level < 1.0:
        raise ValueError("service level must be in [0.5, 1)")
    z = NormalDist().inv_cdf(service_level)
    return z * sigma * math.sqrt(max(lead_days + review_days, 0))


def suggested_quantity(forecast_qty, safety, on_hand, incoming):
    """What to order: demand over lead + review days + safety stock - on hand - incoming,
    rounded up to a whole unit, never below 0."""
    need = forecast_qty + safety - on_hand - incoming
    return max(math.ceil(round(need, 6)), 0)  # round first: 60.000000001 is 60, not 61
