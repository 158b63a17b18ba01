"""``lambdacost prices``: the regions we price and each rate with its source."""

from __future__ import annotations

from typing import Optional

import typer

from .common import app, print_json, user_errors

prices_app = typer.Typer(help="Show the price sheets: regions, rates and their sources.", invoke_without_command=True)
app.add_typer(prices_app, name="prices")


@prices_app.callback()
@user_errors
def prices(
    ctx: typer.Context,
    as_of: Optional[str] = typer.Option(None, "--as-of", help="Date YYYY-MM-DD; default today."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
):
    """List the priced regions (with `show REGION` for one region's rates)."""
    if ctx.invoked_subcommand is not None:
        return
    from ..prices import default_pricebook
    from ..tables import rate, text_table
    from ..validation import to_date

    book = default_pricebook()
    day = to_date(as_of, book.earliest)
    era = book.era(day)
    rows = []
    for code in book.regions(day):
        row = era.regions[code]
        arm = row.duration.get("arm64")
        rows.append([code, row.name, rate(row.duration["x86_64"].usd_per_gb_second[0]), rate(arm.usd_per_gb_second[0]) if arm else "-", f"${row.request_usd * 1e6:.2f}"])
    if as_json:
        print_json([dict(zip(["region", "name", "x86_64_usd_per_gb_second", "arm64_usd_per_gb_second", "usd_per_million_requests"], r)) for r in rows])
        return
    typer.echo(f"Lambda prices, {era.name} billing era (pricing stamp {book.stamp}); tier-1 duration rates:\n")
    typer.echo(text_table(["region", "name", "x86_64 /GB-s", "arm64 /GB-s", "/1M requests"], rows, [False, False, True, True, True]))
    if book.unpriced:
        typer.echo("\nKnown but not priced: " + "; ".join(f"{code} ({why})" for code, why in sorted(book.unpriced.items())))


@prices_app.command("show")
@user_errors
def show(
    region: str = typer.Argument(..., help="AWS region code, e.g. eu-west-1."),
    arch: str = typer.Option("x86_64", "--arch", help="x86_64 or arm64."),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="Date YYYY-MM-DD; default today."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
):
    """Every rate of one region and architecture, with its source and read date."""
    from ..prices import default_pricebook
    from ..tables import count, rate, text_table
    from ..validation import to_date

    book = default_pricebook()
    day = to_date(as_of, book.earliest)
    rates = book.rates(region, arch, day)
    row = book.region_rates(region, day)
    rows = [["requests", rate(rates.request_usd * 1e6), "per 1M requests", rates.source.url]]
    tier_source = row.tiers_source_url or rates.source.url
    for i, (value, start) in enumerate(zip(rates.tier_usd_per_gb_second, rates.tier_from_gb_seconds), start=1):
        derived = " (derived)" if i > 1 and row.duration[arch].derived else ""
        rows.append([f"duration tier {i} (from {count(start)} GB-s)", rate(value), "per GB-s" + derived, tier_source if i > 1 else rates.source.url])
    if rates.ephemeral_storage_usd_per_gb_second:
        rows.append(["ephemeral storage above 512 MB", rate(rates.ephemeral_storage_usd_per_gb_second), "per GB-s", rates.source.url])
    for label, table in (("provisioned concurrency", row.provisioned_usd_per_gb_second), ("duration on provisioned concurrency", row.provisioned_duration_usd_per_gb_second)):
        if arch in table:
            derived = " (derived)" if arch in row.provisioned_derived else ""
            rows.append([label, rate(table[arch]), "per GB-s" + derived, rates.source.url])
    free = rates.free_tier
    rows.append(["free tier", f"{count(free.requests)} requests + {count(free.gb_seconds)} GB-s", "per month", free.source.url])
    if as_json:
        print_json({"region": region, "arch": arch, "era": rates.era.name, "read_on": rates.source.read_on, "rates": [dict(zip(["meter", "rate", "unit", "source_url"], r)) for r in rows], "assumptions": list(rates.assumptions)})
        return
    typer.echo(f"{region} {rates.region_name}, {arch}, {rates.era.name} billing (rounded up to {rates.granularity_ms} ms); read {rates.source.read_on}\n")
    typer.echo(text_table(["meter", "rate", "unit", "source"], rows))
    for note in rates.assumptions:
        typer.echo(f"\nAssumption: {note}.")
