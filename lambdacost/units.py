"""Human input to numbers: ``3M`` requests, ``1.5s`` durations, ``2GB`` of memory.

Memory follows Lambda: 1 GB = 1024 MB. Counts use SI suffixes (k, M, B/G, T). Each parser
raises :class:`~lambdacost.errors.InvalidParameterError` naming what it expected.

Examples
--------
>>> parse_count("2.5k"), parse_count("1_000_000"), parse_count("3M")
(2500.0, 1000000.0, 3000000.0)
>>> parse_duration_ms("1.5s"), parse_duration_ms("120ms"), parse_duration_ms("120")
(1500.0, 120.0, 120.0)
>>> parse_memory_mb("2GB"), parse_memory_mb("512MB"), parse_memory_mb("512")
(2048.0, 512.0, 512.0)
"""

from __future__ import annotations

import math
import re

from .errors import InvalidParameterError

__all__ = ["parse_count", "parse_duration_ms", "parse_memory_mb", "parse_number"]

_NUMBER = re.compile(r"^\s*([+-]?(?:\d[\d_]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*([A-Za-z]*)\s*$")
_COUNT_SUFFIX = {
    "": 1,
    "k": 1e3,
    "K": 1e3,
    "m": 1e6,
    "M": 1e6,
    "b": 1e9,
    "B": 1e9,
    "g": 1e9,
    "G": 1e9,
    "t": 1e12,
    "T": 1e12,
}
_DURATION_SUFFIX = {"": 1, "ms": 1, "s": 1e3, "sec": 1e3, "m": 60e3, "min": 60e3, "us": 1e-3}
_MEMORY_SUFFIX = {"": 1, "mb": 1, "m": 1, "mib": 1, "gb": 1024, "g": 1024, "gib": 1024}


def _split(text, name: str, expected: str) -> tuple[float, str]:
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        return float(text), ""
    match = _NUMBER.match(str(text))
    if not match:
        raise InvalidParameterError(name, expected, text)
    value = float(match.group(1).replace("_", ""))
    if not math.isfinite(value):
        raise InvalidParameterError(name, expected, text)
    return value, match.group(2)


def parse_number(text, name: str = "value") -> float:
    """A plain number (``0.3``, ``1e-3``); no suffix."""
    value, suffix = _split(text, name, "a number")
    if suffix:
        raise InvalidParameterError(name, "a number", text)
    return value


#: Digits grouped by thousands with commas, as people write counts: ``1,000,000``.
THOUSANDS = re.compile(r"^\s*\d{1,3}(,\d{3})+(\.\d+)?\s*$")


def parse_count(text, name: str = "requests") -> float:
    """A count with an optional SI suffix: ``1e6``, ``1_000_000``, ``1,000,000``, ``3M``, ``2.5k``, ``1B``.

    Examples
    --------
    >>> parse_count("1,000,000"), parse_count("3M"), parse_count("2.5k")
    (1000000.0, 3000000.0, 2500.0)
    """
    expected = "a count such as 1e6, 1_000_000, 1,000,000, 3M or 2.5k"
    if isinstance(text, str) and THOUSANDS.match(text):
        text = text.replace(",", "")
    value, suffix = _split(text, name, expected)
    if suffix not in _COUNT_SUFFIX:
        raise InvalidParameterError(name, expected, text)
    return value * _COUNT_SUFFIX[suffix]


def parse_duration_ms(text, name: str = "duration_ms") -> float:
    """A duration in ms: ``120``, ``120ms``, ``1.5s``, ``2min``. [ms]"""
    expected = "a duration such as 120, 120ms, 1.5s or 2min"
    value, suffix = _split(text, name, expected)
    factor = _DURATION_SUFFIX.get(suffix.lower())
    if factor is None:
        raise InvalidParameterError(name, expected, text)
    return value * factor


def parse_memory_mb(text, name: str = "memory_mb") -> float:
    """Memory in Lambda MB: ``512``, ``512MB``, ``2GB`` (= 2048 MB). [MB]"""
    expected = "a size such as 512, 512MB or 2GB (1 GB = 1024 MB)"
    value, suffix = _split(text, name, expected)
    factor = _MEMORY_SUFFIX.get(suffix.lower())
    if factor is None:
        raise InvalidParameterError(name, expected, text)
    return value * factor
