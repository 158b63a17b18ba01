"""Prices of what a Lambda function is weighed against: EC2, Fargate, App Runner, ALB, API Gateway.

Reads ``pricing/paas.toml`` (see its header for the schema) with :mod:`tomllib`, checks every
key and returns frozen objects. A broken sheet raises
:class:`~lambdacost.errors.PricingDataError` naming the file, the key and the reason. The
sheet is found like the Lambda one: ``$LAMBDACOST_PRICING_DIR`` or the packaged ``pricing/``.

Examples
--------
>>> from lambdacost.prices.paas import default_paas_prices
>>> book = default_paas_prices()
>>> t4g = book.ec2("t4g.small")
>>> t4g.vcpu, t4g.memory_gib, t4g.usd_per_hour
(2.0, 2.0, 0.0168)
>>> book.fargate("us-east-1", "arm64").usd_per_vcpu_hour
0.03238
"""

from __future__ import annotations

import difflib
import functools
import itertools
import math
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ..errors import InvalidParameterError, PriceNotAvailableError, PricingDataError
from .book import ARCHITECTURES, PARSER_FILES, PRICING_DIR_ENV, SheetChecker, Source, packaged_pricing_dir

__all__ = [
    "PAAS_SHEET",
    "AlbRates",
    "ApiGatewayRates",
    "AppRunnerRates",
    "Ec2Instance",
    "FargateRates",
    "ManagedInstancesRates",
    "PaasPriceBook",
    "default_paas_prices",
    "load_paas_prices",
]

PAAS_SHEET = "paas.toml"
API_KINDS = ("http", "rest")


@dataclass(frozen=True)
class Ec2Instance:
    """One EC2 on-demand Linux instance type in one region.

    ``specs_derived`` is True where vCPU and memory were not found in the sources and follow
    the AWS family ratios; :attr:`assumptions` says so in words.
    """

    name: str
    region: str
    vcpu: float
    memory_gib: float
    usd_per_hour: float
    arch: str
    source: Source
    specs_derived: bool = False
    agreement: str = ""
    #: what the row rests on where it is not cross-checked (e.g. a single source); reported
    assumption: str = ""

    @property
    def assumptions(self) -> tuple[str, ...]:
        out = (f"{self.name} in {self.region}: {self.assumption}",) if self.assumption else ()
        if not self.specs_derived:
            return out
        text = (
            f"{self.name}: {self.vcpu:g} vCPU / {self.memory_gib:g} GiB not found in the sources; "
            "derived from AWS family ratios (m = 4 GiB/vCPU, c = 2 GiB/vCPU, medium = 1 vCPU)"
        )
        return (*out, text)


@dataclass(frozen=True)
class FargateRates:
    """Fargate per-task rates of one region and architecture. [USD/vCPU-h], [USD/GB-h]

    ``ephemeral_storage_usd_per_gb_hour`` is None where no source read gives the rate: such a
    row prices tasks with the included storage only (all that ``compare`` prices today), and
    :meth:`ephemeral_storage_usd_per_hour` refuses more.

    Examples
    --------
    >>> rates = default_paas_prices().fargate("us-east-1", "x86_64")
    >>> print(round(rates.ephemeral_storage_usd_per_hour(30), 6))  # 10 GB above the 20 included
    0.00111
    """

    region: str
    arch: str
    usd_per_vcpu_hour: float
    usd_per_gb_hour: float
    ephemeral_storage_gb_included: float
    ephemeral_storage_usd_per_gb_hour: float | None
    source: Source
    #: what the row rests on where it is not cross-checked (e.g. a single source); reported
    assumption: str = ""

    @property
    def assumptions(self) -> tuple[str, ...]:
        return (f"Fargate {self.arch} in {self.region}: {self.assumption}",) if self.assumption else ()

    def ephemeral_storage_usd_per_hour(self, storage_gb: float) -> float:
        """What one task's ephemeral storage of ``storage_gb`` costs above the included amount. [USD/h]

        Raises
        ------
        PriceNotAvailableError
            More than the included storage in a region whose row has no storage rate.
        """
        extra_gb = max(0.0, storage_gb - self.ephemeral_storage_gb_included)
        if extra_gb == 0:
            return 0.0
        if self.ephemeral_storage_usd_per_gb_hour is None:
            raise PriceNotAvailableError(
                f"{PAAS_SHEET} has no Fargate ephemeral-storage rate for {self.region}: only the included "
                f"{self.ephemeral_storage_gb_included:g} GB per task can be priced there, got {storage_gb:g} GB"
            )
        return extra_gb * self.ephemeral_storage_usd_per_gb_hour


@dataclass(frozen=True)
class AppRunnerRates:
    """App Runner: active vCPU and memory, provisioned (idle) memory. [USD/h per unit]"""

    region: str
    active_usd_per_vcpu_hour: float
    active_usd_per_gb_hour: float
    provisioned_usd_per_gb_hour: float
    source: Source


@dataclass(frozen=True)
class AlbRates:
    """Application Load Balancer: hourly charge, LCU price and one LCU's capacity."""

    region: str
    usd_per_hour: float
    usd_per_lcu_hour: float
    lcu_new_connections_per_second: float
    lcu_active_connections_per_minute: float
    lcu_gb_per_hour: float
    lcu_rule_evaluations_per_second: float
    source: Source
    #: what the row rests on where it is not cross-checked (e.g. a single source); reported
    assumption: str = ""

    @property
    def assumptions(self) -> tuple[str, ...]:
        return (f"Application Load Balancer in {self.region}: {self.assumption}",) if self.assumption else ()


@dataclass(frozen=True)
class ApiGatewayRates:
    """API Gateway request tiers (HTTP or REST API). [USD per request], [requests/month]

    ``priced_below_requests`` is where the rates read stop: a row whose sources give only the
    first tiers prices fewer requests a month than that, and :meth:`check_priced` refuses more
    (inf where every tier is known).

    Examples
    --------
    >>> api = default_paas_prices().api_gateway("rest", "eu-central-1")
    >>> api.usd_per_request, api.priced_below_requests
    ((3.7e-06,), 333000000.0)
    """

    region: str
    kind: str
    usd_per_request: tuple[float, ...]
    tier_from_requests: tuple[float, ...]
    free_requests: float
    source: Source
    #: what the row rests on where it is not cross-checked (e.g. a single source); reported
    assumption: str = ""
    #: monthly requests from which no source read gives the rate [requests/month]
    priced_below_requests: float = math.inf

    @property
    def label(self) -> str:
        """The row in words: ``API Gateway REST API in eu-central-1``."""
        return f"API Gateway {self.kind.upper()} API in {self.region}"

    @property
    def assumptions(self) -> tuple[str, ...]:
        out = (f"{self.label}: {self.assumption}",) if self.assumption else ()
        if math.isfinite(self.priced_below_requests):
            out += (
                f"{self.label}: only the rate below {self.priced_below_requests:,.0f} requests/month was found "
                "(the higher tiers were not); loads at or above it are not priced",
            )
        return out

    def check_priced(self, top: float) -> None:
        """Refuse the largest load ``top`` at or above :attr:`priced_below_requests`, in one line.
        [requests/month]"""
        if top >= self.priced_below_requests:
            raise PriceNotAvailableError(
                f"{PAAS_SHEET} prices the {self.label} only below {self.priced_below_requests:,.0f} requests/month "
                f"(no source read gives the higher tiers), got {top:,.0f}"
            )


@dataclass(frozen=True)
class ManagedInstancesRates:
    """Lambda Managed Instances: fee on the EC2 on-demand price, and the request price."""

    management_fee_fraction: float
    per_request: float
    source: Source


@dataclass(frozen=True)
class Availability:
    """A service closed to new customers: still priced, for the customers who have it."""

    service: str
    closed_to_new_customers: date
    recommended_instead: str
    source: Source

    def describe(self, option: str) -> str:
        """The fact in words, for results that price ``option``."""
        return (
            f"{option}: closed to new customers since {self.closed_to_new_customers} ({self.source.url}, read "
            f"{self.source.read_on}); priced for existing customers only, AWS points new ones to "
            f"{self.recommended_instead}"
        )


class PaasPriceBook:
    """The checked contents of ``paas.toml``; look-ups name close matches when they miss."""

    def __init__(self, file, ec2, fargate, apprunner, alb, api_gateway, managed, availability=None):
        self.file = file
        self._ec2: Mapping[tuple[str, str], Ec2Instance] = MappingProxyType(ec2)
        self._fargate = MappingProxyType(fargate)
        self._apprunner = MappingProxyType(apprunner)
        self._alb = MappingProxyType(alb)
        self._api_gateway = MappingProxyType(api_gateway)
        self.managed_instances: ManagedInstancesRates = managed
        #: services closed to new customers, by option kind (e.g. "apprunner")
        self.availability: Mapping[str, Availability] = MappingProxyType(dict(availability or {}))

    def instance_types(self, region: str = "us-east-1") -> tuple[str, ...]:
        """EC2 instance types priced in ``region``, in sheet order."""
        return tuple(name for (r, name) in self._ec2 if r == region)

    def ec2(self, instance_type: str, region: str = "us-east-1") -> Ec2Instance:
        """One instance type; an unknown one raises with the close matches."""
        found = self._ec2.get((region, instance_type))
        if found is None:
            known = self.instance_types(region)
            if not known:
                raise PriceNotAvailableError(
                    f"no EC2 prices for region {region!r} in {PAAS_SHEET}: leave that option out (--against), or "
                    + _IMPORT.format(service="AmazonEC2")
                )
            raise InvalidParameterError("instance_type", _choices(instance_type, known), instance_type)
        return found

    def fargate(self, region: str = "us-east-1", arch: str = "x86_64") -> FargateRates:
        how = "leave that option out (--against), or " + _IMPORT.format(service="AmazonECS")
        return _lookup(self._fargate, (region, arch), f"Fargate prices for {region} {arch}", how)

    def apprunner(self, region: str = "us-east-1") -> AppRunnerRates:
        how = "leave that option out (--against); `lambdacost prices import` does not read App Runner offers"
        return _lookup(self._apprunner, region, f"App Runner prices for {region}", how)

    def alb(self, region: str = "us-east-1") -> AlbRates:
        what = f"Application Load Balancer prices for {region}, which servers running 2+ instances get by default"
        how = "pass --no-load-balancer (load_balancer=False) to leave it out, or " + _IMPORT.format(service="AWSELB")
        return _lookup(self._alb, region, what, how)

    def api_gateway(self, kind: str, region: str = "us-east-1") -> ApiGatewayRates:
        if kind not in API_KINDS:
            raise InvalidParameterError("api_gateway", "one of 'http', 'rest'", kind)
        how = "use --front-door function-url, or " + _IMPORT.format(service="AmazonApiGateway")
        return _lookup(self._api_gateway, (region, kind), f"API Gateway {kind} prices for {region}", how)


def _choices(got: str, known) -> str:
    close = difflib.get_close_matches(got, known, n=3, cutoff=0.5)
    if close:
        return "a priced instance type (did you mean " + ", ".join(repr(c) for c in close) + "?)"
    return "one of " + ", ".join(known)


#: How to price a region the sheet lacks, said once for every service the importer reads.
_IMPORT = (
    "import AWS's {service} offer for the region (`lambdacost prices import OFFER --into DIR`, then --pricing-dir DIR)"
)


def _lookup(table: Mapping, key, what: str, how: str):
    """The row at ``key``, or one line: what the sheet lacks and how to go on."""
    try:
        return table[key]
    except KeyError:
        raise PriceNotAvailableError(f"{PAAS_SHEET} has no {what}: {how}") from None


def load_paas_prices(directory: str | os.PathLike | None = None) -> PaasPriceBook:
    """Read and check ``paas.toml`` in ``directory`` (default: the packaged ``pricing/``).

    Raises
    ------
    PricingDataError
        The file is missing, is not TOML, or a key is missing, mistyped or out of range.

    Notes
    -----
    The packaged sheet's book is kept in the user's cache folder and read back while the sheet and
    the code are unchanged (:mod:`~lambdacost.prices.sheet_cache`); a ``directory`` given is read
    and checked on every call.
    """
    path = (Path(directory) if directory is not None else packaged_pricing_dir()) / PAAS_SHEET
    if directory is None:
        from . import sheet_cache

        return sheet_cache.cached(path, lambda: _read(path), PaasPriceBook, (__file__, *PARSER_FILES))
    return _read(path)


def _read(path: Path) -> PaasPriceBook:
    if not path.is_file():
        raise PricingDataError(str(path), "-", "file not found")
    try:
        data = tomllib.loads(path.read_bytes().decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise PricingDataError(str(path), "-", f"not valid TOML: {error}") from None
    except OSError as error:  # unreadable: permissions
        raise PricingDataError(str(path), "-", f"cannot read: {error.strerror or error}") from None
    return _parse(data, str(path))


@functools.cache
def _cached(directory: str | None) -> PaasPriceBook:
    return load_paas_prices(directory)


def default_paas_prices() -> PaasPriceBook:
    """The sheet used when none is given: ``$LAMBDACOST_PRICING_DIR`` or the packaged one."""
    return _cached(os.environ.get(PRICING_DIR_ENV) or None)


# --- parsing and checking -------------------------------------------------------------


class _Sheet(SheetChecker):
    """The Lambda sheet's checks (file and key in every error), plus what this sheet needs."""

    def number(self, value: Any, key: str, *, positive: bool = True) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail(key, f"expected a number, got {value!r}")
        if not math.isfinite(value) or not (value > 0 if positive else value >= 0):
            self.fail(key, f"expected a {'positive' if positive else 'non-negative'} finite number, got {value!r}")
        return float(value)

    def text(self, data: dict, name: str, key: str) -> str:
        value = data.get(name, "")
        if not isinstance(value, str):
            self.fail(f"{key}.{name}", f"expected a string, got {value!r}")
        return value


_SOURCED = {"source_url", "read_on"}
_NOTES = {"note"}


def _parse(data: dict, file: str) -> PaasPriceBook:
    sheet = _Sheet(file)
    top = {"schema"}
    sheet.table(
        data,
        "<top>",
        top,
        {"ec2", "fargate", "apprunner", "alb", "api_gateway", "lambda_managed_instances", "beanstalk", "availability"},
    )
    if data["schema"] != 1:
        sheet.fail("schema", f"expected 1, got {data['schema']!r}")

    ec2 = {}
    for region, types in data.get("ec2", {}).items():
        if not isinstance(types, dict):
            sheet.fail(f"ec2.{region}", f"expected a table of instance types, got {type(types).__name__}")
        for name, row in types.items():
            key = f"ec2.{region}.{name}"
            sheet.table(
                row,
                key,
                {"vcpu", "memory_gib", "usd_per_hour", "arch"} | _SOURCED,
                {"specs_derived", "agreement", "assumption"} | _NOTES,
            )
            if row["arch"] not in ARCHITECTURES:
                sheet.fail(f"{key}.arch", f"expected one of {', '.join(ARCHITECTURES)}, got {row['arch']!r}")
            derived = row.get("specs_derived", False)
            if not isinstance(derived, bool):
                sheet.fail(f"{key}.specs_derived", f"expected true or false, got {derived!r}")
            ec2[(region, name)] = Ec2Instance(
                name,
                region,
                sheet.number(row["vcpu"], f"{key}.vcpu"),
                sheet.number(row["memory_gib"], f"{key}.memory_gib"),
                sheet.number(row["usd_per_hour"], f"{key}.usd_per_hour"),
                row["arch"],
                sheet.source(row, key),
                derived,
                sheet.text(row, "agreement", key),
                sheet.text(row, "assumption", key),
            )

    fargate = {}
    for region, arches in data.get("fargate", {}).items():
        for arch, row in sheet.table(arches, f"fargate.{region}", set(), set(ARCHITECTURES)).items():
            key = f"fargate.{region}.{arch}"
            fields = ("usd_per_vcpu_hour", "usd_per_gb_hour", "ephemeral_storage_gb_included")
            storage = "ephemeral_storage_usd_per_gb_hour"  # optional: no source outside the US gives it
            sheet.table(row, key, set(fields) | _SOURCED, {storage, "assumption"} | _NOTES)
            fargate[(region, arch)] = FargateRates(
                region,
                arch,
                *(sheet.number(row[f], f"{key}.{f}") for f in fields),
                sheet.number(row[storage], f"{key}.{storage}") if storage in row else None,
                sheet.source(row, key),
                sheet.text(row, "assumption", key),
            )

    apprunner = {}
    for region, row in data.get("apprunner", {}).items():
        key = f"apprunner.{region}"
        fields = ("active_usd_per_vcpu_hour", "active_usd_per_gb_hour", "provisioned_usd_per_gb_hour")
        sheet.table(row, key, set(fields) | _SOURCED, _NOTES)
        apprunner[region] = AppRunnerRates(
            region, *(sheet.number(row[f], f"{key}.{f}") for f in fields), sheet.source(row, key)
        )

    alb = {}
    for region, row in data.get("alb", {}).items():
        key = f"alb.{region}"
        fields = (
            "usd_per_hour",
            "usd_per_lcu_hour",
            "lcu_new_connections_per_second",
            "lcu_active_connections_per_minute",
            "lcu_gb_per_hour",
            "lcu_rule_evaluations_per_second",
        )
        sheet.table(row, key, set(fields) | _SOURCED, {"assumption"} | _NOTES)
        alb[region] = AlbRates(
            region,
            *(sheet.number(row[f], f"{key}.{f}") for f in fields),
            sheet.source(row, key),
            sheet.text(row, "assumption", key),
        )

    api = {}
    for region, kinds in data.get("api_gateway", {}).items():
        for kind, row in sheet.table(kinds, f"api_gateway.{region}", set(), set(API_KINDS)).items():
            key = f"api_gateway.{region}.{kind}"
            sheet.table(
                row,
                key,
                {"usd_per_million", "tier_from_requests", "free_requests"} | _SOURCED,
                {"assumption", "priced_below_requests"} | _NOTES,
            )
            rates, starts = row["usd_per_million"], row["tier_from_requests"]
            if not isinstance(rates, list) or not rates:
                sheet.fail(f"{key}.usd_per_million", "expected a non-empty list of rates")
            if not isinstance(starts, list) or len(starts) != len(rates):
                sheet.fail(f"{key}.tier_from_requests", f"expected a list as long as usd_per_million ({len(rates)})")
            per_million = tuple(sheet.number(r, f"{key}.usd_per_million") for r in rates)
            from_requests = tuple(sheet.number(s, f"{key}.tier_from_requests", positive=False) for s in starts)
            if from_requests[0] != 0 or any(b <= a for a, b in itertools.pairwise(from_requests)):
                sheet.fail(f"{key}.tier_from_requests", f"expected 0 first, then increasing, got {list(starts)}")
            below = math.inf
            if "priced_below_requests" in row:  # the rates read stop there: the next tiers were not found
                below = sheet.number(row["priced_below_requests"], f"{key}.priced_below_requests")
                if below <= from_requests[-1]:
                    sheet.fail(
                        f"{key}.priced_below_requests",
                        f"expected more than the last tier's start ({from_requests[-1]:g}), got {below:g}",
                    )
            api[(region, kind)] = ApiGatewayRates(
                region,
                kind,
                tuple(r / 1e6 for r in per_million),
                from_requests,
                sheet.number(row["free_requests"], f"{key}.free_requests", positive=False),
                sheet.source(row, key),
                sheet.text(row, "assumption", key),
                below,
            )

    if "lambda_managed_instances" not in data:
        sheet.fail("lambda_managed_instances", "missing required table")
    row = sheet.table(
        data["lambda_managed_instances"],
        "lambda_managed_instances",
        {"management_fee_fraction", "requests_usd_per_million"} | _SOURCED,
        _NOTES,
    )
    fee = sheet.number(
        row["management_fee_fraction"], "lambda_managed_instances.management_fee_fraction", positive=False
    )
    if fee >= 1:
        sheet.fail("lambda_managed_instances.management_fee_fraction", f"expected a fraction below 1, got {fee!r}")
    managed = ManagedInstancesRates(
        fee,
        sheet.number(row["requests_usd_per_million"], "lambda_managed_instances.requests_usd_per_million") / 1e6,
        sheet.source(row, "lambda_managed_instances"),
    )
    if "beanstalk" in data:
        beanstalk = sheet.table(data["beanstalk"], "beanstalk", _SOURCED | _NOTES)
        sheet.source(beanstalk, "beanstalk")
    availability = {}
    for service, row in data.get("availability", {}).items():
        key = f"availability.{service}"
        row = sheet.table(row, key, {"closed_to_new_customers", "recommended_instead"} | _SOURCED, _NOTES)
        availability[service] = Availability(
            service,
            sheet.day(row["closed_to_new_customers"], f"{key}.closed_to_new_customers"),
            sheet.text(row, "recommended_instead", key),
            sheet.source(row, key),
        )
    return PaasPriceBook(file, ec2, fargate, apprunner, alb, api, managed, availability)
