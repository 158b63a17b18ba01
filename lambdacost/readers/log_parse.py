"""Parse AWS Lambda REPORT records, in every shape CloudWatch holds them, into a tidy DataFrame.

Every invocation writes one REPORT record: duration, billed duration, memory size, max
memory used, and on a cold start the INIT (or SnapStart restore) duration. This module
finds those records in whatever wrapper the logs came in and returns one row per
invocation:

====================================  =====================================================
column                                meaning
====================================  =====================================================
``function``                          function name (given, or from log group / file name)
``timestamp``                         event time, UTC (NaT when the input carries none)
``request_id``                        Lambda request id
``duration_ms``                       handler time [ms]
``billed_duration_ms``                what AWS billed, INIT included where billed [ms]
``memory_size_mb``                    configured memory [MB]
``max_memory_used_mb``                peak memory of the execution environment [MB]
``init_duration_ms``                  INIT phase on a cold start, else NaN [ms]
``restore_duration_ms``               SnapStart restore, else NaN [ms]
``billed_restore_duration_ms``        billed part of the restore, else NaN [ms]
``cold_start``                        an INIT or a restore came with this invocation
``status``                            ``success``, ``error``, ``timeout``, ...
``source``, ``line``                  where the record was read (1-based line or event)
====================================  =====================================================

``function`` and ``source`` repeat one label per file, so they are categorical (a byte a
row, not a copy of the text); ``request_id`` and ``status`` are Arrow strings.

Inputs: plain-text REPORT lines
(https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html; tab or
space separated, every optional field, the 100 ms era's stray space, X-Ray fields in the
same event), JSON-format ``platform.report`` records
(https://docs.aws.amazon.com/lambda/latest/dg/telemetry-schema-reference.html), the JSON
written by ``aws logs filter-log-events`` / ``get-log-events`` or a subscription payload,
S3 exports (``<ISO time> <message>`` per line), any of them gzip-compressed; files, globs,
directories and ``-`` for stdin (found and read by :mod:`lambdacost.readers.log_paths`;
the dask engine is :mod:`lambdacost.readers.log_dask`). START, END, XRAY and application
lines are counted as other lines and skipped.

Parsing has no Python loop per line. Plain-text and S3-export files from
:data:`SCAN_MIN_BYTES` on are memory-mapped and walked once by a compiled scanner
(:mod:`lambdacost.readers.logscan`) that reads every REPORT line in Lambda's own layout in
place; smaller ones (no numba import, no compile on a first run), REPORT lines in any other
shape, and JSON-format logs go through RE2 regexes over whole Arrow arrays (:data:`REPORT_TEXT_PATTERN` with
:func:`pyarrow.compute.extract_regex`). Files are parsed in parallel threads, and one large
file is cut at line starts into pieces the scanner reads in parallel threads.
A text REPORT record is a line that *starts* with ``REPORT ``. A REPORT record that does not parse (truncated, a non-numeric
field, an unknown unit, ...) is counted and its line kept as an example in the
:class:`ParseSummary` (``df.attrs["parse"]``); ``strict=True`` raises
:class:`MalformedLogError` instead. Nothing is dropped silently.

Examples
--------
>>> line = ("REPORT RequestId: 3f2b6c1e-0d4a-4e8b-9a51-7c2d8e9f0a11\\tDuration: 12.34 ms\\t"
...         "Billed Duration: 13 ms\\tMemory Size: 128 MB\\tMax Memory Used: 64 MB\\t")
>>> df = parse_lines(["START RequestId: 3f2b Version: 7", line], function="orders")
>>> df[["function", "duration_ms", "billed_duration_ms", "memory_size_mb", "cold_start"]]
  function  duration_ms  billed_duration_ms  memory_size_mb  cold_start
0   orders        12.34                  13             128       False
>>> print(df.attrs["parse"].describe())
1 REPORT record(s) from 2 line(s) in 1 source(s); 0 malformed; 1 other line(s) skipped
read as: <lines>: text
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import LambdaCostError
from . import log_formats
from .log_paths import READ_ERRORS, function_from_source, read_source

__all__ = [
    "COLUMNS",
    "REPORT_TEXT_PATTERN",
    "ParseSummary",
    "MalformedLogError",
    "finish",
    "parse_lines",
    "parse_summary",
    "parse_source",
    "parse_bytes",
    "parse_messages",
    "split_lines",
    "empty_frame",
]

COLUMNS = (
    "function",
    "timestamp",
    "request_id",
    "duration_ms",
    "billed_duration_ms",
    "memory_size_mb",
    "max_memory_used_mb",
    "init_duration_ms",
    "restore_duration_ms",
    "billed_restore_duration_ms",
    "cold_start",
    "status",
    "source",
    "line",
)

# Bounded digit counts keep every cast inside int64/float64 and turn absurd values into
# malformed records instead of overflow errors.
_FLOAT = r"\d{1,9}(?:\.\d{1,9})?"
_INT = r"\d{1,9}"

#: One tolerant RE2 pattern for a plain-text REPORT event
#: (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html): any
#: whitespace between fields (tabs, spaces, the 100 ms era's stray space), optional
#: Init / Restore / Status / Error Type fields and the X-Ray fields of the same event.
REPORT_TEXT_PATTERN = (
    r"^REPORT RequestId: (?P<request_id>[0-9A-Za-z-]+)"
    rf"\s+Duration: (?P<duration_ms>{_FLOAT}) ms"
    rf"\s+Billed Duration: (?P<billed_duration_ms>{_INT}) ms"
    rf"\s+Memory Size: (?P<memory_size_mb>{_INT}) MB"
    rf"\s+Max Memory Used: (?P<max_memory_used_mb>{_INT}) MB"
    rf"(?:\s+Init Duration: (?P<init_duration_ms>{_FLOAT}) ms)?"
    rf"(?:\s+Restore Duration: (?P<restore_duration_ms>{_FLOAT}) ms"
    rf"\s+Billed Restore Duration: (?P<billed_restore_duration_ms>{_INT}) ms)?"
    r"(?:\s+Status: (?P<status>\w+)(?:\s+Error Type: \S+)?)?"
    r"(?:\s+XRAY TraceId: \S+\s+SegmentId: \S+\s+Sampled: \w+)?"
    r"\s*$"
)

# JSON platform.report: keys may come in any order, so one pattern per field.
_NUMBER = r"-?\d{1,9}(?:\.\d{1,12})?(?:[eE][+-]?\d{1,3})?"
_JSON_FIELDS = {
    "request_id": (r'"requestId"\s*:\s*"(?P<v>[^"]*)"', True),
    "duration_ms": (rf'"durationMs"\s*:\s*(?P<v>{_NUMBER})\s*[,}}]', True),
    "billed_duration_ms": (rf'"billedDurationMs"\s*:\s*(?P<v>{_INT})\s*[,}}]', True),
    "memory_size_mb": (rf'"memorySizeMB"\s*:\s*(?P<v>{_INT})\s*[,}}]', True),
    "max_memory_used_mb": (rf'"maxMemoryUsedMB"\s*:\s*(?P<v>{_INT})\s*[,}}]', True),
    "init_duration_ms": (rf'"initDurationMs"\s*:\s*(?P<v>{_NUMBER})\s*[,}}]', False),
    "restore_duration_ms": (rf'"restoreDurationMs"\s*:\s*(?P<v>{_NUMBER})\s*[,}}]', False),
    "status": (r'"status"\s*:\s*"(?P<v>\w+)"', False),
    "time": (r'"time"\s*:\s*"(?P<v>[^"]+)"', False),
}
_INT_COLUMNS = ("billed_duration_ms", "memory_size_mb", "max_memory_used_mb")
_FLOAT_COLUMNS = ("duration_ms", "init_duration_ms", "restore_duration_ms", "billed_restore_duration_ms")

#: Text columns use Arrow strings in both engines (dask converts object columns to them).
_STRING = "string[pyarrow]"
#: This pandas' own text dtype (dask gives categories this dtype too).
_TEXT = pd.Index(["text"]).dtype
#: Columns that repeat one label per source: categorical (a byte a row).
LABEL_COLUMNS = ("function", "source")
#: A JSON-format record: a line that starts with '{' and names the platform.report type.
_JSON_RECORD = r'^\s*\{.*"platform\.report"'
_EXPORT_PATTERN = r"^(?P<ts>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z) (?P<msg>.*)$"
_LOG_GROUP = re.compile(r"/aws/lambda/([^/\s]+)")
_SUFFIXES = (".gz", ".log", ".jsonl", ".json", ".txt", ".ndjson")
#: How many malformed lines a summary shows.
EXAMPLES_SHOWN = 5
#: Text sources from this many bytes on are read by the compiled scanner
#: (:mod:`lambdacost.readers.logscan`); smaller ones by the RE2 regex over Arrow arrays,
#: which gives the same rows and needs neither numba nor a compile (the scanner's first
#: compile takes seconds on an empty cache, more than the regex takes for this much text).
SCAN_MIN_BYTES = 4 << 20
#: Where the scanner cuts a file into pieces (:func:`~lambdacost.readers.logscan.scan_report_lines`'s
#: ``cuts``): None for one piece per CPU. Tests set it to check that pieces join exactly.
SCAN_CUTS = None


class MalformedLogError(ValueError, LambdaCostError):
    """REPORT records that do not parse, raised with ``strict=True``.

    Parameters
    ----------
    summary : ParseSummary
        Counts and the first malformed lines.
    """

    def __init__(self, summary: ParseSummary):
        self.summary = summary
        super().__init__(summary)

    def __str__(self) -> str:
        shown = "; ".join(self.summary.examples)
        return f"{self.summary.malformed} malformed REPORT record(s): {shown}"

    def __reduce__(self):
        return (type(self), (self.summary,))


@dataclass(frozen=True)
class ParseSummary:
    """What a read found: records, malformed records, other lines, sources.

    ``examples`` holds the first malformed lines as ``source:line: text``;
    ``unreadable`` the sources that could not be read at all, with the reason.
    """

    sources: int = 0
    lines: int = 0
    reports: int = 0
    malformed: int = 0
    other_lines: int = 0
    empty_sources: tuple[str, ...] = ()
    unreadable: tuple[str, ...] = ()
    examples: tuple[str, ...] = field(default=())
    #: ``source: format`` for every source read (see :mod:`lambdacost.readers.log_formats`).
    formats: tuple[str, ...] = ()
    #: Sources with lines but not one REPORT record (nor a malformed one).
    no_records: tuple[str, ...] = ()
    #: Sources not read, with the reason (``x.log.gz: same log as x.log``).
    skipped: tuple[str, ...] = ()

    def __add__(self, other: ParseSummary) -> ParseSummary:
        return ParseSummary(
            self.sources + other.sources,
            self.lines + other.lines,
            self.reports + other.reports,
            self.malformed + other.malformed,
            self.other_lines + other.other_lines,
            self.empty_sources + other.empty_sources,
            self.unreadable + other.unreadable,
            (self.examples + other.examples)[:EXAMPLES_SHOWN],
            tuple(dict.fromkeys(self.formats + other.formats)),  # a file cut in blocks: once
            self.no_records + other.no_records,
            self.skipped + other.skipped,
        )

    def describe(self) -> str:
        """One paragraph for people: counts, then the first problems."""
        text = (
            f"{self.reports} REPORT record(s) from {self.lines} line(s) in {self.sources} source(s); "
            f"{self.malformed} malformed; {self.other_lines} other line(s) skipped"
        )
        if self.formats:
            text += "\nread as: " + "; ".join(self.formats)
        if self.empty_sources:
            text += f"\nempty: {', '.join(self.empty_sources)}"
        if self.no_records:
            text += f"\nno REPORT records: {', '.join(self.no_records)}"
        if self.skipped:
            text += "\nskipped: " + "; ".join(self.skipped)
        if self.unreadable:
            text += "\nunreadable: " + "; ".join(self.unreadable)
        if self.examples:
            more = self.malformed - len(self.examples)
            text += "\nmalformed:" + "".join(f"\n  {e}" for e in self.examples)
            if more > 0:
                text += f"\n  ... and {more} more"
        return text

    def to_dict(self) -> dict:
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.__dict__.items()}


def parse_summary(df) -> ParseSummary:
    """The :class:`ParseSummary` attached to a frame returned by :func:`~lambdacost.readers.logs.read_logs`."""
    return df.attrs.get("parse", ParseSummary())


# ----------------------------------------------------------------------------- parsing


def empty_frame() -> pd.DataFrame:
    """A frame with no rows and the columns and dtypes of :func:`~lambdacost.readers.logs.read_logs`' result."""
    return pd.DataFrame(
        {
            "function": pd.Series(_label("", 0)),
            "timestamp": pd.Series([], dtype="datetime64[ns, UTC]"),
            "request_id": pd.Series([], dtype=_STRING),
            **{c: pd.Series([], dtype="float64") for c in ("duration_ms",)},
            **{c: pd.Series([], dtype="int64") for c in _INT_COLUMNS},
            **{c: pd.Series([], dtype="float64") for c in _FLOAT_COLUMNS[1:]},
            "cold_start": pd.Series([], dtype=bool),
            "status": pd.Series([], dtype=_STRING),
            "source": pd.Series(_label("", 0)),
            "line": pd.Series([], dtype="int64"),
        }
    )[list(COLUMNS)]


def _nullable(column: pa.Array) -> pa.Array:
    """Unmatched optional groups come back as ""; make them null so casts succeed."""
    return pc.if_else(pc.equal(column, ""), pa.scalar(None, column.type), column)


def _to_numpy(column: pa.Array, kind: str) -> np.ndarray:
    if kind == "int":
        return pc.cast(column, pa.int64()).to_numpy(zero_copy_only=False)
    return pc.cast(column, pa.float64()).fill_null(np.nan).to_numpy(zero_copy_only=False)


def _timestamps(values: pa.Array | None, n: int) -> pd.DatetimeIndex:
    if values is None:
        return pd.DatetimeIndex(np.full(n, np.datetime64("NaT"), "datetime64[ns]")).tz_localize("UTC")
    if pa.types.is_string(values.type) or pa.types.is_large_string(values.type):
        text = pd.Series(values.to_numpy(zero_copy_only=False), dtype=object)
        try:
            parsed = pd.to_datetime(text, utc=True, format="ISO8601", errors="coerce")
        except (pd.errors.OutOfBoundsDatetime, ValueError, OverflowError):  # a year 3022: NaT, one by one
            parsed = pd.Series([_one_time(t) for t in text], dtype="datetime64[us, UTC]")
        index = pd.DatetimeIndex(parsed)
        # a time nanoseconds cannot hold (the year 3022 of a damaged export): unknown, NaT
        index = index.where((index >= _NS_MIN) & (index <= _NS_MAX))
        return index.as_unit("ns")
    epoch_ms = pc.cast(values, pa.float64()).fill_null(np.nan).to_numpy(zero_copy_only=False)
    # beyond what nanoseconds can hold (years before 1678 or after 2261): unknown, NaT
    epoch_ms = np.where(np.abs(epoch_ms) < 9.2e12, epoch_ms, np.nan)
    return pd.DatetimeIndex(pd.to_datetime(epoch_ms, unit="ms", utc=True, errors="coerce")).as_unit("ns")


#: What Lambda can report (https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html,
#: a 15-minute timeout, an INIT of at most 10 s billed with it): a record outside is malformed.
MEMORY_MB_RANGE = (128, 10240)
#: Largest plausible duration or billed duration [ms]: the 900 s timeout plus INIT, with room.
MAX_DURATION_MS = 1_000_000


def _plausible(columns: dict) -> np.ndarray:
    """Which parsed records hold values Lambda can report: memory 128..10240 MB, billed
    duration 1 ms or more, no negative or absurdly long duration."""
    memory = columns["memory_size_mb"]
    billed = columns["billed_duration_ms"]
    ok = (memory >= MEMORY_MB_RANGE[0]) & (memory <= MEMORY_MB_RANGE[1])
    ok &= (billed >= 1) & (billed <= MAX_DURATION_MS)
    ok &= (columns["duration_ms"] >= 0) & (columns["duration_ms"] <= MAX_DURATION_MS)
    ok &= columns["max_memory_used_mb"] >= 0
    for name in ("init_duration_ms", "restore_duration_ms", "billed_restore_duration_ms"):
        values = np.asarray(columns[name], float)
        ok &= np.isnan(values) | ((values >= 0) & (values <= MAX_DURATION_MS))
    return ok


def _keep(columns: dict, mask: np.ndarray) -> dict:
    """``columns`` with only the rows of ``mask`` (numpy or Arrow columns)."""
    if mask.all():
        return columns
    arrow_mask = pa.array(mask)
    return {
        k: v if v is None else v[mask] if isinstance(v, np.ndarray) else v.filter(arrow_mask)
        for k, v in columns.items()
    }


_NS_MIN, _NS_MAX = pd.Timestamp.min.tz_localize("UTC"), pd.Timestamp.max.tz_localize("UTC")


def _one_time(text) -> pd.Timestamp:
    try:
        return pd.to_datetime(text, utc=True, format="ISO8601")
    except (pd.errors.OutOfBoundsDatetime, ValueError, OverflowError, TypeError):
        return pd.NaT


def _text_records(messages: pa.Array) -> tuple[dict, pa.Array]:
    """Parse plain-text REPORT candidates with :data:`REPORT_TEXT_PATTERN`; returns the
    columns (in input order) and the match mask."""
    parsed = pc.extract_regex(messages, REPORT_TEXT_PATTERN)
    valid = parsed.is_valid()
    ok = parsed.filter(valid)
    columns = {"request_id": ok.field("request_id")}
    for name in _INT_COLUMNS:
        columns[name] = _to_numpy(ok.field(name), "int")
    for name in _FLOAT_COLUMNS:
        columns[name] = _to_numpy(_nullable(ok.field(name)), "float")
    columns["status"] = _nullable(ok.field("status")).fill_null("success")
    columns["time"] = None
    return columns, valid


def _json_records(messages: pa.Array) -> tuple[dict, pa.Array]:
    """Parse JSON ``platform.report`` candidates, one RE2 pass per field."""
    found, valid = {}, pc.ends_with(pc.utf8_rtrim_whitespace(messages), "}")
    for name, (pattern, required) in _JSON_FIELDS.items():
        values = pc.extract_regex(messages, pattern)
        found[name] = values.field("v")
        if required:
            valid = pc.and_(valid, values.is_valid())
        else:
            found[name] = pc.if_else(values.is_valid(), found[name], pa.scalar(None, found[name].type))
    ok = {name: values.filter(valid) for name, values in found.items()}
    columns = {"request_id": ok["request_id"]}
    for name in _INT_COLUMNS:
        columns[name] = _to_numpy(ok[name], "int")
    for name in ("duration_ms", "init_duration_ms", "restore_duration_ms"):
        columns[name] = _to_numpy(ok[name], "float")
    # platform.report has no billed-restore field
    # (https://docs.aws.amazon.com/lambda/latest/dg/telemetry-schema-reference.html): unknown, not zero.
    columns["billed_restore_duration_ms"] = np.full(len(ok["request_id"]), np.nan)
    columns["status"] = ok["status"].fill_null("success")
    columns["time"] = ok["time"]
    return columns, valid


def _label(text: str, n: int) -> pd.Categorical:
    """One label ``n`` times as a categorical: a byte a row, not ``n`` copies of the text."""
    return pd.Categorical.from_codes(np.zeros(n, np.int8), categories=pd.Index([text] if n else [], dtype=_TEXT))


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Frames one after another; the label columns stay categorical (over the union of
    their labels) instead of turning into text."""
    if len(frames) == 1:
        return frames[0]
    for column in LABEL_COLUMNS:
        labels = pd.Index(
            pd.unique(np.concatenate([f[column].cat.categories.to_numpy(object) for f in frames])), dtype=_TEXT
        )
        frames = [f.assign(**{column: f[column].cat.set_categories(labels)}) for f in frames]
    return pd.concat(frames, ignore_index=True)


def _arrow_text(values: pa.Array | pa.ChunkedArray) -> pd.arrays.ArrowStringArray:
    """Arrow text as this frame's string column, without a copy (a chunked array keeps its chunks)."""
    chunks = values.chunks if isinstance(values, pa.ChunkedArray) else [values]
    return pd.arrays.ArrowStringArray(pa.chunked_array([c.cast(pa.large_string()) for c in chunks], pa.large_string()))


def _frame(columns: dict, lines: np.ndarray, times: pa.Array | None, function: str, source: str) -> pd.DataFrame:
    n = len(lines)
    own_time = columns.pop("time")
    stamps = _timestamps(times, n)
    if own_time is not None:  # a JSON record's own "time" beats the wrapper's event time
        own = _timestamps(own_time, n)
        stamps = own.where(own.notna(), stamps)
    cold = ~np.isnan(columns["init_duration_ms"]) | ~np.isnan(columns["restore_duration_ms"])
    data = {
        "function": _label(function, n),
        "timestamp": stamps,
        "request_id": _arrow_text(columns["request_id"]),
        **{c: columns[c] for c in ("duration_ms", *_INT_COLUMNS, *_FLOAT_COLUMNS[1:])},
        "cold_start": cold,
        "status": _arrow_text(columns["status"]),
        "source": _label(source, n),
        "line": np.asarray(lines, np.int64),
    }
    return pd.DataFrame({c: data[c] for c in COLUMNS}, copy=False)  # no block copies: concat copies once


def parse_messages(
    messages: pa.Array, lines: np.ndarray, times: pa.Array | None, function: str, source: str, raw: bytes | None = None
) -> tuple[pd.DataFrame, ParseSummary]:
    """The vectorized core: classify every message, parse the REPORT ones, count the rest.

    A text record is a line that starts with ``REPORT ``; a JSON one starts with ``{``
    and mentions ``"platform.report"``. Every REPORT line goes through the regexes here,
    none through the compiled scanner.

    Parameters
    ----------
    messages : pyarrow.Array
        One message per line or event; may be binary (lines cut from the raw bytes,
        newline included, e.g. by :func:`split_lines`): only the candidates are decoded.
    lines : numpy.ndarray
        The 1-based line (or event) number of each message.
    times : pyarrow.Array or None
        Event times (ISO strings or epoch milliseconds), if the wrapper has them.
    function, source : str
        Labels of the rows.
    raw : bytes, optional
        The bytes the messages were cut from: a byte search then skips the JSON pass when
        no JSON record can be present.

    Returns
    -------
    (pandas.DataFrame, ParseSummary)
    """
    is_text = pc.starts_with(messages, "REPORT ")
    if raw is None or b'"platform.report"' in raw:
        is_json = pc.match_substring_regex(messages, _JSON_RECORD)
        is_text = pc.and_(pc.invert(is_json), is_text)
    else:
        is_json = pa.array(np.zeros(len(messages), bool))
    # A REPORT record not at the start of its line (a damaged time or wrapper before it) is
    # no record the patterns read, but it must not pass as an "other line": the text
    # pattern refuses it, so it is counted malformed with its line.
    stray = pc.and_(pc.invert(pc.or_(is_text, is_json)), pc.match_substring(messages, "REPORT RequestId"))
    is_text = pc.or_(is_text, stray)
    frames, bad_lines, bad_text = [], [], []
    for mask, parse in ((is_text, _text_records), (is_json, _json_records)):
        where = pc.indices_nonzero(mask)
        if len(where) == 0:
            continue
        candidates = messages.take(where)
        if pa.types.is_large_binary(candidates.type):
            # raises ArrowInvalid on bad UTF-8 (the caller then decodes with U+FFFD)
            candidates = pc.utf8_rtrim(candidates.cast(pa.large_string()), characters="\r\n")
        columns, valid = parse(candidates)
        valid_np = valid.to_numpy(zero_copy_only=False).copy()
        plausible = _plausible(columns)
        columns = _keep(columns, plausible)
        valid_np[valid_np] = plausible  # absurd values (Memory Size 0, ...): malformed, not priced
        where_np = where.to_numpy()
        good = where_np[valid_np]
        frames.append(_frame(columns, lines[good], None if times is None else times.take(good), function, source))
        bad = where_np[~valid_np]
        bad_lines.append(lines[bad])
        shown = messages.take(bad[:EXAMPLES_SHOWN]).to_pylist()
        bad_text.append([(t.decode("utf-8", "replace") if isinstance(t, bytes) else t).rstrip("\r\n") for t in shown])
    frame = _concat(frames) if frames else empty_frame()
    if len(frames) > 1:
        frame = frame.sort_values("line", kind="stable", ignore_index=True)
    bad_all = np.concatenate(bad_lines) if bad_lines else np.array([], dtype="int64")
    order = np.argsort(bad_all, kind="stable")[:EXAMPLES_SHOWN]
    texts = [t for part in bad_text for t in part]
    # bad_text holds the first few of each kind; match them back to their line numbers
    firsts = np.concatenate([b[:EXAMPLES_SHOWN] for b in bad_lines]) if bad_lines else np.array([], dtype="int64")
    lookup = dict(zip(firsts.tolist(), texts))
    examples = tuple(f"{source}:{int(n)}: {lookup[int(n)][:200]!r}" for n in bad_all[order] if int(n) in lookup)
    summary = ParseSummary(
        sources=1,
        lines=len(messages),
        reports=len(frame),
        malformed=len(bad_all),
        other_lines=len(messages) - len(frame) - len(bad_all),
        empty_sources=(source,) if len(messages) == 0 else (),
        examples=examples,
    )
    return frame, summary


def split_lines(raw: bytes) -> pa.Array:
    """Lines of ``raw`` as a zero-copy binary array; each keeps its trailing newline.

    Examples
    --------
    >>> split_lines(b"a\\nb").to_pylist()
    [b'a\\n', b'b']
    """
    if not raw:
        return pa.array([], pa.large_binary())
    ends = np.flatnonzero(np.frombuffer(raw, np.uint8) == 10) + 1
    if not raw.endswith(b"\n"):
        ends = np.append(ends, len(raw))
    offsets = np.concatenate(([0], ends)).astype(np.int64)
    return pa.LargeBinaryArray.from_buffers(
        pa.large_binary(), len(ends), [None, pa.py_buffer(offsets), pa.py_buffer(raw)]
    )


def _parse_text(
    raw, source: str, function: str, timestamped: bool, parallel: bool = True
) -> tuple[pd.DataFrame, ParseSummary] | None:
    """Plain-text or S3-export lines: the compiled scanner reads Lambda's own layout (the
    file cut into pieces scanned in parallel threads); the few lines it leaves (REPORT lines
    in another shape or with values Lambda cannot report, REPORT records not at the start
    of their line) go through the regex, which judges them. None when JSON-format records
    are among the lines (the caller then parses every line with Arrow). Below
    :data:`SCAN_MIN_BYTES` also None: the regex alone reads it, with no compile.
    """
    if len(raw) < SCAN_MIN_BYTES:
        return None
    from . import logscan  # numba: imported (and compiled, or loaded from its cache) only here
    from .logscan import gather_bytes, scan_report_lines

    buf = np.frombuffer(raw, np.uint8)
    limits = (*MEMORY_MB_RANGE, MAX_DURATION_MS)
    found = scan_report_lines(buf, timestamped=timestamped, limits=limits, cuts=SCAN_CUTS if parallel else [])
    if found.json_lines and raw.find(b'"platform.report"') >= 0:
        return None
    ints, floats = found.ints, found.floats
    if found.statuses:
        status = _nullable(gather_bytes(buf, ints[logscan.STATUS], ints[logscan.STATUS_END])).fill_null("success")
    else:
        status = pa.repeat(pa.scalar("success", pa.large_string()), len(found))
    columns = {
        "request_id": found.request_ids,
        "duration_ms": floats[logscan.DURATION],
        "billed_duration_ms": ints[logscan.BILLED],
        "memory_size_mb": ints[logscan.MEMORY],
        "max_memory_used_mb": ints[logscan.MAX_MEMORY],
        "init_duration_ms": floats[logscan.INIT],
        "restore_duration_ms": floats[logscan.RESTORE],
        "billed_restore_duration_ms": floats[logscan.BILLED_RESTORE],
        "status": status,
        "time": None,
    }
    times = _nullable(gather_bytes(buf, ints[logscan.TIME], ints[logscan.TIME_END])) if timestamped else None
    frame = _frame(columns, ints[logscan.LINE], times, function, source)
    judged = ParseSummary()
    left = found.left
    if left.shape[1]:
        texts = gather_bytes(buf, left[logscan.MESSAGE], left[logscan.END], text=False)
        try:
            texts.cast(pa.large_string())
        except pa.ArrowInvalid:  # invalid UTF-8: shown and parsed with U+FFFD, as elsewhere
            texts = pa.array([t.decode("utf-8", "replace").encode() for t in texts.to_pylist()], pa.large_binary())
        stamps = _nullable(gather_bytes(buf, left[logscan.TIME], left[logscan.TIME_END])) if timestamped else None
        more, judged = parse_messages(texts, left[logscan.LINE], stamps, function, source, raw=b"")
        frame = _concat([frame, more]).sort_values("line", kind="stable", ignore_index=True)
    summary = ParseSummary(
        sources=1,
        lines=found.lines,
        reports=len(frame),
        malformed=judged.malformed,
        other_lines=found.lines - len(frame) - judged.malformed,
        empty_sources=(source,) if found.lines == 0 else (),
        examples=judged.examples,
    )
    return frame, summary


def _parse_raw(raw, source: str, function: str | None, parallel: bool = True) -> tuple[pd.DataFrame, ParseSummary]:
    """Parse one source's bytes (``bytes`` or a memory map) in whatever shape they are."""
    raw = log_formats.strip_bom(raw)
    kind = log_formats.detect(raw)
    frame, summary = _parse_kind(raw, kind, source, function, parallel)
    no_records = (source,) if summary.lines and not summary.reports and not summary.malformed else ()
    return frame, dataclasses.replace(summary, formats=(f"{source}: {kind}",), no_records=no_records)


def _malformed(summary: ParseSummary, bad: list[tuple[int, str]], source: str) -> ParseSummary:
    """``summary`` with the records that could not be read at all (a cut-off page, ...)."""
    if not bad:
        return summary
    shown = tuple(f"{source}:{line}: {text[:200]!r}" for line, text in bad)
    return dataclasses.replace(
        summary,
        lines=summary.lines + len(bad),
        malformed=summary.malformed + len(bad),
        examples=(summary.examples + shown)[:EXAMPLES_SHOWN],
    )


def _text_array(messages: list[str]) -> pa.Array:
    array = pa.array(messages, pa.large_string())
    # the REPORT event's X-Ray data follows a newline inside the same message
    return pc.utf8_rtrim_whitespace(pc.replace_substring(array, "\n", "\t"))


def _parse_kind(
    raw, kind: str, source: str, function: str | None, parallel: bool = True
) -> tuple[pd.DataFrame, ParseSummary]:
    name = function or function_from_source(source)
    if kind in ("text", "s3-export"):
        parsed = _parse_text(raw, source, name, kind == "s3-export", parallel)
        if parsed is not None:
            return parsed
    if kind in ("timestamped", "aws-logs-tail", "sam-logs"):
        messages, lines, times, _ = log_formats.timestamped_messages(bytes(raw).decode("utf-8", "replace"))
        return parse_messages(_text_array(messages), lines, pa.array(times, pa.large_string()), name, source)
    if kind == "log-events-json":
        messages, lines, times, group, bad = log_formats.events_messages(bytes(raw).decode("utf-8", "replace"))
        name = function or function_from_source(source, group)
        frame, summary = parse_messages(_text_array(messages), lines, pa.array(times, pa.float64()), name, source)
        return frame, _malformed(summary, bad, source)
    if kind.startswith("insights-"):
        messages, lines, times, functions, bad = log_formats.insights_messages(
            bytes(raw).decode("utf-8", "replace"), kind
        )
        names = np.array([function or f or name for f in functions], dtype=object)
        frames, summary = [], ParseSummary()
        for one in dict.fromkeys(names.tolist()) or [name]:
            where = np.flatnonzero(names == one)
            part, counted = parse_messages(
                _text_array([messages[i] for i in where]),
                lines[where],
                pa.array([times[i] for i in where], pa.large_string()),
                one,
                source,
            )
            frames.append(part)
            summary = summary + counted
        frame = _concat(frames).sort_values("line", kind="stable", ignore_index=True) if frames else empty_frame()
        summary = dataclasses.replace(summary, sources=1, empty_sources=() if len(messages) or bad else (source,))
        return frame, _malformed(summary, bad, source)
    # JSON Lines, or text with JSON-format records among it: Arrow over every line.
    raw = bytes(raw)
    messages = split_lines(raw)
    lines = np.arange(1, len(messages) + 1)
    if kind == "s3-export":
        text = pc.utf8_rtrim(messages.cast(pa.large_string()), characters="\r\n")
        split = pc.extract_regex(text, _EXPORT_PATTERN)
        has = split.is_valid()
        times = pc.if_else(has, split.field("ts"), pa.scalar(None, split.field("ts").type))
        text = pc.if_else(has, pc.cast(split.field("msg"), pa.large_string()), text)
        return parse_messages(text, lines, times, name, source)
    return parse_messages(messages, lines, None, name, source, raw)


def parse_source(
    source: str, function: str | None = None, *, parallel: bool = True
) -> tuple[pd.DataFrame, ParseSummary]:
    """Read and parse one file (or stdin, ``-``); an unreadable source is reported, never raised.

    ``parallel`` as in :func:`parse_bytes`.

    Returns
    -------
    (pandas.DataFrame, ParseSummary)
        The rows of that source and what was found; ``function`` None names the rows
        after the source (:func:`~lambdacost.readers.log_paths.function_from_source`).
    """
    try:
        raw = read_source(source)
    except READ_ERRORS as error:
        return empty_frame(), ParseSummary(sources=1, unreadable=(f"{source}: {error}",))
    return parse_bytes(raw, source, function, parallel=parallel)


def parse_bytes(raw: bytes, source: str, function: str | None, *, parallel: bool = True):
    """Parse one source's bytes (``bytes`` or a memory map), in whatever shape they are.

    Invalid UTF-8 inside a REPORT candidate is decoded as U+FFFD and parsed again.
    ``parallel`` False scans a large text log in one piece, on this thread (a dask worker's
    blocks are already parallel); the rows are the same either way.

    Returns
    -------
    (pandas.DataFrame, ParseSummary)
    """
    try:
        return _parse_raw(raw, source, function, parallel)
    except pa.ArrowInvalid:
        # Invalid UTF-8 inside a REPORT candidate: decode the file with U+FFFD, parse again.
        return _parse_raw(bytes(raw).decode("utf-8", errors="replace").encode(), source, function, parallel)


def parse_lines(
    lines: Sequence[str] | str, *, function: str = "function", source: str = "<lines>", strict: bool = False
) -> pd.DataFrame:
    """Parse log lines or text already in memory (same rules as :func:`~lambdacost.readers.logs.read_logs`).

    Parameters
    ----------
    lines : sequence of str, or str
        Log lines, or the whole text of a log (any supported shape).
    function : str
        Name for the records.
    source : str
        Name used in messages.
    strict : bool
        Raise :class:`MalformedLogError` on any malformed REPORT record.

    Returns
    -------
    pandas.DataFrame
        One row per invocation, columns :data:`COLUMNS`; ``attrs["parse"]`` holds the
        :class:`ParseSummary`.
    """
    try:
        text = lines if isinstance(lines, str) else "".join(line + "\n" for line in lines)  # one line per item
    except TypeError:  # None, bytes, numbers: not text
        from ..errors import InvalidParameterError

        raise InvalidParameterError("lines", "a str or a sequence of str", lines) from None
    frame, summary = parse_bytes(text.encode("utf-8", errors="replace"), source, function)
    return finish(frame, summary, strict)


def finish(frame: pd.DataFrame, summary: ParseSummary, strict: bool):
    if strict and (summary.malformed or summary.unreadable):
        raise MalformedLogError(summary)
    frame.attrs["parse"] = summary
    return frame
