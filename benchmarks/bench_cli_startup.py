"""`lambdacost` commands' whole-process wall time against `python -c "import numpy, typer"`.

Targets: ``estimate`` <= 1.25x, ``compare`` and ``sweep`` with text output <= 2x,
``--help`` <= 1.5x. Each round runs every command once, each between two runs of the floor
(floor, command, floor, command, ..., floor); a command's ratio in a round is its time over the
mean of the two floor runs beside it, so that a load that comes and goes on a shared machine
moves both alike. The median of the per-round ratios is printed, for wall time and for CPU time
(user + system of the child process), which a loaded machine moves less.

The commands read the packaged price sheet's PriceBook from a cache folder of their own (made
by the warm-up run, as a user's first run makes theirs). ``estimate, no cache`` is ``estimate``
with a cache folder that cannot be made: the sheet parsed on every run, as on the first run
after an install or a change of the sheet; it has no target and is shown for what the cache saves.

    python benchmarks/bench_cli_startup.py [--repeat 15]
"""

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COMMANDS = {
    "estimate": (["estimate", "--memory", "512", "--ms", "120", "--requests", "1e6"], 1.25),
    "compare": (["compare", "--memory", "512", "--ms", "120", "--rps", "10"], 2.0),
    "sweep": (["sweep", "--memory", "128,512,1024", "--ms", "120", "--requests", "1e6"], 2.0),
    "--help": (["--help"], 1.5),
    "estimate, no cache": (["estimate", "--memory", "512", "--ms", "120", "--requests", "1e6"], None),
}
CACHE_DIR_ENV = "LAMBDACOST_CACHE_DIR"


def wall(command: list[str], env: dict | None = None) -> tuple[float, float]:
    """Wall and CPU (user + system of the child, to the microsecond) seconds of one whole process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    exe = shutil.which("lambdacost")
    cli = [exe] if exe else [sys.executable, "-m", "lambdacost"]
    floor = [sys.executable, "-c", "import numpy, typer"]
    # pip compiles an installed package's bytecode, as it did numpy's and typer's; a source
    # checkout (or PYTHONDONTWRITEBYTECODE) would otherwise recompile lambdacost on every run.
    import lambdacost

    subprocess.run([sys.executable, "-m", "compileall", "-q", os.path.dirname(lambdacost.__file__)], check=True)
    commands = {name: cli + argv for name, (argv, _) in COMMANDS.items()}
    scratch = Path(tempfile.mkdtemp(prefix="bench-cli-startup-"))
    (scratch / "a file").write_text("")
    cached = {**os.environ, CACHE_DIR_ENV: str(scratch / "cache")}
    uncached = {**os.environ, CACHE_DIR_ENV: str(scratch / "a file" / "cache")}  # cannot be made
    envs = {name: uncached if "no cache" in name else cached for name in commands}
    for name, command in [("floor", floor), *commands.items()]:  # warm the file cache and the sheet cache
        wall(command, envs.get(name))
    rounds = []
    for _ in range(args.repeat):
        floors, runs = [wall(floor)], {}
        for name, command in commands.items():
            runs[name] = wall(command, envs[name])
            floors.append(wall(floor))
        rounds.append((floors, runs))
    shutil.rmtree(scratch)
    print(f"runs: {args.repeat}")
    every_floor = [f for floors, _ in rounds for f in floors]
    print(
        f"import numpy, typer           median wall {statistics.median(f[0] for f in every_floor) * 1e3:7.1f} ms, "
        f"cpu {statistics.median(f[1] for f in every_floor) * 1e3:7.1f} ms"
    )
    for index, (name, (_, target)) in enumerate(COMMANDS.items()):
        ratios, cpu_ratios = [], []
        for floors, runs in rounds:
            beside = floors[index : index + 2]  # the floor runs just before and just after
            ratios.append(runs[name][0] / statistics.mean(f[0] for f in beside))
            cpu_ratios.append(runs[name][1] / statistics.mean(f[1] for f in beside))
        print(
            f"lambdacost {name:18s} median wall {statistics.median(r[name][0] for _, r in rounds) * 1e3:7.1f} ms, "
            f"cpu {statistics.median(r[name][1] for _, r in rounds) * 1e3:7.1f} ms; ratio median "
            f"{statistics.median(ratios):.2f}x (min {min(ratios):.2f}, max {max(ratios):.2f}), cpu "
            f"{statistics.median(cpu_ratios):.2f}x; " + (f"target <= {target}x" if target else "no target")
        )


if __name__ == "__main__":
    main()
