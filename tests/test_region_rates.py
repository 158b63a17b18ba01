"""Rate spot-check, every priced Lambda region against the public sources it was read from.

Each row holds the values as printed by the sources (read 2026-12-01), not as copied from the sheet:

* ``zmynx``: zmynx/aws-lambda-calculator, ``aws-lambda-calculator/src/aws_lambda_calculator/jsons/<region>.json``
  at commit fab991d82e5f772151ad259050f7ceb31b768d2f (requests, storage, tier-1 x86_64 and arm64);
  ``zmynx-edge-request`` marks a region where that file shows $0.60 per 1M requests (the Lambda@Edge
  SKU its scraper picks last) and the request price here is remotion's;
* ``remotion``: remotion-dev/remotion ``packages/lambda-client/src/price-per-1s.ts`` at commit
  024b341a3f7744d2d082e88c8e7a30f71398b147 (all four rates);
* ``livetuner``: janritter/aws-lambda-live-tuner ``cost/cost.go`` at commit
  d4c1a18272b5d972eab8338bc266aeb8d19f5dd9 (tier-1 duration; ``livetuner-x86``: x86_64 only);
* ``artillery``: artilleryio/artillery ``lib/platform/aws-lambda/prices.js`` at commit
  872f9673227f58989c88314feb9a7ecb666378a5 (tier-1 duration, stored x 1e11).
"""

import pytest

from lambdacost import UnknownRegionError, default_pricebook

BOOK = default_pricebook()

#: region, requests USD per 1M, storage USD/GB-s, x86_64 tier 1, arm64 tier 1, sources that print them
SPOT_CHECK = [
    ("us-east-1", 0.20, 0.0000000309, 0.0000166667, 0.0000133334, "zmynx remotion livetuner"),
    ("us-east-2", 0.20, 0.0000000309, 0.0000166667, 0.0000133334, "zmynx remotion livetuner"),
    ("us-west-1", 0.20, 0.0000000370, 0.0000166667, 0.0000133334, "zmynx remotion livetuner"),
    ("us-west-2", 0.20, 0.0000000309, 0.0000166667, 0.0000133334, "zmynx remotion livetuner"),
    ("ca-central-1", 0.20, 0.0000000340, 0.0000166667, 0.0000133334, "zmynx remotion livetuner"),
    ("sa-east-1", 0.20, 0.0000000586, 0.0000166667, 0.0000133334, "zmynx remotion livetuner"),
    ("eu-west-1", 0.20, 0.0000000340, 0.0000166667, 0.0000133334, "zmynx remotion livetuner"),
    ("eu-west-2", 0.20, 0.0000000358, 0.0000166667, 0.0000133334, "zmynx-edge-request remotion livetuner"),
    ("eu-west-3", 0.20, 0.0000000358, 0.0000166667, 0.0000133334, "zmynx remotion livetuner"),
    ("eu-central-1", 0.20, 0.0000000367, 0.0000166667, 0.0000133334, "zmynx-edge-request remotion livetuner"),
    ("eu-north-1", 0.20, 0.0000000323, 0.0000166667, 0.0000133334, "zmynx remotion livetuner"),
    ("eu-south-1", 0.23, 0.0000000357, 0.0000195172, 0.0000156138, "zmynx remotion livetuner artillery"),
    ("eu-central-2", 0.22, 0.0000000441, 0.0000183334, 0.0000146667, "zmynx remotion"),
    ("ap-south-1", 0.20, 0.0000000352, 0.0000166667, 0.0000133334, "zmynx remotion livetuner"),
    ("ap-northeast-1", 0.20, 0.0000000370, 0.0000166667, 0.0000133334, "zmynx remotion livetuner"),
    ("ap-northeast-2", 0.20, 0.0000000352, 0.0000166667, 0.0000133334, "zmynx remotion livetuner"),
    ("ap-northeast-3", 0.20, 0.0000000370, 0.0000166667, 0.0000133334, "zmynx remotion livetuner"),
    ("ap-southeast-1", 0.20, 0.0000000370, 0.0000166667, 0.0000133334, "zmynx remotion livetuner"),
    ("ap-southeast-2", 0.20, 0.0000000370, 0.0000166667, 0.0000133334, "zmynx remotion livetuner"),
    ("ap-southeast-4", 0.20, 0.0000000370, 0.0000166667, 0.0000133334, "zmynx remotion"),
    ("ap-southeast-5", 0.18, 0.0000000333, 0.0000150000, 0.0000120000, "zmynx remotion"),
    ("ap-east-1", 0.28, 0.0000000407, 0.0000229200, 0.0000183000, "zmynx remotion livetuner artillery"),
    ("af-south-1", 0.27, 0.0000000404, 0.0000221000, 0.0000176800, "zmynx remotion livetuner artillery"),
    ("me-south-1", 0.25, 0.0000000374, 0.0000206667, 0.0000165334, "zmynx livetuner artillery"),
    ("ap-east-2", 0.18, 0.0000000333, 0.0000150000, 0.0000120000, "zmynx"),
    ("ap-south-2", 0.20, 0.0000000352, 0.0000166667, 0.0000133334, "zmynx"),
    ("ap-southeast-3", 0.20, 0.0000000370, 0.0000166667, 0.0000133334, "zmynx livetuner"),
    ("ap-southeast-6", 0.21, 0.0000000389, 0.0000175000, 0.0000140001, "zmynx"),
    ("ap-southeast-7", 0.18, 0.0000000333, 0.0000150000, 0.0000120000, "zmynx"),
    ("ca-west-1", 0.20, 0.0000000340, 0.0000166667, 0.0000133334, "zmynx"),
    ("eu-south-2", 0.20, 0.0000000340, 0.0000166667, 0.0000133334, "zmynx"),
    ("il-central-1", 0.21, 0.0000000408, 0.0000175000, 0.0000140001, "zmynx"),
    ("me-central-1", 0.25, 0.0000000374, 0.0000206667, 0.0000165334, "zmynx livetuner-x86 artillery"),
    ("mx-central-1", 0.21, 0.0000000324, 0.0000175000, 0.0000140000, "zmynx"),
    ("us-gov-west-1", 0.20, 0.0000000370, 0.0000166667, 0.0000133334, "zmynx livetuner-x86"),
]

#: rows resting on zmynx alone for everything but (at most) tier-1 duration
ZMYNX_MOSTLY = {row[0] for row in SPOT_CHECK if "remotion" not in row[5]}


def test_the_spot_check_covers_every_priced_region():
    assert {row[0] for row in SPOT_CHECK} == set(BOOK.regions())


@pytest.mark.parametrize("region, requests, storage, x86, arm, sources", SPOT_CHECK, ids=[r[0] for r in SPOT_CHECK])
def test_region_rates_match_their_sources(region, requests, storage, x86, arm, sources):
    row = BOOK.region_rates(region)
    assert row.request_usd * 1_000_000 == pytest.approx(requests, rel=1e-12)
    assert row.ephemeral_storage_usd_per_gb_second == storage
    assert row.duration["x86_64"].usd_per_gb_second[0] == x86
    assert row.duration["arm64"].usd_per_gb_second[0] == arm
    # the row names the sources it was read from
    named = " ".join((row.source.url, *row.also_in))
    assert "zmynx/aws-lambda-calculator" in named
    if "remotion" in sources:
        assert "remotion" in named or "calculator.aws" in named


@pytest.mark.parametrize("region", sorted(ZMYNX_MOSTLY - {"me-south-1"}))
def test_single_source_rows_are_reported_as_assumptions(region):
    rates = BOOK.rates(region, "x86_64")
    assert any(a.startswith(f"{region}: ") and "one third-party" in a for a in rates.assumptions)
    # per-region volume tiers are read from the source, not derived from us-east-1
    assert not BOOK.region_rates(region).duration["x86_64"].derived
    assert rates.provisioned_usd_per_gb_second is None


def test_edge_request_price_of_the_extraction_is_not_used():
    # zmynx shows $0.60 per 1M for these (the Lambda@Edge SKU); remotion and AWS show $0.20
    for region in ("eu-central-1", "eu-west-2"):
        assert BOOK.region_rates(region).request_usd == 2e-07


@pytest.mark.parametrize("region", ["us-gov-east-1", "cn-north-1", "cn-northwest-1"])
def test_known_but_unpriced_regions_say_why(region):
    with pytest.raises(UnknownRegionError) as info:
        BOOK.rates(region, "x86_64")
    assert BOOK.unpriced[region] in str(info.value)
    if region.startswith("cn-"):
        assert "CNY" in BOOK.unpriced[region]
