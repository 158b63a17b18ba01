"""sweep(), cost_grid() and the `lambdacost sweep` command."""

import io
import itertools
import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import lambdacost
from lambdacost.cli import app
from lambdacost.errors import InvalidParameterError, UnknownRegionError
from lambdacost.sweeps import COST_COLUMNS, DIMS, cost_grid, sweep

AS_OF = "2026-11-01"
runner = CliRunner()

#: A small grid crossing the free tier, tier 2 (6e9 GB-s), storage, both arches, two regions.
AXES = dict(
    memory_mb=[128, 1536, 10240],
    duration_ms=[0.4, 120, 60_000],
    requests=[0, 3e6, 1e9],
    arch=["x86_64", "arm64"],
    region=["us-east-1", "eu-west-1"],
    ephemeral_storage_mb=[512, 2048],
    free_tier=[True, False],
)


@pytest.fixture(scope="module")
def full():
    return sweep(**AXES, as_of=AS_OF)


def _monthly_cost(rows: pd.DataFrame):
    return lambdacost.monthly_cost(
        rows.memory_mb.to_numpy(),
        rows.duration_ms.to_numpy(),
        rows.requests.to_numpy(),
        arch=rows.arch.to_numpy().astype(str),
        region=rows.region.to_numpy().astype(str),
        ephemeral_storage_mb=rows.ephemeral_storage_mb.to_numpy(),
        free_tier=rows.free_tier.to_numpy(),
        as_of=AS_OF,
    )


def test_golden_aws_mobile_backend_example():
    # AWS pricing page example: 3M requests x 120 ms at 1536 MB, us-east-1 x86_64.
    # GB-s = 1.5 x 0.12 x 3e6 = 540,000; billed 140,000 after the 400,000 free:
    # 140,000 x 0.0000166667 = 2.333338; requests (3e6 - 1e6) x 0.20/1e6 = 0.40; total 2.733338.
    row = sweep(1536, 120, 3e6, as_of=AS_OF).iloc[0]
    assert row.gb_seconds == 540_000
    assert row.duration_cost == pytest.approx(2.333338)
    assert row.requests_cost == pytest.approx(0.4)
    assert row.storage_cost == 0
    assert row.cost == pytest.approx(2.733338)


def test_shape_columns_and_product_order(full):
    assert list(full.columns) == [*DIMS, *COST_COLUMNS, "currency"]
    assert list(full.currency.cat.categories) == ["USD"] and full.currency.cat.codes.dtype == np.int8
    assert len(full) == np.prod([len(v) for v in AXES.values()])
    expected = list(itertools.product(*AXES.values()))
    got = list(full[list(DIMS)].astype({"arch": str, "region": str}).itertuples(index=False, name=None))
    assert got == [tuple(type(g)(e) for g, e in zip(row, exp)) for row, exp in zip(got, expected)]
    assert full.arch.dtype == "category" and full.free_tier.dtype == bool


def test_totals_equal_monthly_cost_on_every_row(full):
    np.testing.assert_array_equal(full.cost.to_numpy(), _monthly_cost(full))
    np.testing.assert_allclose(
        full[["requests_cost", "duration_cost", "storage_cost"]].sum(axis=1), full.cost, rtol=1e-15, atol=0
    )


def test_rows_equal_estimate_on_sampled_rows(full):
    for row in full.sample(40, random_state=7).itertuples():
        e = lambdacost.estimate(
            row.memory_mb,
            row.duration_ms,
            row.requests,
            arch=row.arch,
            region=row.region,
            ephemeral_storage_mb=row.ephemeral_storage_mb,
            free_tier=row.free_tier,
            as_of=AS_OF,
        )
        assert row.cost == pytest.approx(e.total_cost, rel=1e-12, abs=1e-12), row
        assert row.gb_seconds == pytest.approx(e.gb_seconds, rel=1e-15), row


def test_old_era_uses_100ms_billing_and_64mb_steps():
    # 2019: 100 ms granularity; 130 MB is not a 64 MB step.
    frame = sweep([128, 3008], [1, 101], 2e6, as_of="2019-06-01")
    np.testing.assert_allclose(frame.cost, _monthly_cost_on(frame, "2019-06-01"))
    # 128 MB x 200 ms billed (101 ms rounds up) x 2e6 = 50,000 GB-s, all free; requests 1e6 x 0.2e-6
    assert frame.cost.iloc[1] == pytest.approx(0.2)
    with pytest.raises(InvalidParameterError, match="memory_mb must be a multiple of 64 in 128..3008 MB, got 130"):
        sweep([128, 130], 1, 1, as_of="2019-06-01")


def _monthly_cost_on(frame, as_of):
    return lambdacost.monthly_cost(
        frame.memory_mb.to_numpy(), frame.duration_ms.to_numpy(), frame.requests.to_numpy(), as_of=as_of
    )


def test_requests_per_second():
    # 1 request/s = 2,628,000 a 730-hour month
    row = sweep(128, 10, 1, requests_per="second", as_of=AS_OF).iloc[0]
    assert row.requests == 2_628_000


@pytest.mark.parametrize("reduce", ["min", "max", "sum", "mean"])
@pytest.mark.parametrize("by", [(), "arch", ("requests", "region"), ("free_tier", "memory_mb", "arch")])
def test_reductions_equal_pandas_on_the_full_table(full, reduce, by):
    keys = [by] if isinstance(by, str) else list(by)
    for chunk_rows in (5, 97, 1 << 20):  # chunks inside a group, across groups, everything at once
        got = sweep(**AXES, as_of=AS_OF, reduce=reduce, by=by, chunk_rows=chunk_rows)
        grouped = full.groupby(keys, observed=True, sort=False) if keys else None  # groups in grid order
        if reduce in ("min", "max"):
            if keys:
                positions = getattr(grouped.cost, f"idx{reduce}")()
                expected = full.loc[positions.to_numpy()]
            else:
                expected = full.loc[[getattr(full.cost, f"idx{reduce}")()]]
            pd.testing.assert_frame_equal(_by_keys(got, keys), _by_keys(expected, keys), check_exact=False, rtol=1e-12)
        else:
            expected = (
                getattr(grouped[list(COST_COLUMNS)], reduce)().reset_index()
                if keys
                else getattr(full[list(COST_COLUMNS)], reduce)().to_frame().T
            )
            np.testing.assert_allclose(
                _by_keys(got, keys)[list(COST_COLUMNS)].to_numpy(),
                _by_keys(expected, keys)[list(COST_COLUMNS)].to_numpy(),
                rtol=1e-12,
            )
            assert (got.scenarios == len(full) // len(got)).all()
            if keys:
                assert list(got.columns[: len(keys)]) == keys


def _by_keys(frame, keys):
    return frame.sort_values(keys, kind="stable").reset_index(drop=True) if keys else frame.reset_index(drop=True)


def test_groups_come_in_the_order_of_by():
    got = sweep([128, 256], 1, [1, 2], arch=["arm64", "x86_64"], as_of=AS_OF, reduce="sum", by=("arch", "memory_mb"))
    assert got[["arch", "memory_mb"]].astype({"arch": str}).values.tolist() == [
        ["arm64", 128.0],
        ["arm64", 256.0],
        ["x86_64", 128.0],
        ["x86_64", 256.0],
    ]


def test_min_ties_go_to_the_first_in_grid_order():
    # Everything inside the free tier: every memory size costs $0; the smallest is kept.
    got = sweep([1024, 512, 128], 1, 100, arch=["x86_64", "arm64"], as_of=AS_OF, reduce="min", by="arch")
    assert got.memory_mb.tolist() == [1024.0, 1024.0]
    assert got.cost.tolist() == [0.0, 0.0]


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 200), st.sampled_from([(), ("arch",), ("duration_ms", "free_tier"), ("requests",)]))
def test_chunk_size_never_changes_the_cheapest(chunk_rows, by):
    axes = dict(
        memory_mb=[128, 640, 3008],
        duration_ms=[10, 900],
        requests=[5e6, 2e9],
        arch=["x86_64", "arm64"],
        free_tier=[True, False],
    )
    reference = sweep(**axes, as_of=AS_OF, reduce="min", by=by, chunk_rows=1 << 20)
    pd.testing.assert_frame_equal(sweep(**axes, as_of=AS_OF, reduce="min", by=by, chunk_rows=chunk_rows), reference)


def test_cost_grid_matches_the_table(full):
    grid = cost_grid(**AXES, as_of=AS_OF)
    assert grid.shape == tuple(len(v) for v in AXES.values()) and grid.dims == DIMS
    for name in COST_COLUMNS:
        np.testing.assert_array_equal(np.asarray(getattr(grid, name)).reshape(-1), full[name].to_numpy())


def test_dask_path_equals_numpy_on_a_local_cluster(dask_client):
    axes = dict(AXES, memory_mb=np.arange(128, 10241, 256))
    expected = cost_grid(**axes, as_of=AS_OF)
    lazy = cost_grid(**axes, as_of=AS_OF, chunks=500)
    assert lazy.cost.npartitions > 1
    np.testing.assert_array_equal(lazy.cost.compute(), expected.cost)
    np.testing.assert_array_equal(lazy.storage_cost.compute(), expected.storage_cost)
    # a reduction that never materializes the grid: cheapest memory per (requests, arch)
    cheapest = lazy.cost.min(axis=(0, 1, 4, 5, 6)).compute()
    np.testing.assert_array_equal(cheapest, np.asarray(expected.cost).min(axis=(0, 1, 4, 5, 6)))


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        (
            dict(memory_mb=[128, 100]),
            InvalidParameterError,
            "memory_mb must be a whole number in 128..10240 MB, got 100",
        ),
        (dict(memory_mb=[]), InvalidParameterError, "memory_mb must be a value or a non-empty 1-D sequence"),
        (dict(duration_ms=[1e6]), InvalidParameterError, "duration_ms must be a finite number in 0..900000 ms"),
        (
            dict(requests=[-1]),
            InvalidParameterError,
            "requests must be a finite number in 0..1e\\+15 requests a month, got -1",
        ),
        (dict(arch=["x86_64", "x86"]), InvalidParameterError, "arch must be one of 'x86_64', 'arm64', got 'x86'"),
        (dict(region=["us-east-1", "mars-1"]), UnknownRegionError, "region 'mars-1' is not priced"),
        (
            dict(ephemeral_storage_mb=[256]),
            InvalidParameterError,
            "ephemeral_storage_mb must be a whole number in 512..10240 MB, got 256",
        ),
        (dict(free_tier=["yes"]), InvalidParameterError, "free_tier must be True or False"),
        (
            dict(reduce="median"),
            InvalidParameterError,
            "reduce must be one of 'min', 'max', 'sum', 'mean', got 'median'",
        ),
        (dict(reduce="min", by="colour"), InvalidParameterError, "by must be axis names among memory_mb"),
        (dict(reduce="min", by=["arch", "arch"]), InvalidParameterError, "by must be distinct axis names"),
        (dict(by="arch"), InvalidParameterError, "by must be empty unless reduce is given"),
        (dict(reduce="min", chunk_rows=0), InvalidParameterError, "chunk_rows must be a whole number >= 1"),
    ],
)
def test_bad_input(kwargs, error, message):
    args = dict(memory_mb=128, duration_ms=100, requests=1e6, as_of=AS_OF) | kwargs
    with pytest.raises(error, match=message):
        sweep(**args)


# --- CLI ---------------------------------------------------------------------------------


def test_cli_issue_example_writes_every_row(tmp_path):
    out = tmp_path / "out.csv"
    result = runner.invoke(
        app,
        [
            "sweep",
            "--memory",
            "128:10240:64",
            "--ms",
            "120",
            "--requests",
            "1e6,1e7,1e8",
            "--arch",
            "x86_64,arm64",
            "--csv",
            "--as-of",
            AS_OF,
        ],
    )
    assert result.exit_code == 0, result.output
    out.write_text(result.output)  # as `lambdacost sweep ... --csv > out.csv` writes it
    frame = pd.read_csv(out)
    # 128..10240 step 64: 159 sizes (10240 included) x 3 traffic levels x 2 architectures
    assert len(frame) == 159 * 3 * 2
    assert frame.memory_mb.max() == 10240
    np.testing.assert_allclose(
        frame.cost,
        _monthly_cost(frame.assign(arch=frame.arch.astype("category"), region=frame.region.astype("category"))),
        rtol=1e-12,
    )
    assert len(result.output.splitlines()) == 954 + 1  # the header, then every row, nothing else


def test_cli_units_lists_and_cheapest_by():
    result = runner.invoke(
        app,
        [
            "sweep",
            "--memory",
            "1GB:2GB:512MB",
            "--ms",
            "1.5s",
            "--requests",
            "3M",
            "--arch",
            "x86_64,arm64",
            "--cheapest-by",
            "arch",
            "--as-of",
            AS_OF,
            "--csv",
        ],
    )
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[0].startswith("memory_mb,duration_ms,requests,arch")
    assert [line.split(",")[:4] for line in lines[1:]] == [
        ["1024.0", "1500.0", "3000000.0", "x86_64"],
        ["1024.0", "1500.0", "3000000.0", "arm64"],
    ]


def test_cli_json():
    result = runner.invoke(
        app, ["sweep", "--memory", "1536", "--ms", "120", "--requests", "3M", "--json", "--as-of", AS_OF]
    )
    assert result.exit_code == 0, result.output
    assert '"cost": 2.733338' in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--memory", "128:1024:0"],
            "Invalid value for '--memory': memory_mb must be a range start:stop:step with a step > 0, got '128:1024:0'",
        ),
        (["--memory", "1024:128:64"], "start <= stop, got '1024:128:64'"),
        (["--memory", "128:256"], "memory_mb must be a value, a list a,b,c or a range start:stop:step, got '128:256'"),
        (
            ["--memory", "64,128"],
            "Invalid value for '--memory': memory_mb must be a whole number in 128..10240 MB, got 64",
        ),
        (["--memory", "128:20000:128"], "memory_mb must be a whole number in 128..10240 MB, got 10368"),
        (["--requests", "1:1e12:1"], "requests must be a range of at most 10,000,000 values"),
        (["--arch", "x86_64,sparc"], "Invalid value for '--arch': arch must be one of"),
        (["--cheapest-by", "colour"], "Invalid value for '--cheapest-by': by must be axis names"),
        (["--ms", "fast"], "Invalid value for '--ms'"),
    ],
)
def test_cli_bad_input_exits_2_with_one_line(args, message):
    base = {"--memory": "128", "--ms": "100", "--requests": "1e6"}
    for i in range(0, len(args), 2):
        base[args[i]] = args[i + 1]
    result = runner.invoke(app, ["sweep", *itertools.chain(*base.items())])
    assert result.exit_code == 2
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1


# --- the meter options, shared with estimate ------------------------------------------------------

#: The meter flags of `estimate`, which `sweep` takes too (lambdacost/cli/meters.py).
METER_FLAGS = (
    "--provisioned",
    "--provisioned-hours",
    "--utilization",
    "--cold-start-rate",
    "--init-ms",
    "--package-type",
    "--runtime",
    "--snapstart",
    "--restore-ms",
    "--edge",
    "--response-mb",
    "--async-kb",
)


def test_cli_meters_are_axes_and_rows_equal_estimate():
    args = ["--memory", "1024,2GB", "--ms", "100", "--requests", "1e8", "--as-of", AS_OF]
    meters = ["--provisioned", "0,2", "--cold-start-rate", "0.01", "--init-ms", "400"]
    result = runner.invoke(app, ["sweep", *args, *meters, "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    combinations = [(m, pc) for m in (1024.0, 2048.0) for pc in (0.0, 2.0)]
    assert [(r["memory_mb"], r["provisioned_concurrency"]) for r in rows] == combinations
    for row in rows:
        assert row["provisioned_cost"] > 0 if row["provisioned_concurrency"] else row["provisioned_cost"] == 0
        expected = lambdacost.estimate(
            row["memory_mb"],
            100,
            1e8,
            provisioned_concurrency=row["provisioned_concurrency"],
            cold_start_rate=0.01,
            init_duration_ms=400,
            as_of=AS_OF,
        )
        assert row["cost"] == pytest.approx(expected.total_cost, rel=1e-9, abs=0)


def test_cli_meter_ranges_and_units():
    result = runner.invoke(
        app,
        ["sweep", "-m", "1024", "--ms", "100", "-r", "1e7", "--as-of", AS_OF, "--cold-start-rate", "0:0.1:0.05",
         "--init-ms", "0.2s,1s", "--csv"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(io.StringIO(result.output))
    assert frame.cold_start_rate.tolist() == pytest.approx([0, 0, 0.05, 0.05, 0.1, 0.1])
    assert frame.init_duration_ms.tolist() == [200, 1000] * 3


@pytest.mark.parametrize("command", ["sweep", "estimate"])
def test_cli_bad_meter_value_names_the_flag(command):
    result = runner.invoke(
        app, [command, "--memory", "128", "--ms", "100", "--requests", "1e6", "--cold-start-rate", "2"]
    )
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1
    assert result.output.startswith("Error: Invalid value for '--cold-start-rate': cold_start_rate must be")
    bad = runner.invoke(app, [command, "--memory", "128", "--ms", "100", "--requests", "1e6", "--init-ms", "soon"])
    assert bad.exit_code == 2
    assert "Invalid value for '--init-ms'" in bad.output


def _meter_help(command: str) -> dict[str, str]:
    """Each meter flag of ``command`` -> its help text, as declared (no terminal wrapping)."""
    import typer.main

    params = {p.opts[0]: p for p in typer.main.get_command(app).commands[command].params}
    return {flag: params[flag].help for flag in METER_FLAGS if flag in params}


def test_cli_help_of_sweep_and_estimate_lists_the_same_meter_flags():
    sweep_help, estimate_help = _meter_help("sweep"), _meter_help("estimate")
    assert set(sweep_help) == set(METER_FLAGS)
    assert sweep_help == estimate_help
    for command in ("sweep", "estimate"):
        result = runner.invoke(app, [command, "--help"], env={"COLUMNS": "200"})
        assert result.exit_code == 0
        for flag in METER_FLAGS:
            assert flag in result.output


def test_cli_plot_refuses_a_meter_axis(tmp_path):
    target = tmp_path / "surface.png"
    result = runner.invoke(
        app, ["sweep", "-m", "128:1024:128", "--ms", "100", "-r", "1e6", "--provisioned", "0,2", "--plot", str(target)]
    )
    assert result.exit_code == 2
    assert "these vary: memory_mb, provisioned_concurrency" in result.output
    assert not target.exists()


def test_cost_grid_to_frame_is_the_sweep(full):
    frame = cost_grid(**AXES, as_of=AS_OF).to_frame()
    np.testing.assert_array_equal(frame.cost.to_numpy(), full.cost.to_numpy())
    assert list(frame.columns) == list(full.columns)


def test_cli_cheapest_list_skips_free_tier_ties_and_says_how_many_are_free():
    # 8 sizes x 2 durations x 3 loads. At 1e5 and 1e6 requests every scenario is inside the free
    # tier (1M requests; at most 1 GB x 0.2 s x 1e6 = 200,000 of 400,000 GB-s): 32 cost $0.00.
    # At 1e7: (1e7 - 1e6) x $0.20/M = $1.80 of requests, and no duration charge while
    # MB x ms <= 40,960 (400,000 GB-s): 128 MB at 100 and 200 ms, 256 and 384 MB at 100 ms.
    args = ["sweep", "-m", "128:1024:128", "-d", "100,200", "-r", "1e5,1e6,1e7", "--top", "4", "--as-of", AS_OF]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == (
        "32 of 48 scenarios cost $0.00 (inside the monthly free tier); of the 16 that pay, "
        "the 4 cheapest (USD per month):"
    )
    rows = [line.split() for line in lines[4:8]]
    assert [(r[0], r[1], r[2], r[-1]) for r in rows] == [
        ("128", "100", "10,000,000", "$1.80"),
        ("128", "200", "10,000,000", "$1.80"),
        ("256", "100", "10,000,000", "$1.80"),
        ("384", "100", "10,000,000", "$1.80"),
    ]
    assert "`lambdacost tune --ms DURATION@MEMORY -r REQUESTS` models the speed-up." in result.output


def test_cli_all_free_grid_says_so_instead_of_listing_ties():
    result = runner.invoke(app, ["sweep", "-m", "128,256", "-d", "100", "-r", "1e5", "--as-of", AS_OF])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(
        "All 2 scenarios cost $0.00: each is inside the monthly free tier (--no-free-tier prices them without it)."
    )


def test_cli_one_memory_size_needs_no_note_about_the_duration_model():
    result = runner.invoke(app, ["sweep", "-m", "512", "-d", "100,200", "-r", "1e7", "--as-of", AS_OF])
    assert result.exit_code == 0 and "tune" not in result.output


def test_reduction_reports_progress_after_each_chunk():
    calls = []
    best = sweep(range(128, 1025, 64), [100, 200], 1e7, as_of=AS_OF, reduce="min", chunk_rows=10,
                 progress=lambda done, total: calls.append((done, total)))  # fmt: skip
    assert len(best) == 1
    # 15 sizes x 2 durations = 30 scenarios in chunks of 10.
    assert calls == [(10, 30), (20, 30), (30, 30)]


def test_cli_memory_chart_draws_no_flat_duration_line():
    from lambdacost.cli.sweep import _sweep_chart

    frame = sweep([128, 512, 1024], 120, 1e7, arch=["x86_64", "arm64"], as_of=AS_OF)
    ax = _sweep_chart(frame)
    assert ax.right_ax is None  # no duration axis: it would be one flat line
    assert [line.get_label() for line in ax.get_lines()] == ["x86_64 cost", "arm64 cost"]
    assert ax.get_title() == "Cost by memory at 120 ms (the same at every size: not modelled)"
