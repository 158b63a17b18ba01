"""tune(), recommend(), read_power_tuning() and the `lambdacost tune` command."""

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import lambdacost
from lambdacost.cli import app
from lambdacost.durations import scale_duration_ms
from lambdacost.errors import InvalidParameterError
from lambdacost.readers.power_tuning import read_power_tuning
from lambdacost.tuning import recommend, tune

AS_OF = "2026-11-01"
runner = CliRunner()

#: Shaped like Power Tuning's output with includeOutputResults (lambda/analyzer.js of
#: https://github.com/alexcasalboni/aws-lambda-power-tuning): value as a string or a
#: number, averagePrice and averageDuration per power value.
POWER_TUNING = {
    "power": 512,
    "cost": 2.1e-06,
    "duration": 250.0,
    "stateMachine": {
        "executionCost": 0.00045,
        "lambdaCost": 0.0001,
        "visualization": "https://lambda-power-tuning.show/#...",
    },
    "stats": [
        {"value": "128", "averagePrice": 2.6e-06, "averageDuration": 1250.0},
        {"value": 256, "averagePrice": 2.5e-06, "averageDuration": 600.0},
        {"value": 512, "averagePrice": 2.1e-06, "averageDuration": 250.0},
        {"value": 1024, "averagePrice": 4.0e-06, "averageDuration": 240.0},
    ],
}


def hand_table():
    # A made-up table with known answers; memory 1024 and 2048 cost the same.
    return pd.DataFrame(
        {
            "memory_mb": [512, 1024, 2048, 4096],
            "duration_ms": [400.0, 200.0, 100.0, 100.0],
            "cost": [10.0, 12.0, 12.0, 30.0],
        }
    )


def test_recommend_cost_speed_and_ties():
    t = hand_table()
    assert recommend(t, "cost").query("recommended").memory_mb.tolist() == [512]
    # speed: 2048 and 4096 are equally fast; the tie goes to the cheaper (2048)
    assert recommend(t, "speed").query("recommended").memory_mb.tolist() == [2048]
    # cost tie between 1024 and 2048 once 512 is gone: the faster (2048) wins
    assert recommend(t.iloc[1:], "cost").query("recommended").memory_mb.tolist() == [2048]
    ranked = recommend(t, "cost")
    assert ranked.sort_values("rank").memory_mb.tolist() == [512, 2048, 1024, 4096]
    assert sorted(ranked["rank"]) == [1, 2, 3, 4]


def test_recommend_balanced_golden():
    # score = w * cost / 30 + (1 - w) * duration / 400, with w = 0.3:
    # 512: 0.3*10/30 + 0.7*400/400 = 0.8;  1024: 0.12 + 0.35 = 0.47
    # 2048: 0.12 + 0.175 = 0.295;          4096: 0.3 + 0.175 = 0.475
    ranked = recommend(hand_table(), "balanced", 0.3)
    np.testing.assert_allclose(ranked.score, [0.8, 0.47, 0.295, 0.475])
    assert ranked.query("recommended").memory_mb.tolist() == [2048]
    # w = 0.9: 512 -> 0.3 + 0.1 = 0.4; 2048 -> 0.36 + 0.025 = 0.385; 1024 -> 0.36 + 0.05 = 0.41
    assert recommend(hand_table(), "balanced", 0.9).query("recommended").memory_mb.tolist() == [2048]
    # w = 1: cost only
    assert recommend(hand_table(), "balanced", 1.0).query("recommended").memory_mb.tolist() == [512]


def test_recommend_balanced_tie_goes_to_the_faster():
    # w = 0.5: A = 0.5*10/20 + 0.5*200/200 = 0.75; B = 0.5*20/20 + 0.5*100/200 = 0.75
    t = pd.DataFrame({"memory_mb": [512, 2048], "duration_ms": [200.0, 100.0], "cost": [10.0, 20.0]})
    ranked = recommend(t, "balanced", 0.5)
    assert ranked.score.tolist() == [0.75, 0.75]
    assert ranked.query("recommended").memory_mb.tolist() == [2048]


def test_recommend_all_free_does_not_divide_by_zero():
    t = pd.DataFrame({"memory_mb": [128, 256], "duration_ms": [20.0, 10.0], "cost": [0.0, 0.0]})
    assert recommend(t, "balanced", 0.5).query("recommended").memory_mb.tolist() == [256]


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(0, 1e4, allow_subnormal=False), st.floats(0, 1e6, allow_subnormal=False)),
        min_size=1,
        max_size=12,
    ),
)
def test_recommend_balanced_extremes_match_the_pure_strategies(rows):
    t = pd.DataFrame(rows, columns=["cost", "duration_ms"]).assign(memory_mb=np.arange(len(rows)) + 128)
    for weight, strategy, column in ((1.0, "cost", "cost"), (0.0, "speed", "duration_ms")):
        best = recommend(t, "balanced", weight).query("recommended").iloc[0]
        assert best[column] == t[column].min()
        assert recommend(t, strategy).query("recommended").iloc[0][column] == t[column].min()
        # exactly one recommendation, ranks a permutation
        assert recommend(t, "balanced", weight).recommended.sum() == 1


@pytest.mark.parametrize(
    ("strategy", "weight", "message"),
    [
        ("cheap", 0.5, "strategy must be one of 'cost', 'speed', 'balanced', got 'cheap'"),
        ("balanced", 1.5, "weight must be a finite number in 0..1"),
        ("balanced", -0.1, "weight must be"),
    ],
)
def test_recommend_bad_input(strategy, weight, message):
    with pytest.raises(InvalidParameterError, match=message):
        recommend(hand_table(), strategy, weight)


def test_tune_table_and_costs_match_monthly_cost():
    result = tune(5e6, duration_ms=800, measured_memory_mb=1024, cpu_share=0.7, as_of=AS_OF)
    table = result.table
    assert len(table) == (10240 - 128 + 1) * 2
    assert table.recommended.sum() == 1 and table["rank"].min() == 1
    sample = table.sample(50, random_state=3)
    expected = lambdacost.monthly_cost(
        sample.memory_mb.to_numpy(),
        sample.duration_ms.to_numpy(),
        5e6,
        arch=sample.arch.to_numpy().astype(str),
        as_of=AS_OF,
    )
    np.testing.assert_allclose(sample.cost, expected, rtol=1e-12)
    per_invocation = lambdacost.monthly_cost(
        sample.memory_mb.to_numpy(),
        sample.duration_ms.to_numpy(),
        1,
        arch=sample.arch.to_numpy().astype(str),
        free_tier=False,
        as_of=AS_OF,
    )
    np.testing.assert_allclose(sample.price_per_invocation, per_invocation, rtol=1e-12)
    np.testing.assert_allclose(
        sample.duration_ms, scale_duration_ms(800, 1024, sample.memory_mb.to_numpy(), cpu_share=0.7)
    )
    assert table.loc[table.measured, ["memory_mb", "arch"]].astype({"arch": str}).values.tolist() == [[1024, "x86_64"]]


def test_tune_golden_estimate_row():
    # 1024 MB x86_64 at 800 ms, 5M requests: 1 GB x 0.8 s x 5e6 = 4,000,000 GB-s;
    # (4e6 - 4e5) x 0.0000166667 = 60.00012; requests 4e6 x 0.2e-6 = 0.80; total 60.80012.
    table = tune(5e6, duration_ms=800, measured_memory_mb=1024, memory_mb=[1024], arch="x86_64", as_of=AS_OF).table
    assert table.cost.iloc[0] == pytest.approx(60.80012)
    assert table.cost.iloc[0] == pytest.approx(lambdacost.estimate(1024, 800, 5e6, as_of=AS_OF).total_cost, rel=1e-12)


def test_tune_strategies_on_cpu_bound_work():
    inputs = dict(duration_ms=800, measured_memory_mb=1024, cpu_share=0.7, as_of=AS_OF)
    # single-threaded: nothing is faster than at 1 vCPU; among equally fast, the cheapest (1769 MB)
    assert tune(5e6, strategy="speed", **inputs).best.memory_mb == 1769
    # fully CPU-bound below 1 vCPU: GB-s are constant, so compute cost is flat up to 1769 MB,
    # and the cost strategy's tie goes to the faster, i.e. 1769 MB (ceil rounding aside)
    best = tune(
        5e6,
        duration_ms=1000,
        measured_memory_mb=1769,
        cpu_share=1.0,
        memory_mb=[442, 884, 1769],
        arch="x86_64",
        as_of=AS_OF,
    ).best
    assert best.memory_mb == 1769


def test_tune_pure_io_prefers_the_smallest_size_and_arm64():
    best = tune(1e8, duration_ms=300, measured_memory_mb=1024, cpu_share=0, as_of=AS_OF).best
    assert (best.memory_mb, best.arch, best.duration_ms) == (128, "arm64", 300.0)


def test_tune_arm64_factor():
    table = tune(
        1e6, duration_ms=100, measured_memory_mb=512, cpu_share=0, memory_mb=[512], arm64_speed_factor=0.8, as_of=AS_OF
    ).table
    assert table.set_index(table.arch.astype(str)).duration_ms.to_dict() == {"x86_64": 100.0, "arm64": 80.0}


def test_tune_measured_points_are_interpolated():
    table = tune(
        1e6, measured={512: 520.0, 1024: 280.0}, memory_mb=[512, 768, 1024, 2048], arch="x86_64", as_of=AS_OF
    ).table
    np.testing.assert_allclose(table.duration_ms, [520.0, 360.0, 280.0, 280.0])
    assert table.measured.tolist() == [True, False, True, False]


def test_power_tuning_reprices_the_measured_sizes(tmp_path):
    path = tmp_path / "power.json"
    path.write_text(json.dumps(POWER_TUNING))
    result = tune(1e7, power_tuning=path, arch="x86_64", as_of=AS_OF)
    assert result.table.memory_mb.tolist() == [128, 256, 512, 1024]
    assert result.table.duration_ms.tolist() == [1250.0, 600.0, 250.0, 240.0]
    assert result.table.measured.all()
    # 512 MB x 250 ms x 1e7 = 1,250,000 GB-s: (1.25e6 - 4e5) x 0.0000166667 + 9e6 x 0.2e-6 = 15.966695
    row = result.table.set_index("memory_mb").loc[512]
    assert row.cost == pytest.approx(14.166695 + 1.8)
    assert result.best.memory_mb == 512


def test_power_tuning_wrappers():
    frame = read_power_tuning(POWER_TUNING)
    assert frame.values.tolist()[0] == [128.0, 1250.0, 2.6e-06]
    assert read_power_tuning({"results": POWER_TUNING}).equals(frame)
    assert read_power_tuning({"status": "SUCCEEDED", "output": json.dumps(POWER_TUNING)}).equals(frame)
    assert read_power_tuning(json.dumps(POWER_TUNING)).equals(frame)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"power": 512}, "power_tuning must be Power Tuning output with a non-empty 'stats' list"),
        ({"stats": []}, "non-empty 'stats' list"),
        ([1, 2], "non-empty 'stats' list"),
        (
            {"stats": [{"value": 128, "averagePrice": 1e-6}]},
            r"power_tuning stats\[0\] must be an object with value, averagePrice and averageDuration",
        ),
        (
            {"stats": [{"value": 100, "averagePrice": 1e-6, "averageDuration": 5}]},
            r"power_tuning stats\[0\].value must be a whole number in 128..10240 MB, got 100",
        ),
        (
            {"stats": [{"value": "big", "averagePrice": 1e-6, "averageDuration": 5}]},
            r"stats\[0\].value must be a number, got 'big'",
        ),
        (
            {"stats": [{"value": 128, "averagePrice": 1e-6, "averageDuration": -5}]},
            r"stats\[0\].averageDuration must be a finite number in 0..900000 ms, got -5",
        ),
        (
            {"stats": [{"value": 128, "averagePrice": None, "averageDuration": 5}]},
            r"stats\[0\].averagePrice must be a number, got None",
        ),
        (
            {"stats": [{"value": 128, "averagePrice": 1, "averageDuration": 5}] * 2},
            "power_tuning stats must be one entry per memory size, got '128 MB twice'",
        ),
    ],
)
def test_power_tuning_wrong_shape(data, message):
    with pytest.raises(InvalidParameterError, match=message):
        read_power_tuning(data)


def test_power_tuning_bad_files(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    with pytest.raises(InvalidParameterError, match="broken.json must be valid JSON"):
        read_power_tuning(broken)
    with pytest.raises(InvalidParameterError, match="power_tuning must be a readable JSON file"):
        read_power_tuning(tmp_path / "missing.json")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (dict(), r"duration_ms must be given in exactly one way.*got '0 ways \(none\)'"),
        (dict(duration_ms=100, measured={128: 1, 256: 2}), r"got '2 ways \(duration_ms, measured\)'"),
        (dict(duration_ms=100), "measured_memory_mb must be the memory duration_ms was measured at"),
        (
            dict(duration_ms=100, measured_memory_mb=1024, memory_mb=[64]),
            "memory_mb must be a whole number in 128..10240 MB, got 64",
        ),
        (
            dict(duration_ms=100, measured_memory_mb=1024, weight=2, strategy="balanced"),
            "weight must be a finite number in 0..1",
        ),
        (dict(duration_ms=100, measured_memory_mb=1024, cpu_share=-1), "cpu_share must be"),
        (dict(measured={128: 1.0}, memory_mb=[256]), "memory_mb must be the one measured size"),
        (dict(measured={100: 1.0, 256: 2.0}), "measured_memory_mb must be a finite number in 128..10240 MB, got 100"),
    ],
)
def test_tune_bad_input(kwargs, message):
    with pytest.raises(InvalidParameterError, match=message):
        tune(1e6, as_of=AS_OF, **kwargs)


# --- CLI ---------------------------------------------------------------------------------


def test_cli_balanced_example():
    result = runner.invoke(
        app,
        [
            "tune",
            "--ms",
            "800@1024",
            "--cpu-share",
            "0.7",
            "--requests",
            "5M",
            "--strategy",
            "balanced",
            "--weight",
            "0.3",
            "--as-of",
            AS_OF,
        ],
    )
    assert result.exit_code == 0, result.output
    expected = tune(
        5e6, duration_ms=800, measured_memory_mb=1024, cpu_share=0.7, strategy="balanced", weight=0.3, as_of=AS_OF
    ).best
    assert f"Recommended (strategy balanced, weight 0.3): {expected.memory_mb:,} MB {expected.arch}" in result.output
    assert "20,226 configurations priced" in result.output


def test_cli_json_has_the_full_table():
    result = runner.invoke(
        app, ["tune", "--ms", "800@1GB", "--requests", "5M", "--memory", "128:1024:128", "--json", "--as-of", AS_OF]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["strategy"] == "cost" and len(data["table"]) == 16
    assert data["best"]["rank"] == 1


def test_cli_power_tuning(tmp_path):
    path = tmp_path / "power.json"
    path.write_text(json.dumps(POWER_TUNING))
    result = runner.invoke(
        app,
        ["tune", "--power-tuning", str(path), "--requests", "1e7", "--arch", "x86_64", "--csv", "--as-of", AS_OF],
    )
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[0].split(",")[:4] == ["memory_mb", "arch", "vcpus", "duration_ms"] and len(lines) == 5


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--ms", "800@1024", "--weight", "1.5"],
            "Invalid value for '--weight': weight must be a finite number in 0..1",
        ),
        (["--ms", "800"], "Invalid value for '--ms': duration_ms must be DURATION@MEMORY points"),
        (
            ["--ms", "800@64"],
            "Invalid value for '--ms': measured_memory_mb must be a finite number in 128..10240 MB, got 64",
        ),
        (["--ms", "800@1024,700@1024"], "Invalid value for '--ms': measured_memory_mb must be distinct memory sizes"),
        (["--ms", "800@1024", "--memory", "512:256:64"], "start <= stop"),
        (["--ms", "800@1024", "--cpu-share", "2"], "Invalid value for '--cpu-share'"),
        (["--ms", "800@1024", "--strategy", "cheap"], "Invalid value for '--strategy'"),
        ([], "give exactly one of --ms DURATION@MEMORY or --power-tuning FILE"),
        (["--power-tuning", "/nonexistent/p.json"], "power_tuning must be a readable JSON file"),
    ],
)
def test_cli_bad_input_exits_2_with_one_line(args, message):
    result = runner.invoke(app, ["tune", "--requests", "5M", "--as-of", AS_OF, *args])
    assert result.exit_code == 2
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_cli_wrong_power_tuning_file(tmp_path):
    path = tmp_path / "p.json"
    path.write_text(json.dumps({"power": 512, "cost": 1e-6}))
    result = runner.invoke(app, ["tune", "--power-tuning", str(path), "--requests", "5M"])
    assert result.exit_code == 2
    assert f"{path} must be Power Tuning output with a non-empty 'stats' list" in result.output


ISSUE_POINTS = ["--ms", "1200@512,700@1024,420@2048,380@3008", "-r", "20M", "--as-of", AS_OF]


def test_tune_marks_each_size_measured_interpolated_or_extrapolated():
    result = tune(2e7, measured=([512, 1024, 2048, 3008], [1200, 700, 420, 380]), as_of=AS_OF)
    table = result.table
    x86 = table[table.arch == "x86_64"].set_index("memory_mb")
    assert x86.loc[[128, 511, 512, 513, 3007, 3008, 3009, 10240], "duration_source"].tolist() == [
        "extrapolated", "extrapolated", "measured", "interpolated",
        "interpolated", "measured", "extrapolated", "extrapolated",
    ]  # fmt: skip
    assert table.measured.sum() == 4  # measured on x86_64 only
    # Below 512 MB the first segment (linear in 1/vCPU) is extended: at 128 MB 1/vCPU is 4x that of
    # 512 MB, the slope (1200 - 700) / (1769/512 - 1769/1024) gives 1200 + 3 x 1000 = 4,200 ms.
    assert x86.loc[128, "duration_ms"] == pytest.approx(4200)
    best = result.best
    assert (best.memory_mb, best.arch, best.duration_source) == (128, "arm64", "extrapolated")
    assert result.warnings == (
        "the recommended 128 MB is outside the measured sizes (512-3,008 MB): its 4,200 ms is extrapolated, "
        "not measured; measure it, or limit memory_mb to 512..3,008",
        "arm64 is recommended from x86_64 measurements with arm64_speed_factor 1 (equal speed assumed): "
        "measure on arm64 to confirm",
    )
    assert result.assumptions[0] == "durations are the measurements at 512, 1,024, 2,048 and 3,008 MB on x86_64"
    assert any(a.startswith("below 512 MB the durations are extrapolated") for a in result.assumptions)
    assert any(a.startswith("above 3,008 MB the durations are extrapolated") for a in result.assumptions)
    assert result.assumptions[-1] == (
        "arm64 durations are the x86_64 ones x 1 (arm64_speed_factor: arm64 duration / x86_64 duration; "
        "1 = equal speed, an assumption, not a measurement)"
    )


def test_tune_within_the_measured_range_measured_arch_only_has_no_warning():
    result = tune(2e7, measured={512: 1200, 1024: 700, 2048: 420}, memory_mb=range(512, 2049), arch="x86_64",
                  as_of=AS_OF)  # fmt: skip
    assert result.warnings == ()
    assert set(result.table.duration_source) == {"measured", "interpolated"}
    assert not any("extrapolated" in a or "arm64" in a for a in result.assumptions)


def test_tune_one_point_says_its_durations_are_modelled():
    result = tune(5e6, duration_ms=800, measured_memory_mb=1024, cpu_share=0.7, memory_mb=[512, 1024, 2048],
                  arch="x86_64", as_of=AS_OF)  # fmt: skip
    assert result.table.duration_source.tolist() == ["modelled", "measured", "modelled"]
    assert result.assumptions == (
        "durations at other sizes are modelled from one measurement (800 ms at 1,024 MB on x86_64) by Amdahl's "
        "law: 70% CPU-bound, 1 thread(s), CPU in proportion to memory up to one vCPU at 1,769 MB "
        "(lambdacost.durations.scale_duration_ms)",
    )


def test_cli_tune_prints_warnings_sources_and_assumptions():
    result = runner.invoke(app, ["tune", *ISSUE_POINTS, "--top", "2"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("Recommended (strategy cost): 128 MB arm64, 4,200 ms (extrapolated x86_64 x 1),")
    assert lines[1] == (
        "Warning: the recommended 128 MB is outside the measured sizes (512-3,008 MB): its 4,200 ms is "
        "extrapolated, not measured; measure it, or use --memory 512:3008:1"
    )
    assert lines[2].startswith("Warning: arm64 is recommended from x86_64 measurements with --arm64-factor 1")
    assert "duration is" in lines[4] and "extrapolated x86_64 x 1" in lines[6]
    assert "Assumptions:" in lines and lines[-1].startswith("- arm64 durations are the x86_64 ones x 1 (--arm64-factor")
    # Within the measured sizes, measured on the architecture picked: nothing to warn about.
    inside = runner.invoke(app, ["tune", *ISSUE_POINTS, "--memory", "512:3008:1", "--arch", "x86_64"])
    assert inside.exit_code == 0 and "Warning" not in inside.output


def test_cli_tune_json_and_csv_carry_the_duration_source():
    data = json.loads(runner.invoke(app, ["tune", *ISSUE_POINTS, "--json"]).output)
    assert data["best"]["duration_source"] == "extrapolated"
    assert len(data["warnings"]) == 2 and data["assumptions"][0].startswith("durations are the measurements")
    sources = {(r["memory_mb"], r["arch"]): r["duration_source"] for r in data["table"]}
    assert sources[(1024, "x86_64")] == "measured" and sources[(1500, "arm64")] == "interpolated"
    csv_text = runner.invoke(app, ["tune", *ISSUE_POINTS, "--csv"]).output
    assert csv_text.splitlines()[0].split(",")[5] == "duration_source"


def test_a_power_tuning_size_outside_the_era_is_blamed_on_the_file(tmp_path):
    from typer.testing import CliRunner

    from lambdacost.cli import app

    path = tmp_path / "run.json"
    stats = [
        {"value": 1024, "averagePrice": 1e-7, "averageDuration": 200},
        {"value": 4096, "averagePrice": 1e-7, "averageDuration": 90},
    ]
    path.write_text(json.dumps({"stats": stats}))
    result = CliRunner().invoke(app, ["tune", "--power-tuning", str(path), "-r", "1M", "--as-of", "2019-06-01"])
    assert result.exit_code == 2
    assert result.output == f"Error: {path} stats value must be a size in 128..3008 MB (the 100ms era's), got 4096\n"
