"""The PriceBook: AWS Lambda price sheets loaded, checked and made queryable.

The sheets in ``pricing/`` are data with provenance (see the header of ``lambda.toml``).
This module reads them with :mod:`tomllib`, checks every key, and turns them into frozen
objects. A broken sheet raises :class:`~lambdacost.errors.PricingDataError` naming the
file, the key and the reason; nothing is skipped silently.

Examples
--------
>>> from lambdacost.prices import default_pricebook
>>> book = default_pricebook()
>>> rates = book.rates("us-east-1", "arm64")
>>> rates.tier_per_gb_second, rates.per_request
((1.33334e-05, 1.20001e-05, 1.06667e-05), 2e-07)
"""

from __future__ import annotations

import dataclasses
import functools
import math
import os
import sys
from collections.abc import Mapping
from dataclasses import field
from datetime import date, timedelta
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ..errors import InvalidParameterError, PriceNotAvailableError, PricingDataError, UnknownRegionError
from ..records import frozen_record
from ..rules import EPHEMERAL_STORAGE_INCLUDED_MB

__all__ = [
    "ARCHITECTURES",
    "CURRENCIES",
    "PRICING_DIR_ENV",
    "one_currency",
    "Source",
    "DurationTiers",
    "RegionRates",
    "Era",
    "Milestone",
    "FreeTier",
    "Rates",
    "PriceBook",
    "default_pricebook",
    "packaged_pricing_dir",
    "SheetChecker",
    "REGION_KEYS",
    "MeterSheet",
    "METER_RATE_KEYS",
    "PARSER_FILES",
]

ARCHITECTURES = ("x86_64", "arm64")
PRICING_DIR_ENV = "LAMBDACOST_PRICING_DIR"
LAMBDA_SHEET = "lambda.toml"
#: AWS publishes Lambda rates with 10 decimal places; derived rates are rounded alike.
PUBLISHED_DECIMALS = 10
#: The region whose tier ratios stand in where a region lists only tier 1.
REFERENCE_REGION = "us-east-1"
#: The currencies AWS bills Lambda in: US dollars everywhere but the two China regions (yuan).
CURRENCIES = ("USD", "CNY")
#: AWS: the arm64 20 % reduction "also applies to ... Provisioned Concurrency".
ARM64_PROVISIONED_FACTOR = 0.8
#: Ephemeral storage: 512 MB included with every function, configurable up to 10,240 MB.
EPHEMERAL_STORAGE_MB_MAX = 10240


@frozen_record
class Source:
    """Where a number comes from and when we read it."""

    url: str
    read_on: date


@frozen_record
class DurationTiers:
    """On-demand duration rates of one architecture, one per monthly volume tier.

    ``from_gb_seconds[i]`` is the monthly GB-s at which tier ``i`` starts (the first is 0).
    ``derived`` is True when tiers after the first were derived, not read (see the sheet).
    """

    price_per_gb_second: tuple[float, ...]
    from_gb_seconds: tuple[float, ...]
    derived: bool = False


@frozen_record
class RegionRates:
    """Every rate of one region in one era, with its source."""

    region: str
    name: str
    source: Source
    per_request: float
    duration: Mapping[str, DurationTiers]
    #: the currency every rate of the row is in: "USD", or "CNY" in the China regions
    currency: str = "USD"
    ephemeral_storage_per_gb_second: float | None = None
    provisioned_per_gb_second: Mapping[str, float] = field(default_factory=dict)
    provisioned_duration_per_gb_second: Mapping[str, float] = field(default_factory=dict)
    also_in: tuple[str, ...] = ()
    tiers_source_url: str | None = None
    #: architectures whose provisioned-concurrency rates were derived (x86_64 x 0.8)
    provisioned_derived: frozenset[str] = frozenset()
    #: AWS Price List SKU of each rate key, where the row was imported from an offer file
    skus: Mapping[str, str] = field(default_factory=dict)
    snapstart_cache_per_gb_second: float | None = None
    snapstart_restore_per_gb: float | None = None
    #: Lambda@Edge: per request (not per million) and per GB-s; x86_64 only
    edge_per_request: float | None = None
    edge_per_gb_second: float | None = None
    streaming_per_gb: float | None = None
    #: what the row rests on where it is not cross-checked (e.g. a single source); reported
    assumption: str | None = None
    #: where a region's own statement of the free tier was read (the China regions), if not the sheet's
    free_tier_source: Source | None = None
    #: rates of the row read from another source than the row's, by their key (e.g. arm64 from a second file)
    rate_sources: Mapping[str, Source] = field(default_factory=dict)


@frozen_record
class Era:
    """Billing rules in force from ``effective_from`` until the next era starts."""

    name: str
    effective_from: date
    granularity_ms: int
    memory_mb_min: int
    memory_mb_max: int
    memory_mb_step: int
    max_duration_ms: int
    source: Source
    regions: Mapping[str, RegionRates]


@frozen_record
class Milestone:
    """A dated fact that changes billing (arm64 launch, tiered pricing, ...)."""

    name: str
    date: date
    source: Source
    assumption: str | None = None


@frozen_record
class FreeTier:
    """The account-wide monthly allowance, one pool for both architectures."""

    requests: float
    gb_seconds: float
    source: Source
    #: HTTP response streaming beyond the first 6 MB of each request [GB, 1 GB = 1024 MB]
    streaming_gb: float = 0.0


@frozen_record
class MeterSheet:
    """One ``[meters.<name>]`` table: a meter's rates by region, dated and sourced on their own.

    ``regions`` maps a region code to its rates by sheet key (a number, or a list of tier rates).
    """

    name: str
    effective_from: date
    source: Source
    regions: Mapping[str, Mapping[str, Any]]
    assumption: str | None = None
    skus: Mapping[str, str] = field(default_factory=dict)


@frozen_record
class Rates:
    """Everything needed to price one function-month: region, architecture and date fixed.

    Attributes carry units in their names; ``tier_per_gb_second`` and
    ``tier_from_gb_seconds`` have one entry per volume tier in force on ``as_of``.
    """

    region: str
    region_name: str
    arch: str
    as_of: date
    era: Era
    #: the currency of every rate here and every cost priced from them: "USD", or "CNY" in China
    currency: str
    per_request: float
    tier_per_gb_second: tuple[float, ...]
    tier_from_gb_seconds: tuple[float, ...]
    ephemeral_storage_per_gb_second: float
    ephemeral_storage_mb_max: int
    free_tier: FreeTier
    source: Source
    assumptions: tuple[str, ...]
    #: Meters beyond on-demand duration; None where the sheets hold no rate for this
    #: region and architecture (using the meter then raises PriceNotAvailableError).
    provisioned_per_gb_second: float | None = None
    provisioned_duration_per_gb_second: float | None = None
    snapstart_cache_per_gb_second: float | None = None
    snapstart_restore_per_gb: float | None = None
    edge_per_request: float | None = None
    edge_per_gb_second: float | None = None
    streaming_per_gb: float | None = None
    #: AWS Price List SKU by rate key (as in RegionRates.skus), where the sheet names them
    skus: Mapping[str, str] = field(default_factory=dict)
    #: Said of results whose GB-s reach tier 2: the tier 2/3 rates were derived, not read.
    derived_tiers_assumption: str | None = None
    #: Meters priced in the sheet's ``[meters]`` tables (None: no rate for this region,
    #: architecture and date). Per-request rates are per one, as ``per_request`` is.
    esm_kafka_per_epu_hour: float | None = None
    esm_sqs_per_epu_hour: float | None = None
    durable_per_operation: float | None = None
    durable_written_per_gb: float | None = None
    durable_retained_per_gb_month: float | None = None
    tenant_isolation_per_gb: float | None = None
    #: CloudWatch Logs ingestion of Lambda logs, one rate per monthly volume tier [USD/GB]
    logs_per_gb: tuple[float, ...] | None = None
    logs_tier_from_gb: tuple[float, ...] | None = None
    #: Compute Savings Plans: the share taken off the on-demand rates they cover, per term
    savings_plan_1yr_discount: float | None = None
    savings_plan_3yr_discount: float | None = None
    #: Source of each rate read apart from its row (a ``[meters]`` rate, or one a row's
    #: ``rate_sources`` names), by its key in the sheet; and what each ``[meters]`` rate rests on
    rate_sources: Mapping[str, Source] = field(default_factory=dict)
    meter_assumptions: Mapping[str, str] = field(default_factory=dict)

    @property
    def granularity_ms(self) -> int:
        return self.era.granularity_ms


class PriceBook:
    """All Lambda price sheets, checked, effective-dated and queryable.

    Parameters
    ----------
    eras : sequence of Era
        Oldest first.
    free_tier : FreeTier
    milestones : mapping of str to Milestone
    unpriced : mapping of str to str
        Regions known to exist but not priced, and why.
    files : tuple of str
        The sheets read, for messages and provenance.

    Notes
    -----
    Use :func:`default_pricebook` for the packaged sheets, or :meth:`PriceBook.load` for a
    directory of your own (private pricing).
    """

    def __init__(self, eras, free_tier, milestones, unpriced, files, meters=()):
        self.eras: tuple[Era, ...] = tuple(eras)
        #: The ``[meters]`` tables by name (provisioned-mode event source mappings, durable functions, ...).
        self.meters: Mapping[str, MeterSheet] = MappingProxyType({m.name: m for m in meters})
        self.free_tier: FreeTier = free_tier
        self.milestones: Mapping[str, Milestone] = MappingProxyType(dict(milestones))
        self.unpriced: Mapping[str, str] = MappingProxyType(dict(unpriced))
        self.files: tuple[str, ...] = tuple(files)

    @classmethod
    def load(cls, directory: str | os.PathLike | None = None) -> PriceBook:
        """Read and check the sheets in ``directory`` (default: the packaged ``pricing/``).

        The packaged sheet's PriceBook is kept in the user's cache folder and read back while the
        sheet and this code are unchanged (:mod:`~lambdacost.prices.sheet_cache`); a ``directory``
        given is read and checked on every call.
        """
        sheet = (Path(directory) if directory is not None else packaged_pricing_dir()) / LAMBDA_SHEET
        if directory is None:
            from . import sheet_cache

            return sheet_cache.cached(sheet, lambda: _read_lambda_sheet(sheet), PriceBook, PARSER_FILES)
        return _read_lambda_sheet(sheet)

    @property
    def stamp(self) -> str:
        """The pricing stamp: the newest date on which any number was read (ISO date)."""
        dates = [self.free_tier.source.read_on]
        dates += [m.source.read_on for m in self.milestones.values()]
        dates += [m.source.read_on for m in self.meters.values()]
        for era in self.eras:
            dates.append(era.source.read_on)
            dates += [r.source.read_on for r in era.regions.values()]
        return max(dates).isoformat()

    @property
    def earliest(self) -> date:
        """The first date the sheets price."""
        return self.eras[0].effective_from

    def era(self, as_of: date | None = None) -> Era:
        """The era in force on ``as_of`` (default today)."""
        as_of = as_of or date.today()
        if as_of < self.earliest:
            raise PriceNotAvailableError(
                f"as_of must be on or after {self.earliest} (AWS Lambda's launch), got {as_of}"
            )
        return [e for e in self.eras if e.effective_from <= as_of][-1]

    def regions(self, as_of: date | None = None) -> tuple[str, ...]:
        """Region codes priced on ``as_of`` (default today), sorted."""
        return tuple(sorted(self.era(as_of).regions))

    def milestone(self, name: str) -> date:
        return self.milestones[name].date

    def region_rates(self, region: str, as_of: date | None = None) -> RegionRates:
        """The raw rates of ``region`` in the era in force on ``as_of``."""
        era = self.era(as_of)
        if region in era.regions:
            return era.regions[region]
        known = {r for e in self.eras for r in e.regions}
        if region in known:
            where = [e for e in self.eras if region in e.regions]
            raise PriceNotAvailableError(
                f"no {region} prices for {as_of or date.today()} in the sheets: the "
                f"{era.name} era (from {era.effective_from}) prices only "
                f"{', '.join(sorted(era.regions))}; {region} is priced from "
                f"{where[0].effective_from}"
            )
        if region in self.unpriced:
            raise UnknownRegionError(region, (), self.unpriced[region])
        import difflib  # only on the error path

        matches = difflib.get_close_matches(region, sorted(known), n=3, cutoff=0.6)  # priced ones only
        raise UnknownRegionError(region, tuple(matches))

    def rates(self, region: str = "us-east-1", arch: str = "x86_64", as_of: date | None = None) -> Rates:
        """Resolve every rate for one function-month.

        Parameters
        ----------
        region : str
            AWS region code, e.g. ``"eu-west-1"``.
        arch : {"x86_64", "arm64"}
        as_of : datetime.date, optional
            The billing date; default today.

        Returns
        -------
        Rates
        """
        as_of = as_of or date.today()
        if arch not in ARCHITECTURES:
            raise InvalidParameterError("arch", "one of 'x86_64', 'arm64'", arch)
        era = self.era(as_of)
        row = self.region_rates(region, as_of)
        arm64 = self.milestones.get("arm64")
        if arch == "arm64" and arm64 is not None and as_of < arm64.date:
            raise PriceNotAvailableError(f"arm64 was not available on {as_of} (it launched on {arm64.date})")
        if arch not in row.duration:
            raise PriceNotAvailableError(f"no {arch} duration rate for {region} in the {era.name} era")
        tiers = row.duration[arch]
        assumptions = [row.assumption] if row.assumption else []
        derived_note = None
        tiered = self.milestones.get("tiered_pricing")
        if tiered is not None and as_of < tiered.date:
            rates, starts = tiers.price_per_gb_second[:1], (0.0,)
        else:
            rates, starts = tiers.price_per_gb_second, tiers.from_gb_seconds
            if tiers.derived:
                derived_note = (
                    f"tier 2/3 duration rates for {region} {arch} are derived from the "
                    f"{REFERENCE_REGION} discount ratios; AWS's per-region tier rates are not in our sources"
                )
        if (
            tiered is not None
            and tiered.assumption
            and as_of < tiered.date + timedelta(days=31)
            and len(tiers.price_per_gb_second) > 1
        ):
            assumptions.append(tiered.assumption)
        storage = self.milestones.get("ephemeral_storage")
        storage_max = (
            EPHEMERAL_STORAGE_MB_MAX if storage is None or as_of >= storage.date else int(EPHEMERAL_STORAGE_INCLUDED_MB)
        )
        return Rates(
            region=region,
            region_name=row.name,
            arch=arch,
            as_of=as_of,
            era=era,
            currency=row.currency,
            per_request=row.per_request,
            tier_per_gb_second=rates,
            tier_from_gb_seconds=starts,
            ephemeral_storage_per_gb_second=row.ephemeral_storage_per_gb_second or 0.0,
            ephemeral_storage_mb_max=storage_max,
            free_tier=self.free_tier
            if row.free_tier_source is None
            else dataclasses.replace(self.free_tier, source=row.free_tier_source),
            source=row.source,
            assumptions=tuple(assumptions),
            derived_tiers_assumption=derived_note,
            provisioned_per_gb_second=row.provisioned_per_gb_second.get(arch),
            provisioned_duration_per_gb_second=row.provisioned_duration_per_gb_second.get(arch),
            snapstart_cache_per_gb_second=row.snapstart_cache_per_gb_second,
            snapstart_restore_per_gb=row.snapstart_restore_per_gb,
            edge_per_request=row.edge_per_request if arch == "x86_64" else None,
            edge_per_gb_second=row.edge_per_gb_second if arch == "x86_64" else None,
            streaming_per_gb=row.streaming_per_gb,
            **self._meter_rates(region, arch, as_of, row),
        )

    def _meter_rates(self, region: str, arch: str, as_of: date, row: RegionRates) -> dict:
        """The ``[meters]`` rates in force for one region, architecture and day, with their sources
        (and the row's own rates read from other sources)."""
        out: dict[str, Any] = {}
        sources, assumptions, skus = dict(row.rate_sources), {}, dict(row.skus)
        tiers = row.duration.get(arch)
        if row.tiers_source_url and tiers is not None and not tiers.derived:
            for k in range(1, len(tiers.price_per_gb_second)):  # tier 2 on, read from their own source
                sources[f"{arch}_per_gb_second[{k}]"] = Source(row.tiers_source_url, row.source.read_on)
        for sheet in self.meters.values():
            given = sheet.regions.get(region)
            if given is None or as_of < sheet.effective_from:
                continue
            for key, value in given.items():
                field_name, scale = METER_RATE_KEYS[key]
                if field_name == "tenant_isolation_per_gb" and not key.startswith(arch):
                    continue  # tenant isolation is priced per architecture
                if isinstance(value, tuple):
                    out[field_name] = value
                else:  # divided in decimal, so that $8.00 per million is exactly 8e-06 each
                    out[field_name] = decimal_divide(value, scale)
                sources[key] = sheet.source
                if sheet.assumption:
                    assumptions[key] = sheet.assumption
                if key in sheet.skus:
                    skus[key] = sheet.skus[key]
        return {
            **out,
            "rate_sources": MappingProxyType(sources),
            "meter_assumptions": MappingProxyType(assumptions),
            "skus": MappingProxyType(skus),
        }


def decimal_divide(value: float, divisor: int) -> float:
    """``value / divisor`` as the decimal numbers they are written as, rounded once to a float.

    A rate per million is divided so that $0.20 per million is exactly ``2e-07`` per request
    (``0.2 / 1e6`` in binary arithmetic is ``2.0000000000000002e-07``). The same float as
    ``float(Decimal(repr(value)) / divisor)``; a power of ten only moves the decimal exponent,
    without importing :mod:`decimal` (a millisecond of every start).

    Examples
    --------
    >>> decimal_divide(0.2, 1_000_000), decimal_divide(8.0, 1_000_000), decimal_divide(1e-05, 1)
    (2e-07, 8e-06, 1e-05)
    """
    digits = len(str(divisor)) - 1
    text = repr(float(value))
    if divisor != 10**digits or not math.isfinite(value):
        from decimal import Decimal

        return float(Decimal(text) / Decimal(divisor))
    mantissa, _, exponent = text.partition("e")
    return float(f"{mantissa}e{int(exponent or 0) - digits}")


def packaged_pricing_dir() -> Path:
    """The ``pricing/`` folder shipped with lambdacost.

    Inside an installed wheel it is ``lambdacost/pricing``; in a source checkout it is the
    top-level ``pricing/`` beside the package (this file is ``lambdacost/prices/book.py``).
    """
    here = Path(__file__).resolve().parents
    for packaged in (here[1] / "pricing", here[2] / "pricing"):  # a wheel, a checkout: no importlib.resources
        if packaged.is_dir():  # (its import, with zipfile and tempfile, is a tenth of a CLI start)
            return packaged
    from importlib import resources  # an unusual install: let the import system find it

    return Path(str(resources.files("lambdacost") / "pricing"))


#: The modules whose code shapes a parsed PriceBook: a cached one is stale when either changes.
PARSER_FILES = (__file__, sys.modules[frozen_record.__module__].__file__)


@functools.cache
def _cached_pricebook(directory: str | None) -> PriceBook:
    return PriceBook.load(directory)


def default_pricebook() -> PriceBook:
    """The PriceBook used when none is given: ``$LAMBDACOST_PRICING_DIR`` or the packaged one.

    Loaded once per process and per directory.
    """
    return _cached_pricebook(os.environ.get(PRICING_DIR_ENV) or None)


# --- parsing and checking -------------------------------------------------------------


class SheetChecker:
    """Typed access to a TOML table that names file and key in every error."""

    def __init__(self, file: str):
        self.file = file

    def fail(self, key: str, reason: str):
        raise PricingDataError(self.file, key, reason)

    def table(self, data: Any, key: str, required: set[str], optional: set[str] = frozenset()) -> dict:
        if not isinstance(data, dict):
            self.fail(key, f"expected a table, got {type(data).__name__}")
        missing = sorted(required - data.keys())
        if missing:
            self.fail(key, f"missing required key(s) {', '.join(missing)}")
        unknown = sorted(data.keys() - required - optional)
        if unknown:
            self.fail(key, f"unknown key(s) {', '.join(unknown)}")
        return data

    def rate(self, value: Any, key: str) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail(key, f"expected a number, got {value!r}")
        if not value >= 0 or value == float("inf"):
            self.fail(key, f"rates must be finite and >= 0, got {value!r}")
        return float(value)

    def day(self, value: Any, key: str) -> date:
        if not isinstance(value, date):
            self.fail(key, f"expected a date (YYYY-MM-DD), got {value!r}")
        return value

    def url(self, value: Any, key: str) -> str:
        if not isinstance(value, str) or not value.startswith(("https://", "http://")):
            self.fail(key, f"expected an http(s) URL, got {value!r}")
        return value

    def source(self, data: dict, key: str) -> Source:
        return Source(
            self.url(data.get("source_url"), f"{key}.source_url"), self.day(data.get("read_on"), f"{key}.read_on")
        )

    def rate_list(self, value: Any, key: str) -> tuple[float, ...]:
        if not isinstance(value, list) or not value:
            self.fail(key, f"expected a non-empty list of rates, got {value!r}")
        rates = tuple(self.rate(v, f"{key}[{i}]") for i, v in enumerate(value))
        if any(b > a for a, b in zip(rates, rates[1:])):
            self.fail(key, f"tier rates must not increase from one tier to the next, got {list(rates)}")
        return rates

    def starts(self, value: Any, key: str, n: int) -> tuple[float, ...]:
        starts = self.rate_list_any(value, key)
        if len(starts) != n:
            self.fail(key, f"expected {n} tier starts (one per rate), got {len(starts)}")
        if starts[0] != 0:
            self.fail(key, f"the first tier must start at 0 GB-s, got {starts[0]}")
        if any(b <= a for a, b in zip(starts, starts[1:])):
            self.fail(key, f"tier starts must increase strictly, got {list(starts)}")
        return starts

    def rate_list_any(self, value: Any, key: str) -> tuple[float, ...]:
        if not isinstance(value, list) or not value:
            self.fail(key, f"expected a non-empty list, got {value!r}")
        return tuple(self.rate(v, f"{key}[{i}]") for i, v in enumerate(value))


_SOURCE_KEYS = {"source_url", "read_on"}
#: Keys of a region row that are not rates (a ``rate_sources`` entry may not name them).
_NOT_RATES = _SOURCE_KEYS | {
    "name",
    "currency",
    "free_tier_source_url",
    "rate_sources",
    "note",
    "assumption",
    "skus",
    "also_in",
    "tiers_source_url",
    "x86_64_tier_from_gb_seconds",
    "arm64_tier_from_gb_seconds",
}
_REGION_REQUIRED = _SOURCE_KEYS | {"name", "requests_per_million", "x86_64_per_gb_second"}
_REGION_OPTIONAL = (_NOT_RATES - _REGION_REQUIRED) | {
    "ephemeral_storage_per_gb_second",
    "arm64_per_gb_second",
    "provisioned_x86_64_per_gb_second",
    "provisioned_duration_x86_64_per_gb_second",
    "provisioned_arm64_per_gb_second",
    "provisioned_duration_arm64_per_gb_second",
    "snapstart_cache_per_gb_second",
    "snapstart_restore_per_gb",
    "edge_requests_per_million",
    "edge_per_gb_second",
    "streaming_per_gb",
}
#: Optional per-region rates copied as they are (key in the sheet = RegionRates field).
_REGION_PLAIN_RATES = (
    "snapstart_cache_per_gb_second",
    "snapstart_restore_per_gb",
    "edge_per_gb_second",
    "streaming_per_gb",
)
#: Every key a region row of ``lambda.toml`` may hold, required or optional: what an importer
#: may write (:func:`lambdacost.prices.offer_import.region_rows` reports any other rate and leaves it out).
REGION_KEYS = frozenset(_REGION_REQUIRED | _REGION_OPTIONAL)
_ERA_REQUIRED = _SOURCE_KEYS | {
    "name",
    "effective_from",
    "granularity_ms",
    "memory_mb_min",
    "memory_mb_max",
    "memory_mb_step",
    "max_duration_ms",
    "regions",
}


def one_currency(currency_by_region: Mapping[str, str], name: str = "region") -> str:
    """The one billing currency of the regions priced together; refused, naming ``name``, if they differ.

    Costs are added only within one currency: the China regions bill in CNY, and their accounts
    are apart from every other region's (their own partition and free tier).

    Examples
    --------
    >>> one_currency({"us-east-1": "USD", "eu-west-1": "USD"})
    'USD'
    """
    found = sorted(set(currency_by_region.values()))
    if len(found) <= 1:
        return found[0] if found else "USD"
    shown = ", ".join(f"{region} ({currency})" for region, currency in sorted(currency_by_region.items()))
    raise InvalidParameterError(
        name,
        "all in one currency (the China regions bill in CNY, in accounts of their own: price them apart)",
        shown,
    )


def _read_lambda_sheet(sheet: Path) -> PriceBook:
    """Read and check one ``lambda.toml``."""
    if not sheet.is_file():
        raise PricingDataError(str(sheet), "-", "file not found")
    try:
        content = sheet.read_bytes()
    except OSError as error:  # unreadable: permissions
        raise PricingDataError(str(sheet), "-", f"cannot read: {error.strerror or error}") from None
    return _parse_lambda_sheet(content, str(sheet))


def _parse_lambda_sheet(raw: bytes, file: str) -> PriceBook:
    import tomllib  # only where a sheet is parsed: a run on the cached packaged sheets never is

    check = SheetChecker(file)
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        # tomllib rejects duplicate keys and tables here, with the line number.
        raise PricingDataError(file, "-", f"not valid TOML: {error}") from None
    check.table(data, "(top level)", {"schema", "service", "free_tier", "eras"}, {"milestones", "unpriced", "meters"})
    if data["schema"] != 1:
        check.fail("schema", f"this lambdacost reads schema 1, got {data['schema']!r}")
    if data["service"] != "AWSLambda":
        check.fail("service", f"expected 'AWSLambda', got {data['service']!r}")

    free = check.table(
        data["free_tier"], "free_tier", _SOURCE_KEYS | {"requests", "gb_seconds"}, {"note", "streaming_gb"}
    )
    free_tier = FreeTier(
        check.rate(free["requests"], "free_tier.requests"),
        check.rate(free["gb_seconds"], "free_tier.gb_seconds"),
        check.source(free, "free_tier"),
        check.rate(free.get("streaming_gb", 0), "free_tier.streaming_gb"),
    )

    milestones = {}
    for name, item in data.get("milestones", {}).items():
        key = f"milestones.{name}"
        check.table(item, key, _SOURCE_KEYS | {"date"}, {"note", "assumption"})
        milestones[name] = Milestone(
            name, check.day(item["date"], f"{key}.date"), check.source(item, key), item.get("assumption")
        )

    unpriced = {}
    for region, item in data.get("unpriced", {}).items():
        check.table(item, f"unpriced.{region}", {"reason"})
        unpriced[region] = str(item["reason"])

    if not isinstance(data["eras"], list) or not data["eras"]:
        check.fail("eras", "expected at least one [[eras]] table")
    eras = []
    for index, item in enumerate(data["eras"]):
        key = f"eras[{index}]"
        check.table(item, key, _ERA_REQUIRED, {"note"})
        era_key = f"eras.{item['name']}"
        start = check.day(item["effective_from"], f"{era_key}.effective_from")
        if eras and start <= eras[-1].effective_from:
            check.fail(
                f"{era_key}.effective_from",
                f"eras must be in date order, {start} is not after {eras[-1].effective_from}",
            )
        ints = {}
        for name in ("granularity_ms", "memory_mb_min", "memory_mb_max", "memory_mb_step", "max_duration_ms"):
            value = item[name]
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                check.fail(f"{era_key}.{name}", f"expected a positive whole number, got {value!r}")
            ints[name] = value
        if ints["memory_mb_min"] >= ints["memory_mb_max"]:
            check.fail(f"{era_key}.memory_mb_max", "must be above memory_mb_min")
        regions = {
            code: _parse_region(check, f"{era_key}.regions.{code}", code, row)
            for code, row in check.table(item["regions"], f"{era_key}.regions", set(), set(item["regions"])).items()
        }
        overlap = sorted(set(regions) & set(unpriced))
        if overlap:
            check.fail(f"unpriced.{overlap[0]}", "is also priced in an era")
        eras.append(
            Era(
                name=str(item["name"]),
                effective_from=start,
                source=check.source(item, era_key),
                regions=MappingProxyType(_derive_missing_tiers(regions)),
                **ints,
            )
        )
    names = [e.name for e in eras]
    if len(set(names)) != len(names):
        check.fail("eras", f"duplicate era names in {names}")
    meters = [_parse_meter(check, name, item) for name, item in data.get("meters", {}).items()]
    return PriceBook(eras, free_tier, milestones, unpriced, [file], meters)


#: Every rate key a ``[meters.<name>]`` region table may hold: the :class:`Rates` field it fills
#: and the divisor from the sheet's unit (per million operations) to the field's (per operation).
METER_RATE_KEYS = {
    "esm_kafka_per_epu_hour": ("esm_kafka_per_epu_hour", 1),
    "esm_sqs_per_epu_hour": ("esm_sqs_per_epu_hour", 1),
    "durable_operations_per_million": ("durable_per_operation", 1_000_000),
    "durable_written_per_gb": ("durable_written_per_gb", 1),
    "durable_retained_per_gb_month": ("durable_retained_per_gb_month", 1),
    "x86_64_tenant_isolation_per_gb": ("tenant_isolation_per_gb", 1),
    "arm64_tenant_isolation_per_gb": ("tenant_isolation_per_gb", 1),
    "logs_per_gb": ("logs_per_gb", 1),
    "logs_tier_from_gb": ("logs_tier_from_gb", 1),
    "savings_plan_1yr_discount": ("savings_plan_1yr_discount", 1),
    "savings_plan_3yr_discount": ("savings_plan_3yr_discount", 1),
}


def _parse_meter(check: SheetChecker, name: str, item: Any) -> MeterSheet:
    key = f"meters.{name}"
    check.table(item, key, _SOURCE_KEYS | {"effective_from", "regions"}, {"note", "assumption", "also_in", "skus"})
    regions = {}
    for code, rates in check.table(item["regions"], f"{key}.regions", set(), set(item["regions"])).items():
        where = f"{key}.regions.{code}"
        check.table(rates, where, set(), set(METER_RATE_KEYS))
        parsed: dict[str, Any] = {}
        for rate_key, value in rates.items():
            if rate_key == "logs_per_gb":
                parsed[rate_key] = check.rate_list(value, f"{where}.{rate_key}")
            elif rate_key == "logs_tier_from_gb":
                if "logs_per_gb" not in rates:
                    check.fail(f"{where}.{rate_key}", "given only with logs_per_gb")
                parsed[rate_key] = check.starts(value, f"{where}.{rate_key}", len(rates["logs_per_gb"]))
            else:
                parsed[rate_key] = check.rate(value, f"{where}.{rate_key}")
                if rate_key.endswith("_discount") and parsed[rate_key] >= 1:
                    check.fail(f"{where}.{rate_key}", f"a discount is a share below 1, got {value!r}")
        if "logs_per_gb" in parsed and "logs_tier_from_gb" not in parsed:
            if len(parsed["logs_per_gb"]) > 1:
                check.fail(f"{where}.logs_tier_from_gb", "required when logs_per_gb lists several tier rates")
            parsed["logs_tier_from_gb"] = (0.0,)
        regions[code] = MappingProxyType(parsed)
    skus = item.get("skus", {})
    if not isinstance(skus, dict) or not all(isinstance(v, str) for v in skus.values()):
        check.fail(f"{key}.skus", "expected a table of rate key = SKU strings")
    unknown = sorted(set(skus) - set(METER_RATE_KEYS))
    if unknown:
        check.fail(f"{key}.skus", f"SKUs given for unknown rate key(s) {', '.join(unknown)}")
    assumption = item.get("assumption")
    return MeterSheet(
        name=name,
        effective_from=check.day(item["effective_from"], f"{key}.effective_from"),
        source=check.source(item, key),
        regions=MappingProxyType(regions),
        assumption=None if assumption is None else str(assumption),
        skus=MappingProxyType(dict(skus)),
    )


def _parse_region(check: SheetChecker, key: str, code: str, row: dict) -> RegionRates:
    check.table(row, key, _REGION_REQUIRED, _REGION_OPTIONAL)
    duration = {}
    for arch in ARCHITECTURES:
        if f"{arch}_per_gb_second" not in row:
            continue
        rates = check.rate_list(row[f"{arch}_per_gb_second"], f"{key}.{arch}_per_gb_second")
        starts_key = f"{arch}_tier_from_gb_seconds"
        if starts_key in row:
            starts = check.starts(row[starts_key], f"{key}.{starts_key}", len(rates))
        elif len(rates) == 1:
            starts = (0.0,)
        else:
            check.fail(f"{key}.{starts_key}", f"required when {arch} lists {len(rates)} tier rates")
        duration[arch] = DurationTiers(rates, starts)
    provisioned, provisioned_duration = {}, {}
    for arch in ARCHITECTURES:
        for target, name in ((provisioned, "provisioned"), (provisioned_duration, "provisioned_duration")):
            meter = f"{name}_{arch}_per_gb_second"
            if meter in row:
                target[arch] = check.rate(row[meter], f"{key}.{meter}")
    derived = set()
    for target in (provisioned, provisioned_duration):
        if "x86_64" in target and "arm64" not in target and "arm64" in duration:
            target["arm64"] = round(target["x86_64"] * ARM64_PROVISIONED_FACTOR, PUBLISHED_DECIMALS)
            derived.add("arm64")
    storage = row.get("ephemeral_storage_per_gb_second")
    also_in = row.get("also_in", [])
    if not isinstance(also_in, list) or not all(isinstance(u, str) for u in also_in):
        check.fail(f"{key}.also_in", "expected a list of URLs")
    currency = row.get("currency", "USD")
    if currency not in CURRENCIES:
        check.fail(f"{key}.currency", f"one of {', '.join(map(repr, CURRENCIES))}, got {currency!r}")
    return RegionRates(
        region=code,
        name=str(row["name"]),
        currency=currency,
        source=check.source(row, key),
        # Divide in decimal so that $0.20 per million is exactly 2e-07 per request.
        per_request=decimal_divide(check.rate(row["requests_per_million"], f"{key}.requests_per_million"), 1_000_000),
        duration=MappingProxyType(duration),
        ephemeral_storage_per_gb_second=None
        if storage is None
        else check.rate(storage, f"{key}.ephemeral_storage_per_gb_second"),
        provisioned_per_gb_second=MappingProxyType(provisioned),
        provisioned_duration_per_gb_second=MappingProxyType(provisioned_duration),
        also_in=tuple(also_in),
        tiers_source_url=row.get("tiers_source_url"),
        assumption=None if row.get("assumption") is None else str(row["assumption"]),
        provisioned_derived=frozenset(derived),
        skus=MappingProxyType(_skus(check, row.get("skus", {}), f"{key}.skus")),
        edge_per_request=_per_request(check, row, "edge_requests_per_million", key),
        free_tier_source=_free_tier_source(check, row, key),
        rate_sources=MappingProxyType(_rate_sources(check, row, key)),
        **{name: check.rate(row[name], f"{key}.{name}") for name in _REGION_PLAIN_RATES if name in row},
    )


def _rate_sources(check: SheetChecker, row: dict, key: str) -> dict[str, Source]:
    """``rate_sources = { <rate key> = "<URL>" }``: rates of the row read elsewhere (same read date)."""
    given = row.get("rate_sources", {})
    if not isinstance(given, dict):
        check.fail(f"{key}.rate_sources", "expected a table of rate key = source URL")
    out = {}
    for rate_key, url in given.items():
        where = f"{key}.rate_sources.{rate_key}"
        if rate_key not in row or rate_key in _NOT_RATES:
            check.fail(where, "names a rate the row does not give")
        out[rate_key] = Source(check.url(url, where), check.day(row.get("read_on"), f"{key}.read_on"))
    return out


def _free_tier_source(check: SheetChecker, row: dict, key: str) -> Source | None:
    """Where a row's own statement of the free tier was read (same read date as the row), if it names one."""
    if "free_tier_source_url" not in row:
        return None
    url = check.url(row["free_tier_source_url"], f"{key}.free_tier_source_url")
    return Source(url, check.day(row.get("read_on"), f"{key}.read_on"))


def _per_request(check: SheetChecker, row: dict, name: str, key: str) -> float | None:
    """A per-million price as a per-request price, divided in decimal ($0.60/M is 6e-07)."""
    if name not in row:
        return None
    return decimal_divide(check.rate(row[name], f"{key}.{name}"), 1_000_000)


def _skus(check: SheetChecker, value: Any, key: str) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        check.fail(key, "expected a table of rate key = SKU strings")
    unknown = sorted(set(value) - REGION_KEYS)
    if unknown:
        check.fail(key, f"SKUs given for unknown rate key(s) {', '.join(unknown)}")
    return dict(value)


def _derive_missing_tiers(regions: dict[str, RegionRates]) -> dict[str, RegionRates]:
    """Give single-tier regions the reference region's tier ratios (documented in the sheet)."""
    reference = regions.get(REFERENCE_REGION)
    if reference is None:
        return regions
    out = {}
    for code, row in regions.items():
        duration = dict(row.duration)
        for arch, tiers in row.duration.items():
            if row.currency != reference.currency:
                break  # nothing says a region billed in another currency tiers like the reference
            ref = reference.duration.get(arch)
            if len(tiers.price_per_gb_second) > 1 or ref is None or len(ref.price_per_gb_second) == 1:
                continue
            first = tiers.price_per_gb_second[0]
            ratios = [r / ref.price_per_gb_second[0] for r in ref.price_per_gb_second]
            duration[arch] = DurationTiers(
                tuple(round(first * ratio, PUBLISHED_DECIMALS) for ratio in ratios),
                ref.from_gb_seconds,
                derived=True,
            )
        out[code] = dataclasses.replace(row, duration=MappingProxyType(duration))
    return out
