"""The packaged price sheets, parsed once and kept in the user's cache folder: loaded in a millisecond, never stale.

Parsing ``lambda.toml`` with :mod:`tomllib` (pure Python) and checking it takes about 10 ms, a
tenth of a ``lambdacost estimate``. The PriceBook parsed from the *packaged* sheet is therefore
pickled into the user's cache folder and read back on the next run when nothing it was made from
has changed: the cache entry names the sheet's path, size, modification and change times and
inode, the lambdacost version, the Python version, and the size and modification time of the
modules that parse the sheet and define its objects. Any change to any of them makes the entry a
miss, and the sheet is parsed and checked again, with the same messages as without a cache.

A cache entry is written atomically (a temporary file renamed into place) and carries a CRC-32
of its content; an entry that is damaged, truncated, of another format, not owned by the user
or writable by others is ignored (and replaced), as is a cache folder that cannot be made or
written. Sheets given with ``--pricing-dir`` or ``$LAMBDACOST_PRICING_DIR`` are never cached:
they are read and checked on every load.

The folder is ``$LAMBDACOST_CACHE_DIR`` when set, else ``$XDG_CACHE_HOME/lambdacost`` or
``~/.cache/lambdacost`` (``~/Library/Caches/lambdacost`` on macOS,
``%LOCALAPPDATA%\\lambdacost\\Cache`` on Windows).

Examples
--------
>>> import tempfile
>>> from lambdacost.prices import PriceBook, packaged_pricing_dir
>>> folder = tempfile.mkdtemp()
>>> sheet = packaged_pricing_dir() / "lambda.toml"
>>> parsed = cached(sheet, lambda: PriceBook.load(sheet.parent), PriceBook, folder=folder)
>>> again = cached(sheet, lambda: 1 / 0, PriceBook, folder=folder)  # read back, not parsed
>>> again.eras == parsed.eras and again is not parsed
True
>>> __import__("shutil").rmtree(folder)
"""

from __future__ import annotations

import contextlib
import copyreg
import io
import os
import pickle
import sys
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path
from types import MappingProxyType
from typing import ClassVar, TypeVar

__all__ = ["CACHE_DIR_ENV", "cache_folder", "cached", "entry_path"]

CACHE_DIR_ENV = "LAMBDACOST_CACHE_DIR"
#: The first line of every entry; a new layout gets a new line (old entries are then misses).
MAGIC = b"lambdacost parsed-sheet cache 1\n"

T = TypeVar("T")


def cache_folder() -> Path | None:
    """The user's cache folder for lambdacost (see the module), or None where there is no home."""
    given = os.environ.get(CACHE_DIR_ENV)
    if given:
        return Path(given)
    try:
        if sys.platform == "win32":
            base = os.environ.get("LOCALAPPDATA")
            return Path(base) / "lambdacost" / "Cache" if base else None
        if sys.platform == "darwin":
            return Path.home() / "Library" / "Caches" / "lambdacost"
        base = os.environ.get("XDG_CACHE_HOME")
        return (Path(base) if base and os.path.isabs(base) else Path.home() / ".cache") / "lambdacost"
    except RuntimeError:  # Path.home(): no home directory
        return None


def entry_path(sheet: Path, folder: str | os.PathLike) -> Path:
    """The cache entry of ``sheet`` in ``folder``: one per sheet path, so two installs keep one each."""
    return Path(folder) / f"{sheet.stem}-{zlib.crc32(os.fsencode(sheet)):08x}.pickle"


def cached(
    sheet: Path,
    parse: Callable[[], T],
    kind: type[T],
    depends_on: Iterable[str] = (),
    folder: str | os.PathLike | None = None,
) -> T:
    """What ``parse()`` gives for ``sheet``, read from the cache when the entry is current.

    Parameters
    ----------
    sheet : Path
        The sheet file ``parse`` reads.
    parse : callable
        Reads and checks the sheet; called on a miss (its errors propagate, nothing is cached).
    kind : type
        The type ``parse`` returns; an entry holding anything else is a miss.
    depends_on : iterable of str
        Files of the code that shapes the result (the parser's and its classes' modules).
    folder : path, optional
        The folder of the entries; default :func:`cache_folder`.
    """
    folder = folder if folder is not None else cache_folder()
    if folder is None:
        return parse()
    try:
        key = _key(sheet, depends_on)
    except OSError:  # no sheet (or no code file): parse() says what is wrong
        return parse()
    entry = entry_path(sheet, folder)
    found = _read(entry, key, kind)
    if found is not None:
        return found
    value = parse()
    _write(entry, key, value)
    return value


def _key(sheet: Path, depends_on: Iterable[str]) -> bytes:
    """Everything the parsed sheet depends on, as one line of text."""
    from .. import __version__

    stat = os.stat(sheet)
    code = [(name, (s := os.stat(name)).st_size, s.st_mtime_ns) for name in depends_on]
    parts = (
        __version__,
        sys.version,
        os.fspath(sheet),
        stat.st_size,
        stat.st_mtime_ns,
        stat.st_ctime_ns,
        stat.st_ino,
        code,
    )
    return repr(parts).encode("utf-8", "backslashreplace")


def _read(entry: Path, key: bytes, kind: type[T]) -> T | None:
    """The value in ``entry`` when it is whole and made for ``key``, else None."""
    try:
        with open(entry, "rb") as file:
            if hasattr(os, "getuid"):  # POSIX: only an entry no one else could have written
                stat = os.fstat(file.fileno())
                if stat.st_uid != os.getuid() or stat.st_mode & 0o022:
                    return None
            data = file.read()
    except OSError:
        return None
    head = MAGIC + key + b"\n"
    if not data.startswith(head):
        return None
    checksum, payload = data[len(head) : len(head) + 9], data[len(head) + 9 :]
    if checksum != b"%08x\n" % zlib.crc32(payload):
        return None
    try:
        value = pickle.loads(payload)
    except Exception:  # a damaged entry that passed its CRC: any unpickling error; parse instead
        return None
    return value if type(value) is kind else None


def _write(entry: Path, key: bytes, value) -> None:
    """Store ``value`` for ``key`` atomically; a folder that cannot be written is left alone."""
    try:
        entry.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # first: an unwritable folder costs no more
        buffer = io.BytesIO()
        _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
        payload = buffer.getvalue()
        import tempfile  # only on a miss in a folder that can be written

        descriptor, scratch = tempfile.mkstemp(dir=entry.parent, prefix=f".{entry.name}.", suffix=".tmp")
        try:
            with os.fdopen(descriptor, "wb") as file:
                file.write(MAGIC + key + b"\n" + b"%08x\n" % zlib.crc32(payload) + payload)
            os.replace(scratch, entry)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(scratch)
            raise
    except (OSError, pickle.PicklingError, TypeError, AttributeError):  # unwritable, or not picklable
        return


def _mapping(items: dict) -> MappingProxyType:
    """A read-only mapping again (pickle cannot name the ``mappingproxy`` type itself)."""
    return MappingProxyType(items)


class _Pickler(pickle.Pickler):
    """Pickles read-only mappings (``MappingProxyType``) as the dicts they show."""

    dispatch_table: ClassVar[dict] = {
        **copyreg.dispatch_table,
        MappingProxyType: lambda proxy: (_mapping, (dict(proxy),)),
    }
