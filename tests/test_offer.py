"""Importing AWS's own price list: the sample offer in all three forms, region keys, round trip
to an estimate, bad offers, and the download (with a stand-in opener: this machine has no
network to AWS)."""

import copy
import json
import re
import urllib.error
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from fakes import FakeResponse
from hypothesis import given, settings
from hypothesis import strategies as st

import lambdacost
from lambdacost.errors import LambdaCostError, PricingDataError
from lambdacost.prices import offer_fetch, offer_import, offer_parse
from lambdacost.prices.offer_fetch import OfferDownloadError, fetch_offer, offer_url
from lambdacost.prices.offer_import import import_offer, region_rows
from lambdacost.prices.offer_parse import parse_offer, read_offer
from lambdacost.prices.sheets import dumps_sheet, read_sheet, write_sheet

DATA = Path(__file__).parent / "data" / "offers"
#: An AWSLambda offer file in the bulk JSON form, cut to ten us-east-1 and free-tier SKUs.
SAMPLE = DATA / "lambda-offer-sample.json"
READ_ON = date(2026, 11, 27)
URL = "https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AWSLambda/20251001000000/us-east-1/index.json"

#: Every rate of the sample offer file, typed from it (SAMPLE).
SAMPLE_ROW = {
    "name": "US East (N. Virginia)",
    "source_url": URL,
    "read_on": READ_ON,
    "requests_per_million": Decimal("0.2"),  # 0.0000002000 per request x 1e6
    "ephemeral_storage_per_gb_second": Decimal("0.0000000309"),
    "x86_64_per_gb_second": [Decimal("0.0000166667"), Decimal("0.0000150000"), Decimal("0.0000133334")],
    "x86_64_tier_from_gb_seconds": [0, 6_000_000_000, 15_000_000_000],
    "arm64_per_gb_second": [Decimal("0.0000133334"), Decimal("0.0000120001"), Decimal("0.0000106667")],
    "arm64_tier_from_gb_seconds": [0, 7_500_000_000, 18_750_000_000],
    "provisioned_x86_64_per_gb_second": Decimal("0.0000041667"),
    "provisioned_duration_x86_64_per_gb_second": Decimal("0.0000097222"),
    "edge_per_gb_second": Decimal("0.0000500100"),
    "skus": {
        "requests_per_million": "GU2ZS9HVP6QTQ7KE",
        "ephemeral_storage_per_gb_second": "CVY5JH8RFRXMP92N",
        "x86_64_per_gb_second": "TG3M4CAGBA3NYQBH",
        "arm64_per_gb_second": "72SBSFWPMDTH8S3J",
        "provisioned_x86_64_per_gb_second": "BMKCD2ZCEYKTYYCB",
        "provisioned_duration_x86_64_per_gb_second": "ZZF88MXYPS4DGSEZ",
        "edge_per_gb_second": "UMUS4AT5S27NHYZQ",
    },
}


def sample_records(data=None):
    """The sample offer as Pricing API get_products output: a list of JSON strings."""
    data = data or json.loads(SAMPLE.read_text())
    return [
        json.dumps(
            {
                "product": product,
                "serviceCode": "AWSLambda",
                "version": data["version"],
                "publicationDate": data["publicationDate"],
                "terms": {"OnDemand": data["terms"]["OnDemand"][sku]},
            }
        )
        for sku, product in data["products"].items()
    ]


def record(
    usagetype, price="0.0000002000", region_code=None, sku="SKU0000000000001", unit="Requests", begin="0", end="Inf"
):
    attributes = {"usagetype": usagetype, "servicecode": "AWSLambda", "location": "somewhere"}
    if region_code:
        attributes["regionCode"] = region_code
    return json.dumps(
        {
            "product": {"sku": sku, "productFamily": "Serverless", "attributes": attributes},
            "serviceCode": "AWSLambda",
            "version": "20260101000000",
            "publicationDate": "2026-01-01T00:00:00Z",
            "terms": {
                "OnDemand": {
                    f"{sku}.JRTCKXETXF": {
                        "effectiveDate": "2026-01-01T00:00:00Z",
                        "priceDimensions": {
                            f"{sku}.JRTCKXETXF.6YS6EN2CT7": {
                                "rateCode": f"{sku}.JRTCKXETXF.6YS6EN2CT7",
                                "beginRange": begin,
                                "endRange": end,
                                "unit": unit,
                                "pricePerUnit": {"USD": price},
                            }
                        },
                    }
                }
            },
        }
    )


def region(records, code):
    """A complete minimal region: requests and x86_64 duration, with the given prefix."""
    return [
        record(f"{code}Request", sku="REQ" + code.ljust(13, "0")),
        record(f"{code}Lambda-GB-Second", "0.0000166667", sku="DUR" + code.ljust(13, "0"), unit="Lambda-GB-Second"),
        *records,
    ]


def without_note(rows):
    return {code: {k: v for k, v in row.items() if k != "note"} for code, row in rows.items()}


# --- the sample -------------------------------------------------------------------------


def test_sample_offer_gives_exactly_its_rates():
    offer = read_offer(SAMPLE)
    assert (offer.service, offer.version, offer.publication_date, offer.form) == (
        "AWSLambda",
        "20251001000000",
        "2025-10-01T00:00:00Z",
        "bulk JSON",
    )
    result = region_rows(offer, read_on=READ_ON)
    assert without_note(result.regions) == {"us-east-1": SAMPLE_ROW}
    assert result.free_tier == {
        "requests": 1_000_000,  # endRange of the free SKU ZQVCC2M69R4S79XS
        "gb_seconds": 400_000,  # endRange of the free SKU 4VCGJ7EG8PJVZG7S
        "source_url": URL,
        "read_on": READ_ON,
        "note": "Imported from the AWS Price List offer AWSLambda version 20251001000000 (free-tier SKUs: gb_seconds 4VCGJ7EG8PJVZG7S, requests ZQVCC2M69R4S79XS).",
    }
    assert result.skipped == ()
    assert result.rate_count == 11  # 1 requests + 1 storage + 3 + 3 tiers + 2 provisioned + 1 edge
    note = result.regions["us-east-1"]["note"]
    assert "version 20251001000000" in note and "publicationDate 2025-10-01T00:00:00Z" in note
    assert "arm64 requests SKU K7BX6567RJ67A2KE" in note  # the schema has one requests rate


def test_every_rate_is_a_decimal_read_from_its_string():
    offer = read_offer(SAMPLE)
    tier2 = [r for r in offer.rates if r.rate_code.endswith("XTIER2XXXX") and r.arch == "x86_64"]
    assert len(tier2) == 1 and str(tier2[0].usd) == "0.0000150000"
    assert (tier2[0].begin_range, tier2[0].end_range) == (Decimal(6_000_000_000), Decimal(15_000_000_000))
    top = [r for r in offer.rates if r.rate_code.endswith("XTIER3XXXX") and r.arch == "arm64"]
    assert top[0].end_range is None  # "Inf"
    assert all(isinstance(r.usd, Decimal) and r.publication_date == "2025-10-01T00:00:00Z" for r in offer.rates)


def test_the_three_forms_give_the_same_rows():
    bulk = region_rows(read_offer(SAMPLE), read_on=READ_ON)
    csv_form = region_rows(read_offer(DATA / "lambda-offer-sample.csv"), read_on=READ_ON)
    api = region_rows(parse_offer(json.dumps(sample_records()), "get_products.json"), read_on=READ_ON)
    response = region_rows(
        parse_offer(json.dumps({"FormatVersion": "aws_v1", "PriceList": sample_records()}), "response.json"),
        read_on=READ_ON,
    )
    for other in (csv_form, api, response):
        assert without_note(other.regions) == without_note(bulk.regions)
        assert other.free_tier == bulk.free_tier
    assert "CSV read from" in csv_form.regions["us-east-1"]["note"]


# --- regions from usage-type prefixes ----------------------------------------------------------


def test_region_keys_come_from_region_code_and_prefix():
    records = region([], "EU-") + region([], "USE2-") + region([], "")  # "" = no prefix
    # no regionCode on any record: EU- is eu-west-1, USE2- us-east-2, no prefix us-east-1
    rows = region_rows(parse_offer(json.dumps(records), "x.json"), read_on=READ_ON).regions
    assert sorted(rows) == ["eu-west-1", "us-east-1", "us-east-2"]
    assert rows["eu-west-1"]["skus"]["requests_per_million"] == "REQEU-0000000000"


@pytest.mark.parametrize("prefix, code", sorted(offer_parse.REGION_PREFIXES.items()))
def test_every_billing_prefix_maps_to_its_region(prefix, code):
    (rate,) = parse_offer(
        json.dumps([record(f"{prefix}-Lambda-GB-Second-ARM", "0.0000133334", code, unit="Lambda-GB-Second")]), "x.json"
    ).rates
    assert (rate.region, rate.meter, rate.arch) == (code, "duration", "arm64")
    other = "us-west-2" if code != "us-west-2" else "us-west-1"
    with pytest.raises(PricingDataError, match=f"regionCode '{other}' disagrees with usage type '{prefix}-Request'"):
        parse_offer(json.dumps([record(f"{prefix}-Request", region_code=other)]), "x.json")


def test_unknown_prefix_uses_region_code_and_disagreement_is_an_error():
    records = [
        record("XYZ9-Request", region_code="xy-new-1", sku="A"),
        record("XYZ9-Lambda-GB-Second", "0.00002", "xy-new-1", sku="B", unit="GB-Seconds"),
    ]
    rows = region_rows(parse_offer(json.dumps(records), "x.json"), read_on=READ_ON).regions
    assert list(rows) == ["xy-new-1"] and rows["xy-new-1"]["x86_64_per_gb_second"] == [Decimal("0.00002")]
    with pytest.raises(
        PricingDataError, match="SKU C: regionCode 'eu-west-1' disagrees with usage type 'USE2-Request'"
    ):
        parse_offer(json.dumps([record("USE2-Request", region_code="eu-west-1", sku="C")]), "x.json")


def test_unknown_meters_and_incomplete_regions_are_listed_not_dropped():
    records = region([record("Lambda-Managed-Instances-Request", sku="NEWMETER")], "") + [
        record("APN1-Lambda-Edge-GB-Second", "0.00005001", unit="Lambda-GB-Second", sku="EDGETOKYO")
    ]
    result = region_rows(parse_offer(json.dumps(records), "x.json"), read_on=READ_ON)
    assert list(result.regions) == ["us-east-1"]
    assert result.skipped == (
        "NEWMETER: usage type 'Lambda-Managed-Instances-Request' is not a meter of the price sheet",
        "ap-northeast-1: no requests or x86_64 duration price in the offer, so no row (its other SKUs: EDGETOKYO)",
    )


@settings(max_examples=50, deadline=None)
@given(st.decimals(min_value=0, max_value=1, places=10, allow_nan=False, allow_infinity=False))
def test_any_price_string_is_kept_exactly(price):
    text = format(price, "f")
    records = region([record("EU-Lambda-Provisioned-Concurrency", text, unit="Lambda-GB-Second", sku="PC")], "EU-")
    row = region_rows(parse_offer(json.dumps(records), "x.json"), read_on=READ_ON).regions["eu-west-1"]
    value = row["provisioned_x86_64_per_gb_second"]
    assert value == price and format(value, "f") == text
    assert dumps_sheet({"rate": value}) == f"rate = {text if '.' in text else text + '.0'}\n"  # written as published


# --- round trip: offer -> sheet -> PriceBook -> estimate ----------------------------------------


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    directory = tmp_path_factory.mktemp("imported")
    result = import_offer(read_offer(SAMPLE), read_on=READ_ON)
    write_sheet(result.sheet, directory)
    return directory


def test_round_trip_estimate_x86_64(imported):
    book = lambdacost.PriceBook.load(imported)
    e = lambdacost.estimate(1536, 120, 3_000_000, as_of="2026-11-01", pricebook=book)
    # Oracle, by hand from the sample offer: 1.5 GB x 0.12 s x 3,000,000 = 540,000 GB-s;
    # 540,000 - 400,000 free = 140,000 x 0.0000166667 = 2.333338; (3,000,000 - 1,000,000)
    # requests x 0.0000002 = 0.40; total 2.733338 USD.
    assert e.total_cost == pytest.approx(2.733338, abs=1e-9)
    assert all(item.source_url == URL for item in e.line_items)


def test_round_trip_estimate_arm64_across_tiers(imported):
    book = lambdacost.PriceBook.load(imported)
    e = lambdacost.estimate(10240, 1000, 1_000_000_000, arch="arm64", as_of="2026-11-01", pricebook=book)
    # Oracle: 10 GB x 1 s x 1e9 = 1e10 GB-s; tier 1 7.5e9 x 0.0000133334 = 100,000.5;
    # tier 2 2.5e9 x 0.0000120001 = 30,000.25; the free 400,000 GB-s come off before the tiers
    # (https://calculator.aws/#/addService/Lambda), so out of tier 2: -400,000 x 0.0000120001 = -4.80004;
    # requests (1e9 - 1e6) x 0.0000002 = 199.8; total 130,195.74996 USD.
    assert e.total_cost == pytest.approx(130_195.74996, abs=1e-6)


def test_round_trip_keeps_skus_and_rates_in_the_pricebook(imported):
    row = lambdacost.PriceBook.load(imported).region_rates("us-east-1", date(2026, 11, 1))
    assert dict(row.skus) == SAMPLE_ROW["skus"]
    assert row.duration["x86_64"].price_per_gb_second == (0.0000166667, 0.000015, 0.0000133334)
    assert row.edge_per_gb_second == 0.00005001
    assert row.source.url == URL and row.source.read_on == READ_ON


def test_import_replaces_the_newest_era_or_merges():
    base = read_sheet(lambdacost.prices.packaged_pricing_dir())
    replaced = import_offer(read_offer(SAMPLE), base, read_on=READ_ON).sheet
    merged = import_offer(read_offer(SAMPLE), base, read_on=READ_ON, merge=True).sheet
    assert list(replaced["eras"][-1]["regions"]) == ["us-east-1"]
    assert set(merged["eras"][-1]["regions"]) == set(base["eras"][-1]["regions"])
    assert merged["eras"][-1]["regions"]["eu-west-1"] == base["eras"][-1]["regions"]["eu-west-1"]
    assert replaced["eras"][0] == base["eras"][0]  # older eras are history the offer does not touch
    assert base["eras"][-1]["regions"]["us-east-1"]["source_url"] != URL  # the base is not modified


def test_free_tier_keeps_allowances_the_offer_does_not_state():
    base = {
        "free_tier": {
            "requests": 1,
            "gb_seconds": 2,
            "streaming_gb": 100,
            "source_url": "https://aws.amazon.com/lambda/pricing/",
            "read_on": READ_ON,
        },
        "eras": [{"regions": {}}],
    }
    sheet = import_offer(read_offer(SAMPLE), base, read_on=READ_ON).sheet
    assert (sheet["free_tier"]["requests"], sheet["free_tier"]["gb_seconds"], sheet["free_tier"]["streaming_gb"]) == (
        1_000_000,
        400_000,
        100,
    )
    assert (
        "streaming_gb kept from the previous sheet (source https://aws.amazon.com/lambda/pricing/"
        in sheet["free_tier"]["note"]
    )


# --- bad offers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, match",
    [
        ("other-service.json", r"offerCode: this is the offer of service 'AmazonEC2', expected 'AWSLambda'"),
        ("truncated.json", r"not valid JSON \(truncated\?\) at line 69 column 20"),
        ("truncated.csv", r"row 10 \(SKU TG3M4CAGBA3NYQBH\): has 9 cells, the header 21 \(truncated\?\)"),
        ("missing-terms.json", r": terms: missing: the offer has products but no prices"),
        (
            "missing-sku-terms.json",
            r"terms.OnDemand.TG3M4CAGBA3NYQBH: missing: no on-demand price for SKU TG3M4CAGBA3NYQBH",
        ),
        (
            "not-a-number.json",
            r"XTIER2XXXX: SKU TG3M4CAGBA3NYQBH: pricePerUnit.USD is not a finite number >= 0: '0.00001S0000'",
        ),
        ("duplicate-sku.json", r": GU2ZS9HVP6QTQ7KE: given twice with conflicting contents"),
        ("duplicate-sku-get-products.json", r"SKU GU2ZS9HVP6QTQ7KE appears twice \(PriceList\[2\]\) with conflicting"),
        (
            "tier-gap.json",
            r"SKU TG3M4CAGBA3NYQBH: tiers do not join: one ends at 15000000000, the next begins at 16000000000",
        ),
        ("region-index.json", r"regions: this is a Price List index, not an offer file"),
    ],
)
def test_corrupt_offers_name_the_sku_or_key(name, match):
    with pytest.raises(PricingDataError, match=match) as raised:
        region_rows(read_offer(DATA / name), read_on=READ_ON)
    assert raised.value.file == str(DATA / name)


@pytest.mark.parametrize(
    "records, match",
    [
        (
            [record("Request", sku="A"), record("Request", "0.0000003", sku="B")],
            r"SKUs A and B both price us-east-1 requests x86_64 with conflicting prices",
        ),
        (
            [record("Request", sku="A"), record("Request-ARM", "0.0000003", sku="B")],
            r"us-east-1: arm64 requests price 0.0000003 \(SKU B\) differs from x86_64 0.0000002000 \(SKU A\)",
        ),
        ([record("Request", sku="A", unit="Hours")], r"SKU A: unit 'Hours' is not the expected 'request' for Request"),
        ([record("Request", "-1", sku="A")], r"SKU A: pricePerUnit.USD is not a finite number >= 0: '-1'"),
        ([record("Request", "NaN", sku="A")], r"SKU A: pricePerUnit.USD is not a finite number >= 0: 'NaN'"),
        ([record("Request", sku="A", begin="5")], r"SKU A: the first tier begins at 5, not 0"),
        ([record("Request", sku="A", end="10")], r"SKU A: the top tier ends at 10, not 'Inf'"),
        (
            [json.dumps({"product": {"sku": "A", "attributes": {"usagetype": "Request"}}, "serviceCode": "AWSLambda"})],
            r"PriceList\[0\].terms: missing: no prices for SKU A",
        ),
        (['{"product": '], r"PriceList\[0\]: not valid JSON \(truncated\?\)"),
        (
            [json.dumps({"product": {"sku": "A", "attributes": {}}, "serviceCode": "AmazonS3", "terms": {}})],
            r"PriceList\[0\].serviceCode: this is the offer of service 'AmazonS3'",
        ),
    ],
)
def test_bad_get_products_output(records, match):
    with pytest.raises(PricingDataError, match=match):
        region_rows(parse_offer(json.dumps(records), "x.json"), read_on=READ_ON)


def test_csv_rows_giving_one_rate_two_prices_are_an_error(tmp_path):
    lines = (DATA / "lambda-offer-sample.csv").read_text().splitlines()
    bad = lines[6].replace('"0.0000002000"', '"0.0000002500"')
    (tmp_path / "dup.csv").write_text("\n".join(lines + [bad]) + "\n")
    with pytest.raises(
        PricingDataError,
        match=r"GU2ZS9HVP6QTQ7KE.JRTCKXETXF.6YS6EN2CT7: SKU GU2ZS9HVP6QTQ7KE: rate code given twice with conflicting prices \(row 21\)",
    ):
        read_offer(tmp_path / "dup.csv")


def test_empty_and_missing_files(tmp_path):
    (tmp_path / "empty.json").write_text("  \n")
    with pytest.raises(PricingDataError, match="the offer file is empty"):
        read_offer(tmp_path / "empty.json")
    with pytest.raises(PricingDataError, match="cannot read the offer file"):
        read_offer(tmp_path / "absent.json")
    with pytest.raises(PricingDataError, match="no 'SKU' header row"):
        parse_offer("hello,world\n", "x.csv")


def test_identical_duplicates_are_harmless():
    records = sample_records()
    assert region_rows(parse_offer(json.dumps(records + records[:2]), "x.json"), read_on=READ_ON).rate_count == 11


# --- download ---------------------------------------------------------------------------------


def test_fetch_downloads_and_parses(monkeypatch):
    asked = []
    monkeypatch.setattr(
        offer_fetch, "urlopen", lambda url, timeout: asked.append((url, timeout)) or FakeResponse(SAMPLE.read_bytes())
    )
    offer = fetch_offer(region="us-east-1", timeout=3)
    assert asked == [
        ("https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AWSLambda/current/us-east-1/index.json", 3)
    ]
    assert offer.version == "20251001000000" and len(offer.rates) == 14  # 10 SKUs, two with 3 tiers


@pytest.mark.parametrize(
    "error, match",
    [
        (
            urllib.error.URLError("[Errno -2] Name or service not known"),
            r"cannot download https://\S+/AWSLambda/current/index.json: \[Errno -2\] Name or service not known \(no network\?\)",
        ),
        (urllib.error.HTTPError("u", 403, "Forbidden", {}, None), r"HTTP 403 Forbidden"),
        (TimeoutError("timed out"), r"TimeoutError: timed out \(no network\?\)"),
    ],
)
def test_fetch_without_network_raises_one_clear_error(monkeypatch, error, match):
    def refuse(url, timeout):
        raise error

    monkeypatch.setattr(offer_fetch, "urlopen", refuse)
    with pytest.raises(OfferDownloadError, match=match) as raised:
        fetch_offer()
    assert isinstance(raised.value, LambdaCostError)


def test_fetch_with_the_real_opener_fails_cleanly_when_nothing_listens():
    # Port 9 (discard) on localhost: refused at once, no network needed.
    with pytest.raises(OfferDownloadError, match=r"cannot download http://127.0.0.1:9/index.json: .*refused"):
        fetch_offer("http://127.0.0.1:9/index.json", timeout=5)


def test_offer_download_error_pickles():
    import pickle

    error = pickle.loads(pickle.dumps(OfferDownloadError("https://x", "down")))
    assert str(error) == "cannot download https://x: down"


def test_offer_url_of_a_file_read_from_disk_is_the_price_list_url():
    assert read_offer(SAMPLE).source_url == URL == offer_url("20251001000000", "us-east-1")
    data = json.loads(SAMPLE.read_text())
    two_regions = copy.deepcopy(data)
    two_regions["products"]["GU2ZS9HVP6QTQ7KE"]["attributes"]["regionCode"] = "eu-west-1"
    two_regions["products"]["GU2ZS9HVP6QTQ7KE"]["attributes"]["usagetype"] = "EU-Request"
    assert parse_offer(json.dumps(two_regions), "all.json").source_url.endswith("/AWSLambda/20251001000000/index.json")


def test_rates_the_schema_has_no_key_for_are_reported(monkeypatch):
    monkeypatch.setattr(offer_import, "REGION_KEYS", offer_import.REGION_KEYS - {"edge_per_gb_second"})
    result = region_rows(read_offer(SAMPLE), read_on=READ_ON)
    assert "edge_per_gb_second" not in result.regions["us-east-1"]
    assert "edge_per_gb_second" not in result.regions["us-east-1"]["skus"]
    assert result.skipped == (
        "UMUS4AT5S27NHYZQ: edge_per_gb_second in us-east-1 not imported: the sheet schema has no such key",
    )


def test_imported_skus_reach_line_items_and_explain(tmp_path):
    """Provenance: an estimate priced from an imported offer names each rate's SKU."""
    from lambdacost import PriceBook, estimate
    from lambdacost.prices.offer_import import import_offer
    from lambdacost.prices.sheets import write_sheet

    sample = Path(__file__).parent / "data" / "offers" / "lambda-offer-sample.json"
    result = import_offer(sample)
    write_sheet(result.sheet, tmp_path)
    e = estimate(1536, 120, 3e6, as_of="2026-11-01", pricebook=PriceBook.load(tmp_path))
    skus = {item.name: item.sku for item in e.line_items}
    assert skus["requests"] == "GU2ZS9HVP6QTQ7KE" and skus["duration tier 1"] == "TG3M4CAGBA3NYQBH"
    assert "AWS Price List SKUs: requests GU2ZS9HVP6QTQ7KE; duration tier 1 TG3M4CAGBA3NYQBH" in e.explain()


def test_merge_keeps_only_the_rates_the_offer_lacks_and_says_whose_they_are():
    base = read_sheet(lambdacost.prices.packaged_pricing_dir())
    row = base["eras"][-1]["regions"]["us-east-1"]
    row["x86_64_per_gb_second"] = [0.00002]  # the offer's three tiers replace the base's list whole
    row["x86_64_tier_from_gb_seconds"] = [0]
    row["assumption"] = "typed by hand"
    result = import_offer(read_offer(SAMPLE), base, read_on=READ_ON, merge=True)
    merged = result.sheet["eras"][-1]["regions"]["us-east-1"]
    kept = (
        "provisioned_arm64_per_gb_second",
        "provisioned_duration_arm64_per_gb_second",
        "snapstart_cache_per_gb_second",
        "snapstart_restore_per_gb",
        "edge_requests_per_million",
        "streaming_per_gb",
    )
    assert result.kept == {"us-east-1": kept} and result.dropped == ()
    assert [format(v, "f") for v in merged["x86_64_per_gb_second"]] == [
        "0.0000166667",
        "0.0000150000",
        "0.0000133334",
    ]
    assert merged["x86_64_tier_from_gb_seconds"] == [0, 6_000_000_000, 15_000_000_000]
    assert {k: merged[k] for k in kept} == {k: row[k] for k in kept}
    assert merged["skus"]["streaming_per_gb"] == "RJKWHBCSDT32Z53D"  # the kept rate's own SKU
    assert merged["skus"]["x86_64_per_gb_second"] == "TG3M4CAGBA3NYQBH"
    assert merged["assumption"] == ", ".join(kept) + " kept from the previous sheet: typed by hand"
    assert merged["note"].endswith(
        f"Kept from the previous sheet ({row['source_url']}, read {row['read_on']}), as the offer has no price "
        f"for them: {', '.join(kept)}."
    )
    assert "also_in" not in merged  # those sources vouch for the base's numbers, not the offer's


def test_a_replacing_import_lists_the_regions_it_leaves_out_as_unpriced():
    base = read_sheet(lambdacost.prices.packaged_pricing_dir())
    result = import_offer(read_offer(SAMPLE), base, read_on=READ_ON)
    others = [code for code in base["eras"][-1]["regions"] if code != "us-east-1"]
    assert result.dropped == tuple(others) and result.kept == {} and result.kept_regions == ()
    reason = result.sheet["unpriced"]["eu-west-1"]["reason"]
    assert reason.startswith("not in the AWS Price List offer AWSLambda version 20251001000000 imported")
    assert set(base.get("unpriced", {})) <= set(result.sheet["unpriced"])  # the base's own unpriced stay
    assert {"cn-north-1", "cn-northwest-1"} <= set(result.dropped)  # CNY rows go with the others


# --- server offers ----------------------------------------------------------------------------


def test_server_offer_reads_only_what_compare_prices():
    from lambdacost.prices.server_offers import read_server_offer

    servers = Path(__file__).parent / "data" / "offers"
    ec2 = read_server_offer(servers / "server-ec2-get-products.json")
    assert ec2.service == "AmazonEC2" and ec2.version == "20251001000000" and ec2.read == 4
    assert [(r.instance_type, r.arch, r.vcpu, r.memory_gib, format(r.usd, "f")) for r in ec2.rates] == [
        ("t3.small", "x86_64", Decimal(2), Decimal(2), "0.0208000000"),
        ("t4g.small", "arm64", Decimal(2), Decimal(2), "0.0168000000"),
    ]
    api = read_server_offer(servers / "server-apigateway-bulk.json")
    rest = [r for r in api.rates if r.meter == "api_rest"]
    assert [(int(r.begin_range), format(r.usd * 1_000_000, "f")) for r in rest] == [
        (0, "3.5000000000"),
        (333_000_000, "2.8000000000"),
        (1_000_000_000, "2.3800000000"),
        (20_000_000_000, "1.5100000000"),
    ]


def test_server_offer_errors_name_the_file_and_the_sku(tmp_path):
    from lambdacost.prices.server_offers import merge_server_rows, parse_server_offer, service_of

    assert service_of(json.loads(SAMPLE.read_text())) == "AWSLambda"
    with pytest.raises(PricingDataError, match="this is the offer of 'AWSLambda'; server offers are AmazonEC2"):
        parse_server_offer(SAMPLE.read_bytes(), "lambda.json")
    servers = Path(__file__).parent / "data" / "offers"
    data = json.loads((servers / "server-apigateway-bulk.json").read_text())
    dims = data["terms"]["OnDemand"]["CONSTRUCTED31"]["CONSTRUCTED31.JRTCKXETXF"]["priceDimensions"]
    next(iter(dims.values()))["endRange"] = "200000000"  # a gap between the tiers
    offer = parse_server_offer(json.dumps(data), "gap.json")
    with pytest.raises(PricingDataError, match="us-east-1 API Gateway http: tiers do not tile"):
        merge_server_rows(offer, {"schema": 1})


SERVER_OFFERS = sorted((Path(__file__).parent / "data" / "offers").glob("server-*.json"))


@settings(max_examples=60, deadline=None)
@given(
    index=st.integers(0, len(SERVER_OFFERS) - 1),
    cut=st.floats(0, 1),
    flip=st.integers(0, 10**9),
    byte=st.integers(0, 255),
)
def test_server_offer_parser_reads_or_refuses_mutated_offers(index, cut, flip, byte):
    from lambdacost.prices.server_offers import merge_server_rows, parse_server_offer

    raw = bytearray(SERVER_OFFERS[index].read_bytes())
    raw[flip % len(raw)] = byte  # one byte changed, then the file cut somewhere
    raw = bytes(raw[: max(1, int(len(raw) * cut))] if cut < 0.5 else raw)
    try:
        offer = parse_server_offer(raw, "mutated.json")
        merge_server_rows(offer, {"schema": 1})
    except LambdaCostError as error:
        assert "\n" not in str(error)


@pytest.mark.parametrize("price", ["1e300", "1E-400", "20000"])
def test_an_absurd_offer_price_is_refused_naming_the_sku(tmp_path, price):
    text = (DATA / "lambda-offer-sample.json").read_text()
    damaged = tmp_path / "offer.json"
    damaged.write_text(re.sub(r'"USD"( ?: ?)"0\.0000166667"', f'"USD"\\1"{price}"', text, count=1))
    with pytest.raises(PricingDataError) as raised:
        read_offer(damaged)
    assert str(raised.value).endswith(
        f"SKU TG3M4CAGBA3NYQBH: pricePerUnit.USD must be 0 or in 0.0000000001..10000 USD, got '{price}'"
    )
