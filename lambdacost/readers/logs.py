"""Read Lambda REPORT records from files, globs, directories or stdin, with either engine.

The dispatcher over :mod:`lambdacost.readers.log_parse` (the pandas engine, and the
parsing itself) and :mod:`lambdacost.readers.log_dask` (the dask engine); both import only
``log_parse``, so the modules form no import circle. Each file's export is judged by its
content (:mod:`lambdacost.readers.log_formats`) and named in the summary.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from ..errors import InvalidParameterError
from .log_parse import ParseSummary, _concat, empty_frame, finish, parse_source
from .log_paths import distinct_sources, expand_paths, source_size

__all__ = ["read_logs"]


def read_logs(
    paths,
    *,
    function: str | None = None,
    strict: bool = False,
    engine: str = "pandas",
    progress: Callable[[int], None] | None = None,
):
    """Read Lambda REPORT records from files, globs, directories or stdin (``-``).

    Parameters
    ----------
    paths : path, glob, directory, ``-``, or a list of them
        Any export :mod:`~lambdacost.readers.log_formats` knows (plain text, ``aws logs
        tail``, ``sam logs``, S3 export, JSON Lines, ``filter-log-events`` JSON, Logs
        Insights JSON or CSV); gzip or not; CRLF and a UTF-8 BOM are fine. A log present
        both as ``x.log`` and ``x.log.gz`` is read once (the other is listed as skipped).
    function : str, optional
        Function name for every record; default from the log group or file name
        (:func:`~lambdacost.readers.log_paths.function_from_source`).
    strict : bool, default False
        Raise :class:`~lambdacost.readers.log_parse.MalformedLogError` when any REPORT
        record is malformed or a file unreadable, instead of counting them.
    engine : {"pandas", "dask"}
        ``"dask"`` parses each file as one partition of a :mod:`dask.dataframe` (on the
        active ``dask.distributed`` client if there is one) and persists the parsed
        partitions; the rows are the same as with ``"pandas"``.
    progress : callable, optional
        Called with the size in bytes of each source once it is parsed (pandas engine).

    Returns
    -------
    pandas.DataFrame or dask.dataframe.DataFrame
        One row per invocation (:data:`~lambdacost.readers.log_parse.COLUMNS`); the
        :class:`~lambdacost.readers.log_parse.ParseSummary` is in ``attrs["parse"]``.

    Raises
    ------
    InvalidParameterError
        A path matches nothing, or the engine is unknown.
    MalformedLogError
        ``strict=True`` and something did not parse.
    """
    if engine not in ("pandas", "dask"):
        raise InvalidParameterError("engine", "one of 'pandas', 'dask'", engine)
    sources, skipped = distinct_sources(expand_paths(paths))
    if engine == "dask":
        from .log_dask import read_dask

        frame = read_dask(sources, function, strict)
        frame.attrs["parse"] = dataclasses.replace(frame.attrs["parse"], skipped=tuple(skipped))
        return frame
    frames, summary = [], ParseSummary(skipped=tuple(skipped))
    # Files in parallel threads: the Arrow and numpy kernels release the GIL.
    workers = max(1, min(len(sources), os.cpu_count() or 1))
    sizes = [source_size(s) for s in sources]
    # A file larger than a thread's share of the bytes is also cut into pieces scanned in
    # parallel; the others are scanned whole (joining pieces copies half of their rows).
    share = sum(sizes) / workers

    def parse(k: int):
        return parse_source(sources[k], function, parallel=len(sources) == 1 or sizes[k] > share)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        for source, (frame, part) in zip(sources, pool.map(parse, range(len(sources)))):
            frames.append(frame)  # in input order, one iteration per file
            summary = summary + part
            if progress is not None:
                progress(source_size(source))
    frame = _concat(frames) if frames else empty_frame()
    return finish(frame, summary, strict)
