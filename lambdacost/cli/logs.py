"""``lambdacost logs``: what functions actually cost, from their REPORT logs."""

# Annotations evaluated here, not postponed: Typer would otherwise compile each one at every start.

import typer

from .common import (
    PLOT_HELP,
    app,
    check_one_format,
    check_plot_file,
    fail,
    print_csv,
    print_json,
    save_plot,
    user_errors,
)


@app.command()
@user_errors(
    options={
        "arm64_speed_factor": "--arm64-factor",
        "covered_days": "--days",
        "engine": "--engine",
        "what_if": "--what-if",
    }
)
def logs(
    paths: list[str] = typer.Argument(
        ...,
        help="Log files, globs, directories, or - for stdin (text, tail, JSON, filter-log-events, Insights; gzip ok).",
    ),
    arch: str = typer.Option("x86_64", "--arch", help="x86_64 or arm64 (the functions' architecture)."),
    region: str = typer.Option("us-east-1", "--region", help="AWS region code."),
    fleet: str | None = typer.Option(
        None,
        "--fleet",
        help="Fleet file (TOML/YAML/JSON): each listed function's arch and region; others use --arch/--region.",
    ),
    function: str | None = typer.Option(
        None, "--function", "-f", help="Function name for every record (default: from log group or file name)."
    ),
    what_if: list[str] = typer.Option(
        [], "--what-if", help="arm64 | x86_64 | memory=MB | right-size[=HEADROOM]; repeatable."
    ),
    arm64_factor: float | None = typer.Option(
        None, "--arm64-factor", help="arm64 duration / x86_64 duration for --what-if arm64 (default 1.0)."
    ),
    headroom: float = typer.Option(0.2, "--headroom", help="Right-size headroom above max memory used (0..1)."),
    as_of: str | None = typer.Option(None, "--as-of", help="Billing date YYYY-MM-DD (default: newest record)."),
    days: str | None = typer.Option(
        None, "--days", metavar="DAYS", help="Days the logs cover (default: first to last timestamp)."
    ),
    free_tier: bool = typer.Option(
        False, "--free-tier/--no-free-tier", help="Share one account free tier across the functions."
    ),
    engine: str = typer.Option("pandas", "--engine", help="pandas, or dask (needs lambdacost\\[dask])."),
    strict: bool = typer.Option(False, "--strict", help="Fail (exit 2) on any malformed REPORT record."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    as_csv: bool = typer.Option(False, "--csv", help="Print the per-function report (and what-ifs) as CSV."),
    plot: str | None = typer.Option(None, "--plot", help=PLOT_HELP + " (cost per function, with the what-ifs)"),
):
    """Price Lambda functions from their REPORT log records, with what-ifs."""
    from ..durations import ARM64_SPEED_FACTOR
    from ..readers.log_parse import MalformedLogError, parse_summary
    from ..readers.log_paths import expand_paths, source_size
    from ..readers.logs import read_logs
    from ..reports import report, what_ifs

    check_one_format(as_json, as_csv)
    check_plot_file(plot)
    covered_days = None if days is None else _days(days)
    if not 0 <= headroom <= 1:  # also NaN
        fail(f"Invalid value for '--headroom': headroom must be a finite number in 0..1, got {headroom:g}")
    if arm64_factor is not None and not 0 < arm64_factor <= 10:
        fail(
            f"Invalid value for '--arm64-factor': arm64_speed_factor must be a number in (0, 10], got {arm64_factor:g}"
        )
    for text in what_if:  # reject a bad scenario before reading gigabytes
        from ..reports import parse_scenario

        parse_scenario(text)
    from .progress import Progress

    sources = expand_paths(paths)
    total = sum(source_size(s) for s in sources)
    try:
        if engine == "pandas":  # a bar on a terminal's stderr once reading takes long
            with Progress(total, "Reading logs") as bar:
                frame = read_logs(sources, function=function, strict=strict, progress=bar.update)
        else:
            frame = read_logs(sources, function=function, strict=strict, engine=engine)
    except MalformedLogError as error:
        found = error.summary
        what = [f"{found.malformed} malformed REPORT record(s)"] if found.malformed else []
        what += [f"{len(found.unreadable)} unreadable source(s)"] if found.unreadable else []
        fail(f"--strict: {' and '.join(what)}: {_one_line(found.describe())}")
    except ImportError as error:
        fail(str(error))
    summary = parse_summary(frame)
    if summary.reports == 0:
        fail(f"no REPORT records found: {_one_line(summary.describe())}")
    if fleet is not None:
        arch, region = _from_fleet(fleet, frame, arch, region)
    result = report(frame, arch=arch, region=region, as_of=as_of, covered_days=covered_days, free_tier=free_tier)
    scenarios = (
        what_ifs(
            frame,
            what_if,
            arch=arch,
            region=region,
            as_of=as_of,
            covered_days=covered_days,
            free_tier=free_tier,
            headroom=headroom,
            arm64_speed_factor=ARM64_SPEED_FACTOR if arm64_factor is None else arm64_factor,
        )
        if what_if
        else None
    )
    if plot:
        from ..plot import log_costs

        save_plot(plot, lambda: log_costs(result, scenarios))
    assumptions = _assumptions(result, scenarios)
    if as_json:  # a month not known is null, never NaN
        print_json(
            {
                "as_of": result.attrs["as_of"],
                "covered_days": result.attrs["covered_days"],
                "parse": summary.to_dict(),
                "functions": _records(result),
                "what_ifs": _records(scenarios) if scenarios is not None else [],
                "assumptions": assumptions,
            }
        )
        return
    if as_csv:  # a month not known is an empty cell
        print_csv(list(result.columns), _cells(result))
        if scenarios is not None:
            typer.echo("")
            print_csv(list(scenarios.columns), _cells(scenarios))
        return
    typer.echo(_text(result, scenarios, summary, assumptions))


def _assumptions(result, scenarios) -> list[str]:
    """The report's and the what-ifs' assumptions, once each; where they ask for covered_days, --days."""
    notes = list(result.attrs["assumptions"]) + (list(scenarios.attrs["assumptions"]) if scenarios is not None else [])
    notes = [note.replace("pass covered_days", "pass --days N") for note in notes]
    return list(dict.fromkeys(notes))


def _cells(frame) -> list[list]:
    """Rows for CSV: missing values (``pd.NA``, ``NaT``) as empty cells."""
    return frame.astype(object).where(frame.notna(), "").to_numpy().tolist()


def _days(text: str) -> float:
    """--days as a number; the report checks its range, and errors show it as typed (1e9, not 1000000000)."""
    from ..errors import InvalidParameterError

    try:
        return float(text)
    except ValueError:
        raise InvalidParameterError("covered_days", "a number of days", text) from None


def _one_line(text: str) -> str:
    """A read summary as one line for an error message."""
    return "; ".join(part.strip() for part in text.splitlines() if part.strip()).replace(":; ", ": ")


def _from_fleet(path: str, frame, arch: str, region: str) -> tuple[dict, dict]:
    """Per-function arch and region from a fleet file, the options for the rest."""
    from ..readers.fleet import read_fleet

    listed = {f["name"]: f for f in read_fleet(path).functions if "name" in f}
    names = frame["function"].unique()
    names = names.compute() if hasattr(names, "compute") else names
    archs = {n: listed.get(n, {}).get("arch", arch) for n in names}
    regions = {n: listed.get(n, {}).get("region", region) for n in names}
    return archs, regions


def _money(value: float, currency: str) -> str:
    """Cents for a bill, millionths for the tiny sums of a short log sample."""
    import pandas as pd

    from ..tables import CURRENCIES, money

    if pd.isna(value):  # not known: no time span in the logs
        return "-"
    if abs(value) >= 0.01:
        return money(value, currency)
    return f"{'-' if value < 0 else ''}{CURRENCIES[currency]}{abs(value):.6f}"


def _records(frame) -> list[dict]:
    import json

    return json.loads(frame.to_json(orient="records", date_format="iso", double_precision=15))


def _text(result, scenarios, summary, assumptions) -> str:
    from ..tables import count, currency_of, text_table

    days, currency = result.attrs["covered_days"], currency_of(result)
    span = f"{days:,.2f} day(s)" if days is not None else "an unknown span (no timestamps; see --days)"
    lines = [
        f"Lambda cost from REPORT logs in {currency}, priced as of {result.attrs['as_of']}; logs cover {span}.",
        "",
    ]
    headers = [
        "function",
        "arch",
        "invocations",
        "cold %",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "GB-s",
        "cost",
        "per month",
        "mem MB",
        "max used",
    ]
    rows = [
        [
            r.function,
            r.arch,
            count(r.invocations),
            f"{100 * r.cold_start_rate:.1f}",
            f"{r.duration_p50_ms:.1f}",
            f"{r.duration_p95_ms:.1f}",
            f"{r.duration_p99_ms:.1f}",
            count(round(r.billed_gb_seconds, 3)),
            _money(r.cost, currency),
            _money(r.monthly_cost, currency),
            str(r.memory_size_mb),
            f"{r.max_memory_used_mb} ({r.memory_used_pct:.0f}%)",
        ]
        for r in result.itertuples()
    ]
    lines.append(text_table(headers, rows, [False, False] + [True] * 10))
    no_span = result.attrs.get("no_span", ())
    if no_span:
        lines.append(f"per month: not known for {', '.join(no_span)} (no time span in the logs); pass --days N")
    if scenarios is not None and len(scenarios):
        lines += ["", "What-ifs (saving over the logged period, and per month):", ""]
        rows = [
            [
                s.scenario,
                s.function,
                f"{s.arch}->{s.what_if_arch}",
                f"{s.memory_size_mb}->{s.what_if_memory_mb}",
                _money(s.baseline_cost, currency),
                _money(s.what_if_cost, currency),
                _money(s.saving, currency),
                f"{s.saving_pct:.1f}%",
                _money(s.monthly_saving, currency),
            ]
            for s in scenarios.itertuples()
        ]
        lines.append(
            text_table(
                ["what-if", "function", "arch", "memory MB", "baseline", "what-if", "saving", "saving %", "per month"],
                rows,
                [False] * 4 + [True] * 5,
            )
        )
    lines += ["", summary.describe()]
    lines += ["", "Assumptions:"] + [f"  - {a}" for a in assumptions]
    return "\n".join(lines)
