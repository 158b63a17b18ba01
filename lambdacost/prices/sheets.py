"""Price sheets as files: read one, write one atomically, and diff two.

A sheet here is the plain content of a ``lambda.toml`` (nested dicts and lists, as
:mod:`tomllib` gives it); :mod:`lambdacost.prices.book` turns it into a checked
:class:`~lambdacost.prices.book.PriceBook`. :func:`write_sheet` emits TOML with a small emitter
made for this flat schema, loads the result with the PriceBook in a scratch folder beside
the target, and only then renames it into place, so a bad or interrupted write never leaves a
partial sheet behind.

Examples
--------
>>> from decimal import Decimal
>>> print(dumps_sheet({"schema": 1, "free_tier": {"requests": 1_000_000, "gb_seconds": Decimal("400000")}}))
schema = 1
<BLANKLINE>
[free_tier]
requests = 1000000
gb_seconds = 400000.0
<BLANKLINE>
>>> old = {"eras": [{"name": "1ms", "regions": {"eu-west-1": {"x86_64_per_gb_second": [0.0000166667]}}}]}
>>> new = {"eras": [{"name": "1ms", "regions": {"eu-west-1": {"x86_64_per_gb_second": [0.0000170000]}}}]}
>>> for change in diff_sheets(old, new):
...     print(change)
eras.1ms.regions.eu-west-1.x86_64_per_gb_second[0]: 0.0000166667 -> 0.000017 (+0.0000003333, +2.00 %)
"""

from __future__ import annotations

import json
import math
import os
import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..errors import PricingDataError

__all__ = ["SHEET_NAME", "RateChange", "sheet_path", "read_sheet", "dumps_sheet", "write_sheet", "diff_sheets"]

SHEET_NAME = "lambda.toml"
#: Tables written inline (``skus = { ... }``), as the schema documents them.
INLINE_TABLES = frozenset({"skus"})
#: Keys that are provenance or prose, not rates: left out of diffs.
_NOT_RATES = frozenset(
    {
        "source_url",
        "read_on",
        "note",
        "name",
        "also_in",
        "tiers_source_url",
        "skus",
        "assumption",
        "reason",
        "date",
        "effective_from",
        "service",
    }
)
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
DEFAULT_HEADER = (
    "AWS Lambda price sheet for lambdacost, schema 1 (documented in the header of the packaged\n"
    "pricing/lambda.toml). Written by lambdacost; every region row names its source_url and read_on."
)


def sheet_path(path: str | os.PathLike) -> Path:
    """``path`` itself if it is a file, else ``path/lambda.toml``."""
    path = Path(path)
    return path / SHEET_NAME if path.is_dir() else path


def read_sheet(path: str | os.PathLike) -> dict:
    """The raw content of a sheet (a ``lambda.toml`` file or a directory holding one)."""
    file = sheet_path(path)
    try:
        return tomllib.loads(file.read_text("utf-8"))
    except FileNotFoundError:
        raise PricingDataError(str(file), "-", "file not found") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise PricingDataError(str(file), "-", f"not valid TOML: {error}") from None
    except OSError as error:  # unreadable: permissions, a folder in its place
        raise PricingDataError(str(file), "-", f"cannot read: {error.strerror or error}") from None


# --- writing ------------------------------------------------------------------------------


def _key(key: str) -> str:
    return key if _BARE_KEY.fullmatch(key) else _string(key)


def _string(text: str) -> str:
    # JSON's escapes for control characters (\n, \u0001, ...) are valid TOML; non-ASCII stays raw
    # (JSON would write surrogate pairs, which TOML rejects) and DEL is not allowed raw in TOML.
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def _decimal_text(value: Decimal) -> str:
    text = format(value, "f")
    return text if "." in text else text + ".0"


def _value(value: Any, key: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise PricingDataError("(sheet being written)", key, f"not a finite number: {value!r}")
        return _decimal_text(Decimal(repr(value)))  # repr round-trips; fixed point reads like AWS's prices
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise PricingDataError("(sheet being written)", key, f"not a finite number: {value!r}")
        return _decimal_text(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_value(v, f"{key}[{i}]") for i, v in enumerate(value)) + "]"
    if isinstance(value, Mapping):
        return (
            "{ " + ", ".join(f"{_key(k)} = {_value(v, f'{key}.{k}')}" for k, v in value.items()) + " }"
            if value
            else "{}"
        )
    raise PricingDataError("(sheet being written)", key, f"cannot write a {type(value).__name__} to TOML")


def _is_table(key: str, value: Any) -> bool:
    return isinstance(value, Mapping) and key not in INLINE_TABLES


def _is_table_array(value: Any) -> bool:
    return isinstance(value, (list, tuple)) and bool(value) and all(isinstance(v, Mapping) for v in value)


def _emit(lines: list[str], path: list[str], table: Mapping, array_item: bool = False) -> None:
    simple = [(k, v) for k, v in table.items() if not _is_table(k, v) and not _is_table_array(v)]
    nested = [(k, v) for k, v in table.items() if _is_table(k, v) or _is_table_array(v)]
    if path and (array_item or simple or not nested):
        lines += ["", f"[[{'.'.join(map(_key, path))}]]" if array_item else f"[{'.'.join(map(_key, path))}]"]
    lines += [f"{_key(k)} = {_value(v, '.'.join(path + [k]))}" for k, v in simple]
    for k, v in nested:
        if _is_table(k, v):
            _emit(lines, path + [k], v)
        else:
            for item in v:
                _emit(lines, path + [k], item, array_item=True)


def dumps_sheet(sheet: Mapping, header: str = "") -> str:
    """The sheet as TOML text, ``header`` first as ``#`` comment lines.

    Handles what the schema uses: tables, ``[[eras]]`` arrays of tables, strings, ints,
    floats and :class:`~decimal.Decimal` (written in fixed point at full precision), dates,
    lists of scalars and the inline ``skus`` table.
    """
    lines = [f"# {line}".rstrip() for line in header.splitlines()]
    if lines:
        lines.append("")
    _emit(lines, [], sheet)
    return "\n".join(lines).lstrip("\n") + "\n"


def write_sheet(sheet: Mapping, directory: str | os.PathLike, header: str = DEFAULT_HEADER) -> Path:
    """Write ``directory/lambda.toml`` atomically, after checking it loads as a PriceBook.

    The TOML is staged in a scratch folder beside ``directory``, loaded with
    :meth:`lambdacost.prices.PriceBook.load`, and renamed over the old sheet only if that
    succeeds (:func:`lambdacost.prices.folders.write_price_files`). On any error the old sheet is
    untouched and no scratch is left; scratch of killed runs is removed by the next write.

    Returns
    -------
    pathlib.Path
        The sheet written.
    """
    from .folders import write_price_files

    return write_price_files(directory, {SHEET_NAME: dumps_sheet(sheet, header)})[0]


# --- diff ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RateChange:
    """One number that differs between two sheets; ``old`` or ``new`` is None if absent.

    ``key`` is a dotted path with eras named, e.g.
    ``eras.1ms.regions.us-east-1.x86_64_per_gb_second[1]``.
    """

    key: str
    old: Decimal | None
    new: Decimal | None

    @property
    def change(self) -> Decimal | None:
        """``new - old``, exact. [the rate's unit, e.g. USD per GB-s]"""
        return None if self.old is None or self.new is None else self.new - self.old

    @property
    def change_percent(self) -> float | None:
        """Relative change. [%]"""
        if self.change is None or self.old == 0:
            return None
        return float(self.change / self.old * 100)

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "old": _show(self.old),
            "new": _show(self.new),
            "change": _show(self.change, sign=True),
            "change_percent": self.change_percent,
        }

    def __str__(self) -> str:
        if self.old is None:
            return f"{self.key}: added, {_show(self.new)}"
        if self.new is None:
            return f"{self.key}: removed (was {_show(self.old)})"
        percent = "" if self.change_percent is None else f", {self.change_percent:+.2f} %"
        return f"{self.key}: {_show(self.old)} -> {_show(self.new)} ({_show(self.change, sign=True)}{percent})"


def _show(value: Decimal | None, sign: bool = False) -> str | None:
    if value is None:
        return None
    text = format(value.normalize(), "f") if value else "0"
    return f"+{text}" if sign and value > 0 else text


def _numbers(data: Any, path: str) -> Iterator[tuple[str, Decimal]]:
    """Every numeric leaf below ``data`` that is a rate or a billing rule, by dotted key."""
    if isinstance(data, Mapping):
        for key, value in data.items():
            if key in _NOT_RATES:
                continue
            yield from _numbers(value, f"{path}.{key}" if path else key)
    elif isinstance(data, (list, tuple)):
        for index, value in enumerate(data):
            yield from _numbers(value, f"{path}[{index}]")
    elif isinstance(data, (int, float, Decimal)) and not isinstance(data, bool):
        yield path, Decimal(repr(data)) if isinstance(data, float) else Decimal(data)


def _by_era_name(sheet: Mapping) -> dict:
    # Eras are matched by name, not position, so inserting an era does not shift every key.
    out = dict(sheet)
    eras = sheet.get("eras")
    if isinstance(eras, list):
        out["eras"] = {str(e.get("name", i)) if isinstance(e, Mapping) else str(i): e for i, e in enumerate(eras)}
    return out


def diff_sheets(old: Mapping | str | os.PathLike, new: Mapping | str | os.PathLike) -> tuple[RateChange, ...]:
    """Every rate (and numeric billing rule) that differs between two sheets.

    Parameters
    ----------
    old, new : mapping or path
        Sheets as read by :func:`read_sheet`, or paths to a ``lambda.toml`` or its directory.

    Returns
    -------
    tuple of RateChange
        In the old sheet's order, then keys only in the new one. Provenance (URLs, dates,
        notes, SKUs) is not compared. Equal numbers compare equal whatever their spelling
        (``0.20`` and ``0.2``).
    """
    old_numbers = dict(_numbers(_by_era_name(old if isinstance(old, Mapping) else read_sheet(old)), ""))
    new_numbers = dict(_numbers(_by_era_name(new if isinstance(new, Mapping) else read_sheet(new)), ""))
    changes = [
        RateChange(key, value, new_numbers.get(key))
        for key, value in old_numbers.items()
        if new_numbers.get(key) != value
    ]
    changes += [RateChange(key, None, value) for key, value in new_numbers.items() if key not in old_numbers]
    return tuple(changes)
