"""``lambdacost estimate``: one function-month, line by line."""

from __future__ import annotations

import typer

from .common import PLOT_HELP, app, check_one_format, check_plot_file, fail, show_result, user_errors
from .meters import (
    METER_OPTIONS,
    AsyncKb,
    ColdStartRate,
    Edge,
    InitMs,
    PackageType,
    Provisioned,
    ProvisionedHours,
    ResponseMb,
    RestoreMs,
    Runtime,
    Snapstart,
    Utilization,
    meter_keywords,
    more_meter_keywords,
    with_more_meters,
)

#: estimate()'s parameters beyond OPTION_NAMES and the flags that set them.
OPTIONS = {
    **METER_OPTIONS,
    "p50_ms": "--p50",
    "p99_ms": "--p99",
}


@app.command()
@user_errors(options=OPTIONS)
@with_more_meters
def estimate(
    memory: str = typer.Option(..., "--memory", "-m", help="Memory: 512, 512MB or 2GB (1 GB = 1024 MB)."),
    ms: str | None = typer.Option(
        None, "--ms", "-d", help="Duration per invocation: 120, 120ms or 1.5s (not needed with --p50 and --p99)."
    ),
    requests: str = typer.Option(..., "--requests", "-r", help="Invocations: 1e6, 1_000_000, 3M or 2.5k (per --per)."),
    arch: str = typer.Option("x86_64", "--arch", help="x86_64 or arm64."),
    region: str = typer.Option("us-east-1", "--region", help="AWS region code."),
    storage: str = typer.Option("512", "--storage", help="Ephemeral storage (/tmp): 512..10240 MB."),
    free_tier: bool = typer.Option(True, "--free-tier/--no-free-tier", help="Apply the monthly free tier."),
    per: str = typer.Option("month", "--per", help="Unit of --requests: second, minute, hour, day or month (730 h)."),
    as_of: str | None = typer.Option(None, "--as-of", help="Billing date YYYY-MM-DD; selects the price era."),
    provisioned: Provisioned = "0",
    provisioned_hours: ProvisionedHours = None,
    utilization: Utilization = None,
    cold_start_rate: ColdStartRate = "0",
    init_ms: InitMs = "0",
    package_type: PackageType = "Zip",
    runtime: Runtime = None,
    snapstart: Snapstart = False,
    restore_ms: RestoreMs = "0",
    edge: Edge = False,
    response_mb: ResponseMb = "0",
    async_kb: AsyncKb = "0",
    p50: str | None = typer.Option(
        None, "--p50", help="Median duration; with --p99, durations are lognormal (--ms is then ignored)."
    ),
    p99: str | None = typer.Option(
        None,
        "--p99",
        help="99th-percentile duration: durations lognormal by the mean (--ms) and p99, or by --p50 and p99.",
    ),
    explain: bool = typer.Option(False, "--explain", help="Show the derivation step by step."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    plot: str | None = typer.Option(None, "--plot", help=PLOT_HELP + " (the line items as a stacked bar)"),
    as_csv: bool = typer.Option(False, "--csv", help="Print the line items as CSV."),
    more_meters: dict | None = None,
):
    """Price one Lambda function for one month."""
    from .. import estimate as run_estimate
    from ..units import parse_count, parse_duration_ms, parse_memory_mb

    check_one_format(as_json, as_csv)
    check_plot_file(plot)

    if p50 is not None and p99 is None:
        fail("--p50 needs --p99 (a lognormal by median and p99)")
    if ms is None and p50 is None:
        fail("Missing option '--ms' (or give --p50 and --p99)")
    duration = parse_duration_ms(ms) if ms is not None else None
    if p99 is not None:
        from ..distributions import Lognormal

        p99_ms = parse_duration_ms(p99, "p99_ms")
        duration = (
            Lognormal.from_median(parse_duration_ms(p50, "p50_ms"), p99_ms)
            if p50 is not None
            else Lognormal(duration, p99_ms)
        )
    result = run_estimate(
        parse_memory_mb(memory),
        duration,
        parse_count(requests),
        arch=arch,
        region=region,
        ephemeral_storage_mb=parse_memory_mb(storage, "ephemeral_storage_mb"),
        free_tier=free_tier,
        as_of=as_of,
        requests_per=per,
        **meter_keywords(
            provisioned=provisioned,
            provisioned_hours=provisioned_hours,
            utilization=utilization,
            cold_start_rate=cold_start_rate,
            init_ms=init_ms,
            package_type=package_type,
            runtime=runtime,
            snapstart=snapstart,
            restore_ms=restore_ms,
            edge=edge,
            response_mb=response_mb,
            async_kb=async_kb,
        ),
        **more_meter_keywords(more_meters or {}),
    )
    show_result(result, as_json=as_json, as_csv=as_csv, explain=explain, plot=plot)
