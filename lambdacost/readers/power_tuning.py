"""Read the output of an AWS Lambda Power Tuning run into per-memory statistics.

AWS Lambda Power Tuning (https://github.com/alexcasalboni/aws-lambda-power-tuning) runs a
function at several memory sizes and reports, per size, the average duration and price.
:func:`~lambdacost.tuning.tune` re-prices those measurements; this module only reads them.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

from ..distributions import MAX_DURATION_MS
from ..errors import InvalidParameterError
from ..validation import check_numeric

__all__ = ["read_power_tuning"]


def read_power_tuning(source):
    """The per-memory statistics of an AWS Lambda Power Tuning run.

    Power Tuning's state machine output (with ``includeOutputResults``) holds
    ``stats``: one ``{"value": memory_mb, "averagePrice": price, "averageDuration": ms}`` per
    power value. Also accepted: that object under ``results``, or a Step Functions
    ``describe-execution`` answer whose ``output`` is that JSON as a string.

    Parameters
    ----------
    source : str, os.PathLike or dict
        A file path, a JSON string, or the parsed JSON.

    Returns
    -------
    pandas.DataFrame
        ``memory_mb``, ``duration_ms`` and ``price_per_invocation`` (Power Tuning's own
        price), sorted by memory.

    Examples
    --------
    >>> stats = {"stats": [{"value": "256", "averagePrice": 4.2e-07, "averageDuration": 95.5},
    ...                    {"value": 128, "averagePrice": 4.1e-07, "averageDuration": 190.2}]}
    >>> read_power_tuning(stats).values.tolist()
    [[128.0, 190.2, 4.1e-07], [256.0, 95.5, 4.2e-07]]
    """
    import pandas as pd

    data, name = _load_json(source)
    if isinstance(data, dict) and isinstance(data.get("output"), str):
        data = _parse_json(data["output"], f"{name}.output")
    if isinstance(data, dict) and "stats" not in data and isinstance(data.get("results"), dict):
        data = data["results"]
    stats = data.get("stats") if isinstance(data, dict) else None
    if not isinstance(stats, list) or not stats:
        raise InvalidParameterError(
            name,
            "Power Tuning output with a non-empty 'stats' list (run it with includeOutputResults: true)",
            _short(data),
        )
    rows = []
    for i, stat in enumerate(stats):
        where = f"{name} stats[{i}]"
        if not isinstance(stat, dict) or not {"value", "averagePrice", "averageDuration"} <= stat.keys():
            raise InvalidParameterError(where, "an object with value, averagePrice and averageDuration", _short(stat))
        rows.append(
            (
                _number(stat["value"], f"{where}.value", 128, 10240, "MB", step=1),
                # No invocation outlasts Lambda's 15-minute timeout, so neither can an average of them.
                _number(stat["averageDuration"], f"{where}.averageDuration", 0, MAX_DURATION_MS, "ms"),
                _number(stat["averagePrice"], f"{where}.averagePrice", 0, np.inf, "USD"),
            )
        )
    frame = pd.DataFrame(rows, columns=["memory_mb", "duration_ms", "price_per_invocation"])
    repeated = frame.memory_mb[frame.memory_mb.duplicated()]
    if len(repeated):
        raise InvalidParameterError(f"{name} stats", "one entry per memory size", f"{repeated.iloc[0]:g} MB twice")
    return frame.sort_values("memory_mb", ignore_index=True)


def _load_json(source):
    if isinstance(source, (dict, list)):
        return source, "power_tuning"
    if isinstance(source, str) and source.lstrip().startswith("{"):
        return _parse_json(source, "power_tuning"), "power_tuning"
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as error:
            raise InvalidParameterError("power_tuning", "a readable JSON file", f"{path} ({error.strerror})") from None
        except UnicodeDecodeError as error:
            raise InvalidParameterError("power_tuning", "a UTF-8 JSON file", f"{path} (byte {error.start})") from None
        return _parse_json(text, str(path)), str(path)
    raise InvalidParameterError("power_tuning", "a file path, a JSON string or a dict", type(source).__name__)


def _parse_json(text: str, name: str):
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidParameterError(name, "valid JSON", f"{error.msg} at line {error.lineno}") from None
    except RecursionError:
        raise InvalidParameterError(name, "JSON nested less deeply", "too deep to read") from None


def _number(value, name, low, high, unit, step=None) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise InvalidParameterError(name, "a number", value)
    try:
        number = float(value)
    except ValueError:
        raise InvalidParameterError(name, "a number", value) from None
    return float(check_numeric(name, number, low, high, unit, step=step))


def _short(value, limit: int = 80) -> str:
    text = json.dumps(value, default=str) if not isinstance(value, str) else value
    return text if len(text) <= limit else text[: limit - 3] + "..."
