"""The compiled REPORT scanner: exactly the regex's answers, only faster."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lambdacost.readers import log_parse, logscan
from lambdacost.readers.log_parse import parse_lines, parse_messages, parse_summary, split_lines

CANONICAL = (
    "REPORT RequestId: 3f2b6c1e-0d4a-4e8b-9a51-7c2d8e9f0a11\tDuration: 12.34 ms\tBilled Duration: 13 ms\t"
    "Memory Size: 128 MB\tMax Memory Used: 64 MB\t"
)


@pytest.fixture(autouse=True, scope="module")
def scanner_for_every_size():
    """Text of any size through the compiled scanner (small inputs otherwise skip it)."""
    saved, log_parse.SCAN_MIN_BYTES = log_parse.SCAN_MIN_BYTES, 0
    yield
    log_parse.SCAN_MIN_BYTES = saved


def scan(text: str, **options):
    return logscan.scan_report_lines(np.frombuffer(text.encode(), np.uint8), **options)


def regex_only(text: str):
    """The same text through the Arrow/RE2 path alone (the scanner's reference)."""
    raw = text.encode()
    messages = split_lines(raw)
    return parse_messages(messages, np.arange(1, len(messages) + 1), None, "f", "<lines>", raw)


def test_lines_are_counted_like_the_line_splitter():
    for text in ("", "\n", "a", "a\n", "a\nb", "a\n\nb\n", CANONICAL, CANONICAL + "\n" + CANONICAL):
        assert scan(text).lines == len(split_lines(text.encode())), repr(text)


def test_canonical_fields_are_read_in_place():
    found = scan(
        "START RequestId: x Version: $LATEST\n" + CANONICAL + "Init Duration: 542.01 ms\t\r\nEND RequestId: x\n"
    )
    assert found.lines == 3 and found.parsed.tolist() == [True]
    ints, floats = found.ints[:, 0], found.floats[:, 0]
    assert ints[logscan.LINE] == 2
    assert (floats[logscan.DURATION], floats[logscan.INIT]) == (12.34, 542.01)
    assert (ints[logscan.BILLED], ints[logscan.MEMORY], ints[logscan.MAX_MEMORY]) == (13, 128, 64)
    assert np.isnan(floats[logscan.RESTORE]) and ints[logscan.BILLED_RESTORE] == -1


def test_other_shapes_are_left_to_the_regex():
    spaced = CANONICAL.replace("\t", " ")
    truncated = CANONICAL[:60]
    xray_in_line = CANONICAL + "XRAY TraceId: 1-2-3\tSegmentId: 4\tSampled: true"
    found = scan("\n".join([spaced, truncated, xray_in_line, "REPORT \u00e9t\u00e9"]))
    assert found.parsed.tolist() == [False] * 4
    assert found.ints[logscan.LINE].tolist() == [1, 2, 3, 4]


def test_columns_grow_past_the_first_guess():
    text = "REPORT x\n" * 5000  # far denser than the capacity guess of one record per 192 bytes
    found = scan(text)
    assert len(found) == 5000 and found.lines == 5000 and not found.parsed.any()
    assert found.ints[logscan.LINE].tolist() == list(range(1, 5001))


def test_long_request_ids_grow_the_id_buffer_or_go_to_the_regex():
    lines = [CANONICAL.replace("3f2b6c1e-0d4a-4e8b-9a51-7c2d8e9f0a11", f"{k:04d}" + "a" * 252) for k in range(3000)]
    lines.append(CANONICAL.replace("3f2b6c1e-0d4a-4e8b-9a51-7c2d8e9f0a11", "b" * 257))  # over the scanner's limit
    found = scan("\n".join(lines))
    assert found.parsed.tolist() == [True] * 3000 + [False]
    assert found.request_ids().to_pylist() == [f"{k:04d}" + "a" * 252 for k in range(3000)]
    df = parse_lines(lines)
    assert len(df) == 3001 and df["request_id"].iloc[-1] == "b" * 257


def test_export_timestamps_are_located():
    text = "2026-11-01T10:00:00.123Z " + CANONICAL + "\nno stamp here\n2026-11-01T10:00:01Z " + CANONICAL
    found = scan(text, timestamped=True)
    raw = np.frombuffer(text.encode(), np.uint8)
    stamps = logscan.gather_bytes(raw, found.ints[logscan.TIME], found.ints[logscan.TIME_END]).to_pylist()
    assert stamps == ["2026-11-01T10:00:00.123Z", "2026-11-01T10:00:01Z"] and found.parsed.all()


def test_json_lines_are_counted():
    assert scan('  {"a": 1}\nREPORT x\n{"type": "platform.report"}\n').json_lines == 2


# Edits that push a canonical line just inside or just outside Lambda's layout.
ALPHABET = "0123456789.:- \t\rmsMBIabcXYZ_\u00e9\x00"


@st.composite
def edited_lines(draw):
    line = CANONICAL + draw(
        st.sampled_from(
            [
                "",
                "Init Duration: 7.5 ms\t",
                "Restore Duration: 325.93 ms\tBilled Restore Duration: 26 ms\t",
                "Status: error\tError Type: Runtime.ExitError",
                "Status: timeout",
            ]
        )
    )
    line = line.replace("12.34", draw(st.sampled_from(["12.34", "1234567890", "123456789.123456789", "0.5", "7"])))
    line += draw(st.sampled_from(["", "\t", " ", "\r", "X", "\tX", " ms", "\t\t", "\u00e9"]))
    for _ in range(draw(st.integers(0, 3))):
        # near a field boundary (where layouts differ) or anywhere
        boundaries = [k + d for k, c in enumerate(line) if c in "\t:" for d in (-1, 0, 1)] + [len(line)]
        at = draw(st.sampled_from(boundaries) | st.integers(0, len(line)))
        kind = draw(st.sampled_from(["insert", "replace", "delete"]))
        char = draw(st.sampled_from(ALPHABET))
        if kind == "insert":
            line = line[:at] + char + line[at:]
        elif kind == "replace":
            line = line[:at] + char + line[at + 1 :]
        else:
            line = line[:at] + line[at + 1 :]
    return line.replace("\n", " ")


@settings(max_examples=300, deadline=None)
@given(st.lists(edited_lines(), min_size=1, max_size=6))
def test_scanner_agrees_with_the_regex_on_edited_lines(lines):
    text = "\n".join(lines) + "\n"
    got = parse_lines(text, function="f")
    want, summary = regex_only(text)
    assert parse_summary(got).malformed == summary.malformed
    assert parse_summary(got).reports == summary.reports == len(got)
    got = got.drop(columns="source").reset_index(drop=True)
    want = want.drop(columns="source").reset_index(drop=True)
    pd.testing.assert_frame_equal(got, want, check_exact=True)
