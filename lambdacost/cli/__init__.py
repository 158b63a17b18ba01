"""The ``lambdacost`` command: a thin Typer shell over the public API.

Each command lives in a module of its own and registers itself on the app; heavy imports
(pandas, matplotlib) happen inside the commands that need them, so ``lambdacost estimate``
starts fast. :func:`main` (the console script) registers only the command typed, when it is
one: Typer builds every registered command's options before it runs one (about 10 ms for all
of them). ``app`` imported from here has every command.
"""

import importlib
import sys

__all__ = ["app", "main"]

#: The module that registers each command, by the name typed after ``lambdacost``.
COMMAND_MODULES = {
    "bill": "bill",
    "compare": "compare",
    "estimate": "estimate",
    "iac": "iac",
    "diff": "iac",
    "logs": "logs",
    "sweep": "sweep",
    "tune": "sweep",
    "prices": "prices",
}


def _register(modules) -> None:
    for module in modules:
        importlib.import_module(f"{__name__}.{module}")


def __getattr__(name: str):
    if name == "app":  # every command, in the order of the help
        _register(dict.fromkeys(COMMAND_MODULES.values()))
        from .common import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:  # console-script entry point
    """Run the command line: only the typed command's module when the first word names one."""
    typed = sys.argv[1] if len(sys.argv) > 1 else None
    _register([COMMAND_MODULES[typed]] if typed in COMMAND_MODULES else dict.fromkeys(COMMAND_MODULES.values()))
    from .common import main as run

    run()
