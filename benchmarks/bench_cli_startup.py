"""`lambdacost estimate` whole-process wall time against `python -c "import numpy, typer"`.

Target: <= 1.5x. The two commands run alternately; the median of the per-pair
ratios is printed.

    python benchmarks/bench_cli_startup.py [--repeat 15]
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time


def wall(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    exe = shutil.which("lambdacost")
    cli = [exe] if exe else [sys.executable, "-m", "lambdacost"]
    cli += ["estimate", "--memory", "512", "--ms", "120", "--requests", "1e6"]
    floor = [sys.executable, "-c", "import numpy, typer"]
    # pip compiles an installed package's bytecode, as it did numpy's and typer's; a source
    # checkout (or PYTHONDONTWRITEBYTECODE) would otherwise recompile lambdacost on every run.
    import lambdacost

    subprocess.run([sys.executable, "-m", "compileall", "-q", os.path.dirname(lambdacost.__file__)], check=True)
    wall(cli), wall(floor)  # warm the file cache
    pairs = [(wall(cli), wall(floor)) for _ in range(args.repeat)]
    ratios = [a / b for a, b in pairs]
    print(f"runs: {args.repeat}")
    print(f"lambdacost estimate     median {statistics.median(a for a, _ in pairs) * 1e3:7.1f} ms")
    print(f"import numpy, typer     median {statistics.median(b for _, b in pairs) * 1e3:7.1f} ms")
    print(
        f"ratio: median {statistics.median(ratios):.2f}x (min {min(ratios):.2f}, max {max(ratios):.2f}); target <= 1.5x"
    )


if __name__ == "__main__":
    main()
