"""Which export a log file is, judged by its content, and its messages in one common shape.

CloudWatch logs reach people in many wrappers. :func:`detect` looks at the bytes (never
the file name) and names the export; the ``*_messages`` functions turn the wrappers that
the text scanner does not read itself into ``(messages, lines, times)``: one message per
line or event, its 1-based line (or event) number, and its time.

=========================  ==================================================================
format                     looks like
=========================  ==================================================================
``text``                   raw ``REPORT ...`` lines (console copy, ``sam local``)
``s3-export``              ``<ISO time>Z <message>`` (CreateExportTask objects)
``timestamped``            ``<ISO time, any offset or none><space or tab><message>``
``aws-logs-tail``          ``<ISO time+00:00> <log stream> <message>`` (``aws logs tail``)
``sam-logs``               ``<log stream> <ISO time> <message>`` (``sam logs``)
``json-lines``             one JSON object a line (``LogFormat: JSON``, ``platform.report``)
``log-events-json``        ``{"events": [...]}`` of ``filter-log-events`` / ``get-log-events``,
                           one page or several concatenated, or a subscription payload
``insights-results-json``  ``aws logs get-query-results``: ``{"results": [[{"field", "value"}]]}``
``insights-json``          Logs Insights export as JSON: a list of ``{"@field": value}``
``insights-csv``           Logs Insights export as CSV, a header of ``@field`` names
=========================  ==================================================================

Insights rows that carry ``@message`` are parsed from that text; rows with only the
discovered fields (``@requestId``, ``@duration``, ``@billedDuration``, ``@memorySize``,
``@maxMemoryUsed``, ``@initDuration``,
https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_AnalyzeLogData-discoverable-fields.html)
are written back as REPORT text and parsed by the same rules. Insights gives the two
memory fields in bytes, ``MB x 1000 x 1000`` (``Memory Size: 512 MB`` is ``512000000``;
AWS's sample query divides by ``1000 / 1000``): :func:`insights_mb` converts them.
"""

from __future__ import annotations

import csv
import io
import json
import re

import numpy as np

__all__ = [
    "FORMATS",
    "detect",
    "strip_bom",
    "timestamped_messages",
    "events_messages",
    "insights_messages",
    "insights_mb",
]

FORMATS = (
    "text",
    "s3-export",
    "timestamped",
    "aws-logs-tail",
    "sam-logs",
    "json-lines",
    "log-events-json",
    "insights-results-json",
    "insights-json",
    "insights-csv",
)

_BOM = b"\xef\xbb\xbf"
_TS = r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d{1,9})?(?:Z|[+-]\d\d:?\d\d)?"
_STREAM = r"\d{4}/\d\d/\d\d/\[[^\]\s]*\]\S*"
#: One line of any timestamped text export; the stream may come before or after the time.
LINE_PATTERN = re.compile(
    rf"^(?:(?P<s1>{_STREAM})[ \t]+)?(?P<ts>{_TS})(?:[ \t]+(?P<s2>{_STREAM}))?(?:[ \t](?P<msg>.*))?$", re.S
)
_Z_EXPORT = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z [^\t]")
_INSIGHTS_FIELDS = ("@timestamp", "@message", "@requestId", "@billedDuration", "@duration", "@memorySize", "@log")
_LOG_GROUP = re.compile(r"/aws/lambda/([^/\s]+)")
_PAGE = re.compile(r'"(?:events|logEvents|results)"\s*:\s*\[')


def strip_bom(raw):
    """``raw`` without a leading UTF-8 byte-order mark."""
    return raw[3:] if raw[:3] == _BOM else raw


def _first_line(raw) -> str:
    head = bytes(raw[:4096]).decode("utf-8", "replace")
    for line in head.splitlines():
        if line.strip():
            return line.rstrip("\r")
    return ""


def _lines(raw, limit: int = 20) -> list[str]:
    head = bytes(raw[:65536]).decode("utf-8", "replace")
    return [line.rstrip("\r") for line in head.splitlines() if line.strip()][:limit]


def detect(raw) -> str:
    """The export ``raw`` (bytes, BOM already stripped) is in, from its first bytes.

    Examples
    --------
    >>> detect(b"2023-04-05T00:45:20.475000+00:00 2023/04/05/[$LATEST]1494 START RequestId: x\\n")
    'aws-logs-tail'
    >>> detect(b'{"results": [[{"field": "@message", "value": "x"}]], "status": "Complete"}')
    'insights-results-json'
    """
    first = _first_line(raw)
    stripped = first.lstrip()
    if stripped.startswith(("{", "[")):
        return _detect_json(raw, stripped)
    if _PAGE.search(bytes(raw[:4096]).decode("utf-8", "replace")):
        # a page of events or query results whose opening brace is damaged: still JSON,
        # read as far as it goes and the damage counted, not its records taken as text
        return _detect_json(raw, stripped)
    if "@" in first and "," in first and any(f in first for f in _INSIGHTS_FIELDS):
        header = next(csv.reader([first]), [])
        if any(h.strip().startswith("@") for h in header):
            return "insights-csv"
    # The first line that carries a time decides: one damaged first line (no time, a
    # flipped byte) must not turn a whole timestamped export into text and lose its records.
    match = next((m for m in map(LINE_PATTERN.match, _lines(raw)) if m), None)
    if match:
        first = match.group(0)
        if match.group("s1"):
            return "sam-logs"
        if match.group("s2"):
            return "aws-logs-tail"
        return "s3-export" if _Z_EXPORT.match(first) else "timestamped"
    return "text"


def _detect_json(raw, first: str) -> str:
    head = bytes(raw[:65536]).decode("utf-8", "replace")
    if re.search(r'"(?:events|logEvents)"\s*:\s*\[', head[:4096]) and not first.rstrip().endswith("}"):
        return "log-events-json"
    if re.match(r'\s*\{\s*"(?:events|logEvents|messageType|owner|logGroup|nextForwardToken)"', head):
        return "log-events-json"
    if re.match(r'\s*\{\s*"results"\s*:', head) or re.search(r'"results"\s*:\s*\[\s*\[', head[:4096]):
        return "insights-results-json"
    if re.match(r'\s*\[\s*(?:\{\s*"@|\])', head):
        return "insights-json"
    if first.startswith("{") and first.rstrip().endswith("}"):
        try:
            document = json.loads(first)
        except ValueError:
            document = None
        if isinstance(document, dict) and ("events" in document or "logEvents" in document):
            return "log-events-json"
        if isinstance(document, dict) and "results" in document:
            return "insights-results-json"
    return "json-lines"


# ----------------------------------------------------------------------------- timestamped text


def timestamped_messages(text: str) -> tuple[list[str], np.ndarray, list, str | None]:
    """Messages, line numbers and times of timestamped text (``aws logs tail``, ``sam logs``,
    any ISO-8601 offset, a space or a tab after the time). A line without a time (an XRAY
    line, the rest of a multi-line message) is its own message with no time. Returns the
    log stream too: ``None`` (not needed to name the function)."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    messages, times = [], []
    for line in lines:
        line = line.rstrip("\r")
        match = LINE_PATTERN.match(line)
        if match:
            messages.append(match.group("msg") or "")
            times.append(match.group("ts").replace(",", "."))
        else:
            messages.append(line)
            times.append(None)
    return messages, np.arange(1, len(messages) + 1), times, None


# ----------------------------------------------------------------------------- JSON event pages


def _line_of(newlines: np.ndarray, offset: int) -> int:
    return int(np.searchsorted(newlines, offset, side="right")) + 1


def events_messages(text: str):
    """Events of one or several concatenated ``filter-log-events`` / ``get-log-events``
    pages (or subscription payloads), in file order.

    Returns ``(messages, numbers, times, group, truncated)``: event numbers count from 1
    across pages; ``truncated`` lists ``(line, text)`` for an event or page cut off (a
    truncated file), which the caller counts as malformed.
    """
    decoder = json.JSONDecoder()
    newlines = np.flatnonzero(np.frombuffer(text.encode("utf-8", "surrogatepass"), np.uint8) == 10)
    # character offsets differ from byte offsets for non-ASCII text: only used for line numbers
    ascii_text = text.isascii()
    messages, times, truncated, group = [], [], [], None
    position, end = 0, len(text)
    while True:
        while position < end and text[position] in " \t\r\n":
            position += 1
        if position >= end:
            break
        try:
            document, next_position = decoder.raw_decode(text, position)
        except (ValueError, RecursionError):
            # a cut-off page: read its events one by one up to the cut
            events, cut = _salvage(decoder, text, position)
            for event in events:
                _take(event, messages, times)
            line = _line_of(newlines, cut) if ascii_text else 0
            truncated.append((line, text[cut : cut + 200].strip() or "<end of file>"))
            break
        if isinstance(document, dict):
            events = document.get("events", document.get("logEvents"))
            if isinstance(document.get("logGroup"), str):
                group = document["logGroup"]
            if isinstance(events, list):
                for event in events:
                    _take(event, messages, times)
            else:
                truncated.append((_line_of(newlines, position) if ascii_text else 0, "not a page of log events"))
        else:
            truncated.append((_line_of(newlines, position) if ascii_text else 0, "not a page of log events"))
        position = next_position
    return messages, np.arange(1, len(messages) + 1), times, group, truncated


def _take(event, messages: list, times: list) -> None:
    if isinstance(event, dict):
        message = event.get("message")
        messages.append(message if isinstance(message, str) else "")
        stamp = event.get("timestamp")
        times.append(float(stamp) if isinstance(stamp, (int, float)) and not isinstance(stamp, bool) else None)
    else:
        messages.append("")
        times.append(None)


def _salvage(decoder: json.JSONDecoder, text: str, position: int) -> tuple[list, int]:
    """The whole events of a page cut off after ``position``, and where the cut is."""
    match = re.compile(r'"(?:events|logEvents)"\s*:\s*\[').search(text, position)
    if not match:
        return [], position
    events, at = [], match.end()
    while True:
        while at < len(text) and text[at] in " \t\r\n,":
            at += 1
        if at >= len(text) or text[at] == "]":
            return events, at
        try:
            event, at = decoder.raw_decode(text, at)
        except (ValueError, RecursionError):
            return events, at
        events.append(event)


# ----------------------------------------------------------------------------- Logs Insights


def insights_mb(value) -> float:
    """Megabytes from an Insights memory field given in bytes (``MB x 1000 x 1000``).

    A value that is an exact multiple of 1,000,000 is that many MB; an exact multiple of
    1,048,576 (MiB written as bytes by some exports) that many MB; a small value (< 100,000)
    is taken as MB already (a query that divided). NaN for anything else.

    Examples
    --------
    >>> insights_mb("512000000"), insights_mb(134217728), insights_mb("1.28e+08"), insights_mb(1769)
    (512.0, 128.0, 128.0, 1769.0)
    """
    try:
        number = float(value)
    except (TypeError, ValueError):
        return float("nan")
    if number != number or number < 0:
        return float("nan")
    if number < 100_000:
        return number
    for unit in (1_000_000, 1_048_576):
        mb = number / unit
        if abs(mb - round(mb)) < 1e-6:
            return float(round(mb))
    return float("nan")


def _number(value) -> str | None:
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)  # kept as text: the REPORT pattern then counts the row malformed
    if number == int(number):
        return str(int(number))
    return repr(number)


def _report_text(row: dict) -> str | None:
    """A REPORT line from an Insights row, ``None`` when the row is not a REPORT."""
    message = row.get("@message")
    if isinstance(message, str) and message.strip():
        return message.replace("\n", "\t").rstrip()
    if row.get("@type") not in (None, "", "REPORT"):
        return None
    if not any(row.get(f) not in (None, "") for f in ("@billedDuration", "@duration", "@memorySize")):
        return None
    fields = [f"REPORT RequestId: {row.get('@requestId') or '-'}"]
    memory, used = insights_mb(row.get("@memorySize")), insights_mb(row.get("@maxMemoryUsed"))
    fields.append(f"Duration: {_number(row.get('@duration'))} ms")
    fields.append(f"Billed Duration: {_number(row.get('@billedDuration'))} ms")
    fields.append(f"Memory Size: {_number(memory) if memory == memory else row.get('@memorySize')} MB")
    fields.append(f"Max Memory Used: {_number(used) if used == used else row.get('@maxMemoryUsed')} MB")
    if row.get("@initDuration") not in (None, ""):
        fields.append(f"Init Duration: {_number(row.get('@initDuration'))} ms")
    return "\t".join(fields) + "\t"


def _function_of(row: dict) -> str | None:
    for key in ("@log", "@logGroup", "logGroup"):
        value = row.get(key)
        if isinstance(value, str):
            match = _LOG_GROUP.search(value)
            if match:
                return match.group(1)
    return None


def _unique_pairs(pairs) -> dict:
    """A json ``object_pairs_hook``: a key twice (a damaged field, the last would hide the first) is an error."""
    out = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"key {key!r} given twice in one object")
        out[key] = value
    return out


def insights_messages(text: str, kind: str):
    """Rows of Logs Insights output as messages.

    Returns ``(messages, numbers, times, functions, malformed)``: one message per row
    (REPORT text, or ``""`` for a row that is no REPORT), the row's line in the file (CSV)
    or its number (JSON), its ``@timestamp``, its function from ``@log`` (or None), and
    ``(line, text)`` of rows that cannot be read at all.
    """
    rows: list[tuple[int, dict]] = []
    malformed: list[tuple[int, str]] = []
    if kind == "insights-csv":
        reader = csv.DictReader(io.StringIO(text))
        try:
            for record in reader:
                rows.append((reader.line_num, {k.strip(): v for k, v in record.items() if isinstance(k, str)}))
        except csv.Error as error:
            malformed.append((reader.line_num, f"CSV: {error}"))
    else:
        try:
            document = json.loads(text, object_pairs_hook=_unique_pairs)
        except ValueError as error:
            document = None
            malformed.append((1, f"JSON: {error}"))
        except RecursionError:
            document = None
            malformed.append((1, "JSON: nested too deeply to read"))
        records = document.get("results", []) if isinstance(document, dict) else document
        if isinstance(records, list):
            for number, record in enumerate(records, start=1):
                if isinstance(record, list):  # get-query-results: [{"field", "value"}, ...]
                    record = {f.get("field"): f.get("value") for f in record if isinstance(f, dict)}
                if isinstance(record, dict):
                    rows.append((number, record))
                else:
                    malformed.append((number, repr(record)[:200]))
    messages, numbers, times, functions = [], [], [], []
    for number, row in rows:
        report = _report_text(row)
        messages.append(report or "")
        numbers.append(number)
        stamp = row.get("@timestamp")
        times.append(str(stamp) if stamp not in (None, "") else None)
        functions.append(_function_of(row))
    return messages, np.asarray(numbers, np.int64), times, functions, malformed
