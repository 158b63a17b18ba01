"""Turn a parsed AWS Price List offer into price-sheet rows, and merge them into a sheet.

:func:`region_rows` makes one ``lambda.toml`` region row per ``regionCode`` (rates as
:class:`~decimal.Decimal`, each with its SKU, each row naming the offer version and
publication date); :func:`import_offer` puts them into a base sheet's newest era. Rates the
sheet schema has no key for (:data:`~lambdacost.prices.book.REGION_KEYS`) are listed in
:attr:`ImportResult.skipped`, never dropped silently.

Examples
--------
>>> from datetime import date
>>> from lambdacost.prices.offer_parse import SAMPLE_RECORD, parse_offer
>>> offer = parse_offer(SAMPLE_RECORD, "get_products.json")
>>> region_rows(offer, read_on=date(2026, 11, 27)).skipped  # a row needs duration prices too
('eu-west-1: no x86_64 duration price in the offer, so no row (its other SKUs: B5V2RNHAWGVJBZD3)',)
"""

from __future__ import annotations

import copy
import os
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from ..errors import PricingDataError
from .book import REGION_KEYS, packaged_pricing_dir
from .offer_parse import Offer, OfferRate, read_offer
from .sheets import read_sheet

__all__ = ["ImportResult", "region_rows", "import_offer"]

#: Sheet keys of the Lambda@Edge meters (x86_64 only in the schema).
_EDGE_KEYS = {"edge_requests": "edge_requests_per_million", "edge_duration": "edge_per_gb_second"}
MILLION = Decimal(1_000_000)


@dataclass(frozen=True)
class ImportResult:
    """Sheet rows made from an offer: ``regions`` (code -> row), ``free_tier`` and ``sheet``.

    ``sheet`` is the whole ``lambda.toml`` content (a dict) once :func:`import_offer` has
    combined the rows with a base sheet's billing rules; ``skipped`` says what of the offer was
    left out, ``dropped``, ``kept`` and ``kept_regions`` what became of the base sheet's rows.
    """

    offer: Offer
    regions: Mapping[str, dict]
    free_tier: dict | None
    skipped: tuple[str, ...]
    sheet: dict | None = None
    rate_count: int = 0
    #: regions of the base sheet's newest era the offer lacks, left out (no ``merge``)
    dropped: tuple[str, ...] = ()
    #: with ``merge``: region -> rate keys of the base row the offer has no price for, kept
    kept: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: with ``merge``: regions of the base sheet the offer lacks, kept whole
    kept_regions: tuple[str, ...] = ()


def _tiers(rates: list[OfferRate], source: str, open_ended: bool = True) -> list[OfferRate]:
    """The price dimensions of one SKU sorted by range, checked to tile [0, Inf).

    Free-tier SKUs are not ``open_ended``: their one range ends at the allowance.
    """
    tiers = sorted(rates, key=lambda r: r.begin_range)
    sku = tiers[0].sku
    if tiers[0].begin_range != 0:
        raise PricingDataError(
            source, tiers[0].rate_code, f"SKU {sku}: the first tier begins at {tiers[0].begin_range:f}, not 0"
        )
    for lower, upper in zip(tiers, tiers[1:]):
        if lower.end_range != upper.begin_range:
            raise PricingDataError(
                source,
                upper.rate_code,
                (
                    f"SKU {sku}: tiers do not join: one ends at {'Inf' if lower.end_range is None else format(lower.end_range, 'f')}, "
                    f"the next begins at {upper.begin_range:f} (duplicate or missing tier)"
                ),
            )
    if open_ended and tiers[-1].end_range is not None:
        raise PricingDataError(
            source, tiers[-1].rate_code, f"SKU {sku}: the top tier ends at {tiers[-1].end_range:f}, not 'Inf'"
        )
    return tiers


def _one_sku(rates: list[OfferRate], source: str, what: str, open_ended: bool = True) -> list[OfferRate]:
    """The rates of the single SKU behind one meter; two SKUs must agree on every price."""
    by_sku = defaultdict(list)
    for r in rates:
        by_sku[r.sku].append(r)
    skus = sorted(by_sku)
    shapes = {
        sku: [(r.begin_range, r.end_range, r.usd) for r in _tiers(by_sku[sku], source, open_ended)] for sku in skus
    }
    for sku in skus[1:]:
        if shapes[sku] != shapes[skus[0]]:
            raise PricingDataError(source, sku, f"SKUs {skus[0]} and {sku} both price {what} with conflicting prices")
    return _tiers(by_sku[skus[0]], source, open_ended)


def _single(rates: list[OfferRate], source: str, what: str) -> OfferRate:
    tiers = _one_sku(rates, source, what)
    if len(tiers) != 1:
        raise PricingDataError(
            source, tiers[0].sku, f"SKU {tiers[0].sku}: {what} has {len(tiers)} price tiers, the sheet holds one price"
        )
    return tiers[0]


def _number(value: Decimal) -> int | Decimal:
    return int(value) if value == value.to_integral_value() else value


def _put(row: dict, skus: dict, key: str, value, sku: str) -> None:
    """Set a rate of a sheet row and the SKU it was read from."""
    row[key] = value
    skus[key] = sku


def region_rows(
    offer: Offer,
    *,
    read_on: date | None = None,
    source_url: str | None = None,
    names: Mapping[str, str] | None = None,
) -> ImportResult:
    """Turn an offer's rates into price-sheet region rows (one per ``regionCode``).

    Parameters
    ----------
    offer : Offer
    read_on : datetime.date, optional
        The date the offer was read; default today.
    source_url : str, optional
        Provenance URL of every row; default :attr:`Offer.source_url`.
    names : mapping of str to str, optional
        Display names by region code (default the offer's ``location``).

    Returns
    -------
    ImportResult
        ``regions`` maps region code to a row of the ``lambda.toml`` schema with
        :class:`~decimal.Decimal` rates and ``skus``; regions lacking a requests or an x86_64
        duration price are listed in ``skipped``.
    """
    read_on = read_on or date.today()
    url = source_url or offer.source_url
    accepted = REGION_KEYS
    names = names or {}
    source = offer.source
    meters: dict[str | None, dict[tuple[str, str], list[OfferRate]]] = defaultdict(lambda: defaultdict(list))
    for r in offer.rates:
        meters[r.region][(r.meter, r.arch)].append(r)
    skipped = list(offer.skipped)
    regions, count = {}, 0
    for code in sorted(code for code in meters if code is not None):
        found = meters[code]
        row: dict[str, Any] = {}
        skus: dict[str, str] = {}
        extra_skus = []

        for kind, key, scale in (
            ("requests", "requests_per_million", MILLION),
            ("storage", "ephemeral_storage_per_gb_second", 1),
        ):
            chosen = [
                _single(found[(kind, arch)], source, f"{code} {kind} {arch}")
                for arch in ("x86_64", "arm64")
                if (kind, arch) in found
            ]
            if len(chosen) == 2 and chosen[0].usd != chosen[1].usd:
                raise PricingDataError(
                    source,
                    chosen[1].sku,
                    (
                        f"{code}: arm64 {kind} price {chosen[1].usd:f} (SKU {chosen[1].sku}) differs from x86_64 "
                        f"{chosen[0].usd:f} (SKU {chosen[0].sku}); the sheet has one {key}"
                    ),
                )
            if chosen:
                _put(
                    row, skus, key, (chosen[0].usd * scale).normalize() if scale != 1 else chosen[0].usd, chosen[0].sku
                )
                extra_skus += [f"arm64 {kind} SKU {c.sku}" for c in chosen[1:]]
        for arch in ("x86_64", "arm64"):
            if ("duration", arch) in found:
                tiers = _one_sku(found[("duration", arch)], source, f"{code} duration {arch}")
                _put(row, skus, f"{arch}_per_gb_second", [t.usd for t in tiers], tiers[0].sku)
                if len(tiers) > 1:
                    row[f"{arch}_tier_from_gb_seconds"] = [_number(t.begin_range) for t in tiers]
            for kind in ("provisioned", "provisioned_duration"):
                if (kind, arch) in found:
                    single = _single(found[(kind, arch)], source, f"{code} {kind} {arch}")
                    _put(row, skus, f"{kind}_{arch}_per_gb_second", single.usd, single.sku)
        for kind, scale in (("edge_requests", MILLION), ("edge_duration", 1)):
            if (kind, "") not in found:
                continue
            single = _single(found[(kind, "")], source, f"{code} Lambda@Edge {kind}")
            _put(
                row, skus, _EDGE_KEYS[kind], (single.usd * scale).normalize() if scale != 1 else single.usd, single.sku
            )
        missing = [
            what
            for what, key in (("requests", "requests_per_million"), ("x86_64 duration", "x86_64_per_gb_second"))
            if key not in row
        ]
        if missing:
            skipped.append(
                f"{code}: no {' or '.join(missing)} price in the offer, so no row (its other SKUs: {', '.join(sorted(set(skus.values())))})"
            )
            continue
        location = next((r.location for rates in found.values() for r in rates if r.location), code)
        effective = sorted({r.effective_date for rates in found.values() for r in rates if r.effective_date})
        note = (
            f"Imported by lambdacost from the AWS Price List offer {offer.service} version {offer.version or '?'} "
            f"(publicationDate {offer.publication_date or '?'}; effectiveDate {', '.join(effective) or '?'}), "
            f"{offer.form} read from {source}."
        )
        if extra_skus:
            note += f" Also {', '.join(extra_skus)} (same price)."
        rates_only = {k: v for k, v in row.items() if k in accepted}
        # Only keys the loader accepts (REGION_KEYS) are written; any other is reported.
        skipped += [
            f"{skus.get(k, '?')}: {k} in {code} not imported: the sheet schema has no such key"
            for k in row
            if k not in accepted
        ]
        regions[code] = {
            "name": names.get(code, location),
            "source_url": url,
            "read_on": read_on,
            "note": note,
            **rates_only,
            "skus": {k: v for k, v in skus.items() if k in rates_only},
        }
        count += sum(
            len(v) if isinstance(v, list) else 1
            for k, v in rates_only.items()
            if not k.endswith("_tier_from_gb_seconds")
        )
    free_tier = _free_tier(meters.get(None, {}), offer, url, read_on, skipped)
    return ImportResult(offer, regions, free_tier, tuple(skipped), None, count)


def _free_tier(found, offer: Offer, url: str, read_on: date, skipped: list[str]) -> dict | None:
    allowance, skus = {}, []
    for (meter, _), rates in found.items():
        tiers = _one_sku(rates, offer.source, f"free tier {meter}", open_ended=False)
        free = [t for t in tiers if t.usd == 0 and t.end_range is not None]
        if len(free) != 1 or free[0].begin_range != 0:
            raise PricingDataError(
                offer.source,
                tiers[0].sku,
                f"SKU {tiers[0].sku}: expected one free range from 0, got {[(f'{t.begin_range:f}', 'Inf' if t.end_range is None else f'{t.end_range:f}', f'{t.usd:f}') for t in tiers]}",
            )
        allowance[meter] = _number(free[0].end_range)
        skus.append(f"{meter} {tiers[0].sku}")
    if not allowance:
        return None
    if set(allowance) != {"requests", "gb_seconds"}:
        skipped.append(f"free tier: only {', '.join(allowance)} in the offer; the sheet keeps its own free tier")
        return None
    return {
        "requests": allowance["requests"],
        "gb_seconds": allowance["gb_seconds"],
        "source_url": url,
        "read_on": read_on,
        "note": f"Imported from the AWS Price List offer {offer.service} version {offer.version or '?'} (free-tier SKUs: {', '.join(sorted(skus))}).",
    }


def import_offer(
    offer: Offer | str | os.PathLike,
    base: Mapping | None = None,
    *,
    read_on: date | None = None,
    source_url: str | None = None,
    merge: bool = False,
) -> ImportResult:
    """Build a whole ``lambda.toml`` sheet from an offer and a base sheet's billing rules.

    The offer holds rates, not billing rules (eras, granularity, memory limits, milestones):
    those come from ``base`` (default: the packaged sheet). The newest era's regions become
    the offer's regions (``merge=True`` keeps the base's other regions too); older eras are
    history the offer does not speak of and stay as they are.

    Parameters
    ----------
    offer : Offer or path
    base : mapping, optional
        A sheet as read by :func:`lambdacost.prices.sheets.read_sheet`.
    read_on : datetime.date, optional
        When the offer was read; default today.
    source_url : str, optional
        Provenance of the imported rows; default the offer's Price List URL.
    merge : bool, default False

    Returns
    -------
    ImportResult
        With ``sheet`` set; write it with :func:`lambdacost.prices.sheets.write_sheet`.
    """
    offer = offer if isinstance(offer, Offer) else read_offer(offer)
    sheet = copy.deepcopy(dict(base)) if base is not None else read_sheet(packaged_pricing_dir())
    eras = sheet.get("eras")
    if not isinstance(eras, list) or not eras or not isinstance(eras[-1].get("regions"), dict):
        raise PricingDataError("base sheet", "eras", "the base sheet has no era with regions to import into")
    known_names = {
        code: row.get("name") for era in eras for code, row in era["regions"].items() if isinstance(row, dict)
    }
    result = region_rows(
        offer,
        read_on=read_on,
        source_url=source_url,
        names={k: v for k, v in known_names.items() if isinstance(v, str)},
    )
    if not result.regions:
        raise PricingDataError(
            offer.source,
            "products",
            "no region has both a requests and an x86_64 duration price: " + "; ".join(result.skipped[-3:]),
        )
    latest = eras[-1]
    before = {code: row for code, row in latest["regions"].items() if isinstance(row, dict)}
    kept: dict[str, tuple[str, ...]] = {}
    regions = dict(result.regions)
    for code, row in result.regions.items():
        if merge and code in before:
            regions[code], kept_keys = _merged_row(before[code], row)
            if kept_keys:
                kept[code] = kept_keys
    others = tuple(code for code in before if code not in regions)
    latest["regions"] = {**(before if merge else {}), **regions}
    unpriced = sheet.get("unpriced") if isinstance(sheet.get("unpriced"), dict) else {}
    unpriced = {code: why for code, why in unpriced.items() if code not in regions}
    if not merge:
        for code in others:  # said where the region is looked up, not only in this import's report
            unpriced[code] = {
                "reason": (
                    f"not in the AWS Price List offer {offer.service} version {offer.version or '?'} imported by "
                    f"`lambdacost prices import` (read {read_on or date.today()}); import with --merge to keep the "
                    "previous sheet's rates"
                )
            }
    if unpriced or "unpriced" in sheet:
        sheet["unpriced"] = unpriced
    if result.free_tier is not None:
        sheet["free_tier"] = _merged_free_tier(sheet.get("free_tier"), result.free_tier)
    return ImportResult(
        offer,
        regions,
        result.free_tier,
        result.skipped,
        sheet,
        result.rate_count,
        dropped=() if merge else others,
        kept=kept,
        kept_regions=others if merge else (),
    )


#: Keys of a region row that are provenance, not rates: the imported row's own are used.
_PROVENANCE = frozenset({"name", "source_url", "read_on", "note", "assumption", "skus", "also_in", "tiers_source_url"})


def _merged_row(base: dict, imported: dict) -> tuple[dict, tuple[str, ...]]:
    """The offer's row, plus the base row's rates the offer has no price for (named in the note).

    A duration the offer gives replaces the base's whole tier list, tier starts included.
    """
    replaced = {k for k in imported if k not in _PROVENANCE}
    replaced |= {f"{arch}_tier_from_gb_seconds" for arch in ("x86_64", "arm64") if f"{arch}_per_gb_second" in replaced}
    kept = tuple(k for k in base if k not in _PROVENANCE and k not in replaced and k in REGION_KEYS)
    if not kept:
        return imported, ()
    row = {k: v for k, v in imported.items() if k != "skus"}
    row.update({k: base[k] for k in kept})
    origin = f"{base.get('source_url', '?')}, read {base.get('read_on', '?')}"
    row["note"] = (
        f"{imported.get('note', '')} Kept from the previous sheet ({origin}), as the offer has no price for "
        f"them: {', '.join(kept)}."
    ).strip()
    if isinstance(base.get("assumption"), str):
        row["assumption"] = f"{', '.join(kept)} kept from the previous sheet: {base['assumption']}"
    if "tiers_source_url" in base and any(k.endswith("_tier_from_gb_seconds") for k in kept):
        row["tiers_source_url"] = base["tiers_source_url"]
    base_skus = base.get("skus") if isinstance(base.get("skus"), dict) else {}
    skus = {**{k: v for k, v in base_skus.items() if k in kept}, **imported.get("skus", {})}
    if skus:
        row["skus"] = skus
    return row, kept


def _merged_free_tier(base: Any, imported: dict) -> dict:
    """The offer's allowances, keeping (and attributing) any the offer does not state."""
    if not isinstance(base, dict):
        return imported
    kept = {k: v for k, v in base.items() if k not in imported and k not in ("source_url", "read_on")}
    others = [k for k in kept if k != "note"]
    if not others:
        return imported
    merged = {**imported, **{k: kept[k] for k in others}}
    merged["note"] = (
        f"{imported['note']} {', '.join(others)} kept from the previous sheet (source {base.get('source_url')}, read {base.get('read_on')})."
    )
    return merged
