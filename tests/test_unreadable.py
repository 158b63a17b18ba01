"""Issue 14: inputs that cannot be read give one line naming the path and the reason, exit 2.

CI runs as root, for whom no file is unreadable, so the denial is simulated: ``open`` (which
``Path.read_bytes``, ``Path.read_text``, ``gzip`` and the log reader's memory map go through)
raises PermissionError for one path, and so do ``os.scandir``/``os.listdir`` for a folder.
"""

from __future__ import annotations

import builtins
import io
import json
import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lambdacost.cli import app
from lambdacost.readers.logs import read_logs

DATA = Path(__file__).parent / "data"
runner = CliRunner()


@pytest.fixture
def deny(monkeypatch):
    """``deny(path)``: opening ``path`` (a file) or listing it (a folder) raises PermissionError."""
    denied: set[str] = set()
    real_open, real_scandir, real_listdir = builtins.open, os.scandir, os.listdir

    def refused(path) -> bool:
        return isinstance(path, str | bytes | os.PathLike) and os.path.realpath(os.fsdecode(path)) in denied

    def guarded_open(file, *args, **kwargs):
        if refused(file):
            raise PermissionError(13, "Permission denied", os.fsdecode(file))
        return real_open(file, *args, **kwargs)

    def guarded_scandir(path="."):
        if refused(path):
            raise PermissionError(13, "Permission denied", os.fsdecode(path))
        return real_scandir(path)

    def guarded_listdir(path="."):
        if refused(path):
            raise PermissionError(13, "Permission denied", os.fsdecode(path))
        return real_listdir(path)

    monkeypatch.setattr(builtins, "open", guarded_open)
    monkeypatch.setattr(io, "open", guarded_open)  # pathlib opens through io.open
    monkeypatch.setattr(os, "scandir", guarded_scandir)  # os.walk lists through os.scandir
    monkeypatch.setattr(os, "listdir", guarded_listdir)
    return lambda path: denied.add(os.path.realpath(path))


def _one_line_naming(result, path, code=2):
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert "Traceback" not in result.output and not isinstance(result.exception, PermissionError), result.exception
    assert result.exit_code == code, (result.exit_code, result.output)
    assert len(lines) == 1, result.output
    assert str(path) in lines[0] and "Permission denied" in lines[0], lines[0]


def _power_tuning(tmp_path) -> Path:
    path = tmp_path / "power.json"
    stats = [
        {"value": 128, "averagePrice": 1e-7, "averageDuration": 200},
        {"value": 256, "averagePrice": 1e-7, "averageDuration": 90},
    ]
    path.write_text(json.dumps({"stats": stats}))
    return path


def test_the_simulation_denies_what_root_could_read(deny, tmp_path):
    path = tmp_path / "x.txt"
    path.write_text("readable")
    deny(path)
    with pytest.raises(PermissionError):
        path.read_bytes()
    with pytest.raises(PermissionError):
        os.listdir(tmp_path / "x.txt")


@pytest.mark.parametrize(
    "denied, args",
    [
        pytest.param("fleets/basic.toml", ["bill", "{data}/fleets/basic.toml"], id="fleet"),
        pytest.param("fleets/list-functions.json", ["bill", "{data}/fleets/aws.yaml"], id="fleet aws_config"),
        pytest.param(
            "fleets/basic.toml",
            ["logs", "{data}/logs/orders-text.log", "--fleet", "{data}/fleets/basic.toml"],
            id="logs --fleet",
        ),
        pytest.param(
            "power.json", ["tune", "--requests", "1M", "--power-tuning", "{tmp}/power.json"], id="power tuning"
        ),
        pytest.param(
            "offers/lambda-offer-sample.json",
            ["prices", "import", "{data}/offers/lambda-offer-sample.json", "--into", "{tmp}/out"],
            id="offer",
        ),
        pytest.param("logs/orders-text.log", ["logs", "{data}/logs/orders-text.log"], id="the only log file"),
    ],
)
def test_an_unreadable_input_is_one_line_exit_2(deny, tmp_path, denied, args):
    _power_tuning(tmp_path)
    target = tmp_path / denied if denied == "power.json" else DATA / denied
    deny(target)
    result = runner.invoke(app, [a.format(data=DATA, tmp=tmp_path) for a in args])
    _one_line_naming(result, target.name)


@pytest.mark.parametrize(
    "denied, args",
    [
        pytest.param(
            "iac/sam/globals_for_function.yaml",
            ["iac", "{data}/iac/sam/globals_for_function.yaml"],
            id="template",
        ),
        pytest.param(
            "iac/usage.yml",
            ["iac", "{data}/iac/sam/globals_for_function.yaml", "--usage", "{data}/iac/usage.yml"],
            id="usage file",
        ),
        pytest.param(
            "pricing/lambda.toml",
            ["--pricing-dir", "{tmp}/pricing", "estimate", "-m", "512", "--ms", "100", "-r", "1M"],
            id="price sheet",
        ),
    ],
)
def test_unreadable_inputs_read_by_other_modules(deny, tmp_path, denied, args):
    shutil.copytree(Path(__file__).parent.parent / "pricing", tmp_path / "pricing")
    target = tmp_path / denied if denied.startswith("pricing/") else DATA / denied
    deny(target)
    result = runner.invoke(app, [a.format(data=DATA, tmp=tmp_path) for a in args])
    _one_line_naming(result, target.name)


def _folder(tmp_path) -> Path:
    folder = tmp_path / "logs"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(DATA / "logs" / "orders-text.log", folder / "a.log")
    shutil.copy(DATA / "logs" / "orders-text.log", folder / "sub" / "b.log")
    return folder


def test_an_unreadable_log_among_others_is_counted_and_named(deny, tmp_path):
    folder = _folder(tmp_path)
    deny(folder / "sub" / "b.log")
    summary = read_logs(str(folder)).attrs["parse"]
    assert (summary.sources, summary.reports) == (2, 7)  # a.log's 7 records are read; b.log is counted
    assert summary.unreadable == (
        f"{folder / 'sub' / 'b.log'}: [Errno 13] Permission denied: '{folder / 'sub' / 'b.log'}'",
    )
    result = runner.invoke(app, ["logs", str(folder), "--days", "1"])
    assert (
        result.exit_code == 0
        and f"unreadable: {folder / 'sub' / 'b.log'}: [Errno 13] Permission denied" in result.output
    )


def test_an_unreadable_sub_folder_is_counted_never_skipped(deny, tmp_path):
    folder = _folder(tmp_path)
    deny(folder / "sub")
    summary = read_logs(str(folder)).attrs["parse"]
    assert (summary.sources, summary.reports) == (2, 7)
    assert summary.unreadable == (f"{folder / 'sub'}: [Errno 13] Permission denied: '{folder / 'sub'}'",)
    text = runner.invoke(app, ["logs", str(folder), "--days", "1"])
    assert text.exit_code == 0 and f"unreadable: {folder / 'sub'}: [Errno 13] Permission denied" in text.output
    strict = runner.invoke(app, ["logs", str(folder), "--strict"])
    lines = strict.output.strip().splitlines()
    assert strict.exit_code == 2 and len(lines) == 1, strict.output
    assert (
        lines[0].startswith("Error: --strict: 1 unreadable source(s): 7 REPORT record(s)")
        and str(folder / "sub") in lines[0]
    )


def test_an_unreadable_sub_folder_with_the_dask_engine(deny, tmp_path):
    pytest.importorskip("dask.dataframe")
    folder = _folder(tmp_path)
    deny(folder / "sub")
    summary = read_logs(str(folder), engine="dask").attrs["parse"]
    assert summary.reports == 7 and summary.unreadable == (
        f"{folder / 'sub'}: [Errno 13] Permission denied: '{folder / 'sub'}'",
    )


def test_a_broken_link_in_a_folder_is_counted(tmp_path):
    folder = _folder(tmp_path)
    (folder / "gone.log").symlink_to(tmp_path / "nowhere.log")
    summary = read_logs(str(folder)).attrs["parse"]
    assert summary.reports == 14 and len(summary.unreadable) == 1 and "gone.log: [Errno 2]" in summary.unreadable[0]
