"""Attributes loaded on first use: a package's ``__getattr__`` and ``__dir__`` from a map of names
to the submodules that define them, so that importing the package loads none of them.

Examples
--------
>>> getattr_, dir_ = lazy_attributes("lambdacost", {"sweep": "sweeps"}, {})
>>> getattr_("sweep").__name__
'sweep'
"""

from __future__ import annotations

import importlib

__all__ = ["lazy_attributes"]


def lazy_attributes(package: str, names: dict[str, str], namespace: dict):
    """``(__getattr__, __dir__)`` for ``package``: ``names`` maps each attribute to its submodule.

    Parameters
    ----------
    package : str
        The package's ``__name__``.
    names : dict of str to str
        Attribute name -> submodule, relative to ``package`` (``"readers.fleet"``).
    namespace : dict
        The package's ``globals()``: a loaded attribute is stored there, a plain attribute from then on.
    """

    def __getattr__(name: str):
        if name in names:
            value = getattr(importlib.import_module(f".{names[name]}", package), name)
            namespace[name] = value
            return value
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    def __dir__():
        return sorted(set(namespace) | set(names))

    return __getattr__, __dir__
