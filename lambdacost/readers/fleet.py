"""Read fleet files (TOML, YAML or JSON, joined with the AWS function configuration) into function dicts.

A fleet file lists functions with their usage; every key is a keyword of
:func:`~lambdacost.estimate` (see :data:`lambdacost.bills.FUNCTION_KEYS`)::

    as_of = "2026-11-01"            # optional, default today
    free_tier = true                # optional
    aws_config = "functions.json"   # optional: `aws lambda list-functions` output

    [[functions]]
    name = "orders-api"
    requests = "3M"                 # numbers or strings with units: 3M, 120ms, 2GB
    duration_ms = "120ms"           # or a table, see below
    memory_mb = 1536                # optional when aws_config has the function

``duration_ms`` may also be a table: ``{mean = 100, p99 = 400}`` or
``{median = 80, p99 = 400}`` (a lognormal), ``{p50 = 80, p90 = 150, p99 = 400}``
(percentiles, linear in between) or ``{samples = [...]}`` (per-invocation values).

With ``aws_config`` (the JSON of ``aws lambda list-functions``, of
``get-function-configuration`` or of ``get-function``, a path relative to the fleet
file), each function's ``MemorySize``, ``Architectures``, ``EphemeralStorage.Size``,
``PackageType``, ``Runtime``, ``SnapStart`` and region (from ``FunctionArn``) are read
from it (https://docs.aws.amazon.com/lambda/latest/api/API_FunctionConfiguration.html);
keys given in the fleet file win. Every configured function must have usage
in the fleet file: nothing is dropped silently.

Reading never prices: pass :attr:`Fleet.functions` to :func:`lambdacost.bill`.

Examples
--------
>>> fleet = parse_fleet({"functions": [{"name": "a", "memory_mb": "1GB", "duration_ms": "1.5s", "requests": "2M"}]})
>>> fleet.functions[0]["memory_mb"], fleet.functions[0]["duration_ms"], fleet.functions[0]["requests"]
(1024.0, 1500.0, 2000000.0)
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import InvalidParameterError, unknown_key
from ..units import parse_count, parse_duration_ms, parse_memory_mb, parse_number

__all__ = ["FUNCTION_FIELDS", "TOP_LEVEL_KEYS", "Fleet", "functions_from_aws_config", "parse_fleet", "read_fleet"]

TOP_LEVEL_KEYS = ("functions", "as_of", "free_tier", "aws_config")


def _text(allowed: str):
    def check(value, key):
        if not isinstance(value, str) or not value.strip():
            raise InvalidParameterError(key, allowed, value)
        return value

    return check


def _boolean(value, key):
    if not isinstance(value, bool):
        raise InvalidParameterError(key, "true or false", value)
    return value


def _numbers(value, key):
    if not isinstance(value, list) or not value:
        raise InvalidParameterError(key, "a list of numbers (the average concurrency of each time slot)", value)
    return [_parse(parse_number)(v, f"{key}[{i}]") for i, v in enumerate(value)]


def _parse(parse):
    """A unit parser as a field check: strings are parsed, numbers kept as written (after the same check)."""

    def check(value, key):
        if isinstance(value, str):
            return parse(value, key)
        parse(value, key)  # a list, a table, a boolean or None: refused, naming the form
        return value

    return check


#: The keys of one function in a fleet file and the form each takes: the keywords of
#: :func:`lambdacost.estimate` (``lambdacost.bills.FUNCTION_KEYS``, a test keeps them equal).
#: The reader checks the form (a number, a string, a list...); :func:`lambdacost.bill` the range.
FUNCTION_FIELDS = {
    "name": _text("a non-empty string"),
    "memory_mb": _parse(parse_memory_mb),
    "duration_ms": None,  # a duration or a table: see _duration
    "requests": _parse(parse_count),
    "arch": _text("a string: 'x86_64' or 'arm64'"),
    "region": _text("a region code as a string, such as 'us-east-1'"),
    "ephemeral_storage_mb": _parse(parse_memory_mb),
    "requests_per": _text("a string: 'second', 'minute', 'hour', 'day' or 'month'"),
    "provisioned_concurrency": _parse(parse_number),
    "provisioned_hours": _parse(parse_number),
    "provisioned_utilization": _parse(parse_number),
    "traffic_concurrency": _numbers,
    "cold_start_rate": _parse(parse_number),
    "cold_starts": _parse(parse_count),
    "init_duration_ms": _parse(parse_duration_ms),
    "package_type": _text("a string: 'Zip' or 'Image'"),
    "runtime": _text("a runtime id as a string, such as 'python3.12'"),
    "snapstart": _boolean,
    "restore_duration_ms": _parse(parse_duration_ms),
    "snapstart_active_hours": _parse(parse_number),
    "edge": _boolean,
    "response_mb": _parse(parse_number),
    "async_payload_kb": _parse(parse_number),
    "provisioned_requests": _parse(parse_count),
    "provisioned_duration_ms": _parse(parse_duration_ms),
    "provisioned_free_tier": _boolean,
    "second_response_mb": _parse(parse_number),
    "second_response_share": _parse(parse_number),
    "esm_type": _text("a string: 'kafka' or 'sqs'"),
    "esm_epu_hours": _parse(parse_number),
    "durable_executions": _parse(parse_count),
    "durable_operations": _parse(parse_count),
    "durable_written_kb": _parse(parse_number),
    "durable_retained_days": _parse(parse_number),
    "tenant_isolation": _boolean,
    "logged_kb": _parse(parse_number),
    "savings_plan_per_hour": _parse(parse_number),
    "savings_plan_term": _text("a string: '1yr' or '3yr'"),
}


@dataclass(frozen=True)
class Fleet:
    """Functions ready for :func:`~lambdacost.bills.bill`, with the file's ``as_of`` and ``free_tier``."""

    functions: list = field(default_factory=list)
    as_of: Any = None
    free_tier: bool = True


def read_fleet(path: str | os.PathLike) -> Fleet:
    """Read a fleet file (``.toml``, ``.yaml``/``.yml`` or ``.json``).

    Raises
    ------
    InvalidParameterError
        For a missing or unreadable file, an unknown key (with the closest known key), or
        a value of the wrong form, such as a list where one number goes (naming the
        function, the key as written and the form it takes).
    """
    path = Path(path)
    try:
        is_file = path.is_file()
    except (OSError, ValueError):
        is_file = False
    if not is_file:
        raise InvalidParameterError("fleet file", "an existing file", str(path))
    suffix = path.suffix.lower()
    if suffix not in (".toml", ".yaml", ".yml", ".json"):
        raise InvalidParameterError("fleet file", "a .toml, .yaml, .yml or .json file", path.name)
    import tomllib

    import yaml

    try:
        text = path.read_bytes()
    except OSError as error:
        raise InvalidParameterError("fleet file", "a readable file", f"{path} ({error.strerror or error})") from None
    try:
        if suffix == ".toml":
            data = tomllib.loads(text.decode("utf-8"))
        elif suffix == ".json":
            data = json.loads(text, object_pairs_hook=_unique_keys(path.name))
        else:
            data = yaml.load(text, Loader=_unique_key_loader(path.name))  # a SafeLoader
    except InvalidParameterError:
        raise
    except RecursionError:
        raise InvalidParameterError("fleet file", f"valid {suffix[1:].upper()} nested less deeply", path.name) from None
    except (tomllib.TOMLDecodeError, yaml.YAMLError, ValueError) as error:  # JSON and Unicode errors are ValueErrors
        raise InvalidParameterError(
            "fleet file", f"valid {suffix[1:].upper()} ({str(error).splitlines()[0]})", path.name
        ) from None
    return parse_fleet(data, base=path.parent)


def _duplicate(file: str, key: Any, line: int | None = None) -> InvalidParameterError:
    where = f"{file} line {line}" if line else file
    return InvalidParameterError(f"fleet key {key!r}", "given once per table", f"given twice in {where}")


def _unique_keys(file: str):
    """A json ``object_pairs_hook`` that refuses a key given twice (TOML refuses them too)."""

    def hook(pairs):
        out = {}
        for key, value in pairs:
            if key in out:
                raise _duplicate(file, key)
            out[key] = value
        return out

    return hook


def _unique_key_loader(file: str):
    """A YAML SafeLoader that refuses a key given twice in one mapping (the last would win)."""
    import yaml

    class UniqueKeyLoader(yaml.SafeLoader):
        pass

    def mapping(loader, node, deep=False):
        seen = set()
        for key_node, _ in node.value:  # the keys as written: a merge (<<) may be overridden
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = loader.construct_object(key_node, deep=deep)
            try:
                if key in seen:
                    raise _duplicate(file, key, key_node.start_mark.line + 1)
                seen.add(key)
            except TypeError:  # an unhashable key: construct_mapping refuses it
                pass
        return loader.construct_mapping(node, deep=deep)

    UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    return UniqueKeyLoader


def parse_fleet(data: Any, base: str | os.PathLike = ".") -> Fleet:
    """Turn the parsed contents of a fleet file into a :class:`Fleet`."""
    if not isinstance(data, Mapping):
        raise InvalidParameterError("fleet file", "a table with a 'functions' list", type(data).__name__)
    if "Functions" in data and "functions" not in data:  # `aws lambda list-functions` output, given alone
        raise InvalidParameterError(
            "fleet file",
            "a fleet file; this is `aws lambda list-functions` output, which has no traffic: name it as "
            "aws_config in a fleet file that gives each function's requests and duration",
            f"{len(data['Functions']) if isinstance(data['Functions'], list) else 'its'} function configurations",
        )
    unknown = [k for k in data if k not in TOP_LEVEL_KEYS]
    if unknown:
        key = unknown[0]
        if key in FUNCTION_FIELDS:  # a function's key at the top: it belongs in each function's table
            raise InvalidParameterError(
                f"fleet file: {key}", "inside a function's table ([[functions]]), not at the top", _shortened(data[key])
            )
        raise unknown_key("fleet file: ", key, TOP_LEVEL_KEYS, _shortened(data[key]))
    entries = data.get("functions", [])
    if not isinstance(entries, list) or not all(isinstance(e, Mapping) for e in entries):
        raise InvalidParameterError("functions", "a list of tables, one per function", entries)
    free_tier = data.get("free_tier", True)
    if not isinstance(free_tier, bool):
        raise InvalidParameterError("free_tier", "true or false", free_tier)
    as_of = data.get("as_of")
    if as_of is not None and not isinstance(as_of, str | date):  # a TOML or YAML date is a date
        raise InvalidParameterError("as_of", 'a date such as "2026-11-01"', _shortened(as_of))
    as_of = as_of.isoformat()[:10] if isinstance(as_of, date) else as_of
    if "aws_config" in data and (not isinstance(data["aws_config"], str) or not data["aws_config"]):
        raise InvalidParameterError("aws_config", "a file path as a string", _shortened(data["aws_config"]))
    functions = [dict(e) for e in entries]
    if "aws_config" in data:
        config_path = Path(base) / str(data["aws_config"])
        try:
            is_file = config_path.is_file()
        except (OSError, ValueError):  # a name too long, a NUL byte
            is_file = False
        if not is_file:
            raise InvalidParameterError(
                "aws_config",
                "the path of an existing JSON file (relative to the fleet file)",
                _shortened(data["aws_config"]),
            )
        try:
            raw = config_path.read_bytes()
        except OSError as error:  # no permission, a read error
            raise InvalidParameterError(
                "aws_config", "a readable file", f"{config_path} ({error.strerror or error})"
            ) from None
        try:
            config = json.loads(raw)
        except RecursionError:
            raise InvalidParameterError(
                "aws_config", "JSON nested less deeply", _shortened(data["aws_config"])
            ) from None
        except ValueError as error:
            raise InvalidParameterError("aws_config", f"valid JSON ({error})", str(data["aws_config"])) from None
        functions = functions_from_aws_config(config, functions)
    if not functions:
        raise InvalidParameterError("functions", "at least one function", [])
    parsed, seen = [], set()
    for i, entry in enumerate(functions):
        parsed.append(_parsed(entry, i))
        name = parsed[-1]["name"]
        if name in seen:
            raise InvalidParameterError(f"functions[{i}]: name", "unique within the fleet", name)
        seen.add(name)
    return Fleet(parsed, as_of, free_tier)


def functions_from_aws_config(config: Any, usage: list[Mapping[str, Any]]) -> list[dict]:
    """Join AWS function configurations with usage given by name.

    Parameters
    ----------
    config : dict
        ``{"Functions": [...]}`` (list-functions), one configuration, or
        ``{"Configuration": {...}}`` (get-function).
    usage : list of mapping
        Fleet entries with at least ``name``; their keys override the configuration.

    Returns
    -------
    list of dict

    Examples
    --------
    >>> cfg = {"FunctionName": "orders-api", "FunctionArn": "arn:aws:lambda:eu-west-1:123456789012:function:orders-api",
    ...        "Runtime": "python3.12", "MemorySize": 256, "Architectures": ["arm64"], "EphemeralStorage": {"Size": 512},
    ...        "PackageType": "Zip", "SnapStart": {"ApplyOn": "None", "OptimizationStatus": "Off"}}
    >>> functions_from_aws_config(cfg, [{"name": "orders-api", "requests": 1e6, "duration_ms": 50}])[0]
    {'name': 'orders-api', 'memory_mb': 256, 'arch': 'arm64', 'region': 'eu-west-1', 'ephemeral_storage_mb': 512, 'package_type': 'Zip', 'runtime': 'python3.12', 'requests': 1000000.0, 'duration_ms': 50}
    """
    if isinstance(config, Mapping) and "Functions" in config:
        configs = config["Functions"]
    elif isinstance(config, Mapping) and "Configuration" in config:
        configs = [config["Configuration"]]
    elif isinstance(config, Mapping) and "FunctionName" in config:
        configs = [config]
    else:
        raise InvalidParameterError(
            "aws_config",
            "the JSON of list-functions, get-function or get-function-configuration",
            type(config).__name__,
        )
    by_name = {}
    for c in configs:
        if not isinstance(c, Mapping) or "FunctionName" not in c:
            raise InvalidParameterError("aws_config", "function configurations with a FunctionName", _shortened(c))
        by_name[c["FunctionName"]] = _from_config(c)
    given = {str(u.get("name")): u for u in usage}
    missing = [name for name in by_name if name not in given]
    if missing:
        raise InvalidParameterError(
            f"function {missing[0]!r}",
            "given usage (requests, duration_ms) in the fleet file: it is in aws_config",
            "no entry",
        )
    out = []
    for u in usage:
        merged = dict(by_name.get(str(u.get("name")), {}))
        merged.pop("name", None)
        out.append({"name": u.get("name"), **merged, **{k: v for k, v in u.items() if k != "name"}})
    return out


def _from_config(c: Mapping[str, Any]) -> dict:
    name = c["FunctionName"]
    if not isinstance(name, str) or not name:
        raise InvalidParameterError("aws_config FunctionName", "a non-empty string", _shortened(name))

    def field(key, kind, form):  # a configuration value of the wrong type, named as AWS spells it
        value = c.get(key)
        if value is not None and (not isinstance(value, kind) or isinstance(value, bool)):
            raise InvalidParameterError(f"function {name!r}: aws_config {key}", form, _shortened(value))
        return value

    out: dict[str, Any] = {"name": name}
    if field("MemorySize", int, "a whole number of MB") is not None:
        out["memory_mb"] = c["MemorySize"]
    arch = c.get("Architectures")
    if arch:
        if not isinstance(arch, list) or len(arch) != 1:
            raise InvalidParameterError(f"function {name!r}: Architectures", "a list of exactly one architecture", arch)
        out["arch"] = arch[0]
    arn = field("FunctionArn", str, "an ARN string") or ""
    parts = arn.split(":")
    if len(parts) >= 4 and parts[3]:
        out["region"] = parts[3]
    storage = c.get("EphemeralStorage")
    if isinstance(storage, Mapping) and "Size" in storage:
        if isinstance(storage["Size"], bool) or not isinstance(storage["Size"], int):
            raise InvalidParameterError(
                f"function {name!r}: aws_config EphemeralStorage.Size",
                "a whole number of MB",
                _shortened(storage["Size"]),
            )
        out["ephemeral_storage_mb"] = storage["Size"]
    if field("PackageType", str, "'Zip' or 'Image'") is not None:
        out["package_type"] = c["PackageType"]
    if field("Runtime", str, "a runtime id such as 'python3.12'"):
        out["runtime"] = c["Runtime"]
    snap = c.get("SnapStart")
    if isinstance(snap, Mapping) and snap.get("ApplyOn") == "PublishedVersions":
        out["snapstart"] = True
    return out


def _parsed(entry: Mapping[str, Any], index: int) -> dict:
    """Check each key's form, parse unit strings and duration tables; errors name the function and the key."""
    name = entry.get("name")
    prefix = f"function {name!r}: " if isinstance(name, str) and name else f"functions[{index}]: "
    unknown = [k for k in entry if k not in FUNCTION_FIELDS]
    if unknown:
        raise unknown_key(prefix, unknown[0], list(FUNCTION_FIELDS), _shortened(entry[unknown[0]]))
    if "name" not in entry:
        raise InvalidParameterError(f"{prefix}name", "given: every function needs a name", None)
    out = dict(entry)
    try:
        for key, value in entry.items():
            check = FUNCTION_FIELDS[key]
            out[key] = _duration(value) if check is None else check(value, key)
    except InvalidParameterError as error:
        raise InvalidParameterError(f"{prefix}{error.name}", error.allowed, _shortened(error.got)) from None
    return out


def _shortened(value):
    """A value for a one-line message: as given when short, else its repr cut to one line."""
    return _short(value) if len(repr(value)) > 60 else value


_DURATION_FORM = (
    "a duration such as 120, 120ms or 1.5s, or a table {mean, p99}, {median, p99}, {p50, p90, ...} or {samples}"
)


def _duration(value):
    from ..distributions import Lognormal, Percentiles, Samples

    if not isinstance(value, Mapping):
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise InvalidParameterError("duration_ms", _DURATION_FORM, value)
        return parse_duration_ms(value, "duration_ms") if isinstance(value, str) else value
    keys = set(value)
    if keys == {"mean", "p99"}:
        return Lognormal(_ms(value["mean"], "mean"), _ms(value["p99"], "p99"))
    if keys == {"median", "p99"}:
        return Lognormal.from_median(_ms(value["median"], "median"), _ms(value["p99"], "p99"))
    if keys == {"samples"}:
        samples = value["samples"]
        if not isinstance(samples, list) or not samples:
            raise InvalidParameterError("duration_ms.samples", "a non-empty list of durations", samples)
        return Samples([_ms(v, f"samples[{i}]") for i, v in enumerate(samples)])
    if keys and all(isinstance(k, str) and k.startswith("p") and _is_number(k[1:]) for k in keys):
        return Percentiles({float(k[1:]): _ms(v, k) for k, v in value.items()})
    raise InvalidParameterError("duration_ms", _DURATION_FORM, dict(value))


def _ms(value, name):
    """One duration of a table: a number or a duration string (``120ms``); nothing else."""
    parsed = parse_duration_ms(value, f"duration_ms.{name}")  # refuses lists, tables, booleans and None
    return parsed if isinstance(value, str) else value


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _short(value, limit: int = 60) -> str:
    """A value as the user wrote it, cut to one readable line for a message."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
