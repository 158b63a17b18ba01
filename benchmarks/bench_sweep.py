"""Benchmark sweeps: ratios measured in one run, printed (never asserted).

1. ``sweep`` of 9.9 million scenarios (full model: tiers, free tier, requests, storage; the
   tidy DataFrame built) against the numpy floor: the same model written as plain numpy
   expressions (billed ms rounded up, the free GB-s off before the tiers, free requests,
   storage) over the same scenarios already laid out as flat arrays (the time to build those
   arrays is not counted), whole-array and in cache-sized blocks. All run alternately; wall
   and CPU medians and the median per-round ratios are printed. Target: ratio <= 3.
2. Peak memory of a chunked reduction (``sweep(..., reduce="min", by="arch")``) over 100
   million scenarios, measured as the peak resident size (``VmHWM``, the same quantity as
   ``ru_maxrss`` but not inherited from the parent) of a fresh subprocess. Target: <= 1 GiB.
3. A scalar loop (``estimate()`` per scenario, the way calculators in Python work) against
   the vectorized ``sweep`` on 100,000 scenarios. The loop is timed on a subsample and
   scaled to the full count (it is linear in the scenarios). Target: >= 200x.

Run: ``python benchmarks/bench_sweep.py`` (``--quick``: 1M, 10M and 20,000 scenarios).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time

import numpy as np

AS_OF = "2026-11-01"


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def timed(fn) -> tuple[float, float]:
    """Wall and CPU seconds of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def rounds(cases: dict, repeat: int) -> dict:
    """Each case once per round, in turn, ``repeat`` rounds: {name: [(wall, cpu), ...]}."""
    runs = {name: [] for name in cases}
    for _ in range(repeat):
        for name, fn in cases.items():
            runs[name].append(timed(fn))
    return runs


def medians(times) -> tuple[float, float]:
    return statistics.median(w for w, _ in times), statistics.median(c for _, c in times)


def ratio(times, floor_times) -> float:
    """Median of the per-round wall ratios."""
    return statistics.median(w / f for (w, _), (f, _) in zip(times, floor_times))


def grid_axes(n_requests: int) -> dict:
    """10,113 memory sizes x 5 durations x n requests x 2 arch x 2 storage sizes."""
    return dict(
        memory_mb=np.arange(128, 10241),
        duration_ms=[0.7, 12.0, 120.0, 999.5, 60_000.0],
        requests=np.geomspace(1e3, 1e10, n_requests),
        arch=["x86_64", "arm64"],
        ephemeral_storage_mb=[512, 2048],
        free_tier=True,
    )


def floor_inputs(axes: dict):
    """The scenarios as flat arrays, with each element's rates: the floor's input."""
    from datetime import date

    from lambdacost.prices import default_pricebook

    book = default_pricebook()
    rates = [book.rates("us-east-1", a, date.fromisoformat(AS_OF)) for a in axes["arch"]]
    mesh = np.meshgrid(
        axes["memory_mb"].astype(float),
        axes["duration_ms"],
        axes["requests"],
        np.arange(2),
        axes["ephemeral_storage_mb"],
        indexing="ij",
    )
    memory, duration, requests, arch_index, storage = (np.ascontiguousarray(m.reshape(-1), dtype=float) for m in mesh)
    arch_index = arch_index.astype(np.intp)
    table = {
        "request": np.array([r.per_request for r in rates]),
        "storage": np.array([r.ephemeral_storage_per_gb_second for r in rates]),
        **{f"rate{i}": np.array([r.tier_per_gb_second[i] for r in rates]) for i in range(3)},
        **{f"start{i}": np.array([r.tier_from_gb_seconds[i] for r in rates]) for i in (1, 2)},
    }
    per_element = {name: values[arch_index] for name, values in table.items()}
    return memory, duration, requests, storage, per_element, book.free_tier


def floor(memory, duration, requests, storage, rate, free):
    """The full model as bare numpy over flat arrays: no validation, no DataFrame."""
    billed = np.ceil(duration)
    gbs = memory * billed * requests / 1_024_000.0
    billable = np.maximum(gbs - free.gb_seconds, 0)  # the free GB-s come off before the tiers
    compute = billable * rate["rate0"]
    compute += np.maximum(billable - rate["start1"], 0) * (rate["rate1"] - rate["rate0"])
    compute += np.maximum(billable - rate["start2"], 0) * (rate["rate2"] - rate["rate1"])
    total = compute + np.maximum(requests - free.requests, 0) * rate["request"]
    total += np.maximum(storage - 512.0, 0) * billed * requests / 1_024_000.0 * rate["storage"]
    return total


#: Rows of a block of the blocked floor: its temporaries stay in cache.
BLOCK = 1 << 13


def blocked_floor(memory, duration, requests, storage, rate, free):
    """:func:`floor` evaluated block by block (the per-element rates sliced alike)."""
    out = np.empty(memory.size)
    for start in range(0, memory.size, BLOCK):
        part = slice(start, start + BLOCK)
        out[part] = floor(
            memory[part], duration[part], requests[part], storage[part], {k: v[part] for k, v in rate.items()}, free
        )
    return out


def bench_floor(n_requests: int, repeat: int):
    from lambdacost.sweeps import cost_grid, sweep

    axes = grid_axes(n_requests)
    size = np.prod([np.size(v) for v in axes.values()])
    inputs = floor_inputs(axes)
    # same numbers: the floors and the sweep agree
    frame = sweep(**axes, as_of=AS_OF)
    assert np.allclose(frame.cost.to_numpy(), floor(*inputs), rtol=1e-12, atol=1e-12)
    assert np.array_equal(blocked_floor(*inputs), floor(*inputs))
    del frame
    runs = rounds(
        {
            "numpy floor": lambda: floor(*inputs),
            "blocked numpy floor": lambda: blocked_floor(*inputs),
            "sweep (DataFrame)": lambda: sweep(**axes, as_of=AS_OF),
            "cost_grid (no DataFrame)": lambda: cost_grid(**axes, as_of=AS_OF),
        },
        repeat,
    )
    print(f"1. sweep of {size:,} scenarios, {repeat} rounds (median wall, cpu; ratios: medians of per-round ratios)")
    for name, times in runs.items():
        wall, cpu = medians(times)
        print(
            f"   {name:25s} {wall:7.3f} s, cpu {cpu:7.3f} s; / floor {ratio(times, runs['numpy floor']):5.2f}x, "
            f"/ blocked floor {ratio(times, runs['blocked numpy floor']):5.2f}x"
        )
    print("   target: sweep <= 3x the numpy floor")


CHILD = r"""
import json, sys, time
import numpy as np
from lambdacost.sweeps import sweep
from lambdacost.prices import default_pricebook

def peak_kib():
    # VmHWM: this process's peak resident memory. Unlike ru_maxrss it does not inherit
    # the parent's size across fork + exec.
    with open("/proc/self/status") as status:
        return int(next(line for line in status if line.startswith("VmHWM")).split()[1])

n_regions, n_durations = int(sys.argv[1]), int(sys.argv[2])
regions = list(default_pricebook().regions())[:n_regions]
baseline = peak_kib()
axes = dict(memory_mb=np.arange(128, 10241), duration_ms=np.linspace(1, 5000, n_durations),
            requests=np.geomspace(1e3, 1e10, 50), arch=["x86_64", "arm64"], region=regions)
start, cpu = time.perf_counter(), time.process_time()
best = sweep(**axes, as_of="2026-11-01", reduce="min", by="arch")
elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
size = 10113 * n_durations * 50 * 2 * n_regions
print(json.dumps({"size": size, "seconds": elapsed, "cpu_seconds": cpu, "baseline_kib": baseline, "peak_kib": peak_kib(), "rows": len(best)}))
"""


def bench_memory(n_regions: int, n_durations: int):
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(n_regions), str(n_durations)], capture_output=True, text=True, check=True
    )
    result = json.loads(out.stdout)
    peak_mib, base_mib = result["peak_kib"] / 1024, result["baseline_kib"] / 1024
    print(
        f"2. chunked reduction (cheapest per arch) over {result['size']:,} scenarios: {result['seconds']:.1f} s (cpu {result['cpu_seconds']:.1f} s); "
        f"peak RSS {peak_mib:.0f} MiB, of which {base_mib:.0f} MiB before the sweep (Python, numpy, lambdacost); target <= 1024 MiB"
    )


def bench_scalar(n_memory: int, sample: int):
    import lambdacost
    from lambdacost.sweeps import sweep

    axes = dict(
        memory_mb=np.linspace(128, 10240, n_memory).round(),
        duration_ms=np.linspace(1, 2000, 10),
        requests=np.geomspace(1e4, 1e9, 10),
    )
    size = n_memory * 100
    t_vector = best_of(lambda: sweep(**axes, as_of=AS_OF), 3)
    frame = sweep(**axes, as_of=AS_OF)
    rows = frame.sample(sample, random_state=0)
    scenarios = list(zip(rows.memory_mb.tolist(), rows.duration_ms.tolist(), rows.requests.tolist()))

    def loop():
        return [lambdacost.estimate(m, d, r, as_of=AS_OF).total_cost for m, d, r in scenarios]

    loop_wall, loop_cpu = timed(loop)
    scale = size / sample
    _, vector_cpu = timed(lambda: sweep(**axes, as_of=AS_OF))
    assert np.allclose(loop(), rows.cost.to_numpy(), rtol=1e-12)
    print(
        f"3. {size:,} scenarios: estimate() loop {loop_wall * scale:.2f} s, cpu {loop_cpu * scale:.2f} s (timed on "
        f"{sample:,}, scaled x{scale:.0f}); sweep {t_vector:.4f} s (best of 3; cpu {vector_cpu:.4f} s); ratio "
        f"{loop_wall * scale / t_vector:.0f}x (target >= 200x)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small run: 1M, 10M and 20,000 scenarios")
    quick = parser.parse_args().quick
    print(f"numpy {np.__version__}; {'quick' if quick else 'full'} run\n")
    bench_floor(n_requests=5 if quick else 49, repeat=2 if quick else 3)  # 49: under the 10M whole-grid limit
    bench_memory(n_regions=1 if quick else 5, n_durations=2 if quick else 20)
    bench_scalar(n_memory=200 if quick else 1000, sample=1000 if quick else 2000)


if __name__ == "__main__":
    main()
