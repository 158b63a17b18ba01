"""Readers of outside formats (Lambda logs, fleet files, Power Tuning output, infrastructure code) into plain data;
they never price."""

from ..lazy import lazy_attributes

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


__getattr__, __dir__ = lazy_attributes(__name__, _LAZY, globals())


__all__ = list(_LAZY)
