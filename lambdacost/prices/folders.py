"""Write price sheets into a folder whole: staged in a sibling scratch folder, checked, renamed in.

:func:`write_price_files` is how every sheet reaches a price folder (``prices import --into``,
:func:`lambdacost.prices.sheets.write_sheet`). The files go to a scratch folder next to the
target (``.DIR.lambdacost-*`` in its parent, so nothing half-made ever sits inside ``DIR``), the
staged folder is loaded with the sheets' own checks, and only then is each file renamed over
its old version (a rename within one file system is atomic). A run killed at any point leaves
the old sheets or the new ones, never a mix inside one file, and at worst a scratch folder
beside ``DIR``; the next write removes it.

Writers of one folder take turns: each holds an exclusive lock on the folder itself
(:func:`fcntl.flock`, released by the kernel when a process dies, ``kill -9`` included) while it
works, so a scratch folder found while holding that lock belongs to no live writer and is
removed. Scratch folders left inside ``DIR`` by earlier versions (``.lambdacost-sheet-*``, only a
``lambda.toml`` inside) are removed once a minute old, as a writer of those versions takes
milliseconds.

Examples
--------
>>> import tempfile
>>> from pathlib import Path
>>> from lambdacost.prices.paas import PAAS_SHEET
>>> from lambdacost.prices.book import packaged_pricing_dir
>>> text = (packaged_pricing_dir() / PAAS_SHEET).read_text("utf-8")
>>> folder = Path(tempfile.mkdtemp()) / "prices"
>>> [p.name for p in write_price_files(folder, {PAAS_SHEET: text})]
['paas.toml']
>>> sorted(p.name for p in folder.parent.iterdir())  # no scratch left beside it
['prices']
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

from ..errors import PricingDataError
from .book import LAMBDA_SHEET, PriceBook

__all__ = ["SCRATCH_MARK", "LEGACY_SCRATCH_PREFIX", "companion_paas_sheet", "scratch_folders", "write_price_files"]

#: Scratch folders are named ``.<DIR name><SCRATCH_MARK><random>`` beside ``DIR``.
SCRATCH_MARK = ".lambdacost-"
#: What earlier versions left inside ``DIR`` when killed mid-write.
LEGACY_SCRATCH_PREFIX = ".lambdacost-sheet-"
#: A legacy scratch folder younger than this may belong to a running older version. [s]
LEGACY_SCRATCH_AGE_S = 60.0
#: The sheets a price folder holds, and the check each must pass before it is renamed in.
_SHEETS = (LAMBDA_SHEET, "paas.toml")


def companion_paas_sheet(directory: str | os.PathLike, base_dir: str | os.PathLike, day) -> tuple[str, Path] | None:
    """The ``paas.toml`` a price folder lacks, copied from ``base_dir`` (or the packaged one).

    ``--pricing-dir DIR`` reads both sheets from ``DIR``; a folder made by ``prices import``
    gets the server prices in use, with a header saying where they were copied from.

    Returns
    -------
    (str, pathlib.Path) or None
        The text to write and the sheet it copies; None if ``directory`` has a ``paas.toml``.
    """
    from .book import packaged_pricing_dir
    from .paas import PAAS_SHEET

    if (Path(directory) / PAAS_SHEET).is_file():
        return None
    source = Path(base_dir) / PAAS_SHEET
    if not source.is_file():
        source = packaged_pricing_dir() / PAAS_SHEET
    header = (
        f"# Copied by `lambdacost prices import` on {day} from {source}: `--pricing-dir` reads this\n"
        "# folder's lambda.toml and paas.toml together. The server prices below are that sheet's,\n"
        "# each with its own source_url and read_on; `lambdacost prices import` of an AWS offer of\n"
        "# EC2, ECS (Fargate), ELB or API Gateway replaces the rows it covers.\n\n"
    )
    return header + source.read_text("utf-8"), source


def _check(folder: Path, name: str) -> None:
    if name == LAMBDA_SHEET:
        PriceBook.load(folder)
    else:
        from .paas import load_paas_prices

        load_paas_prices(folder)


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` (no lock where the platform has no ``flock``)."""
    try:
        import fcntl
    except ImportError:  # Windows: writers do not take turns; stale scratch is still removed
        yield
        return
    handle = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)  # releases the lock


def _scratch_parent(target: Path) -> Path:
    """Beside ``target`` when its parent is writable on the same file system, else inside it."""
    parent = target.parent
    try:
        same_device = os.stat(parent).st_dev == os.stat(target).st_dev
    except OSError:
        same_device = False
    return parent if same_device and os.access(parent, os.W_OK | os.X_OK) else target


def scratch_folders(directory: str | os.PathLike) -> list[Path]:
    """The scratch folders of writes into ``directory`` found now (those of killed runs, mostly)."""
    target = Path(directory).resolve()
    found = []
    for place, prefix in ((target.parent, f".{target.name}{SCRATCH_MARK}"), (target, SCRATCH_MARK)):
        with contextlib.suppress(OSError):
            found += [p for p in place.iterdir() if p.name.startswith(prefix) and p.is_dir() and not p.is_symlink()]
    return sorted(set(found))


def _remove_stale(target: Path) -> None:
    """Remove scratch of earlier writes into ``target`` (the caller holds its lock)."""
    now = time.time()
    for folder in scratch_folders(target):
        if folder.name.startswith(LEGACY_SCRATCH_PREFIX):
            # Written without a lock by earlier versions: only what they made, only when old.
            try:
                names = {p.name for p in folder.iterdir()}
                old = now - folder.stat().st_mtime > LEGACY_SCRATCH_AGE_S
            except OSError:
                continue
            if not old or not names <= {LAMBDA_SHEET}:
                continue
        shutil.rmtree(folder, ignore_errors=True)


def write_price_files(directory: str | os.PathLike, files: Mapping[str, str]) -> tuple[Path, ...]:
    """Write sheets (file name -> TOML text) into ``directory`` atomically, each checked first.

    Parameters
    ----------
    directory : path
        The price folder; made (with its parents) if missing.
    files : mapping of str to str
        ``lambda.toml`` and/or ``paas.toml`` and their text.

    Returns
    -------
    tuple of pathlib.Path
        The files written, in the order given.

    Raises
    ------
    PricingDataError
        A sheet would not load (nothing is written), or ``directory`` is a file.
    OSError
        The folder cannot be written (permissions, a full disk); the old sheets are untouched.
    """
    unknown = sorted(set(files) - set(_SHEETS))
    if unknown:
        raise PricingDataError(str(directory), unknown[0], f"not a price sheet name (expected {', '.join(_SHEETS)})")
    target = Path(directory)
    if target.is_file():
        raise PricingDataError(
            str(target), "-", f"expected a directory to write {' and '.join(files)} into, got a file"
        )
    target.mkdir(parents=True, exist_ok=True)
    given, target = target, target.resolve()
    with _locked(target):
        _remove_stale(target)
        place = _scratch_parent(target)
        prefix = f".{target.name}{SCRATCH_MARK}" if place != target else SCRATCH_MARK
        scratch = Path(tempfile.mkdtemp(prefix=prefix, dir=place))
        try:
            for name, text in files.items():
                with open(scratch / name, "w", encoding="utf-8") as handle:
                    handle.write(text)
                    handle.flush()
                    os.fsync(handle.fileno())
            for name in files:
                try:
                    _check(scratch, name)
                except PricingDataError as error:
                    raise PricingDataError(
                        str(target / name), error.key, f"not written, the new sheet would not load: {error.reason}"
                    ) from None
            for name in files:  # each rename is atomic; the caller orders them
                os.replace(scratch / name, target / name)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    return tuple(given / name for name in files)
