"""The CLI through Typer's runner: every path of `estimate` and `prices`, exit codes, error text."""

import csv
import io
import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

import lambdacost
from lambdacost.cli import app

runner = CliRunner()
BASE = ["estimate", "--memory", "512", "--ms", "120", "--requests", "5M", "--as-of", "2026-11-01"]


def run(*args):
    return runner.invoke(app, list(args))


def test_estimate_table_matches_the_library():
    result = run(*BASE)
    assert result.exit_code == 0, result.output
    expected = lambdacost.estimate(512, 120, 5e6, as_of="2026-11-01")
    assert str(expected) in result.output
    assert "total" in result.output and "$0.80" in result.output


def test_human_units_are_accepted():
    result = run(
        "estimate",
        "--memory",
        "2GB",
        "--ms",
        "1.5s",
        "--requests",
        "2.5k",
        "--per",
        "minute",
        "--as-of",
        "2026-11-01",
        "--json",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["inputs"]["memory_mb"] == 2048 and data["inputs"]["duration_ms"] == 1500
    assert data["inputs"]["requests"] == 2500 * 43_800  # 730 h x 60 minutes
    assert data["total_usd"] == pytest.approx(
        lambdacost.estimate(2048, 1500, 2500, requests_per="minute", as_of="2026-11-01").total_usd
    )


def test_json_and_explain():
    data = json.loads(run(*BASE, "--json", "--explain").output)
    assert data["pricing"]["stamp"] == "2026-12-01"
    assert "GB-s per request" in data["explanation"]
    explained = run(*BASE, "--explain").output
    assert "1. Memory: 512 MB = 0.5 GB" in explained and "Prices: https://" in explained


def test_csv_lines_sum_to_total():
    rows = list(csv.DictReader(io.StringIO(run(*BASE, "--csv").output)))
    assert rows[-1]["item"] == "total"
    assert sum(float(r["cost_usd"]) for r in rows[:-1]) == pytest.approx(float(rows[-1]["cost_usd"]))


def test_options_reach_the_model():
    result = run(
        "estimate",
        "-m",
        "1024",
        "-d",
        "100",
        "-r",
        "3e8",
        "--arch",
        "arm64",
        "--region",
        "eu-central-2",
        "--storage",
        "4GB",
        "--no-free-tier",
        "--as-of",
        "2026-11-01",
        "--json",
    )
    data = json.loads(result.output)
    expected = lambdacost.estimate(
        1024,
        100,
        3e8,
        arch="arm64",
        region="eu-central-2",
        ephemeral_storage_mb=4096,
        free_tier=False,
        as_of="2026-11-01",
    )
    assert data["total_usd"] == pytest.approx(expected.total_usd)
    assert {i["name"] for i in data["line_items"]} == {"requests", "duration tier 1", "ephemeral storage"}


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ["--memory", "100"],
            "Error: Invalid value for '--memory': memory_mb must be a whole number in 128..10240 MB, got 100",
        ),
        (
            ["--memory", "lots"],
            "Error: Invalid value for '--memory': memory_mb must be a size such as 512, 512MB or 2GB",
        ),
        (
            ["--ms", "-5"],
            "Error: Invalid value for '--ms': duration_ms must be a finite number in 0..900000 ms, got -5",
        ),
        (
            ["--ms", "16min"],
            "Error: Invalid value for '--ms': duration_ms must be a finite number in 0..900000 ms, got '16min'",
        ),
        (["--requests", "3X"], "Error: Invalid value for '--requests': requests must be a count"),
        (["--arch", "arm"], "Error: Invalid value for '--arch': arch must be one of 'x86_64', 'arm64', got 'arm'"),
        (
            ["--region", "eu-wst-1"],
            "Error: Invalid value for '--region': region 'eu-wst-1' is not priced; did you mean 'eu-west-1'",
        ),
        (
            ["--storage", "20GB"],
            "Error: Invalid value for '--storage': ephemeral_storage_mb must be a whole number in 512..10240 MB, got '20GB'",
        ),
        (["--per", "week"], "Error: Invalid value for '--per': requests_per must be one of"),
        (["--as-of", "2013-01-01"], "Error: Invalid value for '--as-of': as_of must be on or after 2014-11-13"),
        (["--as-of", "2019-01-01", "--arch", "arm64"], "Error: arm64 was not available on 2019-01-01"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args, message):
    options = dict(zip(BASE[1::2], BASE[2::2])) | dict(zip(args[::2], args[1::2]))
    result = run("estimate", *[x for kv in options.items() for x in kv])
    assert result.exit_code == 2
    assert result.output.startswith(message)
    assert result.output.count("\n") == 1 and "Traceback" not in result.output


def test_prices_list_and_show():
    listing = run("prices")
    assert listing.exit_code == 0
    assert "eu-south-1" in listing.output and "$0.0000195172" in listing.output and "me-central-1" in listing.output
    shown = run("prices", "show", "eu-south-1", "--arch", "arm64")
    assert shown.exit_code == 0
    assert "$0.0000156138" in shown.output and "(derived)" in shown.output and "Assumption:" in shown.output
    data = json.loads(run("prices", "show", "us-east-1", "--json").output)
    assert data["rates"][0]["source_url"].startswith("https://")
    bad = run("prices", "show", "mars-1")
    assert bad.exit_code == 2 and bad.output.startswith("Error: region 'mars-1' is not priced")


def test_version_shows_the_pricing_stamp():
    result = run("--version")
    assert (
        result.exit_code == 0 and result.output.strip() == f"lambdacost {lambdacost.__version__} (pricing 2026-12-01)"
    )


def test_estimate_path_imports_neither_pandas_nor_matplotlib():
    code = (
        "import sys; from lambdacost.cli import app\n"
        "try:\n    app(['estimate', '--memory', '512', '--ms', '120', '--requests', '1e6'])\n"
        "except SystemExit:\n    pass\n"
        "print(sorted(m for m in ('pandas', 'matplotlib') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_every_command_has_help():
    for command in (["estimate"], ["prices"], ["prices", "show"]):
        result = run(*command, "--help")
        assert result.exit_code == 0 and "Usage" in result.output


def test_pricing_dir_option_points_at_private_prices(tmp_path, monkeypatch):
    from lambdacost.prices import PRICING_DIR_ENV, packaged_pricing_dir

    monkeypatch.setenv(PRICING_DIR_ENV, "")  # empty means packaged; teardown restores the original
    text = (packaged_pricing_dir() / "lambda.toml").read_text()
    (tmp_path / "lambda.toml").write_text(
        text.replace("requests_usd_per_million = 0.27", "requests_usd_per_million = 0.10")
    )
    args = [
        "estimate",
        "-m",
        "128",
        "-d",
        "1",
        "-r",
        "11M",
        "--region",
        "af-south-1",
        "--as-of",
        "2026-11-01",
        "--json",
    ]
    private = json.loads(run("--pricing-dir", str(tmp_path), *args).output)
    assert private["total_usd"] == pytest.approx(10e6 * 0.10e-6)  # 10M billable requests at the private $0.10/M
    monkeypatch.setenv(PRICING_DIR_ENV, "")  # the option set it for this process
    public = json.loads(run(*args).output)
    assert public["total_usd"] == pytest.approx(10e6 * 0.27e-6)
    missing = run("--pricing-dir", str(tmp_path / "nowhere"), *args)
    assert missing.exit_code == 2 and "lambda.toml: -: file not found" in missing.output
