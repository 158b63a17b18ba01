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
                           one page or several concatenated, a subscription payload, or
                           Lambda JSON log events written out over several lines each
``insights-results-json``  ``aws logs get-query-results``: ``{"results": [[{"field", "value"}]]}``
``insights-json``          Logs Insights export as JSON: a list of ``{"@field": value}``
``insights-csv``           Logs Insights export as CSV, a header of ``@field`` names
``insights-markdown``      Logs Insights results copied as Markdown: ``**CloudWatch Logs
                           Insights**``, the query, then a ``| @field | ... |`` table
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
import datetime as dt
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
    "insights-markdown",
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
_JSON_LINE = re.compile(r'^\s*(?:"[^"\\]*"\s*:|[{}\[\]]+,?\s*$)')
_REPORT_MEMBER = re.compile(rb'"type"\s*:\s*"platform\.report"$')
_PAGE = re.compile(r'"(?:events|logEvents|results)"\s*:\s*\[')
#: The heading the console's Markdown copy of Logs Insights results starts with.
_MD_HEADING = re.compile(r"^\s*\*\*CloudWatch Logs Insights\*\*\s*$", re.M)
_MD_ROW = re.compile(r"^\s*\|(.*)\|\s*$")
_MD_RULE = re.compile(r"^\s*\|(?:\s*:?-{3,}:?\s*\|)+\s*$")
_MD_CELL = re.compile(r"(?<!\\)\|")
_MD_GROUPS = re.compile(r"^\s*log-group-names:\s*(.*?)\s*$")


#: How far into a file the layout is looked for (4 MiB), in place in its bytes or memory map.
_SNIFF_BYTES = 4 << 20


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
    """The first ``limit`` non-blank lines (a first line longer than 64 KiB is cut, and the
    lines after it still looked at)."""
    head = bytes(raw[:65536])
    if b"\n" not in head and len(raw) > len(head):
        end = raw.find(b"\n", 0, _SNIFF_BYTES)
        if end >= 0:
            head = head[:4096] + bytes(raw[end : end + 65536])
    text = head.decode("utf-8", "replace")
    return [line.rstrip("\r") for line in text.splitlines() if line.strip()][:limit]


def detect(raw) -> str:
    """The export ``raw`` (bytes, BOM already stripped) is in, from its first bytes.

    Examples
    --------
    >>> detect(b"2023-04-05T00:45:20.475000+00:00 2023/04/05/[$LATEST]1494 START RequestId: x\\n")
    'aws-logs-tail'
    >>> detect(b'{"results": [[{"field": "@message", "value": "x"}]], "status": "Complete"}')
    'insights-results-json'
    >>> detect(b"**CloudWatch Logs Insights**  \\nregion: us-east-1  \\n---\\n| @requestId |\\n| --- |\\n| a |\\n")
    'insights-markdown'
    """
    first = _first_line(raw)
    stripped = first.lstrip()
    if stripped.startswith(("{", "[")):
        return _detect_json(raw, stripped)
    if _PAGE.search(bytes(raw[:4096]).decode("utf-8", "replace")):
        # a page of events or query results whose opening brace is damaged: still JSON,
        # read as far as it goes and the damage counted, not its records taken as text
        return _detect_json(raw, stripped)
    head_lines = _lines(raw)
    if _written_out(raw, head_lines):
        return "log-events-json"
    if "@" in first and "," in first and any(f in first for f in _INSIGHTS_FIELDS):
        header = next(csv.reader([first]), [])
        if any(h.strip().startswith("@") for h in header):
            return "insights-csv"
    if _markdown_insights(raw):
        return "insights-markdown"
    # The first line that carries a time decides: one damaged first line (no time, a
    # flipped byte) must not turn a whole timestamped export into text and lose its records.
    match = next((m for m in map(LINE_PATTERN.match, head_lines) if m), None)
    if match:
        first = match.group(0)
        if match.group("s1"):
            return "sam-logs"
        if match.group("s2"):
            return "aws-logs-tail"
        return "s3-export" if _Z_EXPORT.match(first) else "timestamped"
    if _stray_json_report(raw):
        return "log-events-json"
    return "text"


def _markdown_insights(raw) -> bool:
    """Logs Insights results copied as Markdown, within the first 64 KiB: the console's
    ``**CloudWatch Logs Insights**`` heading, or a table whose header names an ``@`` field
    (``| @timestamp | @requestId | ... |`` above a ``| --- |`` rule)."""
    head = bytes(raw[:65536]).decode("utf-8", "replace")
    if "|" not in head:
        return False
    if _MD_HEADING.search(head):
        return True
    lines = head.splitlines()
    for above, below in zip(lines, lines[1:]):
        row = _MD_ROW.match(above)
        if row and _MD_RULE.match(below) and any(c.strip() in _INSIGHTS_FIELDS for c in _MD_CELL.split(row.group(1))):
            return True
    return False


def _markdown_cells(text: str) -> list[str]:
    """The cells of one Markdown table row, ``\\|`` read as a ``|`` inside a cell."""
    return [cell.strip().replace("\\|", "|") for cell in _MD_CELL.split(text)]


def _markdown_rows(text: str, rows: list, malformed: list) -> str | None:
    """Every table of a Markdown copy: a header row, a ``| --- |`` rule, then rows until
    the first line that is no row; each row as ``(file line, {header: cell})``. Returns the
    function of the copy's ``log-group-names:`` line when it names one group, else None."""
    lines = [line.rstrip("\r") for line in text.split("\n")]  # numbered as the file's lines
    groups = next((m.group(1) for m in map(_MD_GROUPS.match, lines) if m), "")
    functions = set(_LOG_GROUP.findall(groups))
    header, fenced = None, False
    for number, line in enumerate(lines, start=1):
        row = _MD_ROW.match(line)
        if header is None:
            if line.lstrip().startswith("```"):
                fenced = not fenced  # the query's code block
            elif row and not fenced and number < len(lines) and _MD_RULE.match(lines[number]):
                header = _markdown_cells(row.group(1))
            elif "REPORT RequestId" in line and not fenced:
                malformed.append((number, f"REPORT text outside a table row: {line[:160]}"))  # never dropped silently
            continue
        if _MD_RULE.match(line):
            continue
        if not row:
            header = None  # the table ended; another may follow
            continue
        cells = _markdown_cells(row.group(1))
        if len(cells) != len(header):
            malformed.append((number, f"{len(cells)} cells under {len(header)} headers: {line[:160]}"))
            continue
        rows.append((number, dict(zip(header, cells))))
    return functions.pop() if len(functions) == 1 else None


def _stray_json_report(raw) -> bool:
    """A '"platform.report"' in a file of no known layout, on a line that is no JSON object:
    what is left of a damaged JSON document, read as JSON so that its record is counted."""
    at = raw.find(b'"platform.report"', 0, _SNIFF_BYTES)  # searched in place: no copy of the file
    while at >= 0:
        start = raw.rfind(b"\n", 0, at) + 1
        # a '"type": "platform.report"' member (not the bare words) on a line that opens no object
        if not raw[start:at].lstrip().startswith(b"{") and _REPORT_MEMBER.search(raw[start : at + 17]):
            return True
        at = raw.find(b'"platform.report"', at + 17, _SNIFF_BYTES)
    return False


def _written_out(raw, lines: list[str]) -> bool:
    """One JSON document over many lines (perhaps with a damaged opening), to be read as
    JSON so that its records are read or counted, not passed over as lines of text: mostly
    ``"key": value`` and brace lines, or a ``"type": "platform.report"`` line of its own
    within the first 4 MiB. JSON Lines and text exports never look like this."""
    if sum(map(bool, map(_JSON_LINE.match, lines))) >= max(2, (len(lines) + 1) // 2):
        return True
    at = raw.find(b'"platform.report"', 0, _SNIFF_BYTES)
    if at < 0:
        return False
    # '"type": "platform.report"' with no brace before it on its line: a member of an object
    # written out over lines (a JSON Lines record, or a text line's JSON message, opens with '{')
    start = raw.rfind(b"\n", 0, at) + 1
    line = raw[start : at + 17]
    return _REPORT_MEMBER.search(line) is not None and b"{" not in line


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
    if first.rstrip() in ("{", "[") and '"' in head:
        # a lone brace is a JSON document written out over lines (a pretty-printed page or
        # Lambda JSON log events copied from the console), never one JSON object a line; with
        # no key anywhere after it, it is no JSON document, and its lines are counted as text
        return "log-events-json"
    if first.startswith("{") and first.rstrip().endswith("}"):
        try:
            document = json.loads(first)
        except ValueError:
            document = None
        if isinstance(document, dict) and ("events" in document or "logEvents" in document):
            return "log-events-json"
        if isinstance(document, dict) and "results" in document:
            return "insights-results-json"
    if _written_out(raw, _lines(raw)) or _stray_json_report(raw):
        return "log-events-json"
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

#: Where an event or a page can begin: ``{`` and one of their keys. Inside a message
#: string the quote after the brace is escaped (``{\\"time\\"``), so this never lands there.
_OBJECT_START = re.compile(
    r'\{\s*"(?:events|logEvents|messageType|owner|logGroup|logStream|searchedLogStreams|nextToken|'
    r'nextForwardToken|nextBackwardToken|logStreamName|timestamp|message|ingestionTime|eventId|id|time|type)"\s*:'
)
#: What marks a record in a stretch that could not be read: its message (or ``record``) key,
#: a time, or REPORT text. Escaped keys (inside a message) do not count.
_RECORD_KEY = re.compile(r'(?<!\\)"(?:message|record)"\s*:')
_RECORD_HINT = re.compile(r'(?<!\\)"(?:timestamp|time)"\s*:|REPORT RequestId|"platform\.report"')
#: A REPORT inside a stretch of damaged JSON, as a line of text (a text export mistaken for JSON) or
#: as a JSON record's type: one record each.
_REPORT_MARK = re.compile(r'(?m)^REPORT |"platform\.report"')


class _Lines:
    """1-based line numbers of character offsets, built only when something is damaged."""

    def __init__(self, text: str):
        self.text = text
        self.newlines = None

    def __call__(self, offset: int) -> int:
        if self.newlines is None:
            # UTF-32 gives one code unit per character, so offsets are character offsets
            codes = np.frombuffer(self.text.encode("utf-32-le", "surrogatepass"), np.uint32)
            self.newlines = np.flatnonzero(codes == 10)
        return int(np.searchsorted(self.newlines, offset, side="right")) + 1


def _iso_millis(value) -> float | None:
    """Epoch milliseconds of an ISO-8601 time (a Lambda JSON log event's ``time``), None if not one."""
    if not isinstance(value, str):
        return None
    try:
        stamp = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=dt.UTC)
    return stamp.timestamp() * 1000.0


def _is_event(document) -> bool:
    """A log event of a page (``message``) or a Lambda JSON log event (``type`` + ``record``)."""
    if not isinstance(document, dict):
        return False
    if isinstance(document.get("message"), str):
        return True
    return isinstance(document.get("type"), str) and ("record" in document or "time" in document)


def events_messages(text: str):
    """Events of one or several concatenated ``filter-log-events`` / ``get-log-events``
    pages (or subscription payloads), or of Lambda JSON log events written out one after
    another in any layout (a console copy of ``LogFormat: JSON``), in file order.

    Intact pages are decoded whole. From a damaged one (a flipped byte, a cut) every event
    that is still whole is read one by one, each stretch that cannot be read is counted
    once per record in it, and reading goes on with the next page.

    Returns ``(messages, numbers, times, group, truncated)``: event numbers count from 1
    across pages; ``truncated`` lists ``(line, text)`` for each event, page or stretch that
    cannot be read (the caller counts them as malformed).

    Examples
    --------
    >>> page = '{"events": [{"timestamp": 1, "message": "a"}, {"timestamp": 2, "mess'
    >>> messages, numbers, times, group, truncated = events_messages(page)
    >>> messages, truncated
    (['a'], [(1, '{"timestamp": 2, "mess')])
    """
    # a key given twice (a damaged line, the last copy would win silently) makes the object
    # undecodable: its page is then read event by event and that event counted
    decoder = json.JSONDecoder(object_pairs_hook=_unique_pairs)
    line_of = _Lines(text)
    messages: list[str] = []
    times: list = []
    truncated: list[tuple[int, str]] = []
    group = None
    position, end = 0, len(text)
    while True:
        while position < end and text[position] in " \t\r\n,":
            position += 1
        if position >= end:
            break
        try:
            document, next_position = decoder.raw_decode(text, position)
        except (ValueError, RecursionError):
            position = _resync(text, position, line_of, truncated)
            continue
        group = _document(document, messages, times, truncated, position, line_of) or group
        position = next_position
    return messages, np.arange(1, len(messages) + 1), times, group, truncated


def _document(document, messages: list, times: list, truncated: list, position: int, line_of) -> str | None:
    """Take the events of one decoded JSON value; returns its log group if it names one."""
    if isinstance(document, list):
        for item in document:
            if _is_event(item):
                _take(item, messages, times)
            elif isinstance(item, dict):  # a row of something else (a stats query's table): no record
                messages.append("")
                times.append(None)
            else:
                truncated.append((line_of(position), f"not a log event: {repr(item)[:160]}"))
        return None
    if _is_event(document):
        _take(document, messages, times)
        return None
    if isinstance(document, dict):
        events = document.get("events", document.get("logEvents"))
        if not isinstance(events, list):
            # a page whose "events" key is damaged still holds its events in a list
            events = next((v for v in document.values() if isinstance(v, list) and any(map(_is_event, v))), None)
        group = document["logGroup"] if isinstance(document.get("logGroup"), str) else None
        if isinstance(events, list):
            for item in events:
                if _is_event(item):
                    _take(item, messages, times)
                else:  # no message: a damaged event, counted (it may have been a REPORT)
                    truncated.append((line_of(position), f"not a log event: {repr(item)[:160]}"))
            return group
    truncated.append((line_of(position), "not a page of log events"))
    return None


def _resync(text: str, position: int, line_of, truncated: list) -> int:
    """Skip a stretch that does not decode, up to the next place an event or page begins;
    count the records the stretch held (at least one if it held a record's marks)."""
    match = _OBJECT_START.search(text, position + 1)
    stop = match.start() if match else len(text)
    stretch = text[position:stop]
    lost = max(
        len(_RECORD_KEY.findall(stretch)),
        len(_REPORT_MARK.findall(stretch)),
        1 if _RECORD_HINT.search(stretch) else 0,
    )
    shown = stretch.strip()[:200] or "<end of file>"
    truncated.extend([(line_of(position), shown)] * lost)
    return stop


def _take(event: dict, messages: list, times: list) -> None:
    """One event (:func:`_is_event`) as a message and its time (epoch milliseconds)."""
    if isinstance(event.get("message"), str):  # an event of a page
        messages.append(event["message"])
        stamp = event.get("timestamp")
        times.append(float(stamp) if isinstance(stamp, (int, float)) and not isinstance(stamp, bool) else None)
    else:  # a Lambda JSON log event itself: its JSON is the message the JSON pattern reads
        messages.append(json.dumps(event, separators=(",", ":")))
        times.append(_iso_millis(event.get("time")))


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
    (REPORT text, or ``""`` for a row that is no REPORT), the row's line in the file (CSV,
    Markdown) or its number (JSON), its ``@timestamp``, its function from ``@log`` (or from a
    Markdown copy's one log group, else None), and
    ``(line, text)`` of rows that cannot be read at all.
    """
    rows: list[tuple[int, dict]] = []
    malformed: list[tuple[int, str]] = []
    group = None  # the function of every row, where a Markdown copy names one log group
    if kind == "insights-markdown":
        group = _markdown_rows(text, rows, malformed)
    elif kind == "insights-csv":
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
                    if not all(isinstance(f, dict) for f in record):  # a damaged row: counted, not emptied
                        malformed.append((number, f"not a row of field/value pairs: {repr(record)[:160]}"))
                        continue
                    record = {f.get("field"): f.get("value") for f in record}
                if isinstance(record, dict):
                    rows.append((number, record))
                else:
                    malformed.append((number, repr(record)[:200]))
    messages, numbers, times, functions = [], [], [], []
    for number, row in rows:
        report = _report_text(row)
        if report is None and any(isinstance(v, str) and "REPORT RequestId" in v for v in row.values()):
            # REPORT text in a column that is not @message: a damaged or unknown row, counted
            malformed.append((number, "REPORT text outside @message"))
            continue
        messages.append(report or "")
        numbers.append(number)
        stamp = row.get("@timestamp")
        times.append(str(stamp) if stamp not in (None, "") else None)
        functions.append(_function_of(row) or group)
    return messages, np.asarray(numbers, np.int64), times, functions, malformed
