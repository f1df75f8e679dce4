"""Back-test of the replenishment forecast (addons/store_stock/tools/forecast.py) on a generated year.

Run: ``python3 bench/bench_forecast.py`` (no Odoo, no database; seconds). Prints the WAPE of our
forecast and of the naive "same weekday last week" forecast on the last 8 weeks, and the verdict
against the target (≥ 30 % lower error than naive).

The generator (seeded, ``random`` only): ``PRODUCTS`` products x 364 days (52 weeks, starting on a
Monday), each day's demand of a product being

    mean(t) = base · weekday[t % 7] · (1 + trend · t / 364) · (1 + 0.1 · sin(2π t / 364 + phase))
              · (lift if t is a promotion day else 1)
    sales(t) ~ negative binomial(mean(t), dispersion k)  (a Poisson whose mean is Gamma(k, mean/k))

- base: log-uniform between 0.5 and 60 units a day (slow movers to best sellers);
- weekday: a retail week, Monday..Sunday 0.85 0.8 0.85 0.9 1.05 1.35 1.25, each multiplied by a
  product's own factor in [0.85, 1.15], normalised to mean 1;
- trend: uniform in [-30 %, +40 %] over the year; a mild yearly wave (±10 %, random phase);
- promotions: runs of 2-4 days starting on about 3 % of days (≈ 9 % of days promoted), each run
  with its lift uniform in [1.4, 2.4]; the days are flagged, as a store's promotion days are (an
  order with a promotion counted); promotions are planned, so the forecast knows the future ones;
- noise: negative binomial with k = 8 (variance = mean + mean² / 8, more than Poisson).

Back-test: rolling origin over the last 56 days, parameters fixed (``forecast.DEFAULTS``), the state
updated with each day's actual once it is past. For each target day D, both forecasts use only
days before the origin: at horizon 1 the origin is D; at horizon 7 it is D - 6 (a week-ahead
order). Naive: sales of D - 7 (same weekday last week), available at both horizons. Ours:
the baseline forecast, times the product's estimated promotion lift when D is a promotion day.
WAPE = Σ |actual - forecast| / Σ actual over every product and day of the 8 weeks; also printed
for the days without promotion.
"""

import importlib.util
import math
import random
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
spec = importlib.util.spec_from_file_location(
    "store_forecast", HERE.parent / "addons" / "store_stock" / "tools" / "forecast.py"
)
forecast = importlib.util.module_from_spec(spec)
sys.modules["store_forecast"] = forecast
spec.loader.exec_module(forecast)

DAYS = 364
TEST_DAYS = 56
PRODUCTS = 200
SEED = 13
WEEKDAY = [0.85, 0.8, 0.85, 0.9, 1.05, 1.35, 1.25]
DISPERSION = 8.0


def poisson(rng, lam):
    if lam <= 0:
        return 0
    if lam > 50:
        return max(round(rng.gauss(lam, math.sqrt(lam))), 0)
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def generate(rng):
    """One product: (sales, promo flags)."""
    base = math.exp(rng.uniform(math.log(0.5), math.log(60)))
    week = [w * rng.uniform(0.85, 1.15) for w in WEEKDAY]
    mean_w = sum(week) / 7
    week = [w / mean_w for w in week]
    trend = rng.uniform(-0.3, 0.4)
    phase = rng.uniform(0, 2 * math.pi)
    promo, lift = [False] * DAYS, [1.0] * DAYS
    t = 0
    while t < DAYS:
        if rng.random() < 0.03:
            run, run_lift = rng.randint(2, 4), rng.uniform(1.4, 2.4)
            for d in range(t, min(t + run, DAYS)):
                promo[d], lift[d] = True, run_lift
            t += run
        t += 1
    sales = []
    for t in range(DAYS):
        mean = (
            base * week[t % 7] * (1 + trend * t / DAYS) * (1 + 0.1 * math.sin(2 * math.pi * t / DAYS + phase))
        )
        mean *= lift[t]
        sales.append(poisson(rng, rng.gammavariate(DISPERSION, mean / DISPERSION)))
    return sales, promo


def backtest(sales, promo, horizon):
    """(target day, actual, ours, naive, promo) over the last TEST_DAYS days at ``horizon``."""
    rows = []
    first = DAYS - TEST_DAYS
    for target in range(first, DAYS):
        origin = target - horizon + 1  # forecasts use days < origin
        fitted = forecast.fit(sales[:origin], promo[:origin], first_weekday=0)
        ours = fitted.forecast(horizon, promo[origin : target + 1])[-1]
        rows.append((sales[target], ours, sales[target - 7], promo[target]))
    return rows


def wape(rows, which, only_plain=False):
    err = act = 0.0
    for actual, ours, naive, is_promo in rows:
        if only_plain and is_promo:
            continue
        err += abs(actual - (ours if which == "ours" else naive))
        act += actual
    return err / act


def main():
    start = time.time()
    rng = random.Random(SEED)
    series = [generate(rng) for _ in range(PRODUCTS)]
    print(
        f"Generated {PRODUCTS} products x {DAYS} days (seed {SEED}); "
        f"{sum(sum(p) for _s, p in series) / (PRODUCTS * DAYS):.1%} promotion days"
    )
    print(f"Back-test: rolling origin over the last {TEST_DAYS} days; WAPE = Σ|error| / Σ actual")
    verdict = True
    for horizon in (1, 7):
        rows = [row for sales, promo in series for row in backtest(sales, promo, horizon)]
        ours, naive = wape(rows, "ours"), wape(rows, "naive")
        ours_p, naive_p = wape(rows, "ours", True), wape(rows, "naive", True)
        gain = 1 - ours / naive
        print(
            f"  {horizon}-day ahead: ours {ours:.1%}  naive {naive:.1%}  → {gain:.0%} lower"
            f"   (days without promotion: ours {ours_p:.1%}, naive {naive_p:.1%}, "
            f"{1 - ours_p / naive_p:.0%} lower)"
        )
        verdict = verdict and gain >= 0.30
    print(
        f"Target ≥ 30 % lower WAPE than naive: {'MET' if verdict else 'NOT MET'} "
        f"({time.time() - start:.1f} s)"
    )
    return 0 if verdict else 1


if __name__ == "__main__":
    sys.exit(main())
