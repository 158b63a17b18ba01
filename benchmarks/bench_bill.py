"""bill() on large organisations: peak memory and time per function, measured in one run.

Each size runs in a fresh process (so peak memory is its own: ``ru_maxrss`` of the child) on
a fleet of random functions over 4 regions, both architectures, some with Provisioned
Concurrency and cold starts. Target: 100,000 functions in under 1 GiB, and memory and time
per function flat as the fleet grows (linear, not quadratic). The import of lambdacost is
measured alone and shown apart. CPU time is printed beside wall time, and each size also times
a floor in the same process: the fleet's on-demand price in plain numpy from the same records
(billed ms rounded up, cold starts ceil(duration + INIT), GB-s per region and architecture, one
free tier, the volume tiers; Provisioned Concurrency priced as on-demand, no checks, no
per-function results), the least any bill of these records must do.

    python benchmarks/bench_bill.py            # 1,000 / 10,000 / 100,000 functions
    python benchmarks/bench_bill.py --quick    # 1,000 / 10,000
"""

import argparse
import json
import subprocess
import sys

CHILD = r"""
import json, resource, sys, time
import numpy as np
n = int(sys.argv[1])
import lambdacost
from lambdacost.bills import bill
base_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
rng = np.random.default_rng(0)
regions = ["us-east-1", "eu-west-1", "ap-southeast-2", "us-west-2"]
fleet = [
    {
        "name": f"f{i}",
        "memory_mb": int(rng.integers(128, 10241)),
        "duration_ms": float(rng.uniform(1, 5000)),
        "requests": float(rng.uniform(0, 1e8)),
        "arch": ["x86_64", "arm64"][i % 2],
        "region": regions[i % 4],
        "cold_start_rate": 0.01,
        "init_duration_ms": 300.0,
        "provisioned_concurrency": 2 if i % 10 == 0 else 0,
    }
    for i in range(n)
]
start, cpu = time.perf_counter(), time.process_time()
b = bill(fleet, as_of="2026-11-01")
seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
assert np.isfinite(b.total_cost) and len(b.functions) == n
peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

# The floor: the same fleet's on-demand price in plain numpy, from the records (Provisioned
# Concurrency priced as on-demand): billed ms rounded up (cold starts ceil(duration + INIT)),
# GB-s summed per (region, architecture), the free GB-s and requests taken off once for the
# account, the three volume tiers per group. No checks, no per-function results.
from datetime import date
from lambdacost.prices import default_pricebook
book = default_pricebook()
pairs = sorted({(f["region"], f["arch"]) for f in fleet})
rates = {p: book.rates(p[0], p[1], date(2026, 11, 1)) for p in pairs}
def floor():
    memory = np.array([f["memory_mb"] for f in fleet], dtype=float)
    duration = np.array([f["duration_ms"] for f in fleet])
    requests = np.array([f["requests"] for f in fleet])
    cold = np.array([f["cold_start_rate"] for f in fleet]) * requests
    init = np.array([f["init_duration_ms"] for f in fleet])
    group = np.array([pairs.index((f["region"], f["arch"])) for f in fleet])
    ms = np.ceil(duration) * (requests - cold) + np.ceil(duration + init) * cold
    gbs = np.bincount(group, memory * ms / 1_024_000.0, len(pairs))
    free = book.free_tier.gb_seconds
    usd = max(requests.sum() - book.free_tier.requests, 0.0) * 0.2e-6
    for k, p in enumerate(pairs):
        billable = max(gbs[k] - free, 0.0)
        free = max(free - gbs[k], 0.0)
        starts, tier_rates = rates[p].tier_from_gb_seconds, rates[p].tier_per_gb_second
        for t, rate in enumerate(tier_rates):
            end = starts[t + 1] if t + 1 < len(starts) else np.inf
            usd += min(max(billable - starts[t], 0.0), end - starts[t]) * rate
    return usd
floor_times = []
for _ in range(3):
    wall, cpu = time.perf_counter(), time.process_time()
    floor()
    floor_times.append((time.perf_counter() - wall, time.process_time() - cpu))
floor_wall, floor_cpu = min(floor_times)
print(json.dumps({"n": n, "seconds": seconds, "cpu_seconds": cpu_seconds, "floor_seconds": floor_wall,
                  "floor_cpu_seconds": floor_cpu, "peak_mib": peak_kib / 1024, "import_mib": base_kib / 1024}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="stop at 10,000 functions")
    args = parser.parse_args()
    sizes = (1_000, 10_000) if args.quick else (1_000, 10_000, 100_000)
    print(
        f"{'functions':>10}  {'bill s':>8}  {'cpu s':>7}  {'us/function':>11}  {'floor us/fn':>11}  {'/ floor':>7}  "
        f"{'peak MiB':>9}  {'KiB/function':>12}"
    )
    rows = []
    for n in sizes:
        out = subprocess.run([sys.executable, "-c", CHILD, str(n)], capture_output=True, text=True, check=True)
        r = json.loads(out.stdout)
        rows.append(r)
        per_kib = (r["peak_mib"] - r["import_mib"]) * 1024 / n
        print(
            f"{n:>10,}  {r['seconds']:>8.2f}  {r['cpu_seconds']:>7.2f}  {r['seconds'] / n * 1e6:>11.1f}  "
            f"{r['floor_seconds'] / n * 1e6:>11.2f}  {r['seconds'] / r['floor_seconds']:>6.0f}x  "
            f"{r['peak_mib']:>9.0f}  {per_kib:>12.2f}"
        )
    first, last = rows[0], rows[-1]
    growth = (last["seconds"] / last["n"]) / (first["seconds"] / first["n"])
    print(f"time per function, {last['n']:,} vs {first['n']:,}: {growth:.2f}x (1.0 = linear)")
    print(f"peak memory at {last['n']:,} functions: {last['peak_mib']:.0f} MiB (target < 1024 MiB)")


if __name__ == "__main__":
    main()
