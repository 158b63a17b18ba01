"""Input checks at the API edge: one clear message per bad value.

Messages follow one shape, ``<name> must be <allowed>, got <value>``, so the CLI can show
them as they are. Arrays are checked with whole-array reductions (no loop over
elements); the first offending value is named.
"""

from __future__ import annotations

from datetime import date, datetime

import numpy as np

from .errors import InvalidParameterError
from .rules import SECONDS_PER

__all__ = ["check_numeric", "to_date", "check_choice", "requests_per_month_factor"]


def _first_bad(values: np.ndarray, bad: np.ndarray):
    flat = np.asarray(values).reshape(-1)
    value = flat[int(np.argmax(np.asarray(bad).reshape(-1)))]
    return value.item() if hasattr(value, "item") else value


def check_numeric(name, values, low, high, unit, *, step=None):
    """Check that every value is finite, within ``[low, high]`` and (optionally) a multiple of ``step``.

    Parameters
    ----------
    name : str
        The parameter's name as the user knows it.
    values : numeric
        A scalar or an ndarray (already numeric).
    low, high : float
        Inclusive bounds; ``high`` may be ``inf``.
    unit : str
        Shown after the range (``MB``).
    step : int, optional
        Values must be whole multiples of it (memory steps).

    Returns
    -------
    ndarray or float
        ``values`` as float64.

    Examples
    --------
    >>> check_numeric("memory_mb", 100, 128, 10240, "MB", step=1)
    Traceback (most recent call last):
    ...
    lambdacost.errors.InvalidParameterError: memory_mb must be a whole number in 128..10240 MB, got 100
    """
    if type(values) is float or type(values) is int:  # one plain number: no numpy on the way
        value = float(values)
        in_range = low <= value <= high and value - value == 0.0  # and finite (NaN fails)
        if in_range and (step is None or (value / step if step != 1 else value).is_integer()):
            return value
    if values is None:  # numpy would read it as NaN
        raise InvalidParameterError(name, _allowed(low, high, unit, step), None)
    if isinstance(values, bool | np.bool_) or getattr(values, "dtype", None) == np.bool_:
        raise InvalidParameterError(name, _allowed(low, high, unit, step) + " (not True or False)", values)
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise InvalidParameterError(name, _allowed(low, high, unit, step), values) from None
    if array.size == 0:
        return array
    lowest, highest = array.min(), array.max()
    in_range = lowest >= low and highest <= high and np.isfinite(highest)  # also False when any value is NaN
    if in_range and (step is None or _multiples(array, step)):
        return array if array.ndim else float(array)
    with np.errstate(invalid="ignore"):
        bad = ~((array >= low) & (array <= high) & np.isfinite(array))
        if step is not None:
            bad |= np.floor(array / step) * step != array
    value = _first_bad(array, bad)
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:  # 1e+299, not its 300 digits
        value = int(value)
    raise InvalidParameterError(name, _allowed(low, high, unit, step), value)


#: Values checked at once for whole multiples: the temporaries stay in cache.
_CHUNK = 1 << 16


def _multiples(array: np.ndarray, step: int) -> bool:
    flat = array.reshape(-1)
    scratch = np.empty(min(flat.size, _CHUNK))
    for start in range(0, flat.size, _CHUNK):
        part = flat[start : start + _CHUNK]
        out = scratch[: part.size]
        if step != 1:
            np.divide(part, step, out=out)
            part = out.copy()
        np.floor(part, out=out)
        if not np.array_equal(out, part):
            return False
    return True


def _allowed(low, high, unit, step) -> str:
    def show(x):
        return f"{x:g}" if x < 1e6 or x >= 1e12 else f"{x:,.0f}"

    unit = f" {unit}" if unit else ""
    span = f"in {show(low)}..{show(high)}{unit}" if np.isfinite(high) else f">= {show(low)}{unit}"
    if step is None:
        return f"a finite number {span}"
    if step == 1:
        return f"a whole number {span}"
    return f"a multiple of {step} {span}"


def check_choice(name: str, value, choices) -> None:
    """Raise unless every value is one of ``choices``."""
    # A lone string needs no array (np.unique on objects pulls in numpy.ma: slow start-up).
    values = [value] if isinstance(value, str) else np.unique(np.asarray(value, dtype=object).reshape(-1))
    for v in values:
        if v not in choices:
            raise InvalidParameterError(name, "one of " + ", ".join(repr(c) for c in choices), v)


def to_date(as_of, earliest: date | None = None) -> date | None:
    """Turn ``as_of`` (date, datetime, ISO string or None) into a date and check it.

    Examples
    --------
    >>> to_date("2020-11-30")
    datetime.date(2020, 11, 30)
    """
    if as_of is None:
        return None
    if isinstance(as_of, datetime):
        day = as_of.date()
    elif isinstance(as_of, date):
        day = as_of
    else:
        try:
            day = date.fromisoformat(str(as_of))
        except ValueError:
            raise InvalidParameterError("as_of", "a date as YYYY-MM-DD", as_of) from None
    if earliest is not None and day < earliest:
        raise InvalidParameterError("as_of", f"on or after {earliest} (AWS Lambda's launch)", day.isoformat())
    return day


def requests_per_month_factor(requests_per: str) -> float:
    """How many of ``requests_per`` fit in AWS's 730-hour month.

    Examples
    --------
    >>> requests_per_month_factor("second")
    2628000.0
    """
    if requests_per not in SECONDS_PER:
        raise InvalidParameterError("requests_per", "one of " + ", ".join(map(repr, SECONDS_PER)), requests_per)
    return SECONDS_PER["month"] / SECONDS_PER[requests_per]
