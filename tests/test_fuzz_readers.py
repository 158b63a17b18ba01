"""Hypothesis fuzz tests of the readers, on mutations of the real inputs in ``tests/data``.

Each test takes a real file (fleets, Power Tuning output, offers, log files, the log
exports under ``tests/data/logs/exports`` and the infrastructure code under
``tests/data/iac``: SAM/CloudFormation YAML and JSON, CDK stacks (alone and as a
``cdk.out`` folder), Terraform plans, ``serverless.yml``, the usage file), mutates its bytes (a flipped byte, a cut, a
duplicated line, two files concatenated, invalid UTF-8, a BOM, deep nesting) and asserts
that the reader either reads it or refuses it with one of lambdacost's own errors
(:class:`~lambdacost.errors.LambdaCostError`) whose message is one line. The log readers
must also account for every line: records + malformed + other lines == lines read, the
lines read are the lines of the input, and no REPORT record is lost without a count. What
the infrastructure readers return must price (usage merged, ``bill``) or be refused the
same way.

The example count is modest (50 a test) so CI stays fast; set the environment variable
``LAMBDACOST_FUZZ_EXAMPLES`` for a longer run, e.g.
``LAMBDACOST_FUZZ_EXAMPLES=5000 python -m pytest tests/test_fuzz_readers.py``.
"""

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lambdacost.errors import LambdaCostError
from lambdacost.prices.offer_parse import parse_offer
from lambdacost.readers import log_formats
from lambdacost.readers.fleet import read_fleet
from lambdacost.readers.log_parse import parse_bytes
from lambdacost.readers.power_tuning import read_power_tuning

DATA = Path(__file__).parent / "data"
EXAMPLES = int(os.environ.get("LAMBDACOST_FUZZ_EXAMPLES", "50"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))

FLEETS = sorted(p for p in (DATA / "fleets").iterdir() if p.suffix in (".toml", ".yaml", ".json"))
OFFERS = sorted((DATA / "offers").iterdir())
LOGS = sorted(p for p in (DATA / "logs").rglob("*") if p.is_file())
POWER_TUNING = json.dumps(
    {
        "stats": [
            {"value": 128, "averagePrice": 4.1e-07, "averageDuration": 190.2},
            {"value": 256, "averagePrice": 4.2e-07, "averageDuration": 95.5},
            {"value": "512", "averagePrice": 4.5e-07, "averageDuration": 51.0},
        ]
    },
    indent=2,
).encode()


@st.composite
def mutated(draw, originals: list[bytes]):
    """A real input with a few mutations applied."""
    raw = draw(st.sampled_from(originals))
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["flip", "cut", "dup", "concat", "invalid", "bom", "nest", "delete", "insert"]))
        n = len(raw)
        at = draw(st.integers(0, n)) if n else 0
        if kind == "flip" and n:
            i = min(at, n - 1)
            raw = raw[:i] + bytes([raw[i] ^ (1 << draw(st.integers(0, 7)))]) + raw[i + 1 :]
        elif kind == "cut":
            raw = raw[:at]
        elif kind == "dup":
            lines = raw.splitlines(keepends=True)
            if lines:
                i = draw(st.integers(0, len(lines) - 1))
                lines.insert(i, lines[i])
                raw = b"".join(lines)
        elif kind == "concat":
            raw = raw + draw(st.sampled_from(["", "\n"])).encode() + draw(st.sampled_from(originals))
        elif kind == "invalid":
            raw = raw[:at] + draw(st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\x00", b"\r"])) + raw[at:]
        elif kind == "bom":
            raw = b"\xef\xbb\xbf" + raw
        elif kind == "nest":
            depth = draw(st.sampled_from([10, 1000, 100_000]))
            raw = raw[:at] + b"[" * depth + b"]" * draw(st.sampled_from([0, depth])) + raw[at:]
        elif kind == "delete" and n:
            raw = raw[:at] + raw[at + draw(st.integers(1, 64)) :]
        elif kind == "insert":
            raw = raw[:at] + draw(st.binary(max_size=16)) + raw[at:]
    return raw


def _refused_cleanly(error: BaseException) -> None:
    assert isinstance(error, LambdaCostError), f"{type(error).__name__}: {error}"
    message = str(error)
    assert message and "\n" not in message, repr(message)


def _read(reader, *args):
    try:
        return reader(*args)
    except Exception as error:  # judged below: only our own errors may escape
        _refused_cleanly(error)
        return None


@pytest.mark.parametrize("original", FLEETS, ids=lambda p: p.name)
@FUZZ
@given(data=st.data())
def test_fleet_reader_reads_or_refuses_mutated_fleets(original, data, tmp_path_factory):
    from lambdacost import bill

    raw = data.draw(mutated([original.read_bytes()]))
    folder = tmp_path_factory.mktemp("fleet")
    (folder / "list-functions.json").write_bytes((DATA / "fleets" / "list-functions.json").read_bytes())
    path = folder / original.name
    path.write_bytes(raw)
    fleet = _read(read_fleet, path)
    if fleet is not None:
        _read(bill, fleet.functions)


@FUZZ
@given(raw=mutated([POWER_TUNING]))
def test_power_tuning_reader_reads_or_refuses_mutated_output(raw, tmp_path_factory):
    path = tmp_path_factory.mktemp("tuning") / "power-tuning.json"
    path.write_bytes(raw)
    _read(read_power_tuning, path)


@FUZZ
@given(raw=mutated([p.read_bytes() for p in OFFERS]))
def test_offer_parser_reads_or_refuses_mutated_offers(raw):
    _read(parse_offer, raw, "offer.json")


def _report_lines(raw: bytes) -> int:
    """REPORT mentions a reader must read or count. In an intact page of events only the
    messages can hold records (the text in a log stream name or an event id is none), and
    in an Insights CSV the rows (the header only names columns)."""
    try:
        document = json.loads(raw)
    except (ValueError, RecursionError):
        document = None
    if isinstance(document, dict) and isinstance(document.get("events"), list):
        messages = [e.get("message") for e in document["events"] if isinstance(e, dict)]
        raw = "\n".join(m for m in messages if isinstance(m, str)).encode("utf-8", "surrogatepass")
    elif log_formats.detect(raw) == "insights-csv":  # the header names columns, holds no record
        raw = raw.partition(b"\n")[2]
    return raw.count(b"REPORT RequestId") + raw.count(b'"platform.report"')


@pytest.mark.parametrize("original", LOGS, ids=lambda p: p.name)
@FUZZ
@given(data=st.data())
def test_log_readers_account_for_every_line(original, data):
    raw = data.draw(mutated([original.read_bytes()]))
    result = _read(parse_bytes, raw, "fuzzed.log", None)
    assert result is not None, "a log is never refused, only counted"
    frame, summary = result
    assert summary.reports == len(frame)
    assert summary.reports + summary.malformed + summary.other_lines == summary.lines
    assert summary.other_lines >= 0
    text = log_formats.strip_bom(raw)
    kind = log_formats.detect(text)
    if kind in ("text", "s3-export", "timestamped", "aws-logs-tail", "sam-logs", "json-lines"):
        assert summary.lines == len(text.splitlines()) if b"\r" not in text else True
    # No REPORT record lost without a count.
    assert summary.reports + summary.malformed >= min(1, _report_lines(text)), summary.describe()


# ----------------------------------------------------------------------------- what the fuzz found, pinned


def test_a_damaged_first_line_does_not_turn_a_timestamped_export_into_text():
    raw = (DATA / "logs" / "exports" / "lab3-sqs-fn.tail.txt").read_bytes()
    intact, _ = parse_bytes(raw, "tail.txt", None)
    frame, summary = parse_bytes(b":" + raw[1:], "tail.txt", None)
    assert len(frame) == len(intact) > 0 and summary.formats == ("tail.txt: aws-logs-tail",)


@pytest.mark.parametrize(
    "name", ["payments.json", "exports/shopping-cart.get-query-results.json"], ids=lambda n: n.split("/")[-1]
)
def test_a_page_with_a_damaged_opening_brace_keeps_its_records_or_counts_them(name):
    raw = (DATA / "logs" / name).read_bytes()
    intact, _ = parse_bytes(raw, name, None)
    frame, summary = parse_bytes(b"z" + raw[1:], name, None)
    assert len(intact) > 0 and summary.reports + summary.malformed >= 1


def test_a_report_record_not_at_the_start_of_its_line_is_malformed_not_another_line():
    line = (
        "REPORT RequestId: a1\tDuration: 1.0 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 60 MB\t"
    )
    frame, summary = parse_bytes(f"[[[2023-04-05 {line}\n".encode(), "x.log", None)
    assert (len(frame), summary.malformed, summary.other_lines) == (0, 1, 0)
    assert summary.examples[0].startswith("x.log:1: ")


GOOD = "REPORT RequestId: a1\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 64 MB\t"
ABSURD = [
    GOOD.replace("Memory Size: 128", "Memory Size: 0"),
    GOOD.replace("Memory Size: 128", "Memory Size: 999999999"),
    GOOD.replace("Billed Duration: 13", "Billed Duration: 0"),
    GOOD + "Init Duration: 999999999 ms\t",
]
JSON_REPORT = (
    '{"time":"2025-10-01T12:00:00.101Z","type":"platform.report","record":{"requestId":"x","metrics":'
    '{"durationMs":DURATION,"billedDurationMs":3,"memorySizeMB":128,"maxMemoryUsedMB":60}}}'
)


@pytest.mark.parametrize("scanner", [False, True], ids=["regex", "scanner"])
def test_log_records_with_absurd_values_are_malformed_with_file_and_line(scanner, monkeypatch):
    from lambdacost.readers import log_parse

    if scanner:
        monkeypatch.setattr(log_parse, "SCAN_MIN_BYTES", 0)
    raw = "\n".join([GOOD, *ABSURD, GOOD]).encode() + b"\n"
    frame, summary = parse_bytes(raw, "absurd.log", None)
    assert frame.line.tolist() == [1, 6] and frame.request_id.tolist() == ["a1", "a1"]
    assert (summary.reports, summary.malformed, summary.other_lines) == (2, 4, 0)
    assert [e.split(": ", 1)[0] for e in summary.examples] == [f"absurd.log:{n}" for n in range(2, 6)]


def test_a_negative_json_duration_is_malformed():
    raw = "\n".join([JSON_REPORT.replace("DURATION", "-5.0"), JSON_REPORT.replace("DURATION", "5.0")]).encode()
    frame, summary = parse_bytes(raw, "records.jsonl", None)
    assert frame.duration_ms.tolist() == [5.0] and summary.malformed == 1
    assert summary.examples[0].startswith("records.jsonl:1: ")


def test_strict_refuses_absurd_records():
    from lambdacost.readers.log_parse import MalformedLogError, parse_lines

    with pytest.raises(MalformedLogError, match="Memory Size: 0 MB"):
        parse_lines([GOOD, ABSURD[0]], strict=True)


# ----------------------------------------------------------------------------- fleets: duplicate keys, wrong types


@pytest.mark.parametrize(
    ("name", "text", "key"),
    [
        ("dup.yaml", "functions:\n  - name: a\n    requests: 1M\n    requests: 2M\n    duration_ms: 10\n", "requests"),
        (
            "top.yaml",
            "functions: [{name: a, requests: 1, duration_ms: 3}]\nfree_tier: true\nfree_tier: false\n",
            "free_tier",
        ),
        (
            "dup.json",
            '{"functions": [{"name": "a", "requests": 1, "duration_ms": 3, "memory_mb": 128, "memory_mb": 256}]}',
            "memory_mb",
        ),
        ("top.json", '{"as_of": "2026-01-01", "functions": [], "as_of": "2026-02-01"}', "as_of"),
    ],
)
def test_fleet_duplicate_keys_are_refused_naming_the_key(tmp_path, name, text, key):
    from lambdacost import InvalidParameterError

    (tmp_path / name).write_text(text)
    with pytest.raises(InvalidParameterError) as caught:
        read_fleet(tmp_path / name)
    message = str(caught.value)
    assert f"fleet key {key!r}" in message and "twice" in message and name in message and "\n" not in message


def test_a_yaml_merge_key_may_still_be_overridden(tmp_path):
    path = tmp_path / "merge.yaml"
    path.write_text(
        "functions:\n  - &x {name: a, requests: 1, duration_ms: 3, memory_mb: 128}\n  - <<: *x\n    name: b\n"
    )
    assert [f["name"] for f in read_fleet(path).functions] == ["a", "b"]


@pytest.mark.parametrize(
    ("line", "key"),
    [("region = 5", "region"), ("memory_mb = [512, 1024]", "memory_mb"), ("requests = [1, 2]", "requests")],
)
def test_fleet_values_of_the_wrong_type_give_one_line_naming_function_and_key(tmp_path, line, key):
    from lambdacost import InvalidParameterError, bill

    fields = {"memory_mb": "memory_mb = 512", "requests": 'requests = "1M"', "region": ""}
    body = "\n".join(v for k, v in fields.items() if k != key)
    path = tmp_path / "fleet.toml"
    path.write_text(f'[[functions]]\nname = "orders"\nduration_ms = 100\n{body}\n{line}\n')
    with pytest.raises(InvalidParameterError) as caught:
        bill(read_fleet(path).functions)
    message = str(caught.value)
    assert message.startswith(f"function 'orders': {key} ") and "\n" not in message


def test_an_aws_config_path_too_long_is_refused(tmp_path):
    from lambdacost import InvalidParameterError

    path = tmp_path / "fleet.toml"
    path.write_text(f'aws_config = "{"x" * 5000}"\n[[functions]]\nname = "a"\nrequests = 1\nduration_ms = 1\n')
    with pytest.raises(InvalidParameterError, match="aws_config"):
        read_fleet(path)


def test_an_insights_time_nanoseconds_cannot_hold_is_unknown_not_a_crash():
    raw = (DATA / "logs" / "exports" / "shopping-cart.get-query-results.json").read_bytes()
    frame, summary = parse_bytes(raw.replace(b'"2022-05-02', b'"3022-05-02', 1), "q.json", None)
    intact, _ = parse_bytes(raw, "q.json", None)
    assert len(frame) == len(intact) and frame.timestamp.isna().sum() == 1


def test_an_insights_row_with_a_key_twice_is_counted_not_hidden():
    raw = (DATA / "logs" / "exports" / "shopping-cart.get-query-results.json").read_bytes()
    damaged = raw.replace(b'"field": "@log", "value"', b'"value": "x", "value"', 1)
    frame, summary = parse_bytes(damaged, "q.json", None)
    assert summary.malformed == 1 and "twice" in summary.examples[0]


def test_an_offer_error_quoting_a_line_break_is_one_line():
    from lambdacost.errors import PricingDataError

    raw = (DATA / "offers" / "lambda-offer-sample.csv").read_bytes()
    lines = raw.splitlines(keepends=True)
    header = next(i for i, line in enumerate(lines) if line.startswith(b'"SKU"'))
    lines[header + 1] = b'"A\nB",' + lines[header + 1] + b'"x",'
    with pytest.raises(PricingDataError) as caught:
        parse_offer(b"".join(lines), "offer.csv")
    assert "\n" not in str(caught.value)


# ----------------------------------------------------------------------------- infrastructure code

IAC = DATA / "iac"
IAC_FILES = sorted(p for p in IAC.rglob("*") if p.is_file())


def _priced_iac(functions) -> None:
    """What the CLI does with what a reader returned: merge the usage file, bill."""
    from lambdacost import bill
    from lambdacost.readers.iac import read_usage, usage_functions

    specs, _ = usage_functions(functions, read_usage(IAC / "usage.yml"))
    bill(specs, as_of="2026-11-01")


@pytest.mark.parametrize("original", IAC_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
@FUZZ
@given(data=st.data())
def test_iac_readers_read_or_refuse_mutated_inputs(original, data, tmp_path_factory):
    from lambdacost.readers.iac import read_iac, read_usage

    raw = data.draw(mutated([original.read_bytes()]))
    folder = tmp_path_factory.mktemp("iac")
    path = folder / original.name
    path.write_bytes(raw)
    if original.name == "usage.yml":
        usage = _read(read_usage, path)
        if usage is not None:
            from lambdacost import bill
            from lambdacost.readers.iac import usage_functions

            functions = read_iac(IAC / "sam" / "globals_for_function.yaml")
            specs = _read(usage_functions, functions, usage)
            if specs is not None:
                _read(bill, specs[0])
        return
    parameters = data.draw(st.sampled_from([None, {"ProvisionedConcurrency": "x"}, {"stage": "prod"}]))
    functions = (
        _read(read_iac, path) if parameters is None else _read(lambda p: read_iac(p, parameters=parameters), path)
    )
    if functions is not None:
        _read(_priced_iac, functions)
    if original.parent.name == "cdk.out":  # the same mutation inside a cdk.out folder of two stacks
        cdk = folder / "cdk.out"
        cdk.mkdir()
        (cdk / original.name).write_bytes(raw)
        other = next(p for p in IAC_FILES if p.parent.name == "cdk.out" and p != original)
        (cdk / other.name).write_bytes(other.read_bytes())
        functions = _read(read_iac, cdk)
        if functions is not None:
            _read(_priced_iac, functions)


# ----------------------------------------------------------------------------- damaged event pages, pinned

PAGE = DATA / "logs" / "exports" / "status-poller.filter-log-events.json"


def _page_damaged(how: str) -> bytes:
    raw = PAGE.read_bytes()
    at = raw.index(b"REPORT RequestId: 2eb7fa98")  # the 8th REPORT event (of 49), line 199
    start = raw.rindex(b"{", 0, at)
    if how == "quote":  # the message's opening quote flipped: the event no longer decodes
        return raw[: at - 1] + b"X" + raw[at:]
    if how == "brace":  # the event's opening brace flipped
        return raw[:start] + b"z" + raw[start + 1 :]
    if how == "key":  # the page's "events" key damaged: the page decodes, its list is found
        return raw.replace(b'"events"', b'"evemts"', 1)
    if how == "cut":
        return raw[: at + 40]
    raise ValueError(how)


@pytest.mark.parametrize(
    ("how", "reports", "malformed", "line"),
    [("quote", 48, 1, 199), ("brace", 48, 1, 199), ("key", 49, 0, None), ("cut", 7, 1, 199)],
)
def test_events_after_damage_in_a_page_are_read_one_by_one(how, reports, malformed, line):
    frame, summary = parse_bytes(_page_damaged(how), "page.json", None)
    assert summary.formats == ("page.json: log-events-json",)
    assert (summary.reports, summary.malformed) == (reports, malformed)
    assert summary.reports + summary.malformed + summary.other_lines == summary.lines
    if line is not None:
        assert summary.examples[0].startswith(f"page.json:{line}: ")
    intact = parse_bytes(PAGE.read_bytes(), "page.json", None)[0].request_id.tolist()
    damaged = intact.index("2eb7fa98-87bb-45c7-b985-ca26cf001ef5")
    assert frame.request_id.tolist()[:damaged] == intact[:damaged]  # the 7 before it
    if how == "key":  # no event damaged: all 49
        assert frame.request_id.tolist() == intact
    elif how != "cut":  # and the 41 after it, one by one
        assert frame.request_id.tolist()[damaged:] == intact[damaged + 1 :]


def test_a_non_object_event_is_malformed_and_two_damaged_pages_lose_nothing_else():
    raw = PAGE.read_bytes().replace(b'"events":[\n', b'"events":[\n 7,\n', 1)
    frame, summary = parse_bytes(raw, "page.json", None)
    assert (summary.reports, summary.malformed, summary.lines) == (49, 1, 266)
    assert "not a log event: 7" in summary.examples[0]
    # two pages, each damaged once: 2 x 48 read, 2 counted
    frame, summary = parse_bytes(_page_damaged("quote") + b"\n" + _page_damaged("brace"), "pages.json", None)
    assert (summary.reports, summary.malformed) == (96, 2)


# ----------------------------------------------------------------------------- infrastructure code, pinned


@pytest.mark.parametrize(
    ("name", "text", "words"),
    [
        ("bad.yaml", "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n   Properties: {}\n", "not valid YAML"),
        (
            "dup.yaml",
            "Resources:\n  Fn: {Type: AWS::Lambda::Function}\n  Fn: {Type: AWS::Lambda::Function}\n",
            "'Fn' given twice (lines 2 and 3)",
        ),
        ("dup.json", '{"Resources": {"Fn": {"Type": "AWS::Lambda::Function", "Type": "x"}}}', "'Type' given twice"),
        ("deep.json", '{"a":' * 100_000, "nested too deeply"),
        ("latin1.yaml", "Resources: {}\n# caf\xe9\n", "not UTF-8 text (byte 19"),
        ("list.yaml", "Resources: {}\nGlobals: [1]\n", "'Globals' must be a mapping"),
    ],
)
def test_iac_files_that_cannot_be_read_are_refused_in_one_line(tmp_path, name, text, words):
    from lambdacost.readers.iac import IacError, read_iac

    path = tmp_path / name
    path.write_bytes(text.encode("latin-1" if "latin1" in name else "utf-8"))
    with pytest.raises(IacError) as caught:
        read_iac(path)
    message = str(caught.value)
    assert words in message and str(path) in message and "\n" not in message


def test_iac_values_that_are_no_numbers_or_refer_to_themselves_are_noted_not_fatal(tmp_path):
    from lambdacost.readers.iac import read_iac

    template = tmp_path / "t.yaml"
    template.write_text(
        "Conditions:\n  A: !Condition B\n  B: !Condition A\n"
        "Resources:\n  Huge:\n    Type: AWS::Lambda::Function\n    Properties: {MemorySize: .inf}\n"
        "  Flag:\n    Type: AWS::Lambda::Function\n    Properties: {MemorySize: true}\n"
        "  Loop:\n    Type: AWS::Lambda::Function\n    Properties: {MemorySize: !If [A, 512, 1024]}\n"
    )
    functions = {f.name: f for f in read_iac(template)}
    assert {n: f.memory_mb for n, f in functions.items()} == {"Huge": 128, "Flag": 128, "Loop": 128}
    assert "'inf' is not a whole number" in functions["Huge"].notes[0]
    assert "'True' is not a whole number" in functions["Flag"].notes[0]
    assert "refer to each other" in functions["Loop"].notes[0]
    sls = tmp_path / "serverless.yml"
    sls.write_text(
        "service: s\nprovider: {name: aws, memorySize: '${self:custom.m}', snapStart: x}\n"
        "custom: {m: '${self:custom.m}'}\nfunctions:\n  a: {handler: h, snapStart: 'false', architecture: sparc}\n"
    )
    (a,) = read_iac(sls)
    assert (a.memory_mb, a.snapstart, a.arch) == (1024, False, "x86_64")
    assert any("refer to each other" in note for note in a.notes) and any("'sparc'" in n for n in a.notes)


def test_a_key_given_twice_in_an_event_makes_it_malformed_not_silently_changed():
    # found by fuzzing: a duplicated "type" line whose copy is damaged hid the report
    raw = (DATA / "logs" / "exports" / "logs-api.platform-report.json").read_bytes()
    line = b'    "type": "platform.report",\n'
    frame, summary = parse_bytes(raw.replace(line, line + b'    "type": "qlatform.report",\n'), "x.json", None)
    assert (len(frame), summary.malformed) == (0, 1) and summary.examples[0].startswith("x.json:1: ")
    # in a page: that event counted (once per message key in it), the other 48 read
    raw = PAGE.read_bytes()
    at = raw.index(b'"message":"REPORT RequestId: 2eb7fa98')
    frame, summary = parse_bytes(raw[:at] + b'"message":"x",\n         ' + raw[at:], "p.json", None)
    assert (summary.reports, summary.malformed) == (48, 2)
