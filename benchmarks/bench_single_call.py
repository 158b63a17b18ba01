"""One estimate() and one scalar monthly_cost() call against a pure-Python floor of the same arithmetic.

The peer named in the issue (zmynx/aws-lambda-calculator) is not on PyPI (``pip download
aws-lambda-calculator`` finds no distribution), so it cannot be installed here; the floor is
a hand-written pure-Python function doing the same arithmetic on plain floats (billed ms
rounded up, three volume tiers with the free GB-s taken off first, free requests) with the
rates inlined: no checks, no price sheet, no result object. The three run alternately in
rounds; medians of per-round times and of ratios are printed, CPU time beside wall.
Targets (issue: fast everywhere): estimate() <= 40 us on this machine, scalar monthly_cost()
< 20 us; read them against the floor, which moves with the machine's load.

    python benchmarks/bench_single_call.py [--repeat 15] [--number 2000]
"""

import argparse
import math
import statistics
import time

import lambdacost

TIERS = ((0.0, 0.0000166667), (6e9, 0.000015), (15e9, 0.0000133334))  # x86_64 us-east-1


def floor(memory_mb, duration_ms, requests):
    """The same price in plain Python: the least any scalar calculator can do."""
    gbs = memory_mb / 1024 * math.ceil(duration_ms) / 1000 * requests
    billable = max(gbs - 400_000.0, 0.0)
    usd = 0.0
    for k, (start, rate) in enumerate(TIERS):
        end = TIERS[k + 1][0] if k + 1 < len(TIERS) else math.inf
        usd += min(max(billable - start, 0.0), end - start) * rate
    return usd + max(requests - 1e6, 0.0) * 0.2e-6


def per_call(fn, number):
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(number):
        fn()
    return (time.perf_counter() - wall) / number, (time.process_time() - cpu) / number


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--number", type=int, default=2000)
    args = parser.parse_args()
    cases = {
        "pure-Python floor": lambda: floor(1536.0, 120.0, 3e6),
        "estimate()": lambda: lambdacost.estimate(memory_mb=1536, duration_ms=120, requests=3e6, as_of="2026-11-01"),
        "monthly_cost(scalar)": lambda: lambdacost.monthly_cost(1536, 120, 3e6, as_of="2026-11-01"),
    }
    a = round(cases["pure-Python floor"](), 9)
    b = round(cases["monthly_cost(scalar)"](), 9)
    c = round(cases["estimate()"]().total_usd, 9)
    assert a == b == c, (a, b, c)
    runs = {name: [] for name in cases}
    for _ in range(args.repeat):
        for name, fn in cases.items():
            runs[name].append(per_call(fn, args.number))
    floor_wall = [w for w, _ in runs["pure-Python floor"]]
    print(f"calls: {args.repeat} rounds x {args.number}; same total ${a}")
    for name, times in runs.items():
        walls, cpus = [w for w, _ in times], [c for _, c in times]
        ratios = [w / f for w, f in zip(walls, floor_wall)]
        print(
            f"{name:22s} wall median {statistics.median(walls) * 1e6:7.1f} us, cpu {statistics.median(cpus) * 1e6:7.1f} us"
            f"   / floor: median {statistics.median(ratios):6.1f}x"
        )
    print("targets: estimate() <= 40 us, scalar monthly_cost() < 20 us")


if __name__ == "__main__":
    main()
