"""Text output of `compare` and `sweep` without pandas: the same rows as the DataFrame paths."""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from lambdacost.comparison import compare
from lambdacost.options import Workload
from lambdacost.sweeps import cheapest, sweep

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "axes, keywords, top",
    [
        (([128, 512, 1024], 120, 1e6), {}, 10),
        (([128, 128, 256], 100, [0, 1e3]), {"region": ["us-east-1", "eu-west-1"]}, 3),  # ties (free tier)
        ((np.arange(128, 3009, 64), [120, 250], [1e6, 1e8]), {"arch": ["x86_64", "arm64"]}, 25),
        ((1024, 100, 1e8), {"provisioned_concurrency": [0, 2], "cold_start_rate": 0.01, "init_duration_ms": 400}, 5),
        (([256], 100, 1e6), {}, 10),  # fewer scenarios than rows asked for
    ],
)
def test_cheapest_is_sweep_nsmallest_row_for_row(axes, keywords, top):
    frame = sweep(*axes, as_of="2026-11-01", **keywords)
    want = frame.nsmallest(top, "cost", keep="first")
    n, rows = cheapest(*axes, top=top, as_of="2026-11-01", **keywords)
    assert n == len(frame)
    assert rows == want.astype({"arch": str, "region": str}).to_dict("records")
    assert [list(r) for r in rows] == [list(frame.columns)] * len(rows)


@pytest.mark.parametrize("against", [["ec2:t4g.small", "fargate:0.5vcpu-1gb", "apprunner"], ["lambda:arm64"]])
def test_records_at_are_the_table_rows_at_that_load(against):
    workload = Workload.from_rps(512, 120, 10.0)
    load = workload.requests_per_month
    result = compare(workload, against, requests=np.union1d(np.geomspace(1e4, 1e10, 61), [load]))
    table = result.table
    want = table[table["requests_per_month"] == load].to_dict("records")
    assert repr(result.records_at(load)) == repr(want)  # repr: NaN (no instances) equals NaN
    assert result.options == list(dict.fromkeys(table["option"]))


@pytest.mark.parametrize(
    "argv",
    [
        ["compare", "--memory", "512", "--ms", "120", "--rps", "10"],
        ["sweep", "--memory", "128,512,1024", "--ms", "120", "--requests", "1e6"],
    ],
)
def test_text_output_does_not_import_pandas(argv):
    script = (
        "import sys; sys.argv = ['lambdacost', *sys.argv[1:]]\n"
        "from lambdacost.cli import app\n"
        "try:\n    app()\nexcept SystemExit as done:\n    assert not done.code, done.code\n"
        "assert 'pandas' not in sys.modules, 'pandas imported'\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    subprocess.run([sys.executable, "-c", script, *argv], check=True, env=env, stdout=subprocess.DEVNULL)


def test_help_and_the_package_import_load_no_engine():
    script = (
        "import sys; sys.argv = ['lambdacost', '--help']\n"
        "from lambdacost.cli import app\n"
        "try:\n    app()\nexcept SystemExit as done:\n    assert not done.code, done.code\n"
        "loaded = {'numpy', 'pandas', 'lambdacost.engine', 'lambdacost.estimates'} & set(sys.modules)\n"
        "assert not loaded, loaded\n"
        "from lambdacost import PriceBook, estimate, monthly_cost\n"
        "assert callable(estimate) and callable(monthly_cost) and isinstance(PriceBook, type)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    subprocess.run([sys.executable, "-c", script], check=True, env=env, stdout=subprocess.DEVNULL)


def test_console_script_registers_only_the_command_typed():
    argv = ["estimate", "--memory", "512", "--ms", "120", "--requests", "1e6", "--as-of", "2026-11-01"]
    script = (
        "import sys; sys.argv = ['lambdacost', *sys.argv[1:]]\n"
        "from lambdacost.cli import main\n"
        "try:\n    main()\nexcept SystemExit as done:\n    assert not done.code, done.code\n"
        "others = {'lambdacost.cli.bill', 'lambdacost.cli.sweep', 'lambdacost.cli.logs'} & set(sys.modules)\n"
        "assert not others, others\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    alone = subprocess.run([sys.executable, "-c", script, *argv], check=True, env=env, capture_output=True, text=True)
    from typer.testing import CliRunner

    from lambdacost.cli import app

    every = CliRunner().invoke(app, argv)
    assert every.exit_code == 0
    assert alone.stdout == every.stdout  # the same table, whichever commands are registered
    # 1e6 requests ($0.20) and 0.5 GB x 0.12 s x 1e6 = 60,000 GB-s ($1.00), all in the free tier
    assert [line for line in alone.stdout.splitlines() if line.startswith("total")][0].endswith("$0.00")
    assert "$1.20 a month without the free tier" in alone.stdout


@pytest.mark.parametrize("argv", [["--help"], ["estimat"]])
def test_console_script_lists_every_command_when_none_is_typed(argv):
    script = "import sys; sys.argv = ['lambdacost', *sys.argv[1:]]\nfrom lambdacost.cli import main\nmain()\n"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", script, *argv], env=env, capture_output=True, text=True)
    shown = done.stdout + done.stderr
    if argv == ["--help"]:
        assert done.returncode == 0
        assert all(name in shown for name in ("bill", "compare", "estimate", "diff", "logs", "tune", "prices"))
    else:
        assert done.returncode == 2
        assert "No such command 'estimat'. Did you mean 'estimate'?" in shown
