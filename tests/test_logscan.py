"""The compiled REPORT scanner: exactly the regex's answers, only faster."""

import os
import subprocess
import sys
from pathlib import Path

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
    assert found.lines == 3 and len(found) == 1 and found.left.shape == (5, 0)
    ints, floats = found.ints[:, 0], found.floats[:, 0]
    assert ints[logscan.LINE] == 2
    assert (floats[logscan.DURATION], floats[logscan.INIT]) == (12.34, 542.01)
    assert (ints[logscan.BILLED], ints[logscan.MEMORY], ints[logscan.MAX_MEMORY]) == (13, 128, 64)
    assert np.isnan(floats[logscan.RESTORE]) and np.isnan(floats[logscan.BILLED_RESTORE])
    assert found.request_ids.to_pylist() == ["3f2b6c1e-0d4a-4e8b-9a51-7c2d8e9f0a11"] and found.statuses == 0


def test_other_shapes_are_left_to_the_regex():
    spaced = CANONICAL.replace("\t", " ")
    truncated = CANONICAL[:60]
    xray_in_line = CANONICAL + "XRAY TraceId: 1-2-3\tSegmentId: 4\tSampled: true"
    found = scan("\n".join([spaced, truncated, xray_in_line, "REPORT \u00e9t\u00e9"]))
    assert len(found) == 0
    assert found.left[logscan.LINE].tolist() == [1, 2, 3, 4]


def test_columns_grow_past_the_first_guess():
    text = "REPORT x\n" * 5000  # far denser than the capacity guess of one record per 192 bytes
    found = scan(text)
    assert len(found) == 0 and found.lines == 5000
    assert found.left[logscan.LINE].tolist() == list(range(1, 5001))
    found = scan((CANONICAL + "\n") * 5000, cuts=[0])  # the records' table too
    assert len(found) == 5000 and found.ints[logscan.LINE].tolist() == list(range(1, 5001))


def test_long_request_ids_grow_the_id_buffer_or_go_to_the_regex():
    lines = [CANONICAL.replace("3f2b6c1e-0d4a-4e8b-9a51-7c2d8e9f0a11", f"{k:04d}" + "a" * 252) for k in range(3000)]
    lines.append(CANONICAL.replace("3f2b6c1e-0d4a-4e8b-9a51-7c2d8e9f0a11", "b" * 257))  # over the scanner's limit
    found = scan("\n".join(lines))
    assert len(found) == 3000 and found.left[logscan.LINE].tolist() == [3001]
    assert found.request_ids.to_pylist() == [f"{k:04d}" + "a" * 252 for k in range(3000)]
    df = parse_lines(lines)
    assert len(df) == 3001 and df["request_id"].iloc[-1] == "b" * 257


def test_export_timestamps_are_located():
    text = "2026-11-01T10:00:00.123Z " + CANONICAL + "\nno stamp here\n2026-11-01T10:00:01Z " + CANONICAL
    found = scan(text, timestamped=True)
    raw = np.frombuffer(text.encode(), np.uint8)
    stamps = logscan.gather_bytes(raw, found.ints[logscan.TIME], found.ints[logscan.TIME_END]).to_pylist()
    assert stamps == ["2026-11-01T10:00:00.123Z", "2026-11-01T10:00:01Z"] and len(found) == 2


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


def assert_reads_as_the_regex(text: str):
    got = parse_lines(text, function="f")
    want, summary = regex_only(text)
    assert (parse_summary(got).reports, parse_summary(got).malformed) == (summary.reports, summary.malformed)
    pd.testing.assert_frame_equal(
        got.drop(columns="source").reset_index(drop=True),
        want.drop(columns="source").reset_index(drop=True),
        check_exact=True,
    )
    return got


@pytest.mark.parametrize("whole", range(1, 11))
def test_numbers_of_every_length_are_read_as_the_regex_reads_them(whole):
    # up to seven digits come from one word, eight or more and a buffer's last bytes byte by byte
    lines = []
    for fraction in range(11):
        number = "9876543210"[:whole] + ("." + "1234567890"[:fraction] if fraction else "")
        lines.append(
            CANONICAL.replace("12.34", number)
            .replace("Billed Duration: 13", f"Billed Duration: {'3' * min(whole, 6)}")
            .replace("Max Memory Used: 64", f"Max Memory Used: {'7' * whole}")
        )
    got = assert_reads_as_the_regex("\n".join(lines) + "\n")
    if whole <= 6:  # values Lambda can report: each digit counted; ten fraction digits are malformed
        want = [float(line.split("Duration: ")[1].split(" ")[0]) for line in lines[:10]]
        assert got["duration_ms"].tolist() == want and parse_summary(got).malformed == 1
        assert got["max_memory_used_mb"].tolist() == [int("7" * whole)] * 10
    for cut in range(1, 12):  # the last line cut off: the number, its unit or the tab in the buffer's last bytes
        assert_reads_as_the_regex("\n".join(lines[:2]) + "\n" + lines[2][: len(lines[2]) - cut])


def test_bytes_that_differ_from_digits_only_in_the_high_bit_are_not_digits():
    # UTF-8 for the degree sign is C2 B0 and for a superscript one C2 B9: their low seven bits are digits
    for odd in ("\u00b0", "\u00b9", "\u00b3"):
        for field, value in (("Duration: ", "12.34"), ("Max Memory Used: ", "64")):
            text = CANONICAL.replace(field + value, field + value[0] + odd + value[1:])
            got = assert_reads_as_the_regex(text + "\n" + CANONICAL + "\n")
            assert (len(got), parse_summary(got).malformed) == (1, 1)


# ----------------------------------------------------------------------------- pieces in parallel


def assert_same_scan(got, want, timestamped=False):
    assert (got.lines, got.json_lines, got.statuses) == (want.lines, want.json_lines, want.statuses)
    rows = [logscan.LINE, logscan.BILLED, logscan.MEMORY, logscan.MAX_MEMORY]  # the rows filled in every scan
    rows += [logscan.TIME, logscan.TIME_END] if timestamped else []
    rows += [logscan.STATUS, logscan.STATUS_END] if want.statuses else []
    np.testing.assert_array_equal(got.ints[rows], want.ints[rows])
    np.testing.assert_array_equal(got.floats.view(np.int64), want.floats.view(np.int64))  # bit for bit, NaN too
    assert got.request_ids.to_pylist() == want.request_ids.to_pylist()
    np.testing.assert_array_equal(got.left, want.left)


MIXED = (
    "START RequestId: a Version: $LATEST\r\n"
    + CANONICAL
    + "Init Duration: 542.01 ms\t\r\n"
    + '  {"json": 1}\n'
    + CANONICAL.replace("\t", " ")  # another layout: the regex's
    + "\n[x] "
    + CANONICAL  # a REPORT record not at the start of its line
    + "\r\n"
    + CANONICAL.replace("Memory Size: 128", "Memory Size: 0")  # a value Lambda cannot report
    + "\n\n"
    + CANONICAL
    + "Status: error\tError Type: Runtime.ExitError\r\n"
    + CANONICAL  # the last line, without a newline
)


@pytest.mark.parametrize("timestamped", [False, True])
def test_every_cut_gives_the_one_piece_scan(timestamped):
    text = (
        "".join("2026-11-01T10:00:00.5Z " + line for line in MIXED.splitlines(keepends=True)) if timestamped else MIXED
    )
    buf = np.frombuffer(text.encode(), np.uint8)
    whole = logscan.scan_report_lines(buf, timestamped=timestamped, cuts=[])
    assert (whole.lines, len(whole), whole.left.shape[1], whole.json_lines, whole.statuses) == (9, 3, 3, 1, 1)
    # a cut inside a record, between CR and LF, at a line start, inside the last line
    for cut in range(len(buf) + 1):
        assert_same_scan(logscan.scan_report_lines(buf, timestamped=timestamped, cuts=[cut]), whole, timestamped)
    starts = [0] + [k + 1 for k in np.flatnonzero(buf == 10)]
    every_line = logscan.scan_report_lines(buf, timestamped=timestamped, cuts=starts)
    assert_same_scan(every_line, whole, timestamped)
    assert every_line.request_ids.num_chunks == len(starts)  # one piece a line: the last one alone


def test_pieces_give_the_one_piece_frame(monkeypatch):
    text = (MIXED + "\n") * 50
    monkeypatch.setattr(log_parse, "SCAN_CUTS", [])
    want = parse_lines(text, function="f")
    for cuts in ([1], [len(text) // 2], [len(MIXED) + 1], list(range(0, len(text), 997))):
        monkeypatch.setattr(log_parse, "SCAN_CUTS", cuts)
        got = parse_lines(text, function="f")
        pd.testing.assert_frame_equal(got, want, check_exact=True)
        assert parse_summary(got) == parse_summary(want)
    assert parse_summary(want).malformed == 2 * 50 and len(want) == 4 * 50
    monkeypatch.setattr(log_parse, "SCAN_CUTS", [len(text) // 2])
    frame, summary = log_parse.parse_bytes(text.encode(), "<lines>", "f", parallel=False)  # one piece, as dask does
    pd.testing.assert_frame_equal(frame, want, check_exact=True)
    assert summary == parse_summary(want)


@settings(max_examples=200, deadline=None)
@given(st.lists(edited_lines(), min_size=1, max_size=6), st.lists(st.integers(0, 2000), max_size=3), st.booleans())
def test_pieces_join_exactly_on_edited_lines(lines, cuts, crlf):
    text = ("\r\n" if crlf else "\n").join(lines)
    buf = np.frombuffer(text.encode(), np.uint8)
    assert_same_scan(logscan.scan_report_lines(buf, cuts=cuts), logscan.scan_report_lines(buf, cuts=[]))


def test_a_buffer_is_cut_into_one_piece_per_cpu(monkeypatch):
    monkeypatch.setattr(logscan, "_threads", lambda: 2)
    line = "START RequestId: a Version: $LATEST\n"
    buf = np.frombuffer((line * (logscan.PIECE_MIN_BYTES * 3 // len(line))).encode(), np.uint8)
    middle = len(buf) // 2 // len(line) * len(line) + len(line)  # the line start after the middle
    assert logscan._piece_bounds(buf, None) == [(0, middle), (middle, len(buf))]
    assert logscan._piece_bounds(buf[: logscan.PIECE_MIN_BYTES], None) == [(0, logscan.PIECE_MIN_BYTES)]


FORKED = """
import os, sys
import numpy as np
from lambdacost.readers import logscan
buf = np.frombuffer(sys.argv[1].encode() * 2000, np.uint8)
logscan.scan_report_lines(buf, cuts=[len(buf) // 2])  # the parent's pool starts
pid = os.fork()
if pid == 0:
    os._exit(0 if len(logscan.scan_report_lines(buf, cuts=[len(buf) // 2])) == 2000 else 1)
assert os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0
"""


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")
def test_a_forked_child_scans_in_pieces_with_its_own_threads():
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    subprocess.run([sys.executable, "-c", FORKED, CANONICAL + "\n"], check=True, timeout=120, env=env)
