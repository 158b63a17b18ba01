"""One estimate() and one scalar monthly_cost() call, beside the peer's calculate() and a pure-Python floor.

The peer is aws-lambda-calculator (https://github.com/zmynx/aws-lambda-calculator), a pure-Python
calculator that validates its inputs with pydantic and reads its region's rates from a JSON file
on every call. It is not on PyPI and is never a dependency of lambdacost: install it from its
source into a separate virtual environment and give that interpreter to this script::

    git clone https://github.com/zmynx/aws-lambda-calculator /tmp/peer-src
    git -C /tmp/peer-src rev-parse HEAD                 # the commit, for --peer-commit
    python3 -m venv /tmp/peer-venv
    /tmp/peer-venv/bin/pip install /tmp/peer-src/aws-lambda-calculator   # its pyproject asks for
                                                        # Python >= 3.12; on 3.11 add --ignore-requires-python
    python benchmarks/bench_single_call.py --peer-python /tmp/peer-venv/bin/python --peer-commit <sha>

(or set ``LAMBDACOST_BENCH_PEER_PYTHON`` and ``LAMBDACOST_BENCH_PEER_COMMIT``). Without it the
peer's line says it was skipped. The peer runs in its own process, a round of its calls between
rounds of ours, so all share the machine's load; its answer for the same scenario is checked
against ours before timing.

The floor is the same price in plain Python floats with the rates inlined: billed ms rounded up
(ceil to 1 ms), the three volume tiers with the free GB-s taken off first, the free requests; no
checks, no price sheet, no result object. Medians of per-round times and of per-round ratios are
printed, CPU time beside wall. Targets (issue: fast everywhere): estimate() <= 0.8x the peer's
calculate() (30 us stretch), scalar monthly_cost() < 20 us.

    python benchmarks/bench_single_call.py [--repeat 15] [--number 2000] [--peer-python PATH]
"""

import argparse
import json
import math
import os
import platform
import statistics
import subprocess
import time

import lambdacost

TIERS = ((0.0, 0.0000166667), (6e9, 0.000015), (15e9, 0.0000133334))  # x86_64 us-east-1

PEER = r"""
import json, sys, time
import aws_lambda_calculator as peer

def call():
    return peer.calculate(
        region="us-east-1", architecture="x86", number_of_requests=3_000_000, request_unit="per month",
        duration_of_each_request_in_ms=120, memory=1536, memory_unit="MB", ephemeral_storage=512,
        storage_unit="MB", include_free_tier=True,
    )

number = int(sys.argv[1])
print(json.dumps({"total": call().total_cost, "python": sys.version.split()[0]}), flush=True)
for line in sys.stdin:
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(number):
        call()
    print(json.dumps([(time.perf_counter() - wall) / number, (time.process_time() - cpu) / number]), flush=True)
"""


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


class Peer:
    """The peer's calculate() timed in its own interpreter, one round per :meth:`round`."""

    def __init__(self, python: str, number: int):
        self.process = subprocess.Popen(
            [python, "-c", PEER, str(number)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        hello = json.loads(self.process.stdout.readline())
        self.total, self.python = hello["total"], hello["python"]

    def round(self) -> tuple[float, float]:
        self.process.stdin.write("go\n")
        self.process.stdin.flush()
        wall, cpu = json.loads(self.process.stdout.readline())
        return wall, cpu

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--number", type=int, default=2000)
    parser.add_argument(
        "--peer-python",
        default=os.environ.get("LAMBDACOST_BENCH_PEER_PYTHON"),
        help="interpreter with aws-lambda-calculator installed ($LAMBDACOST_BENCH_PEER_PYTHON)",
    )
    parser.add_argument(
        "--peer-commit",
        default=os.environ.get("LAMBDACOST_BENCH_PEER_COMMIT"),
        help="the peer's git commit, printed with its figures ($LAMBDACOST_BENCH_PEER_COMMIT)",
    )
    args = parser.parse_args()
    cases = {
        "pure-Python floor": lambda: floor(1536.0, 120.0, 3e6),
        "estimate()": lambda: lambdacost.estimate(memory_mb=1536, duration_ms=120, requests=3e6, as_of="2026-11-01"),
        "monthly_cost(scalar)": lambda: lambdacost.monthly_cost(1536, 120, 3e6, as_of="2026-11-01"),
    }
    a = round(cases["pure-Python floor"](), 9)
    b = round(cases["monthly_cost(scalar)"](), 9)
    c = round(cases["estimate()"]().total_cost, 9)
    assert a == b == c, (a, b, c)
    peer = None
    if args.peer_python and os.path.exists(args.peer_python):
        peer = Peer(args.peer_python, args.number)
        assert round(peer.total, 9) == a, (peer.total, a)
    runs = {name: [] for name in cases}
    peer_runs = []
    for _ in range(args.repeat):
        for name, fn in cases.items():
            runs[name].append(per_call(fn, args.number))
        if peer is not None:
            peer_runs.append(peer.round())
    if peer is not None:
        peer.close()
    print(f"calls: {args.repeat} rounds x {args.number}; same total ${a}; Python {platform.python_version()}")
    floor_wall = [w for w, _ in runs["pure-Python floor"]]
    peer_wall, peer_cpu = [w for w, _ in peer_runs], [c for _, c in peer_runs]
    if peer is not None:
        runs["peer calculate()"] = peer_runs

    for name, times in runs.items():
        walls, cpus = [w for w, _ in times], [c for _, c in times]
        ratios = [w / f for w, f in zip(walls, floor_wall)]
        line = (
            f"{name:22s} wall median {statistics.median(walls) * 1e6:7.1f} us, cpu {statistics.median(cpus) * 1e6:7.1f} us"
            f"   / floor: median {statistics.median(ratios):6.1f}x"
        )
        if peer is not None:
            line += (
                f"   / peer: median {statistics.median(w / p for w, p in zip(walls, peer_wall)):5.2f}x"
                f" (cpu {statistics.median(c / p for c, p in zip(cpus, peer_cpu)):5.2f}x)"
            )
        print(line)
    if peer is not None:
        print(
            f"peer: aws-lambda-calculator at commit {args.peer_commit or '(not given: --peer-commit)'}, "
            f"Python {peer.python}, its own process"
        )
    else:
        print(
            "peer calculate()       skipped: no --peer-python (or $LAMBDACOST_BENCH_PEER_PYTHON) with "
            "aws-lambda-calculator installed; see this script's docstring"
        )
    print("targets: estimate() <= 0.8x the peer's calculate() (30 us stretch), scalar monthly_cost() < 20 us")


if __name__ == "__main__":
    main()
