"""The dask engine for big log inputs: files cut into blocks, parsed as partitions on the workers.

Used by :func:`~lambdacost.readers.logs.read_logs` with ``engine="dask"``. Each file is cut into byte blocks at line boundaries (gzip and pretty-printed JSON stay
whole), each block is parsed by :func:`~lambdacost.readers.log_parse.parse_bytes` as one
partition of a :mod:`dask.dataframe`, and the line numbers are shifted back to the
file's. The rows are the same as with the pandas engine.
"""

from __future__ import annotations

import dataclasses
import os

import pandas as pd

from ..errors import InvalidParameterError
from .log_parse import MalformedLogError, ParseSummary, empty_frame, parse_bytes, parse_source

__all__ = ["DASK_BLOCKSIZE", "import_dask", "read_dask"]

#: Bytes of text per dask partition: large files are cut at line boundaries so that one
#: partition, parsed, fits a worker's memory.
DASK_BLOCKSIZE = 32 * 1024 * 1024


def import_dask():
    """Import dask.dataframe, or explain how to install the optional extra."""
    try:
        import dask
        import dask.dataframe as dd
    except ImportError as error:  # pragma: no cover - dask is installed in the test env
        raise ImportError("engine='dask' needs the optional dask extra: pip install 'lambdacost[dask]'") from error
    return dask, dd


def _blocks(source: str, blocksize: int) -> list[tuple[int, int | None]]:
    """Byte ranges of ``source`` for dask; gzip and pretty-printed JSON stay whole."""
    try:
        size = os.path.getsize(source)
        with open(source, "rb") as handle:
            head = handle.read(65536)
    except OSError:  # unreadable: parsed whole, so that parse_source counts it with the reason
        return [(0, None)]
    first_line = head.lstrip().split(b"\n", 1)[0].strip()
    whole = head[:2] == b"\x1f\x8b" or (first_line.startswith(b"{") and not first_line.endswith(b"}"))
    if whole or size <= blocksize:
        return [(0, None)]
    return [(start, min(start + blocksize, size)) for start in range(0, size, blocksize)]


def _parse_block(source: str, start: int, end: int | None, function: str | None):
    """Parse the lines that *start* in ``[start, end)``; line numbers relative to the block."""
    if end is None:
        return parse_source(source, function)
    with open(source, "rb") as handle:
        handle.seek(max(start - 1, 0))
        if start > 0 and handle.read(1) != b"\n":
            handle.readline()  # the line in progress belongs to the previous block
        begin = handle.tell()
        raw = handle.read(max(end - begin, 0)) if begin < end else b""
        if raw and not raw.endswith(b"\n"):
            raw += handle.readline()  # finish the last line that starts in this block
    frame, summary = parse_bytes(raw, source, function)
    return frame, dataclasses.replace(summary, empty_sources=())


def _shift_lines(frame: pd.DataFrame, offset: int) -> pd.DataFrame:
    if offset:
        frame = frame.assign(line=frame["line"] + offset)
    return frame


def _shift_example(example: str, source: str, offset: int) -> str:
    number, text = example[len(source) + 1 :].split(": ", 1)
    return f"{source}:{int(number) + offset}: {text}"


def read_dask(sources: list[str], function: str | None, strict: bool, blocksize: int = DASK_BLOCKSIZE):
    """Parse ``sources`` into a dask DataFrame, one partition per block of a file.

    Parameters
    ----------
    sources : list of str
        File paths, as :func:`~lambdacost.readers.log_paths.expand_paths` returns them
        (stdin, ``-``, cannot be cut into blocks and is refused).
    function : str or None
        Function name for every record; None to take it from each source.
    strict : bool
        Raise :class:`~lambdacost.readers.log_parse.MalformedLogError` when any REPORT
        record is malformed or a file unreadable.
    blocksize : int, default :data:`DASK_BLOCKSIZE`
        Bytes per block. [B]

    Returns
    -------
    dask.dataframe.DataFrame
        The rows of :func:`~lambdacost.readers.logs.read_logs`; the parsed partitions
        are persisted, the :class:`~lambdacost.readers.log_parse.ParseSummary` is in
        ``attrs["parse"]``.
    """
    if "-" in sources:
        raise InvalidParameterError("engine", "'pandas' when reading stdin ('-')", "dask")
    dask, dd = import_dask()
    tasks = [(source, start, end) for source in sources for start, end in _blocks(source, blocksize)]
    parts = [dask.delayed(_parse_block, pure=True)(source, start, end, function) for source, start, end in tasks]
    parts = dask.persist(*parts)  # parse once; the frames stay on the workers that parsed them
    summaries = dask.compute(*[part[1] for part in parts])
    # Blocks number their lines from 1: shift each by the lines of the blocks before it.
    frames, summary, offset, found = [], ParseSummary(), {}, {}
    for (source, _, _), part, block in zip(tasks, parts, summaries):
        shift = offset.get(source, 0)
        offset[source] = shift + block.lines
        found[source] = found.get(source, 0) + block.reports + block.malformed
        frames.append(dask.delayed(_shift_lines, pure=True)(part[0], shift))
        examples = tuple(_shift_example(e, source, shift) for e in block.examples)
        # a file's export is judged from its start: the first block's verdict
        formats = block.formats if shift == 0 else ()
        summary = summary + dataclasses.replace(block, sources=0, examples=examples, no_records=(), formats=formats)
    empty = tuple(
        s for s in sources if offset.get(s, 0) == 0 and not any(u.startswith(f"{s}: ") for u in summary.unreadable)
    )
    no_records = tuple(s for s in sources if offset.get(s, 0) and not found.get(s, 0))
    summary = dataclasses.replace(summary, sources=len(sources), empty_sources=empty, no_records=no_records)
    if strict and (summary.malformed or summary.unreadable):
        raise MalformedLogError(summary)
    frames = frames or [dask.delayed(empty_frame)()]
    ddf = dd.from_delayed(frames, meta=empty_frame(), verify_meta=False)
    ddf.attrs = {"parse": summary}
    return ddf
