"""``lambdacost prices``: the regions we price and each rate with its source."""

# Annotations evaluated here, not postponed: Typer would otherwise compile each one at every start.

import re

import typer

from .common import app, fail, print_json, user_errors

#: Meters beyond duration/requests/storage/provisioned: (label, Rates attribute, unit, sheet key).
_OTHER_METERS = (
    ("SnapStart cache", "snapstart_cache_per_gb_second", "per GB-s", "snapstart_cache_per_gb_second"),
    ("SnapStart restore", "snapstart_restore_per_gb", "per GB restored", "snapstart_restore_per_gb"),
    ("Lambda@Edge requests", "edge_per_request", "per 1M requests", "edge_requests_per_million"),
    ("Lambda@Edge duration", "edge_per_gb_second", "per GB-s", "edge_per_gb_second"),
    ("response streaming", "streaming_per_gb", "per GB", "streaming_per_gb"),
)

prices_app = typer.Typer(
    help="The price sheets: regions, rates and their sources; import, diff, validate and fetch them.",
    invoke_without_command=True,
)
app.add_typer(prices_app, name="prices")


@prices_app.callback()
@user_errors
def prices(
    ctx: typer.Context,
    as_of: str | None = typer.Option(None, "--as-of", help="Date YYYY-MM-DD; default today."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
):
    """List the priced regions (with `show REGION` for one region's rates)."""
    if ctx.invoked_subcommand is not None:
        return
    from ..prices import default_pricebook
    from ..tables import CURRENCIES, text_table, unit_price
    from ..validation import to_date

    book = default_pricebook()
    day = to_date(as_of, book.earliest)
    era = book.era(day)
    rows = []
    for code in book.regions(day):
        row = era.regions[code]
        arm = row.duration.get("arm64")
        rows.append(
            [
                code,
                row.name,
                row.duration["x86_64"].price_per_gb_second[0],
                arm.price_per_gb_second[0] if arm else None,
                round(row.per_request * 1e6, 10),
                row.currency,
            ]
        )
    if as_json:  # numbers as numbers (null where a region has no arm64 rate)
        print_json(
            [
                dict(
                    zip(
                        [
                            "region",
                            "name",
                            "x86_64_per_gb_second",
                            "arm64_per_gb_second",
                            "requests_per_million",
                            "currency",
                        ],
                        r,
                    )
                )
                for r in rows
            ]
        )
        return
    typer.echo(f"Lambda prices, {era.name} billing era (pricing stamp {book.stamp}); tier-1 duration rates:\n")
    typer.echo(
        text_table(
            ["region", "name", "x86_64 /GB-s", "arm64 /GB-s", "/1M requests"],
            [
                [
                    code,
                    name,
                    unit_price(x86, currency),
                    unit_price(arm, currency) if arm is not None else "-",
                    f"{CURRENCIES[currency]}{req:.2f}",
                ]
                for code, name, x86, arm, req, currency in rows
            ],
            [False, False, True, True, True],
        )
    )
    if book.unpriced:
        typer.echo(
            "\nKnown but not priced: " + "; ".join(f"{code} ({why})" for code, why in sorted(book.unpriced.items()))
        )


@prices_app.command("show")
@user_errors
def show(
    region: str = typer.Argument(..., help="AWS region code, e.g. eu-west-1."),
    arch: str = typer.Option("x86_64", "--arch", help="x86_64 or arm64."),
    as_of: str | None = typer.Option(None, "--as-of", help="Date YYYY-MM-DD; default today."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
):
    """Every rate of one region and architecture, with its source and read date."""
    from ..prices import default_pricebook
    from ..tables import count, text_table, unit_price
    from ..validation import to_date

    book = default_pricebook()
    day = to_date(as_of, book.earliest)
    rates = book.rates(region, arch, day)
    currency = rates.currency
    row = book.region_rates(region, day)
    url = rates.source.url
    rows = [["requests", round(rates.per_request * 1e6, 10), "per 1M requests", url, "requests_per_million"]]
    for i, (value, start) in enumerate(zip(rates.tier_per_gb_second, rates.tier_from_gb_seconds), start=1):
        derived = " (derived)" if i > 1 and row.duration[arch].derived else ""
        rows.append(
            [
                f"duration tier {i} (from {count(start)} GB-s)",
                value,
                "per GB-s" + derived,
                url,
                f"{arch}_per_gb_second" + (f"[{i - 1}]" if i > 1 else ""),  # tier i is element i-1 of the list
            ]
        )
    if rates.ephemeral_storage_per_gb_second:
        rows.append(
            [
                "ephemeral storage above 512 MB",
                rates.ephemeral_storage_per_gb_second,
                "per GB-s",
                url,
                "ephemeral_storage_per_gb_second",
            ]
        )
    for label, table, kind in (
        ("provisioned concurrency", row.provisioned_per_gb_second, "provisioned"),
        ("duration on provisioned concurrency", row.provisioned_duration_per_gb_second, "provisioned_duration"),
    ):
        if arch in table:
            derived = " (derived)" if arch in row.provisioned_derived else ""
            rows.append([label, table[arch], "per GB-s" + derived, url, f"{kind}_{arch}_per_gb_second"])
    for label, value, unit, key in _OTHER_METERS:
        if getattr(rates, value, None) is not None:
            scale = 1e6 if key.endswith("_per_million") else 1
            rows.append([label, round(getattr(rates, value) * scale, 10), unit, url, key])
    free = rates.free_tier
    rows.append(
        [
            "free tier",
            f"{count(free.requests)} requests + {count(free.gb_seconds)} GB-s",
            "per month",
            free.source.url,
            "",
        ]
    )
    for r in rows:  # a rate read apart from its row ([meters], tiers, rate_sources) names its own source
        own = rates.rate_sources.get(r[4])
        if own is not None:
            r[3] = own.url
    headers = ["meter", "rate", "unit", "source"]
    if row.skus:  # rows imported from an AWS offer name the SKU of each rate
        headers.append("SKU")
        rows = [r[:4] + [row.skus.get(r[4].partition("[")[0], "")] for r in rows]
    else:
        rows = [r[:4] for r in rows]
    if as_json:
        print_json(
            {
                "region": region,
                "arch": arch,
                "era": rates.era.name,
                "currency": currency,
                "read_on": rates.source.read_on,
                "rates": [
                    dict(zip([{"source": "source_url", "rate": "rate"}.get(h.lower(), h.lower()) for h in headers], r))
                    for r in rows
                ],
                "assumptions": _assumptions(rates),
            }
        )
        return
    typer.echo(
        f"{region} {rates.region_name}, {arch}, {rates.era.name} billing (rounded up to {rates.granularity_ms} ms), "
        f"prices in {currency}; read {rates.source.read_on}\n"
    )
    typer.echo(
        text_table(
            headers, [[r[0], unit_price(r[1], currency) if isinstance(r[1], float) else r[1], *r[2:]] for r in rows]
        )
    )
    for note in _assumptions(rates):
        typer.echo(f"\nAssumption: {note}.")


# --- maintaining sheets: import, diff, validate, fetch ----------------------------------


def _active_dir():
    """The price directory in use: ``$LAMBDACOST_PRICING_DIR`` or the packaged one."""
    import os

    from ..prices import PRICING_DIR_ENV, packaged_pricing_dir

    return os.environ.get(PRICING_DIR_ENV) or packaged_pricing_dir()


def _read_on(value: str | None):
    from datetime import date

    from ..errors import InvalidParameterError

    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidParameterError("--read-on", "a date as YYYY-MM-DD", value) from None


def _show_changes(changes, as_json: bool, against: str) -> None:
    """Every change, one a line; a region added or removed whole is one line (``--json``: all)."""
    if as_json:
        print_json({"against": against, "changes": [c.to_dict() for c in changes]})
        return
    if not changes:
        typer.echo(f"No rate changed (against {against}).")
        return
    typer.echo(f"{len(changes)} rate(s) changed (against {against}):")
    groups: dict = {}
    for change in changes:
        groups.setdefault(".".join(change.key.split(".")[:4]), []).append(change)  # eras.<era>.regions.<code>
    for prefix, group in groups.items():
        whole = (
            ".regions." in prefix
            and len(group) > 1
            and (all(c.new is None for c in group) or all(c.old is None for c in group))
        )
        if whole:
            typer.echo(
                f"  {prefix}: {len(group)} rates {'removed' if group[0].new is None else 'added'} ({', '.join(c.key[len(prefix) + 1 :] for c in group)})"
            )
        else:
            typer.echo("\n".join(f"  {change}" for change in group))


def _import_into(offer, into, merge: bool, read_on, source_url: str | None, as_json: bool) -> None:
    """Import ``offer`` into directory ``into`` (or print the sheet) and report what changed."""
    from pathlib import Path

    from ..prices.folders import companion_paas_sheet, write_price_files
    from ..prices.offer_import import import_offer
    from ..prices.paas import PAAS_SHEET
    from ..prices.sheets import SHEET_NAME, diff_sheets, dumps_sheet, read_sheet, sheet_path

    base_dir = into if into is not None and (Path(into) / SHEET_NAME).is_file() else _active_dir()
    base = read_sheet(base_dir)
    result = import_offer(offer, base, read_on=read_on, source_url=source_url, merge=merge)
    header = (
        f"AWS Lambda price sheet written by `lambdacost prices import` on {read_on}: the newest era's\n"
        f"regions come from the AWS Price List offer {offer.service} version {offer.version or '?'}\n"
        f"(published {offer.publication_date or '?'}), read from {offer.source}; billing rules,\n"
        f"milestones and older eras from {sheet_path(base_dir)}.\n"
        "Schema 1, documented in the header of lambdacost's packaged pricing/lambda.toml."
    )
    summary = (
        f"Imported {result.rate_count} rate(s) for {len(result.regions)} region(s) "
        f"({', '.join(result.regions)}) from {offer.form} offer {offer.version or '?'} "
        f"published {offer.publication_date or '?'}" + ("; free tier from the offer" if result.free_tier else "")
    )
    notes = [f"  skipped {line}" for line in result.skipped]
    base_notes = []
    if result.dropped:
        base_notes.append(
            f"{len(result.dropped)} region(s) of {sheet_path(base_dir)} are not in the offer and are left out "
            f"(listed as unpriced; --merge keeps them): {', '.join(result.dropped)}"
        )
    if result.kept_regions:
        base_notes.append(
            f"{len(result.kept_regions)} region(s) not in the offer kept from {sheet_path(base_dir)}: "
            + ", ".join(result.kept_regions)
        )
    for code, keys in result.kept.items():
        base_notes.append(f"{code}: {len(keys)} rate(s) the offer has no price for kept: {', '.join(keys)}")
    if into is None:
        typer.echo(dumps_sheet(result.sheet, header), nl=False)
        typer.echo("\n".join([summary, *notes, *base_notes]), err=True)
        return
    files = {}
    companion = companion_paas_sheet(into, base_dir, read_on)
    if companion is not None:  # --pricing-dir reads both sheets from one folder
        files[PAAS_SHEET] = companion[0]
        base_notes.append(f"{PAAS_SHEET} (server prices for compare) copied from {companion[1]}")
    files[SHEET_NAME] = dumps_sheet(result.sheet, header)
    try:
        written = write_price_files(into, files)[-1]
    except OSError as error:  # permissions, a full disk: one line, the old sheets untouched
        fail(f"cannot write {sheet_path(into)}: {error.strerror or error}")
    changes = diff_sheets(base, result.sheet)
    if as_json:
        print_json(
            {
                "written": str(written),
                "regions": list(result.regions),
                "rates": result.rate_count,
                "skipped": list(result.skipped),
                "dropped_regions": list(result.dropped),
                "kept_regions": list(result.kept_regions),
                "kept_rates": {code: list(keys) for code, keys in result.kept.items()},
                "paas_copied_from": None if companion is None else str(companion[1]),
                "changes": [c.to_dict() for c in changes],
            }
        )
        return
    typer.echo(f"{summary}; wrote {written}")
    if notes:
        typer.echo(f"Not imported ({len(notes)}):")
        typer.echo("\n".join(notes))
    for line in base_notes:
        typer.echo(line)
    _show_changes(changes, False, str(sheet_path(base_dir)))


def _import_servers(offer, into, read_on, source_url: str | None, as_json: bool) -> None:
    """Import a server offer (EC2, ECS, ELB, API Gateway) into ``into/paas.toml`` (or print it)."""
    import tomllib
    from pathlib import Path

    from ..prices import packaged_pricing_dir
    from ..prices.folders import write_price_files
    from ..prices.paas import PAAS_SHEET
    from ..prices.server_offers import merge_server_rows
    from ..prices.sheets import SHEET_NAME, dumps_sheet

    base_dir = Path(into) if into is not None and (Path(into) / PAAS_SHEET).is_file() else Path(_active_dir())
    base_file = base_dir / PAAS_SHEET if (base_dir / PAAS_SHEET).is_file() else packaged_pricing_dir() / PAAS_SHEET
    try:
        base = tomllib.loads(base_file.read_text("utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        fail(f"cannot read {base_file}: {error}")
    sheet, written, left = merge_server_rows(offer, base, read_on=read_on, source_url=source_url)
    header = (
        f"Server price sheet written by `lambdacost prices import` on {read_on}: the rows named below come\n"
        f"from the AWS Price List offer {offer.service} version {offer.version or '?'} (published\n"
        f"{offer.publication_date or '?'}), read from {offer.source}; every other row from {base_file}.\n"
        "Schema 1, documented in the header of lambdacost's packaged pricing/paas.toml.\n"
        f"Imported: {', '.join(written) or 'nothing'}"
    )
    summary = (
        f"Imported {len(written)} row(s) ({', '.join(written) or 'none'}) from {offer.service} offer "
        f"{offer.version or '?'} published {offer.publication_date or '?'}: {offer.read} SKU(s) read, "
        f"{len(offer.skipped)} not what compare prices"
    )
    notes = [f"  not written: {line}" for line in left]
    shown = [f"  skipped {line}" for line in offer.skipped[:10]]
    if len(offer.skipped) > 10:
        shown.append(f"  ... and {len(offer.skipped) - 10} more skipped SKU(s) (--json lists every one)")
    text = dumps_sheet(sheet, header)
    if into is None:
        typer.echo(text, nl=False)
        typer.echo("\n".join([summary, *notes, *shown]), err=True)
        return
    files = {PAAS_SHEET: text}
    copied = None
    if not (Path(into) / SHEET_NAME).is_file():  # --pricing-dir reads both sheets from one folder
        lambda_dir = base_dir if (base_dir / SHEET_NAME).is_file() else packaged_pricing_dir()
        copied = lambda_dir / SHEET_NAME
        files[SHEET_NAME] = (
            f"# Copied by `lambdacost prices import` on {read_on} from {copied}: `--pricing-dir` reads this\n"
            "# folder's lambda.toml and paas.toml together.\n\n" + copied.read_text("utf-8")
        )
    try:
        paths = write_price_files(into, files)
    except OSError as error:
        fail(f"cannot write {Path(into) / PAAS_SHEET}: {error.strerror or error}")
    if as_json:
        print_json(
            {
                "written": str(paths[0]),
                "service": offer.service,
                "rows": list(written),
                "not_written": list(left),
                "skus_read": offer.read,
                "skipped": list(offer.skipped),
                "lambda_copied_from": None if copied is None else str(copied),
            }
        )
        return
    typer.echo(f"{summary}; wrote {paths[0]}")
    for line in [*notes, *shown]:
        typer.echo(line)
    if copied is not None:
        typer.echo(f"{SHEET_NAME} (Lambda prices) copied from {copied}")


@prices_app.command("import")
@user_errors
def import_(
    offer_file: str = typer.Argument(
        ...,
        help="AWS Price List offer: AWSLambda (bulk JSON, CSV or get_products output) into lambda.toml, or AmazonEC2 (bulk JSON or get-products output), AmazonECS, AWSELB, AmazonApiGateway (bulk JSON, CSV or get-products output) into paas.toml.",
    ),
    into: str | None = typer.Option(
        None, "--into", help="Write DIR/lambda.toml (atomically); default: print the sheet."
    ),
    merge: bool = typer.Option(False, "--merge", help="Keep the regions the offer does not cover."),
    read_on: str | None = typer.Option(None, "--read-on", help="Date the offer was read, YYYY-MM-DD; default today."),
    source_url: str | None = typer.Option(
        None, "--source-url", help="Provenance URL of the rows; default the offer's Price List URL."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON (with --into)."),
):
    """Make a price sheet from AWS's own price list: every rate with its SKU and source."""
    from ..prices.offer_parse import read_offer
    from ..prices.server_offers import SERVER_SERVICES, parse_server_offer, sniff_service

    day = _read_on(read_on)
    if source_url is not None and not re.fullmatch(r"https?://[^\s/]+\.[^\s]+", source_url.strip()):
        fail(f"Invalid value for '--source-url': source_url must be an http(s):// URL, got {source_url!r}")
    service, raw = sniff_service(offer_file)
    if service in SERVER_SERVICES:  # the servers compare weighs Lambda against: paas.toml
        _import_servers(parse_server_offer(raw, offer_file), into, day, source_url, as_json)
        return
    _import_into(read_offer(offer_file), into, merge, day, source_url, as_json)


@prices_app.command("diff")
@user_errors
def diff(
    old: str = typer.Argument(..., help="Old sheet: a lambda.toml or its directory."),
    new: str = typer.Argument(..., help="New sheet: a lambda.toml or its directory."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
):
    """Which rates changed between two sheets, and by how much."""
    from ..prices.sheets import diff_sheets

    _show_changes(diff_sheets(old, new), as_json, old)


@prices_app.command("validate")
@user_errors
def validate(
    directory: str | None = typer.Argument(None, help="Price directory; default the one in use."),
):
    """Load and check a price directory; exit 2 with the file, key and reason if it is broken."""
    from ..prices import PriceBook
    from ..prices.sheets import sheet_path

    path = directory or _active_dir()
    book = PriceBook.load(path)
    latest = book.eras[-1]
    skus = sum(len(row.skus) for era in book.eras for row in era.regions.values())
    typer.echo(
        f"OK {sheet_path(path)}: {len(book.eras)} era(s), {len(latest.regions)} region(s) priced in the "
        f"{latest.name} era, {skus} rate key(s) with an AWS SKU, pricing stamp {book.stamp}"
    )


@prices_app.command("fetch")
@user_errors
def fetch(
    region: str | None = typer.Option(
        None, "--region", help="Download one region's offer (smaller); default all regions."
    ),
    output: str | None = typer.Option(
        None, "--output", help="Where to save the offer file; default lambda-offer[-REGION].json."
    ),
    into: str | None = typer.Option(None, "--into", help="Also import it into DIR/lambda.toml."),
    merge: bool = typer.Option(False, "--merge", help="With --into: keep the regions the offer does not cover."),
    timeout: float = typer.Option(30.0, "--timeout", help="Seconds to wait for AWS."),
):
    """Download the current AWSLambda offer file from the AWS Price List (needs network)."""
    import os
    import tempfile
    from pathlib import Path

    from ..prices.offer_fetch import OfferDownloadError, download, offer_url
    from ..prices.offer_parse import parse_offer

    if not 0 < timeout <= 3600:  # also NaN
        fail(f"Invalid value for '--timeout': timeout must be a number of seconds in (0, 3600], got {timeout:g}")
    url = offer_url("current", region)
    try:
        raw = download(url, timeout=timeout)
    except OfferDownloadError as error:
        fail(f"{error}; download it elsewhere and run `lambdacost prices import FILE`", code=1)
    offer = parse_offer(raw, url)  # checked before anything is saved
    target = Path(output or (f"lambda-offer-{region}.json" if region else "lambda-offer.json"))
    try:  # temp file + rename: never a half-written offer file
        handle, staged = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(raw)
            os.replace(staged, target)
        except BaseException:
            Path(staged).unlink(missing_ok=True)
            raise
    except OSError as error:
        fail(f"cannot write {target}: {error.strerror or error}")
    typer.echo(
        f"Saved offer {offer.version or '?'} (published {offer.publication_date or '?'}, {len(offer.rates)} Lambda rates) to {target}"
    )
    if into is not None:
        _import_into(offer, into, merge, _read_on(None), offer_url(offer.version or "current", region), False)


def _assumptions(rates) -> list[str]:
    """What a region's rates rest on, derived tier rates included (shown whatever the usage)."""
    return list(rates.assumptions) + ([rates.derived_tiers_assumption] if rates.derived_tiers_assumption else [])
