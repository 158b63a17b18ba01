"""monthly_cost on many scenarios, fused kernel and numpy engine path, against the bare numpy floor.

The floor is the cheapest possible expression of Lambda's price on the same arrays,
``mem/1024 * dur/1000 * req * rate + req * req_rate`` (no rounding, tiers, free tier or
checks). ``monthly_cost`` runs its fused numba kernel (checks in the same pass) on these
inputs; the numpy engine path is what it runs without numba (forced here by raising
``lambdacost.monthly.FUSED_MIN_SIZE``). The three are timed alternately, and the median of the
per-round ratios is printed, so a noisy machine moves all alike; CPU time (all threads) is
printed beside wall time. Targets (issue: fast everywhere): fused <= 0.5x the floor (0.35x
stretch), checks <= 10% of the fused pass.

    python benchmarks/bench_monthly_cost.py            # 10 million scenarios
    python benchmarks/bench_monthly_cost.py --quick    # 1 million
"""

import argparse
import statistics
import sys
import time

import numpy as np

import lambdacost
from lambdacost import monthly


def timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1 million scenarios instead of 10 million")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    n = 1_000_000 if args.quick else 10_000_000
    rng = np.random.default_rng(0)
    memory = rng.integers(128, 10241, n).astype(float)
    duration = rng.uniform(1, 900_000, n)
    requests = rng.uniform(0, 1e8, n)
    rate, request_rate = 0.0000166667, 0.2e-6
    fused_min = monthly.FUSED_MIN_SIZE

    def floor():
        return memory / 1024 * duration / 1000 * requests * rate + requests * request_rate

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
    same = np.array_equal(fused(), numpy_path())  # also the warm-up: arrays paged in, kernel loaded
    floor()
    names = ("numpy floor", "numpy engine path", "fused kernel")
    runs = {name: [] for name in names}
    for _ in range(args.repeat):
        for name, fn in zip(names, (floor, numpy_path, fused)):
            runs[name].append(timed(fn)[:2])
    print(f"scenarios: {n:,}, runs: {args.repeat}, fused == numpy path bit for bit: {same}")
    floor_wall = [w for w, _ in runs["numpy floor"]]
    for name in names:
        walls, cpus = [w for w, _ in runs[name]], [c for _, c in runs[name]]
        ratios = [w / f for w, f in zip(walls, floor_wall)]
        print(
            f"{name:18s} wall median {statistics.median(walls) * 1e3:8.1f} ms, cpu {statistics.median(cpus) * 1e3:8.1f} ms"
            f"   / floor: median {statistics.median(ratios):.2f}x (min {min(ratios):.2f}, max {max(ratios):.2f})"
        )
    checks = {name: [] for name in ("kernel alone", "kernel checked", "call checks")}
    for _ in range(args.repeat):
        for name, fn in zip(checks, (kernel_alone, kernel_checked, call_checks)):
            checks[name].append(timed(fn)[0])
    alone = statistics.median(checks["kernel alone"])
    in_kernel = statistics.median([c - a for c, a in zip(checks["kernel checked"], checks["kernel alone"])])
    in_python = statistics.median(checks["call checks"])
    print(
        f"checks: {in_kernel * 1e3:.1f} ms in the kernel + {in_python * 1e3:.2f} ms in check_scenario = "
        f"{(in_kernel + in_python) / alone:.0%} of the kernel alone ({alone * 1e3:.1f} ms); target <= 10%"
    )
    print("targets: fused <= 0.5x the floor (0.35x stretch)")


if __name__ == "__main__":
    main()
