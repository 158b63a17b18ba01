"""Plot helpers on the Agg backend: what is drawn, axis labels with units, `ax` honoured."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import lambdacost
from lambdacost import InvalidParameterError, plot

NOW = "2026-11-01"


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_breakdown_stacks_charges_up_and_free_tier_down():
    e = lambdacost.estimate(1536, 120, 3e6, ephemeral_storage_mb=2048, as_of=NOW)
    fig, ax = plt.subplots()
    assert plot.breakdown(e, ax=ax) is ax
    heights = sorted(round(p.get_height(), 6) for p in ax.patches)
    assert heights == sorted(round(i.cost_usd, 6) for i in e.line_items)
    assert min(p.get_y() + min(p.get_height(), 0) for p in ax.patches) == pytest.approx(-0.20 - 400_000 * 0.0000166667)
    total = [c for c in ax.collections if c.get_label().startswith("total")][0]
    assert total.get_segments()[0][0][1] == pytest.approx(e.total_usd)
    assert ax.get_ylabel() == "Monthly cost [USD]"


def test_cost_surface_heatmap_and_contours():
    frame = lambdacost.sweep([128, 512, 1024, 2048], [50, 100, 200, 400], 1e7, as_of=NOW)
    ax = plot.cost_surface(frame)
    mesh = ax.collections[0]
    assert mesh.get_array().shape == (4, 4)
    assert mesh.get_array().max() == pytest.approx(frame["cost_usd"].max())
    assert ax.get_xlabel() == "Memory [MB]" and ax.get_ylabel() == "Duration [ms]"
    assert len(ax.collections) > 1  # iso-cost contours


def test_regions_sorted_cheapest_first_with_one_bar_per_arch():
    frame = lambdacost.sweep(
        1024, 200, 5e7, arch=["x86_64", "arm64"], region=["ap-east-1", "us-east-1", "eu-south-1"], as_of=NOW
    )
    ax = plot.regions(frame)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["us-east-1", "eu-south-1", "ap-east-1"]
    assert len(ax.patches) == 6
    assert ax.get_xlabel() == "Monthly cost [USD]"


def test_memory_curve_marks_the_recommendation():
    tuned = lambdacost.tune(
        5e6, duration_ms=800, measured_memory_mb=1024, cpu_share=0.7, memory_mb=[128, 512, 1024, 2048]
    )
    ax = plot.memory_curve(tuned.table)
    cost_lines = [line for line in ax.get_lines() if line.get_label().endswith("cost")]
    assert len(cost_lines) == 2 and len(ax.right_ax.get_lines()) == 2
    star = [line for line in ax.get_lines() if line.get_label().startswith("recommended")][0]
    best = tuned.table[tuned.table["recommended"]]
    np.testing.assert_allclose(star.get_xdata(), best["memory_mb"])
    assert ax.get_xlabel() == "Memory [MB]" and ax.right_ax.get_ylabel() == "Duration [ms]"
    with pytest.raises(InvalidParameterError, match=r"frame must be one row per \(memory_mb, arch\)"):
        plot.memory_curve(pd.concat([tuned.table, tuned.table]))


def test_paas_vs_serverless_marks_the_computed_breakeven():
    workload = lambdacost.Workload(512, 120)
    result = lambdacost.compare(workload, ["ec2:t4g.small"])
    ax = plot.paas_vs_serverless(result)
    crossing = lambdacost.breakeven(workload, "ec2:t4g.small")
    markers = [c for c in ax.collections if c.get_label() == "break-even"][0].get_offsets()
    assert markers[0][0] == pytest.approx(crossing.crossings[0].requests_per_month, rel=1e-9)
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"


FLEET = str(__import__("pathlib").Path(__file__).parent / "data" / "fleets" / "basic.toml")


@pytest.mark.parametrize(
    "args",
    [
        ["estimate", "-m", "1536", "-d", "120", "-r", "3M"],
        ["bill", FLEET],
        ["sweep", "--memory", "128:1024:128", "--ms", "50:400:50", "--requests", "1e7"],
        ["sweep", "--memory", "128:1024:128", "--ms", "100", "--requests", "1e7", "--arch", "x86_64,arm64"],
        ["tune", "--ms", "800@1024", "--cpu-share", "0.7", "--requests", "5M", "--memory", "128:2048:64"],
        ["compare", "--memory", "512", "--ms", "120", "--rps", "20", "--against", "ec2:t4g.small"],
    ],
    ids=["estimate", "bill", "sweep-surface", "sweep-memory", "tune", "compare"],
)
@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_cli_plot_writes_a_chart(tmp_path, args, suffix):
    from typer.testing import CliRunner

    from lambdacost.cli import app

    target = tmp_path / f"chart{suffix}"
    result = CliRunner().invoke(app, [*args, "--plot", str(target)])
    assert result.exit_code == 0, result.output
    head = target.read_bytes()[:8]
    assert head.startswith(b"\x89PNG") if suffix == ".png" else b"<?xml" in head or head.startswith(b"<svg")
    assert target.stat().st_size > 5000


def test_cli_plot_bad_suffix_and_unplottable_sweep(tmp_path):
    from typer.testing import CliRunner

    from lambdacost.cli import app

    runner = CliRunner()
    bad = runner.invoke(app, ["estimate", "-m", "512", "-d", "1", "-r", "1", "--plot", str(tmp_path / "x.pdf")])
    assert bad.exit_code == 2 and bad.output.startswith(
        "Error: Invalid value for '--plot': the file must end in .png or .svg"
    )
    mixed = runner.invoke(
        app, ["sweep", "--memory", "128,256", "--ms", "100", "--requests", "1e6,1e7", "--plot", str(tmp_path / "x.png")]
    )
    assert mixed.exit_code == 2 and "these vary: memory_mb, requests" in mixed.output
    assert not (tmp_path / "x.png").exists()
