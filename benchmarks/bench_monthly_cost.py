"""monthly_cost on many scenarios, fused kernel and numpy engine path, against two numpy floors.

The bare floor is the cheapest possible expression of Lambda's price on the same arrays,
``mem/1024 * dur/1000 * req * rate + req * req_rate`` (no rounding, tiers, free tier or
checks). The honest floor is the model itself written as plain numpy, with no checks: billed
time rounded up to 1 ms, the free GB-s taken off before the three volume tiers, the free
requests; evaluated in blocks of 8,192 rows so that its temporaries stay in cache (as the
engine's numpy path does). ``monthly_cost`` runs its fused numba kernel (checks in the same
pass) on these inputs; the numpy engine path is what it runs without numba (forced here by
raising ``lambdacost.monthly.FUSED_MIN_SIZE``). All run alternately, and the median of the
per-round ratios is printed, so a noisy machine moves all alike; CPU time (all threads) is
printed beside wall time. The checks' share is measured both ways: wall time, and CPU time
with the kernel on one thread (``NUMBA_NUM_THREADS=1`` in a child process), which a loaded
machine moves least. Targets (issue: fast everywhere): fused <= 0.5x the bare floor (0.35x
stretch), checks <= 10% of the fused pass.

    python benchmarks/bench_monthly_cost.py            # 10 million scenarios
    python benchmarks/bench_monthly_cost.py --quick    # 1 million
"""

import argparse
import os
import statistics
import subprocess
import sys
import time

import numpy as np

import lambdacost
from lambdacost import monthly

RATES = (0.0000166667, 0.000015, 0.0000133334)  # x86_64 us-east-1, per GB-s
STARTS = (0.0, 6e9, 15e9)  # GB-s
REQUEST_RATE = 0.2e-6
FREE_GB_SECONDS, FREE_REQUESTS = 400_000.0, 1e6
BLOCK = 1 << 13


def timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def inputs(n: int):
    rng = np.random.default_rng(0)
    memory = rng.integers(128, 10241, n).astype(float)
    duration = rng.uniform(1, 900_000, n)
    requests = rng.uniform(0, 1e8, n)
    return memory, duration, requests


def honest_floor(memory, duration, requests):
    """The whole model in plain numpy, block by block, without checks."""
    out = np.empty(memory.size)
    for start in range(0, memory.size, BLOCK):
        part = slice(start, start + BLOCK)
        r = requests[part]
        billable = np.maximum(memory[part] * np.ceil(duration[part]) * r / 1_024_000.0 - FREE_GB_SECONDS, 0.0)
        usd = billable * RATES[0]
        for k in (1, 2):
            usd += np.maximum(billable - STARTS[k], 0.0) * (RATES[k] - RATES[k - 1])
        out[part] = usd + np.maximum(r - FREE_REQUESTS, 0.0) * REQUEST_RATE
    return out


CHILD = r"""
import json, statistics, sys, time
sys.path.insert(0, sys.argv[3])
from bench_monthly_cost import inputs
from datetime import date
from lambdacost import engine, kernel
from lambdacost.prices import default_pricebook
memory, duration, requests = inputs(int(sys.argv[1]))
book = default_pricebook()
table = engine.rate_table(book, "x86_64", "us-east-1", date(2026, 11, 1))
scenario, _, _ = engine.check_scenario(book, table, memory, duration, requests)
kernel.price(book, scenario, table), kernel.price(book, scenario, table, check=False)
alone, checked = [], []
for _ in range(int(sys.argv[2])):
    cpu = time.process_time(); kernel.price(book, scenario, table, check=False); alone.append(time.process_time() - cpu)
    cpu = time.process_time(); kernel.price(book, scenario, table); checked.append(time.process_time() - cpu)
print(json.dumps([statistics.median(alone), statistics.median([c - a for a, c in zip(alone, checked)])]))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1 million scenarios instead of 10 million")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    n = 1_000_000 if args.quick else 10_000_000
    memory, duration, requests = inputs(n)
    rate = RATES[0]
    fused_min = monthly.FUSED_MIN_SIZE

    def bare_floor():
        return memory / 1024 * duration / 1000 * requests * rate + requests * REQUEST_RATE

    def fused():
        return lambdacost.monthly_cost(memory, duration, requests, as_of="2026-11-01")

    def numpy_path():
        monthly.FUSED_MIN_SIZE = sys.maxsize
        try:
            return lambdacost.monthly_cost(memory, duration, requests, as_of="2026-11-01")
        finally:
            monthly.FUSED_MIN_SIZE = fused_min

    def kernel_alone():  # the fused pass without its element checks
        return kernel.price(book, scenario, table, check=False)

    def kernel_checked():  # the same pass checking every element
        return kernel.price(book, scenario, table)

    def call_checks():  # what check_scenario still does in Python on the fused path
        return engine.check_scenario(book, table, memory, duration, requests, unchecked=kernel.CHECKED)

    from datetime import date

    from lambdacost import engine, kernel
    from lambdacost.prices import default_pricebook

    book = default_pricebook()
    table = engine.rate_table(book, "x86_64", "us-east-1", date(2026, 11, 1))
    scenario, _, _ = engine.check_scenario(book, table, memory, duration, requests)
    result = fused()  # also the warm-up: arrays paged in, kernel loaded
    same = np.array_equal(result, numpy_path())
    honest = np.allclose(honest_floor(memory, duration, requests), result, rtol=1e-9, atol=1e-9)
    bare_floor()
    names = ("bare numpy floor", "honest numpy floor", "numpy engine path", "fused kernel")
    functions = (bare_floor, lambda: honest_floor(memory, duration, requests), numpy_path, fused)
    runs = {name: [] for name in names}
    for _ in range(args.repeat):
        for name, fn in zip(names, functions):
            runs[name].append(timed(fn)[:2])
    print(
        f"scenarios: {n:,}, runs: {args.repeat}, fused == numpy path bit for bit: {same}, "
        f"honest floor == fused to 1e-9: {honest}"
    )
    bare = [w for w, _ in runs["bare numpy floor"]]
    full = [w for w, _ in runs["honest numpy floor"]]
    for name in names:
        walls, cpus = [w for w, _ in runs[name]], [c for _, c in runs[name]]
        to_bare = statistics.median(w / f for w, f in zip(walls, bare))
        to_full = statistics.median(w / f for w, f in zip(walls, full))
        print(
            f"{name:19s} wall median {statistics.median(walls) * 1e3:8.1f} ms, cpu {statistics.median(cpus) * 1e3:8.1f} ms"
            f"   / bare floor {to_bare:5.2f}x, / honest floor {to_full:5.2f}x"
        )
    checks = {name: [] for name in ("kernel alone", "kernel checked", "call checks")}
    for _ in range(args.repeat):
        for name, fn in zip(checks, (kernel_alone, kernel_checked, call_checks)):
            checks[name].append(timed(fn)[0])
    alone = statistics.median(checks["kernel alone"])
    in_kernel = statistics.median([c - a for c, a in zip(checks["kernel checked"], checks["kernel alone"])])
    in_python = statistics.median(checks["call checks"])
    print(
        f"checks, wall: {in_kernel * 1e3:.1f} ms in the kernel + {in_python * 1e3:.2f} ms in check_scenario = "
        f"{(in_kernel + in_python) / alone:.0%} of the kernel alone ({alone * 1e3:.1f} ms)"
    )
    here = os.path.dirname(os.path.abspath(__file__))
    env = {**os.environ, "NUMBA_NUM_THREADS": "1"}
    command = [sys.executable, "-c", CHILD, str(n), str(max(args.repeat, 9)), here]
    cpu_alone, cpu_checks = (
        float(v) for v in subprocess.check_output(command, env=env, text=True).strip()[1:-1].split(",")
    )
    print(
        f"checks, cpu on one thread: {cpu_checks * 1e3:.1f} ms in the kernel + {in_python * 1e3:.2f} ms in "
        f"check_scenario = {(cpu_checks + in_python) / cpu_alone:.0%} of the kernel alone ({cpu_alone * 1e3:.1f} ms)"
    )
    print("targets: fused <= 0.5x the bare floor (0.35x stretch); checks <= 10% of the kernel")


if __name__ == "__main__":
    main()
