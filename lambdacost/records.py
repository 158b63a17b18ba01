"""Frozen dataclasses built fast: :func:`frozen_record`, a frozen dataclass whose ``__init__`` fills ``__dict__``.

A frozen dataclass's generated ``__init__`` sets each field with ``object.__setattr__`` (about
0.1 us a field): a single ``estimate()`` builds a dozen records of 8 to 20 fields, which made up
a quarter of its time. The records stay frozen (assignment raises
:class:`dataclasses.FrozenInstanceError`), compare and hash as before; only ``__init__`` differs,
writing the fields straight into the instance's ``__dict__``. Classes with ``__post_init__``,
``default_factory`` or ``init=False`` fields, or ``slots``, keep the dataclass ``__init__``
(``InitVar`` fields are not supported).

Examples
--------
>>> @frozen_record
... class Point:
...     x: float
...     y: float = 0.0
>>> p = Point(1.5)
>>> p, p == Point(1.5, 0.0)
(Point(x=1.5, y=0.0), True)
>>> p.x = 2.0
Traceback (most recent call last):
...
dataclasses.FrozenInstanceError: cannot assign to field 'x'
"""

from __future__ import annotations

import dataclasses
import inspect

__all__ = ["frozen_record"]


def frozen_record(cls=None, **options):
    """``@dataclass(frozen=True, **options)`` with an ``__init__`` that writes ``__dict__`` (same signature)."""
    if cls is None:
        return lambda c: frozen_record(c, **options)
    declared = [getattr(cls, name, None) for name in inspect.get_annotations(cls)]
    if (
        hasattr(cls, "__post_init__")
        or options.get("slots")
        or any(
            isinstance(f, dataclasses.Field) and (f.default_factory is not dataclasses.MISSING or not f.init)
            for f in declared
        )
    ):
        return dataclasses.dataclass(cls, frozen=True, **options)
    cls = dataclasses.dataclass(cls, frozen=True, init=False, **options)  # one generated method fewer to compile
    fields = dataclasses.fields(cls)
    defaults = {f"_default_{f.name}": f.default for f in fields if f.default is not dataclasses.MISSING}
    parameters = ", ".join(
        f"{f.name}=_default_{f.name}" if f.default is not dataclasses.MISSING else f.name for f in fields
    )
    body = "".join(f"    fill[{f.name!r}] = {f.name}\n" for f in fields)
    namespace: dict = {}
    exec(
        f"def __init__(self, {parameters}):\n    fill = self.__dict__\n{body}", defaults, namespace
    )  # as dataclasses does
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    cls.__init__ = init
    return cls
