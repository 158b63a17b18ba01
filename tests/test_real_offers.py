"""Real public AWS Price List extracts through `lambdacost prices import` and on into `compare`.

The files and where they come from are in ``tests/data/README.md`` ("offers: real public
extracts"). Every rate asserted below was typed from the file itself, with its SKU.
"""

import json
import shutil
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lambdacost.cli import app
from lambdacost.errors import PriceNotAvailableError, PricingDataError
from lambdacost.prices import PRICING_DIR_ENV, packaged_pricing_dir
from lambdacost.prices.offer_parse import parse_offer, read_offer
from lambdacost.prices.paas import PAAS_SHEET, load_paas_prices
from lambdacost.prices.server_offers import read_server_offer
from lambdacost.prices.sheets import dumps_sheet

DATA = Path(__file__).parent / "data" / "offers"
#: opencost/opencost's AmazonECS us-east-1 bulk offer (version 20250828172723), byte for byte.
ECS = DATA / "server-ecs-bulk-us-east-1.opencost.json"
#: A third party's own summary of the Price List (not AWS's layout), byte for byte.
FILTERED = DATA / "filtered-extract-us-east-1.pharma-analytics.json"
OFFER_URL = "https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonECS/20250828172723/us-east-1/index.json"
HOURS = 730  # compare's month
runner = CliRunner()

#: (SKU, meter, architecture, USD) of every rate compare prices, typed from the offer file.
ECS_RATES = [
    ("7KPDPTDSCT4J3Z64", "fargate_storage", "", "0.0001110000"),  # GB-Hours
    ("UNH9KPQP7W7C66C9", "fargate_gb", "arm64", "0.0035600000"),
    ("PBZNQUSEXZUC34C9", "fargate_gb", "x86_64", "0.0044450000"),
    ("XSZATS4VYMDC9CYN", "fargate_vcpu", "arm64", "0.0323800000"),
    ("8CESGAFWKAJ98PME", "fargate_vcpu", "x86_64", "0.0404800000"),
]
#: The offer's other seven SKUs, each a usage type compare does not price.
ECS_SKIPPED = {
    "74HXSAMY4YHFPXQQ": "USE1-ECS-EC2-GB-Hours",
    "RF2BUTAD289DREDC": "USE1-Fargate-Windows-vCPU-Hours:perCPU",
    "9D3ZWXRS2VXMZET6": "USE1-Fargate-Windows-OS-Hours:perCPU",
    "WTG8RAG79KP7K3N8": "USE1-ECS-Anywhere-Instance-hours",
    "8QDMJPGQCM368Z6X": "USE1-Fargate-Windows-GB-Hours",
    "VUZADW4HBG7NT6R7": "USE1-ECS-Anywhere-Instance-hours-WithFree",
    "DQ8NT47B7YY2CGC5": "USE1-ECS-EC2-vCPU-Hours",
}


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_the_real_ecs_offer_yields_every_fargate_rate_with_its_sku():
    offer = read_server_offer(ECS)
    assert (offer.service, offer.version, offer.publication_date) == (
        "AmazonECS",
        "20250828172723",
        "2025-08-28T17:27:23Z",
    )
    assert offer.read == 12 and offer.regions == ("us-east-1",)
    rates = sorted((r.sku, r.meter, r.arch, format(r.usd, "f")) for r in offer.rates)
    assert rates == sorted(ECS_RATES)
    assert all((r.begin_range, r.end_range) == (0, None) for r in offer.rates)  # one price, 0 to Inf
    assert {line.split(":")[0]: line for line in offer.skipped} == {
        sku: f"{sku}: usage type {usage!r} is not a meter compare prices" for sku, usage in ECS_SKIPPED.items()
    }


def test_prices_import_writes_the_offer_rows_into_paas_toml(tmp_path):
    folder = tmp_path / "prices"
    result = run("prices", "import", ECS, "--into", folder, "--read-on", "2026-12-01", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["service"] == "AmazonECS" and report["skus_read"] == 12
    assert report["rows"] == ["fargate.us-east-1.x86_64", "fargate.us-east-1.arm64"]
    assert report["not_written"] == [] and len(report["skipped"]) == 7
    fargate = tomllib.loads((folder / PAAS_SHEET).read_text())["fargate"]["us-east-1"]
    for arch, vcpu, gb, vcpu_sku, gb_sku in (
        ("x86_64", 0.04048, 0.004445, "8CESGAFWKAJ98PME", "PBZNQUSEXZUC34C9"),
        ("arm64", 0.03238, 0.00356, "XSZATS4VYMDC9CYN", "UNH9KPQP7W7C66C9"),
    ):
        row = fargate[arch]
        assert (row["usd_per_vcpu_hour"], row["usd_per_gb_hour"]) == (vcpu, gb)
        assert row["ephemeral_storage_usd_per_gb_hour"] == 0.000111  # SKU 7KPDPTDSCT4J3Z64
        assert row["ephemeral_storage_gb_included"] == 20  # kept from the sheet: the offer does not state it
        assert row["source_url"] == OFFER_URL and str(row["read_on"]) == "2026-12-01"
        assert f"SKUs {vcpu_sku} (vCPU), {gb_sku} (GB). Ephemeral storage SKU 7KPDPTDSCT4J3Z64." in row["note"]
        assert "AmazonECS version 20250828172723 (publicationDate 2025-08-28T17:27:23Z)" in row["note"]
    # AWS's own offer agrees with the packaged rows, which were typed from a third party (vantage.sh)
    packaged = tomllib.loads((packaged_pricing_dir() / PAAS_SHEET).read_text())["fargate"]["us-east-1"]
    for arch in ("x86_64", "arm64"):
        for key in ("usd_per_vcpu_hour", "usd_per_gb_hour", "ephemeral_storage_usd_per_gb_hour"):
            assert packaged[arch][key] == fargate[arch][key]


@pytest.fixture
def without_us_east_1_fargate(tmp_path, monkeypatch):
    """A pricing folder like the packaged one but with no us-east-1 Fargate rows to fall back on."""
    monkeypatch.setenv(PRICING_DIR_ENV, "")
    folder = tmp_path / "prices"
    folder.mkdir()
    shutil.copy(packaged_pricing_dir() / "lambda.toml", folder / "lambda.toml")
    sheet = tomllib.loads((packaged_pricing_dir() / PAAS_SHEET).read_text())
    del sheet["fargate"]["us-east-1"]
    (folder / PAAS_SHEET).write_text(dumps_sheet(sheet))
    return folder


COMPARE = ["compare", "-m", "512", "-d", "120", "--rps", "20", "--region", "us-east-1", "--json"]
AGAINST = ["--against", "fargate:0.5vcpu-1gb,fargate:0.5vcpu-1gb:arm64"]


def test_compare_prices_fargate_from_the_imported_real_offer_to_the_cent(without_us_east_1_fargate):
    folder = without_us_east_1_fargate
    # nothing to price Fargate with yet (read with the library: the CLI keeps one book per folder
    # and process, and this test's CLI runs in one process)
    with pytest.raises(PriceNotAvailableError, match="no Fargate prices for us-east-1 x86_64"):
        load_paas_prices(folder).fargate("us-east-1", "x86_64")

    imported = run("prices", "import", ECS, "--into", folder, "--read-on", "2026-12-01")
    assert imported.exit_code == 0, imported.output
    data = json.loads(run("--pricing-dir", folder, *COMPARE, *AGAINST, "--no-load-balancer").output)
    options = {o["option"]: o for o in data["options"]}
    x86, arm = options["fargate:0.5vcpu-1gb"], options["fargate:0.5vcpu-1gb:arm64"]
    # 20 req/s x 120 ms needs few tasks: the two of --min-instances, all month:
    # x86_64: 2 x 730 h x (0.5 vCPU x $0.04048 + 1 GB x $0.004445) = 1460 x $0.024685 = $36.0401
    # arm64:  2 x 730 h x (0.5 vCPU x $0.03238 + 1 GB x $0.00356)  = 1460 x $0.01975  = $28.835
    assert x86["instances"] == arm["instances"] == 2
    assert x86["cost"] == pytest.approx(36.0401, abs=1e-9) and f"{x86['cost']:.2f}" == "36.04"
    assert arm["cost"] == pytest.approx(28.835, abs=1e-9)
    assert x86["load_balancer_cost"] == 0 and x86["compute_cost"] == x86["cost"]

    # with the default ALB (the packaged us-east-1 row, $0.0225/h and $0.008/LCU-h; 0.04 LCU per req/s):
    # $36.0401 + 730 x $0.0225 + 0.04 x 20 x 730 x $0.008 = $36.0401 + $16.425 + $4.672 = $57.1371
    with_alb = json.loads(run("--pricing-dir", folder, *COMPARE, "--against", "fargate:0.5vcpu-1gb").output)
    row = {o["option"]: o for o in with_alb["options"]}["fargate:0.5vcpu-1gb"]
    assert row["cost"] == pytest.approx(57.1371, abs=1e-9) and f"{row['cost']:.2f}" == "57.14"


def test_the_imported_storage_rate_prices_storage_beyond_the_included_20_gb(without_us_east_1_fargate):
    folder = without_us_east_1_fargate
    assert run("prices", "import", ECS, "--into", folder).exit_code == 0
    rates = load_paas_prices(folder).fargate("us-east-1", "arm64")
    assert rates.source.url == OFFER_URL
    # a 50 GB task: 30 GB above the included 20, x $0.000111/GB-h (SKU 7KPDPTDSCT4J3Z64) = $0.00333/h,
    # x 730 h = $2.4309 a month
    assert rates.ephemeral_storage_usd_per_hour(50) == pytest.approx(0.00333, abs=1e-12)
    assert HOURS * rates.ephemeral_storage_usd_per_hour(50) == pytest.approx(2.4309, abs=1e-9)


# --- a real extract that is not AWS's layout ---------------------------------------------------


def test_a_third_party_summary_is_refused_with_one_line_and_nothing_written(tmp_path):
    # It names AWSELB 20260911124544 and the ALB SKUs 37CUWUT8GSNQEPUV / P2XGEJ8N3KU52WA8, but as the
    # summary's own keys, without the products' attributes (productFamily, operation, regionCode) that
    # tell an Application Load Balancer from a Network, Outposts or reserved one: not importable.
    summary = json.loads(FILTERED.read_text())
    assert summary["prices"]["alb_hour"]["sku"] == "37CUWUT8GSNQEPUV"
    result = run("prices", "import", FILTERED, "--into", tmp_path / "out")
    assert result.exit_code == 2 and len(result.output.splitlines()) == 1
    assert result.output == (
        f"Error: {FILTERED}: not an AWS Price List offer (expected 'products' and 'terms', or a get_products "
        "PriceList); its top-level keys are region, source, offers, prices\n"
    )
    assert not (tmp_path / "out").exists()


def test_only_aws_s_own_indexes_are_called_an_index():
    # the summary's "offers" table lists offers it read: it is no Price List index, and the old message
    # ("download the offer it points to") sent its user the wrong way
    with pytest.raises(PricingDataError, match=r": not an AWS Price List offer .*keys are region, source, offers"):
        read_offer(FILTERED)
    # AWS's offer index (offers/v1.0/aws/index.json) points on with currentVersionUrl
    index = {
        "formatVersion": "v1.0",
        "offers": {
            "AWSLambda": {
                "offerCode": "AWSLambda",
                "currentVersionUrl": "/offers/v1.0/aws/AWSLambda/current/index.json",
            }
        },
    }
    with pytest.raises(PricingDataError, match=r"offers: this is a Price List index, not an offer file"):
        parse_offer(json.dumps(index), "index.json")
