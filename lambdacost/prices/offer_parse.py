"""Read the AWS Price List ``AWSLambda`` offer, in any of its three forms, into an :class:`Offer`.

The forms (https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/reading-service-price-list-file-for-services.html):

* the bulk JSON offer file, all regions (``.../AWSLambda/current/index.json``) or one
  region (``.../AWSLambda/<version>/<region>/index.json``);
* the same offer as CSV (five metadata rows, then a header row);
* the Pricing API ``get_products`` output
  (https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_pricing_GetProducts.html):
  a list of JSON strings (``PriceList``), the whole response, or a single record.

Every price is parsed as :class:`~decimal.Decimal` from its string. Rows are keyed on the
``regionCode`` attribute and checked against the usage-type prefix: a usage type without
a prefix is us-east-1, and ``EU`` is eu-west-1. Each rate keeps its SKU, and the offer its
version and publication date. A broken offer raises
:class:`~lambdacost.errors.PricingDataError` naming the file and the SKU or key; SKUs that
are not Lambda meters of the price sheet are listed in :attr:`Offer.skipped`, never dropped
silently. :mod:`lambdacost.prices.offer_import` turns an offer into price-sheet rows.

Examples
--------
>>> from lambdacost.prices.offer_parse import parse_offer
>>> offer = parse_offer(SAMPLE_RECORD, "get_products.json")
>>> offer.service, offer.version, [format(r.usd, "f") for r in offer.rates]  # Decimal, as published
('AWSLambda', '20211116085425', ['0.0000002000'])
>>> offer.rates[0].region, offer.rates[0].meter, offer.rates[0].sku
('eu-west-1', 'requests', 'B5V2RNHAWGVJBZD3')
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ..errors import PricingDataError

__all__ = [
    "SERVICE_CODE",
    "PRICE_LIST_BASE_URL",
    "offer_url",
    "REGION_PREFIXES",
    "OfferRate",
    "Offer",
    "read_offer",
    "parse_offer",
]

SERVICE_CODE = "AWSLambda"
#: Usage-type prefix -> region code, as the offer files spell them. us-east-1 has no prefix for Lambda.
REGION_PREFIXES = {
    "USE1": "us-east-1",
    "USE2": "us-east-2",
    "USW1": "us-west-1",
    "USW2": "us-west-2",
    "CAN1": "ca-central-1",
    "CAN2": "ca-west-1",
    "MXC1": "mx-central-1",
    "SAE1": "sa-east-1",
    "AFS1": "af-south-1",
    "APE1": "ap-east-1",
    "APE2": "ap-east-2",
    "APN1": "ap-northeast-1",
    "APN2": "ap-northeast-2",
    "APN3": "ap-northeast-3",
    "APS1": "ap-southeast-1",
    "APS2": "ap-southeast-2",
    "APS3": "ap-south-1",
    "APS4": "ap-southeast-3",
    "APS5": "ap-south-2",
    "APS6": "ap-southeast-4",
    "APS7": "ap-southeast-5",
    "APS8": "ap-southeast-6",
    "APS9": "ap-southeast-7",
    "EU": "eu-west-1",
    "EUW2": "eu-west-2",
    "EUW3": "eu-west-3",
    "EUC1": "eu-central-1",
    "EUC2": "eu-central-2",
    "EUN1": "eu-north-1",
    "EUS1": "eu-south-1",
    "EUS2": "eu-south-2",
    "ILC1": "il-central-1",
    "MES1": "me-south-1",
    "MEC1": "me-central-1",
    "UGW1": "us-gov-west-1",
    "UGE1": "us-gov-east-1",
    "CNN1": "cn-north-1",
    "CNW1": "cn-northwest-1",
}
NO_PREFIX_REGION = "us-east-1"
_PREFIX_LIKE = re.compile(r"[A-Z]{2,4}\d{0,2}")
FREE_TIER_PREFIX = "Global-"

#: De-prefixed usage type -> (meter, architecture). Selected on the exact usage type, never a
#: substring: ``Lambda-GB-Second`` is part of ``Lambda-Provisioned-GB-Second``.
METERS = {
    "Request": ("requests", "x86_64"),
    "Request-ARM": ("requests", "arm64"),
    "Lambda-GB-Second": ("duration", "x86_64"),
    "Lambda-GB-Second-ARM": ("duration", "arm64"),
    "Lambda-Storage-GB-Second": ("storage", "x86_64"),
    "Lambda-Storage-GB-Second-ARM": ("storage", "arm64"),
    "Lambda-Provisioned-Concurrency": ("provisioned", "x86_64"),
    "Lambda-Provisioned-Concurrency-ARM": ("provisioned", "arm64"),
    "Lambda-Provisioned-GB-Second": ("provisioned_duration", "x86_64"),
    "Lambda-Provisioned-GB-Second-ARM": ("provisioned_duration", "arm64"),
    "Lambda-Edge-Request": ("edge_requests", ""),
    "Lambda-Edge-GB-Second": ("edge_duration", ""),
}
FREE_TIER_METERS = {"Request": "requests", "Lambda-GB-Second": "gb_seconds"}
#: Units seen per meter, normalised (sources disagree: Requests/Request, GB-Seconds/Lambda-GB-Second).
_UNITS = {
    "requests": "request",
    "edge_requests": "request",
    "duration": "gb-second",
    "storage": "gb-second",
    "provisioned": "gb-second",
    "provisioned_duration": "gb-second",
    "edge_duration": "gb-second",
    "gb_seconds": "gb-second",
}

#: A ``get_products`` record (one ``PriceList`` entry, a JSON string; see
#: https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_pricing_GetProducts.html),
#: used by the examples.
SAMPLE_RECORD = json.dumps(
    [
        json.dumps(
            {
                "product": {
                    "productFamily": "Serverless",
                    "sku": "B5V2RNHAWGVJBZD3",
                    "attributes": {
                        "regionCode": "eu-west-1",
                        "servicecode": "AWSLambda",
                        "usagetype": "EU-Request",
                        "location": "EU (Ireland)",
                        "group": "AWS-Lambda-Requests",
                    },
                },
                "serviceCode": "AWSLambda",
                "version": "20211116085425",
                "publicationDate": "2021-11-16T08:54:25Z",
                "terms": {
                    "OnDemand": {
                        "B5V2RNHAWGVJBZD3.JRTCKXETXF": {
                            "sku": "B5V2RNHAWGVJBZD3",
                            "offerTermCode": "JRTCKXETXF",
                            "effectiveDate": "2021-11-01T00:00:00Z",
                            "priceDimensions": {
                                "B5V2RNHAWGVJBZD3.JRTCKXETXF.6YS6EN2CT7": {
                                    "rateCode": "B5V2RNHAWGVJBZD3.JRTCKXETXF.6YS6EN2CT7",
                                    "beginRange": "0",
                                    "endRange": "Inf",
                                    "unit": "Requests",
                                    "pricePerUnit": {"USD": "0.0000002000"},
                                    "description": "requests",
                                }
                            },
                        }
                    }
                },
            }
        )
    ]
)


@dataclass(frozen=True)
class OfferRate:
    """One price dimension of one SKU, as the offer states it.

    ``begin_range`` / ``end_range`` bound the monthly usage the price applies to
    [the meter's unit]; ``end_range`` is None for ``"Inf"``. ``region`` is None for the
    account-wide free-tier SKUs (``Global-`` usage types).
    """

    sku: str
    region: str | None
    usage_type: str
    meter: str
    arch: str
    rate_code: str
    begin_range: Decimal
    end_range: Decimal | None
    usd: Decimal
    unit: str
    location: str
    effective_date: str
    publication_date: str


@dataclass(frozen=True)
class Offer:
    """The Lambda rates of one offer file, with where and when AWS published them.

    ``rates`` holds the known Lambda meters; ``skipped`` names every SKU left out and why.
    """

    service: str
    version: str
    publication_date: str
    source: str
    form: str
    rates: tuple[OfferRate, ...]
    skipped: tuple[str, ...] = ()

    @property
    def regions(self) -> tuple[str, ...]:
        return tuple(sorted({r.region for r in self.rates if r.region}))

    @property
    def source_url(self) -> str:
        """The URL of this offer version: the one read, or the Price List's for ``version``."""
        if self.source.startswith(("https://", "http://")):
            return self.source
        regions = self.regions
        return offer_url(self.version or "current", regions[0] if len(regions) == 1 else None)


#: Where AWS publishes the Price List bulk files.
PRICE_LIST_BASE_URL = "https://pricing.us-east-1.amazonaws.com"


def offer_url(version: str = "current", region: str | None = None, fmt: str = "json") -> str:
    """The AWS Price List URL of the Lambda offer file.

    Examples
    --------
    >>> offer_url()
    'https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AWSLambda/current/index.json'
    >>> offer_url("20251001000000", "eu-west-1", "csv")
    'https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AWSLambda/20251001000000/eu-west-1/index.csv'
    """
    middle = f"{version}/{region}" if region else version
    return f"{PRICE_LIST_BASE_URL}/offers/v1.0/aws/{SERVICE_CODE}/{middle}/index.{fmt}"


# --- reading ------------------------------------------------------------------------------


def read_offer(path: str | os.PathLike) -> Offer:
    """Read an offer file (bulk JSON, CSV or ``get_products`` output) from ``path``."""
    file = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise PricingDataError(file, "-", f"cannot read the offer file: {error.strerror or error}") from None
    return parse_offer(raw, file)


def parse_offer(raw: bytes | str, source: str) -> Offer:
    """Parse offer content; ``source`` (path or URL) names it in errors and provenance."""
    text = offer_text(raw, source)
    if not text:
        raise PricingDataError(source, "-", "the offer file is empty")
    with one_line_errors():
        if text[0] in "{[":
            return _parse_json(text, source)
        return _parse_csv(text, source)


def offer_text(raw: bytes | str, source: str) -> str:
    """An offer's content as text, without a BOM or leading blanks; not UTF-8 is an error."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise PricingDataError(source, "-", f"not UTF-8 text: {error}") from None
    return raw.lstrip("\ufeff \t\r\n")


@contextlib.contextmanager
def one_line_errors():
    """Values quoted from a damaged file may hold line breaks: the error they raise stays one line."""
    try:
        yield
    except PricingDataError as error:
        if "\n" not in str(error) and "\r" not in str(error):
            raise
        raise PricingDataError(error.file, _one_line(error.key), _one_line(error.reason)) from None


def _one_line(text: str) -> str:
    return str(text).replace("\r", "\\r").replace("\n", "\\n")


def _no_duplicates(source: str):
    """A json ``object_pairs_hook``: a key given twice with different values is an error."""

    def hook(pairs):
        out = {}
        for key, value in pairs:
            if key in out and out[key] != value:
                raise PricingDataError(source, key, "given twice with conflicting contents (duplicate SKU or key)")
            out[key] = value
        return out

    return hook


def _loads(text: str, source: str, where: str = ""):
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates(source))
    except json.JSONDecodeError as error:
        at = f"{where}: " if where else ""
        raise PricingDataError(
            source,
            where or "-",
            f"{at}not valid JSON (truncated?) at line {error.lineno} column {error.colno}: {error.msg}",
        ) from None
    except RecursionError:
        raise PricingDataError(source, where or "-", "JSON nested too deeply to read") from None


def _parse_json(text: str, source: str) -> Offer:
    data = _loads(text, source)
    if isinstance(data, dict) and "products" in data:
        return _parse_bulk(data, source)
    if isinstance(data, dict) and "PriceList" in data:
        return _parse_records(data["PriceList"], source, "PriceList")
    if isinstance(data, dict) and "product" in data:
        return _parse_records([data], source, "record")
    if isinstance(data, list):
        return _parse_records(data, source, "PriceList")
    if _is_price_list_index(data):
        raise PricingDataError(
            source,
            "regions" if "regions" in data else "offers",
            (
                "this is a Price List index, not an offer file; download the offer it points to "
                "(e.g. /offers/v1.0/aws/AWSLambda/current/index.json)"
            ),
        )
    # the keys say what the file is instead (whitespace folded and cut short: the error stays one line)
    names = [" ".join(str(k).split())[:40] for k in list(data)[:8]] if isinstance(data, dict) else []
    keys = f"; its top-level keys are {', '.join(names)}" if names else ""
    raise PricingDataError(
        source,
        "-",
        f"not an AWS Price List offer (expected 'products' and 'terms', or a get_products PriceList){keys}",
    )


def _is_price_list_index(data: Any) -> bool:
    """True for AWS's offer or region index: its entries point on with ``currentVersionUrl``.

    A third party's own summary may also have an ``offers`` table (of offers it read); that is
    no index, and pointing its user to "the offer it points to" would mislead.
    """
    if not isinstance(data, dict):
        return False
    table = data.get("regions", data.get("offers"))
    if not isinstance(table, dict) or not table:
        return False
    return any(isinstance(entry, dict) and "currentVersionUrl" in entry for entry in table.values())


def _check_service(source: str, key: str, value: Any) -> None:
    if value != SERVICE_CODE:
        raise PricingDataError(source, key, f"this is the offer of service {value!r}, expected {SERVICE_CODE!r}")


def _table(value: Any, source: str, key: str) -> dict:
    if not isinstance(value, dict):
        raise PricingDataError(source, key, f"expected a JSON object, got {type(value).__name__}")
    return value


def _parse_bulk(data: dict, source: str) -> Offer:
    _check_service(source, "offerCode", data.get("offerCode"))
    products = _table(data["products"], source, "products")
    if "terms" not in data:
        raise PricingDataError(source, "terms", "missing: the offer has products but no prices")
    terms = _table(data["terms"], source, "terms")
    on_demand = _table(terms.get("OnDemand"), source, "terms.OnDemand") if "OnDemand" in terms else None
    if on_demand is None:
        raise PricingDataError(source, "terms.OnDemand", "missing: Lambda prices are on-demand terms")
    entries = []
    for sku, product in products.items():
        product = _table(product, source, f"products.{sku}")
        sku_terms = on_demand.get(sku)
        entries.append(
            (
                sku,
                product.get("attributes", {}),
                None if sku_terms is None else _table(sku_terms, source, f"terms.OnDemand.{sku}"),
            )
        )
    extra = sorted(set(on_demand) - set(products))
    skipped = [f"{sku}: on-demand terms without a product (ignored)" for sku in extra]
    return _build(
        entries, source, "bulk JSON", str(data.get("version", "")), str(data.get("publicationDate", "")), skipped
    )


def _parse_records(items: Any, source: str, key: str) -> Offer:
    if not isinstance(items, list):
        raise PricingDataError(source, key, f"expected a list of price records, got {type(items).__name__}")
    entries, versions, published = {}, set(), set()
    for index, item in enumerate(items):
        where = f"{key}[{index}]"
        record = _loads(item, source, where) if isinstance(item, str) else item
        record = _table(record, source, where)
        product = _table(record.get("product"), source, f"{where}.product")
        attributes = _table(product.get("attributes", {}), source, f"{where}.product.attributes")
        _check_service(source, f"{where}.serviceCode", record.get("serviceCode", attributes.get("servicecode")))
        sku = product.get("sku")
        if not isinstance(sku, str) or not sku:
            raise PricingDataError(source, f"{where}.product.sku", "missing")
        if "terms" not in record:
            raise PricingDataError(source, f"{where}.terms", f"missing: no prices for SKU {sku}")
        terms = _table(record["terms"], source, f"{where}.terms")
        sku_terms = _table(terms["OnDemand"], source, f"{where}.terms.OnDemand") if "OnDemand" in terms else None
        entry = (sku, attributes, sku_terms)
        if sku in entries and entries[sku] != entry:
            raise PricingDataError(
                source, sku, f"SKU {sku} appears twice ({where}) with conflicting attributes or prices"
            )
        entries[sku] = entry
        versions.add(str(record.get("version", "")))
        published.add(str(record.get("publicationDate", "")))
    return _build(
        list(entries.values()), source, "get_products", max(versions, default=""), max(published, default=""), []
    )


_CSV_COLUMNS = {
    "sku": "SKU",
    "term_code": "OfferTermCode",
    "rate_code": "RateCode",
    "term_type": "TermType",
    "effective": "EffectiveDate",
    "begin": "StartingRange",
    "end": "EndingRange",
    "unit": "Unit",
    "price": "PricePerUnit",
    "currency": "Currency",
    "usagetype": "usageType",
}
_CSV_OPTIONAL = {
    "location": "Location",
    "regionCode": "Region Code",
    "group": "Group",
    "description": "PriceDescription",
    "servicecode": "serviceCode",
}


#: Rows of metadata (``OfferCode``, ``Version``, ...) a Price List CSV may have above its header.
CSV_META_ROWS = 10


def csv_table(text: str, source: str, not_csv: str) -> tuple[list[list[str]], dict[str, str], int]:
    """A Price List CSV (``index.csv``) as (rows, the metadata above the header, the header's row index).

    ``not_csv`` says what the file is not when no ``SKU`` header row starts it (one line).
    """
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error as error:
        raise PricingDataError(source, "-", f"not valid CSV: {error}") from None
    meta = {}
    for index, row in enumerate(rows[:CSV_META_ROWS]):
        if row and row[0] == "SKU":
            return rows, meta, index
        if len(row) >= 2:
            meta[row[0]] = row[1]
    raise PricingDataError(source, "-", f"{not_csv} (no 'SKU' header row in the first {CSV_META_ROWS} rows)")


def _parse_csv(text: str, source: str) -> Offer:
    rows, meta, header_at = csv_table(text, source, "neither JSON nor a Price List CSV")
    _check_service(source, "OfferCode", meta.get("OfferCode"))
    header = {name.lower(): i for i, name in enumerate(rows[header_at])}
    columns = {}
    for name, column in {**_CSV_COLUMNS, **_CSV_OPTIONAL}.items():
        if column.lower() in header:
            columns[name] = header[column.lower()]
        elif name in _CSV_COLUMNS:
            raise PricingDataError(source, column, "missing column in the CSV header")
    entries: dict[str, tuple[str, dict, dict]] = {}
    skipped = []
    for number, row in enumerate(rows[header_at + 1 :], start=header_at + 2):
        if not row:
            continue
        if len(row) != len(rows[header_at]):
            sku = row[0] if row else "?"
            raise PricingDataError(
                source,
                f"row {number} (SKU {sku})",
                f"has {len(row)} cells, the header {len(rows[header_at])} (truncated?)",
            )
        cell = {name: row[i] for name, i in columns.items()}
        sku = cell["sku"]
        if cell["term_type"] != "OnDemand":
            skipped.append(f"{sku}: {cell['term_type']} term (row {number}) ignored; Lambda prices are on-demand")
            continue
        attributes = {k: cell[k] for k in ("usagetype", "location", "regionCode", "group", "servicecode") if k in cell}
        if attributes.get("servicecode", SERVICE_CODE) not in ("", SERVICE_CODE):
            _check_service(source, f"row {number}: serviceCode", attributes["servicecode"])
        if sku in entries and entries[sku][1] != attributes:
            raise PricingDataError(source, sku, f"SKU {sku} has conflicting attributes on row {number}")
        terms = entries.setdefault(sku, (sku, attributes, {}))[2]
        term_key = f"{sku}.{cell['term_code']}"
        term = terms.setdefault(term_key, {"effectiveDate": cell["effective"], "priceDimensions": {}})
        dimension = {
            "rateCode": cell["rate_code"],
            "beginRange": cell["begin"],
            "endRange": cell["end"],
            "unit": cell["unit"],
            "pricePerUnit": {cell["currency"]: cell["price"]},
        }
        dims = term["priceDimensions"]
        if cell["rate_code"] in dims and dims[cell["rate_code"]] != dimension:
            raise PricingDataError(
                source, cell["rate_code"], f"SKU {sku}: rate code given twice with conflicting prices (row {number})"
            )
        dims[cell["rate_code"]] = dimension
    return _build(
        list(entries.values()), source, "CSV", meta.get("Version", ""), meta.get("Publication Date", ""), skipped
    )


#: The Price List writes prices with 10 decimals ("0.0000002000"), so a price above 0 and below
#: this cannot be one (and "1E-400" would read as 0 once a float).
USD_SMALLEST = Decimal("1E-10")
#: No unit price in the offers lambdacost reads comes near this: the largest EC2 instances cost
#: a few hundred dollars an hour; Lambda's largest unit price is a fraction of a dollar.
USD_LARGEST = Decimal(10_000)


def _decimal(
    value: Any, source: str, key: str, what: str, allow_inf: bool = False, usd: bool = False
) -> Decimal | None:
    if allow_inf and value == "Inf":
        return None
    try:
        number = Decimal(str(value)) if isinstance(value, (str, int)) and not isinstance(value, bool) else None
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or number < 0:
        raise PricingDataError(source, key, f"{what} is not a finite number >= 0: {_shown(value)}")
    if usd and number != 0 and not USD_SMALLEST <= number <= USD_LARGEST:
        raise PricingDataError(
            source, key, f"{what} must be 0 or in {USD_SMALLEST:f}..{USD_LARGEST:f} USD, got {_shown(value)}"
        )
    if not usd and number > Decimal("1e18"):  # counts and sizes: beyond any offer's range
        raise PricingDataError(source, key, f"{what} must be at most 1e18, got {_shown(value)}")
    return number


def _shown(value: Any) -> str:
    """The value as written, cut short: a 400-digit number is not a message."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _region_of(sku: str, attributes: dict, source: str) -> tuple[str | None, str]:
    """(region code or None for the free tier, de-prefixed usage type)."""
    usage_type = attributes.get("usagetype")
    if not isinstance(usage_type, str) or not usage_type:
        raise PricingDataError(source, sku, f"SKU {sku} has no usagetype attribute")
    code = attributes.get("regionCode") or None
    if usage_type.startswith(FREE_TIER_PREFIX):
        return None, usage_type[len(FREE_TIER_PREFIX) :]
    head, _, rest = usage_type.partition("-")
    if rest and head in REGION_PREFIXES:
        by_prefix, base = REGION_PREFIXES[head], rest
    elif rest and _PREFIX_LIKE.fullmatch(head):
        if code is None:
            raise PricingDataError(source, sku, f"SKU {sku}: unknown usage-type prefix {head!r} and no regionCode")
        by_prefix, base = code, rest
    else:
        by_prefix, base = NO_PREFIX_REGION, usage_type
    if code is not None and code != by_prefix:
        raise PricingDataError(
            source, sku, f"SKU {sku}: regionCode {code!r} disagrees with usage type {usage_type!r} ({by_prefix})"
        )
    return by_prefix, base


def _unit(unit: str) -> str:
    unit = unit.strip().lower().removeprefix("lambda-").replace("seconds", "second")
    return unit.removesuffix("s")


def price_dimensions(sku: str, sku_terms: dict, source: str):
    """Each on-demand price dimension of ``sku`` as ``(term, rate key, dimension)``, every table
    checked on the way and the dimension's ``pricePerUnit`` known to hold a USD price."""
    for term_key, term in sku_terms.items():
        term = _table(term, source, f"{sku}: {term_key}")
        dims = term.get("priceDimensions")
        if not isinstance(dims, dict) or not dims:
            raise PricingDataError(source, term_key, f"SKU {sku}: term has no priceDimensions")
        for rate_key, dim in dims.items():
            dim = _table(dim, source, rate_key)
            prices = dim.get("pricePerUnit")
            if not isinstance(prices, dict) or "USD" not in prices:
                raise PricingDataError(source, rate_key, f"SKU {sku}: no USD price (pricePerUnit = {prices!r})")
            yield term, rate_key, dim


def _build(entries: Iterable, source: str, form: str, version: str, published: str, skipped: list[str]) -> Offer:
    rates = []
    for sku, attributes, sku_terms in entries:
        region, base = _region_of(sku, attributes, source)
        meter, arch = (FREE_TIER_METERS.get(base), "") if region is None else METERS.get(base, (None, ""))
        if meter is None:
            skipped.append(f"{sku}: usage type {attributes.get('usagetype')!r} is not a meter of the price sheet")
            continue
        if not sku_terms:
            raise PricingDataError(
                source,
                f"terms.OnDemand.{sku}",
                f"missing: no on-demand price for SKU {sku} ({attributes.get('usagetype')})",
            )
        for term, rate_key, dim in price_dimensions(sku, sku_terms, source):
            unit = str(dim.get("unit", ""))
            if _unit(unit) != _UNITS[meter]:
                raise PricingDataError(
                    source, rate_key, f"SKU {sku}: unit {unit!r} is not the expected {_UNITS[meter]!r} for {base}"
                )
            rates.append(
                OfferRate(
                    sku=sku,
                    region=region,
                    usage_type=str(attributes["usagetype"]),
                    meter=meter,
                    arch=arch,
                    rate_code=str(dim.get("rateCode", rate_key)),
                    begin_range=_decimal(dim.get("beginRange"), source, rate_key, f"SKU {sku}: beginRange"),
                    end_range=_decimal(dim.get("endRange"), source, rate_key, f"SKU {sku}: endRange", allow_inf=True),
                    usd=_decimal(
                        dim["pricePerUnit"]["USD"], source, rate_key, f"SKU {sku}: pricePerUnit.USD", usd=True
                    ),
                    unit=unit,
                    location=str(attributes.get("location", "")),
                    effective_date=str(term.get("effectiveDate", "")),
                    publication_date=published,
                )
            )
    if not rates:
        raise PricingDataError(source, "products", "no Lambda rates found (not a Lambda offer, or every SKU skipped)")
    return Offer(SERVICE_CODE, version, published, source, form, tuple(rates), tuple(skipped))
