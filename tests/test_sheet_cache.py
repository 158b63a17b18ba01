"""The cache of the packaged sheet's PriceBook: the same book as a fresh parse, never stale, and
never in the way (a damaged entry or an unwritable folder only means a parse)."""

import os
import pickle
import shutil
import struct
import subprocess
import sys
import zlib
from datetime import date
from pathlib import Path

import pytest

from lambdacost import PricingDataError
from lambdacost.prices import PriceBook, book, packaged_pricing_dir, sheet_cache
from lambdacost.prices.sheet_cache import CACHE_DIR_ENV, MAGIC, cached, entry_path

SHEET = packaged_pricing_dir() / "lambda.toml"


class Parses:
    """``parse`` for :func:`cached` that counts its calls."""

    def __init__(self, sheet: Path):
        self.sheet, self.calls = sheet, 0

    def __call__(self) -> PriceBook:
        self.calls += 1
        return book._read_lambda_sheet(self.sheet)


@pytest.fixture
def sheet(tmp_path) -> Path:
    """A copy of the packaged sheet, free to change."""
    copy = tmp_path / "sheets" / "lambda.toml"
    copy.parent.mkdir()
    shutil.copyfile(SHEET, copy)
    return copy


@pytest.fixture
def folder(tmp_path) -> Path:
    return tmp_path / "cache"


def _every_rate(priced: PriceBook) -> list:
    return [
        priced.rates(region, arch, era.effective_from)
        for era in priced.eras
        for region in era.regions
        for arch in era.regions[region].duration
        if arch == "x86_64" or era.effective_from >= priced.milestone("arm64")
    ]


def test_a_cached_book_is_the_book_a_fresh_parse_gives(sheet, folder):
    parse = Parses(sheet)
    first = cached(sheet, parse, PriceBook, folder=folder)
    again = cached(sheet, parse, PriceBook, folder=folder)
    fresh = book._read_lambda_sheet(sheet)
    assert parse.calls == 1 and again is not first
    assert vars(again) == vars(fresh) == vars(first)
    assert _every_rate(again) == _every_rate(fresh)
    assert again.stamp == fresh.stamp and again.files == (str(sheet),)
    assert again.rates("eu-west-1", "arm64", date(2026, 11, 1)).tier_per_gb_second == (
        1.33334e-05,
        1.20001e-05,
        1.06667e-05,
    )
    # read-only mappings stay read-only
    with pytest.raises(TypeError):
        again.milestones["arm64"] = None
    with pytest.raises(TypeError):
        again.eras[-1].regions["us-east-1"] = None


def test_a_changed_sheet_is_parsed_again(sheet, folder):
    parse = Parses(sheet)
    cached(sheet, parse, PriceBook, folder=folder)
    text = sheet.read_text()
    assert text.count("requests_per_million = 0.20\n") > 1
    sheet.write_text(text.replace("requests_per_million = 0.20\n", "requests_per_million = 0.30\n", 1))
    changed = cached(sheet, parse, PriceBook, folder=folder)
    assert parse.calls == 2
    assert vars(changed) == vars(book._read_lambda_sheet(sheet)) != vars(book._read_lambda_sheet(SHEET))


def test_a_change_of_the_same_size_and_time_is_parsed_again(sheet, folder):
    """An edit that keeps the size and puts the modification time back still changes the inode's ctime."""
    parse = Parses(sheet)
    cached(sheet, parse, PriceBook, folder=folder)
    before = os.stat(sheet)
    text = sheet.read_text()
    sheet.write_text(text.replace('name = "US East (N. Virginia)"', 'name = "US East (N. Virginiq)"'))
    os.utime(sheet, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat(sheet).st_size == before.st_size and os.stat(sheet).st_mtime_ns == before.st_mtime_ns
    changed = cached(sheet, parse, PriceBook, folder=folder)
    assert parse.calls == 2 and changed.eras[-1].regions["us-east-1"].name == "US East (N. Virginiq)"


def test_a_change_of_the_parsing_code_is_parsed_again(sheet, folder, tmp_path):
    code = tmp_path / "parser.py"
    code.write_text("# version 1\n")
    parse = Parses(sheet)
    cached(sheet, parse, PriceBook, [str(code)], folder=folder)
    cached(sheet, parse, PriceBook, [str(code)], folder=folder)
    assert parse.calls == 1
    code.write_text("# version 22\n")
    cached(sheet, parse, PriceBook, [str(code)], folder=folder)
    assert parse.calls == 2


def test_another_version_of_lambdacost_is_a_miss(sheet, folder, monkeypatch):
    parse = Parses(sheet)
    cached(sheet, parse, PriceBook, folder=folder)
    monkeypatch.setattr("lambdacost.__version__", "99.0")
    cached(sheet, parse, PriceBook, folder=folder)
    assert parse.calls == 2


def _damage(entry: Path, how: str) -> None:
    data = entry.read_bytes()
    if how == "flipped bit":  # in the float of a rate: still a valid pickle, of a wrong book
        at = data.index(b"G" + struct.pack(">d", 2e-07)) + 8
        entry.write_bytes(data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :])
    elif how == "truncated":
        entry.write_bytes(data[: len(data) // 2])
    elif how == "empty":
        entry.write_bytes(b"")
    elif how == "garbage":
        entry.write_bytes(os.urandom(4000))
    elif how == "another format":
        entry.write_bytes(data.replace(MAGIC, b"lambdacost parsed-sheet cache 0\n", 1))
    elif how in ("bad pickle with its checksum", "another type"):
        head = data[: data.index(b"\n", len(MAGIC)) + 1]
        payload = b"\x80\x05not a pickle" if how == "bad pickle with its checksum" else pickle.dumps({"eras": ()})
        entry.write_bytes(head + b"%08x\n" % zlib.crc32(payload) + payload)
    else:
        raise AssertionError(how)


@pytest.mark.parametrize(
    "how",
    ["flipped bit", "truncated", "empty", "garbage", "another format", "bad pickle with its checksum", "another type"],
)
def test_a_damaged_entry_is_parsed_again_and_replaced(sheet, folder, how):
    parse = Parses(sheet)
    cached(sheet, parse, PriceBook, folder=folder)
    entry = entry_path(sheet, folder)
    _damage(entry, how)
    repaired = cached(sheet, parse, PriceBook, folder=folder)
    assert parse.calls == 2 and vars(repaired) == vars(book._read_lambda_sheet(sheet))
    cached(sheet, parse, PriceBook, folder=folder)  # the entry was written again, whole
    assert parse.calls == 2


def test_an_unwritable_cache_folder_only_means_a_parse_each_time(sheet, tmp_path):
    blocker = tmp_path / "a file"
    blocker.write_text("not a folder")
    folder = blocker / "cache"  # cannot be made, whoever runs the test (root too)
    parse = Parses(sheet)
    first = cached(sheet, parse, PriceBook, folder=folder)
    again = cached(sheet, parse, PriceBook, folder=folder)
    assert parse.calls == 2 and vars(first) == vars(again) and not folder.exists()


def test_a_failed_rename_leaves_no_scratch_file(sheet, folder, monkeypatch):
    def refuse(*args):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(sheet_cache.os, "replace", refuse)
    parse = Parses(sheet)
    cached(sheet, parse, PriceBook, folder=folder)
    assert parse.calls == 1 and list(folder.iterdir()) == []


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX owners and modes")
def test_an_entry_others_could_write_is_ignored(sheet, folder):
    parse = Parses(sheet)
    cached(sheet, parse, PriceBook, folder=folder)
    entry = entry_path(sheet, folder)
    assert entry.stat().st_mode & 0o077 == 0 and folder.stat().st_mode & 0o077 == 0
    entry.chmod(0o666)
    cached(sheet, parse, PriceBook, folder=folder)
    assert parse.calls == 2 and entry.stat().st_mode & 0o077 == 0  # replaced by a private one


def test_a_broken_sheet_raises_as_without_a_cache_and_is_not_cached(sheet, folder):
    sheet.write_text(sheet.read_text().replace("\nschema = 1\n", "\nschema = 2\n"))
    for _ in range(2):
        with pytest.raises(PricingDataError) as raised:
            cached(sheet, Parses(sheet), PriceBook, folder=folder)
        assert str(raised.value) == f"{sheet}: schema: this lambdacost reads schema 1, got 2"
    assert not folder.exists()
    missing = sheet.parent / "nothing" / "lambda.toml"
    with pytest.raises(PricingDataError, match="file not found"):
        cached(missing, Parses(missing), PriceBook, folder=folder)


def test_the_packaged_sheet_goes_through_the_cache_a_folder_given_never(sheet, tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "cache"))
    loaded = PriceBook.load()
    assert vars(loaded) == vars(book._read_lambda_sheet(SHEET))
    assert [p.name for p in (tmp_path / "cache").iterdir()] == [entry_path(SHEET, tmp_path).name]
    PriceBook.load(sheet.parent)
    assert len(list((tmp_path / "cache").iterdir())) == 1  # a given folder is read, never cached
    sheet.write_text("schema = ")
    with pytest.raises(PricingDataError, match="not valid TOML"):
        PriceBook.load(sheet.parent)


def test_the_cache_folder(monkeypatch, tmp_path):
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path))
    assert sheet_cache.cache_folder() == tmp_path
    monkeypatch.delenv(CACHE_DIR_ENV)
    if sys.platform.startswith("linux"):
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
        assert sheet_cache.cache_folder() == tmp_path / "xdg" / "lambdacost"
        monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")  # the XDG spec: only absolute paths count
        monkeypatch.setenv("HOME", str(tmp_path / "home"))
        assert sheet_cache.cache_folder() == tmp_path / "home" / ".cache" / "lambdacost"


def test_two_sheets_keep_an_entry_each(sheet, folder):
    assert entry_path(sheet, folder) != entry_path(SHEET, folder)
    assert entry_path(sheet, folder).parent == folder and entry_path(sheet, folder).suffix == ".pickle"


def test_the_command_line_prints_the_same_with_a_cache_without_one_and_from_it(tmp_path):
    blocker = tmp_path / "a file"
    blocker.write_text("")
    command = [sys.executable, "-m", "lambdacost", "estimate", "--memory", "512", "--ms", "120", "--requests", "1e6"]
    outputs = []
    for folder in (blocker / "none", tmp_path / "cache", tmp_path / "cache"):  # none, written, read
        env = {**os.environ, CACHE_DIR_ENV: str(folder)}
        env.pop("LAMBDACOST_PRICING_DIR", None)
        run = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
        outputs.append((run.stdout, run.stderr))
    assert outputs[0] == outputs[1] == outputs[2] and "total" in outputs[0][0]
    assert len(list((tmp_path / "cache").iterdir())) == 1


def test_the_packaged_server_sheet_goes_through_the_cache_too(tmp_path, monkeypatch):
    from lambdacost.prices import paas

    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "cache"))
    packaged = packaged_pricing_dir() / paas.PAAS_SHEET
    fresh = paas._read(packaged)
    first, again = paas.load_paas_prices(), paas.load_paas_prices()
    assert vars(first) == vars(again) == vars(fresh) and again is not first
    assert entry_path(packaged, tmp_path / "cache").is_file()
    given = tmp_path / "given"
    given.mkdir()
    (given / paas.PAAS_SHEET).write_text("[ec2")
    with pytest.raises(PricingDataError, match="not valid TOML"):
        paas.load_paas_prices(given)
    assert len(list((tmp_path / "cache").iterdir())) == 1


def test_estimate_from_the_cache_loads_neither_tomllib_nor_decimal(tmp_path):
    """What the cache is for: a run on the cached packaged sheet parses no TOML and divides no Decimal."""
    code = (
        "import atexit, sys\n"
        "atexit.register(lambda: print(sorted(m for m in ('tomllib', 'decimal') if m in sys.modules), file=sys.stderr))\n"
        "sys.argv = ['lambdacost', 'estimate', '--memory', '512', '--ms', '120', '--requests', '1e6']\n"
        "from lambdacost.cli import main\n"
        "main()\n"
    )
    env = {**os.environ, CACHE_DIR_ENV: str(tmp_path / "cache")}
    env.pop("LAMBDACOST_PRICING_DIR", None)
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env) for _ in range(2)]
    assert [run.returncode for run in runs] == [0, 0]
    assert runs[0].stderr.strip() == "['tomllib']"  # the first run parses the sheet (Decimal is never needed)
    assert runs[1].stderr.strip() == "[]"
