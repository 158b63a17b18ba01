"""Compiled byte scanner for REPORT lines in Lambda's own text layout.

A per-line regex costs Python a few microseconds a line; logs hold millions. This module
walks a file's bytes once in machine code (numba, no GIL held, so files parse in
parallel threads): it counts lines, finds those that start with ``REPORT ``, and reads the
fields of every one written the way Lambda writes them
(https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html)::

    REPORT RequestId: <id>\\tDuration: <f> ms\\tBilled Duration: <n> ms[ ]\\tMemory Size: <n> MB
    \\tMax Memory Used: <n> MB[\\tInit Duration: <f> ms][\\tRestore Duration: <f> ms
    \\tBilled Restore Duration: <n> ms][\\tStatus: <word>[\\tError Type: <text>]][\\t][\\r]

Numbers are read exactly: ``\\d{1,9}(\\.\\d{1,9})?`` becomes ``numerator / 10**k``, one
correctly rounded division, the same double as ``float(text)``. A REPORT line in any other
shape (spaces for tabs, X-Ray fields, odd characters, truncation, ...) is not judged here:
it is marked ``parsed=False`` and :mod:`lambdacost.readers.log_parse` hands it to the tolerant regex,
which decides whether it is a record or malformed. So the scanner can only speed up, never
change, what is read.

Optionally each line may start with an S3-export timestamp (``<ISO time>Z <message>``);
its bytes are located for the caller to convert.
"""

from __future__ import annotations

from dataclasses import dataclass

import numba
import numpy as np
import pyarrow as pa

__all__ = ["ReportScan", "scan_report_lines", "gather_bytes"]

# Labels as tuples of byte values: constants in the compiled code.
_REPORT = tuple(b"REPORT ")
_REQUEST_ID = tuple(b"RequestId: ")
_DURATION = tuple(b"\tDuration: ")
_BILLED = tuple(b"\tBilled Duration: ")
_MEMORY = tuple(b"\tMemory Size: ")
_MAX_MEMORY = tuple(b"\tMax Memory Used: ")
_INIT = tuple(b"\tInit Duration: ")
_RESTORE = tuple(b"\tRestore Duration: ")
_BILLED_RESTORE = tuple(b"\tBilled Restore Duration: ")
_STATUS = tuple(b"\tStatus: ")
_ERROR_TYPE = tuple(b"\tError Type: ")
_MS = tuple(b" ms")
_MB = tuple(b" MB")

# Rows of the integer output table: 1-based line numbers, byte offsets into the buffer
# (ID, ID_END: into the request-id bytes), values.
LINE, MESSAGE, END, ID, ID_END, BILLED, MEMORY, MAX_MEMORY, BILLED_RESTORE, STATUS, STATUS_END, TIME, TIME_END = range(
    13
)
# Rows of the float output table.
DURATION, INIT, RESTORE = range(3)

_NEWLINE, _TAB, _SPACE, _CR = 10, 9, 32, 13
_EXACT = 2**53  # integers up to here are exact doubles
_POWERS_OF_TEN = tuple(10**k for k in range(10))
_ALNUM = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_ID_CHARS = np.array([c in _ALNUM + b"-" for c in range(256)])  # [0-9A-Za-z-]
_WORD_CHARS = np.array([c in _ALNUM + b"_" for c in range(256)])  # \w
_VISIBLE = np.array([33 <= c <= 126 for c in range(256)])  # printable ASCII but space
_MAX_ID = 256  # longer request ids are left to the regex


@numba.njit(inline="always")
def _expect(buf, i, end, word):
    """Index after ``word`` at ``i``, or -1."""
    if i < 0 or i + len(word) > end:
        return -1
    for k in range(len(word)):
        if buf[i + k] != word[k]:
            return -1
    return i + len(word)


@numba.njit(inline="always")
def _is_digit(c):
    return 48 <= c <= 57


@numba.njit(inline="always")
def _digits(buf, i, end):
    """1 to 9 decimal digits at ``i``: (value, next index), next -1 when not so."""
    value, j = 0, i
    while j < end and _is_digit(buf[j]):
        if j - i == 9:
            return 0, -1
        value = value * 10 + (buf[j] - 48)
        j += 1
    return value, (j if j > i else -1)


@numba.njit(inline="always")
def _decimal(buf, i, end):
    """``\\d{1,9}(\\.\\d{1,9})?`` at ``i``: (value, next index), next -1 when not so."""
    whole, j = _digits(buf, i, end)
    if j < 0 or j >= end or buf[j] != 46:  # no '.'
        return float(whole), j
    fraction, k = _digits(buf, j + 1, end)
    if k < 0:
        return 0.0, -1
    scale = _POWERS_OF_TEN[k - j - 1]
    numerator = whole * scale + fraction
    if numerator > _EXACT:
        return 0.0, -1  # the regex path reads it (never in Lambda's own output)
    return numerator / scale, k  # exact operands: one correct rounding, as float(text)


@numba.njit(inline="always")
def _field(buf, i, end, label, unit, decimal):
    """``label number unit`` at ``i``: (value, next index), next -1 when not so."""
    j = _expect(buf, i, end, label)
    if j < 0:
        return 0.0, -1
    if decimal:
        value, j = _decimal(buf, j, end)
    else:
        whole, j = _digits(buf, j, end)
        value = float(whole)
    return value, _expect(buf, j, end, unit)


@numba.njit(inline="always")
def _run_end(buf, i, end, allowed):
    """End of the run of bytes that ``allowed`` (a 256-entry table) admits, from ``i``."""
    while i < end and allowed[buf[i]]:
        i += 1
    return i


_ONES = np.uint64(0x0101010101010101)
_HIGHS = np.uint64(0x8080808080808080)
_NEWLINES = np.uint64(0x0A0A0A0A0A0A0A0A)


@numba.njit(inline="always")
def _line_end(buf, words, align, i, end):
    """Index of the next newline at or after ``i``, else ``end``.

    Eight bytes at a time: ``words`` views ``buf[align:]`` as uint64 and a word holds a
    newline when ``(x - 0x01..) & ~x & 0x80..`` is non-zero for ``x = word ^ 0x0A..``.
    """
    while i < end and (i - align) % 8 != 0:
        if buf[i] == _NEWLINE:
            return i
        i += 1
    w = (i - align) // 8
    while w < words.shape[0]:
        x = words[w] ^ _NEWLINES
        if (x - _ONES) & ~x & _HIGHS:
            break
        w += 1
    i = max(i, align + 8 * w)
    while i < end and buf[i] != _NEWLINE:
        i += 1
    return i


@numba.njit(cache=True)
def _timestamp_end(buf, i, end):
    """End of ``\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z`` at ``i`` (before its
    space), or -1."""
    if i + 20 > end:
        return -1
    for k in range(19):
        c = buf[i + k]
        if k == 4 or k == 7:
            ok = c == 45  # '-'
        elif k == 10:
            ok = c == 84  # 'T'
        elif k == 13 or k == 16:
            ok = c == 58  # ':'
        else:
            ok = _is_digit(c)
        if not ok:
            return -1
    j = i + 19
    if buf[j] == 46:  # '.'
        j += 1
        start = j
        while j < end and _is_digit(buf[j]):
            j += 1
        if j == start:
            return -1
    if j + 1 < end and buf[j] == 90 and buf[j + 1] == _SPACE:  # 'Z '
        return j + 1
    return -1


@numba.njit(cache=True)
def _parse_report(buf, i, end, n, ints, floats, ids, id_used):
    """Fields of the REPORT record at ``i`` into column ``n`` and its request id into
    ``ids`` from ``id_used`` on; index after the record, or -1."""
    j = _expect(buf, i + len(_REPORT), end, _REQUEST_ID)
    if j < 0:
        return -1
    start = j
    while j < end and _ID_CHARS[buf[j]]:  # [0-9A-Za-z-]+, copied as it is checked
        if j - start == _MAX_ID:
            return -1
        ids[id_used + j - start] = buf[j]
        j += 1
    if j == start:
        return -1
    ints[ID, n], ints[ID_END, n] = id_used, id_used + j - start
    floats[DURATION, n], j = _field(buf, j, end, _DURATION, _MS, True)
    value, j = _field(buf, j, end, _BILLED, _MS, False)
    ints[BILLED, n] = np.int64(value)
    if 0 <= j < end and buf[j] == _SPACE:  # the 100 ms era's stray space
        j += 1
    value, j = _field(buf, j, end, _MEMORY, _MB, False)
    ints[MEMORY, n] = np.int64(value)
    value, j = _field(buf, j, end, _MAX_MEMORY, _MB, False)
    ints[MAX_MEMORY, n] = np.int64(value)
    if j < 0:
        return -1
    floats[INIT, n] = np.nan
    value, k = _field(buf, j, end, _INIT, _MS, True)
    if k > 0:
        floats[INIT, n], j = value, k
    floats[RESTORE, n], ints[BILLED_RESTORE, n] = np.nan, -1
    value, k = _field(buf, j, end, _RESTORE, _MS, True)
    if k > 0:
        billed, k = _field(buf, k, end, _BILLED_RESTORE, _MS, False)
        if k < 0:
            return -1
        floats[RESTORE, n], ints[BILLED_RESTORE, n], j = value, np.int64(billed), k
    ints[STATUS, n], ints[STATUS_END, n] = j, j
    k = _expect(buf, j, end, _STATUS)
    if k > 0:
        j = _run_end(buf, k, end, _WORD_CHARS)
        if j == k:
            return -1
        ints[STATUS, n], ints[STATUS_END, n] = k, j
        k = _expect(buf, j, end, _ERROR_TYPE)
        if k > 0:
            j = _run_end(buf, k, end, _VISIBLE)
            if j == k:
                return -1
    while j < end and (buf[j] == _TAB or buf[j] == _SPACE or buf[j] == _CR):
        j += 1
    return j if (j == end or buf[j] == _NEWLINE) else -1


@numba.njit(nogil=True, cache=True)
def _scan(buf, words, align, timestamped, position, lines, braces, n, ints, floats, parsed, ids, id_used):
    """Scan from byte ``position`` until the end or until the outputs are full.

    Returns (records, position, lines, braces, id_used) so the caller can grow the
    outputs and resume; ``braces`` counts lines whose message starts with '{' (JSON).
    """
    end = buf.shape[0]
    capacity = parsed.shape[0]
    i = position
    while i < end and n < capacity and id_used + _MAX_ID <= ids.shape[0]:
        lines += 1
        start = i
        if timestamped:
            stamp = _timestamp_end(buf, i, end)
            if stamp > 0:
                start = stamp + 1
        if _expect(buf, start, end, _REPORT) > 0:
            ints[LINE, n] = lines
            ints[MESSAGE, n] = start
            ints[TIME, n], ints[TIME_END, n] = i, (start - 1 if start > i else i)
            j = _parse_report(buf, start, end, n, ints, floats, ids, id_used)
            parsed[n] = j >= 0
            if j >= 0:
                id_used = ints[ID_END, n]
            i = j if j >= 0 else _line_end(buf, words, align, start, end)
            ints[END, n] = i
            n += 1
        else:
            while start < end and (buf[start] == _SPACE or buf[start] == _TAB):
                start += 1
            if start < end and buf[start] == 123:  # '{'
                braces += 1
            i = _line_end(buf, words, align, start, end)
        i += 1
    return n, min(i, end), lines, braces, id_used


@numba.njit(nogil=True, cache=True)
def _gather(buf, starts, ends):
    offsets = np.empty(starts.shape[0] + 1, np.int64)
    offsets[0] = 0
    for k in range(starts.shape[0]):
        offsets[k + 1] = offsets[k] + (ends[k] - starts[k])
    data = np.empty(offsets[-1], np.uint8)
    for k in range(starts.shape[0]):
        o = offsets[k]
        for m in range(ends[k] - starts[k]):
            data[o + m] = buf[starts[k] + m]
    return offsets, data


def gather_bytes(buf: np.ndarray, starts: np.ndarray, ends: np.ndarray, *, text: bool = True) -> pa.Array:
    """The byte ranges ``buf[starts[k]:ends[k]]`` as one Arrow array (large string or binary).

    Examples
    --------
    >>> buf = np.frombuffer(b"abc def", np.uint8)
    >>> gather_bytes(buf, np.array([0, 4]), np.array([3, 7])).to_pylist()
    ['abc', 'def']
    """
    offsets, data = _gather(buf, np.asarray(starts, np.int64), np.asarray(ends, np.int64))
    kind = pa.large_string() if text else pa.large_binary()
    return pa.Array.from_buffers(kind, len(offsets) - 1, [None, pa.py_buffer(offsets), pa.py_buffer(data)])


@dataclass(frozen=True)
class ReportScan:
    """What :func:`scan_report_lines` found in a buffer.

    ``lines`` counts every line and ``json_lines`` those whose message starts with '{'.
    The arrays have one entry per line that starts (after an optional export timestamp)
    with ``REPORT ``. Where ``parsed`` is False the line is not in Lambda's own layout and
    its field values are meaningless.
    """

    lines: int
    json_lines: int
    ints: np.ndarray  # rows LINE ... TIME_END
    floats: np.ndarray  # rows DURATION, INIT, RESTORE
    parsed: np.ndarray
    id_bytes: np.ndarray  # the parsed records' request ids, back to back (ID, ID_END index it)

    def __len__(self) -> int:
        return len(self.parsed)

    def request_ids(self) -> pa.Array:
        """The parsed records' request ids as an Arrow string array (no copy)."""
        offsets = np.append(self.ints[ID][self.parsed], len(self.id_bytes)).astype(np.int64)
        return pa.Array.from_buffers(
            pa.large_string(), len(offsets) - 1, [None, pa.py_buffer(offsets), pa.py_buffer(self.id_bytes)]
        )


def scan_report_lines(buf: np.ndarray, *, timestamped: bool = False) -> ReportScan:
    """Find and read the REPORT lines of a log's bytes in one compiled pass.

    Parameters
    ----------
    buf : numpy.ndarray of uint8
        The raw bytes of a text log (e.g. ``np.frombuffer(data, np.uint8)``).
    timestamped : bool, default False
        Lines may start with an S3-export timestamp and a space.

    Returns
    -------
    ReportScan

    Examples
    --------
    >>> raw = (b"START RequestId: 7f Version: $LATEST\\n"
    ...        b"REPORT RequestId: 7f\\tDuration: 12.34 ms\\tBilled Duration: 13 ms\\t"
    ...        b"Memory Size: 128 MB\\tMax Memory Used: 64 MB\\t\\n")
    >>> found = scan_report_lines(np.frombuffer(raw, np.uint8))
    >>> found.lines, found.ints[LINE].tolist(), found.floats[DURATION].tolist(), found.parsed.tolist()
    (2, [2], [12.34], [True])
    """
    # A REPORT line with its START and END lines takes over 200 bytes; grown if denser.
    capacity = max(64, buf.shape[0] // 192)
    align = -buf.ctypes.data % 8
    words = (
        buf[align : align + (buf.shape[0] - align) // 8 * 8].view(np.uint64)
        if buf.shape[0] > align
        else np.empty(0, np.uint64)
    )
    ints, floats, parsed = (
        np.empty((13, capacity), np.int64),
        np.empty((3, capacity), np.float64),
        np.empty(capacity, bool),
    )
    ids = np.empty(capacity * 40, np.uint8)  # a UUID is 36 bytes
    records, position, lines, braces, id_used = 0, 0, 0, 0, 0
    while True:
        records, position, lines, braces, id_used = _scan(
            buf, words, align, timestamped, position, lines, braces, records, ints, floats, parsed, ids, id_used
        )
        if position >= buf.shape[0]:
            break
        if records == parsed.shape[0]:  # full before the end: grow and go on
            ints = np.concatenate([ints, np.empty_like(ints)], axis=1)
            floats = np.concatenate([floats, np.empty_like(floats)], axis=1)
            parsed = np.concatenate([parsed, np.empty_like(parsed)])
        else:
            ids = np.concatenate([ids, np.empty_like(ids)])
    return ReportScan(lines, braces, ints[:, :records], floats[:, :records], parsed[:records], ids[:id_used])
