"""monthly_cost on many scenarios against the bare numpy floor, measured in one run.

The floor is the cheapest possible expression of Lambda's price on the same arrays,
``mem/1024 * dur/1000 * req * rate + req * req_rate`` (no rounding, tiers, free tier or
checks). Target: monthly_cost <= 3x the floor. Both are timed alternately and
the median of the per-pair ratios is printed, so a noisy machine moves both alike.

    python benchmarks/bench_monthly_cost.py            # 10 million scenarios
    python benchmarks/bench_monthly_cost.py --quick    # 1 million
"""

import argparse
import statistics
import time

import numpy as np

import lambdacost


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

    def floor():
        return memory / 1024 * duration / 1000 * requests * rate + requests * request_rate

    def model():
        return lambdacost.monthly_cost(memory, duration, requests, as_of="2026-11-01")

    model(), floor()  # warm-up: page in the arrays and the price sheet
    ratios, floors, models = [], [], []
    for _ in range(args.repeat):
        start = time.perf_counter()
        floor()
        middle = time.perf_counter()
        model()
        end = time.perf_counter()
        floors.append(middle - start)
        models.append(end - middle)
        ratios.append((end - middle) / (middle - start))
    print(f"scenarios: {n:,}, runs: {args.repeat}")
    print(f"numpy floor    median {statistics.median(floors) * 1e3:8.1f} ms")
    print(f"monthly_cost   median {statistics.median(models) * 1e3:8.1f} ms")
    print(
        f"ratio monthly_cost / floor: median {statistics.median(ratios):.2f}x (min {min(ratios):.2f}, max {max(ratios):.2f}); target <= 3x"
    )


if __name__ == "__main__":
    main()
