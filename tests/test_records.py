"""frozen_record makes the class @dataclass(frozen=True) would: same signature, doc, repr, equality,
hash, frozenness, pickling and dataclasses functions; only cheaper to make."""

import copy
import dataclasses
import inspect
import pickle
import sys
import types
from dataclasses import FrozenInstanceError

import pytest

from lambdacost.records import frozen_record

#: Class shapes, each made twice: by frozen_record and by @dataclass(frozen=True).
SHAPES = '''
from __future__ import annotations

from dataclasses import field
from typing import ClassVar


@DECORATOR
class Plain:
    """A documented record."""

    x: float
    y: float = 0.5
    label: str = "a"


@DECORATOR
class Options:
    """Defaults, factories, repr/compare/hash options and a class variable."""

    x: float
    scale: ClassVar[int] = 3
    tags: list = field(default_factory=list)
    hidden: int = field(default=4, repr=False)
    loose: int = field(default=5, compare=False)
    unhashed: int = field(default=6, hash=False)


@DECORATOR
class Undocumented:
    a: int
    b: tuple = ()


@DECORATOR
class SelfField:
    """A field named self (dataclasses renames __init__'s first parameter)."""

    self: int
    fill: int = 1


@DECORATOR
class OwnMethods:
    """The class's own __repr__, __eq__ and __hash__ stay."""

    a: int

    def __repr__(self):
        return "own"

    def __eq__(self, other):
        return isinstance(other, OwnMethods)

    def __hash__(self):
        return 7


@DECORATOR
class OwnEq:
    """An own __eq__ without __hash__: dataclasses still adds the field hash."""

    a: int

    def __eq__(self, other):
        return True


@DECORATOR
class Empty:
    """No fields."""


@DECORATOR
class WithPostInit:
    """__post_init__ runs after the fields are set."""

    a: int
    c: list = field(default_factory=list)

    def __post_init__(self):
        self.__dict__["b"] = self.a * 2 + len(self.c)


@DECORATOR
class NoInitField:
    """Made by dataclasses itself."""

    a: int
    b: int = field(default=0, init=False)


class Base:
    pass


@DECORATOR
class FromPlainBase(Base):
    """A record whose base is no dataclass."""

    a: int
'''

NAMES = ["Plain", "Options", "Undocumented", "SelfField", "OwnMethods", "OwnEq", "Empty", "WithPostInit", "NoInitField"]
NAMES += ["FromPlainBase"]
EXAMPLES = {
    "Plain": ((1.5,), {"label": "b"}),
    "Options": ((2.0,), {"tags": [1], "hidden": 9, "loose": 8, "unhashed": 7}),
    "Undocumented": ((1,), {"b": (2, 3)}),
    "SelfField": ((1,), {"fill": 2}),
    "OwnMethods": ((1,), {}),
    "OwnEq": ((1,), {}),
    "Empty": ((), {}),
    "WithPostInit": ((3,), {}),
    "NoInitField": ((3,), {}),
    "FromPlainBase": ((3,), {}),
}


def _module(name: str, decorator: str) -> types.ModuleType:
    module = types.ModuleType(name)
    module.frozen_record = frozen_record
    module.dataclasses = dataclasses
    sys.modules[name] = module  # importable, as pickle needs
    exec(SHAPES.replace("@DECORATOR", f"@{decorator}"), module.__dict__)
    return module


OURS = _module("records_ours", "frozen_record")
THEIRS = _module("records_theirs", "dataclasses.dataclass(frozen=True)")


def _pair(name):
    args, kwargs = EXAMPLES[name]
    return getattr(OURS, name)(*args, **kwargs), getattr(THEIRS, name)(*args, **kwargs)


def _shown(text: str) -> str:
    return text.replace("records_ours", "M").replace("records_theirs", "M")


@pytest.mark.parametrize("name", NAMES)
def test_the_class_is_the_dataclass_one(name):
    ours, theirs = getattr(OURS, name), getattr(THEIRS, name)
    assert str(inspect.signature(ours)) == str(inspect.signature(theirs))
    assert ours.__doc__ == theirs.__doc__
    assert ours.__match_args__ == theirs.__match_args__
    assert dataclasses.is_dataclass(ours)
    assert [(f.name, f.default, f.repr, f.compare, f.hash) for f in dataclasses.fields(ours)] == [
        (f.name, f.default, f.repr, f.compare, f.hash) for f in dataclasses.fields(theirs)
    ]
    assert repr(ours.__dataclass_params__) == repr(theirs.__dataclass_params__)
    assert (ours.__hash__ is None) == (theirs.__hash__ is None)
    for method in ("__init__", "__repr__", "__eq__", "__hash__", "__setattr__", "__delattr__"):
        assert getattr(ours, method).__qualname__ == getattr(theirs, method).__qualname__


@pytest.mark.parametrize("name", NAMES)
def test_instances_behave_alike(name):
    ours, theirs = _pair(name)
    again, _ = _pair(name)
    assert _shown(repr(ours)) == _shown(repr(theirs))
    assert ours == again and (ours != again) is False
    assert ours.__dict__ == theirs.__dict__
    assert dataclasses.asdict(ours) == dataclasses.asdict(theirs)
    assert dataclasses.astuple(ours) == dataclasses.astuple(theirs)
    try:
        expected = hash(theirs)
    except TypeError:  # a list field: unhashable, as the dataclass is
        with pytest.raises(TypeError):
            hash(ours)
    else:
        assert hash(ours) == expected
    assert pickle.loads(pickle.dumps(ours)) == ours
    assert copy.deepcopy(ours) == ours and copy.copy(ours) == ours


@pytest.mark.parametrize("name", NAMES)
def test_instances_stay_frozen(name):
    ours, theirs = _pair(name)
    for target in (ours, theirs):
        for field_name in [*(f.name for f in dataclasses.fields(target)), "not_a_field"]:
            with pytest.raises(FrozenInstanceError, match=f"cannot assign to field '{field_name}'"):
                setattr(target, field_name, 1)
            with pytest.raises(FrozenInstanceError, match=f"cannot delete field '{field_name}'"):
                delattr(target, field_name)


def test_equality_and_hash_follow_the_field_options():
    a, b = OURS.Options(1.0, loose=1, unhashed=1), OURS.Options(1.0, loose=2, unhashed=2)
    assert a != b  # unhashed is compared
    assert OURS.Options(1.0, loose=1) == OURS.Options(1.0, loose=2)  # loose is not
    assert OURS.Options(1.0) != THEIRS.Options(1.0)  # another class
    # hashed: the compared fields but those with hash=False (x, tags, hidden)
    assert hash(OURS.Options(1.0, tags=(), unhashed=1)) == hash(THEIRS.Options(1.0, tags=(), unhashed=1))
    assert hash(OURS.Options(1.0, tags=(), unhashed=1)) == hash((1.0, (), 4))
    plain = OURS.Plain(1.0)
    assert hash(plain) == hash((1.0, 0.5, "a")) == hash(THEIRS.Plain(1.0))
    assert repr(OURS.Options(1.0, hidden=3)) == "Options(x=1.0, tags=[], loose=5, unhashed=6)"


def test_factories_give_each_instance_its_own_value():
    first, second = OURS.Options(1.0), OURS.Options(1.0)
    assert first.tags == [] and first.tags is not second.tags


def test_a_recursive_repr_is_cut_as_dataclasses_cuts_it():
    ours = OURS.Undocumented(1, [])
    ours.b.append(ours)
    assert repr(ours) == "Undocumented(a=1, b=[...])"


def test_a_subclass_may_add_attributes_but_not_change_fields():
    class Sub(OURS.Plain):
        pass

    sub = Sub(1.0)
    sub.extra = 2  # as a plain subclass of a frozen dataclass allows
    assert sub.extra == 2
    with pytest.raises(FrozenInstanceError):
        sub.x = 2.0


def test_a_dataclass_may_derive_from_a_record():
    @dataclasses.dataclass(frozen=True)
    class Derived(OURS.Plain):
        z: int = 0

    assert (
        repr(Derived(1.0, z=2))
        == "test_a_dataclass_may_derive_from_a_record.<locals>.Derived(x=1.0, y=0.5, label='a', z=2)"
    )
    with pytest.raises(TypeError, match="cannot inherit non-frozen dataclass from a frozen one"):
        dataclasses.dataclass(type("Loose", (OURS.Plain,), {"__annotations__": {"z": int}, "z": 0}))


def test_replace_makes_a_new_record():
    plain = OURS.Plain(1.0)
    assert dataclasses.replace(plain, y=2.0) == OURS.Plain(1.0, 2.0) and plain.y == 0.5


def test_post_init_runs_and_init_false_fields_get_the_dataclass_itself():
    assert OURS.WithPostInit(3).b == THEIRS.WithPostInit(3).b == 6
    assert OURS.WithPostInit(3, [1]).b == 7
    assert OURS.NoInitField(3).b == 0
    with pytest.raises(TypeError):
        OURS.NoInitField(3, 4)


def test_missing_and_extra_arguments_fail_as_in_dataclasses():
    for cls in (OURS.Plain, THEIRS.Plain):
        with pytest.raises(TypeError, match="missing 1 required positional argument: 'x'"):
            cls()
        with pytest.raises(TypeError, match="unexpected keyword argument 'z'"):
            cls(1.0, z=1)


def test_options_and_slots_go_to_dataclasses():
    @frozen_record(order=True)
    class Ordered:
        a: int

    assert Ordered(1) < Ordered(2)

    @frozen_record(slots=True)
    class Slotted:
        a: int

    assert Slotted.__slots__ == ("a",) and Slotted(1) == Slotted(1)


def test_the_packages_records_build_from_their_fields():
    from lambdacost import engine, estimates
    from lambdacost.prices import book

    records = [book.Source, book.DurationTiers, book.RegionRates, book.Era, book.Rates, engine.Usage]
    records += [engine.Scenario, engine.Charge, estimates.LineItem, estimates.Estimate]
    for cls in records:
        parameters = inspect.signature(cls).parameters
        assert list(parameters) == [f.name for f in dataclasses.fields(cls)]
        assert cls.__dataclass_params__.frozen
