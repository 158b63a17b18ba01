"""Compiled byte scanner for REPORT lines in Lambda's own text layout.

A per-line regex costs Python a few microseconds a line; logs hold millions. This module
walks a file's bytes once in machine code (numba, no GIL held): it counts lines, finds
those that start with ``REPORT ``, and reads the fields of every one written the way Lambda
writes them (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html)::

    REPORT RequestId: <id>\\tDuration: <f> ms\\tBilled Duration: <n> ms[ ]\\tMemory Size: <n> MB
    \\tMax Memory Used: <n> MB[\\tInit Duration: <f> ms][\\tRestore Duration: <f> ms
    \\tBilled Restore Duration: <n> ms][\\tStatus: <word>[\\tError Type: <text>]][\\t][\\r]

Eight bytes are looked at a time: newlines are found and labels compared a word at a time,
and numbers of up to seven digits are read from one word. Numbers are read exactly:
``\\d{1,9}(\\.\\d{1,9})?`` becomes ``numerator / 10**k``, one correctly rounded division,
the same double as ``float(text)``. A record whose values
Lambda cannot report (a memory size outside 128-10240 MB, a billed duration of 0, ...) is
not read in place, nor is a REPORT line in any other shape (spaces for tabs, X-Ray fields,
odd characters, truncation, ...), nor a line that mentions ``REPORT RequestId`` after its
start: such lines are left (``ReportScan.left``) for :mod:`lambdacost.readers.log_parse`
to hand to the tolerant regex, which decides whether each is a record or malformed. So
the scanner can only speed up, never change, what is read; in the same pass, so a file's
bytes are walked once.

One buffer is cut at line starts into pieces scanned in parallel threads, one per CPU,
and joined in order (line numbers shifted, byte offsets into the whole buffer): the same
result as one piece, bit for bit.

Optionally each line may start with an S3-export timestamp (``<ISO time>Z <message>``);
its bytes are located for the caller to convert.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numba
import numpy as np
import pyarrow as pa
from llvmlite import ir
from numba.core import types
from numba.cpython.unsafe.numbers import trailing_zeros
from numba.extending import intrinsic

__all__ = ["ReportScan", "scan_report_lines", "gather_bytes"]

_LITTLE_ENDIAN = sys.byteorder == "little"  # where the first matching byte of a word lies


def _label(text: bytes) -> tuple:
    """A label as constants for the compiled code: (length, chunks, bytes), where each chunk
    ``(offset, word, mask)`` says that the eight bytes at ``offset`` (in this machine's
    byte order, overlapping the previous chunk at the end) masked by ``mask`` equal ``word``."""
    offsets = [0] if len(text) <= 8 else [*range(0, len(text) - 8, 8), len(text) - 8]
    chunks = []
    for offset in offsets:
        part = text[offset : offset + 8]
        word = np.frombuffer(part.ljust(8, b"\0"), np.uint64)[0]
        mask = np.frombuffer(b"\xff" * len(part) + b"\0" * (8 - len(part)), np.uint64)[0]
        chunks.append((offset, word, mask))
    return len(text), tuple(chunks), tuple(text)


# Labels as constants in the compiled code.
_REPORT = _label(b"REPORT ")
_REQUEST_ID = _label(b"RequestId: ")
_REPORT_REQUEST_ID = _label(b"REPORT RequestId")
_DURATION = _label(b"\tDuration: ")
_BILLED = _label(b"\tBilled Duration: ")
_MEMORY = _label(b"\tMemory Size: ")
_MAX_MEMORY = _label(b"\tMax Memory Used: ")
_INIT = _label(b"\tInit Duration: ")
_RESTORE = _label(b"\tRestore Duration: ")
_BILLED_RESTORE = _label(b"\tBilled Restore Duration: ")
_STATUS = _label(b"\tStatus: ")
_ERROR_TYPE = _label(b"\tError Type: ")
_MS = _label(b" ms")
_MB = _label(b" MB")

# Rows of the table of records read in place (``ReportScan.ints``): the 1-based line, the
# byte range of the export timestamp, the values and the byte range of the Status word.
LINE, TIME, TIME_END, BILLED, MEMORY, MAX_MEMORY, STATUS, STATUS_END = range(8)
# Rows of the float table of records read in place (``ReportScan.floats``; NaN where absent).
DURATION, INIT, RESTORE, BILLED_RESTORE = range(4)
# Rows of the table of lines left to the regex (``ReportScan.left``): LINE, TIME, TIME_END as
# above, then the byte range of the message (after any timestamp; the newline excluded).
MESSAGE, END = 3, 4
# Entries of the scanner's state vector (so a full output can be grown and the scan resumed).
_POSITION, _LINES, _BRACES, _RECORDS, _ID_USED, _LEFT, _STATUSES = range(7)

_NEWLINE, _TAB, _SPACE, _CR = 10, 9, 32, 13
_EXACT = 2**53  # integers up to here are exact doubles
_POWERS_OF_TEN = tuple(10**k for k in range(10))
_ALNUM = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_ID_CHARS = np.array([c in _ALNUM + b"-" for c in range(256)])  # [0-9A-Za-z-]
_WORD_CHARS = np.array([c in _ALNUM + b"_" for c in range(256)])  # \w
_VISIBLE = np.array([33 <= c <= 126 for c in range(256)])  # printable ASCII but space
_MAX_ID = 256  # longer request ids are left to the regex


@intrinsic
def _load_word(typingctx, array, index):
    """The eight bytes ``array[index:index + 8]`` as one uint64 in this machine's byte order,
    at any alignment (the caller keeps ``index + 8`` inside the array)."""

    def codegen(context, builder, signature, args):
        data = context.make_array(signature.args[0])(context, builder, args[0]).data
        at = context.cast(builder, args[1], signature.args[1], types.intp)
        return builder.load(builder.bitcast(builder.gep(data, [at]), ir.IntType(64).as_pointer()), align=1)

    return types.uint64(array, index), codegen


@intrinsic
def _store_word(typingctx, array, index, value):
    """Write the uint64 ``value`` to ``array[index:index + 8]`` at any alignment (the caller
    keeps ``index + 8`` inside the array)."""

    def codegen(context, builder, signature, args):
        data = context.make_array(signature.args[0])(context, builder, args[0]).data
        at = context.cast(builder, args[1], signature.args[1], types.intp)
        builder.store(args[2], builder.bitcast(builder.gep(data, [at]), ir.IntType(64).as_pointer()), align=1)
        return context.get_dummy_value()

    return types.void(array, index, types.uint64), codegen


@numba.njit(inline="always")
def _copy(source, begin, end, target, at):
    """``target[at:at + end - begin] = source[begin:end]``, eight bytes at a time; the bytes
    up to the next multiple of eight may be overwritten in ``target`` (it has room)."""
    if begin + (end - begin + 7) // 8 * 8 <= source.shape[0] and at + (end - begin + 7) // 8 * 8 <= target.shape[0]:
        for k in range(0, end - begin, 8):
            _store_word(target, at + k, _load_word(source, begin + k))
    else:
        for k in range(end - begin):
            target[at + k] = source[begin + k]


@numba.njit(inline="always")
def _expect(buf, i, end, label):
    """Index after ``label`` (see :func:`_label`) at ``i``, or -1; a word compared at a time."""
    length, chunks, word = label
    if i < 0 or i + length > end:
        return -1
    if i + 8 <= buf.shape[0]:  # every chunk's eight bytes lie inside the buffer
        for offset, value, mask in chunks:
            if _load_word(buf, i + offset) & mask != value:
                return -1
        return i + length
    for k in range(length):  # the buffer's last bytes
        if buf[i + k] != word[k]:
            return -1
    return i + length


@numba.njit(inline="always")
def _is_digit(c):
    return 48 <= c <= 57


@numba.njit(cache=True)
def _digits_bytewise(buf, i, end):
    """:func:`_digits`, a byte at a time (a call, not inlined: each inlined copy costs compile time)."""
    value, j = 0, i
    while j < end and _is_digit(buf[j]):
        if j - i == 9:
            return 0, -1
        value = value * 10 + (buf[j] - 48)
        j += 1
    return value, (j if j > i else -1)


_LOW_SEVEN = np.uint64(0x7F7F7F7F7F7F7F7F)
_FROM_ZERO = np.uint64(0x5050505050505050)  # + this sets a byte's high bit from '0' (0x30) on
_FROM_COLON = np.uint64(0x4646464646464646)  # ... from ':' (0x3A, after '9') on
_NIBBLES = np.uint64(0x0F0F0F0F0F0F0F0F)
_PAIRS = np.uint64(0x00FF00FF00FF00FF)
_QUADS = np.uint64(0x0000FFFF0000FFFF)


@numba.njit(inline="always")
def _digits(buf, i, end):
    """1 to 9 decimal digits at ``i``: (value, next index), next -1 when not so.

    Up to seven digits are read from one word: the digit bytes are marked without carries
    between bytes (each byte's low seven bits plus 0x50 and 0x46 stay below 0x100), the
    digits shifted to the word's top (the bytes below become leading zeros) and combined
    in pairs, fours and eights by three multiplications
    (https://lemire.me/blog/2022/01/21/swar-explained-parsing-eight-digits/). Longer
    numbers and a buffer's last bytes go byte by byte.
    """
    if _LITTLE_ENDIAN and i >= 0 and i + 8 <= end:
        word = _load_word(buf, i)
        low = word & _LOW_SEVEN
        digit = (low + _FROM_ZERO) & ~(low + _FROM_COLON) & ~word & _HIGHS
        other = ~digit & _HIGHS
        if other:
            count = trailing_zeros(other) >> np.uint64(3)
            if count == 0:
                return 0, -1
            value = (word << (np.uint64(64) - np.uint64(8) * count)) & _NIBBLES
            value = ((value * np.uint64(10 * 256 + 1)) >> np.uint64(8)) & _PAIRS
            value = ((value * np.uint64(100 * 65536 + 1)) >> np.uint64(16)) & _QUADS
            value = (value * np.uint64(10000 * 2**32 + 1)) >> np.uint64(32)
            return np.int64(value), i + np.int64(count)
    return _digits_bytewise(buf, i, end)


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
_PS = np.uint64(0x5050505050505050)  # 'P', the third letter of REPORT (see _line_end_mention)
_P = 80


@numba.njit(inline="always")
def _has_byte(word, pattern):
    """Where ``word`` holds the byte repeated in ``pattern``: ``(x - 0x01..) & ~x & 0x80..``
    for ``x = word ^ pattern`` has the high bit of each zero byte of ``x`` set (a byte above
    a zero byte may be set too, never one below: the lowest set bit is exact)."""
    x = word ^ pattern
    return (x - _ONES) & ~x & _HIGHS


@numba.njit(inline="always")
def _first_byte(mask):
    """Offset in its word of the first byte :func:`_has_byte` marked (``mask`` not 0; on a
    little-endian machine, where the lowest byte comes first)."""
    return trailing_zeros(mask) >> 3


@numba.njit(inline="always")
def _line_end(buf, i, end):
    """Index of the next newline at or after ``i``, else ``end``; eight bytes at a time."""
    while _LITTLE_ENDIAN and i + 8 <= end:
        found = _has_byte(_load_word(buf, i), _NEWLINES)
        if found:
            return i + _first_byte(found)
        i += 8
    while i < end and buf[i] != _NEWLINE:
        i += 1
    return i


@numba.njit(inline="always")
def _is_mention(buf, i, end):
    """Whether ``REPORT RequestId`` starts at ``i``."""
    return _expect(buf, i, end, _REPORT_REQUEST_ID) > 0


@numba.njit(inline="always")
def _line_end_mention(buf, i, end):
    """(index of the next newline at or after ``i`` or ``end``, whether ``REPORT RequestId``
    occurs from ``i - 2`` on in that line).

    One pass for both: eight bytes at a time, stopping at a newline or a 'P'. Lambda's
    START, END and XRAY lines hold no capital P, so this costs what the newline search
    alone costs; each P is checked as the third letter of ``REPORT RequestId``.
    """
    while True:
        while _LITTLE_ENDIAN and i + 8 <= end:
            word = _load_word(buf, i)
            found = _has_byte(word, _NEWLINES) | _has_byte(word, _PS)
            if found:
                i += _first_byte(found)
                break
            i += 8
        else:
            while i < end and buf[i] != _NEWLINE and buf[i] != _P:
                i += 1
        if i >= end or buf[i] == _NEWLINE:
            return i, False
        if _is_mention(buf, i - 2, end):
            return _line_end(buf, i, end), True
        i += 1


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
def _parse_report(buf, i, end, n, ints, floats, ids, id_used, limits):
    """Fields of the REPORT record at ``i`` into column ``n`` and its request id into
    ``ids`` from ``id_used`` on: (index after the record, end of its id in ``ids``), the
    index -1 when the line is not in Lambda's layout or holds a value Lambda cannot report
    (``limits``: smallest and largest memory size [MB], longest duration [ms])."""
    j = _expect(buf, i + _REPORT[0], end, _REQUEST_ID)
    if j < 0:
        return -1, id_used
    start = j
    j = _run_end(buf, j, min(end, start + _MAX_ID + 1), _ID_CHARS)  # [0-9A-Za-z-]+
    if j == start or j - start > _MAX_ID:
        return -1, id_used
    id_end = id_used + j - start
    _copy(buf, start, j, ids, id_used)
    duration, j = _field(buf, j, end, _DURATION, _MS, True)
    billed, j = _field(buf, j, end, _BILLED, _MS, False)
    if 0 <= j < end and buf[j] == _SPACE:  # the 100 ms era's stray space
        j += 1
    memory, j = _field(buf, j, end, _MEMORY, _MB, False)
    max_memory, j = _field(buf, j, end, _MAX_MEMORY, _MB, False)
    if j < 0:
        return -1, id_used
    longest = limits[2]
    # what Lambda can report (log_parse._plausible, the regex path's check)
    if not (limits[0] <= memory <= limits[1] and 1 <= billed <= longest and duration <= longest):
        return -1, id_used
    floats[DURATION, n] = duration
    ints[BILLED, n], ints[MEMORY, n], ints[MAX_MEMORY, n] = np.int64(billed), np.int64(memory), np.int64(max_memory)
    floats[INIT, n] = np.nan
    value, k = _field(buf, j, end, _INIT, _MS, True)
    if k > 0:
        if value > longest:
            return -1, id_used
        floats[INIT, n], j = value, k
    floats[RESTORE, n], floats[BILLED_RESTORE, n] = np.nan, np.nan
    value, k = _field(buf, j, end, _RESTORE, _MS, True)
    if k > 0:
        billed_restore, k = _field(buf, k, end, _BILLED_RESTORE, _MS, False)
        if k < 0 or value > longest or billed_restore > longest:
            return -1, id_used
        floats[RESTORE, n], floats[BILLED_RESTORE, n], j = value, billed_restore, k
    ints[STATUS, n], ints[STATUS_END, n] = j, j
    k = _expect(buf, j, end, _STATUS)
    if k > 0:
        j = _run_end(buf, k, end, _WORD_CHARS)
        if j == k:
            return -1, id_used
        ints[STATUS, n], ints[STATUS_END, n] = k, j
        k = _expect(buf, j, end, _ERROR_TYPE)
        if k > 0:
            j = _run_end(buf, k, end, _VISIBLE)
            if j == k:
                return -1, id_used
    while j < end and (buf[j] == _TAB or buf[j] == _SPACE or buf[j] == _CR):
        j += 1
    return (j if (j == end or buf[j] == _NEWLINE) else -1), id_end


@numba.njit(inline="always")
def _is_space(c):
    """White space inside a line: RE2's ``\\s`` and the vertical tab, but the newline."""
    return c == _SPACE or (9 <= c <= 13 and c != _NEWLINE)


@numba.njit(nogil=True, cache=True)
def _scan(buf, end, timestamped, limits, state, ints, floats, id_ends, ids, left):
    """Scan from byte ``state[_POSITION]`` until ``end`` or until an output is full.

    Records in Lambda's layout go to ``ints``, ``floats`` (column ``state[_RECORDS]`` on)
    and their ids to ``ids`` (``id_ends[k + 1]`` ends record ``k``'s); every other line
    that starts with ``REPORT `` or mentions ``REPORT RequestId`` goes to ``left`` for the
    regex to judge. ``state`` is updated so the caller can grow the outputs and resume.
    """
    i, lines, braces = state[_POSITION], state[_LINES], state[_BRACES]
    n, id_used, m, statuses = state[_RECORDS], state[_ID_USED], state[_LEFT], state[_STATUSES]
    while i < end and n < floats.shape[1] and m < left.shape[1] and id_used + _MAX_ID <= ids.shape[0]:
        lines += 1
        here = start = i
        if timestamped:
            stamp = _timestamp_end(buf, i, end)
            if stamp > 0:
                start = stamp + 1
        time_end = start - 1 if start > i else i
        regex = False  # the line goes to the regex
        if _expect(buf, start, end, _REPORT) > 0:
            j, id_end = _parse_report(buf, start, end, n, ints, floats, ids, id_used, limits)
            if j >= 0:
                ints[LINE, n] = lines
                if timestamped:
                    ints[TIME, n], ints[TIME_END, n] = i, time_end
                statuses += ints[STATUS, n] < ints[STATUS_END, n]
                id_used = id_end
                id_ends[n + 1] = id_used
                n += 1
                i = j
            else:
                i = _line_end(buf, start, end)
                regex = True
        else:
            k = start
            while k < end and _is_space(buf[k]):
                k += 1
            if k < end and buf[k] == 123:  # '{'
                braces += 1
            # a REPORT record not at the start of its line: the regex counts it malformed
            i, regex = _line_end_mention(buf, k, end)
        if regex:
            left[LINE, m], left[TIME, m], left[TIME_END, m], left[MESSAGE, m], left[END, m] = (
                lines,
                here,
                time_end,
                start,
                i,
            )
            m += 1
        i += 1
    state[_POSITION], state[_LINES], state[_BRACES] = min(i, end), lines, braces
    state[_RECORDS], state[_ID_USED], state[_LEFT], state[_STATUSES] = n, id_used, m, statuses


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


@numba.njit(nogil=True, cache=True)
def _line_start(buf, i):
    """Start of the first line at or after ``i`` (``len(buf)`` when none starts there)."""
    while 0 < i < buf.shape[0] and buf[i - 1] != _NEWLINE:
        i += 1
    return min(i, buf.shape[0])


@dataclass(frozen=True)
class ReportScan:
    """What :func:`scan_report_lines` found in a buffer.

    ``lines`` counts every line, ``json_lines`` those whose message starts with '{' and
    ``statuses`` the records with a Status field. ``ints`` (rows :data:`LINE` ...
    :data:`STATUS_END`; :data:`TIME` and :data:`TIME_END` only when the scan was
    ``timestamped``, :data:`STATUS` and :data:`STATUS_END` only when ``statuses``),
    ``floats`` (rows :data:`DURATION` ... :data:`BILLED_RESTORE`) and ``request_ids``
    hold one entry per record read in place, in line order; ``left``
    (rows :data:`LINE`, :data:`TIME`, :data:`TIME_END`, :data:`MESSAGE`, :data:`END`) one
    per line the regex must judge: a line that starts with ``REPORT `` but is not in
    Lambda's layout (or holds a value Lambda cannot report), or one that mentions
    ``REPORT RequestId`` further in. Byte offsets index the whole buffer.
    """

    lines: int
    json_lines: int
    statuses: int
    ints: np.ndarray
    floats: np.ndarray
    request_ids: pa.ChunkedArray  # one chunk per piece scanned: no copy
    left: np.ndarray

    def __len__(self) -> int:
        return self.ints.shape[1]


@dataclass(frozen=True)
class _Piece:
    """What :func:`_scan_piece` found between two line starts (line numbers from 1)."""

    lines: int
    json_lines: int
    statuses: int
    records: int
    ints: np.ndarray  # whole capacity: ints[:, :records] are the records
    floats: np.ndarray
    request_ids: pa.Array
    left: np.ndarray


#: A REPORT line with its START and END lines takes over 200 bytes: the first guess of how
#: many records a buffer holds (grown if denser).
_BYTES_PER_RECORD_GUESS = 192
#: A buffer is cut into pieces scanned in parallel threads from this many bytes a piece.
PIECE_MIN_BYTES = 1 << 20


def _scan_piece(buf, begin, end, timestamped, limits, capacity) -> _Piece:
    """Scan ``buf[begin:end]`` (whole lines), growing the outputs as they fill."""
    ints, floats = np.empty((8, capacity), np.int64), np.empty((4, capacity), np.float64)
    id_ends = np.empty(capacity + 1, np.int64)
    id_ends[0] = 0
    ids = np.empty(max(capacity, (end - begin) // _BYTES_PER_RECORD_GUESS + 64) * 40, np.uint8)  # a UUID: 36 bytes
    left = np.empty((5, 64), np.int64)
    state = np.zeros(7, np.int64)
    state[_POSITION] = begin
    while True:
        _scan(buf, end, timestamped, limits, state, ints, floats, id_ends, ids, left)
        if state[_POSITION] >= end:
            break
        if state[_RECORDS] == floats.shape[1]:  # full before the end: grow and go on
            ints = np.concatenate([ints, np.empty_like(ints)], axis=1)
            floats = np.concatenate([floats, np.empty_like(floats)], axis=1)
            id_ends = np.concatenate([id_ends, np.empty(floats.shape[1] + 1 - len(id_ends), np.int64)])
        elif state[_LEFT] == left.shape[1]:
            left = np.concatenate([left, np.empty_like(left)], axis=1)
        else:
            ids = np.concatenate([ids, np.empty_like(ids)])
    n, used = int(state[_RECORDS]), int(state[_ID_USED])
    request_ids = pa.Array.from_buffers(
        pa.large_string(), n, [None, pa.py_buffer(id_ends[: n + 1]), pa.py_buffer(ids[:used])]
    )
    return _Piece(
        int(state[_LINES]),
        int(state[_BRACES]),
        int(state[_STATUSES]),
        n,
        ints,
        floats,
        request_ids,
        left[:, : state[_LEFT]],
    )


def _threads() -> int:
    """CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


_POOL: dict = {}  # process id -> pool: a forked child must not use its parent's threads
_POOL_LOCK = threading.Lock()


def _pool() -> ThreadPoolExecutor:
    """The threads that scan pieces (one per CPU, started once a process); never used for
    anything that waits on them, so it cannot deadlock."""
    with _POOL_LOCK:
        pid = os.getpid()
        if pid not in _POOL:
            _POOL.clear()
            _POOL[pid] = ThreadPoolExecutor(max_workers=_threads(), thread_name_prefix="logscan")
        return _POOL[pid]


def _piece_bounds(buf: np.ndarray, cuts) -> list[tuple[int, int]]:
    size = buf.shape[0]
    if cuts is None:
        pieces = max(1, min(_threads(), size // PIECE_MIN_BYTES))
        cuts = [size * k // pieces for k in range(1, pieces)]
    starts = sorted({0} | ({_line_start(buf, min(max(int(c), 0), size)) for c in cuts} - {size}))
    return list(zip(starts, [*starts[1:], size]))


def scan_report_lines(
    buf: np.ndarray,
    *,
    timestamped: bool = False,
    limits: tuple[int, int, int] = (128, 10240, 1_000_000),
    cuts: Sequence[int] | None = None,
) -> ReportScan:
    """Find and read the REPORT lines of a log's bytes in one compiled pass.

    The buffer is cut at line starts into pieces scanned in parallel threads (the scanner
    holds no GIL) and their results joined in order: the same result as one piece, bit for
    bit, since every line is read on its own.

    Parameters
    ----------
    buf : numpy.ndarray of uint8
        The raw bytes of a text log (e.g. ``np.frombuffer(data, np.uint8)``).
    timestamped : bool, default False
        Lines may start with an S3-export timestamp and a space.
    limits : (int, int, int), default (128, 10240, 1000000)
        Smallest and largest memory size [MB] and longest duration [ms] a record may hold
        to be read in place; a record outside is left to the regex (which counts it
        malformed).
    cuts : sequence of int, optional
        Byte offsets where pieces start, each moved on to the next line start; default one
        piece per CPU (pieces of at least :data:`PIECE_MIN_BYTES`).

    Returns
    -------
    ReportScan

    Examples
    --------
    >>> raw = (b"START RequestId: 7f Version: $LATEST\\n"
    ...        b"REPORT RequestId: 7f\\tDuration: 12.34 ms\\tBilled Duration: 13 ms\\t"
    ...        b"Memory Size: 128 MB\\tMax Memory Used: 64 MB\\t\\n"
    ...        b"REPORT RequestId: 80\\tDuration: 1.5 ms\\tBilled Duration: 2 ms\\t"
    ...        b"Memory Size: 64 MB\\tMax Memory Used: 60 MB\\t\\n")
    >>> found = scan_report_lines(np.frombuffer(raw, np.uint8), cuts=[40])
    >>> found.lines, found.ints[LINE].tolist(), found.floats[DURATION].tolist(), found.request_ids.to_pylist()
    (3, [2], [12.34], ['7f'])
    >>> found.left[LINE].tolist()  # 64 MB: no size Lambda offers, for the regex to judge
    [3]
    """
    bounds = _piece_bounds(buf, cuts)
    limits = np.asarray(limits, np.int64)

    def scan(k: int) -> _Piece:
        begin, end = bounds[k]
        # the first piece has room for the records of the whole buffer: the others join it
        size = buf.shape[0] if k == 0 else end - begin
        capacity = max(64, size // _BYTES_PER_RECORD_GUESS)
        return _scan_piece(buf, begin, end, timestamped, limits, capacity)

    pieces = [scan(0)] if len(bounds) == 1 else list(_pool().map(scan, range(len(bounds))))
    records = sum(p.records for p in pieces)
    first = pieces[0]
    lines_before = np.cumsum([0] + [p.lines for p in pieces])
    records_before = np.cumsum([0] + [p.records for p in pieces])
    if first.ints.shape[1] >= records:
        ints, floats, moved = first.ints, first.floats, range(1, len(pieces))
    else:
        ints, floats, moved = np.empty((8, records), np.int64), np.empty((4, records)), range(len(pieces))

    statuses = sum(p.statuses for p in pieces)
    # Only the rows the caller reads are joined; one task a row, so the copies share the CPUs.
    rows = [("ints", r) for r in (LINE, BILLED, MEMORY, MAX_MEMORY)] + [("floats", r) for r in range(4)]
    rows += [("ints", TIME), ("ints", TIME_END)] if timestamped else []
    rows += [("ints", STATUS), ("ints", STATUS_END)] if statuses else []
    joined = {"ints": ints, "floats": floats}

    def join(task: tuple[int, str, int]) -> None:  # numpy copies without the GIL
        k, table, row = task
        piece, at = pieces[k], records_before[k]
        source = getattr(piece, table)[row, : piece.records]
        target = joined[table][row, at : at + piece.records]
        if table == "ints" and row == LINE:
            np.add(source, lines_before[k], out=target)
        else:
            np.copyto(target, source)

    tasks = [(k, table, row) for k in moved for table, row in rows]
    if tasks:
        list(_pool().map(join, tasks))
    left = [p.left + np.array([[lines_before[k]], [0], [0], [0], [0]]) for k, p in enumerate(pieces)]
    return ReportScan(
        lines=int(lines_before[-1]),
        json_lines=sum(p.json_lines for p in pieces),
        statuses=statuses,
        ints=ints[:, :records],
        floats=floats[:, :records],
        request_ids=pa.chunked_array([p.request_ids for p in pieces], pa.large_string()),
        left=np.concatenate(left, axis=1),
    )
