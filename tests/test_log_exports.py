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
from typer.testing import CliRunner

from lambdacost.cli import app
from lambdacost.readers.log_formats import detect, insights_mb, insights_messages
from lambdacost.readers.log_parse import parse_bytes, parse_summary
from lambdacost.readers.logs import read_logs
from lambdacost.reports import report

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


# ----------------------------------------------------------------------------- one real sample of each export
#
# Hand-worked prices from pricing/lambda.toml, us-east-1 x86_64, at the date of the newest
# record (report's default): 1 ms era (2020-12-01 on) $0.0000166667 per GB-s, 100 ms era
# (before) $0.00001667 per GB-s, $0.20 per million requests in both; no free tier.
# GB-s = memory_mb / 1024 x billed_ms / 1000, summed over the invocations.
RATE_1MS, RATE_100MS, REQUEST = 0.0000166667, 0.00001667, 0.20 / 1e6


def _read(name: str):
    path = EXPORTS / name
    df = read_logs(path)
    return path, df, parse_summary(df)


def test_sam_logs_real_sample_snapstart_restore():
    # `sam logs --tail` of a Java 11 SnapStart function (version 56) at 3009 MB
    path, df, summary = _read("chime-sma-snapstart.sam-logs.txt")
    assert summary.formats == (f"{path}: sam-logs",)
    assert (summary.reports, summary.malformed, summary.other_lines, summary.lines) == (5, 0, 42, 47)
    assert df["billed_duration_ms"].tolist() == [610, 139, 51, 11, 9]
    assert df["memory_size_mb"].unique().tolist() == [3009]
    # the restored invocation: Billed Duration 610 = ceil(306.34) + Billed Restore Duration 303
    first = df.iloc[0]
    assert (first.duration_ms, first.restore_duration_ms, first.billed_restore_duration_ms) == (306.34, 511.25, 303)
    assert df["cold_start"].tolist() == [True, False, False, False, False]
    assert df["timestamp"].iloc[-1] == pd.Timestamp("2023-07-05T10:17:00.017Z")
    row = report(df).iloc[0]
    gb_s = 3009 / 1024 * (610 + 139 + 51 + 11 + 9) / 1000  # 2.40955078125 GB-s
    assert row.billed_gb_seconds == pytest.approx(gb_s, rel=1e-12)
    assert row.cost == pytest.approx(gb_s * RATE_1MS + 5 * REQUEST, rel=1e-12)


def test_console_copy_real_sample():
    # `<time> <message>` lines copied from the CloudWatch console; the copy turned tabs
    # into spaces and split one message over two lines (a line with no time)
    path, df, summary = _read("s3-presign.console.txt")
    assert summary.formats == (f"{path}: s3-export",)
    assert (summary.reports, summary.malformed, summary.other_lines, summary.lines) == (1, 0, 12, 13)
    row = df.iloc[0]
    assert (row.billed_duration_ms, row.memory_size_mb, row.init_duration_ms, row.line) == (2828, 128, 297.42, 13)
    assert row.timestamp == pd.Timestamp("2024-11-01T06:05:46.323Z")
    gb_s = 128 / 1024 * 2828 / 1000  # 0.3535 GB-s
    assert report(df).iloc[0].cost == pytest.approx(gb_s * RATE_1MS + REQUEST, rel=1e-12)


def test_filter_log_events_real_page_100ms_era():
    # a real `filter-log-events` events list from June 2019: 265 events, 49 REPORT, 128 MB
    path, df, summary = _read("status-poller.filter-log-events.json")
    assert summary.formats == (f"{path}: log-events-json",)
    assert (summary.reports, summary.malformed, summary.other_lines, summary.lines) == (49, 0, 216, 265)
    assert df["memory_size_mb"].unique().tolist() == [128] and not df["cold_start"].any()
    # counted in the file with grep 'Billed Duration: N ms':
    billed = {100: 15, 200: 6, 300: 1, 400: 3, 500: 4, 600: 1, 700: 2, 8000: 1, 10400: 1, 10800: 1}
    billed |= {19400: 1, 26500: 1, 27000: 1, 27300: 1, 28900: 1, 29200: 2, 32100: 1, 32300: 1}
    billed |= {32500: 1, 32700: 1, 43300: 1, 163800: 1, 323600: 1}
    assert df["billed_duration_ms"].value_counts().to_dict() == billed
    total_ms = sum(ms * n for ms, n in billed.items())
    assert total_ms == 885_200
    row = report(df).iloc[0]  # newest record 2019-06-19: the 100 ms era's rate
    assert row.billed_gb_seconds == pytest.approx(0.125 * 885.2, rel=1e-12)  # 110.65 GB-s
    assert row.cost == pytest.approx(110.65 * RATE_100MS + 49 * REQUEST, rel=1e-12)  # $0.0018543355


def test_filter_log_events_aws_cli_example_has_no_records():
    # the AWS CLI's own example output: two events, neither a REPORT; the file is named
    path, df, summary = _read("demo-log-group.filter-log-events.json")
    assert summary.formats == (f"{path}: log-events-json",)
    assert (len(df), summary.other_lines, summary.malformed) == (0, 2, 0)
    assert summary.no_records == (str(path),)


def test_get_log_events_and_subscription_payload_from_the_lambda_guide():
    path, df, summary = _read("python-logging.get-log-events.json")
    assert summary.formats == (f"{path}: log-events-json",)
    assert (summary.reports, summary.other_lines) == (1, 4)
    assert (df.billed_duration_ms.iloc[0], df.memory_size_mb.iloc[0], df.max_memory_used_mb.iloc[0]) == (27, 128, 75)
    # the guide's example times are from 2019 (100 ms era): price it as of a 1 ms-era day
    cost = report(df, as_of="2026-11-01").iloc[0].cost
    assert cost == pytest.approx(0.125 * 0.027 * RATE_1MS + REQUEST, rel=1e-12)
    path, df, summary = _read("echo-nodejs.subscription.json")
    assert (summary.reports, summary.lines) == (1, 1)
    assert df["function"].tolist() == ["echo-nodejs"]  # from the payload's logGroup
    assert (df.billed_duration_ms.iloc[0], df.memory_size_mb.iloc[0]) == (47, 192)
    cost = report(df, as_of="2026-11-01").iloc[0].cost
    assert cost == pytest.approx(192 / 1024 * 0.047 * RATE_1MS + REQUEST, rel=1e-12)


def test_lambda_json_platform_report_from_the_lambda_guide():
    # AWS's example platform.report event, written out over 12 lines as the guide prints it
    # (the same record as LogFormat: JSON writes to CloudWatch, one event a line)
    path, df, summary = _read("logs-api.platform-report.json")
    assert summary.formats == (f"{path}: log-events-json",)
    assert (summary.reports, summary.malformed, summary.lines) == (1, 0, 1)
    row = df.iloc[0]
    assert (row.request_id, row.duration_ms, row.billed_duration_ms) == (
        "6f7f0961f83442118a7af6fe80b88d56",
        101.51,
        300,
    )
    assert (row.memory_size_mb, row.max_memory_used_mb, row.init_duration_ms, row.cold_start) == (512, 33, 116.67, True)
    assert row.timestamp == pd.Timestamp("2020-08-20T12:31:32.123Z")
    # 2020-08-20 is in the 100 ms era
    assert report(df).iloc[0].cost == pytest.approx(0.5 * 0.3 * RATE_100MS + REQUEST, rel=1e-12)
    # one line each, as in CloudWatch: JSON Lines
    one_line = json.dumps(json.loads(path.read_text()), separators=(",", ":")) + "\n"
    frame, counted = parse_bytes((one_line * 2).encode(), "json.log", None)
    assert counted.formats == ("json.log: json-lines",) and frame.billed_duration_ms.tolist() == [300, 300]


def test_get_query_results_real_capture_scientific_memory():
    # a captured `get-query-results` result: 50 rows, 12 REPORT; Insights gives memory in
    # bytes as '1.28E8' (128 MB); the REPORT rows are read from @message
    path, df, summary = _read("titans-s3-upload.get-query-results.json")
    assert summary.formats == (f"{path}: insights-results-json",)
    assert (summary.reports, summary.malformed, summary.other_lines) == (12, 0, 38)
    assert sorted(df["billed_duration_ms"].tolist()) == [2] * 7 + [3, 6, 15, 32, 119]
    assert df["memory_size_mb"].unique().tolist() == [128]
    assert df.loc[df.cold_start, "init_duration_ms"].tolist() == [145.69]
    gb_s = 0.125 * (7 * 2 + 3 + 6 + 15 + 32 + 119) / 1000  # 0.023625 GB-s
    assert report(df).iloc[0].cost == pytest.approx(gb_s * RATE_1MS + 12 * REQUEST, rel=1e-12)
    # the same rows exported from the console as CSV and as JSON (the discovered fields,
    # no @message: memory in bytes, the REPORT written back from the fields)
    rows = [{f["field"]: f["value"] for f in row} for row in json.loads(path.read_text())["results"]]
    fields = ["@timestamp", "@type", "@requestId", "@duration", "@billedDuration", "@memorySize", "@maxMemoryUsed"]
    fields.append("@initDuration")
    reports = [{k: r.get(k, "") for k in fields} for r in rows if r.get("@type") == "REPORT"]
    out = io.StringIO()
    writer = csv.DictWriter(out, fields)
    writer.writeheader()
    writer.writerows(reports)
    for name, text, kind in (
        ("export.csv", out.getvalue(), "insights-csv"),
        ("export.json", json.dumps(reports), "insights-json"),
    ):
        frame, counted = parse_bytes(text.encode(), name, None)
        assert counted.formats == (f"{name}: {kind}",)
        assert sorted(frame.billed_duration_ms.tolist()) == sorted(df.billed_duration_ms.tolist())
        assert frame.memory_size_mb.unique().tolist() == [128]


def test_the_real_page_split_into_next_token_pages_reads_the_same(tmp_path):
    # `filter-log-events` pages as paginated calls write them: each with its nextToken
    document = json.loads((EXPORTS / "status-poller.filter-log-events.json").read_text())
    events = document["events"]
    pages = [events[:100], events[100:200], events[200:]]
    text = "\n".join(
        json.dumps({"events": page, "searchedLogStreams": []} | ({"nextToken": f"t{n}"} if n < 2 else {}), indent=4)
        for n, page in enumerate(pages)
    )
    path = tmp_path / "pages.json"
    path.write_text(text)
    whole, _ = parse_bytes((EXPORTS / "status-poller.filter-log-events.json").read_bytes(), "one.json", None)
    paged = read_logs(path)
    summary = parse_summary(paged)
    assert (summary.reports, summary.other_lines, summary.malformed) == (49, 216, 0)
    assert paged.request_id.tolist() == whole.request_id.tolist()
    assert paged.line.tolist() == whole.line.tolist()  # event numbers run on across pages


def test_the_exports_folder_reads_every_file_once_with_its_format():
    df = read_logs(EXPORTS)
    summary = parse_summary(df)
    kinds = dict(entry.rsplit(": ", 1) for entry in summary.formats)
    assert len(kinds) == len(list(EXPORTS.iterdir())) == 16
    assert sorted(set(kinds.values())) == [
        "aws-logs-tail",
        "insights-csv",
        "insights-markdown",
        "insights-results-json",
        "json-lines",
        "log-events-json",
        "s3-export",
        "sam-logs",
    ]
    # 5 + 1 + 49 + 0 + 1 + 1 + 1 + 2 + 1 + 12 + 0 + 2 + 2 + 1 + 0 records, each function priced on its own
    assert summary.reports == len(df) == 78
    assert summary.no_records == tuple(
        str(EXPORTS / name)
        for name in (
            "calo-balance-sync.s3-export.log",
            "demo-log-group.filter-log-events.json",
            "oidc-benchmark.insights-stats.csv",
            "otel-init.insights-stats.md",
        )
    )
    assert report(df, as_of="2026-11-01")["invocations"].sum() == 78


def test_insights_csv_real_export_of_a_stats_query_has_no_invocations():
    # a real "Download table (CSV)" of a Logs Insights `stats ... by @log` query: one row per
    # function with totals, no invocation in it. Read as Insights CSV, named, nothing priced.
    path, df, summary = _read("oidc-benchmark.insights-stats.csv")
    assert summary.formats == (f"{path}: insights-csv",)
    assert (len(df), summary.other_lines, summary.malformed, summary.lines) == (0, 2, 0, 2)
    assert summary.no_records == (str(path),)


def test_a_json_array_of_events_or_of_table_rows(tmp_path):
    # `aws logs filter-log-events --query events` prints the events as a JSON array
    events = json.loads((EXPORTS / "status-poller.filter-log-events.json").read_text())["events"]
    path = tmp_path / "events.json"
    path.write_text(json.dumps(events, indent=4))
    df = read_logs(path)
    summary = parse_summary(df)
    assert summary.formats == (f"{path}: log-events-json",)
    assert (summary.reports, summary.other_lines, summary.malformed) == (49, 216, 0)
    # the JSON download of a stats query's table: rows, no records, nothing malformed
    path = tmp_path / "table.json"
    path.write_text(json.dumps([{"remoteAddress": "34.237.40.31", "count": "415"}], indent=4))
    summary = parse_summary(read_logs(path))
    assert (summary.reports, summary.other_lines, summary.malformed) == (0, 1, 0)
    assert summary.no_records == (str(path),)


def test_lambda_json_log_format_real_capture_one_event_a_line():
    # a function with LogFormat JSON: the decoded LogResult (last 4 KB of its log) quoted in a
    # public repository, seven events one a line, platform.report last (eu-west-3, 2024-05-20)
    path, df, summary = _read("otel-coldstart.json-lines.log")
    assert summary.formats == (f"{path}: json-lines",)
    assert (summary.reports, summary.malformed, summary.other_lines, summary.lines) == (1, 0, 6, 7)
    row = df.iloc[0]
    assert (row.request_id, row.line, row.status) == ("4b142fc3-17b8-4cdb-a46b-a8dbe7918715", 7, "success")
    assert (row.duration_ms, row.billed_duration_ms, row.init_duration_ms) == (11.642, 12, 174.055)
    assert row.cold_start
    assert (row.memory_size_mb, row.max_memory_used_mb) == (128, 67)
    assert row.timestamp == pd.Timestamp("2024-05-20T16:29:45.022Z")
    priced = report(df, region="eu-west-3").iloc[0]
    # Europe (Paris) has the same rates as us-east-1: $0.0000166667 per GB-s, $0.20 per million
    assert (priced.region, priced.billed_gb_seconds) == ("eu-west-3", pytest.approx(0.125 * 0.012, rel=1e-12))
    assert priced.cost == pytest.approx(0.0015 * RATE_1MS + REQUEST, rel=1e-12)  # $0.000000225


def test_get_query_results_real_capture_discovered_fields_only():
    # a real `get-query-results` response (its @ptr fields show it came from Logs Insights),
    # saved by PowerShell: a BOM, PowerShell's indentation. The query asked for the discovered
    # fields only, one invocation a row, no @message: the REPORT is written back from the
    # fields, memory from bytes (1024000000 = 1024 MB, 119000000 = 119 MB)
    path, df, summary = _read("claude-invoker.get-query-results.json")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert summary.formats == (f"{path}: insights-results-json",)
    assert (summary.reports, summary.malformed, summary.other_lines, summary.lines) == (2, 0, 0, 2)
    assert df["request_id"].tolist() == ["923b54a2-bd35-4d54-a9b9-90b36525a84a", "aed443ac-f6df-48ce-bc7c-fc0513efbbba"]
    assert df["duration_ms"].tolist() == [2894.13, 2220.96]
    assert df["billed_duration_ms"].tolist() == [2895, 2221]
    assert df["init_duration_ms"].tolist() == [944.22, 834.66] and df["cold_start"].all()
    assert df["memory_size_mb"].tolist() == [1024, 1024] and df["max_memory_used_mb"].tolist() == [119, 119]
    assert df["timestamp"].tolist() == [
        pd.Timestamp("2025-08-15T13:34:52.212Z"),
        pd.Timestamp("2025-08-15T13:34:51.425Z"),
    ]
    row = report(df).iloc[0]
    # Billed Duration is taken as AWS wrote it (INIT is not added again): 1 GB x 5.116 s
    assert row.billed_gb_seconds == pytest.approx(1.0 * (2895 + 2221) / 1000, rel=1e-12)
    assert row.cost == pytest.approx(5.116 * RATE_1MS + 2 * REQUEST, rel=1e-12)  # $0.0000856668372


def test_exported_lambda_log_real_excerpt_without_report_is_named():
    # `<ISO time>Z <message>` lines of an exported Lambda log as a project's README quotes them:
    # tabs kept, a blank line after each event (the message's own newline), a message over 17
    # lines; the excerpt stops at END, so there is no REPORT: nothing priced, the file named
    path, df, summary = _read("calo-balance-sync.s3-export.log")
    assert summary.formats == (f"{path}: s3-export",)
    assert (len(df), summary.reports, summary.malformed, summary.other_lines, summary.lines) == (0, 0, 0, 27, 27)
    assert summary.no_records == (str(path),)
    # a REPORT line made up for this test in the export's layout, after the real lines: read
    report_line = (
        "2024-02-13T21:01:05.410Z REPORT RequestId: 405bb962-f57b-521d-81a1-e7272fbf6077\t"
        "Duration: 618.43 ms\tBilled Duration: 619 ms\tMemory Size: 1024 MB\tMax Memory Used: 95 MB\t\n"
    )
    frame, counted = parse_bytes(path.read_bytes() + b"\n" + report_line.encode(), "000000", None)
    assert counted.formats == ("000000: s3-export",) and (counted.reports, counted.malformed) == (1, 0)
    assert (frame.billed_duration_ms.iloc[0], frame.memory_size_mb.iloc[0]) == (619, 1024)
    assert frame.timestamp.iloc[0] == pd.Timestamp("2024-02-13T21:01:05.410Z")


def test_cli_reads_the_new_real_samples_and_names_each_format():
    names = (
        "otel-coldstart.json-lines.log",
        "claude-invoker.get-query-results.json",
        "calo-balance-sync.s3-export.log",
    )
    paths = [str(EXPORTS / name) for name in names]
    result = CliRunner().invoke(app, ["logs", *paths, "--json", "--as-of", "2026-11-01"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["parse"]["formats"] == [
        f"{paths[0]}: json-lines",
        f"{paths[1]}: insights-results-json",
        f"{paths[2]}: s3-export",
    ]
    assert document["parse"]["no_records"] == [paths[2]]
    costs = {row["function"]: row["cost"] for row in document["functions"]}
    assert costs == {
        "otel-coldstart.json-lines": pytest.approx(0.0015 * RATE_1MS + REQUEST, rel=1e-12),
        "claude-invoker.get-query-results": pytest.approx(5.116 * RATE_1MS + 2 * REQUEST, rel=1e-12),
    }


def test_insights_markdown_real_console_copy_of_a_stats_query_has_no_invocations():
    # the console's Markdown copy of a Logs Insights result (heading, region, log groups,
    # relative times, then the table; the query left out): a `stats ... by memorySizeMB,
    # functionName` query, eight rows of init-duration statistics, no invocation. Named, nothing priced.
    path, df, summary = _read("otel-init.insights-stats.md")
    assert summary.formats == (f"{path}: insights-markdown",)
    assert (len(df), summary.reports, summary.malformed, summary.other_lines, summary.lines) == (0, 0, 0, 8, 8)
    assert summary.no_records == (str(path),)


def test_insights_markdown_of_the_real_query_reads_as_its_json():
    # the same query's two rows as the repository's script wrote them beside the JSON, in
    # the console's Markdown layout (a BOM, its own heading and a literal `$nl`): the same
    # invocations, the function from the one log group the copy names
    path, df, summary = _read("claude-invoker.insights.md")
    assert summary.formats == (f"{path}: insights-markdown",)
    assert (summary.reports, summary.malformed, summary.other_lines, summary.lines) == (2, 0, 0, 2)
    assert df["function"].tolist() == ["ie-staging-claudeInvoker"] * 2
    assert df["line"].tolist() == [16, 17]  # the rows' lines in the file
    _, twin, _ = _read("claude-invoker.get-query-results.json")
    columns = ["request_id", "timestamp", "duration_ms", "billed_duration_ms", "init_duration_ms"]
    columns += ["memory_size_mb", "max_memory_used_mb", "cold_start"]
    pd.testing.assert_frame_equal(df[columns], twin[columns])
    row = report(df).iloc[0]
    assert (row.function, row.invocations) == ("ie-staging-claudeInvoker", 2)
    assert row.cost == pytest.approx(5.116 * RATE_1MS + 2 * REQUEST, rel=1e-12)


def test_insights_markdown_row_with_a_missing_cell_is_malformed(tmp_path):
    text = (EXPORTS / "claude-invoker.insights.md").read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    assert lines[15].startswith("| 2025-08-15 13:34:52.212 | 923b54a2")
    lines[15] = lines[15].replace(" 2894.13 |", "", 1)  # one cell short of the header
    path = tmp_path / "copy.md"
    path.write_text("\n".join(lines) + "\n")
    df = read_logs(path)
    summary = parse_summary(df)
    assert (summary.reports, summary.malformed) == (1, 1)
    assert summary.examples[0].startswith(f"{path}:16: ") and "7 cells under 8 headers" in summary.examples[0]
    assert df["request_id"].tolist() == ["aed443ac-f6df-48ce-bc7c-fc0513efbbba"]


def test_insights_markdown_table_without_the_heading(tmp_path):
    # a table pasted on its own is found by its @ header; a \\| inside a cell stays in that cell
    report_line = (
        "REPORT RequestId: r1\tDuration: 2.5 ms\tBilled Duration: 3 ms\tMemory Size: 256 MB\tMax Memory Used: 80 MB\t"
    )
    group = "123456789012:/aws/lambda/pipes"
    table = (
        "Results:\n\n| @timestamp | @message | @log |\n| :--- | :--- | --- |\n"
        f"| 2025-01-02 03:04:05.678 | {report_line} | {group} |\n"
        f"| 2025-01-02 03:04:06.000 | INFO a \\| b | {group} |\n"
        "\nnot a table line\n"
    )
    path = tmp_path / "pasted.md"
    path.write_text(table)
    assert detect(table.encode()) == "insights-markdown"
    df = read_logs(path)
    summary = parse_summary(df)
    assert (summary.reports, summary.other_lines, summary.malformed) == (1, 1, 0)
    row = df.iloc[0]
    assert (row.function, row.billed_duration_ms, row.memory_size_mb, row.max_memory_used_mb) == ("pipes", 3, 256, 80)
    assert row.timestamp == pd.Timestamp("2025-01-02T03:04:05.678Z") and row.line == 5
    # three cells where the header has three: the escaped | did not split the second row
    assert insights_messages(table, "insights-markdown")[4] == []


def test_insights_markdown_report_text_outside_the_table_is_counted(tmp_path):
    # a REPORT line pasted under the copy is no table row: counted malformed, not dropped;
    # the query in its code fence is not read as a table, whatever it holds
    text = (EXPORTS / "claude-invoker.insights.md").read_text(encoding="utf-8-sig")
    fence = "```\n| a | b |\n| --- | --- |\n| REPORT RequestId: q | 1 |\n```\n"
    extra = (
        "REPORT RequestId: x\tDuration: 1.00 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 9 MB\t\n"
    )
    path = tmp_path / "copy.md"
    path.write_text(fence + text + "\n" + extra)
    summary = parse_summary(read_logs(path))
    assert (summary.reports, summary.malformed, summary.other_lines) == (2, 1, 0)
    assert summary.examples[0].startswith(f"{path}:25: 'REPORT text outside a table row: REPORT RequestId: x")
