"""A first read on an empty numba cache: small text logs skip the compiled scanner, with
the same rows as the scanner gives; a fresh-cache read and a cached read agree."""

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from lambdacost.readers import log_parse
from lambdacost.readers.log_parse import parse_lines, parse_summary
from lambdacost.readers.logs import read_logs

DATA = Path(__file__).parent / "data" / "logs"
LOGS = sorted(str(p) for p in DATA.rglob("*") if p.is_file() and p.name != "README.md")
REPO = Path(__file__).resolve().parent.parent


def read_with(monkeypatch, threshold: int, paths):
    monkeypatch.setattr(log_parse, "SCAN_MIN_BYTES", threshold)
    return read_logs(paths)


def assert_same_read(got, want):
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    assert parse_summary(got) == parse_summary(want)


@pytest.mark.parametrize("path", LOGS, ids=[Path(p).name for p in LOGS])
def test_small_input_path_and_compiled_scanner_give_identical_frames(monkeypatch, path):
    assert_same_read(read_with(monkeypatch, 1 << 62, path), read_with(monkeypatch, 0, path))


def test_small_and_compiled_paths_agree_on_every_text_shape(monkeypatch):
    line = (
        "REPORT RequestId: 3f2b6c1e-0d4a-4e8b-9a51-7c2d8e9f0a11\tDuration: 12.34 ms\tBilled Duration: 13 ms\t"
        "Memory Size: 128 MB\tMax Memory Used: 64 MB\t"
    )
    text = "\n".join(
        [
            "START RequestId: x Version: $LATEST",
            line + "Init Duration: 542.01 ms\t\r",
            line + "Restore Duration: 325.93 ms\tBilled Restore Duration: 26 ms\t",
            line + "Status: error\tError Type: Runtime.ExitError",
            line.replace("\t", " "),
            line[:60],
            "REPORT \u00e9t\u00e9",
            "2024-05-01T10:00:00.123Z " + line,
        ]
    )
    for timestamps in ("", "2024-05-01T10:00:00.123Z "):
        lines = "".join(timestamps + part + "\n" for part in text.splitlines())
        monkeypatch.setattr(log_parse, "SCAN_MIN_BYTES", 1 << 62)
        small = parse_lines(lines, function="f")
        monkeypatch.setattr(log_parse, "SCAN_MIN_BYTES", 0)
        assert_same_read(small, parse_lines(lines, function="f"))


READ = """
import pickle, sys
from lambdacost.readers import log_parse
from lambdacost.readers.logs import read_logs
small = read_logs(sys.argv[2:])
numba_loaded = "numba" in sys.modules
log_parse.SCAN_MIN_BYTES = 0  # the compiled scanner, compiled now on the empty cache
compiled = read_logs(sys.argv[2:])
with open(sys.argv[1], "wb") as out:
    pickle.dump((small, numba_loaded, compiled), out)
"""


def test_a_fresh_cache_read_gives_the_same_frame_as_a_cached_one(tmp_path, monkeypatch):
    out = tmp_path / "frames.pickle"
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path / "empty-cache"), "PYTHONPATH": str(REPO)}
    subprocess.run([sys.executable, "-c", READ, str(out), *LOGS], check=True, env=env, cwd=tmp_path)
    small, numba_loaded, compiled = pickle.loads(out.read_bytes())
    assert not numba_loaded  # the small files needed no compile, nor numba at all
    assert_same_read(small, read_with(monkeypatch, log_parse.SCAN_MIN_BYTES, LOGS))
    assert_same_read(compiled, read_with(monkeypatch, 0, LOGS))
    assert_same_read(small, compiled)
