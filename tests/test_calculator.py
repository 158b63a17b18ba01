"""The notebook calculator without a browser: its pure core, its figure and its widget layer."""

import sys

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest

import lambdacost
from lambdacost.calculator import Calculator, calculate
from lambdacost.errors import InvalidParameterError

AS_OF = "2026-11-01"


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_calculate_is_the_library_s_estimate_and_tune():
    view = calculate(1024, 120, 5e6, "x86_64", "us-east-1", cpu_share=0.6, as_of=AS_OF)
    # 1 GB x 0.12 s x 5M = 600,000 GB-s, 400,000 free: 200,000 x $0.0000166667 = $3.33334,
    # plus (5M - 1M) x $0.20/M = $0.80. Without the free tier: $10.00002 + $1.00.
    assert view.total_cost == pytest.approx(3.33334 + 0.8)
    assert view.without_free_tier_cost == pytest.approx(10.00002 + 1.0)
    assert view.total_cost == lambdacost.estimate(1024, 120, 5e6, as_of=AS_OF).total_cost
    assert view.breakdown == pytest.approx(
        {"requests": 1.0, "requests free tier": -0.2, "duration tier 1": 10.00002, "duration free tier": -6.66668}
    )
    tuned = lambdacost.tune(5e6, duration_ms=120, measured_memory_mb=1024, cpu_share=0.6, memory_mb=[1024],
                            arch="x86_64", as_of=AS_OF)  # fmt: skip
    row = view.curve.table.query("memory_mb == 1024 and arch == 'x86_64'").iloc[0]
    assert bool(row.measured) and row.cost == pytest.approx(tuned.best.cost)
    assert view.curve.table.memory_mb.tolist()[:4] == [128, 128, 192, 192]  # 64 MB steps, both archs
    assert len(view.curve.table) == 2 * 159  # 128..10,240 MB in 64 MB steps


def test_calculate_adds_the_chosen_size_to_the_curve_and_names_its_assumption():
    view = calculate(1000, 300, 2e7, "arm64", "eu-west-1", as_of=AS_OF)
    measured = view.curve.table[view.curve.table.measured]
    assert measured[["memory_mb", "arch"]].astype({"arch": str}).values.tolist() == [[1000, "arm64"]]
    summary = view.summary().splitlines()
    assert (
        summary[0]
        == "1,000 MB x 300 ms x 20,000,000 requests/month on arm64 in eu-west-1: "
        + lambdacost.tables.money(view.total_cost, "USD")
        + " a month"
    )
    assert summary[1].endswith("without the free tier (one pool for the whole account)")
    assert summary[2].startswith("cheapest size if 100% of the time is CPU-bound: ")


def test_calculate_refuses_bad_values_as_the_library_does():
    with pytest.raises(InvalidParameterError, match="memory_mb must be"):
        calculate(100, 120, 1e6, as_of=AS_OF)


def test_figure_draws_the_breakdown_and_the_memory_curve():
    fig = calculate(1536, 300, 2e7, cpu_share=0.5, as_of=AS_OF).figure()
    breakdown, curve, duration = fig.axes
    assert breakdown.get_title() == "Where the money goes"
    assert curve.get_title() == "Cost and duration by memory"
    assert duration is curve.right_ax
    dot = next(line for line in curve.get_lines() if line.get_label() == "x86_64 measured")
    assert dot.get_xdata().tolist() == [1536]
    again = calculate(512, 300, 2e7, as_of=AS_OF).figure(fig)  # redrawn on the same figure
    assert again is fig and len(fig.axes) == 3


def test_widgets_drive_the_view():
    calc = Calculator(memory_mb=512, duration_ms=120, requests=5e6, as_of=AS_OF)
    assert list(calc.controls) == ["memory_mb", "duration_ms", "requests", "arch", "region", "cpu_share"]
    assert calc.view.total_cost == pytest.approx(lambdacost.estimate(512, 120, 5e6, as_of=AS_OF).total_cost)
    calc.controls["arch"].value = "arm64"
    calc.controls["region"].value = "eu-west-1"
    calc.controls["memory_mb"].value = 2048
    expected = lambdacost.estimate(2048, 120, 5e6, arch="arm64", region="eu-west-1", as_of=AS_OF).total_cost
    assert calc.view.total_cost == pytest.approx(expected)
    assert calc.values() == {
        "memory_mb": 2048, "duration_ms": 120.0, "requests": 5e6, "arch": "arm64", "region": "eu-west-1",
        "cpu_share": 1.0,
    }  # fmt: skip
    regions = calc.controls["region"].options
    assert "us-east-1" in regions and regions == tuple(sorted(regions))
    assert "cn-north-1" in regions  # every priced region is offered, China's (in CNY) too


def test_the_widget_layer_says_which_extra_it_needs(monkeypatch):
    monkeypatch.setitem(sys.modules, "ipywidgets", None)
    with pytest.raises(ImportError, match=r'pip install "lambdacost\[notebook\]"'):
        Calculator()
