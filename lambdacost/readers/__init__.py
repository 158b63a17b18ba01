"""Readers of outside formats (Lambda logs, fleet files, Power Tuning output, infrastructure code) into plain data;
they never price."""

#: Each name loads its module on first use: the log readers import pandas, pyarrow and
#: numba, which the other readers do not need.
_LAZY = {
    "read_logs": "logs",
    "parse_lines": "log_parse",
    "parse_summary": "log_parse",
    "ParseSummary": "log_parse",
    "MalformedLogError": "log_parse",
    "expand_paths": "log_paths",
    "function_from_source": "log_paths",
    "read_fleet": "fleet",
    "parse_fleet": "fleet",
    "functions_from_aws_config": "fleet",
    "Fleet": "fleet",
    "read_power_tuning": "power_tuning",
    "read_iac": "iac",
    "read_usage": "iac",
    "usage_functions": "iac",
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value  # once loaded, a plain attribute
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))


__all__ = list(_LAZY)
