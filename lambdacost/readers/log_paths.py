"""Log sources: the files a path names, their bytes (gzip or not), the function each belongs to.

A source is a file or ``-`` (stdin). Its function comes from the log group
``/aws/lambda/<name>`` that Lambda writes to
(https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html) when the
path or the payload names one, else from the file name.
"""

from __future__ import annotations

import glob
import gzip
import mmap
import os
import re
import sys
import zlib
from collections.abc import Iterable
from pathlib import Path

from ..errors import InvalidParameterError

__all__ = ["READ_ERRORS", "expand_paths", "function_from_source", "read_source", "distinct_sources"]

_LOG_GROUP = re.compile(r"/aws/lambda/([^/\s]+)")
_SUFFIXES = (".gz", ".log", ".jsonl", ".json", ".txt", ".ndjson")

#: What :func:`read_source` raises for a source that cannot be read or decompressed.
READ_ERRORS = (OSError, EOFError, zlib.error, gzip.BadGzipFile)


def expand_paths(paths: str | os.PathLike | Iterable[str | os.PathLike]) -> list[str]:
    """Files named by ``paths``: files as given, globs expanded, directories walked.

    ``-`` stands for stdin. Hidden files are skipped inside directories. A path that
    matches nothing raises :class:`~lambdacost.errors.InvalidParameterError`.

    Examples
    --------
    >>> expand_paths("-")
    ['-']
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    files: list[str] = []
    for item in paths:
        text = os.fspath(item)
        if text == "-":
            files.append(text)
        elif os.path.isdir(text):
            found = sorted(
                str(p)
                for p in Path(text).rglob("*")
                if p.is_file() and not any(part.startswith(".") for part in p.relative_to(text).parts)
            )
            files.extend(found)
        elif os.path.isfile(text):
            files.append(text)
        elif glob.has_magic(text) and (
            found := sorted(f for f in glob.glob(text, recursive=True) if os.path.isfile(f))
        ):
            files.extend(found)
        else:
            raise InvalidParameterError("paths", "existing files, directories, globs or '-'", text)
    return files


def distinct_sources(sources: list[str]) -> tuple[list[str], list[str]]:
    """``sources`` with each log read once: of ``x.log`` and ``x.log.gz`` side by side only
    ``x.log`` is kept; returns the kept sources and ``"<skipped>: same log as <kept>"``.

    Examples
    --------
    >>> distinct_sources(["a.log", "a.log.gz", "b.log.gz"])
    (['a.log', 'b.log.gz'], ['a.log.gz: same log as a.log'])
    """
    present = set(sources)
    kept, skipped, seen = [], [], set()
    for source in sources:
        if source in seen:
            skipped.append(f"{source}: named twice")
            continue
        seen.add(source)
        if source.lower().endswith(".gz") and source[:-3] in present:
            skipped.append(f"{source}: same log as {source[:-3]}")
            continue
        kept.append(source)
    return kept, skipped


def function_from_source(source: str, log_group: str | None = None) -> str:
    """The function a log source belongs to.

    The log group ``/aws/lambda/<name>`` wins (in the payload or anywhere in the path),
    then the file name without its log/JSON/gzip suffixes; stdin is ``stdin``.

    Examples
    --------
    >>> function_from_source("exports/aws/lambda/orders-api/2025/10/01/000000.gz")
    'orders-api'
    >>> function_from_source("logs/payments.jsonl.gz")
    'payments'
    >>> function_from_source("x.json", log_group="/aws/lambda/billing")
    'billing'
    """
    for text in (log_group or "", source.replace(os.sep, "/")):
        match = _LOG_GROUP.search(text)
        if match:
            return match.group(1)
    if source == "-":
        return "stdin"
    name = os.path.basename(source)
    stripped = True
    while stripped:  # strip stacked suffixes: .log.gz, .jsonl.gz
        stripped = False
        for suffix in _SUFFIXES:
            if name.lower().endswith(suffix) and len(name) > len(suffix):
                name, stripped = name[: -len(suffix)], True
    return name


def read_source(source: str):
    """The bytes of one source, decompressed if they are gzip.

    Parameters
    ----------
    source : str
        A file path, or ``-`` for stdin.

    Returns
    -------
    mmap.mmap or bytes
        A read-only memory map for a regular uncompressed file (no copy), else bytes.

    Raises
    ------
    OSError, EOFError, zlib.error, gzip.BadGzipFile
        The source cannot be read or is truncated gzip (see :data:`READ_ERRORS`).
    """
    raw = _read_buffer(source)
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    return raw


def _read_buffer(source: str):
    """The bytes of ``source``: a read-only memory map for a regular file (no copy), else bytes."""
    if source == "-":
        return sys.stdin.buffer.read()
    with open(source, "rb") as handle:
        try:
            return mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        except (ValueError, OSError):  # empty, or not mappable (a pipe, a special file)
            return handle.read()
