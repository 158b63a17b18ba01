"""The ``lambdacost`` command: a thin Typer shell over the public API.

Each command lives in a module of its own and registers itself on :data:`app`; heavy
imports (pandas, matplotlib) happen inside the commands that need them, so
``lambdacost estimate`` starts fast.
"""

from . import bill, compare, estimate, iac, logs, prices, sweep  # noqa: F401  (registers the commands)
from .common import app, main

__all__ = ["app", "main"]
