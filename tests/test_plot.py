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


def _bars_at(ax, x):
    return [p for p in ax.patches if p.get_x() + p.get_width() / 2 == pytest.approx(x)]


def test_breakdown_is_a_waterfall_whose_total_bar_tops_at_the_total():
    e = lambdacost.estimate(1536, 120, 3e6, ephemeral_storage_mb=2048, as_of=NOW)
    fig, ax = plt.subplots()
    assert plot.breakdown(e, ax=ax) is ax
    charges, credits, (total_bar,) = _bars_at(ax, 0), _bars_at(ax, 1), _bars_at(ax, 2)
    costs = [i.cost_usd for i in e.line_items]
    assert sorted(round(p.get_height(), 6) for p in charges + credits) == sorted(round(c, 6) for c in costs)
    gross = sum(c for c in costs if c >= 0)
    assert max(p.get_y() + p.get_height() for p in charges) == pytest.approx(gross)
    assert min(p.get_y() for p in charges) == pytest.approx(0)
    # the credits hang from the charges' top down to the total: nothing below zero
    assert all(p.get_height() < 0 and p.get_hatch() == "//" for p in credits)
    assert max(p.get_y() for p in credits) == pytest.approx(gross)
    assert min(p.get_y() + p.get_height() for p in credits) == pytest.approx(e.total_usd)
    assert total_bar.get_y() == 0 and total_bar.get_height() == pytest.approx(e.total_usd)
    total = [c for c in ax.collections if c.get_label().startswith("total")][0]
    assert total.get_segments()[0][0][1] == pytest.approx(e.total_usd)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["charges", "free tier", "total"]
    assert ax.get_ylabel() == "Monthly cost [USD]"


def test_breakdown_gives_each_of_20_line_items_its_own_colour():
    from types import SimpleNamespace

    from matplotlib.colors import to_hex

    items = [SimpleNamespace(name=f"meter {i}", cost_usd=float(i + 1)) for i in range(19)]
    items.append(SimpleNamespace(name="free tier", cost_usd=-5.0))
    result = SimpleNamespace(line_items=items, total_usd=sum(i.cost_usd for i in items))
    ax = plot.breakdown(result)
    colours = [to_hex(p.get_facecolor()) for p in _bars_at(ax, 0) + _bars_at(ax, 1)]
    assert len(colours) == 20 and len(set(colours)) == 20


def test_cost_surface_heatmap_and_contours():
    frame = lambdacost.sweep([128, 512, 1024, 2048], [50, 100, 200, 400], 1e7, as_of=NOW)
    ax = plot.cost_surface(frame)
    mesh = ax.collections[0]
    assert mesh.get_array().shape == (4, 4)
    assert mesh.get_array().max() == pytest.approx(frame["cost_usd"].max())
    assert ax.get_xlabel() == "Memory [MB]" and ax.get_ylabel() == "Duration [ms]"
    assert len(ax.collections) > 1  # iso-cost contours


def test_regions_sorted_cheapest_first_with_one_bar_per_arch():
    from matplotlib.colors import same_color

    frame = lambdacost.sweep(
        1024, 200, 5e7, arch=["x86_64", "arm64"], region=["ap-east-1", "us-east-1", "eu-south-1"], as_of=NOW
    )
    ax = plot.regions(frame)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["us-east-1", "eu-south-1", "ap-east-1"]
    assert len(ax.patches) == 6
    assert ax.get_xlabel() == "Monthly cost [USD]"
    handles, labels = ax.get_legend_handles_labels()
    for handle, label in zip(handles, labels):
        assert same_color(handle.patches[0].get_facecolor()[:3], plot.ARCH_COLORS[label])


def _tuned():
    return lambdacost.tune(
        2e7, measured={512: 1200, 1024: 700, 2048: 420, 3008: 380}, memory_mb=[128, 256, 512, 1024, 1536, 2048, 3008]
    )


def test_memory_curve_colours_arch_as_regions_does_and_marks_measured_points():
    from matplotlib.colors import same_color

    tuned = _tuned()
    ax = plot.memory_curve(tuned.table)
    for arch in ("x86_64", "arm64"):
        (line,) = [line for line in ax.get_lines() if line.get_label() == f"{arch} cost"]
        assert same_color(line.get_color(), plot.ARCH_COLORS[arch])
    measured = tuned.table[tuned.table["measured"].astype(bool)]
    assert len(measured)  # the fixture measures some sizes
    for arch, part in measured.groupby("arch"):
        (dots,) = [line for line in ax.get_lines() if line.get_label() == f"{arch} measured"]
        assert dots.get_marker() == "o" and dots.get_linestyle() == "None"
        np.testing.assert_allclose(np.sort(dots.get_xdata()), np.sort(part["memory_mb"]))
    assert "no dot: modelled" in [t.get_text() for t in ax.get_legend().get_texts()]


def test_memory_curve_log2_axis_and_legend_clear_of_the_curves():
    ax = plot.memory_curve(_tuned().table)
    assert ax.get_xscale() == "log" and ax.xaxis.get_transform().base == 2
    assert list(ax.get_xticks()) == [128, 256, 512, 1024, 2048, 4096]
    assert [t.get_text() for t in ax.get_xticklabels()][:2] == ["128", "256"]
    fig = ax.figure
    fig.canvas.draw()
    legend = ax.get_legend().get_window_extent()
    for axes in (ax, ax.right_ax):
        assert not legend.overlaps(axes.get_window_extent())
    right = ax.right_ax
    labels = [t.get_window_extent() for t in right.get_yticklabels() if t.get_text()]
    labels.append(right.yaxis.label.get_window_extent())
    assert legend.x0 >= max(b.x1 for b in labels)  # past the duration axis's tick labels and title too


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
    assert not [c for c in ax.collections if c.get_label().startswith("your load")]  # no load given


def _shaded(ax):
    return [p for p in ax.patches if p.get_label() == "_nolegend_" or p.get_label().startswith("_")]


def test_paas_vs_serverless_shades_lambda_and_keeps_arm64_visible():
    from matplotlib.colors import same_color

    workload = lambdacost.Workload(1024, 80, requests_per_month=5 * 86400 * 30)
    result = lambdacost.compare(workload, ["ec2:t4g.small", "lambda:arm64"])
    ax = plot.paas_vs_serverless(result)
    lines = {line.get_label(): line for line in ax.get_lines()}
    x86, arm = lines["lambda:x86_64"], lines["lambda:arm64"]
    assert not same_color(x86.get_color(), arm.get_color()) and x86.get_linestyle() != arm.get_linestyle()
    assert same_color(arm.get_color(), plot.ARCH_COLORS["arm64"])
    labels = ax.get_legend_handles_labels()[1]
    assert "Lambda cheapest" in labels
    bands = [p for p in ax.patches if p.get_label() != "Lambda cheapest"]
    assert bands and all(same_color(p.get_facecolor()[:3], "tab:green") for p in bands)
    # the band reaches up to where EC2 becomes cheaper than the cheaper Lambda (arm64)
    first = lambdacost.breakeven(lambdacost.Workload(1024, 80, arch="arm64"), "ec2:t4g.small").crossings[0]
    edge = max(p.get_x() + p.get_width() for p in bands if p.get_x() < first.requests_per_month)
    assert edge == pytest.approx(first.requests_per_month, rel=0.25)
    (own,) = [c for c in ax.collections if c.get_label().startswith("your load")]
    assert own.get_label() == "your load: 12.96M req/month"
    ((x0, y0), (x1, y1)) = own.get_segments()[0]
    assert x0 == x1 == workload.requests_per_month and (y0, y1) == (0, 1)  # axes height, in axes units


def test_paas_vs_serverless_summarises_app_runner_step_crossings():
    workload = lambdacost.Workload(512, 120)
    result = lambdacost.compare(workload, ["apprunner:1vcpu-2gb", "ec2:t4g.small"])
    steps = [c for c in result.crossings if c["option"] == "apprunner:1vcpu-2gb"]
    assert len(steps) > 2  # the case being summarised
    ax = plot.paas_vs_serverless(result)
    markers = [c for c in ax.collections if c.get_label() == "break-even"][0].get_offsets()
    xs = sorted(float(x) for x, _ in markers)
    assert len(xs) == 3  # App Runner's first and last, EC2's one
    assert xs[0] == pytest.approx(min(c["requests_per_month"] for c in result.crossings))
    assert max(c["requests_per_month"] for c in steps) == pytest.approx(xs[-1])
    (note,) = [t for t in ax.texts if t.get_text().startswith("apprunner")]
    assert f"{len(steps)} crossings" in note.get_text()


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
