"""Every common CloudWatch export, recognised by content: real published samples
(tests/data/logs/exports, provenance in tests/data/README.md) and the same records
re-wrapped the way the other exports write them."""

import csv
import gzip
import io
import json
import sys
from pathlib import Path

import pandas as pd
import pytest

from lambdacost.readers.log_formats import detect, insights_mb
from lambdacost.readers.log_parse import parse_summary
from lambdacost.readers.logs import read_logs

EXPORTS = Path(__file__).parent / "data" / "logs" / "exports"
TAIL = EXPORTS / "lab3-sqs-fn.tail.txt"
INSIGHTS = EXPORTS / "shopping-cart.get-query-results.json"


def test_aws_logs_tail_real_sample():
    df = read_logs(TAIL)
    summary = parse_summary(df)
    assert summary.formats == (f"{TAIL}: aws-logs-tail",)
    # two REPORT records read; the third lost its tab in the published copy ("msBilled"):
    # counted malformed, with file and line
    assert df["line"].tolist() == [4, 8]
    assert df["billed_duration_ms"].tolist() == [29, 17]
    assert df["duration_ms"].tolist() == [28.74, 16.64]
    assert df["memory_size_mb"].tolist() == [128, 128]
    assert df["init_duration_ms"].iloc[0] == 214.05 and df["cold_start"].tolist() == [True, False]
    assert df["timestamp"].tolist() == [
        pd.Timestamp("2023-04-05T02:44:42.023Z"),
        pd.Timestamp("2023-04-05T02:44:42.043Z"),
    ]
    assert summary.malformed == 1 and summary.examples[0].startswith(f"{TAIL}:11: ")
    assert summary.reports + summary.malformed + summary.other_lines == summary.lines == 12


def _tail_text() -> str:
    return TAIL.read_text()


@pytest.mark.parametrize(
    ("name", "transform", "kind"),
    [
        ("crlf-bom.txt", lambda t: "\ufeff" + t.replace("\n", "\r\n"), "aws-logs-tail"),
        (
            "offset.txt",
            lambda t: t.replace("+00:00 2023/04/05/[$LATEST]c23dcbedb2244aea9a3189ab2bf5c790", "+02:00"),
            "timestamped",
        ),
        (
            "tab.txt",
            lambda t: t.replace("+00:00 2023/04/05/[$LATEST]c23dcbedb2244aea9a3189ab2bf5c790 ", "Z\t"),
            "timestamped",
        ),
        ("sam.txt", lambda t: "\n".join(_sam(line) for line in t.splitlines()) + "\n", "sam-logs"),
    ],
)
def test_timestamped_variants(tmp_path, name, transform, kind):
    path = tmp_path / name
    path.write_bytes(transform(_tail_text()).encode())
    df = read_logs(path)
    summary = parse_summary(df)
    assert summary.formats == (f"{path}: {kind}",)
    assert df["billed_duration_ms"].tolist() == [29, 17] and summary.malformed == 1
    hours = 2 if name == "offset.txt" else 0
    assert df["timestamp"].iloc[0] == pd.Timestamp("2023-04-05T02:44:42.023Z") - pd.Timedelta(hours=hours)


def _sam(line: str) -> str:
    parts = line.split(" ", 2)
    if len(parts) == 3 and parts[1].startswith("2023/"):
        return f"{parts[1]} {parts[0][:-6]} {parts[2]}"  # stream, then the time
    return line


def test_gzip_and_stdin(tmp_path, monkeypatch):
    path = tmp_path / "tail.gz"
    path.write_bytes(gzip.compress(TAIL.read_bytes()))
    assert read_logs(path)["billed_duration_ms"].tolist() == [29, 17]
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(TAIL.read_bytes())))
    df = read_logs("-")
    assert parse_summary(df).formats == ("-: aws-logs-tail",) and len(df) == 2


def test_insights_get_query_results_real_sample():
    df = read_logs(INSIGHTS)
    summary = parse_summary(df)
    assert summary.formats == (f"{INSIGHTS}: insights-results-json",)
    assert df["function"].tolist() == ["aws-serverless-shopping-cart-s-CartDBStreamHandler-r2hrhRoaOdTT"]
    assert (df["duration_ms"].iloc[0], df["billed_duration_ms"].iloc[0], df["memory_size_mb"].iloc[0]) == (2.03, 3, 512)
    assert df["timestamp"].iloc[0] == pd.Timestamp("2022-05-02T20:58:14.456Z")
    assert (summary.reports, summary.other_lines, summary.malformed) == (1, 1, 0)


def _rows():
    document = json.loads(INSIGHTS.read_text())
    return [{f["field"]: f["value"] for f in row} for row in document["results"]]


def test_insights_fields_only_bytes_converted(tmp_path):
    # the discovered fields without @message: memory comes in bytes (512000000 = 512 MB)
    rows = [{k: v for k, v in r.items() if k != "@message"} | {"@duration": "2.03"} for r in _rows()]
    path = tmp_path / "export.json"
    path.write_text(json.dumps(rows))
    df = read_logs(path)
    assert parse_summary(df).formats == (f"{path}: insights-json",)
    assert df[["memory_size_mb", "max_memory_used_mb", "billed_duration_ms"]].values.tolist() == [[512, 70, 3]]
    # the same as CSV
    out = io.StringIO()
    fields = [
        "@timestamp",
        "@log",
        "@type",
        "@requestId",
        "@duration",
        "@billedDuration",
        "@memorySize",
        "@maxMemoryUsed",
    ]
    writer = csv.DictWriter(out, fields, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    csv_path = tmp_path / "export.csv"
    csv_path.write_text(out.getvalue())
    df = read_logs(csv_path)
    summary = parse_summary(df)
    assert summary.formats == (f"{csv_path}: insights-csv",)
    assert df[["memory_size_mb", "max_memory_used_mb", "line"]].values.tolist() == [[512, 70, 2]]
    assert summary.other_lines == 1  # the START row


def test_insights_mb():
    assert insights_mb("512000000") == 512 and insights_mb("1.28e+08") == 128 and insights_mb(134217728) == 128
    assert insights_mb("x") != insights_mb("x")


def _page(events, token=None):
    page = {"events": events, "searchedLogStreams": []}
    if token:
        page["nextToken"] = token
    return json.dumps(page, indent=4)


def _events():
    lines = TAIL.read_text().splitlines()
    out = []
    for n, line in enumerate(lines):
        if line.startswith("2023-"):
            stamp, _, message = line.split(" ", 2)
            millis = int(pd.Timestamp(stamp).value // 1_000_000)
            out.append({"logStreamName": "s", "timestamp": millis, "message": message + "\n", "eventId": str(n)})
        else:
            out[-1]["message"] += line + "\n"  # the XRAY line belongs to the REPORT event
    return out


def test_filter_log_events_pages_concatenated_and_truncated(tmp_path):
    events = _events()
    two = _page(events[:4], "token") + "\n" + _page(events[4:])
    path = tmp_path / "pages.json"
    path.write_text(two)
    df = read_logs(path)
    summary = parse_summary(df)
    assert summary.formats == (f"{path}: log-events-json",)
    assert df["billed_duration_ms"].tolist() == [29, 17] and summary.malformed == 1
    # cut inside the second page: the events before the cut are kept, the cut is malformed
    cut = tmp_path / "cut.json"
    text = _page(events[:4], "token") + _page(events[4:])
    cut.write_text(text[: text.index("43c584fb") + 200])
    df = read_logs(cut)
    summary = parse_summary(df)
    assert df["billed_duration_ms"].tolist() == [29]
    assert summary.malformed == 1 and "cut.json:" in summary.examples[0]


def test_folder_reads_each_log_once_and_reports_files_without_records(tmp_path):
    (tmp_path / "a.log").write_bytes(TAIL.read_bytes())
    (tmp_path / "a.log.gz").write_bytes(gzip.compress(TAIL.read_bytes()))
    (tmp_path / "notes.txt").write_text("hello\n")
    df = read_logs(tmp_path)
    summary = parse_summary(df)
    assert len(df) == 2
    assert summary.skipped == (f"{tmp_path / 'a.log.gz'}: same log as {tmp_path / 'a.log'}",)
    assert summary.no_records == (str(tmp_path / "notes.txt"),)
    assert "no REPORT records:" in summary.describe() and "skipped:" in summary.describe()


def test_detect():
    assert detect(b"REPORT RequestId: x\tDuration: 1 ms") == "text"
    assert detect(b"2025-10-01T12:00:00.000Z START RequestId: x") == "s3-export"
    assert detect(b'{"time":"x","type":"platform.report"}\n') == "json-lines"
