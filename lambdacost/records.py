"""Frozen dataclasses made cheaply: :func:`frozen_record`, a frozen dataclass built without the per-class compiling.

``@dataclass(frozen=True)`` compiles six methods for each class it makes (``__init__``,
``__repr__``, ``__eq__``, ``__hash__``, ``__setattr__``, ``__delattr__``): 0.4 to 1.6 ms a
class, which for the price book's and the engine's records was about a tenth of a
``lambdacost estimate``. A record compiles only its ``__init__``, which writes the fields straight
into the instance's ``__dict__`` (a frozen dataclass's sets each with ``object.__setattr__``, about
0.1 us a field, a quarter of a single ``estimate()``); the other five are the same few functions
for every record, reading the class's field names. A record is a dataclass all the same
(:func:`dataclasses.fields`, :func:`~dataclasses.replace`, :func:`~dataclasses.asdict` work), stays
frozen (assignment raises :class:`dataclasses.FrozenInstanceError`), and has the signature, repr,
equality and hash the dataclass would have, and calls ``__post_init__`` as its ``__init__`` would.
Classes with ``InitVar``, ``KW_ONLY`` or ``init=False`` / ``kw_only`` fields, dataclass bases,
``__slots__``, their own ``__setattr__`` / ``__delattr__``, or options (``order=True``,
``slots=True``, ...) are made by ``@dataclass(frozen=True, ...)`` itself.

Examples
--------
>>> @frozen_record
... class Point:
...     x: float
...     y: float = 0.0
>>> p = Point(1.5)
>>> p, p == Point(1.5, 0.0), hash(p) == hash(Point(1.5, 0.0))
(Point(x=1.5, y=0.0), True, True)
>>> p.x = 2.0
Traceback (most recent call last):
...
dataclasses.FrozenInstanceError: cannot assign to field 'x'
"""

from __future__ import annotations

import dataclasses
import inspect  # loaded by dataclasses anyway
import operator
import reprlib

__all__ = ["frozen_record"]


class _Factory:
    """The default of a ``default_factory`` field in ``__init__``'s signature (shown as dataclasses shows it)."""

    def __repr__(self) -> str:
        return "<factory>"


_FACTORY = _Factory()


def frozen_record(cls=None, /, **options):
    """``@dataclass(frozen=True, **options)``, made without compiling more than ``__init__`` (see the module)."""
    if cls is None:
        return lambda c: frozen_record(c, **options)
    if options or not _plain(cls):
        return dataclasses.dataclass(cls, frozen=True, **options)
    documented = bool(cls.__doc__)
    own_hash = cls.__dict__.get("__hash__", dataclasses.MISSING)
    # As dataclasses decides: the class's own __hash__ stays, unless it is the None that defining
    # __eq__ leaves.
    keep_hash = not (own_hash is dataclasses.MISSING or (own_hash is None and "__eq__" in cls.__dict__))
    # Fields collected and checked by dataclasses itself, with none of its methods made.
    cls = dataclasses.dataclass(cls, init=False, repr=False, eq=False, frozen=False)
    params = cls.__dataclass_params__  # what @dataclass(frozen=True) records (a dataclass subclass checks it)
    params.init = params.repr = params.eq = params.frozen = True
    fields = dataclasses.fields(cls)
    names = tuple(f.name for f in fields)
    methods = {
        "__init__": _init(fields, hasattr(cls, "__post_init__")),
        "__repr__": _repr(tuple(f.name for f in fields if f.repr)),
        "__eq__": _eq(tuple(f.name for f in fields if f.compare)),
        "__setattr__": _setattr(cls, names),
        "__delattr__": _delattr(cls, names),
    }
    if not keep_hash:
        methods["__hash__"] = _hash(tuple(f.name for f in fields if (f.compare if f.hash is None else f.hash)))
    for name, method in methods.items():
        if name == "__hash__" or name not in cls.__dict__:  # as dataclasses: a method the class defines stays
            method.__qualname__ = f"{cls.__qualname__}.{name}"
            setattr(cls, name, method)
    if not documented:  # dataclasses' doc, from the __init__ the class now has
        cls.__doc__ = cls.__name__ + str(inspect.signature(cls)).replace(" -> None", "")
    return cls


def _plain(cls) -> bool:
    """True if the fast path makes the same class ``@dataclass(frozen=True)`` would."""
    if (
        "__slots__" in cls.__dict__
        or "__setattr__" in cls.__dict__
        or "__delattr__" in cls.__dict__
        or any(hasattr(base, "__dataclass_fields__") for base in cls.__mro__[1:])
    ):
        return False
    for name, annotation in inspect.get_annotations(cls).items():
        if any(marker in str(annotation) for marker in ("InitVar", "KW_ONLY")):
            return False
        declared = cls.__dict__.get(name)
        if isinstance(declared, dataclasses.Field) and (not declared.init or declared.kw_only is True):
            return False
    return True


def _init(fields, post_init: bool):
    """The one compiled method: ``__init__`` with the dataclass's signature, filling ``__dict__``
    (then calling ``__post_init__``, as the dataclass's does)."""
    namespace = {"__record_factory__": _FACTORY}
    parameters, body = [], []
    for f in fields:
        if f.default_factory is not dataclasses.MISSING:
            namespace[f"__record_factory_{f.name}__"] = f.default_factory
            parameters.append(f"{f.name}=__record_factory__")
            body.append(
                f"    __record_dict__[{f.name!r}] = "
                f"__record_factory_{f.name}__() if {f.name} is __record_factory__ else {f.name}\n"
            )
            continue
        if f.default is not dataclasses.MISSING:
            namespace[f"__record_default_{f.name}__"] = f.default
            parameters.append(f"{f.name}=__record_default_{f.name}__")
        else:
            parameters.append(f.name)
        body.append(f"    __record_dict__[{f.name!r}] = {f.name}\n")
    self = "__dataclass_self__" if "self" in (f.name for f in fields) else "self"
    if post_init:
        body.append(f"    {self}.__post_init__()\n")
    local: dict = {}
    exec(  # as dataclasses does
        f"def __init__({', '.join([self, *parameters])}):\n    __record_dict__ = {self}.__dict__\n{''.join(body)}",
        namespace,
        local,
    )
    init = local["__init__"]
    init.__annotations__ = {**{f.name: f.type for f in fields}, "return": None}  # as dataclasses writes them
    return init


def _repr(names: tuple[str, ...]):
    @reprlib.recursive_repr()
    def __repr__(self):
        return f"{self.__class__.__qualname__}({', '.join(f'{n}={getattr(self, n)!r}' for n in names)})"

    return __repr__


def _values(names: tuple[str, ...]):
    """A function giving the tuple ``(obj.a, obj.b, ...)`` of ``names``, as dataclasses' methods build it."""
    if len(names) > 1:
        return operator.attrgetter(*names)
    if names:
        get = operator.attrgetter(names[0])
        return lambda obj: (get(obj),)
    return lambda obj: ()


def _eq(names: tuple[str, ...]):
    values = _values(names)

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return values(self) == values(other)
        return NotImplemented

    return __eq__


def _hash(names: tuple[str, ...]):
    values = _values(names)

    def __hash__(self):
        return hash(values(self))

    return __hash__


def _setattr(cls, names: tuple[str, ...]):
    def __setattr__(self, name, value):
        if type(self) is cls or name in names:
            raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)

    return __setattr__


def _delattr(cls, names: tuple[str, ...]):
    def __delattr__(self, name):
        if type(self) is cls or name in names:
            raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)

    return __delattr__
