"""Lambda vs servers: golden monthly costs, exact break-even, the chart helper and the CLI.

Golden numbers are worked by hand from pricing/lambda.toml and pricing/paas.toml
(each rate names its source there), with AWS's 730-hour month.
"""

import json
from dataclasses import replace

import matplotlib
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from lambdacost.breakevens import TIE_COST, breakeven
from lambdacost.capacity import Assumptions
from lambdacost.cli import app
from lambdacost.comparison import compare
from lambdacost.errors import InvalidParameterError
from lambdacost.options import Workload, option_cost, parse_option

matplotlib.use("Agg")

AS_OF = "2026-11-01"
LOAD = 52_560_000  # 20 req/s x 2,628,000 s in a 730-hour month
W = Workload(512, 120, LOAD, as_of=AS_OF)
ALL = [
    "lambda:x86_64",
    "lambda:arm64",
    "ec2:t4g.small",
    "beanstalk:t3.small",
    "fargate:0.5vcpu-1gb",
    "fargate:0.5vcpu-1gb:arm64",
    "express:1vcpu-2gb",
    "apprunner:1vcpu-2gb",
    "lmi:m7g.xlarge",
]


def cost(option, workload=W, load=LOAD):
    return float(option_cost(option, workload, [load])["cost"][0])


# --- golden monthly costs at 20 req/s, 512 MB, 120 ms -----------------------------------------
# Capacity: 2.4 requests in flight (20 x 0.12 s); each needs 512/1769 = 0.28943 vCPU and
# 0.5 GiB; sizing at 70 % utilisation, at least 2 servers.

GOLDEN = {
    # GB-s 52.56M x 0.5 x 0.12 = 3,153,600; less 400,000 free = 2,753,600 x 0.0000166667
    # = 45.89342...; requests (52.56M - 1M) x $0.20/M = 10.312.
    "lambda:x86_64": 2_753_600 * 0.0000166667 + 51.56 * 0.20,
    # arm64: 2,753,600 x 0.0000133334 + 10.312.
    "lambda:arm64": 2_753_600 * 0.0000133334 + 51.56 * 0.20,
    # 2 vCPU / 2 GiB: memory 1.2 GiB of 1.4 usable -> 1 instance, 2 for HA: 2 x $0.0168 x 730,
    # and as 2 run, an ALB (the default where 2+ run): 730 x $0.0225 + LCUs: max(1 conn/25,
    # 10 KB x 3600/1e9 GB) = 0.04 LCU per req/s x 20 req/s x 730 h = 584 LCU-h x $0.008.
    "ec2:t4g.small": 2 * 0.0168 * 730 + 730 * 0.0225 + 584 * 0.008,
    # 2 x t3.small ($0.0208) + the same ALB.
    "beanstalk:t3.small": 2 * 0.0208 * 730 + 730 * 0.0225 + 584 * 0.008,
    # single-instance environment: memory 1.2 GiB of 1.4 -> 1 t3.small, no load balancer.
    "beanstalk:t3.small:single": 1 * 0.0208 * 730,
    # 0.5 vCPU task: vCPU 2.4 x 0.28943 = 0.6946 of 0.35 usable -> 1.98 -> 2 tasks;
    # 2 x (0.5 x $0.04048 + 1 x $0.004445) x 730, + the ALB.
    "fargate:0.5vcpu-1gb": 2 * (0.5 * 0.04048 + 1 * 0.004445) * 730 + 730 * 0.0225 + 584 * 0.008,
    "fargate:0.5vcpu-1gb:arm64": 2 * (0.5 * 0.03238 + 1 * 0.00356) * 730 + 730 * 0.0225 + 584 * 0.008,
    # ECS Express Mode, its default 1 vCPU / 2 GB task: vCPU 0.6946 of 0.7, memory 1.2 of 1.4
    # -> 1 task, 2 for HA: 2 x (1 x $0.04048 + 2 x $0.004445) x 730, + its own ALB.
    "express:1vcpu-2gb": 2 * (1 * 0.04048 + 2 * 0.004445) * 730 + 730 * 0.0225 + 584 * 0.008,
    # 1 vCPU / 2 GB: vCPU 0.6946 of 0.7 -> 1 instance; 2.4 in flight > 1 so active all 730 h:
    # provisioned 2 GB x $0.007 x 730 + active 1 vCPU x $0.064 x 730 (active GB-h = idle rate).
    "apprunner:1vcpu-2gb": 2 * 0.007 * 730 + 1 * 0.064 * 730,
    # m7g.xlarge (4 vCPU, 16 GiB; holds a 2 GB / 1 vCPU execution environment): 3, AWS's default
    # for AZ resiliency, x $0.1632 x 730 = 357.408, + 15 % fee + 52.56M x $0.20/M requests (no
    # free tier, no duration charge).
    "lmi:m7g.xlarge": 3 * 0.1632 * 730 * 1.15 + 52.56 * 0.20,
}


@pytest.mark.parametrize("option", list(GOLDEN))
def test_golden_monthly_cost_at_twenty_requests_per_second(option):
    assert cost(option) == pytest.approx(GOLDEN[option], abs=1e-6)


def test_golden_values_in_round_numbers():
    assert round(GOLDEN["lambda:x86_64"], 2) == 56.21
    assert round(GOLDEN["ec2:t4g.small"], 3) == 45.625
    assert round(GOLDEN["beanstalk:t3.small"], 3) == 51.465
    assert round(GOLDEN["beanstalk:t3.small:single"], 3) == 15.184
    assert round(GOLDEN["fargate:0.5vcpu-1gb"], 4) == 57.1371
    assert round(GOLDEN["express:1vcpu-2gb"], 4) == 93.1772
    assert round(GOLDEN["apprunner:1vcpu-2gb"], 2) == 56.94
    assert round(GOLDEN["lmi:m7g.xlarge"], 4) == 421.5312


def test_front_doors_add_api_gateway_requests_to_lambda_only():
    http = Workload(512, 120, LOAD, as_of=AS_OF, front_door="http-api")
    rest = Workload(512, 120, LOAD, as_of=AS_OF, front_door="rest-api")
    # HTTP API $1.00/M, REST API $3.50/M (first tiers): 52.56M requests.
    assert cost("lambda:x86_64", http) == pytest.approx(GOLDEN["lambda:x86_64"] + 52.56 * 1.00)
    assert cost("lambda:x86_64", rest) == pytest.approx(GOLDEN["lambda:x86_64"] + 52.56 * 3.50)
    assert cost("ec2:t4g.small", rest) == pytest.approx(GOLDEN["ec2:t4g.small"])
    # Tier kink: 400M HTTP API requests = 300M x $1.00/M + 100M x $0.90/M = $390.
    assert float(option_cost("lambda", http, [4e8])["front_door_cost"][0]) == pytest.approx(390)
    free = Workload(512, 120, as_of=AS_OF, front_door="http-api", assumptions=Assumptions(api_gateway_free_tier=True))
    assert float(option_cost("lambda", free, [3e6])["front_door_cost"][0]) == pytest.approx(2.0)


def test_components_add_up_and_frame_is_tidy():
    result = compare(W, ALL[1:], requests=[0, 1e6, LOAD])
    frame = result.table
    assert list(frame.columns[:3]) == ["option", "requests_per_month", "cost"]
    parts = frame[["compute_cost", "requests_cost", "front_door_cost", "load_balancer_cost", "management_cost"]].sum(
        axis=1
    )
    np.testing.assert_allclose(parts, frame["cost"])
    assert frame.groupby("option").size().to_dict() == {o: 3 for o in ALL}
    assert frame["option"].iloc[0] == "lambda:x86_64" == result.reference
    at_load = frame[frame.requests_per_month == LOAD].set_index("option")["cost"]
    for option, expected in GOLDEN.items():
        if option not in ALL:
            continue
        assert at_load[option] == pytest.approx(expected, abs=1e-6)
    assert any("family ratios" not in a for a in result.assumptions)


def test_derived_specs_surface_as_assumptions(tmp_path):
    from lambdacost.prices import packaged_pricing_dir
    from lambdacost.prices.paas import load_paas_prices

    # no packaged row is derived any more; a sheet that marks one still says so in every result
    text = (packaged_pricing_dir() / "paas.toml").read_text()
    head = '[ec2.us-east-1."c7g.large"]\n'
    (tmp_path / "paas.toml").write_text(text.replace(head, head + "specs_derived = true\n", 1))
    prices = load_paas_prices(tmp_path)
    result = compare(W, ["lmi:c7g.large"], requests=[1e6, 1e7], paas_pricebook=prices)
    assert any("c7g.large" in a and "family ratios" in a for a in result.assumptions)
    assert not any("family ratios" in a for a in compare(W, ["lmi:c7g.large"], requests=[1e6]).assumptions)


def test_lambda_at_zero_load_costs_zero_while_servers_do_not():
    frame = compare(W, ALL, requests=[0]).table.set_index("option")["cost"]
    assert frame["lambda:x86_64"] == 0 and frame["lambda:arm64"] == 0
    assert (frame.drop(["lambda:x86_64", "lambda:arm64"]) > 0).all()


@settings(max_examples=30, deadline=None)
@given(
    loads=st.lists(st.floats(0, 1e10), min_size=2, max_size=15),
    memory_mb=st.sampled_from([128, 256, 512]),
    duration_ms=st.floats(1, 2000),
    front_door=st.sampled_from(["function-url", "http-api", "rest-api"]),
)
def test_costs_never_fall_as_load_rises(loads, memory_mb, duration_ms, front_door):
    workload = Workload(memory_mb, duration_ms, front_door=front_door, as_of=AS_OF)
    sorted_loads = np.sort(loads)
    for option in ALL:
        costs = option_cost(option, workload, sorted_loads)["cost"]
        assert np.all(np.diff(costs) >= -1e-9), option


# --- break-even -------------------------------------------------------------------------------


#: An ALB's LCU charge per request a month: 0.04 LCU per req/s x 730 h x $0.008 / 2,628,000 s.
LCU_USD_PER_REQUEST = 0.04 * 730 * 0.008 / 2_628_000


def test_breakeven_golden_against_ec2():
    # Lambda x86 above both free-tier kinks (1M requests, 400,000 GB-s = 6.67M requests):
    # 0.2e-6 (R - 1e6) + 0.0000166667 (0.06 R - 400,000) = 24.528 (two t4g.small) + the ALB
    # 16.425 + 8.8889e-8 R -> R = (24.528 + 16.425 + 0.2 + 6.66668) / (1.200002e-6 - 8.8889e-8)
    be = breakeven(W, "ec2:t4g.small")
    expected = (24.528 + 16.425 + 0.2 + 400_000 * 0.0000166667) / (0.2e-6 + 0.06 * 0.0000166667 - LCU_USD_PER_REQUEST)
    assert be.requests_per_month == pytest.approx(expected, rel=1e-9)
    assert be.crossings[0].kind == "continuous" and be.crossings[0].lambda_cheaper_below
    assert "break even at 43,037,635 requests/month" in str(be)
    # without the load balancer: (24.528 + 0.2 + 6.66668) / 1.200002e-6 = 26,162,190.0
    bare = breakeven(replace(W, assumptions=Assumptions(load_balancer=False)), "ec2:t4g.small")
    assert bare.requests_per_month == pytest.approx(
        (24.528 + 0.2 + 400_000 * 0.0000166667) / (0.2e-6 + 0.06 * 0.0000166667), rel=1e-9
    )


@pytest.mark.parametrize("option", ALL[1:])
@pytest.mark.parametrize("front_door", ["function-url", "rest-api"])
def test_breakeven_costs_equal_within_a_cent(option, front_door):
    workload = Workload(512, 120, front_door=front_door, as_of=AS_OF)
    be = breakeven(workload, option, against="lambda:x86_64")
    for crossing in be.crossings:
        lam, other = (
            cost("lambda:x86_64", workload, crossing.requests_per_month),
            cost(option, workload, crossing.requests_per_month),
        )
        assert lam == pytest.approx(crossing.cost, abs=1e-9)
        if crossing.kind == "continuous":
            assert abs(lam - other) < 0.01


def test_never_cross_in_range_is_said_plainly():
    be = breakeven(W, "ec2:t4g.small", low=1, high=1e6)
    assert be.crossings == () and be.requests_per_month is None
    assert str(be) == (
        "lambda:x86_64 and ec2:t4g.small never cross between 1 and 1,000,000 requests/month: "
        "lambda:x86_64 is cheaper throughout"
    )
    # Far above every break-even the server is cheaper throughout.
    be = breakeven(W, "ec2:t4g.small", low=1e9, high=1e10)
    assert be.crossings == () and not be.lambda_cheaper_at_low and "ec2:t4g.small is cheaper throughout" in str(be)


def _cheaper(option, workload, x):
    # The same tie rule as breakeven: Lambda cheaper by more than TIE_COST.
    return option_cost(option, workload, x)["cost"] - option_cost("lambda", workload, x)["cost"] > TIE_COST


@settings(max_examples=25, deadline=None)
@given(
    memory_mb=st.sampled_from([128, 512, 1024, 1536]),
    duration_ms=st.floats(5, 1500),
    option=st.sampled_from(ALL[1:]),
    arch=st.sampled_from(["x86_64", "arm64"]),
    front_door=st.sampled_from(["function-url", "http-api", "rest-api"]),
    utilization=st.floats(0.5, 1.0),
    minimum=st.integers(1, 3),
    profile=st.none() | st.lists(st.floats(0, 10), min_size=24, max_size=24).filter(lambda w: sum(w) > 0.1),
)
def test_breakeven_agrees_with_a_dense_evaluation(
    memory_mb, duration_ms, option, arch, front_door, utilization, minimum, profile
):
    workload = Workload(
        memory_mb,
        duration_ms,
        arch=arch,
        front_door=front_door,
        profile=profile,
        as_of=AS_OF,
        assumptions=Assumptions(target_utilization=utilization, min_instances=minimum),
    )
    try:
        parse_option(option, workload) and option_cost(option, workload, [1.0])
    except InvalidParameterError:
        return  # one request does not fit this instance: refused, tested elsewhere
    low, high = 1e3, 1e9
    be = breakeven(workload, option, low=low, high=high)
    dense = np.geomspace(low, high, 4001)
    lambda_cheaper = _cheaper(option, workload, dense)
    flips = np.flatnonzero(lambda_cheaper[:-1] != lambda_cheaper[1:])
    found = np.array([c.requests_per_month for c in be.crossings])
    # Every change seen on the dense grid holds a reported crossing ...
    for i in flips:
        assert np.any((found >= dense[i] * (1 - 1e-12)) & (found <= dense[i + 1] * (1 + 1e-12))), (dense[i], found)
    # ... every reported crossing is a real change of the cheaper side ...
    for c in be.crossings:
        below, above = _cheaper(
            option, workload, [c.requests_per_month * (1 - 1e-7), c.requests_per_month * (1 + 1e-7)]
        )
        assert below != above and bool(below) == c.lambda_cheaper_below
    # ... and the side at the low end matches.
    assert be.lambda_cheaper_at_low == bool(lambda_cheaper[0])


# --- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "option, message",
    [
        ("ec3:t4g.small", r"option must be one of the kinds .*did you mean 'ec2'"),
        ("ec2:t4g.smal", r"instance_type must be a priced instance type \(did you mean 't4g.small'"),
        ("fargate:half-a-cpu", "option must be a size such as fargate:0.5vcpu-1gb"),
        ("lambda:sparc", "option must be lambda, lambda:x86_64 or lambda:arm64"),
    ],
)
def test_unknown_options_name_close_matches(option, message):
    with pytest.raises(InvalidParameterError, match=message):
        compare(W, [option], requests=[1e6])


def test_bad_workloads():
    with pytest.raises(
        InvalidParameterError, match="front_door must be one of function-url, http-api, rest-api, got 'alb'"
    ):
        Workload(512, 120, front_door="alb")
    with pytest.raises(InvalidParameterError, match="profile must be 24 non-negative hourly weights"):
        Workload(512, 120, profile=[1] * 12)
    with pytest.raises(InvalidParameterError, match="memory_mb must be"):
        Workload(64, 120)
    with pytest.raises(InvalidParameterError, match="load must be servable by an instance of 2 vCPU / 2 GiB"):
        breakeven(Workload(4096, 120), "ec2:t4g.small")
    with pytest.raises(InvalidParameterError, match="high must be greater than low"):
        breakeven(W, "ec2:t4g.small", low=10, high=5)


# --- the chart --------------------------------------------------------------------------------


def test_plot_helper_lines_scales_markers_and_ax():
    import matplotlib.pyplot as plt

    from lambdacost.plot import paas_vs_serverless

    result = compare(W, ["ec2:t4g.small", "fargate:0.5vcpu-1gb", "apprunner"])
    fig, ax = plt.subplots()
    try:
        returned = paas_vs_serverless(result, ax=ax)
        assert returned is ax
        assert [line.get_label() for line in ax.get_lines()] == [
            "lambda:x86_64",
            "ec2:t4g.small",
            "fargate:0.5vcpu-1gb",
            "apprunner:1vcpu-2gb",
        ]
        assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
        assert "[count]" in ax.get_xlabel() and "[USD]" in ax.get_ylabel()
        markers = np.asarray(ax.collections[0].get_offsets())
        # One marker per crossing, except an option that crosses many times (App Runner's steps):
        # its first and last crossing only, the count said in the legend.
        per_option: dict = {}
        for c in result.crossings:
            per_option.setdefault(c["option"], []).append((c["requests_per_month"], c["cost"]))
        expected = [
            p for points in per_option.values() for p in (points if len(points) <= 2 else [points[0], points[-1]])
        ]
        np.testing.assert_allclose(markers, expected)
        # The shaded Lambda-cheapest span ends at the first break-even (EC2 at ~26.2M requests).
        spans = [p for p in ax.patches if p.get_label() != "lambda:x86_64 cheapest" and p.get_alpha() == 0.12]
        first = min(c["requests_per_month"] for c in result.crossings)
        right_edges = [p.get_x() + p.get_width() if hasattr(p, "get_width") else max(p.get_xy()[:, 0]) for p in spans]
        assert any(np.isclose(edge, first) for edge in right_edges)
    finally:
        plt.close(fig)


# --- the CLI ----------------------------------------------------------------------------------

runner = CliRunner()
CLI = ["compare", "--memory", "512", "--ms", "120", "--rps", "20", "--as-of", AS_OF]


def test_cli_table_and_breakeven():
    result = runner.invoke(app, CLI + ["--against", "ec2:t4g.small,fargate:0.5vcpu-1gb,apprunner"])
    assert result.exit_code == 0, result.output
    assert "$45.62" in result.output and "$56.21" in result.output and "$57.14" in result.output
    assert "break even at 43,037,635 requests/month" in result.output
    bare = runner.invoke(app, CLI + ["--against", "ec2:t4g.small", "--no-load-balancer"])
    assert "$24.53" in bare.output and "break even at 26,162,190 requests/month" in bare.output


def test_cli_json_and_csv():
    data = json.loads(runner.invoke(app, CLI + ["--against", "beanstalk:t3.small", "--json"]).output)
    by_option = {o["option"]: o for o in data["options"]}
    assert by_option["beanstalk:t3.small"]["cost"] == pytest.approx(GOLDEN["beanstalk:t3.small"])
    assert by_option["lambda:x86_64"]["breakeven_requests_per_month"] is None
    assert data["workload"]["requests_per_month"] == LOAD
    result = runner.invoke(app, CLI + ["--against", "lmi", "--front-door", "http-api", "--csv"])
    assert result.exit_code == 0, result.output
    header, _lambda_row, lmi_row = result.output.strip().splitlines()
    assert header.startswith("option,requests_per_month,cost") and lmi_row.startswith("lmi:m7g.xlarge,")


def test_busiest_hour_sizes_servers_not_lambda():
    one = Assumptions(min_instances=1)
    flat = Workload(512, 120, LOAD, as_of=AS_OF, assumptions=one)
    peaky = Workload(512, 120, LOAD, as_of=AS_OF, assumptions=one, profile=[1] * 12 + [3] * 12)
    # Memory demand 1.2/1.4 = 0.857 instance at the mean; x 1.5 at the peak = 1.29 -> 2 instances,
    # and with 2 running, the ALB they need (its LCUs follow the mean load).
    assert cost("ec2:t4g.small", flat) == pytest.approx(1 * 0.0168 * 730)
    assert cost("ec2:t4g.small", peaky) == pytest.approx(2 * 0.0168 * 730 + 730 * 0.0225 + 584 * 0.008)
    assert cost("lambda", peaky) == pytest.approx(cost("lambda", flat))


def test_cli_plot_writes_an_svg(tmp_path):
    chart = tmp_path / "chart.svg"
    result = runner.invoke(app, CLI + ["--against", "fargate", "--plot", str(chart)])
    assert result.exit_code == 0, result.output
    assert "<svg" in chart.read_text()[:500]


def test_cli_plot_writes_a_png(tmp_path):
    chart = tmp_path / "chart.png"
    result = runner.invoke(app, CLI + ["--against", "ec2:t4g.small,apprunner", "--plot", str(chart)])
    assert result.exit_code == 0, result.output
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and chart.stat().st_size > 10_000


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--against", "ec2:t4g.smal"], "did you mean 't4g.small'"),
        (["--against", "fargat"], "did you mean 'fargate'"),
        (
            ["--target-utilization", "1.5"],
            r"Invalid value for '--target-utilization': target_utilization must be a fraction in \(0, 1\], got 1.5",
        ),
        (["--target-utilization", "0"], "target_utilization must be a fraction"),
        (["--profile", "1,2,3"], "Invalid value for '--profile': profile must be 24 non-negative hourly weights"),
        (["--profile", ",".join(["1"] * 23 + ["-1"])], "profile must be 24 non-negative hourly weights"),
        (["--memory", "4096", "--against", "ec2:t4g.small"], "load must be servable by an instance"),
        (["--plot", "chart.pdf"], "must end in .png or .svg"),
        (["--front-door", "alb"], "Invalid value for '--front-door'"),
    ],
)
def test_cli_bad_input_is_one_line_and_exit_2(extra, message):
    args = CLI + extra if "--memory" not in extra else ["compare", "--ms", "120", "--rps", "20"] + extra
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error:")
    assert __import__("re").search(message, lines[0]), lines[0]


# --- one result, priced with the given price books ----------------------------------------------

TIERED_X86 = "x86_64_per_gb_second = [0.0000166667, 0.0000150000, 0.0000133334]"


@pytest.fixture
def doubled_pricing(tmp_path):
    """A private pricing directory whose us-east-1 x86_64 duration rates are doubled."""
    import shutil
    from pathlib import Path

    directory = tmp_path / "pricing"
    shutil.copytree(Path(__file__).parent.parent / "pricing", directory)
    sheet = directory / "lambda.toml"
    text = sheet.read_text()
    # the first occurrence is us-east-1's row (the 1ms era lists it first)
    head, row, tail = text.partition(
        '[eras.regions.us-east-1]\nname = "US East (N. Virginia)"\nsource_url = "https://github.com/remotion-dev/remotion/'
    )
    assert row and tail.split("[eras.regions.", 1)[0].count(TIERED_X86) == 1
    tail = tail.replace(TIERED_X86, "x86_64_per_gb_second = [0.0000333334, 0.0000300000, 0.0000266668]", 1)
    sheet.write_text(head + row + tail)
    return directory


def test_a_pricebook_passed_to_compare_prices_its_lambda_rows(doubled_pricing):
    from lambdacost.prices import PriceBook

    book = PriceBook.load(doubled_pricing)
    packaged = compare(W, ["ec2:t4g.small"], requests=[LOAD]).table.set_index("option")["cost"]
    doubled = compare(W, ["ec2:t4g.small"], requests=[LOAD], pricebook=book).table.set_index("option")["cost"]
    # GB-s 2,753,600 billable x 0.0000166667 more; requests and the server unchanged.
    assert doubled["lambda:x86_64"] == pytest.approx(GOLDEN["lambda:x86_64"] + 2_753_600 * 0.0000166667, abs=1e-6)
    assert packaged["lambda:x86_64"] == pytest.approx(GOLDEN["lambda:x86_64"], abs=1e-6)
    assert doubled["ec2:t4g.small"] == packaged["ec2:t4g.small"]
    # The break-even moves with it: 0.2e-6 (R - 1e6) + 0.0000333334 (0.06 R - 400,000) = 24.528
    # + the ALB's 16.425 + its LCUs.
    be = breakeven(W, "ec2:t4g.small", pricebook=book)
    expected = (24.528 + 16.425 + 0.2 + 400_000 * 0.0000333334) / (0.2e-6 + 0.06 * 0.0000333334 - LCU_USD_PER_REQUEST)
    assert be.requests_per_month == pytest.approx(expected, rel=1e-9)
    assert float(option_cost("lambda", W, [LOAD], pricebook=book)["cost"][0]) == doubled["lambda:x86_64"]


def test_cli_pricing_dir_reaches_the_lambda_row(doubled_pricing, monkeypatch):
    from lambdacost.prices import PRICING_DIR_ENV

    monkeypatch.setenv(PRICING_DIR_ENV, "")  # restored after the test: --pricing-dir sets it
    monkeypatch.delenv(PRICING_DIR_ENV)
    args = CLI + ["--against", "ec2:t4g.small", "--json"]
    packaged = json.loads(runner.invoke(app, args).output)
    result = runner.invoke(app, ["--pricing-dir", str(doubled_pricing), *args])
    assert result.exit_code == 0, result.output
    doubled = json.loads(result.output)
    rows = {o["option"]: o for o in doubled["options"]}
    before = {o["option"]: o for o in packaged["options"]}
    assert rows["lambda:x86_64"]["cost"] == pytest.approx(GOLDEN["lambda:x86_64"] + 2_753_600 * 0.0000166667)
    assert before["lambda:x86_64"]["cost"] == pytest.approx(GOLDEN["lambda:x86_64"])
    assert rows["ec2:t4g.small"]["cost"] == before["ec2:t4g.small"]["cost"]
    assert (
        rows["ec2:t4g.small"]["breakeven_requests_per_month"] < before["ec2:t4g.small"]["breakeven_requests_per_month"]
    )


def test_compare_returns_one_frozen_comparison():
    import dataclasses

    import lambdacost
    from lambdacost.comparison import Comparison

    result = compare(W, ["ec2:t4g.small", "fargate"], requests=[1e6, LOAD, 1e9])
    assert isinstance(result, Comparison) and lambdacost.Comparison is Comparison
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.reference = "lambda:arm64"
    assert result.workload is W and result.options == ["lambda:x86_64", "ec2:t4g.small", "fargate:0.5vcpu-1gb"]
    assert [be.option for be in result.breakevens] == ["ec2:t4g.small", "fargate:0.5vcpu-1gb"]
    # The crossings are the break-evens over the loads' range, option by option.
    direct = breakeven(W, "ec2:t4g.small", low=1e6, high=1e9)
    assert result.breakeven("ec2:t4g.small") == direct
    assert [c["requests_per_month"] for c in result.crossings if c["option"] == "ec2:t4g.small"] == [
        c.requests_per_month for c in direct.crossings
    ]
    frame = result.to_frame()
    assert frame.equals(result.table) and frame is not result.table
    data = json.loads(json.dumps(result.to_dict()))
    assert data["reference"] == "lambda:x86_64" and len(data["costs"]) == 9
    assert data["costs"][0]["instances"] is None
    assert data["breakevens"][0]["summary"] == str(direct)
    assert data["assumptions"] == list(result.assumptions)
    with pytest.raises(InvalidParameterError, match="option must be one of ec2:t4g.small"):
        result.breakeven("apprunner")


def test_compare_searches_the_range_it_is_given():
    result = compare(W, ["ec2:t4g.small"], requests=[LOAD], low=1, high=1e11)
    assert result.breakevens == (breakeven(W, "ec2:t4g.small"),)
    assert compare(W, ["ec2:t4g.small"], requests=[LOAD]).breakevens == ()


def test_cli_compare_with_a_plot_computes_once(tmp_path, monkeypatch):
    from lambdacost import breakevens, comparison

    calls = {"compare": 0, "breakeven": 0, "option_cost": 0}
    # Each name is counted wherever it is looked up: compare in comparison; breakeven there;
    # option_cost in comparison (the table) and breakevens (the solver).
    places = {"compare": [comparison], "breakeven": [comparison], "option_cost": [comparison, breakevens]}
    for name, modules in places.items():
        original = getattr(comparison, name)

        def counted(*args, _name=name, _original=original, **kwargs):
            calls[_name] += 1
            return _original(*args, **kwargs)

        for module in modules:
            monkeypatch.setattr(module, name, counted)
    args = CLI + ["--against", "ec2:t4g.small,fargate:0.5vcpu-1gb,apprunner", "--plot", str(tmp_path / "c.svg")]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    # One compare; one break-even per option; four option costs for the table, four per break-even.
    assert calls == {"compare": 1, "breakeven": 3, "option_cost": 4 + 3 * 4}


def test_app_runner_is_labelled_closed_to_new_customers():
    from datetime import date

    from lambdacost.prices.paas import default_paas_prices

    closed = default_paas_prices().availability["apprunner"]
    assert closed.closed_to_new_customers == date(2026, 4, 30)
    assert closed.source.url.startswith("https://docs.aws.amazon.com/apprunner/")
    with_it = compare(W, ["apprunner"], requests=[LOAD]).assumptions
    assert any(a.startswith("apprunner:1vcpu-2gb: closed to new customers since 2026-04-30") for a in with_it)
    without = compare(W, ["ec2:t4g.small"], requests=[LOAD]).assumptions
    assert not any("closed to new customers" in a for a in without)


@pytest.mark.parametrize("free", [False, True])
def test_api_gateway_free_tier_says_who_has_it(free):
    from dataclasses import replace

    w = replace(W, front_door="http-api", assumptions=Assumptions(api_gateway_free_tier=free))
    text = [a for a in compare(w, ["ec2:t4g.small"], requests=[LOAD]).assumptions if a.startswith("API Gateway")]
    assert len(text) == 1
    assert ("not applied" in text[0]) is not free
    assert (
        "only accounts created before 2025-07-15" in text[0]
        and "https://aws.amazon.com/api-gateway/pricing/" in text[0]
    )
    # a function URL has no API Gateway, and no such line
    assert not any(a.startswith("API Gateway") for a in compare(W, ["ec2:t4g.small"], requests=[LOAD]).assumptions)


# --- defaults that do not favour servers; Beanstalk single-instance; ECS Express Mode -------------


def test_the_load_balancer_default_follows_the_instance_count():
    one = replace(W, assumptions=Assumptions(min_instances=1))
    loads = [1e6, LOAD, 80e6]  # 1 t4g.small carries up to 61.32M requests/month (1.4 / 0.5 GiB x 2.4 / 20)
    parts = option_cost("ec2:t4g.small", one, loads)
    assert parts["instances"].tolist() == [1, 1, 2]
    alb_at_80m = 730 * 0.0225 + 80e6 * LCU_USD_PER_REQUEST
    assert parts["load_balancer_cost"].tolist() == pytest.approx([0, 0, alb_at_80m])
    always = option_cost(
        "ec2:t4g.small", replace(W, assumptions=Assumptions(min_instances=1, load_balancer=True)), loads
    )
    assert always["load_balancer_cost"][0] == pytest.approx(730 * 0.0225 + 1e6 * LCU_USD_PER_REQUEST)
    never = option_cost("fargate", replace(W, assumptions=Assumptions(load_balancer=False)), loads)
    assert never["load_balancer_cost"].tolist() == [0, 0, 0]


def test_beanstalk_single_instance_has_one_instance_no_balancer_and_a_ceiling():
    option = "beanstalk:t3.small:single"
    assert cost(option) == pytest.approx(GOLDEN[option])
    assert option_cost(option, W, [LOAD])["load_balancer_cost"][0] == 0
    # one t3.small holds 1.4 / 0.5 = 2.8 requests in flight: 2.8 / 0.12 s x 2,628,000 s
    ceiling = 2.8 / 0.12 * 2_628_000
    with pytest.raises(InvalidParameterError, match=r"at most 61,320,000 requests/month for beanstalk:t3.small:single"):
        option_cost(option, W, [ceiling * 1.01])
    result = compare(W, [option, "ec2:t4g.small"])
    table = result.table
    assert table[table.option == option].requests_per_month.max() <= ceiling
    be = result.breakeven(option)
    assert be.high == pytest.approx(ceiling) and be.crossings  # searched up to the ceiling only
    assert any(a.startswith(f"{option}: a single-instance environment") for a in result.assumptions)
    with pytest.raises(InvalidParameterError, match="option must be ec2:<instance type>, got 'ec2:t3.small:single'"):
        parse_option("ec2:t3.small:single")


def test_lambda_managed_instances_follow_awss_defaults():
    # 3 instances by default; the execution environment: 2 GB minimum, 2/4/8 GB per vCPU
    assert option_cost("lmi:m7g.xlarge", W, [1e6])["instances"][0] == 3
    big = Workload(10240, 120, as_of=AS_OF, assumptions=Assumptions(lmi_memory_gib_per_vcpu=2.0))
    with pytest.raises(InvalidParameterError, match=r"holds one execution environment of 5 vCPU / 10 GB"):
        option_cost("lmi:m7g.xlarge", big, [1e6])  # 4 vCPU / 16 GiB: too few vCPU
    roomy = Workload(4096, 120, as_of=AS_OF, assumptions=Assumptions(lmi_memory_gib_per_vcpu=8.0))
    assert option_cost("lmi:m7g.xlarge", roomy, [1e6])["instances"][0] == 3  # 1 vCPU / 8 GB fits
    with pytest.raises(InvalidParameterError, match="lmi_memory_gib_per_vcpu must be one of 2, 4, 8"):
        Assumptions(lmi_memory_gib_per_vcpu=3)
    text = compare(W, ["lmi"], requests=[LOAD]).assumptions
    assert any("Lambda Managed Instances at least 3 (AWS's default, for AZ resiliency)" in a for a in text)


def test_express_mode_is_fargate_tasks_behind_its_own_alb():
    option = "express"
    assert cost(option) == pytest.approx(GOLDEN["express:1vcpu-2gb"])
    bare = replace(W, assumptions=Assumptions(load_balancer=False))  # Express Mode always has its ALB
    assert option_cost(option, bare, [LOAD])["load_balancer_cost"][0] == pytest.approx(730 * 0.0225 + 584 * 0.008)
    arm = option_cost("express:1vcpu-2gb:arm64", W, [LOAD])
    assert arm["compute_cost"][0] == pytest.approx(2 * (1 * 0.03238 + 2 * 0.00356) * 730)


def test_cli_lists_each_assumption_once_on_its_own_line():
    result = runner.invoke(app, CLI + ["--against", "ec2:t3.small,beanstalk:t3.small,apprunner"])
    assert result.exit_code == 0, result.output
    head, _, listed = result.output.partition("\nAssumptions (")
    count, _, lines = listed.partition("):\n")
    items = [line for line in lines.splitlines() if line]
    assert all(line.startswith("  - ") for line in items) and int(count) == len(items)
    assert len(set(items)) == len(items)  # t3.small, named by two options, gives its rows once
    assert any(
        "an Application Load Balancer in front of EC2 and Fargate wherever they run 2 or more" in i for i in items
    )
