"""Durations as distributions: the bill is the mean of the *billed* duration.

Lambda rounds every invocation up to its billing step (1 ms since December 2020), so a
function whose invocations take 0.2 ms and 1.8 ms (mean 1 ms) is billed 1 ms and 2 ms:
1.5 ms on average, not ``ceil(mean) = 1 ms``. When durations vary, pricing the mean
under-counts; these classes give the expectation of the billed duration instead.

Three ways to describe durations:

* :class:`Samples` -- per-invocation durations (e.g. parsed from REPORT lines); exact.
* :class:`Percentiles` -- a few percentiles (p50, p90, p99, ...); the quantile function is
  taken as linear between them and flat beyond the lowest and highest given (an
  assumption every result reports).
* :class:`Lognormal` -- a lognormal fitted to the mean and the p99 (or the p50 and p99).

Each has ``mean_ms`` and ``expected_billed_ms(granularity_ms, add_ms)``; ``add_ms`` is
added before rounding (INIT or SnapStart restore on a cold start). Percentiles and the
lognormal are integrated over :data:`QUANTILE_POINTS` evenly spaced probabilities with
the midpoint rule (error well under 0.01 ms for the fractional part), the mean exactly.

Examples
--------
>>> from lambdacost.distributions import Samples
>>> d = Samples([0.2, 1.8])
>>> print(d.mean_ms, d.expected_billed_ms())
1.0 1.5
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from .billing import billed_duration_ms
from .errors import InvalidParameterError
from .validation import check_numeric

__all__ = ["QUANTILE_POINTS", "DurationDistribution", "Lognormal", "Percentiles", "Samples", "norm_ppf"]

#: Probabilities used to integrate a quantile function (midpoint rule).
QUANTILE_POINTS = 200_000
#: Lambda's longest invocation (15 minutes): durations beyond it are cut there.
MAX_DURATION_MS = 900_000.0


def norm_ppf(p):
    """Inverse of the standard normal CDF (Acklam's rational approximation, rel. error < 1.2e-9).

    Examples
    --------
    >>> print(round(float(norm_ppf(0.99)), 6))
    2.326348
    """
    p = np.asarray(p, dtype=float)
    a = (
        -3.969683028665376e01,
        2.209460984245205e02,
        -2.759285104469687e02,
        1.383577518672690e02,
        -3.066479806614716e01,
        2.506628277459239e00,
    )
    b = (
        -5.447609879822406e01,
        1.615858368580409e02,
        -1.556989798598866e02,
        6.680131188771972e01,
        -1.328068155288572e01,
    )
    c = (
        -7.784894002430293e-03,
        -3.223964580411365e-01,
        -2.400758277161838e00,
        -2.549732539343734e00,
        4.374664141464968e00,
        2.938163982698783e00,
    )
    d = (7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e00, 3.754408661907416e00)
    low = 0.02425
    q = p - 0.5
    r = q * q
    central = (
        (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5])
        * q
        / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
    )
    t = np.sqrt(-2 * np.log(np.where(p < 0.5, p, 1 - p)))
    tail = (((((c[0] * t + c[1]) * t + c[2]) * t + c[3]) * t + c[4]) * t + c[5]) / (
        (((d[0] * t + d[1]) * t + d[2]) * t + d[3]) * t + 1
    )
    return np.where(np.minimum(p, 1 - p) < low, np.where(p < 0.5, tail, -tail), central)


def _grid() -> np.ndarray:
    return (np.arange(QUANTILE_POINTS) + 0.5) / QUANTILE_POINTS


class DurationDistribution:
    """Base class: a distribution of per-invocation durations. [ms]"""

    kind = "distribution"

    @property
    def mean_ms(self) -> float:
        """Mean duration. [ms]"""
        return float(np.mean(self._values()))

    def _values(self) -> np.ndarray:
        """Equally likely durations representing the distribution. [ms]"""
        raise NotImplementedError

    def expected_billed_ms(self, granularity_ms=1, add_ms=0.0) -> float:
        """Mean of ``ceil((duration + add_ms) / granularity) * granularity``. [ms]

        The exact mean plus the mean rounding ``ceil(x) - x`` over the representing
        values, so the mean is never lost to quadrature.
        """
        values = np.minimum(self._values() + add_ms, MAX_DURATION_MS)
        rounding = float(np.mean(billed_duration_ms(values, granularity_ms) - values))
        return min(self.mean_ms + add_ms, MAX_DURATION_MS) + rounding

    def to_dict(self) -> dict:
        raise NotImplementedError

    def describe(self) -> str:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.describe()})"


class Samples(DurationDistribution):
    """Per-invocation durations, each equally likely (for instance, every REPORT line).

    Parameters
    ----------
    durations_ms : array-like
        Measured durations. [ms, 0..900,000]

    Examples
    --------
    >>> d = Samples([10.2, 10.2, 10.2, 50.5])
    >>> print(d.mean_ms, d.expected_billed_ms())
    20.275 21.0
    """

    kind = "samples"

    def __init__(self, durations_ms):
        values = check_numeric("durations_ms", durations_ms, 0, MAX_DURATION_MS, "ms")
        values = np.atleast_1d(np.asarray(values, dtype=float)).reshape(-1)
        if values.size == 0:
            raise InvalidParameterError("durations_ms", "at least one duration", [])
        self.durations_ms = values

    def _values(self):
        return self.durations_ms

    @property
    def mean_ms(self) -> float:
        return float(np.mean(self.durations_ms))

    def expected_billed_ms(self, granularity_ms=1, add_ms=0.0) -> float:
        values = np.minimum(self.durations_ms + add_ms, MAX_DURATION_MS)
        return float(np.mean(billed_duration_ms(values, granularity_ms)))

    def to_dict(self) -> dict:
        return {"kind": self.kind, "count": int(self.durations_ms.size), "mean_ms": self.mean_ms}

    def describe(self) -> str:
        return f"{self.durations_ms.size} samples, mean {self.mean_ms:g} ms"


class Percentiles(DurationDistribution):
    """Durations known by a few percentiles, linear in between, flat beyond the ends.

    Parameters
    ----------
    points : mapping of float to float
        Percentile (0 < p < 100) -> duration at it; durations must not decrease as the
        percentile grows. [%] -> [ms]

    Examples
    --------
    >>> d = Percentiles({50: 100, 90: 200, 99: 400})
    >>> print(round(d.mean_ms, 2))
    141.0
    >>> Percentiles({50: 300, 99: 200})
    Traceback (most recent call last):
    ...
    lambdacost.errors.InvalidParameterError: percentiles must be durations that do not decrease as the percentile grows, got {50: 300, 99: 200}
    """

    kind = "percentiles"

    def __init__(self, points: Mapping[float, float]):
        if not isinstance(points, Mapping) or not points:
            raise InvalidParameterError("percentiles", "a mapping of percentile -> duration_ms", points)
        pct = check_numeric("percentile", list(points.keys()), 0, 100, "%")
        ms = check_numeric("percentiles", list(points.values()), 0, MAX_DURATION_MS, "ms")
        order = np.argsort(pct)
        pct, ms = np.asarray(pct, dtype=float)[order], np.asarray(ms, dtype=float)[order]
        if np.any(pct <= 0) or np.any(pct >= 100) or np.any(np.diff(pct) == 0):
            raise InvalidParameterError("percentile", "distinct numbers strictly between 0 and 100", dict(points))
        if np.any(np.diff(ms) < 0):
            raise InvalidParameterError(
                "percentiles", "durations that do not decrease as the percentile grows", dict(points)
            )
        self.percentiles = pct
        self.durations_ms = ms
        self._cache = None

    def _values(self):
        if self._cache is None:
            self._cache = np.interp(_grid() * 100, self.percentiles, self.durations_ms)
        return self._cache

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "points": {f"p{p:g}": d for p, d in zip(self.percentiles.tolist(), self.durations_ms.tolist())},
        }

    def describe(self) -> str:
        return ", ".join(f"p{p:g} {d:g} ms" for p, d in zip(self.percentiles.tolist(), self.durations_ms.tolist()))

    assumption = (
        "the duration quantiles are linear between the percentiles given and flat beyond the lowest and highest"
    )


class Lognormal(DurationDistribution):
    """A lognormal distribution of durations, fitted to the mean and the 99th percentile.

    With ``z = 2.326`` (the normal 99th percentile), ``sigma`` solves
    ``ln(p99 / mean) = z * sigma - sigma**2 / 2`` (the smaller root) and
    ``mu = ln(mean) - sigma**2 / 2``. A p99 above ``mean * exp(z**2 / 2)`` (about 15x)
    cannot come from a lognormal and is an error.

    Parameters
    ----------
    mean_ms : float
        [ms, > 0]
    p99_ms : float
        [ms, >= mean_ms]

    Examples
    --------
    >>> d = Lognormal(100, 400)
    >>> print(round(d.sigma, 4), round(d.mean_ms, 6), round(d.quantile(0.99), 3))
    0.7018 100.0 400.0
    >>> print(round(d.expected_billed_ms(), 2))
    100.5
    """

    kind = "lognormal"
    Z99 = float(norm_ppf(0.99))

    def __init__(self, mean_ms, p99_ms):
        mean = check_numeric("mean_ms", mean_ms, 0, MAX_DURATION_MS, "ms")
        p99 = check_numeric("p99_ms", p99_ms, 0, MAX_DURATION_MS, "ms")
        if mean <= 0:
            raise InvalidParameterError("mean_ms", "above 0 ms for a lognormal", mean_ms)
        ratio = math.log(p99 / mean) if p99 > 0 else -math.inf
        z = self.Z99
        if not 0 <= ratio <= z * z / 2:
            raise InvalidParameterError(
                "p99_ms",
                f"between the mean ({mean:g} ms) and {mean * math.exp(z * z / 2):g} ms for a lognormal",
                p99_ms,
            )
        self.sigma = z - math.sqrt(z * z - 2 * ratio)
        self.mu = math.log(mean) - self.sigma**2 / 2
        self._mean = float(mean)
        self._cache = None

    @classmethod
    def from_median(cls, p50_ms, p99_ms) -> Lognormal:
        """The lognormal with this median and 99th percentile.

        Examples
        --------
        >>> d = Lognormal.from_median(100, 300)
        >>> print(round(d.quantile(0.5), 6), round(d.quantile(0.99), 6))
        100.0 300.0
        """
        p50 = check_numeric("p50_ms", p50_ms, 0, MAX_DURATION_MS, "ms")
        p99 = check_numeric("p99_ms", p99_ms, 0, MAX_DURATION_MS, "ms")
        if p50 <= 0 or p99 < p50:
            raise InvalidParameterError("p99_ms", f"at least p50_ms ({p50:g} ms), both above 0", p99_ms)
        sigma = math.log(p99 / p50) / cls.Z99
        return cls(p50 * math.exp(sigma * sigma / 2), p99)

    @property
    def mean_ms(self) -> float:
        return self._mean

    def quantile(self, p) -> float:
        """Duration at probability ``p`` (0..1). [ms]"""
        return float(np.exp(self.mu + self.sigma * norm_ppf(p)))

    def _values(self):
        if self._cache is None:
            self._cache = np.exp(self.mu + self.sigma * norm_ppf(_grid()))
        return self._cache

    def to_dict(self) -> dict:
        return {"kind": self.kind, "mean_ms": self._mean, "p99_ms": self.quantile(0.99), "sigma": self.sigma}

    def describe(self) -> str:
        return f"lognormal, mean {self._mean:g} ms, p99 {self.quantile(0.99):.6g} ms"
