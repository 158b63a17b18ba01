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
    assert data["total_cost"] == pytest.approx(
        lambdacost.estimate(2048, 1500, 2500, requests_per="minute", as_of="2026-11-01").total_cost
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
    assert sum(float(r["cost"]) for r in rows[:-1]) == pytest.approx(float(rows[-1]["cost"]))


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
    assert data["total_cost"] == pytest.approx(expected.total_cost)
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
    (tmp_path / "lambda.toml").write_text(text.replace("requests_per_million = 0.27", "requests_per_million = 0.10"))
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
    assert private["total_cost"] == pytest.approx(10e6 * 0.10e-6)  # 10M billable requests at the private $0.10/M
    monkeypatch.setenv(PRICING_DIR_ENV, "")  # the option set it for this process
    public = json.loads(run(*args).output)
    assert public["total_cost"] == pytest.approx(10e6 * 0.27e-6)
    missing = run("--pricing-dir", str(tmp_path / "nowhere"), *args)
    assert missing.exit_code == 2 and "lambda.toml: file not found" in missing.output


FREE_FLEET = """
[[functions]]
name = "f0"
memory_mb = 512
duration_ms = 7
requests = 300000

[[functions]]
name = "f1"
memory_mb = 1536
duration_ms = 333
requests = 10000
"""


def test_bill_csv_money_is_clean_where_credits_cancel_charges(tmp_path):
    # 0.5 GB x 0.007 s x 300,000 = 1,050 GB-s and 1.5 GB x 0.333 s x 10,000 = 4,995 GB-s, 310,000
    # requests: all inside the free tier, so every charge is cancelled by its credit. The sum of
    # the two used to print 1.3877787807814457e-17 for f1's share.
    fleet = tmp_path / "free.toml"
    fleet.write_text(FREE_FLEET)
    result = run("bill", str(fleet), "--as-of", "2026-11-01", "--csv")
    assert result.exit_code == 0, result.output
    assert "e-" not in result.output and "-0" not in result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [(r["name"], r["standalone_cost"], r["share_cost"], r["marginal_cost"]) for r in rows[:-1]] == [
        ("f0", "0", "0", "0"),
        ("f1", "0", "0", "0"),
    ]
    assert rows[-1]["share_cost"] == "0"


def test_money_text_rounds_to_the_documented_precision():
    from lambdacost.cli.common import MONEY_DECIMALS, money_text

    assert MONEY_DECIMALS == 10
    assert money_text(-2.4069288229178198e-17) == "0"
    assert money_text(2.733338) == "2.733338"
    assert money_text(6.269482958264671) == "6.2694829583"
    assert money_text(0.0000004) == "0.0000004"
    assert money_text("") == ""


def test_help_is_wider_than_80_columns_when_piped_and_shows_dask_extra(monkeypatch):
    from typer import rich_utils

    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.delenv("TERMINAL_WIDTH", raising=False)
    monkeypatch.setattr(rich_utils, "MAX_WIDTH", None)
    result = run("logs", "--help")  # the runner's stdout is not a terminal
    assert result.exit_code == 0
    widths = [len(line) for line in result.output.splitlines()]
    assert max(widths) == 110  # HELP_WIDTH, not Rich's 80 for a pipe
    text = " ".join(result.output.split())
    assert "lambdacost[dask]" in text  # the extra's brackets are not taken for markup


def test_help_width_leaves_a_users_columns_alone(monkeypatch):
    from typer import rich_utils

    monkeypatch.setenv("COLUMNS", "90")
    monkeypatch.setattr(rich_utils, "MAX_WIDTH", None)
    assert run("bill", "--help").exit_code == 0
    assert rich_utils.MAX_WIDTH is None


LOG = "tests/data/logs/orders-text.log"


@pytest.mark.parametrize(
    "args",
    [
        [*BASE],
        ["bill", "tests/data/fleets/basic.toml"],
        ["sweep", "-m", "128:1024:128", "-d", "100", "-r", "1e7", "--as-of", "2026-11-01"],
        ["tune", "--ms", "800@1024", "-r", "5M", "-m", "128:2048:128", "--as-of", "2026-11-01"],
        ["logs", LOG, "--what-if", "arm64", "--as-of", "2026-11-01"],
        ["compare", "-m", "512", "-d", "120", "--rps", "5", "--against", "ec2:t4g.small", "--as-of", "2026-11-01"],
    ],
    ids=lambda a: a[0],
)
def test_every_plot_says_chart_written_the_same_way_on_stderr(args, tmp_path):
    chart = tmp_path / "chart.png"
    result = CliRunner().invoke(app, [*args, "--plot", str(chart)])
    assert result.exit_code == 0, result.output
    assert chart.stat().st_size > 1000
    assert result.stderr == f"chart written to {chart}\n"
    assert "chart written" not in result.stdout


def test_logs_plot_draws_cost_per_function_with_the_what_ifs(tmp_path):
    chart = tmp_path / "logs.svg"
    result = run("logs", LOG, "--what-if", "arm64", "--what-if", "memory=512", "--plot", str(chart), "--json")
    assert result.exit_code == 0, result.output
    svg = chart.read_text()
    assert "what if arm64" in svg and "what if memory=512" in svg and "as logged" in svg
    assert json.loads(result.stdout)["functions"][0]["function"] == "orders-text"  # stdout stays JSON


def test_logs_plot_refuses_other_formats_before_reading():
    result = run("logs", "no-such-file.log", "--plot", "chart.pdf")
    assert result.exit_code == 2
    assert "Invalid value for '--plot': the file must end in .png or .svg, got 'chart.pdf'" in result.output


class FakeTerminal(io.StringIO):
    """A stderr that says it is a terminal, and keeps what was drawn on it."""

    def isatty(self):
        return True


class FakeClock:
    def __init__(self, *times):
        self.times = list(times)

    def __call__(self):
        return self.times.pop(0) if len(self.times) > 1 else self.times[0]


def test_progress_is_silent_when_stderr_is_not_a_terminal():
    from lambdacost.cli.progress import Progress

    out = io.StringIO()  # a pipe or a file: isatty() is False
    with Progress(10, "Writing CSV", stream=out, clock=FakeClock(0.0, 60.0)) as bar:
        bar.update(5)
        bar.update(5)
    assert out.getvalue() == "" and not bar.shown


def test_progress_is_silent_for_work_under_two_seconds_on_a_terminal():
    from lambdacost.cli.progress import DELAY_S, Progress

    assert DELAY_S == 2.0
    out = FakeTerminal()
    with Progress(10, "Writing CSV", stream=out, clock=FakeClock(0.0, 0.5, 1.9)) as bar:
        bar.update(5)
        bar.update(5)
    assert out.getvalue() == "" and not bar.shown


def test_progress_draws_on_a_terminal_after_two_seconds_then_erases_itself():
    from lambdacost.cli.progress import Progress

    out = FakeTerminal()
    with Progress(200, "Writing CSV", stream=out, clock=FakeClock(0.0, 2.5, 2.55, 4.0)) as bar:
        bar.update(50)  # 2.5 s: drawn
        bar.update(50)  # 2.55 s: too soon after the last redraw
        bar.update(100)  # 4.0 s: done
    drawn = out.getvalue().split("\r")
    assert drawn[1] == "Writing CSV [#######-----------------------]  25%  2.5 s"
    assert drawn[2] == "Writing CSV [##############################] 100%  4.0 s"
    assert drawn[3] == " " * len(drawn[2]) and drawn[4] == ""  # erased, cursor at the line start


SWEEP_CSV = ["sweep", "-m", "128:10240:1", "-d", "100,200", "-r", "1e6", "--as-of", "2026-11-01", "--csv"]


def test_sweep_csv_shows_a_bar_on_a_terminal_and_stdout_is_unchanged(monkeypatch):
    from lambdacost.cli import common, progress

    plain = CliRunner().invoke(app, SWEEP_CSV)
    assert plain.exit_code == 0 and plain.stderr == ""  # not a terminal: no bar, even at 0 s
    terminal = FakeTerminal()
    monkeypatch.setattr(progress, "_stderr", lambda: terminal)
    monkeypatch.setattr(progress, "DELAY_S", 0.0)
    monkeypatch.setattr(progress, "REDRAW_S", 0.0)
    monkeypatch.setattr(common, "CSV_CHUNK_ROWS", 5_000)
    shown = CliRunner().invoke(app, SWEEP_CSV)
    assert shown.exit_code == 0
    assert shown.stdout == plain.stdout  # 20,226 rows, written in 5 chunks, the same text
    assert len(plain.stdout.splitlines()) == 1 + 10_113 * 2
    steps = [s for s in terminal.getvalue().split("\r") if s.startswith("Writing CSV")]
    assert [s.split("]")[1].split("%")[0].strip() for s in steps] == ["25", "49", "74", "99", "100"]  # of 20,226


def test_sweep_cheapest_by_and_logs_report_progress_on_a_terminal(monkeypatch):
    from lambdacost.cli import progress

    terminal = FakeTerminal()
    monkeypatch.setattr(progress, "_stderr", lambda: terminal)
    monkeypatch.setattr(progress, "DELAY_S", 0.0)
    monkeypatch.setattr(progress, "REDRAW_S", 0.0)
    args = ["sweep", "-m", "128:10240:1", "-d", "1:200:1", "-r", "1e6", "--cheapest-by", "memory_mb", "--json"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)) == 10_113
    assert "Pricing [##############################] 100%" in terminal.getvalue()
    terminal.seek(0)
    terminal.truncate()
    assert run("logs", LOG, "tests/data/logs/payments.json").exit_code == 0
    assert "Reading logs [##############################] 100%" in terminal.getvalue()
