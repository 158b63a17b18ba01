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
    costs = [i.cost for i in e.line_items]
    assert sorted(round(p.get_height(), 6) for p in charges + credits) == sorted(round(c, 6) for c in costs)
    gross = sum(c for c in costs if c >= 0)
    assert max(p.get_y() + p.get_height() for p in charges) == pytest.approx(gross)
    assert min(p.get_y() for p in charges) == pytest.approx(0)
    # the credits hang from the charges' top down to the total: nothing below zero
    assert all(p.get_height() < 0 and p.get_hatch() == "//" for p in credits)
    assert max(p.get_y() for p in credits) == pytest.approx(gross)
    assert min(p.get_y() + p.get_height() for p in credits) == pytest.approx(e.total_cost)
    assert total_bar.get_y() == 0 and total_bar.get_height() == pytest.approx(e.total_cost)
    total = [c for c in ax.collections if c.get_label().startswith("total")][0]
    assert total.get_segments()[0][0][1] == pytest.approx(e.total_cost)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["charges", "free tier", "total"]
    assert ax.get_ylabel() == "Monthly cost [USD]"


def test_breakdown_gives_each_of_20_line_items_its_own_colour():
    from types import SimpleNamespace

    from matplotlib.colors import to_hex

    items = [SimpleNamespace(name=f"meter {i}", cost=float(i + 1)) for i in range(19)]
    items.append(SimpleNamespace(name="free tier", cost=-5.0))
    result = SimpleNamespace(line_items=items, total_cost=sum(i.cost for i in items))
    ax = plot.breakdown(result)
    colours = [to_hex(p.get_facecolor()) for p in _bars_at(ax, 0) + _bars_at(ax, 1)]
    assert len(colours) == 20 and len(set(colours)) == 20


def test_cost_surface_heatmap_and_contours():
    frame = lambdacost.sweep([128, 512, 1024, 2048], [50, 100, 200, 400], 1e7, as_of=NOW)
    ax = plot.cost_surface(frame)
    mesh = ax.collections[0]
    assert mesh.get_array().shape == (4, 4)
    assert mesh.get_array().max() == pytest.approx(frame["cost"].max())
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


def _fleet_bill():
    from lambdacost.bills import bill
    from lambdacost.readers.fleet import read_fleet

    fleet = read_fleet("tests/data/fleets/aws.yaml")
    return bill(fleet.functions, as_of=fleet.as_of)


def test_function_components_add_up_to_each_share_by_hand():
    # orders-api: 1536 MB x 120 ms x 3M = 540,000 GB-s alone in us-east-1 x86_64. Requests
    # 3M x $0.20/M = $0.60; duration 540,000 x $0.0000166667 = $9.000018; the pool's 1M free
    # requests and 400,000 GB-s are shared over 3.1M requests and 773,149 GB-s:
    # 3M/3.1M x 1M x $0.20/M + 540,000/773,149 x 400,000 x $0.0000166667 = $4.84984.
    parts = {p["name"]: p for p in plot.function_components(_fleet_bill())}
    orders = parts["orders-api"]
    assert orders["requests_cost"] == pytest.approx(0.6)
    assert orders["duration_cost"] == pytest.approx(9.000018)
    assert orders["storage_cost"] == 0.0
    assert orders["free_tier_cost"] == pytest.approx(-(0.6 / 3.1 + 540_000 / 773_149 * 400_000 * 1.66667e-5), rel=1e-6)
    for p in parts.values():
        charges = sum(p[c] for c in ("requests_cost", "duration_cost", "storage_cost", "provisioned_cost",
                                     "snapstart_cost", "edge_cost", "streaming_cost"))  # fmt: skip
        assert charges + p["free_tier_cost"] == pytest.approx(p["share_cost"], abs=1e-12)
    assert parts["report-builder"]["storage_cost"] == pytest.approx(174_861.75 * 3.09e-8)


def test_bill_functions_stacks_components_per_function_and_ticks_the_share():
    b = _fleet_bill()
    ax = plot.bill_functions(b)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["orders-api", "report-builder"]  # dearest first
    handles, labels = ax.get_legend_handles_labels()
    assert labels == ["its share of the bill", "requests", "duration", "ephemeral storage", "free tier"]
    by_label = {h.get_label(): h for h in handles}
    colours = {label: matplotlib.colors.to_hex(by_label[label].patches[0].get_facecolor()) for label in labels[1:4]}
    assert colours == {"requests": "#1f77b4", "duration": "#ff7f0e", "ephemeral storage": "#2ca02c"}
    requests, duration = by_label["requests"].patches, by_label["duration"].patches
    assert requests[0].get_width() == pytest.approx(0.6) and requests[0].get_x() == 0
    assert duration[0].get_x() == pytest.approx(0.6) and duration[0].get_width() == pytest.approx(9.000018)
    credit = by_label["free tier"].patches[0]
    assert credit.get_hatch() == "//"
    assert credit.get_x() + credit.get_width() == pytest.approx(b.function("orders-api").share_cost)
    ticks = by_label["its share of the bill"].get_segments()
    assert [s[0][0] for s in ticks] == pytest.approx([f.share_cost for f in b.functions])
    assert ax.get_title() == "Cost per function (total $6.27)"


def test_bill_functions_adds_up_the_rest_beyond_top():
    functions = [
        {"name": f"fn{i:02d}", "memory_mb": 1024, "duration_ms": 100 + 10 * i, "requests": 1e6} for i in range(20)
    ]
    b = lambdacost.bill(functions, free_tier=False, as_of=NOW)
    ax = plot.bill_functions(b, top=5)
    names = [t.get_text() for t in ax.get_yticklabels()]
    assert names == ["fn19", "fn18", "fn17", "fn16", "fn15", "15 others"]
    ticks = [s[0][0] for s in ax.collections[0].get_segments()]
    assert sum(ticks) == pytest.approx(b.total_cost)
    assert ticks[-1] == pytest.approx(sum(b.function(f"fn{i:02d}").share_cost for i in range(15)))


def test_memory_curve_shades_the_extrapolated_sizes():
    tuned = lambdacost.tune(2e7, measured=([512, 1024, 2048, 3008], [1200, 700, 420, 380]), arch="x86_64",
                            memory_mb=[128, 256, 512, 1024, 2048, 3008, 4096], as_of=NOW)  # fmt: skip
    ax = plot.memory_curve(tuned.table)
    spans = [p for p in ax.patches if "extrapolated" in p.get_label()]
    extents = sorted((p.get_x(), p.get_x() + p.get_width()) for p in spans)
    assert extents == [(128, 512), (3008, 4096)]  # below 512 MB, and above 3,008 MB
    labels = ax.get_legend().get_texts()
    assert "extrapolated (outside the measured sizes)" in [t.get_text() for t in labels]
    measured = next(line for line in ax.get_lines() if line.get_label() == "x86_64 measured")
    assert measured.get_xdata().tolist() == [512, 1024, 2048, 3008]


def test_log_costs_draws_the_logged_cost_and_each_what_if():
    what_ifs = pd.DataFrame(
        {
            "scenario": ["arm64", "arm64", "memory=512", "memory=512"],
            "function": ["api", "cron", "api", "cron"],
            "baseline_cost": [2.0, 0.5, 2.0, 0.5],
            "what_if_cost": [1.6, 0.4, 2.1, 0.3],
        }
    )
    ax = plot.log_costs(pd.DataFrame({"function": ["cron", "api"], "cost": [0.5, 2.0]}), what_ifs)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["api", "cron"]
    handles, labels = ax.get_legend_handles_labels()
    assert labels == ["as logged", "what if arm64", "what if memory=512"]
    widths = {label: [p.get_width() for p in h.patches] for h, label in zip(handles, labels)}
    assert widths == {"as logged": [2.0, 0.5], "what if arm64": [1.6, 0.4], "what if memory=512": [2.1, 0.3]}
    assert ax.get_xlabel() == "Cost of the logged invocations [USD]"
