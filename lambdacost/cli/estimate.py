"""``lambdacost estimate``: one function-month, line by line."""

from __future__ import annotations

from typing import Optional

import typer

from .common import app, print_csv, print_json, user_errors


@app.command()
@user_errors
def estimate(
    memory: str = typer.Option(..., "--memory", "-m", help="Memory: 512, 512MB or 2GB (1 GB = 1024 MB)."),
    ms: str = typer.Option(..., "--ms", "-d", help="Duration per invocation: 120, 120ms or 1.5s."),
    requests: str = typer.Option(..., "--requests", "-r", help="Invocations: 1e6, 1_000_000, 3M or 2.5k (per --per)."),
    arch: str = typer.Option("x86_64", "--arch", help="x86_64 or arm64."),
    region: str = typer.Option("us-east-1", "--region", help="AWS region code."),
    storage: str = typer.Option("512", "--storage", help="Ephemeral storage (/tmp): 512..10240 MB."),
    free_tier: bool = typer.Option(True, "--free-tier/--no-free-tier", help="Apply the monthly free tier."),
    per: str = typer.Option("month", "--per", help="Unit of --requests: second, minute, hour, day or month (730 h)."),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="Billing date YYYY-MM-DD; selects the price era."),
    explain: bool = typer.Option(False, "--explain", help="Show the derivation step by step."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    as_csv: bool = typer.Option(False, "--csv", help="Print the line items as CSV."),
):
    """Price one Lambda function for one month."""
    from .. import estimate as run_estimate
    from ..units import parse_count, parse_duration_ms, parse_memory_mb

    result = run_estimate(
        parse_memory_mb(memory),
        parse_duration_ms(ms),
        parse_count(requests),
        arch=arch,
        region=region,
        ephemeral_storage_mb=parse_memory_mb(storage, "ephemeral_storage_mb"),
        free_tier=free_tier,
        as_of=as_of,
        requests_per=per,
    )
    if as_json:
        data = result.to_dict()
        if explain:
            data["explanation"] = result.explain()
        print_json(data)
    elif as_csv:
        rows = [[i.name, i.quantity, i.unit, i.rate_usd, i.cost_usd, i.source_url] for i in result.line_items]
        rows.append(["total", "", "", "", result.total_usd, ""])
        print_csv(["item", "quantity", "unit", "rate_usd", "cost_usd", "source_url"], rows)
    else:
        typer.echo(str(result))
        if explain:
            typer.echo("\n" + result.explain())
        elif result.assumptions:
            typer.echo(f"\n{len(result.assumptions)} assumption(s); see --explain.")
