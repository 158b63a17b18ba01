"""Log sources: the files a path names, their bytes (gzip or not), the function each belongs to.

A source is a file or ``-`` (stdin). Its function comes from the log group
``/aws/lambda/<name>`` that Lambda writes to
(https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html) when the
path or the payload names one, else from the file name.
"""

from __future__ import annotations

import errno
import glob
import gzip
import mmap
import os
import re
import sys
import zlib
from collections.abc import Iterable

from ..errors import InvalidParameterError

__all__ = ["READ_ERRORS", "expand_paths", "function_from_source", "read_source", "distinct_sources", "source_size"]

_LOG_GROUP = re.compile(r"/aws/lambda/([^/\s]+)")
_SUFFIXES = (".gz", ".log", ".jsonl", ".json", ".txt", ".ndjson", ".csv", ".md")

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
            files.extend(_walk(text))
        elif os.path.isfile(text) or os.path.islink(text):  # a broken link: reading it says so
            files.append(text)
        elif glob.has_magic(text) and (
            found := sorted(f for f in glob.glob(text, recursive=True) if os.path.isfile(f))
        ):
            files.extend(found)
        else:
            raise InvalidParameterError("paths", "existing files, directories, globs or '-'", text)
    return files


def _walk(folder: str) -> list[str]:
    """The files under ``folder`` (hidden ones skipped), sorted; a sub-folder that cannot be
    listed is kept as a source of its own, so that reading it reports why (never skipped silently)."""
    found: list[str] = []

    def unlisted(error: OSError) -> None:
        found.append(error.filename if error.filename is not None else folder)

    for top, folders, names in os.walk(folder, onerror=unlisted):
        folders[:] = [f for f in folders if not f.startswith(".")]
        for name in names:
            path = os.path.join(top, name)
            # Files, and broken links (reported as unreadable); not pipes or sockets, which would block.
            if not name.startswith(".") and (os.path.isfile(path) or not os.path.exists(path)):
                found.append(path)
    return sorted(found)


def source_size(source: str) -> int:
    """The size of ``source`` in bytes for progress; 0 for stdin and for what cannot be read
    (reading it reports why). [B]"""
    if source == "-":
        return 0
    try:
        return os.path.getsize(source)
    except OSError:
        return 0


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
    then the file name without its log, JSON, CSV, Markdown or gzip suffixes; stdin is ``stdin``.

    Examples
    --------
    >>> function_from_source("exports/aws/lambda/orders-api/2025/10/01/000000.gz")
    'orders-api'
    >>> function_from_source("logs/payments.jsonl.gz"), function_from_source("insights/checkout.csv")
    ('payments', 'checkout')
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
        The source cannot be read or is truncated gzip (see :data:`READ_ERRORS`); for a
        folder (one :func:`expand_paths` could not list), the reason it cannot be listed.
    """
    if source != "-" and os.path.isdir(source):
        os.listdir(source)  # raises why it cannot be listed (no permission)
        raise IsADirectoryError(errno.EISDIR, "a folder, not a log file", source)
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
