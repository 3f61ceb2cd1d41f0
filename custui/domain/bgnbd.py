"""Who is slipping away: the BG/NBD "buy till you die" model (Fader, Hardie and Lee 2005).

Each customer buys at a Poisson rate λ ~ Gamma(r, α) while alive and, after each
purchase, drops out with probability p ~ Beta(a, b). Per customer the model reads:
- frequency x: the number of distinct purchase days after the first;
- recency t_x: time from the first purchase to the last;
- age T: time from the first purchase to the end of the observation.
Time is in weeks here (days / 7), as in the paper. `fit` maximises the likelihood
(paper eq. 6) with scipy; `p_alive` is eq. 13 and `expected_purchases` eq. 10.
Pure: arrays in, numbers out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

# scipy is imported inside the functions that need it: importing it costs about 0.8 s, which
# every launch would pay before the first screen, while a fit runs later in a worker.

DAYS_PER_WEEK = 7.0


@dataclass(frozen=True)
class Params:
    r: float
    alpha: float
    a: float
    b: float


@dataclass(frozen=True)
class Summary:
    """Aligned arrays: customer id, frequency, recency and age (weeks)."""

    ids: np.ndarray
    x: np.ndarray
    t_x: np.ndarray
    T: np.ndarray

    @property
    def repeat_customers(self) -> int:
        return int(np.count_nonzero(self.x))


def summarize(order_days: Iterable[tuple[int, tuple[int, ...]]], today: int) -> Summary:
    """From (customer id, ascending order-day ordinals) the model's (x, t_x, T) as of day
    `today` (an ordinal; orders after it are ignored, customers who had not bought are left out)."""
    ids: list[int] = []
    xs: list[int] = []
    recency: list[int] = []
    ages: list[int] = []
    for cid, days in order_days:
        if not days or days[0] > today:
            continue
        if days[-1] > today:
            days = tuple(d for d in days if d <= today)
        distinct = len(set(days)) if len(days) > 1 else 1
        ids.append(cid)
        xs.append(distinct - 1)
        recency.append(days[-1] - days[0])
        ages.append(today - days[0])
    return Summary(
        np.asarray(ids, dtype=np.int64),
        np.asarray(xs, dtype=np.float64),
        np.asarray(recency, dtype=np.float64) / DAYS_PER_WEEK,
        np.asarray(ages, dtype=np.float64) / DAYS_PER_WEEK,
    )


def _negative_log_likelihood(params: np.ndarray, x: np.ndarray, t_x: np.ndarray, T: np.ndarray,
                             weight: np.ndarray, repeat: np.ndarray, counts: tuple[np.ndarray, np.ndarray]
                             ) -> tuple[float, np.ndarray]:
    """Minus the mean log-likelihood (paper eq. 6) and its gradient in log-parameters.

    The special functions depend on x alone, which takes few values: they are computed once
    per distinct x (`counts` = distinct values, each row's index into them) and gathered."""
    from scipy.special import digamma, gammaln
    r, alpha, a, b = np.exp(params)
    ux, index = counts
    log_alpha_T = np.log(alpha + T)
    log_alpha_tx = np.log(alpha + t_x)
    # ln Γ(r+x) - ln Γ(r) + ln B(a, b+x) - ln B(a, b), per distinct x
    lead = (gammaln(r + ux) - gammaln(r) + gammaln(b + ux) - gammaln(b)
            - gammaln(a + b + ux) + gammaln(a + b))[index]
    a3 = -(r + x) * log_alpha_T
    a4 = np.full_like(x, -np.inf)
    a4[repeat] = np.log(a) - np.log(b + x[repeat] - 1) - (r + x[repeat]) * log_alpha_tx[repeat]
    mix = np.logaddexp(a3, a4)
    w3, w4 = np.exp(a3 - mix), np.exp(a4 - mix)
    total = weight.sum()
    value = -float(np.dot(weight, lead + r * np.log(alpha) + mix)) / total
    psi_ab = digamma(a + b)
    psi_abx = digamma(a + b + ux)[index]
    b_minus = np.where(repeat, b + x - 1, 1.0)
    d_r = (digamma(r + ux) - digamma(r))[index] + np.log(alpha) - w3 * log_alpha_T - w4 * log_alpha_tx
    d_alpha = r / alpha - w3 * (r + x) / (alpha + T) - w4 * (r + x) / (alpha + t_x)
    d_a = psi_ab - psi_abx + w4 / a
    d_b = (digamma(b + ux) - digamma(b))[index] - psi_abx + psi_ab - w4 / b_minus
    grad = np.array([np.dot(weight, d) for d in (d_r, d_alpha, d_a, d_b)]) * np.array([r, alpha, a, b])
    return value, -grad / total


def _grouped(x: np.ndarray, t_x: np.ndarray, T: np.ndarray) -> tuple[np.ndarray, ...]:
    """Identical (x, t_x, T) rows folded into one with a weight (many at daily resolution)."""
    rows = np.stack([x, t_x, T], axis=1)
    unique, counts = np.unique(rows, axis=0, return_counts=True)
    return unique[:, 0], unique[:, 1], unique[:, 2], counts.astype(np.float64)


def fit(x: np.ndarray, t_x: np.ndarray, T: np.ndarray, start: Params | None = None) -> Params:
    """Maximum-likelihood r, α, a, b (ValueError when there is nothing to fit); `start` (a
    previous fit) makes a refit on slightly changed data quicker."""
    from scipy.optimize import minimize
    if len(x) == 0 or not np.any(np.asarray(x) > 0):
        raise ValueError("no repeat purchases to fit")
    gx, gt, gT, weight = _grouped(np.asarray(x, float), np.asarray(t_x, float), np.asarray(T, float))
    repeat = gx > 0
    counts = np.unique(gx, return_inverse=True)
    if start is None:
        guess = np.log(np.array([1.0, max(float(np.average(gT, weights=weight)), 1e-3), 1.0, 1.0]))
    else:
        guess = np.log(np.array([start.r, start.alpha, start.a, start.b]))
    result = minimize(_negative_log_likelihood, guess, args=(gx, gt, gT, weight, repeat, counts), jac=True,
                      method="L-BFGS-B", bounds=[(-12.0, 12.0)] * 4,
                      options={"maxiter": 300, "ftol": 1e-11, "gtol": 1e-7})
    r, alpha, a, b = np.exp(result.x)
    return Params(float(r), float(alpha), float(a), float(b))


def p_alive(params: Params, x: np.ndarray, t_x: np.ndarray, T: np.ndarray) -> np.ndarray:
    """P(still a customer at T | x, t_x): 1 for customers who never bought again (the model's view)."""
    r, alpha, a, b = params.r, params.alpha, params.a, params.b
    x = np.asarray(x, float)
    out = np.ones_like(x)
    repeat = x > 0
    xr = x[repeat]
    log_ratio = np.log(a) - np.log(b + xr - 1) + (r + xr) * (
        np.log(alpha + np.asarray(T, float)[repeat]) - np.log(alpha + np.asarray(t_x, float)[repeat]))
    out[repeat] = 1.0 / (1.0 + np.exp(log_ratio))
    return out


def expected_purchases(params: Params, t: float, x: np.ndarray, t_x: np.ndarray, T: np.ndarray) -> np.ndarray:
    """Expected number of purchases in the next `t` weeks (paper eq. 10)."""
    from scipy.special import hyp2f1
    r, alpha, a, b = params.r, params.alpha, params.a, params.b
    x = np.asarray(x, float)
    T = np.asarray(T, float)
    hyper: np.ndarray = hyp2f1(r + x, b + x, a + b + x - 1, t / (alpha + T + t))
    first = (a + b + x - 1) / (a - 1) * (1 - ((alpha + T) / (alpha + T + t)) ** (r + x) * hyper)
    expected: np.ndarray = first * p_alive(params, x, t_x, T)
    return expected
