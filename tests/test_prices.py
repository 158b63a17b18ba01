"""The PriceBook: the packaged sheet loads, every rate has provenance, broken sheets fail precisely."""

import shutil
from datetime import date
from pathlib import Path

import pytest

from lambdacost import PriceBook, PricingDataError, UnknownRegionError, default_pricebook
from lambdacost.errors import InvalidParameterError, PriceNotAvailableError
from lambdacost.prices import packaged_pricing_dir

SHEET = packaged_pricing_dir() / "lambda.toml"
BOOK = default_pricebook()


def test_packaged_sheet_loads_with_all_regions_of_the_fact_sheet():
    regions = set(BOOK.regions())
    assert len(regions) == 38
    assert {
        "us-east-1",
        "eu-south-1",
        "ap-southeast-5",
        "af-south-1",
        "me-south-1",
        "us-gov-west-1",
        "us-gov-east-1",
        "cn-north-1",
        "cn-northwest-1",
    } <= regions
    assert BOOK.unpriced == {}  # every region Lambda runs in is priced


def test_every_rate_row_names_its_source_and_read_date():
    for era in BOOK.eras:
        assert era.source.url.startswith("https://")
        for row in era.regions.values():
            assert row.source.url.startswith("https://") and isinstance(row.source.read_on, date)


def test_stamp_is_the_newest_read_date():
    text = SHEET.read_text()
    newest = max(line.split("=")[1].strip() for line in text.splitlines() if line.startswith("read_on"))
    assert BOOK.stamp == newest == "2026-12-01"


@pytest.mark.parametrize(
    "region, arch, tier_rates",
    [
        # us-east-1 tiers as the sheet has them from the AWS Price List (SKUs TG3M4CAGBA3NYQBH, 72SBSFWPMDTH8S3J)
        ("us-east-1", "x86_64", (0.0000166667, 0.0000150000, 0.0000133334)),
        ("us-east-1", "arm64", (0.0000133334, 0.0000120001, 0.0000106667)),
        # derived: 0.000015 x (0.000015 / 0.0000166667) and x (0.0000133334 / 0.0000166667), 10 decimals
        ("ap-southeast-5", "x86_64", (0.0000150000, 0.0000135000, 0.0000120000)),
        # read (zmynx jsons/eu-south-1.json): derivation would give 0.0000175654 for tier 2
        ("eu-south-1", "x86_64", (0.0000195172, 0.0000175655, 0.0000156138)),
    ],
)
def test_tier_rates(region, arch, tier_rates):
    rates = BOOK.rates(region, arch, date(2026, 11, 1))
    assert rates.tier_per_gb_second == pytest.approx(tier_rates, abs=0)
    derived = rates.derived_tiers_assumption is not None
    assert derived == (region not in ("us-east-1", "eu-south-1"))


def test_eras_and_milestones():
    old = BOOK.rates("us-east-1", "x86_64", date(2019, 6, 1))
    assert (old.era.name, old.granularity_ms, old.tier_per_gb_second) == ("100ms", 100, (0.00001667,))
    assert (old.era.memory_mb_max, old.era.memory_mb_step, old.ephemeral_storage_mb_max) == (3008, 64, 512)
    # 1 ms era before tiered pricing: one flat rate
    assert BOOK.rates("us-east-1", "x86_64", date(2021, 6, 1)).tier_per_gb_second == (0.0000166667,)
    with pytest.raises(PriceNotAvailableError, match="arm64 was not available on 2021-09-28"):
        BOOK.rates("us-east-1", "arm64", date(2021, 9, 28))
    assert BOOK.rates("us-east-1", "arm64", date(2021, 9, 29)).tier_per_gb_second == (0.0000133334,)
    with pytest.raises(
        PriceNotAvailableError, match="the 100ms era .* prices only us-east-1; eu-west-1 is priced from 2020-12-01"
    ):
        BOOK.rates("eu-west-1", "x86_64", date(2020, 11, 30))
    with pytest.raises(PriceNotAvailableError, match="on or after 2014-11-13"):
        BOOK.era(date(2014, 11, 12))


def test_arm64_provisioned_rates_derived_outside_us_east_1():
    assert (
        BOOK.region_rates("us-east-1").provisioned_per_gb_second["arm64"] == 0.0000033334
    )  # read (SKU MV7PTBS82AVCMXJJ)
    frankfurt = BOOK.region_rates("eu-central-1")
    assert frankfurt.provisioned_per_gb_second["arm64"] == round(0.0000050147 * 0.8, 10)
    assert frankfurt.provisioned_derived == {"arm64"}


def test_unknown_region_names_close_matches():
    with pytest.raises(UnknownRegionError, match=r"region 'eu-wset-1' is not priced; did you mean 'eu-west-1'"):
        BOOK.rates("eu-wset-1")
    with pytest.raises(KeyError):  # also the builtin
        BOOK.rates("mars-north-1")
    with pytest.raises(InvalidParameterError, match="arch must be one of 'x86_64', 'arm64', got 'arm'"):
        BOOK.rates("us-east-1", "arm")


BROKEN = [
    # (text to replace, replacement, key named, reason)
    (
        "requests_per_million = 0.27",
        "requests_per_million = -0.27",
        "eras.1ms.regions.af-south-1.requests_per_million",
        "rates must be finite and >= 0",
    ),
    (
        "requests_per_million = 0.27",
        'requests_per_million = "0.27"',
        "af-south-1.requests_per_million",
        "expected a number",
    ),
    (
        "x86_64_tier_from_gb_seconds = [0, 6_000_000_000, 15_000_000_000]",
        "x86_64_tier_from_gb_seconds = [0, 15_000_000_000, 6_000_000_000]",
        "us-east-1.x86_64_tier_from_gb_seconds",
        "tier starts must increase strictly",
    ),
    (
        "x86_64_per_gb_second = [0.0000166667, 0.0000150000, 0.0000133334]",
        "x86_64_per_gb_second = [0.0000166667, 0.0000170000, 0.0000133334]",
        "us-east-1.x86_64_per_gb_second",
        "must not increase",
    ),
    (
        "effective_from = 2020-12-01",
        "effective_from = 2014-01-01",
        "eras.1ms.effective_from",
        "eras must be in date order",
    ),
    (
        'name = "Europe (Milan)"\n',
        'name = "Europe (Milan)"\nrequest_per_million = 0.23\n',
        "eras.1ms.regions.eu-south-1",
        "unknown key(s) request_per_million",
    ),
    ("[free_tier]\nrequests = 1_000_000\n", "[free_tier]\n", "free_tier", "missing required key(s) requests"),
    ("[eras.regions.ap-east-1]", "[eras.regions.af-south-1]", "-", "not valid TOML"),  # a duplicate table
    (
        'read_on = 2026-11-27\nnote = "Perpetual',
        'read_on = "yesterday"\nnote = "Perpetual',
        "free_tier.read_on",
        "expected a date",
    ),
    (
        'source_url = "https://www.centerconsulting.com',
        'source_url = "centerconsulting.com',
        "milestones.launch.source_url",
        "expected an http(s) URL",
    ),
    (
        "regions.us-east-1 = { esm_sqs_per_epu_hour = 0.00925 }",
        "regions.us-east-1 = { esm_sqs_per_epu_hour = 0.00925, esm_kinesis_per_epu_hour = 0.1 }",
        "meters.esm_provisioned_sqs.regions.us-east-1",
        "unknown key(s) esm_kinesis_per_epu_hour",
    ),
    (
        "logs_tier_from_gb = [0, 10_000, 30_000, 50_000]",
        "logs_tier_from_gb = [0, 10_000, 50_000]",
        "meters.cloudwatch_logs.regions.us-east-1.logs_tier_from_gb",
        "expected 4 tier starts",
    ),
    (
        "[meters.durable]\neffective_from = 2025-12-01\n",
        "[meters.durable]\n",
        "meters.durable",
        "missing required key(s) effective_from",
    ),
]


@pytest.mark.parametrize("old, new, key, reason", BROKEN, ids=[b[3] for b in BROKEN])
def test_broken_sheet_names_file_key_and_reason(tmp_path: Path, old, new, key, reason):
    text = SHEET.read_text()
    assert old in text, "the fixture no longer matches the sheet"
    (tmp_path / "lambda.toml").write_text(text.replace(old, new, 1))
    with pytest.raises(PricingDataError) as caught:
        PriceBook.load(tmp_path)
    message = str(caught.value)
    assert message.startswith(str(tmp_path / "lambda.toml"))
    assert key in message and reason in message


def test_missing_sheet(tmp_path: Path):
    with pytest.raises(PricingDataError, match="file not found"):
        PriceBook.load(tmp_path)


def test_private_pricing_directory_through_the_environment(tmp_path: Path, monkeypatch):
    shutil.copy(SHEET, tmp_path / "lambda.toml")
    text = (tmp_path / "lambda.toml").read_text().replace("requests_per_million = 0.27", "requests_per_million = 0.10")
    (tmp_path / "lambda.toml").write_text(text)
    monkeypatch.setenv("LAMBDACOST_PRICING_DIR", str(tmp_path))
    assert default_pricebook().region_rates("af-south-1").per_request == pytest.approx(0.10e-6)
    monkeypatch.delenv("LAMBDACOST_PRICING_DIR")
    assert default_pricebook().region_rates("af-south-1").per_request == pytest.approx(0.27e-6)


def test_errors_pickle():
    import pickle

    for error in (PricingDataError("f", "k", "r"), UnknownRegionError("x", ("y",)), InvalidParameterError("a", "b", 1)):
        assert str(pickle.loads(pickle.dumps(error))) == str(error)


def test_did_you_mean_offers_only_priced_regions():
    with pytest.raises(UnknownRegionError) as error:
        BOOK.rates("cn-nrth-1", "x86_64", date(2026, 11, 1))
    assert error.value.close_matches and all(m in BOOK.regions() for m in error.value.close_matches)


def test_meter_rates_come_with_their_own_sources_dates_and_skus():
    rates = BOOK.rates("us-east-1", "x86_64", date(2026, 11, 1))
    assert rates.esm_kafka_per_epu_hour == 0.185 and rates.esm_sqs_per_epu_hour == 0.00925
    assert rates.durable_per_operation == 8e-06  # $8.00 per million, divided in decimal
    assert (rates.durable_written_per_gb, rates.durable_retained_per_gb_month) == (0.25, 0.15)
    assert rates.tenant_isolation_per_gb == 0.000167
    assert rates.logs_per_gb == (0.5, 0.25, 0.1, 0.05)
    assert rates.logs_tier_from_gb == (0.0, 10_000.0, 30_000.0, 50_000.0)
    assert rates.skus["esm_kafka_per_epu_hour"] == "E9QEPQBP6HKCU5DW"
    assert rates.rate_sources["durable_written_per_gb"].read_on == date(2026, 12, 1)
    assert "rests on one source" in rates.meter_assumptions["esm_sqs_per_epu_hour"]
    assert BOOK.rates("us-gov-east-1", "arm64", date(2026, 11, 1)).tenant_isolation_per_gb is None  # not sourced
    assert BOOK.rates("us-east-1", "x86_64", date(2025, 11, 30)).durable_per_operation is None  # before launch
    assert BOOK.rates("il-central-1", "x86_64", date(2026, 11, 1)).esm_kafka_per_epu_hour is None
    for meter in BOOK.meters.values():
        assert meter.source.url.startswith("https://") and meter.source.read_on == date(2026, 12, 1)


def test_decimal_divide_gives_the_decimal_quotient_rounded_once():
    """The float of Decimal(repr(value)) / divisor, on edges and on 20,000 random rates of every scale."""
    import math
    import random
    import struct
    from decimal import Decimal

    from lambdacost.prices.book import decimal_divide

    rng = random.Random(13)
    values = [0.0, -0.0, 0.2, 0.6, 8.0, 1e-05, 0.1 + 0.2, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308]
    values += [round(rng.random() * 10, rng.randint(0, 12)) for _ in range(10_000)]
    bits = (abs(struct.unpack("<d", rng.getrandbits(64).to_bytes(8, "little"))[0]) for _ in range(10_000))
    values += [v for v in bits if math.isfinite(v)]
    for value in values:
        for divisor in (1, 10, 1_000_000, 3):
            want = float(Decimal(repr(value)) / Decimal(divisor))
            got = decimal_divide(value, divisor)
            assert got == want and math.copysign(1, got) == math.copysign(1, want), (value, divisor)
    assert decimal_divide(0.2, 1_000_000) == 2e-07 != 0.2 / 1e6
