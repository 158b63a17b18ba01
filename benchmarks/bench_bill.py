"""bill() on large organisations: peak memory and time per function, measured in one run.

Each size runs in a fresh process (so peak memory is its own: ``ru_maxrss`` of the child) on
a fleet of random functions over 4 regions, both architectures, some with Provisioned
Concurrency and cold starts. Target: 100,000 functions in under 1 GiB, and memory and time
per function flat as the fleet grows (linear, not quadratic). The import of lambdacost is
measured alone and shown apart.

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
start = time.perf_counter()
b = bill(fleet, as_of="2026-11-01")
seconds = time.perf_counter() - start
assert np.isfinite(b.total_usd) and len(b.functions) == n
peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"n": n, "seconds": seconds, "peak_mib": peak_kib / 1024, "import_mib": base_kib / 1024}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="stop at 10,000 functions")
    args = parser.parse_args()
    sizes = (1_000, 10_000) if args.quick else (1_000, 10_000, 100_000)
    print(f"{'functions':>10}  {'bill s':>8}  {'us/function':>11}  {'peak MiB':>9}  {'KiB/function':>12}")
    rows = []
    for n in sizes:
        out = subprocess.run([sys.executable, "-c", CHILD, str(n)], capture_output=True, text=True, check=True)
        r = json.loads(out.stdout)
        rows.append(r)
        per_kib = (r["peak_mib"] - r["import_mib"]) * 1024 / n
        print(
            f"{n:>10,}  {r['seconds']:>8.2f}  {r['seconds'] / n * 1e6:>11.1f}  {r['peak_mib']:>9.0f}  {per_kib:>12.2f}"
        )
    first, last = rows[0], rows[-1]
    growth = (last["seconds"] / last["n"]) / (first["seconds"] / first["n"])
    print(f"time per function, {last['n']:,} vs {first['n']:,}: {growth:.2f}x (1.0 = linear)")
    print(f"peak memory at {last['n']:,} functions: {last['peak_mib']:.0f} MiB (target < 1024 MiB)")


if __name__ == "__main__":
    main()
