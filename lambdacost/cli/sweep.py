"""``lambdacost sweep`` (cost over a grid of inputs) and ``lambdacost tune`` (which memory
size and architecture to pick)."""

# Annotations evaluated here, not postponed: Typer would otherwise compile each one at every start.

import typer

from .common import (
    PLOT_HELP,
    app,
    check_one_format,
    check_plot_file,
    fail,
    parse_axis,
    print_json,
    save_plot,
    user_errors,
    write_csv,
)
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

#: Parameters of sweep() and tune() and the flags that set them (for bad-input messages).
OPTIONS = {
    **METER_OPTIONS,
    "by": "--cheapest-by",
    "weight": "--weight",
    "strategy": "--strategy",
    "cpu_share": "--cpu-share",
    "threads": "--threads",
    "arm64_speed_factor": "--arm64-factor",
    "measured_arch": "--measured-arch",
    "measured_memory_mb": "--ms",
}


def _names(text: str) -> list[str]:
    return [item.strip() for item in str(text).split(",") if item.strip()]


@app.command()
@user_errors(options=OPTIONS)
@with_more_meters
def sweep(
    memory: str = typer.Option(
        ..., "--memory", "-m", help="Memory sizes: a list 512,1GB or a range 128:10240:64 (stop included)."
    ),
    ms: str = typer.Option(
        ..., "--ms", "-d", help="Durations per invocation: list or range (120, 1.5s, 100:1000:100)."
    ),
    requests: str = typer.Option(..., "--requests", "-r", help="Invocations per --per: list or range (1e6,1e7,5M)."),
    arch: str = typer.Option("x86_64", "--arch", help="x86_64, arm64 or both: x86_64,arm64."),
    region: str = typer.Option("us-east-1", "--region", help="Region codes, comma-separated."),
    storage: str = typer.Option(
        "512", "--storage", help="Ephemeral storage (/tmp) sizes: list or range in 512..10240 MB."
    ),
    free_tier: bool = typer.Option(
        True, "--free-tier/--no-free-tier", help="Apply the monthly free tier to each scenario."
    ),
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
    cheapest_by: str | None = typer.Option(
        None,
        "--cheapest-by",
        help="Keep only the cheapest scenario per group of these axes (e.g. arch,requests); evaluated in chunks.",
    ),
    as_csv: bool = typer.Option(False, "--csv", help="Print every row as CSV (redirect it to a file: > rows.csv)."),
    as_json: bool = typer.Option(False, "--json", help="Print every row as JSON."),
    top: int = typer.Option(10, "--top", min=1, help="Rows shown in the text summary (cheapest first)."),
    plot: str | None = typer.Option(
        None, "--plot", help=PLOT_HELP + " (a cost surface over --memory x --ms ranges, or cost by memory)"
    ),
    more_meters: dict | None = None,
):
    """Price every combination of the given memory sizes, durations, traffic and architectures.

    The meter options are those of `estimate`; the numeric ones also take a list or range (more axes).
    """
    from ..sweeps import cheapest
    from ..sweeps import sweep as run_sweep
    from ..units import parse_count, parse_duration_ms, parse_memory_mb

    check_plot_file(plot)

    axes = (
        parse_axis(memory, parse_memory_mb, "memory_mb"),
        parse_axis(ms, parse_duration_ms, "duration_ms"),
        parse_axis(requests, parse_count, "requests"),
    )
    keywords = dict(
        arch=_names(arch),
        region=_names(region),
        ephemeral_storage_mb=parse_axis(storage, parse_memory_mb, "ephemeral_storage_mb"),
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
            axes=True,
        ),
        **more_meter_keywords(more_meters or {}, axes=True),
    )
    check_one_format(as_json, as_csv)
    if not (plot or as_csv or as_json or cheapest_by):
        # Only the text summary: its few rows need no DataFrame (nor pandas' import time).
        scenarios, shown = cheapest(*axes, top=top, **keywords)
        if shown and all(r["cost"] == 0 for r in shown):
            from ..sweeps import cost_grid

            _print_paying(cost_grid(*axes, **keywords), top)
        else:
            _print_summary(scenarios, shown, None)
        _duration_note(axes[0])
        return
    from .progress import Progress

    with Progress(0, "Pricing") as bar:
        frame = run_sweep(
            *axes,
            reduce="min" if cheapest_by else None,
            by=_names(cheapest_by) if cheapest_by else (),
            progress=bar.advance if cheapest_by else None,
            **keywords,
        )
    if plot:
        save_plot(plot, lambda: _sweep_chart(frame))
    if as_csv:
        write_csv(frame)
        return
    if as_json:
        print_json(frame.astype({"arch": str, "region": str, "currency": str}).to_dict(orient="records"))
        return
    shown = frame.nsmallest(top, "cost", keep="first")
    _print_summary(len(frame), [r._asdict() for r in shown.itertuples()], cheapest_by)
    if not cheapest_by:
        _duration_note(axes[0])


def _print_paying(grid, top: int) -> None:
    """The summary when the cheapest rows all cost 0: how many are free, then the cheapest that pay.

    A list of free-tier ties says nothing about which inputs are cheaper. ``grid`` is a
    :class:`~lambdacost.sweeps.CostGrid` (numpy only: the text summary never imports pandas).
    """
    import numpy as np

    from ..tables import money

    zero = money(0.0, grid.currency)
    values = {name: np.broadcast_to(v, grid.shape).reshape(-1) for name, v in grid.values.items()}
    total = values["cost"]
    paying = np.flatnonzero(total > 0)
    if paying.size == 0:
        typer.echo(
            f"All {total.size:,} scenarios cost {zero}: each is inside the monthly free tier "
            "(--no-free-tier prices them without it)."
        )
        return
    order = paying[np.argsort(total[paying], kind="stable")[:top]]  # ties in grid order
    where = np.unravel_index(order, grid.shape)
    shown = []
    for k, flat in enumerate(order):
        row = {name: grid.coords[name][where[d][k]] for d, name in enumerate(grid.dims)}
        row.update({name: v[flat] for name, v in values.items()}, currency=grid.currency)
        shown.append({c: (v.item() if isinstance(v, np.generic) else v) for c, v in row.items()})
    what = (
        f"{total.size - paying.size:,} of {total.size:,} scenarios cost {zero} (inside the monthly free tier); "
        f"of the {paying.size:,} that pay, the {len(shown)} cheapest"
    )
    _print_summary(paying.size, shown, None, what)


def _duration_note(memory_sizes) -> None:
    """Say, under a summary over several memory sizes, what a sweep does not model."""
    if len(set(memory_sizes)) > 1:
        typer.echo(
            "\nEach --ms is priced as given at every --memory size (a sweep does not model that more memory\n"
            "runs faster), so at equal duration the smallest size is cheapest. To choose a size,\n"
            "`lambdacost tune --ms DURATION@MEMORY -r REQUESTS` models the speed-up."
        )


def _print_summary(scenarios: int, shown: list[dict], cheapest_by, what=None) -> None:
    """The text summary of a sweep: the rows shown (records, cheapest first, each with its ``currency``)."""
    from ..tables import count, money, text_table

    currency = shown[0]["currency"] if shown else "USD"
    rows = [
        [
            count(r["memory_mb"]),
            count(r["duration_ms"]),
            count(r["requests"]),
            r["arch"],
            r["region"],
            money(r["duration_cost"], currency),
            money(r["requests_cost"], currency),
            money(r["cost"], currency),
        ]
        for r in shown
    ]
    what = what or (
        f"cheapest scenario per {cheapest_by}" if cheapest_by else f"{scenarios:,} scenarios; the {len(shown)} cheapest"
    )
    typer.echo(f"{what} ({currency} per month):\n")
    typer.echo(
        text_table(
            ["memory MB", "ms", "requests", "arch", "region", "duration", "requests cost", "total"],
            rows,
            [True, True, True, False, False, True, True, True],
        )
    )


def _sweep_chart(frame):
    """A cost surface when memory and duration both vary (one scenario per pair), else cost by memory."""
    from ..plot import cost_surface, memory_curve
    from ..sweeps import AXIS_METERS

    axes = ("memory_mb", "duration_ms", "requests", "arch", "region", "ephemeral_storage_mb", *AXIS_METERS)
    varying = [c for c in axes if c in frame.columns and frame[c].nunique() > 1]
    if set(varying) == {"memory_mb", "duration_ms"}:
        return cost_surface(frame)
    if set(varying) <= {"memory_mb", "arch"} and "memory_mb" in varying:
        return memory_curve(frame)
    fail(
        "Invalid value for '--plot': a chart needs --memory and --ms ranges (cost surface) or a --memory range "
        f"(with --arch x86_64,arm64 at most) and every other input single; these vary: {', '.join(varying) or 'nothing'}"
    )


def parse_measurements(text: str) -> tuple[list[float], list[float]]:
    """``DURATION@MEMORY`` points, comma-separated: ``800@1024`` or ``800@1GB,450ms@2GB``.

    Examples
    --------
    >>> parse_measurements("800@1024,0.45s@2GB")
    ([1024.0, 2048.0], [800.0, 450.0])
    """
    from ..errors import InvalidParameterError
    from ..units import parse_duration_ms, parse_memory_mb

    sizes, durations = [], []
    for part in _names(text):
        if part.count("@") != 1:
            raise InvalidParameterError(
                "duration_ms", "DURATION@MEMORY points such as 800@1024 or 800@1024,450@2048", part
            )
        duration, memory = part.split("@")
        durations.append(parse_duration_ms(duration))
        try:
            sizes.append(parse_memory_mb(memory))
        except InvalidParameterError as error:  # the memory of a --ms point, not --memory
            raise InvalidParameterError(
                "duration_ms", f"DURATION@MEMORY points, MEMORY being {error.allowed}", part
            ) from None
    if not sizes:
        raise InvalidParameterError("duration_ms", "DURATION@MEMORY points such as 800@1024", text)
    return sizes, durations


@app.command()
@user_errors(options=OPTIONS)
def tune(
    ms: str | None = typer.Option(
        None,
        "--ms",
        "-d",
        help="Measured duration at a memory size: 800@1024; several points (800@1024,450@2048) are interpolated.",
    ),
    requests: str = typer.Option(..., "--requests", "-r", help="Invocations per --per: 1e6, 5M."),
    cpu_share: float = typer.Option(
        1.0, "--cpu-share", help="CPU-bound share of a single --ms point (0..1); the rest is I/O."
    ),
    threads: float = typer.Option(1.0, "--threads", help="Threads the code keeps busy (>= 1)."),
    power_tuning: str | None = typer.Option(
        None, "--power-tuning", help="AWS Lambda Power Tuning output JSON (with stats) to re-price."
    ),
    measured_arch: str = typer.Option("x86_64", "--measured-arch", help="Architecture the durations were measured on."),
    arm64_factor: float = typer.Option(
        1.0, "--arm64-factor", help="arm64 duration / x86_64 duration (0.8: arm64 20% faster)."
    ),
    memory: str | None = typer.Option(
        None, "--memory", "-m", help="Sizes to consider (list or range); default all, 1 MB steps."
    ),
    arch: str = typer.Option("x86_64,arm64", "--arch", help="Architectures to consider."),
    strategy: str = typer.Option("cost", "--strategy", help="cost, speed or balanced."),
    weight: float = typer.Option(0.5, "--weight", help="balanced: 1 = cost only, 0 = speed only."),
    region: str = typer.Option("us-east-1", "--region", help="AWS region code."),
    storage: str = typer.Option("512", "--storage", help="Ephemeral storage (/tmp): 512..10240 MB."),
    free_tier: bool = typer.Option(True, "--free-tier/--no-free-tier", help="Apply the monthly free tier."),
    per: str = typer.Option("month", "--per", help="Unit of --requests: second, minute, hour, day or month (730 h)."),
    as_of: str | None = typer.Option(None, "--as-of", help="Billing date YYYY-MM-DD; selects the price era."),
    as_json: bool = typer.Option(False, "--json", help="Print the recommendation and the full table as JSON."),
    as_csv: bool = typer.Option(False, "--csv", help="Print the full table as CSV."),
    top: int = typer.Option(10, "--top", min=1, help="Rows shown in the text summary (best first)."),
    plot: str | None = typer.Option(
        None, "--plot", help=PLOT_HELP + " (cost and duration by memory, the recommendation marked)"
    ),
):
    """Recommend a memory size and architecture: cost per invocation and per month for each."""
    from ..tables import count, money, text_table, unit_price
    from ..tuning import tune as run_tune
    from ..units import parse_count, parse_memory_mb

    if (ms is None) == (power_tuning is None):
        fail("give exactly one of --ms DURATION@MEMORY or --power-tuning FILE")
    check_plot_file(plot)
    duration_source = {}
    if ms is not None:
        sizes, durations = parse_measurements(ms)
        if len(sizes) == 1:
            duration_source = dict(
                duration_ms=durations[0], measured_memory_mb=sizes[0], cpu_share=cpu_share, threads=threads
            )
        else:
            duration_source = dict(measured=(sizes, durations))
    else:
        duration_source = dict(power_tuning=power_tuning)
    result = run_tune(
        parse_count(requests),
        **duration_source,
        measured_arch=measured_arch,
        arm64_speed_factor=arm64_factor,
        memory_mb=parse_axis(memory, parse_memory_mb, "memory_mb") if memory else None,
        arch=_names(arch),
        strategy=strategy,
        weight=weight,
        region=region,
        ephemeral_storage_mb=parse_memory_mb(storage, "ephemeral_storage_mb"),
        free_tier=free_tier,
        as_of=as_of,
        requests_per=per,
    )
    table = result.table
    if plot:
        from ..plot import memory_curve

        save_plot(plot, lambda: memory_curve(table))
    check_one_format(as_json, as_csv)
    if as_csv:
        write_csv(table)
        return
    if as_json:
        print_json(result.to_dict())
        return
    best, currency = result.best, result.currency
    how = f"strategy {strategy}" + (f", weight {result.weight:g}" if strategy == "balanced" else "")
    typer.echo(
        f"Recommended ({how}): {count(best.memory_mb)} MB {best.arch}, {count(round(best.duration_ms, 1))} ms "
        f"({_source(best, measured_arch, arm64_factor)}), {unit_price(float(best.price_per_invocation), currency)} per invocation, "
        f"{money(best.cost, currency)} per month at {count(result.requests)} requests"
    )
    for warning in result.warnings:
        typer.echo("Warning: " + _flags(warning))
    typer.echo("")
    shown = table.nsmallest(top, "rank")
    rows = [
        [
            str(r.rank),
            count(r.memory_mb),
            r.arch,
            count(round(r.duration_ms, 1)),
            _source(r, measured_arch, arm64_factor),
            unit_price(float(r.price_per_invocation), currency),
            money(r.cost, currency),
            f"{r.score:.6g}",
        ]
        for r in shown.itertuples()
    ]
    typer.echo(
        text_table(
            ["rank", "memory MB", "arch", "ms", "duration is", "per invocation", "per month", "score"],
            rows,
            [True, True, False, True, False, True, True, True],
        )
    )
    typer.echo(f"\n{len(table):,} configurations priced; --json or --csv for all of them.")
    typer.echo("Assumptions:\n" + "\n".join(f"- {_flags(a)}" for a in result.assumptions))


def _source(row, measured_arch: str, arm64_factor: float) -> str:
    """How a row's duration was had: ``measured``, ``extrapolated``, ... and, on the other
    architecture, from which one and by which factor: ``measured x86_64 x 1``."""
    source = str(row.duration_source)
    if str(row.arch) == measured_arch:
        return source
    return f"{source} {measured_arch} {'x' if measured_arch == 'x86_64' else '/'} {arm64_factor:g}"


def _flags(text: str) -> str:
    """A library sentence with its parameter names as this command's flags."""
    import re

    text = text.replace("arm64_speed_factor", "--arm64-factor")
    # "limit memory_mb to 512..3,008" -> the --memory range that does it, 1 MB steps.
    return re.sub(
        r"limit memory_mb to ([\d,]+)\.\.([\d,]+)",
        lambda m: f"use --memory {m[1].replace(',', '')}:{m[2].replace(',', '')}:1",
        text,
    )
