"""Costing REPORT logs: golden bills worked by hand, what-ifs, dask == pandas, the CLI.

Oracle for every rate: pricing/lambda.toml, us-east-1 (AWS Price List SKUs): x86_64 $0.0000166667/GB-s,
arm64 $0.0000133334/GB-s, requests $0.20 per million ($0.0000002 each); 1 GB = 1024 MB.
"""

import csv
import io
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from lambdacost.cli import app
from lambdacost.errors import InvalidParameterError
from lambdacost.readers.log_parse import parse_lines
from lambdacost.readers.logs import read_logs
from lambdacost.reports import DAYS_PER_MONTH, cost_invocations, parse_scenario, report, what_ifs

DATA = Path(__file__).parent / "data" / "logs"
TEXT, JSONL, EVENTS, BROKEN, EMPTY = (
    DATA / n for n in ("orders-text.log", "orders-json.jsonl", "payments.json", "broken.log", "empty.log")
)
X86, ARM, REQUEST = 0.0000166667, 0.0000133334, 0.0000002
runner = CliRunner()


def one(frame, function, scenario=None):
    rows = frame[frame["function"] == function]
    if scenario is not None:
        rows = rows[rows["scenario"] == scenario]
    assert len(rows) == 1
    return rows.iloc[0]


# ---------------------------------------------------------------- golden bills


def test_text_sample_billed_cost_by_hand():
    r = one(report(read_logs(TEXT), as_of="2026-11-01"), "orders-text")
    # billed MB x ms: 2048x546 + 128x13 + 256x1029 + 2048x154 + 1024x98 + 256x10938 + 128x800
    #   = 1,118,208 + 1,664 + 263,424 + 315,392 + 100,352 + 2,800,128 + 102,400 = 4,701,568
    # GB-s = 4,701,568 / 1024 / 1000 = 4.591375 (INIT is inside Billed Duration, never added again)
    assert r.billed_gb_seconds == pytest.approx(4.591375, rel=1e-15)
    assert r.cost == pytest.approx(4.591375 * X86 + 7 * REQUEST, rel=1e-12)
    assert (r.invocations, r.cold_starts, r.errors) == (7, 3, 2)  # cold: INIT x2 + SnapStart restore
    assert r.duration_p50_ms == 127.10  # sorted: 3.10 12.34 97.30 127.10 718.65 1028.49 10000
    assert r.max_memory_used_mb == 212 and r.memory_size_mb == 2048
    assert r.monthly_cost is pd.NA  # plain text has no timestamps: not known, never NaN
    assert any(
        "the monthly projection is not known; pass covered_days" in a
        for a in report(read_logs(TEXT)).attrs["assumptions"]
    )


def test_filter_log_events_cost_and_monthly_projection():
    df = read_logs(EVENTS)
    r = one(report(df, arch="arm64"), "payments")
    # 512 MB x (651 + 100 + 2) ms = 385,536 MB-ms = 0.3765 GB-s at the arm64 rate
    assert r.billed_gb_seconds == pytest.approx(0.3765, rel=1e-15)
    period = 0.3765 * ARM + 3 * REQUEST
    assert r.cost == pytest.approx(period, rel=1e-12)
    # span 12:00:00.500 -> 13:00:00.000 = 3599.5 s; month = 730 h = 2,628,000 s
    assert r.monthly_invocations == pytest.approx(3 * 2_628_000 / 3599.5, rel=1e-12)
    assert r.monthly_cost == pytest.approx(period * 2_628_000 / 3599.5, rel=1e-12)
    assert r.cold_start_rate == pytest.approx(1 / 3) and r.duration_p50_ms == 99.99
    assert r.memory_used_pct == pytest.approx(100 * 102 / 512)
    assert report(df).attrs["as_of"].isoformat() == "2025-10-01"  # newest record's day


def test_covered_days_and_free_tier():
    df = read_logs(EVENTS)
    plain = one(report(df, covered_days=1), "payments")
    assert plain.monthly_cost == pytest.approx((0.3765 * X86 + 3 * REQUEST) * DAYS_PER_MONTH, rel=1e-12)
    free = one(report(df, covered_days=1, free_tier=True), "payments")
    assert free.cost == 0 and free.monthly_cost == 0  # far inside 400,000 GB-s and 1M requests


def test_per_invocation_cost_matches_the_report():
    df = read_logs([TEXT, EVENTS])
    rows = cost_invocations(df, arch={"orders-text": "x86_64", "payments": "arm64"}, as_of="2026-11-01")
    total = report(df, arch={"orders-text": "x86_64", "payments": "arm64"}, as_of="2026-11-01")
    by_function = rows.groupby("function")["cost"].sum()
    assert by_function["payments"] == pytest.approx(one(total, "payments").cost, rel=1e-12)
    assert by_function["orders-text"] == pytest.approx(one(total, "orders-text").cost, rel=1e-12)
    assert rows.loc[rows["function"] == "payments", "arch"].unique().tolist() == ["arm64"]
    with pytest.raises(
        InvalidParameterError,
        match="arch must be a value for every function in the logs, got \"nothing for 'payments'\"",
    ):
        report(df, arch={"orders-text": "x86_64"})


# ---------------------------------------------------------------- what-ifs


def test_arm64_what_if_by_hand():
    w = one(what_ifs(read_logs(EVENTS), ["arm64"], arm64_speed_factor=0.8), "payments", "arm64")
    # 2025-10-01, so INIT is billable: ceil(0.8 x 250.50 + 0.8 x 400.25) = ceil(520.6) = 521,
    # ceil(0.8 x 99.99) = 80, ceil(0.8 x 1.01) = 1  ->  512 x 602 MB-ms = 0.301 GB-s
    assert w.baseline_gb_seconds == pytest.approx(0.3765) and w.what_if_gb_seconds == pytest.approx(0.301)
    base, new = 0.3765 * X86 + 3 * REQUEST, 0.301 * ARM + 3 * REQUEST
    assert (w.baseline_cost, w.what_if_cost) == (pytest.approx(base, rel=1e-12), pytest.approx(new, rel=1e-12))
    assert w.saving == pytest.approx(base - new, rel=1e-9)
    assert w.saving_pct == pytest.approx(100 * (base - new) / base, rel=1e-9)
    assert (w.arch, w.what_if_arch) == ("x86_64", "arm64")


def test_memory_and_right_size_what_ifs_by_hand():
    df = read_logs(EVENTS)
    w = what_ifs(df, ["memory=1024", "right-size", "right-size=0.5"], cpu_share=0)  # pure I/O: durations flat
    double = one(w, "payments", "memory=1024")
    assert double.what_if_gb_seconds == pytest.approx(2 * 0.3765)  # 1024 x 753 MB-ms
    assert double.saving == pytest.approx(-0.3765 * X86, rel=1e-9)
    right = one(w, "payments", "right-size")
    # max used 102 MB x 1.2 = 122.4 -> 123 MB, below the 128 MB minimum -> 128 MB
    assert right.what_if_memory_mb == 128 and right.what_if_gb_seconds == pytest.approx(128 * 753 / 1_024_000)
    assert right.saving_pct == pytest.approx(100 * (0.3765 - 0.094125) * X86 / (0.3765 * X86 + 3 * REQUEST), rel=1e-9)
    assert one(w, "payments", "right-size=0.5").what_if_memory_mb == 153  # ceil(102 x 1.5)


def test_what_if_init_rules_and_100ms_era():
    df = read_logs(TEXT)
    w = one(what_ifs(df, ["memory=2048"], cpu_share=0, as_of="2026-11-01"), "orders-text", "memory=2048")
    # Per invocation at today's 1 ms rules, memory unchanged where it was 2048 already:
    # 546 (INIT shown in billed), 13, 1029 (2024: INIT free), 154, 98, 10938 (kept: not explained
    # by the fields), and the 2014 line: ceil(718.65) = 719 instead of 800 (100 ms rounding gone).
    base_mb_ms = 2048 * 546 + 128 * 13 + 256 * 1029 + 2048 * 154 + 1024 * 98 + 256 * 10938 + 128 * 719
    assert w.baseline_gb_seconds == pytest.approx(base_mb_ms / 1_024_000, rel=1e-15)
    new_mb_ms = 2048 * (546 + 13 + 1029 + 154 + 98 + 10938 + 719)
    assert w.what_if_gb_seconds == pytest.approx(new_mb_ms / 1_024_000, rel=1e-15)


def test_scenarios_are_checked():
    assert parse_scenario("right-size=0.3") == ("right-size", 0.3)
    with pytest.raises(InvalidParameterError, match="what_if must be one of 'arm64'.*got 'memory=64'"):
        parse_scenario("memory=64")
    with pytest.raises(InvalidParameterError, match="what_if must be one of .*got 'gpu'"):
        parse_scenario("gpu")


@st.composite
def invocations(draw):
    n = draw(st.integers(1, 20))
    memory = draw(st.integers(128, 10240))
    durations = draw(st.lists(st.integers(1, 9_000_000), min_size=n, max_size=n))
    minute = draw(st.integers(0, 59))
    lines = [
        f'{{"time":"2025-10-01T12:{minute:02d}:{i % 60:02d}.000Z","type":"platform.report","record":{{"requestId":"r{i}",'
        f'"metrics":{{"durationMs":{d / 100:.2f},"billedDurationMs":{math.ceil(d / 100)},"memorySizeMB":{memory},'
        f'"maxMemoryUsedMB":{min(memory, 64 + i)}}},"status":"success"}}}}'
        for i, d in enumerate(durations)
    ]
    return parse_lines(lines, function="h")


@settings(max_examples=40, deadline=None)
@given(invocations(), st.floats(0.5, 1.5))
def test_what_if_invariants(df, factor):
    w = what_ifs(df, ["arm64", f"memory={int(df['memory_size_mb'].iloc[0])}"], arm64_speed_factor=factor)
    base = report(df)
    # as-is re-derivation equals what AWS billed (1 ms era, no INIT): baseline == report
    assert np.allclose(w["baseline_cost"], base["cost"].iloc[0], rtol=1e-12)
    same_memory = w[w["scenario"].str.startswith("memory")].iloc[0]
    assert same_memory.saving == pytest.approx(0, abs=1e-15)
    arm = w[w["scenario"] == "arm64"].iloc[0]
    if factor <= 1:
        assert arm.saving > 0  # cheaper rate and no slower
    assert arm.what_if_cost >= 0 and arm.baseline_cost > 0


@settings(max_examples=30, deadline=None)
@given(st.randoms(use_true_random=False))
def test_report_is_exactly_the_same_in_any_row_order(rnd):
    df = read_logs([TEXT, JSONL, EVENTS])
    order = list(range(len(df)))
    rnd.shuffle(order)
    shuffled = df.iloc[order].reset_index(drop=True)
    as_text = shuffled.assign(function=shuffled["function"].astype(str))  # labels as plain strings
    want = report(df, as_of="2026-11-01")
    pd.testing.assert_frame_equal(report(shuffled, as_of="2026-11-01"), want, check_exact=True)
    pd.testing.assert_frame_equal(report(as_text, as_of="2026-11-01"), want, check_exact=True)


# ---------------------------------------------------------------- dask == pandas


def test_dask_report_and_what_ifs_equal_pandas(dask_client):
    paths = [TEXT, JSONL, EVENTS, BROKEN, EMPTY]
    pandas_df, dask_df = read_logs(paths), read_logs(paths, engine="dask")
    pd.testing.assert_frame_equal(report(dask_df), report(pandas_df), check_exact=True)
    scenarios = ["arm64", "memory=512", "right-size"]
    pd.testing.assert_frame_equal(
        what_ifs(dask_df, scenarios, arm64_speed_factor=0.9),
        what_ifs(pandas_df, scenarios, arm64_speed_factor=0.9),
        check_exact=True,
    )


# ---------------------------------------------------------------- CLI


def test_cli_table_and_what_ifs():
    result = runner.invoke(
        app, ["logs", str(EVENTS), "--arch", "x86_64", "--what-if", "arm64", "--what-if", "memory=1024"]
    )
    assert result.exit_code == 0, result.output
    assert "payments" in result.output and "x86_64->arm64" in result.output and "512->1024" in result.output
    assert "3 REPORT record(s)" in result.output


def test_cli_json_and_csv():
    result = runner.invoke(app, ["logs", str(EVENTS), "--json", "--what-if", "right-size"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["functions"][0]["billed_gb_seconds"] == pytest.approx(0.3765)
    assert data["what_ifs"][0]["scenario"] == "right-size" and data["parse"]["reports"] == 3
    csv = runner.invoke(app, ["logs", str(TEXT), "--csv"])
    assert csv.exit_code == 0 and csv.output.splitlines()[0].startswith("function,arch,region,invocations")


def test_cli_bad_input_exit_codes():
    partial = runner.invoke(app, ["logs", str(BROKEN)])
    assert partial.exit_code == 0 and "4 malformed" in partial.output  # something parsed: report it, go on
    strict = runner.invoke(app, ["logs", str(BROKEN), "--strict"])
    assert strict.exit_code == 2 and "4 malformed" in strict.output and "broken.log:3" in strict.output
    empty = runner.invoke(app, ["logs", str(EMPTY)])
    assert empty.exit_code == 2 and "no REPORT records found" in empty.output
    missing = runner.invoke(app, ["logs", str(DATA / "nope.log")])
    assert missing.exit_code == 2 and "paths must be existing files" in missing.output
    bad = runner.invoke(app, ["logs", str(EVENTS), "--what-if", "gpu"])
    assert bad.exit_code == 2 and "what_if must be one of" in bad.output
    region = runner.invoke(app, ["logs", str(EVENTS), "--region", "us-east-9"])
    assert region.exit_code == 2 and "us-east-9" in region.output


def test_cli_dask_engine_matches():
    plain = runner.invoke(app, ["logs", str(TEXT), str(EVENTS), "--json"])
    dask = runner.invoke(app, ["logs", str(TEXT), str(EVENTS), "--json", "--engine", "dask"])
    assert plain.exit_code == 0 and dask.exit_code == 0, dask.output
    assert json.loads(plain.output)["functions"] == json.loads(dask.output)["functions"]


def test_cli_progress_bar_for_slow_reads_on_a_terminal_only(monkeypatch):
    import io

    from lambdacost.cli import progress

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    terminal = Terminal()
    monkeypatch.setattr(progress, "DELAY_S", 0.0)  # every read counts as slow
    plain = runner.invoke(app, ["logs", str(TEXT), str(EVENTS), "--json"])
    assert plain.exit_code == 0 and plain.stderr == ""  # stderr is no terminal here: no bar
    monkeypatch.setattr(progress, "_stderr", lambda: terminal)
    result = runner.invoke(app, ["logs", str(TEXT), str(EVENTS), "--json"])
    assert result.exit_code == 0, result.output
    assert "Reading logs" in terminal.getvalue()
    assert json.loads(result.stdout)["parse"]["reports"] == 10  # the bar stays off stdout


def test_cli_module_does_not_load_pandas():
    import subprocess
    import sys

    code = "import sys, lambdacost, lambdacost.cli; print('pandas' in sys.modules or 'pyarrow' in sys.modules)"
    assert (
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
        == "False"
    )


def test_cli_fleet_file_sets_arch_and_region(tmp_path):
    fleet = tmp_path / "fleet.toml"
    fleet.write_text('[[functions]]\nname = "payments"\narch = "arm64"\nregion = "eu-south-1"\n')
    result = runner.invoke(app, ["logs", str(EVENTS), str(TEXT), "--fleet", str(fleet), "--json"])
    assert result.exit_code == 0, result.output
    rows = {r["function"]: r for r in json.loads(result.output)["functions"]}
    assert (rows["payments"]["arch"], rows["payments"]["region"]) == ("arm64", "eu-south-1")
    assert (rows["orders-text"]["arch"], rows["orders-text"]["region"]) == ("x86_64", "us-east-1")
    # eu-south-1 arm64 tier 1 $0.0000156138/GB-s, requests $0.23 per million (pricing/lambda.toml)
    assert rows["payments"]["cost"] == pytest.approx(0.3765 * 0.0000156138 + 3 * 0.00000023, rel=1e-12)


def test_cli_one_speed_factor_name_across_commands():
    # logs and tune set the arm64 duration ratio with the same flag; a bad value names it.
    result = runner.invoke(app, ["logs", str(EVENTS), "--what-if", "arm64", "--arm64-factor", "0"])
    assert result.exit_code == 2
    assert "Invalid value for '--arm64-factor': arm64_speed_factor must be" in result.output
    assert "--arm64-factor" in runner.invoke(app, ["tune", "--help"]).output


def test_each_function_projects_from_its_own_span(tmp_path):
    # Two functions in one folder: one with timestamps over 2 days, one plain text without any.
    # The plain one gets no projection; it never borrows the other's span.
    stamped = tmp_path / "stamped.log"
    lines = [
        "2026-11-01T00:00:00.000Z REPORT RequestId: a1\tDuration: 99.20 ms\tBilled Duration: 100 ms\t"
        "Memory Size: 1024 MB\tMax Memory Used: 80 MB",
        "2026-11-03T00:00:00.000Z REPORT RequestId: a2\tDuration: 99.20 ms\tBilled Duration: 100 ms\t"
        "Memory Size: 1024 MB\tMax Memory Used: 80 MB",
    ]
    stamped.write_text("\n".join(lines) + "\n")
    (tmp_path / "plain.log").write_text(TEXT.read_text())
    r = report(read_logs(str(tmp_path)), as_of="2026-11-04").set_index("function")
    assert r.loc["stamped", "covered_days"] == 2.0
    assert r.loc["stamped", "monthly_invocations"] == pytest.approx(2 * DAYS_PER_MONTH / 2)
    assert r.loc["plain", "covered_days"] is pd.NA and r.loc["plain", "monthly_cost"] is pd.NA
    # With the free tier, the plain one takes no part of the monthly pool and spoils no other row:
    # the stamped one's 0.2 GB-s and 2 requests over 2 days are 36.5 GB-s and 365 requests a month, all free.
    free = report(read_logs(str(tmp_path)), as_of="2026-11-04", free_tier=True).set_index("function")
    assert free.loc["stamped", "monthly_cost"] == 0 and free.loc["plain", "monthly_cost"] is pd.NA
    assert free.attrs["no_span"] == ("plain",) and free.attrs["covered_days"] == 2.0


def _no_nan_or_inf(frame):
    numbers = frame.select_dtypes("number")
    for column in numbers:
        values = numbers[column].dropna().to_numpy(dtype=float)  # pd.NA is "not known"; NaN is not allowed
        assert np.isfinite(values).all(), column
        assert not numbers[column].astype(object).map(lambda v: isinstance(v, float) and v != v).any(), column


def test_no_span_is_not_known_never_nan():
    df = read_logs(TEXT)
    r = report(df, as_of="2026-11-01")
    w = what_ifs(df, ["arm64", "memory=1024"], as_of="2026-11-01")
    for frame in (r, w):
        _no_nan_or_inf(frame)
    for column in ("covered_days", "monthly_invocations", "monthly_cost"):
        assert r[column].dtype == "Float64" and r[column].isna().all()
    assert w["monthly_saving"].dtype == "Float64" and w["monthly_saving"].isna().all()
    assert r.attrs["covered_days"] is None and w.attrs["covered_days"] is None
    with pytest.raises(TypeError):  # a month not known cannot slip into arithmetic as a number
        float(r.loc[0, "monthly_cost"])
    known = report(df, as_of="2026-11-01", covered_days=2)
    assert known["monthly_cost"].dtype == "Float64" and known.attrs["covered_days"] == 2
    assert known.loc[0, "monthly_cost"] == pytest.approx(known.loc[0, "cost"] * DAYS_PER_MONTH / 2, rel=1e-12)
    _no_nan_or_inf(known)


def test_cli_says_why_the_month_is_not_known():
    args = ["logs", str(TEXT), "--as-of", "2026-11-01", "--what-if", "arm64"]
    text = runner.invoke(app, args).output
    assert "per month: not known for orders-text (no time span in the logs); pass --days N" in text
    assert "pass --days N" in text and "covered_days" not in text
    data = json.loads(runner.invoke(app, [*args, "--json"]).output, parse_constant=pytest.fail)
    assert data["covered_days"] is None
    assert data["functions"][0]["monthly_cost"] is None and data["what_ifs"][0]["monthly_saving"] is None
    assert sum("not known" in a for a in data["assumptions"]) == 1  # said once, not by report and what-ifs each
    rows = list(csv.reader(io.StringIO(runner.invoke(app, [*args, "--csv"]).output)))
    header, first = rows[0], rows[1]
    assert first[header.index("monthly_cost")] == "" and first[header.index("covered_days")] == ""
    what_if_header = rows[3]
    assert rows[4][what_if_header.index("monthly_saving")] == ""


def test_what_if_baseline_is_the_report_cost_with_the_free_tier():
    df = read_logs(EVENTS)
    for free_tier in (False, True):
        r = one(report(df, covered_days=1, free_tier=free_tier), "payments")
        w = one(what_ifs(df, ["arm64"], covered_days=1, free_tier=free_tier), "payments", "arm64")
        assert w.baseline_cost == pytest.approx(r.cost, rel=1e-12, abs=1e-15)


def test_threaded_statistics_equal_one_thread_and_numpy(tmp_path, monkeypatch):
    import lambdacost.reports as reports

    rng = np.random.default_rng(7)
    for name, n in (("one", 1), ("two", 2), ("ties", 400)):  # tiny groups, and many equal durations
        durations = rng.choice([0.5, 1.25, 99.99, 1234.5], n) if name == "ties" else rng.uniform(0, 900, n).round(3)
        lines = [
            f"REPORT RequestId: {name}{k}\tDuration: {d} ms\tBilled Duration: {math.ceil(d) or 1} ms\t"
            f"Memory Size: 512 MB\tMax Memory Used: 70 MB\t"
            for k, d in enumerate(durations)
        ]
        (tmp_path / f"{name}.log").write_text("\n".join(lines) + "\n")
    df = read_logs(tmp_path)
    monkeypatch.setattr(reports, "PARALLEL_MIN_ROWS", 10**9)
    serial = report(df, as_of="2026-11-01", covered_days=1)
    monkeypatch.setattr(reports, "PARALLEL_MIN_ROWS", 1)
    pd.testing.assert_frame_equal(report(df, as_of="2026-11-01", covered_days=1), serial, check_exact=True)
    for row in serial.itertuples():
        durations = df.loc[df["function"] == row.function, "duration_ms"].to_numpy()
        want = np.quantile(durations, [0.5, 0.95, 0.99]).tolist()
        assert [row.duration_p50_ms, row.duration_p95_ms, row.duration_p99_ms] == want
        assert row.duration_mean_ms == math.fsum(durations) / len(durations)


def test_a_projection_from_under_an_hour_of_logs_is_a_warning_until_covered_days_is_given():
    # the real Insights response of two invocations 0.787 s apart (tests/data/README.md)
    frame = read_logs(DATA / "exports" / "claude-invoker.get-query-results.json")
    short = report(frame, as_of="2026-11-01")
    warning = [a for a in short.attrs["assumptions"] if a.startswith("warning: the logs of claude-invoker")]
    span_s = (frame["timestamp"].max() - frame["timestamp"].min()).total_seconds()
    assert len(warning) == 1 and f"(the shortest {span_s:.3g} s)" in warning[0]
    assert f"by {DAYS_PER_MONTH * 86400 / span_s:,.0f};" in warning[0]
    assert short["monthly_invocations"].iloc[0] == pytest.approx(2 * DAYS_PER_MONTH * 86400 / span_s)
    given_days = report(frame, as_of="2026-11-01", covered_days=1)
    assert not [a for a in given_days.attrs["assumptions"] if "under an hour" in a]
    assert not [a for a in what_ifs(frame, ["arm64"], as_of="2026-11-01", covered_days=1).attrs["assumptions"]
                if "under an hour" in a]  # fmt: skip
    out = CliRunner().invoke(app, ["logs", str(DATA / "exports" / "claude-invoker.get-query-results.json")])
    assert out.exit_code == 0 and "pass --days N for the time the logs stand for" in out.output
