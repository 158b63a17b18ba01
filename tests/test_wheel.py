"""Build the wheel, install it in a fresh virtual environment, run the CLI from there."""

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_wheel_installs_and_prices_from_its_own_copy_of_pricing(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(tmp_path / "dist"), str(ROOT)],
        check=True,
        capture_output=True,
    )
    wheel = next((tmp_path / "dist").glob("lambdacost-*.whl"))
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    bin_dir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    subprocess.run([bin_dir / "python", "-m", "pip", "install", "-q", str(wheel)], check=True, capture_output=True)
    # Run from an empty folder, without PYTHONPATH or a pricing directory from the caller, so
    # neither the source tree nor its sheets can be picked up by accident.
    env = {k: v for k, v in os.environ.items() if k not in ("LAMBDACOST_PRICING_DIR", "PYTHONPATH")}
    out = subprocess.run(
        [
            bin_dir / "lambdacost",
            "estimate",
            "--memory",
            "512",
            "--ms",
            "120",
            "--requests",
            "5M",
            "--as-of",
            "2026-11-01",
            "--json",
        ],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
    )
    data = json.loads(out.stdout)
    assert round(data["total_cost"], 2) == 0.80
    where = subprocess.run(
        [bin_dir / "python", "-c", "from lambdacost.prices import packaged_pricing_dir as p; print(p())"],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
    ).stdout.strip()
    assert where.startswith(str(env_dir)) and where.endswith(os.path.join("lambdacost", "pricing"))
    # Log parsing needs only what the wheel declares (Arrow, the compiled scanner): no extras.
    log = tmp_path / "orders.log"
    log.write_bytes((ROOT / "tests" / "data" / "logs" / "orders-text.log").read_bytes())
    out = subprocess.run(
        [bin_dir / "lambdacost", "logs", str(log), "--json"],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
    )
    assert json.loads(out.stdout)["functions"][0]["invocations"] > 0
