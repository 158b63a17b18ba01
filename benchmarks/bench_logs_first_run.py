"""`lambdacost logs` on a small file: first run on an empty numba cache against a cached run.

Target: fresh-cache run at most 1.5x the cached run. Whole processes: each fresh run gets
a new empty ``NUMBA_CACHE_DIR``; the cached runs share one cache warmed beforehand. For
reference, a third command reads the same file through the compiled scanner (forced with
``SCAN_MIN_BYTES = 0``) on an empty cache: what every small file cost before small text
logs skipped the scanner. The commands run alternately; medians of the per-round ratios.

    python benchmarks/bench_logs_first_run.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LINE = (
    "REPORT RequestId: {k:08x}-0d4a-4e8b-9a51-7c2d8e9f0a11\tDuration: 12.34 ms\tBilled Duration: 13 ms\t"
    "Memory Size: 128 MB\tMax Memory Used: 64 MB\t"
)
FORCED = (
    "import sys; from lambdacost.readers import log_parse; log_parse.SCAN_MIN_BYTES = 0; "
    "sys.argv = ['lambdacost', 'logs', sys.argv[1]]; from lambdacost.cli import main; main()"
)


def wall(command: list[str], cache: str) -> tuple[float, float]:
    """Wall and CPU (user + system of the child) seconds of one whole process."""
    before = os.times()
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env={**os.environ, "NUMBA_CACHE_DIR": cache})
    elapsed = time.perf_counter() - start
    after = os.times()
    return elapsed, (after.children_user - before.children_user) + (after.children_system - before.children_system)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "orders.log"
        log.write_text(
            "".join(f"START RequestId: {k}\n{LINE.format(k=k)}\nEND RequestId: {k}\n" for k in range(2)) + "\n"
        )
        cli = [sys.executable, "-m", "lambdacost", "logs", str(log)]
        forced = [sys.executable, "-c", FORCED, str(log)]
        warm = os.path.join(folder, "warm-cache")
        wall(cli, warm), wall(forced, warm)  # warms numba's cache and the file cache
        rounds = []
        for k in range(args.repeat):
            fresh = wall(cli, os.path.join(folder, f"empty-{k}"))
            cached = wall(cli, warm)
            compiled = wall(forced, os.path.join(folder, f"empty-forced-{k}"))
            rounds.append((fresh, cached, compiled))
        lines = len(log.read_text().splitlines())

    def median(i: int, j: int) -> float:
        return statistics.median(r[i][j] for r in rounds)

    print(f"runs: {args.repeat}; a {lines}-line text log")
    for i, name in enumerate(("fresh cache", "cached", "scanner, fresh cache")):
        print(
            f"lambdacost logs ({name:20s}) median wall {median(i, 0) * 1e3:7.1f} ms, cpu {median(i, 1) * 1e3:7.1f} ms"
        )
    ratios = [r[0][0] / r[1][0] for r in rounds]
    before = [r[2][0] / r[1][0] for r in rounds]
    print(
        f"fresh / cached: median {statistics.median(ratios):.2f}x (min {min(ratios):.2f}, max {max(ratios):.2f});"
        f" target <= 1.5x; through the scanner on a fresh cache {statistics.median(before):.2f}x"
    )


if __name__ == "__main__":
    main()
