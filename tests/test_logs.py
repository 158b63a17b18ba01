"""Reading Lambda REPORT records: every line shape, every wrapper, bad input counted."""

import base64
import gzip
import io
import json
import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lambdacost.errors import InvalidParameterError
from lambdacost.readers.log_parse import COLUMNS, MalformedLogError, parse_lines, parse_summary
from lambdacost.readers.log_paths import expand_paths, function_from_source
from lambdacost.readers.logs import read_logs

DATA = Path(__file__).parent / "data" / "logs"
TEXT, JSONL, EVENTS, BROKEN, EMPTY = (
    DATA / n for n in ("orders-text.log", "orders-json.jsonl", "payments.json", "broken.log", "empty.log")
)


def row(df, line):
    return df.loc[df["line"] == line].iloc[0]


# ---------------------------------------------------------------- golden parses of the samples


def test_text_sample_every_shape():
    df = read_logs(TEXT)
    assert list(df.columns) == list(COLUMNS)
    assert df["line"].tolist() == [4, 8, 11, 15, 20, 24, 27]
    # 1. cold start after 2025-08-01: 3.10 + 542.01 -> 546 billed, X-Ray line skipped
    cold = row(df, 4)
    assert (
        cold.request_id,
        cold.duration_ms,
        cold.billed_duration_ms,
        cold.memory_size_mb,
        cold.max_memory_used_mb,
    ) == ("b92a770e-7c92-4a13-84e3-613428ff991f", 3.10, 546, 2048, 95)
    assert cold.init_duration_ms == 542.01 and cold.cold_start and cold.status == "success"
    # 2. warm, no optional field
    warm = row(df, 8)
    assert (warm.duration_ms, warm.billed_duration_ms, warm.memory_size_mb) == (12.34, 13, 128)
    assert math.isnan(warm.init_duration_ms) and not warm.cold_start
    # 3. 2024 cold start: INIT not billed (1029 = ceil(1028.49))
    assert (row(df, 11).init_duration_ms, row(df, 11).billed_duration_ms) == (615.62, 1029)
    # 4. SnapStart
    snap = row(df, 15)
    assert (snap.restore_duration_ms, snap.billed_restore_duration_ms, snap.billed_duration_ms, snap.cold_start) == (
        325.93,
        26.0,
        154,
        True,
    )
    # 5. error status, 6. timeout
    assert row(df, 20).status == "error" and row(df, 24).status == "timeout"
    assert row(df, 24).billed_duration_ms == 10938
    # 7. 2014: 100 ms rounding and the stray space before the tab
    old = row(df, 27)
    assert (old.duration_ms, old.billed_duration_ms, old.memory_size_mb, old.max_memory_used_mb) == (
        718.65,
        800,
        128,
        14,
    )
    assert df["function"].unique().tolist() == ["orders-text"]
    assert df["timestamp"].isna().all()
    summary = parse_summary(df)
    assert (summary.lines, summary.reports, summary.malformed, summary.other_lines) == (27, 7, 0, 20)


def test_json_sample_every_shape():
    df = read_logs(JSONL, function="orders-api")
    assert df["line"].tolist() == [4, 6, 7, 8, 9, 10]
    first = row(df, 4)
    assert (first.request_id, first.duration_ms, first.billed_duration_ms, first.init_duration_ms) == (
        "79b5e81f-9cdd-4145-b1f6-7c50ef8a2a36",
        1233.96,
        1698,
        463.512,
    )
    assert first.timestamp == pd.Timestamp("2025-10-01T12:00:01.799Z")
    assert row(df, 7).timestamp == pd.Timestamp("2022-10-21T14:05:05.766Z")  # record with tracing
    assert row(df, 8).status == "timeout" and row(df, 9).status == "error"
    snap = row(df, 10)
    # JSON has no billed-restore field: unknown (NaN), never 0
    assert snap.restore_duration_ms == 325.93 and math.isnan(snap.billed_restore_duration_ms) and snap.cold_start
    assert df["function"].unique().tolist() == ["orders-api"]
    assert parse_summary(df).other_lines == 4  # initStart, start x2, application log


def test_filter_log_events_json_with_xray_in_the_event():
    df = read_logs(EVENTS)
    assert df["function"].unique().tolist() == ["payments"]
    assert df["line"].tolist() == [3, 5, 6]  # event numbers
    assert df["timestamp"].tolist() == [
        pd.Timestamp(1759320000500, unit="ms", tz="UTC"),
        pd.Timestamp(1759320060000, unit="ms", tz="UTC"),
        pd.Timestamp(1759323600000, unit="ms", tz="UTC"),
    ]
    assert row(df, 3).init_duration_ms == 400.25 and row(df, 3).billed_duration_ms == 651


def test_subscription_payload_gzip_names_function_from_log_group(tmp_path):
    payload = {
        "messageType": "DATA_MESSAGE",
        "owner": "123456789012",
        "logGroup": "/aws/lambda/thumbnailer",
        "logStream": "2025/10/01/[$LATEST]abc",
        "subscriptionFilters": ["f"],
        "logEvents": [
            {
                "id": "1",
                "timestamp": 1759320000000,
                "message": "REPORT RequestId: r1\tDuration: 5.00 ms\tBilled Duration: 5 ms\tMemory Size: 256 MB\tMax Memory Used: 70 MB\t",
            }
        ],
    }
    path = tmp_path / "batch-0001"
    path.write_bytes(gzip.compress(json.dumps(payload).encode()))
    df = read_logs(path)
    assert df[["function", "request_id", "billed_duration_ms"]].values.tolist() == [["thumbnailer", "r1", 5]]


def test_s3_export_lines_gzip_in_log_group_folder(tmp_path):
    folder = tmp_path / "exportedlogs" / "task" / "aws" / "lambda" / "resizer" / "2025" / "10" / "01"
    folder.mkdir(parents=True)
    text = (
        "2025-10-01T12:00:00.000Z START RequestId: r1 Version: $LATEST\n"
        "2025-10-01T12:00:00.250Z REPORT RequestId: r1\tDuration: 200.00 ms\tBilled Duration: 200 ms\tMemory Size: 1024 MB\tMax Memory Used: 80 MB\t\n"
    )
    (folder / "000000.gz").write_bytes(gzip.compress(text.encode()))
    df = read_logs(tmp_path)  # a directory: walked
    assert df["function"].tolist() == ["resizer"]
    assert df["timestamp"].tolist() == [pd.Timestamp("2025-10-01T12:00:00.250Z")]
    assert df["line"].tolist() == [2]


def test_space_separated_and_json_mixed_in_one_file():
    df = parse_lines(
        [
            "REPORT RequestId: 24addd09-6e64-49fb-b187-94ba9b60b59a Duration: 127.10 ms  Billed Duration: 154 ms  Memory Size: 2048 MB  "
            "Max Memory Used: 212 MB  Restore Duration: 325.93 ms  Billed Restore Duration: 26 ms  XRAY TraceId: 1-66d978e5-56c7378e556e94b5461da07c  SegmentId: 29c3839e6ecb5895  Sampled: true",
            '{"time":"2025-10-01T12:00:05.031Z","type":"platform.report","record":{"requestId":"e1","metrics":{"durationMs":20.417,"billedDurationMs":21,"memorySizeMB":256,"maxMemoryUsedMB":124},"status":"success"}}',
        ],
        function="mixed",
    )
    assert df[["duration_ms", "billed_duration_ms", "billed_restore_duration_ms"]].values.tolist()[0] == [
        127.10,
        154,
        26.0,
    ]
    assert df["request_id"].tolist() == ["24addd09-6e64-49fb-b187-94ba9b60b59a", "e1"]


# ---------------------------------------------------------------- sources


def test_globs_directories_stdin_and_names(tmp_path, monkeypatch):
    assert expand_paths(str(DATA / "orders-*")) == [str(JSONL), str(TEXT)]
    assert len(read_logs([str(DATA / "orders-*")])) == 13
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(TEXT.read_bytes())))
    df = read_logs("-")
    assert len(df) == 7 and df["function"].unique().tolist() == ["stdin"]
    with pytest.raises(
        InvalidParameterError, match=r"paths must be existing files, directories, globs or '-', got '.*nope'"
    ):
        read_logs(tmp_path / "nope")
    assert function_from_source("a/b/aws/lambda/fn-1/x.log") == "fn-1"


def test_unreadable_gzip_is_reported_not_raised(tmp_path):
    bad = tmp_path / "cut.log.gz"
    bad.write_bytes(gzip.compress(TEXT.read_bytes())[:40])
    df = read_logs([bad, TEXT])
    summary = parse_summary(df)
    assert len(df) == 7 and len(summary.unreadable) == 1 and "cut.log.gz" in summary.unreadable[0]
    with pytest.raises(MalformedLogError, match="0 malformed REPORT record"):
        read_logs([bad], strict=True)


# ---------------------------------------------------------------- bad input


def test_bad_input_counted_with_line_numbers():
    df = read_logs(BROKEN)
    summary = parse_summary(df)
    assert df["line"].tolist() == [2, 6]
    # truncated text, non-numeric, unknown unit (s), truncated JSON
    assert summary.malformed == 4
    assert [e.split(": ", 1)[0].rsplit(":", 1)[1] for e in summary.examples] == ["3", "4", "5", "7"]
    assert summary.lines == 9 and summary.reports + summary.malformed + summary.other_lines == summary.lines
    assert "4 malformed" in summary.describe() and "broken.log:3" in summary.describe()


def test_strict_raises_with_the_first_lines():
    with pytest.raises(MalformedLogError, match=r"4 malformed REPORT record\(s\): .*broken.log:3: "):
        read_logs(BROKEN, strict=True)


def test_empty_file_is_reported():
    df = read_logs(EMPTY)
    assert df.empty and list(df.columns) == list(COLUMNS)
    assert parse_summary(df).empty_sources == (str(EMPTY),)


def test_unknown_engine():
    with pytest.raises(InvalidParameterError, match="engine must be one of 'pandas', 'dask', got 'spark'"):
        read_logs(TEXT, engine="spark")


# ---------------------------------------------------------------- properties

two_dp = st.integers(0, 90_000_000).map(lambda c: f"{c // 100}.{c % 100:02d}")
separators = st.sampled_from(["\t", " ", "  ", " \t"])


@st.composite
def report_lines(draw):
    sep = draw(separators)
    fields = {
        "request_id": str(draw(st.uuids())),
        "duration": draw(two_dp),
        "billed": draw(st.integers(1, 900_000)),
        "memory": draw(st.integers(128, 10240)),
        "used": draw(st.integers(1, 10240)),
        "init": draw(st.none() | two_dp),
        "restore": draw(st.none() | st.tuples(two_dp, st.integers(0, 10_000))),
        "status": draw(st.none() | st.sampled_from(["error", "timeout"])),
    }
    parts = [
        f"REPORT RequestId: {fields['request_id']}",
        f"Duration: {fields['duration']} ms",
        f"Billed Duration: {fields['billed']} ms",
        f"Memory Size: {fields['memory']} MB",
        f"Max Memory Used: {fields['used']} MB",
    ]
    if fields["init"] is not None:
        parts.append(f"Init Duration: {fields['init']} ms")
    if fields["restore"] is not None:
        parts += [f"Restore Duration: {fields['restore'][0]} ms", f"Billed Restore Duration: {fields['restore'][1]} ms"]
    if fields["status"] is not None:
        parts.append(f"Status: {fields['status']}")
        if draw(st.booleans()):
            parts.append("Error Type: Runtime.ExitError")
    line = sep.join(parts) + draw(st.sampled_from(["", "\t", " "]))
    if draw(st.booleans()):
        line += "\nXRAY TraceId: 1-6a507b87-0cc4438344b48ef127ab1931\tSegmentId: d0025b207c551fde\tSampled: true\t"
    return line, fields


@settings(max_examples=60, deadline=None)
@given(st.lists(report_lines(), min_size=1, max_size=5))
def test_generated_report_lines_round_trip(items):
    text = "\n".join(line for line, _ in items)
    df = parse_lines(text, function="f")
    assert parse_summary(df).malformed == 0
    assert len(df) == len(items)
    for got, (_, want) in zip(df.itertuples(), items):
        assert got.request_id == want["request_id"]
        assert got.duration_ms == float(want["duration"])
        assert (got.billed_duration_ms, got.memory_size_mb, got.max_memory_used_mb) == (
            want["billed"],
            want["memory"],
            want["used"],
        )
        init = float(want["init"]) if want["init"] is not None else None
        assert (got.init_duration_ms == init) if init is not None else math.isnan(got.init_duration_ms)
        if want["restore"] is None:
            assert math.isnan(got.restore_duration_ms) and math.isnan(got.billed_restore_duration_ms)
        else:
            assert (got.restore_duration_ms, got.billed_restore_duration_ms) == (
                float(want["restore"][0]),
                want["restore"][1],
            )
        assert got.status == (want["status"] or "success")
        assert got.cold_start == (want["init"] is not None or want["restore"] is not None)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.binary(max_size=80).map(lambda b: b.decode("latin-1")),
            st.text(max_size=80),
            st.text(max_size=60).map(lambda t: "REPORT " + t),
            st.text(max_size=60).map(lambda t: '{"type":"platform.report",' + t),
        ),
        max_size=12,
    )
)
def test_fuzzed_garbage_never_crashes_and_is_counted(lines):
    lines = [line.replace("\n", " ").replace("\r", " ") for line in lines]
    df = parse_lines(lines, function="g")
    summary = parse_summary(df)
    if summary.formats[0].split(": ")[1] in ("log-events-json", "insights-json", "insights-results-json"):
        # a JSON document's records are its events, not its text lines: one with none is listed as such
        assert summary.lines > 0 or summary.empty_sources == ("<lines>",)
    else:
        assert summary.lines == len(lines)
    assert summary.reports == len(df)
    assert summary.reports + summary.malformed + summary.other_lines == summary.lines
    # every line that claims to be a REPORT is either parsed or counted malformed
    # (a JSON record is a line that starts with '{' and names the type, as documented)
    claims = sum(
        line.startswith("REPORT ") or (line.lstrip().startswith("{") and '"platform.report"' in line) for line in lines
    )
    assert summary.reports + summary.malformed >= claims
    assert np.isfinite(df["duration_ms"]).all()


@settings(max_examples=25, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_in_a_file(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("fuzz") / "x.log"
    path.write_bytes(data)
    summary = parse_summary(read_logs(path))
    assert summary.sources == 1 and summary.reports + summary.malformed + summary.other_lines == summary.lines


# ---------------------------------------------------------------- dask


def test_dask_engine_gives_the_same_rows(dask_client):
    paths = [TEXT, JSONL, EVENTS, BROKEN, EMPTY]
    want = read_logs(paths)
    got = read_logs(paths, engine="dask")
    assert parse_summary(got) == parse_summary(want)
    pd.testing.assert_frame_equal(got.compute().reset_index(drop=True), want, check_exact=True)


def test_dask_engine_strict_and_stdin(dask_client):
    with pytest.raises(MalformedLogError, match="4 malformed"):
        read_logs(BROKEN, engine="dask", strict=True)
    with pytest.raises(InvalidParameterError, match="engine must be 'pandas' when reading stdin"):
        read_logs("-", engine="dask")


def test_base64_is_not_mistaken_for_records():
    # a subscription payload still base64-encoded is garbage to us: counted, not parsed
    blob = base64.b64encode(gzip.compress(b"REPORT RequestId: x")).decode()
    summary = parse_summary(parse_lines([blob]))
    assert (summary.reports, summary.other_lines) == (0, 1)


def test_dask_cuts_large_files_at_line_boundaries(dask_client, tmp_path):
    from lambdacost.readers.log_dask import read_dask

    big = tmp_path / "big.log"
    big.write_bytes(TEXT.read_bytes() * 5 + BROKEN.read_bytes())
    want = read_logs(big)
    got = read_dask([str(big)], None, False, blocksize=97)  # blocks end mid-line everywhere
    assert got.npartitions > 10
    assert parse_summary(got) == parse_summary(want)
    pd.testing.assert_frame_equal(got.compute().reset_index(drop=True), want, check_exact=True)


def test_top_level_names_load_the_log_modules_lazily():
    import subprocess
    import sys

    code = (
        "import sys, lambdacost\n"
        "before = 'pandas' in sys.modules or 'lambdacost.readers' in sys.modules\n"
        "from lambdacost import reports\n"
        "from lambdacost.readers import logs\n"
        "assert lambdacost.read_logs is logs.read_logs and lambdacost.report is reports.report\n"
        "print(before)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_report_mean_duration_is_the_exact_sum_in_any_row_order():
    from lambdacost.reports import report

    # Summed in float64, these durations give different totals in different row orders:
    # the report's mean must not depend on the order (the pandas and dask engines differ).
    durations = ["999999.123456789", "0.000000001", "0.1", "0.2", "0.3", "12.34"] * 20
    lines = [
        f"REPORT RequestId: r{k}\tDuration: {d} ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 60 MB"
        for k, d in enumerate(durations)
    ]
    df = parse_lines(lines, function="f")
    assert len(df) == len(durations)
    want = math.fsum(df["duration_ms"]) / len(df)
    orders = [df.sample(frac=1, random_state=seed).reset_index(drop=True) for seed in range(8)]
    assert len({o["duration_ms"].to_numpy().cumsum()[-1] for o in orders}) > 1  # the order matters to float sums
    for shuffled in orders:
        assert report(shuffled, as_of="2026-11-01", covered_days=1)["duration_mean_ms"].iloc[0] == want


def test_a_json_event_time_beyond_nanoseconds_is_unknown_not_a_crash():
    # found by fuzzing AWS's platform.report example: the year 3020 cannot be a pandas nanosecond time
    from lambdacost.readers.log_parse import parse_bytes

    raw = (
        b'{"time": "3020-08-20T12:31:32.123Z", "type": "platform.report", "record": {"requestId": "6f7f09", '
        b'"metrics": {"durationMs": 101.51, "billedDurationMs": 300, "memorySizeMB": 512, "maxMemoryUsedMB": 33}}}\n'
    )
    frame, summary = parse_bytes(raw, "x.json", None)
    assert (summary.reports, summary.malformed, summary.lines) == (1, 0, 1)
    assert frame["timestamp"].isna().all() and frame["billed_duration_ms"].tolist() == [300]


def test_a_lone_bracket_with_no_key_after_it_is_a_text_line_not_a_json_document():
    # found by the fuzz test: "[" alone was taken for a JSON document and its line went uncounted
    summary = parse_summary(parse_lines(["["], function="g"))
    assert (summary.lines, summary.other_lines, summary.formats) == (1, 1, ("<lines>: json-lines",))
    written_out = parse_summary(parse_lines(["[", '{"message": "START RequestId: a", "timestamp": 1}', "]"]))
    assert written_out.formats == ("<lines>: log-events-json",) and written_out.lines == 1


def test_report_lines_inside_damaged_json_are_counted_malformed():
    # found by the fuzz test: brace lines made a text file look written-out JSON, and its REPORT lines were lost
    summary = parse_summary(parse_lines(["{", "{", "REPORT ", "REPORT x"], function="g"))
    assert (summary.lines, summary.malformed, summary.reports) == (2, 2, 0)
