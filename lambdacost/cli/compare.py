"""``lambdacost compare``: the same workload on Lambda and on servers, and where they break even."""

# Annotations evaluated here, not postponed: Typer would otherwise compile each one at every start.

import typer

from ..option_kinds import DEFAULT_OPTIONS
from .common import app, check_one_format, check_plot_file, print_csv, print_json, save_plot, user_errors

#: compare()'s parameters and the flags that set them (for bad-input messages).
OPTIONS = {
    "rps": "--rps",
    "front_door": "--front-door",
    "target_utilization": "--target-utilization",
    "min_instances": "--min-instances",
    "profile": "--profile",
    "option": "--against",
    "instance_type": "--against",
}

#: The range searched for break-even loads. [requests/month]
BREAKEVEN_LOW, BREAKEVEN_HIGH = 1.0, 1e11


def options_priced(result) -> list[str]:
    """Every option of ``result``, priced at some load or not."""
    return [name for name, _, _ in result.parts]


@app.command()
@user_errors(options=OPTIONS)
def compare(
    memory: str = typer.Option(..., "--memory", "-m", help="Lambda memory: 512, 512MB or 2GB."),
    ms: str = typer.Option(..., "--ms", "-d", help="Duration per invocation: 120, 120ms or 1.5s."),
    rps: str = typer.Option(..., "--rps", help="Mean load in requests per second (730-hour month)."),
    against: str | None = typer.Option(
        None,
        "--against",
        help="Comma-separated options: ec2:<type>, beanstalk:<type>[:single], fargate:<v>vcpu-<g>gb[:arm64], "
        "express[:<v>vcpu-<g>gb[:arm64]] (ECS Express Mode), apprunner[:<v>vcpu-<g>gb] (closed to new customers), "
        f"lmi:<type>, lambda:<arch>. Default: {', '.join(DEFAULT_OPTIONS)} (what a new customer can buy; "
        "those not priced in --region are left out and listed).",
        show_default=False,
    ),
    arch: str = typer.Option("x86_64", "--arch", help="Lambda architecture: x86_64 or arm64."),
    region: str = typer.Option("us-east-1", "--region", help="AWS region code."),
    front_door: str = typer.Option("function-url", "--front-door", help="function-url (free), http-api or rest-api."),
    utilization: float = typer.Option(0.7, "--target-utilization", help="Target utilisation of servers, in (0, 1]."),
    min_instances: int = typer.Option(2, "--min-instances", help="Fewest server instances, for high availability."),
    profile: str | None = typer.Option(
        None, "--profile", help="24 comma-separated hourly traffic weights (UTC 0..23)."
    ),
    load_balancer: bool | None = typer.Option(
        None,
        "--load-balancer/--no-load-balancer",
        help="An ALB in front of EC2 and Fargate at every load / at none; default: wherever they run 2+ instances.",
    ),
    as_of: str | None = typer.Option(None, "--as-of", help="Billing date YYYY-MM-DD for Lambda prices."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    as_csv: bool = typer.Option(False, "--csv", help="Print CSV."),
    plot: str | None = typer.Option(None, "--plot", help="Write the cost-vs-load chart to this .png or .svg file."),
):
    """Monthly cost of one workload on Lambda and on servers, with the break-even loads."""
    import numpy as np

    from ..capacity import SECONDS_PER_MONTH, Assumptions
    from ..comparison import compare as run_compare
    from ..options import Workload
    from ..tables import count, money, text_table
    from ..units import parse_count, parse_duration_ms, parse_memory_mb, parse_number

    check_one_format(as_json, as_csv)
    check_plot_file(plot)
    weights = None
    if profile is not None:
        weights = [parse_number(p, "profile") for p in profile.split(",") if p.strip()]
    assumptions = Assumptions(target_utilization=utilization, min_instances=min_instances, load_balancer=load_balancer)
    workload = Workload.from_rps(
        parse_memory_mb(memory),
        parse_duration_ms(ms),
        parse_count(rps, "rps"),
        arch=arch,
        region=region,
        front_door=front_door,
        profile=weights,
        as_of=as_of,
        assumptions=assumptions,
    )
    options = None if against is None else [o.strip() for o in against.split(",") if o.strip()]
    load = workload.requests_per_month
    # One comparison serves the table, the break-even lines and the chart: the chart's loads
    # include the workload's own, and break-evens are searched over the CLI's whole range.
    requests = [load]
    if plot is not None:
        requests = np.union1d(np.geomspace(1e4, 1e10, 61), [load])
    result = run_compare(workload, options, requests=requests, low=BREAKEVEN_LOW, high=BREAKEVEN_HIGH)
    results = {be.option: be for be in result.breakevens}

    rows = []
    for record in result.records_at(load):  # no pandas for a few rows
        be = results.get(record["option"])
        first = be.requests_per_month if be else None
        rows.append(
            {
                **record,
                "breakeven_requests_per_month": first,
                "breakeven_rps": None if first is None else first / SECONDS_PER_MONTH,
                "breakeven": str(be) if be else "",
            }
        )
    if plot is not None:
        from ..plot import paas_vs_serverless

        save_plot(plot, lambda: paas_vs_serverless(result))

    if as_json:
        print_json(
            {
                "workload": {
                    "memory_mb": workload.memory_mb,
                    "duration_ms": workload.duration_ms,
                    "requests_per_month": load,
                    "rps": load / SECONDS_PER_MONTH,
                    "arch": arch,
                    "region": region,
                    "front_door": front_door,
                },
                "options": [
                    {k: (None if isinstance(v, float) and np.isnan(v) else v) for k, v in r.items()} for r in rows
                ],
                "not_priced_at_this_load": [o for o in options_priced(result) if o not in {r["option"] for r in rows}],
                "not_priced_in_region": [{"option": name, "reason": why} for name, why in result.not_priced],
                "assumptions": list(result.assumptions),
                "plot": plot,
            }
        )
        return
    if as_csv:
        headers = [
            "option",
            "requests_per_month",
            "cost",
            "instances",
            "compute_cost",
            "requests_cost",
            "front_door_cost",
            "load_balancer_cost",
            "management_cost",
            "breakeven_requests_per_month",
            "breakeven_rps",
        ]
        print_csv(
            headers,
            [
                ["" if r[h] is None or (isinstance(r[h], float) and np.isnan(r[h])) else r[h] for h in headers]
                for r in rows
            ],
        )
        for name, why in result.not_priced:  # not a row of the table, but never dropped silently
            typer.echo(f"{name}: not priced in {region}, left out: {why}", err=True)
        return
    table = [
        [
            r["option"],
            "-" if r["instances"] is None else count(r["instances"]),
            money(r["cost"], "USD"),
            "-" if r["breakeven_requests_per_month"] is None else count(round(r["breakeven_requests_per_month"])),
            "-" if r["breakeven_rps"] is None else f"{r['breakeven_rps']:.3g}",
        ]
        for r in rows
    ]
    typer.echo(
        f"{count(load)} requests/month ({load / SECONDS_PER_MONTH:.3g} req/s), {workload.memory_mb:g} MB x "
        f"{workload.duration_ms:g} ms, front door {front_door}\n"
    )
    typer.echo(
        text_table(
            ["option", "instances", "cost/month", "break-even req/month", "break-even req/s"],
            table,
            right=[False, True, True, True, True],
        )
    )
    typer.echo("")
    for be in results.values():
        typer.echo(str(be))
    unpriced = [o for o in options_priced(result) if o not in {r["option"] for r in rows}]
    for name in unpriced:  # one instance carries less, or API Gateway's rate there was not found
        typer.echo(f"{name}: not priced at this load (see the assumptions)")
    if result.not_priced:
        typer.echo(f"\nNot priced in {region}, left out of the default options ({len(result.not_priced)}):")
        by_reason = {}  # options missing the same price share one line
        for name, why in result.not_priced:
            by_reason.setdefault(why, []).append(name)
        typer.echo("\n".join(f"  - {', '.join(names)}: {why}" for why, names in by_reason.items()))
    typer.echo(f"\nAssumptions ({len(result.assumptions)}):")
    typer.echo("\n".join(f"  - {a}" for a in result.assumptions))
