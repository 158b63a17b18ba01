"""The architecture holds: imports point down the layers, and the core loads neither pandas nor
matplotlib."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "lambdacost"

#: Each module's floor, top-down: a module may import only from its own floor or below.
LAYERS = {
    "cli": 5,
    "plot": 5,
    "calculator": 5,
    "__init__": 5,
    "__main__": 5,
    "estimates": 4,
    "monthly": 4,
    "sweeps": 4,
    "bills": 4,
    "comparison": 4,
    "options": 4,
    "breakevens": 4,
    "capacity": 4,
    "durations": 4,
    "tuning": 4,
    "reports": 4,
    "explain": 4,
    "engine": 3,
    "kernel": 3,
    "prices": 2,
    "readers": 2,
    "validation": 1,
    "billing": 1,
    "distributions": 1,
    "errors": 0,
    "rules": 0,
    "option_kinds": 0,
    "units": 0,
    "tables": 0,
    "lazy": 0,
    "records": 0,
}
CORE = ("lambdacost.rules", "lambdacost.billing", "lambdacost.validation", "lambdacost.engine")


def _room(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return parts[0]


def _imports(path: Path):
    """(room imported, line) of every lambdacost import in ``path``, lazy ones too."""
    package = path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1]
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[: len(package) - node.level + 1]
            target = (*base, *(node.module.split(".") if node.module else ()))
            if len(target) > 1:
                yield target[1], node.lineno
            else:  # `from . import x`
                for alias in node.names:
                    yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("lambdacost."):
            yield node.module.split(".")[1], node.lineno


MODULES = sorted(p for p in PACKAGE.rglob("*.py"))


def test_every_room_has_a_floor():
    assert {_room(p) for p in MODULES} <= set(LAYERS)


@pytest.mark.parametrize("path", MODULES, ids=[str(p.relative_to(PACKAGE)) for p in MODULES])
def test_imports_point_down(path):
    floor = LAYERS[_room(path)]
    for room, line in _imports(path):
        if room in LAYERS:
            assert LAYERS[room] <= floor, f"{path.name}:{line} imports {room} (floor {LAYERS[room]} > {floor})"


def test_core_imports_neither_pandas_nor_matplotlib():
    code = (
        f"import sys; import {', '.join(CORE)}; print(sorted(m for m in ('pandas', 'matplotlib') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


#: The engine's modules in the order of a call: each imports only from those before it.
ENGINE_ORDER = ("model", "rates", "meters", "checks", "charges", "__init__")


@pytest.mark.parametrize("name", ENGINE_ORDER)
def test_engine_modules_import_in_call_order(name):
    path = PACKAGE / "engine" / f"{name}.py"
    tree = ast.parse(path.read_text())
    siblings = {
        node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module
    }
    assert siblings <= set(ENGINE_ORDER[: ENGINE_ORDER.index(name)]), siblings
    assert sorted(p.stem for p in (PACKAGE / "engine").glob("*.py")) == sorted(ENGINE_ORDER)
