"""Parse + cost Lambda REPORT logs: vectorized vs a per-line regex loop, and dask scale-out.

Part 1 (issue 13: at least 8x the minimal loop, target 15x): N generated invocations
(START, END, REPORT, sometimes XRAY, as CloudWatch writes them) in 4 files, four
functions, then the same N in one file (cut into pieces the scanner reads in parallel, one
a CPU). ``read_logs`` + ``report`` (the compiled scanner, exact integer sums) against a
straightforward loop doing the same work (split lines, ``re.match`` each REPORT line,
convert the fields, price the invocation, collect per-function totals and durations for
the percentiles), a minimal loop that only adds up totals, and an honest floor: every
byte read once in compiled code (numpy counts the newlines) and nothing parsed. Timed
alternately; wall and CPU time (all threads) medians, and medians of the per-round
ratios, all from one run. The scanner is compiled (or loaded from numba's cache) before
timing starts, as a regex is compiled before a loop runs.

Part 2: the same report with ``engine="dask"`` on a ``LocalCluster`` of 2 worker
processes (1 thread each, ``--worker-memory`` limit each) over 8 files whose total size is
larger than one worker's limit, against the pandas engine in one process. Prints the
speed-up and each worker's peak RSS (``ru_maxrss``).

    python benchmarks/bench_logs.py            # 1,000,000 invocations; dask: 4,000,000 (~1.1 GB) in 8 files
    python benchmarks/bench_logs.py --quick    # 100,000 invocations; dask: 200,000 (~54 MB, below the limit)
"""

from __future__ import annotations

import argparse
import math
import mmap
import os
import re
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from lambdacost.readers.logs import read_logs
from lambdacost.reports import report

X86_RATE, REQUEST_RATE = 0.0000166667, 0.0000002  # us-east-1 tier 1, https://aws.amazon.com/lambda/pricing/
LOOP_RX = re.compile(
    r"^REPORT RequestId: (\S+)\s+Duration: ([\d.]+) ms\s+Billed Duration: (\d+) ms\s+Memory Size: (\d+) MB"
    r"\s+Max Memory Used: (\d+) MB(?:\s+Init Duration: ([\d.]+) ms)?"
)


def write_logs(folder: Path, invocations: int, files: int, seed: int = 0) -> list[Path]:
    """CloudWatch-shaped text logs; generated with numpy, written once (not timed)."""
    rng = np.random.default_rng(seed)
    paths = []
    per_file = invocations // files
    for k in range(files):
        duration = rng.gamma(2.0, 60.0, per_file).round(2) + 0.01
        cold = rng.random(per_file) < 0.01
        init = rng.uniform(100, 900, per_file).round(2)
        memory = (128, 512, 1024, 2048)[k % 4]
        billed = np.ceil(np.round(duration + np.where(cold, init, 0), 6)).astype(int)
        used = rng.integers(40, 120, per_file)
        ids = [f"{k:08x}-0000-4000-8000-{i:012x}" for i in range(per_file)]
        lines = []
        for i in range(per_file):  # generation only
            rid = ids[i]
            report_line = (
                f"REPORT RequestId: {rid}\tDuration: {duration[i]:.2f} ms\tBilled Duration: {billed[i]} ms\t"
                f"Memory Size: {memory} MB\tMax Memory Used: {used[i]} MB\t"
            )
            if cold[i]:
                report_line += f"Init Duration: {init[i]:.2f} ms\t"
            lines += [f"START RequestId: {rid} Version: $LATEST", f"END RequestId: {rid}", report_line]
            if cold[i]:
                lines.append(
                    "XRAY TraceId: 1-6a507b87-0cc4438344b48ef127ab1931\tSegmentId: d0025b207c551fde\tSampled: true\t"
                )
        path = folder / "aws" / "lambda" / f"fn-{k % 4}" / f"part{k // 4}.log"  # log-group layout names the function
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines) + "\n")
        paths.append(path)
    return paths


#: A tolerant regex for the REPORT line
#: (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html), as a per-line parser would use it.
FULL_RX = re.compile(
    r"^REPORT RequestId: (?P<rid>[0-9a-f-]+)\s+Duration: (?P<dur>[\d.]+) ms\s+Billed Duration: (?P<billed>\d+) ms"
    r"\s+Memory Size: (?P<mem>\d+) MB\s+Max Memory Used: (?P<maxmem>\d+) MB(?:\s+Init Duration: (?P<init>[\d.]+) ms)?"
    r"(?:\s+Restore Duration: (?P<restore>[\d.]+) ms\s+Billed Restore Duration: (?P<brestore>\d+) ms)?"
    r"(?:\s+Status: (?P<status>\w+))?(?:\s+Error Type: (?P<etype>\S+))?\s*$"
)
COLUMNS = [
    "function",
    "request_id",
    "duration_ms",
    "billed_duration_ms",
    "memory_size_mb",
    "max_memory_used_mb",
    "init_duration_ms",
    "restore_duration_ms",
    "billed_restore_duration_ms",
    "cold_start",
    "status",
    "cost",
]


def loop_parse_and_cost(paths):
    """The straightforward way, same output: a regex match per line into a tidy table, then the report."""
    rows, malformed, nan = [], 0, float("nan")
    for path in paths:
        function = os.path.basename(os.path.dirname(path))
        with open(path, encoding="utf-8", errors="replace") as handle:
            for line in handle:
                if not line.startswith("REPORT "):
                    continue
                m = FULL_RX.match(line)
                if m is None:
                    malformed += 1
                    continue
                billed, memory = int(m["billed"]), int(m["mem"])
                init, restore, brestore = m["init"], m["restore"], m["brestore"]
                rows.append(
                    (
                        function,
                        m["rid"],
                        float(m["dur"]),
                        billed,
                        memory,
                        int(m["maxmem"]),
                        float(init) if init else nan,
                        float(restore) if restore else nan,
                        float(brestore) if brestore else nan,
                        init is not None or restore is not None,
                        m["status"] or "success",
                        memory / 1024 * billed / 1000 * X86_RATE + REQUEST_RATE,
                    )
                )
    df = pd.DataFrame(rows, columns=COLUMNS)
    out = df.groupby("function").agg(
        invocations=("request_id", "size"),
        cold_starts=("cold_start", "sum"),
        cost=("cost", "sum"),
        duration_p50_ms=("duration_ms", lambda d: d.quantile(0.5)),
        duration_p95_ms=("duration_ms", lambda d: d.quantile(0.95)),
        duration_p99_ms=("duration_ms", lambda d: d.quantile(0.99)),
    )
    out["billed_mb_ms"] = (df["memory_size_mb"] * df["billed_duration_ms"]).groupby(df["function"]).sum()
    return out, malformed


def minimal_loop(paths) -> dict:
    """A leaner loop that keeps only per-function totals (no table): the floor for a loop."""
    totals: dict[str, list] = {}
    for path in paths:
        acc = totals.setdefault(os.path.basename(os.path.dirname(path)), [0, 0.0, []])
        with open(path, encoding="utf-8", errors="replace") as handle:
            for line in handle:
                if line.startswith("REPORT "):
                    m = LOOP_RX.match(line)
                    if m is not None:
                        billed, memory = int(m[3]), int(m[4])
                        acc[0] += memory * billed
                        acc[1] += memory / 1024 * billed / 1000 * X86_RATE + REQUEST_RATE
                        acc[2].append(float(m[2]))
    return {f: (a[0], a[1], np.quantile(a[2], [0.5, 0.95, 0.99])) for f, a in totals.items()}


def vectorized_parse_and_cost(paths):
    return report(read_logs(paths), as_of="2026-11-01")


def floor(paths) -> int:
    """The honest floor: every byte read once, in compiled code (numpy counts the newlines
    of each memory-mapped file, a megabyte at a time so no large temporary is written),
    nothing parsed, one thread; what any reader must at least do."""
    lines = 0
    for path in paths:
        with open(path, "rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
            buf = np.frombuffer(data, np.uint8)
            lines += sum(int(np.count_nonzero(buf[at : at + (1 << 20)] == 10)) for at in range(0, len(buf), 1 << 20))
            del buf  # the map closes only once no array views it
    return lines


def _timed(run, *args) -> tuple[float, float]:
    """(wall, CPU) seconds of ``run(*args)``; CPU counts every thread of this process."""
    wall, cpu = time.perf_counter(), time.process_time()
    run(*args)
    return time.perf_counter() - wall, time.process_time() - cpu


def part1(folder: Path, invocations: int, files: int, repeat: int) -> None:
    paths = write_logs(folder, invocations, files)
    size = sum(p.stat().st_size for p in paths)
    fast = vectorized_parse_and_cost(paths)
    slow, _ = loop_parse_and_cost(paths)
    for row in fast.itertuples():  # same work, same answer
        want = slow.loc[row.function]
        assert want.invocations == row.invocations and want.billed_mb_ms == round(row.billed_gb_seconds * 1_024_000)
        assert math.isclose(want.cost, row.cost, rel_tol=1e-9) and want.duration_p99_ms == row.duration_p99_ms
    runs = {
        "loop": loop_parse_and_cost,
        "minimal": minimal_loop,
        "floor": floor,
        "read": read_logs,
        "fast": vectorized_parse_and_cost,
    }
    timings = {name: [] for name in runs}
    for _ in range(repeat):  # alternate so a noisy machine slows all alike
        for name, run in runs.items():
            # Steady state: each is timed right after an untimed run of its own. Whatever runs
            # first after the Python loops' millions of objects pays ~0.1-0.2 s for their
            # aftermath, which would otherwise fall on whichever command is timed next.
            run(paths)
            timings[name].append(_timed(run, paths))
    ratios = {
        name: statistics.median(t[0] / f[0] for t, f in zip(timings[name], timings["fast"]))
        for name in ("loop", "minimal", "floor")
    }

    def med(name: str) -> str:
        wall, cpu = (statistics.median(t[k] for t in timings[name]) for k in (0, 1))
        return f"{wall:6.3f} s wall, {cpu:6.3f} s CPU"

    where = "1 file" if files == 1 else f"{files} files"
    print(
        f"part 1: {invocations:,} invocations ({size / 1e6:.0f} MB, START/END/REPORT/XRAY lines) in {where}, "
        f"{repeat} runs, {_cpus()} CPUs (medians; CPU time counts every thread)"
    )
    print(f"  per-line regex loop -> tidy table + report : {med('loop')}")
    print(f"  minimal per-line loop (totals only)        : {med('minimal')}")
    print(f"  floor: every byte read once (numpy)        : {med('floor')}")
    print(f"  read_logs alone                            : {med('read')}")
    print(f"  read_logs + report                         : {med('fast')}")
    print(
        f"  speed-up vs the same-work loop: {ratios['loop']:.1f}x; vs the minimal loop: {ratios['minimal']:.1f}x "
        f"(target >= 8x, 15x); read_logs + report takes {1 / ratios['floor']:.1f}x the floor"
    )


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def _peak_rss_mb() -> float:
    """This process's high-water RSS (VmHWM) in MB."""
    with open("/proc/self/status") as status:
        line = next(row for row in status if row.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024  # kB


def part2(folder: Path, invocations: int, memory_limit: str) -> None:
    from dask.utils import parse_bytes
    from distributed import Client, LocalCluster

    paths = write_logs(folder, invocations, 8, seed=1)
    size = sum(p.stat().st_size for p in paths)
    # Workers start before the big single-process run, so they inherit nothing from it.
    cluster_options = dict(
        n_workers=2, threads_per_worker=1, processes=True, memory_limit=memory_limit, dashboard_address=":0"
    )
    with LocalCluster(**cluster_options) as cluster, Client(cluster) as client:
        idle = client.run(_peak_rss_mb)
        start = time.perf_counter()
        want = report(read_logs(paths), as_of="2026-11-01")
        one_process = time.perf_counter() - start
        start = time.perf_counter()
        got = report(read_logs(paths, engine="dask"), as_of="2026-11-01")
        distributed_s = time.perf_counter() - start
        peaks = client.run(_peak_rss_mb)
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    print(
        f"part 2: {invocations:,} invocations in 8 files, {size / 1e6:.0f} MB of text; worker limit {memory_limit} "
        f"({parse_bytes(memory_limit) / 1e6:.0f} MB): input is {size / parse_bytes(memory_limit):.1f}x one worker's limit"
    )
    print(f"  pandas, one process : {one_process:.2f} s")
    print(
        f"  dask, 2 workers     : {distributed_s:.2f} s  -> speed-up {one_process / distributed_s:.2f}x (identical report)"
    )
    for address, peak in sorted(peaks.items()):
        print(f"  worker {address}: peak RSS (VmHWM) {peak:.0f} MB (idle {idle[address]:.0f} MB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100,000 invocations, small dask input")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--worker-memory",
        default=None,
        help="memory limit per dask worker (default 800MB; an idle worker process holds ~200 MB)",
    )
    parser.add_argument("--skip-dask", action="store_true")
    parser.add_argument("--only-dask", action="store_true")
    args = parser.parse_args()
    invocations = 100_000 if args.quick else 1_000_000
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "a").mkdir()
        if not args.only_dask:
            for files in (4, 1):  # one large file: cut into pieces, one a CPU
                (Path(tmp) / "a" / str(files)).mkdir()
                part1(Path(tmp) / "a" / str(files), invocations, files, args.repeat)
        if not args.skip_dask:
            (Path(tmp) / "b").mkdir()
            part2(Path(tmp) / "b", invocations * (2 if args.quick else 4), args.worker_memory or "800MB")


if __name__ == "__main__":
    main()
