"""lambdacost: what AWS Lambda will cost, why, and when something else would be cheaper.

>>> import lambdacost
>>> e = lambdacost.estimate(1536, 120, 3_000_000, as_of="2026-11-01")
>>> round(e.total_usd, 2)
2.73
"""

from .bill import Bill, bill
from .compare import Workload, breakeven, compare
from .distributions import Lognormal, Percentiles, Samples
from .errors import (
    InvalidParameterError,
    LambdaCostError,
    PriceNotAvailableError,
    PricingDataError,
    UnknownRegionError,
)
from .estimate import Estimate, LineItem, estimate, monthly_cost
from .fleet import read_fleet
from .prices import PriceBook, Rates, default_pricebook
from .sweep import CostGrid, cost_grid, sweep
from .tuning import Tuning, read_power_tuning, tune

__version__ = "0.1.0"

#: Log readers and reports need pandas at import time: they load on first use, so that
#: ``import lambdacost`` and ``lambdacost estimate`` stay fast.
_LAZY = {
    "read_logs": "logs",
    "parse_lines": "logs",
    "cost_invocations": "reports",
    "report": "reports",
    "what_ifs": "reports",
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

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
