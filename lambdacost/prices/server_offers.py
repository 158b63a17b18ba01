"""Read AWS's own offer data for EC2, ECS (Fargate), ELB and API Gateway into ``paas.toml`` rows.

The Price List bulk files (``.../offers/v1.0/aws/<service>/current/<region>/index.json``, and
the same offer as ``index.csv`` for ECS, ELB and API Gateway) and ``aws pricing get-products``
output (a ``PriceList`` of JSON strings, the whole response, or one record) are read with the
same checks as the Lambda offer
(:mod:`lambdacost.prices.offer_parse`: prices as :class:`~decimal.Decimal` from their strings,
duplicate keys refused, one-line errors naming the file and the SKU or key). EC2's CSV is
refused: its attribute columns are named for people ("Operating System"), and one misread
would let a Windows or Dedicated SKU pass as shared Linux. Only what
``compare`` prices is kept:

* ``AmazonEC2``: on-demand Linux instances, shared tenancy, no pre-installed software
  (``BoxUsage`` usage types), with the offer's own ``vcpu`` and ``memory``;
* ``AmazonECS``: Fargate Linux vCPU-hours, GB-hours and ephemeral storage, x86_64 and arm64;
* ``AWSELB`` (and ``AmazonEC2``, which also lists load balancers): the Application Load
  Balancer hour and LCU-hour;
* ``AmazonApiGateway``: HTTP API (``ApiGatewayHttpRequest``) and REST API (``ApiGatewayRequest``)
  request tiers.

Every other SKU is counted in :attr:`ServerOffer.skipped` with its reason, never dropped
silently. :func:`merge_server_rows` puts the rows into a ``paas.toml`` sheet.

Examples
--------
>>> import json
>>> record = {"serviceCode": "AWSELB", "version": "20260911124544", "product": {"sku": "SKU1",
...     "productFamily": "Load Balancer-Application", "attributes": {"regionCode": "eu-west-1",
...     "usagetype": "EU-LCUUsage", "operation": "LoadBalancing:Application"}},
...     "terms": {"OnDemand": {"SKU1.T": {"priceDimensions": {"SKU1.T.D": {"unit": "LCU-Hrs",
...     "beginRange": "0", "endRange": "Inf", "pricePerUnit": {"USD": "0.0080000000"}}}}}}}
>>> offer = parse_server_offer(json.dumps({"PriceList": [json.dumps(record)]}), "lcu.json")
>>> [(r.region, r.meter, format(r.usd, "f")) for r in offer.rates]
[('eu-west-1', 'alb_lcu', '0.0080000000')]
"""

from __future__ import annotations

import copy
import csv
import os
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..errors import PricingDataError
from .offer_parse import (
    CSV_META_ROWS,
    NO_PREFIX_REGION,
    REGION_PREFIXES,
    _decimal,
    _loads,
    _table,
    csv_table,
    offer_text,
    one_line_errors,
    price_dimensions,
)

__all__ = [
    "SERVER_SERVICES",
    "ServerRate",
    "ServerOffer",
    "parse_server_offer",
    "read_server_offer",
    "sniff_service",
    "service_of",
    "merge_server_rows",
]

#: The offers this module reads, and the ``paas.toml`` tables each fills.
SERVER_SERVICES = {
    "AmazonEC2": "ec2 (and alb, where it lists load balancers)",
    "AmazonECS": "fargate",
    "AWSELB": "alb",
    "AmazonApiGateway": "api_gateway",
}
#: De-prefixed usage type -> (meter, architecture) for the services billed by usage type.
_USAGE_METERS = {
    "AmazonECS": {
        "Fargate-vCPU-Hours:perCPU": ("fargate_vcpu", "x86_64"),
        "Fargate-GB-Hours": ("fargate_gb", "x86_64"),
        "Fargate-ARM-vCPU-Hours:perCPU": ("fargate_vcpu", "arm64"),
        "Fargate-ARM-GB-Hours": ("fargate_gb", "arm64"),
        "Fargate-EphemeralStorage-GB-Hours": ("fargate_storage", ""),
    },
    "AWSELB": {"LoadBalancerUsage": ("alb_hour", ""), "LCUUsage": ("alb_lcu", "")},
    "AmazonApiGateway": {"ApiGatewayHttpRequest": ("api_http", ""), "ApiGatewayRequest": ("api_rest", "")},
}
_UNITS = {
    "ec2": "hrs",
    "fargate_vcpu": "hours",
    "fargate_gb": "hours",
    "fargate_storage": "gb-hours",
    "alb_hour": "hrs",
    "alb_lcu": "lcu-hrs",
    "api_http": "requests",
    "api_rest": "requests",
}
_MEMORY = re.compile(r"^([0-9][0-9,]*(?:\.[0-9]+)?) GiB$")


@dataclass(frozen=True)
class ServerRate:
    """One price of one SKU (one tier of it for API Gateway), as the offer states it."""

    sku: str
    region: str
    meter: str
    arch: str
    usd: Decimal
    begin_range: Decimal
    end_range: Decimal | None
    instance_type: str = ""
    vcpu: Decimal | None = None
    memory_gib: Decimal | None = None


@dataclass(frozen=True)
class ServerOffer:
    """The rates ``compare`` prices from one server offer, with what was left out and why."""

    service: str
    version: str
    publication_date: str
    source: str
    rates: tuple[ServerRate, ...]
    skipped: tuple[str, ...]
    read: int = 0

    @property
    def regions(self) -> tuple[str, ...]:
        return tuple(sorted({r.region for r in self.rates}))


def read_server_offer(path: str | os.PathLike) -> ServerOffer:
    """Read a server offer file (bulk JSON or ``get-products`` output) from ``path``."""
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise PricingDataError(str(path), "-", f"cannot read the offer file: {error.strerror or error}") from None
    return parse_server_offer(raw, str(path))


def sniff_service(path: str | os.PathLike) -> tuple[str | None, bytes]:
    """The service code of an offer file (None where it is not JSON or names none), and its bytes."""
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise PricingDataError(str(path), "-", f"cannot read the offer file: {error.strerror or error}") from None
    head = raw.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head not in (b"{", b"["):
        return _csv_service(raw), raw
    try:
        return service_of(_loads(raw.decode("utf-8-sig"), str(path))), raw
    except (PricingDataError, UnicodeDecodeError):
        return None, raw  # the Lambda reader says what is wrong with it


def service_of(data: Any) -> str | None:
    """The service code of parsed offer content (bulk ``offerCode`` or a record's ``serviceCode``)."""
    if isinstance(data, dict) and "products" in data:
        return data.get("offerCode")
    records = data.get("PriceList") if isinstance(data, dict) and "PriceList" in data else data
    if isinstance(data, dict) and "product" in data:
        records = [data]
    if isinstance(records, list) and records:
        first = records[0]
        if isinstance(first, str):
            try:
                first = _loads(first, "-")
            except PricingDataError:
                return None
        if isinstance(first, dict):
            return first.get("serviceCode") or (first.get("product") or {}).get("attributes", {}).get("servicecode")
    return None


def _csv_service(raw: bytes) -> str | None:
    """The ``OfferCode`` of a Price List CSV when it is a server offer (else the Lambda reader speaks)."""
    try:
        head = raw[:4096].decode("utf-8-sig", errors="replace").splitlines()[:CSV_META_ROWS]
        rows = list(csv.reader(head))
    except csv.Error:
        return None
    meta = {row[0]: row[1] for row in rows if len(row) >= 2}
    return meta.get("OfferCode") if meta.get("OfferCode") in SERVER_SERVICES else None


def parse_server_offer(raw: bytes | str, source: str) -> ServerOffer:
    """Parse server offer content; ``source`` names it in errors and provenance."""
    text = offer_text(raw, source)
    with one_line_errors():
        if text[:1] in ("{", "["):
            return _parse(*_records(_loads(text, source), source), source)
        if '"SKU"' in text[:8192] or "\nSKU," in text[:8192]:
            return _parse(*_csv_records(text, source), source)
    raise PricingDataError(
        source, "-", "expected a Price List offer: bulk index.json or index.csv, or get-products output"
    )


def _records(data: Any, source: str):
    """(service, version, published, [(sku, family, attributes, on-demand terms)], skipped) of JSON."""
    if isinstance(data, dict) and "products" in data:
        products = _table(data["products"], source, "products")
        terms = _table(_table(data.get("terms"), source, "terms").get("OnDemand", {}), source, "terms.OnDemand")
        entries = []
        for sku, product in products.items():
            product = _table(product, source, f"products.{sku}")
            attributes = _table(product.get("attributes", {}), source, f"products.{sku}.attributes")
            entries.append((sku, product.get("productFamily", ""), attributes, terms.get(sku)))
        return (
            str(data.get("offerCode", "")),
            str(data.get("version", "")),
            str(data.get("publicationDate", "")),
            entries,
            [],
        )
    items = data.get("PriceList") if isinstance(data, dict) and "PriceList" in data else data
    if isinstance(data, dict) and "product" in data:
        items = [data]
    if not isinstance(items, list):
        raise PricingDataError(source, "-", "not an AWS Price List offer (expected 'products' or a PriceList)")
    entries, services, versions, published = {}, set(), set(), set()
    for index, item in enumerate(items):
        where = f"PriceList[{index}]"
        record = _table(_loads(item, source, where) if isinstance(item, str) else item, source, where)
        product = _table(record.get("product"), source, f"{where}.product")
        attributes = _table(product.get("attributes", {}), source, f"{where}.product.attributes")
        sku = product.get("sku")
        if not isinstance(sku, str) or not sku:
            raise PricingDataError(source, f"{where}.product.sku", "missing")
        terms = _table(record.get("terms", {}), source, f"{where}.terms").get("OnDemand")
        entry = (sku, product.get("productFamily", ""), attributes, terms)
        if sku in entries and entries[sku] != entry:
            raise PricingDataError(source, sku, f"SKU {sku} appears twice ({where}) with conflicting contents")
        entries[sku] = entry
        services.add(str(record.get("serviceCode") or attributes.get("servicecode", "")))
        versions.add(str(record.get("version", "")))
        published.add(str(record.get("publicationDate", "")))
    if len(services) > 1:
        raise PricingDataError(source, "serviceCode", f"records of several services: {', '.join(sorted(services))}")
    return next(iter(services), ""), max(versions, default=""), max(published, default=""), list(entries.values()), []


#: How many rows of metadata (FormatVersion, Disclaimer, Publication Date, Version, OfferCode)
#: may come before the CSV's header row; the Lambda reader allows as many.
#: Our name -> AWS's CSV column. The attribute columns take the JSON offer's attribute names,
#: which the readers below test; a CSV without one of the needed columns is refused.
_CSV_NEEDED = {
    "sku": "SKU",
    "term_code": "OfferTermCode",
    "rate_code": "RateCode",
    "term_type": "TermType",
    "begin": "StartingRange",
    "end": "EndingRange",
    "unit": "Unit",
    "price": "PricePerUnit",
    "currency": "Currency",
    "family": "Product Family",
    "usagetype": "usageType",
}
_CSV_OPTIONAL = {
    "effective": "EffectiveDate",
    "operation": "operation",
    "regionCode": "Region Code",
    "servicecode": "serviceCode",
    "location": "Location",
    "locationType": "Location Type",
}


def _csv_records(text: str, source: str):
    """(service, version, published, entries, skipped) of a Price List CSV (``index.csv``)."""
    rows, meta, header_at = csv_table(text, source, "not a Price List CSV")
    service = meta.get("OfferCode", "")
    if service == "AmazonEC2":
        # the EC2 CSV names its attributes for people ("Operating System", "Pre Installed S/W"):
        # read wrongly, a Windows or Dedicated SKU would pass as shared Linux
        raise PricingDataError(
            source, "OfferCode", "AmazonEC2 is read from its JSON offer (index.json) or get-products output, not CSV"
        )
    header = rows[header_at]
    at = {name.lower(): i for i, name in enumerate(header)}
    columns = {}
    for name, column in {**_CSV_NEEDED, **_CSV_OPTIONAL}.items():
        if column.lower() in at:
            columns[name] = at[column.lower()]
        elif name in _CSV_NEEDED:
            raise PricingDataError(source, column, "missing column in the CSV header")
    entries: dict[str, tuple[str, str, dict, dict]] = {}
    skipped = []
    for number, row in enumerate(rows[header_at + 1 :], start=header_at + 2):
        if not row:
            continue
        if len(row) != len(header):
            raise PricingDataError(
                source, f"row {number} (SKU {row[0]})", f"has {len(row)} cells, the header {len(header)} (truncated?)"
            )
        cell = {name: row[i] for name, i in columns.items()}
        sku = cell["sku"]
        if not sku:
            raise PricingDataError(source, f"row {number}", "no SKU")
        if cell["term_type"] != "OnDemand":
            skipped.append(f"{sku}: {cell['term_type'] or '?'} term (row {number}) ignored; compare prices on-demand")
            continue
        if cell["currency"] != "USD":
            raise PricingDataError(
                source, f"row {number} (SKU {sku})", f"currency {cell['currency']!r}, expected 'USD'"
            )
        attributes = {
            k: cell[k]
            for k in ("usagetype", "operation", "regionCode", "servicecode", "location", "locationType")
            if k in cell
        }
        entry = entries.setdefault(sku, (sku, cell["family"], attributes, {}))
        if entry[1:3] != (cell["family"], attributes):
            raise PricingDataError(source, sku, f"SKU {sku} has conflicting attributes on row {number}")
        term = entry[3].setdefault(
            f"{sku}.{cell['term_code']}", {"effectiveDate": cell.get("effective", ""), "priceDimensions": {}}
        )
        dimension = {
            "rateCode": cell["rate_code"],
            "beginRange": cell["begin"],
            "endRange": cell["end"],
            "unit": cell["unit"],
            "pricePerUnit": {"USD": cell["price"]},
        }
        dims = term["priceDimensions"]
        if dims.get(cell["rate_code"], dimension) != dimension:
            raise PricingDataError(
                source, cell["rate_code"], f"SKU {sku}: rate code given twice with conflicting prices (row {number})"
            )
        dims[cell["rate_code"]] = dimension
    return service, meta.get("Version", ""), meta.get("Publication Date", ""), list(entries.values()), skipped


def _region(sku: str, attributes: dict, source: str) -> tuple[str, str]:
    """(region code, usage type without its region prefix)."""
    usage = attributes.get("usagetype")
    if not isinstance(usage, str) or not usage:
        raise PricingDataError(source, sku, f"SKU {sku} has no usagetype attribute")
    head, _, rest = usage.partition("-")
    code = attributes.get("regionCode") or None
    if rest and head in REGION_PREFIXES:
        by_prefix, base = REGION_PREFIXES[head], rest
    else:
        by_prefix, base = code or NO_PREFIX_REGION, usage
    if code is not None and code != by_prefix:
        raise PricingDataError(source, sku, f"SKU {sku}: regionCode {code!r} disagrees with usage type {usage!r}")
    return by_prefix, base


def _dimensions(sku: str, terms: Any, source: str, unit: str) -> list[tuple[Decimal, Decimal | None, Decimal]]:
    """(begin, end, USD) of every on-demand price dimension of ``sku``, in the expected unit."""
    if not isinstance(terms, dict) or not terms:
        raise PricingDataError(source, f"terms.OnDemand.{sku}", f"missing: no on-demand price for SKU {sku}")
    out = []
    for _, key, dim in price_dimensions(sku, terms, source):
        if str(dim.get("unit", "")).strip().lower() != unit:
            raise PricingDataError(source, key, f"SKU {sku}: unit {dim.get('unit')!r} is not the expected {unit!r}")
        out.append(
            (
                _decimal(dim.get("beginRange", "0"), source, key, f"SKU {sku}: beginRange"),
                _decimal(dim.get("endRange", "Inf"), source, key, f"SKU {sku}: endRange", allow_inf=True),
                _decimal(dim["pricePerUnit"]["USD"], source, key, f"SKU {sku}: pricePerUnit.USD", usd=True),
            )
        )
    return sorted(out, key=lambda d: d[0])


def _ec2(sku: str, family: str, attributes: dict, source: str) -> tuple[str, str] | None:
    """The (instance type, arch) of an on-demand Linux instance SKU, or None (why in the caller)."""
    wanted = {
        "operatingSystem": "Linux",
        "tenancy": "Shared",
        "preInstalledSw": "NA",
        "capacitystatus": "Used",
        "licenseModel": "No License required",
    }
    if family != "Compute Instance" or "BoxUsage:" not in str(attributes.get("usagetype", "")):
        return None
    if any(attributes.get(k, v) != v for k, v in wanted.items()):
        return None
    processor = str(attributes.get("physicalProcessor", ""))
    return str(attributes.get("instanceType", "")), "arm64" if "Graviton" in processor else "x86_64"


def _parse(service: str, version: str, published: str, entries: list, skipped: list, source: str) -> ServerOffer:
    if service not in SERVER_SERVICES:
        raise PricingDataError(
            source, "serviceCode", f"this is the offer of {service!r}; server offers are {', '.join(SERVER_SERVICES)}"
        )
    rates, skipped = [], list(skipped)
    for sku, family, attributes, terms in entries:
        if family == "Load Balancer-Application" and service in ("AmazonEC2", "AWSELB"):
            meters = _USAGE_METERS["AWSELB"]
        elif service == "AmazonEC2":
            found = _ec2(sku, family, attributes, source)
            if found is None:
                skipped.append(
                    f"{sku}: {family or '?'} {attributes.get('usagetype', '?')} "
                    f"({attributes.get('operatingSystem', '-')}, {attributes.get('tenancy', '-')}, "
                    f"pre-installed {attributes.get('preInstalledSw', '-')}): not an on-demand shared Linux instance"
                )
                continue
            region, _ = _region(sku, attributes, source)
            name, arch = found
            vcpu = _decimal(attributes.get("vcpu"), source, sku, f"SKU {sku}: vcpu")
            match = _MEMORY.match(str(attributes.get("memory", "")))
            if not name or not match or not vcpu:
                raise PricingDataError(source, sku, f"SKU {sku}: instanceType, vcpu or memory missing or not numbers")
            memory = Decimal(match.group(1).replace(",", ""))
            for begin, end, usd in _dimensions(sku, terms, source, _UNITS["ec2"]):
                rates.append(ServerRate(sku, region, "ec2", arch, usd, begin, end, name, vcpu, memory))
            continue
        else:
            meters = _USAGE_METERS[service]
        region, base = _region(sku, attributes, source)
        meter, arch = meters.get(base, (None, ""))
        if meter is None:
            skipped.append(f"{sku}: usage type {attributes.get('usagetype')!r} is not a meter compare prices")
            continue
        if meter.startswith("alb") and attributes.get("operation") != "LoadBalancing:Application":
            # Network, Gateway and Classic load balancers bill the same usage types
            skipped.append(
                f"{sku}: usage type {attributes.get('usagetype')!r} of operation "
                f"{attributes.get('operation', '-')!r} ({family or '?'}) is not the Application Load Balancer's"
            )
            continue
        for begin, end, usd in _dimensions(sku, terms, source, _UNITS[meter]):
            rates.append(ServerRate(sku, region, meter, arch, usd, begin, end))
    if not rates:
        raise PricingDataError(
            source, "products", f"no {service} rate that compare prices ({len(skipped)} SKU(s) skipped)"
        )
    return ServerOffer(service, version, published, source, tuple(rates), tuple(skipped), len(entries))


# --- into paas.toml ------------------------------------------------------------------------


def _single(rates: list[ServerRate], source: str, what: str) -> ServerRate:
    prices = {r.usd for r in rates}
    if len(prices) != 1 or any(r.begin_range != 0 or r.end_range is not None for r in rates):
        raise PricingDataError(source, rates[0].sku, f"{what}: expected one price from 0 to Inf, got {sorted(prices)}")
    return rates[0]


def merge_server_rows(
    offer: ServerOffer, base: Mapping, *, read_on: date | None = None, source_url: str | None = None
) -> tuple[dict, tuple[str, ...], tuple[str, ...]]:
    """The ``paas.toml`` content with the offer's rows put in (each replacing its old one).

    Parameters
    ----------
    offer : ServerOffer
    base : mapping
        The sheet the rows go into (``paas.toml`` as :mod:`tomllib` reads it).
    read_on : datetime.date, optional
        When the offer was read; default today.
    source_url : str, optional
        Provenance of the rows; default the offer's Price List URL.

    Returns
    -------
    (dict, tuple of str, tuple of str)
        The new sheet, the keys written (``ec2.eu-west-1."t3.small"``, ...) and what was not
        written, with the reason (a Fargate region without an ephemeral-storage price, ...).
    """
    read_on = read_on or date.today()
    regions = offer.regions
    url = source_url or (
        "https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/"
        f"{offer.service}/{offer.version or 'current'}/{regions[0] if len(regions) == 1 else 'region_index'}"
        + ("/index.json" if len(regions) == 1 else ".json")
    )
    note = f"Imported by lambdacost from the AWS Price List offer {offer.service} version {offer.version or '?'} (publicationDate {offer.publication_date or '?'}), read from {offer.source}"
    sheet = copy.deepcopy(dict(base))
    written, left = [], []
    groups: dict[tuple, list[ServerRate]] = defaultdict(list)
    for r in offer.rates:
        groups[(r.meter, r.region, r.arch, r.instance_type)].append(r)

    for (meter, region, arch, name), rates in groups.items():
        if meter != "ec2":
            continue
        rate = _single(rates, offer.source, f"{region} {name}")
        sheet.setdefault("ec2", {}).setdefault(region, {})[name] = {
            "vcpu": _number(rate.vcpu),
            "memory_gib": _number(rate.memory_gib),
            "usd_per_hour": rate.usd.normalize(),
            "arch": arch,
            "source_url": url,
            "read_on": read_on,
            "agreement": "AWS's own offer",
            "note": f"{note}; SKU {rate.sku}; vCPU and memory from the offer's attributes.",
        }
        written.append(f'ec2.{region}."{name}"')

    for region in sorted({k[1] for k in groups if k[0].startswith("fargate")}):
        storage = groups.get(("fargate_storage", region, "", ""))
        for arch in ("x86_64", "arm64"):
            vcpu, gb = groups.get(("fargate_vcpu", region, arch, "")), groups.get(("fargate_gb", region, arch, ""))
            if not vcpu and not gb:
                continue
            old = sheet.get("fargate", {}).get(region, {}).get(arch, {})
            if not vcpu or not gb:
                missing = [w for w, g in (("vCPU", vcpu), ("GB", gb)) if not g]
                left.append(f"fargate.{region}.{arch}: the offer has no {' or '.join(missing)} price, so no row")
                continue
            v, g = (
                _single(vcpu, offer.source, f"{region} Fargate vCPU"),
                _single(gb, offer.source, f"{region} Fargate GB"),
            )
            row = {
                "usd_per_vcpu_hour": v.usd.normalize(),
                "usd_per_gb_hour": g.usd.normalize(),
                "ephemeral_storage_gb_included": old.get("ephemeral_storage_gb_included", 20),
                "source_url": url,
                "read_on": read_on,
                "note": f"{note}; SKUs {v.sku} (vCPU), {g.sku} (GB).",
            }
            if storage:  # the offer's tiers: the first 20 GB free, then the rate
                paid = [r for r in storage if r.usd > 0]
                row["ephemeral_storage_usd_per_gb_hour"] = (paid or storage)[0].usd.normalize()
                row["note"] += f" Ephemeral storage SKU {storage[0].sku}."
            elif "ephemeral_storage_usd_per_gb_hour" in old:
                row["ephemeral_storage_usd_per_gb_hour"] = old["ephemeral_storage_usd_per_gb_hour"]
                row["note"] += " Ephemeral storage kept from the previous sheet (not in the offer)."
            else:  # compare prices the included 20 GB only; storage beyond it is refused for this region
                row["note"] += " No ephemeral-storage price in the offer: storage beyond the included GB is not priced."
            if "ephemeral_storage_gb_included" not in old:
                row["note"] += " 20 GB included per task (https://aws.amazon.com/fargate/pricing/)."
            sheet.setdefault("fargate", {}).setdefault(region, {})[arch] = row
            written.append(f"fargate.{region}.{arch}")

    lcu_defaults = sheet.get("alb", {}).get("us-east-1", {})
    for region in sorted({k[1] for k in groups if k[0].startswith("alb")}):
        hour, lcu = groups.get(("alb_hour", region, "", "")), groups.get(("alb_lcu", region, "", ""))
        if not hour or not lcu:
            left.append(f"alb.{region}: the offer has no {'ALB-hour' if not hour else 'LCU-hour'} price, so no row")
            continue
        h, c = _single(hour, offer.source, f"{region} ALB hour"), _single(lcu, offer.source, f"{region} ALB LCU")
        old = sheet.get("alb", {}).get(region) or lcu_defaults
        dimensions = (
            "lcu_new_connections_per_second",
            "lcu_active_connections_per_minute",
            "lcu_gb_per_hour",
            "lcu_rule_evaluations_per_second",
        )
        if not all(k in old for k in dimensions):
            left.append(f"alb.{region}: no LCU definition in the sheet to go with the offer's prices")
            continue
        sheet.setdefault("alb", {})[region] = {
            "usd_per_hour": h.usd.normalize(),
            "usd_per_lcu_hour": c.usd.normalize(),
            **{k: old[k] for k in dimensions},
            "source_url": url,
            "read_on": read_on,
            "note": f"{note}; SKUs {h.sku} (hour), {c.sku} (LCU). One LCU's dimensions are AWS's definition, kept from the sheet (the offer does not state them).",
        }
        written.append(f"alb.{region}")

    for (meter, region, _, _), rates in sorted(groups.items()):
        if not meter.startswith("api_"):
            continue
        kind = meter.removeprefix("api_")
        tiers = sorted(rates, key=lambda r: r.begin_range)
        if (
            len({r.sku for r in tiers}) != 1
            or tiers[0].begin_range != 0
            or tiers[-1].end_range is not None
            or any(a.end_range != b.begin_range for a, b in zip(tiers, tiers[1:]))
        ):
            raise PricingDataError(
                offer.source, tiers[0].sku, f"{region} API Gateway {kind}: tiers do not tile [0, Inf) in one SKU"
            )
        old = sheet.get("api_gateway", {}).get(region, {}).get(kind) or sheet.get("api_gateway", {}).get(
            "us-east-1", {}
        ).get(kind, {})
        sheet.setdefault("api_gateway", {}).setdefault(region, {})[kind] = {
            "usd_per_million": [(t.usd * 1_000_000).normalize() for t in tiers],
            "tier_from_requests": [_number(t.begin_range) for t in tiers],
            "free_requests": old.get("free_requests", 1_000_000),
            "source_url": url,
            "read_on": read_on,
            "note": f"{note}; SKU {tiers[0].sku}. The 12-month free tier is not in the offer: {old.get('free_requests', 1_000_000):,} requests a month, new accounts created before 2025-07-15 only (https://aws.amazon.com/api-gateway/pricing/).",
        }
        written.append(f"api_gateway.{region}.{kind}")
    return sheet, tuple(written), tuple(left)


def _number(value: Decimal) -> int | Decimal:
    return int(value) if value == value.to_integral_value() else value.normalize()
