"""lambdacost: what AWS Lambda will cost, why, and when something else would be cheaper.

>>> import lambdacost
>>> e = lambdacost.estimate(1536, 120, 3_000_000, as_of="2026-11-01")
>>> round(e.total_cost, 2)
2.73
"""

from .errors import (
    InvalidParameterError,
    LambdaCostError,
    PriceNotAvailableError,
    PricingDataError,
    UnknownRegionError,
)

__version__ = "0.1.0"
from .lazy import lazy_attributes

#: Everything beyond one function's estimate loads on first use (the log readers need
#: pandas at import time), so that ``import lambdacost`` and ``lambdacost estimate`` start
#: fast. The modules are named apart from their functions (``sweeps.sweep``), so that an
#: import of the module never hides the function.
_LAZY = {
    "Estimate": "estimates",
    "LineItem": "estimates",
    "estimate": "estimates",
    "monthly_cost": "monthly",
    "PriceBook": "prices",
    "Rates": "prices",
    "default_pricebook": "prices",
    "bill": "bills",
    "Bill": "bills",
    "read_fleet": "readers.fleet",
    "Samples": "distributions",
    "Percentiles": "distributions",
    "Lognormal": "distributions",
    "Workload": "options",
    "compare": "comparison",
    "Comparison": "comparison",
    "breakeven": "breakevens",
    "sweep": "sweeps",
    "cost_grid": "sweeps",
    "CostGrid": "sweeps",
    "tune": "tuning",
    "Tuning": "tuning",
    "read_power_tuning": "readers.power_tuning",
    "read_logs": "readers.logs",
    "parse_lines": "readers.log_parse",
    "cost_invocations": "reports",
    "report": "reports",
    "what_ifs": "reports",
}


__getattr__, __dir__ = lazy_attributes(__name__, _LAZY, globals())


__all__ = [
    "__version__",
    "estimate",
    "monthly_cost",
    "bill",
    "Bill",
    "read_fleet",
    "Samples",
    "Percentiles",
    "Lognormal",
    "Estimate",
    "LineItem",
    "PriceBook",
    "Rates",
    "default_pricebook",
    "LambdaCostError",
    "InvalidParameterError",
    "PricingDataError",
    "UnknownRegionError",
    "PriceNotAvailableError",
    "Workload",
    "compare",
    "Comparison",
    "breakeven",
    "sweep",
    "cost_grid",
    "CostGrid",
    "tune",
    "Tuning",
    "read_power_tuning",
    "read_logs",
    "parse_lines",
    "cost_invocations",
    "report",
    "what_ifs",
]
