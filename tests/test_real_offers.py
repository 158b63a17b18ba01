"""Real public AWS Price List extracts through `lambdacost prices import` and on into `compare`.

The files and where they come from are in ``tests/data/README.md`` ("offers: real public
extracts"). Every rate asserted below was typed from the file itself, with its SKU.
"""

import json
import shutil
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from lambdacost.cli import app
from lambdacost.errors import InvalidParameterError, LambdaCostError, PriceNotAvailableError, PricingDataError
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


# --- AmazonEC2: one real get-products record ---------------------------------------------------

#: aws/amazon-ec2-instance-selector's captured get-products record: m5.large, us-east-1, byte for byte.
EC2_M5 = DATA / "server-ec2-m5-large-us-east-1.ec2-instance-selector.json"
EC2_URL = "https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonEC2/20210205204500/us-east-1/index.json"


def test_the_real_ec2_record_yields_its_on_demand_rate_with_its_sku():
    offer = read_server_offer(EC2_M5)
    assert (offer.service, offer.version, offer.publication_date) == (
        "AmazonEC2",
        "20210205204500",
        "2021-02-05T20:45:00Z",
    )
    assert offer.read == 1 and offer.skipped == () and offer.regions == ("us-east-1",)  # BoxUsage: no prefix
    (rate,) = offer.rates  # the on-demand term only: the record's 12 reserved terms are not rates
    assert len(json.loads(EC2_M5.read_text())["terms"]["Reserved"]) == 12
    assert (rate.sku, rate.meter, rate.instance_type, rate.arch, format(rate.usd, "f")) == (
        "6C86BEPQVG73ZGGR",
        "ec2",
        "m5.large",
        "x86_64",  # "Intel Xeon Platinum 8175 (Skylake)"
        "0.0960000000",
    )
    assert (rate.vcpu, rate.memory_gib, rate.begin_range, rate.end_range) == (2, 8, 0, None)  # "8 GiB"


@pytest.fixture
def without_us_east_1_m5_large(tmp_path, monkeypatch):
    """A pricing folder like the packaged one but without the us-east-1 m5.large row."""
    monkeypatch.setenv(PRICING_DIR_ENV, "")
    folder = tmp_path / "prices"
    folder.mkdir()
    shutil.copy(packaged_pricing_dir() / "lambda.toml", folder / "lambda.toml")
    sheet = tomllib.loads((packaged_pricing_dir() / PAAS_SHEET).read_text())
    del sheet["ec2"]["us-east-1"]["m5.large"]
    (folder / PAAS_SHEET).write_text(dumps_sheet(sheet))
    return folder


def test_compare_prices_m5_large_from_the_imported_real_record_to_the_cent(without_us_east_1_m5_large):
    folder = without_us_east_1_m5_large
    with pytest.raises(InvalidParameterError, match="must be a priced instance type .*got 'm5.large'"):
        load_paas_prices(folder).ec2("m5.large", "us-east-1")
    imported = run("prices", "import", EC2_M5, "--into", folder, "--read-on", "2026-12-01", "--json")
    assert imported.exit_code == 0, imported.output
    report = json.loads(imported.output)
    assert (report["service"], report["rows"], report["skus_read"], report["skipped"]) == (
        "AmazonEC2",
        ['ec2.us-east-1."m5.large"'],
        1,
        [],
    )
    row = tomllib.loads((folder / PAAS_SHEET).read_text())["ec2"]["us-east-1"]["m5.large"]
    assert (row["usd_per_hour"], row["vcpu"], row["memory_gib"], row["arch"]) == (0.096, 2, 8, "x86_64")
    assert row["source_url"] == EC2_URL and "SKU 6C86BEPQVG73ZGGR" in row["note"]
    # AWS's record agrees with the packaged row, typed from one third party (SkyPilot's catalog)
    packaged = tomllib.loads((packaged_pricing_dir() / PAAS_SHEET).read_text())["ec2"]["us-east-1"]["m5.large"]
    assert (packaged["usd_per_hour"], packaged["vcpu"], packaged["memory_gib"]) == (0.096, 2, 8)

    data = json.loads(run("--pricing-dir", folder, *COMPARE, "--against", "ec2:m5.large", "--no-load-balancer").output)
    m5 = {o["option"]: o for o in data["options"]}["ec2:m5.large"]
    # 20 req/s x 120 ms: the two of --min-instances, all month: 2 x 730 h x $0.096 = $140.16
    assert m5["instances"] == 2
    assert m5["cost"] == pytest.approx(140.16, abs=1e-9) and m5["compute_cost"] == m5["cost"]


# --- AWSELB, AmazonECS, AmazonApiGateway: slices of AWS's CSV offers ---------------------------

#: mooncitizen/togen's test data: AWS's index.csv offers (their own versions), byte for byte.
ELB_USE1 = DATA / "server-elb-us-east-1.togen.csv"
ELB_EUW2 = DATA / "server-elb-eu-west-2.togen.csv"
ECS_EUW2 = DATA / "server-ecs-eu-west-2.togen.csv"
APIGW_EUW2 = DATA / "server-apigateway-eu-west-2.togen.csv"
TOGEN = [ELB_USE1, ELB_EUW2, ECS_EUW2, APIGW_EUW2]


def _rates(offer):
    return sorted((r.sku, r.region, r.meter, r.arch, format(r.usd, "f"), int(r.begin_range)) for r in offer.rates)


def _skipped(offer):
    return {line.split(":")[0]: line.split(": ", 1)[1] for line in offer.skipped}


def test_the_real_elb_csv_yields_the_alb_hour_and_lcu_hour_and_says_why_it_leaves_the_rest():
    offer = read_server_offer(ELB_USE1)
    assert (offer.service, offer.version, offer.publication_date, offer.read) == (
        "AWSELB",
        "20260831092255",
        "2026-08-31T09:22:55Z",
        14,
    )
    assert _rates(offer) == [
        ("37CUWUT8GSNQEPUV", "us-east-1", "alb_hour", "", "0.0225000000", 0),
        ("P2XGEJ8N3KU52WA8", "us-east-1", "alb_lcu", "", "0.0080000000", 0),
    ]
    other = "is not the Application Load Balancer's"
    assert _skipped(offer) == {
        "4XCKHVEY2F7FVHE3": f"usage type 'LoadBalancerUsage' of operation 'LoadBalancing:Gateway' (Load Balancer-Gateway) {other}",
        "6XT9C7FFNQ3T39YK": f"usage type 'LoadBalancerUsage' of operation 'LoadBalancing' (Load Balancer) {other}",
        "YKBGGP5EBGDU9T5W": f"usage type 'LoadBalancerUsage' of operation 'LoadBalancing:Network' (Load Balancer-Network) {other}",
        "EBFBY6XVZMVA2MJP": f"usage type 'LCUUsage' of operation 'LoadBalancing:Gateway' (Load Balancer-Gateway) {other}",
        "XZ2DR556MD28P9WJ": f"usage type 'LCUUsage' of operation 'LoadBalancing:Network' (Load Balancer-Network) {other}",
        # reserved LCUs, Outposts (the $0.0225 hour and the $0 LCU), Trust Store, Classic data
        **{
            sku: f"usage type {usage!r} is not a meter compare prices"
            for sku, usage in (
                ("9AHXFTCYGJPK28YN", "ReservedLCUUsage"),
                ("AS5EPCYNHYT9UZEZ", "ReservedLCUUsage"),
                ("CP5ZUMA7RSCUNUVK", "ReservedLCUUsage"),
                ("P8UHXAWNGFFB3K8T", "Outposts-LCUUsage"),
                ("Y57U68FTH7H6FZ2H", "Outposts-LoadBalancerUsage"),
                ("T953TK5KT4BSUVBU", "TS-LoadBalancerUsage"),
                ("NZE73RYFQ8ZCZ553", "DataProcessing-Bytes"),
            )
        },
    }
    # the same two SKUs at the same prices as the third party's summary of AWSELB 20260911124544
    summary = json.loads(FILTERED.read_text())["prices"]
    assert (summary["alb_hour"]["sku"], summary["alb_hour"]["usd"]) == ("37CUWUT8GSNQEPUV", "0.0225000000")
    assert (summary["alb_lcu_hour"]["sku"], summary["alb_lcu_hour"]["usd"]) == ("P2XGEJ8N3KU52WA8", "0.0080000000")


def test_prices_import_writes_the_real_elb_csv_row_and_compare_prices_the_alb_with_it(without_us_east_1_m5_large):
    folder = without_us_east_1_m5_large
    for offer in (EC2_M5, ELB_USE1):
        assert run("prices", "import", offer, "--into", folder, "--read-on", "2026-12-01").exit_code == 0
    alb = tomllib.loads((folder / PAAS_SHEET).read_text())["alb"]["us-east-1"]
    assert (alb["usd_per_hour"], alb["usd_per_lcu_hour"]) == (0.0225, 0.008)
    assert alb["source_url"] == (
        "https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AWSELB/20260831092255/us-east-1/index.json"
    )
    assert "SKUs 37CUWUT8GSNQEPUV (hour), P2XGEJ8N3KU52WA8 (LCU)" in alb["note"]
    assert alb["lcu_new_connections_per_second"] == 25  # AWS's LCU definition, kept from the sheet
    data = json.loads(run("--pricing-dir", folder, *COMPARE, "--against", "ec2:m5.large").output)
    m5 = {o["option"]: o for o in data["options"]}["ec2:m5.large"]
    # $140.16 + 730 h x $0.0225 + 0.8 LCU (20 new connections/s / 25) x 730 h x $0.008
    # = $140.16 + $16.425 + $4.672 = $161.257
    assert m5["load_balancer_cost"] == pytest.approx(21.097, abs=1e-9)
    assert m5["cost"] == pytest.approx(161.257, abs=1e-9) and f"{m5['cost']:.2f}" == "161.26"


def test_the_real_eu_west_2_csvs_yield_fargate_alb_and_api_gateway_rates_with_their_skus():
    ecs, elb, api = (read_server_offer(p) for p in (ECS_EUW2, ELB_EUW2, APIGW_EUW2))
    assert [(o.service, o.version, o.read, o.regions) for o in (ecs, elb, api)] == [
        ("AmazonECS", "20260831092155", 9, ("eu-west-2",)),
        ("AWSELB", "20260831092255", 12, ("eu-west-2",)),
        ("AmazonApiGateway", "20260831092134", 14, ("eu-west-2",)),
    ]
    assert _rates(ecs) == [
        ("G265XVYY5YDS48U6", "eu-west-2", "fargate_vcpu", "x86_64", "0.0465600000", 0),
        ("JPX9CCYJS97M953T", "eu-west-2", "fargate_gb", "x86_64", "0.0051100000", 0),
        ("MNPE4XE52USH274T", "eu-west-2", "fargate_storage", "", "0.0001290000", 0),
        ("YEJBN6TMUWD8EV8P", "eu-west-2", "fargate_vcpu", "arm64", "0.0372500000", 0),
        ("ZHQV69PSVX9PGWTQ", "eu-west-2", "fargate_gb", "arm64", "0.0040900000", 0),
    ]
    assert set(_skipped(ecs)) == {"CQD5CYFVV72B3ZHP", "JFM8TVWRQ6J6BUY7", "RGTG6HHGJS47ZPVV", "VX9PCZZ3MPBM4796"}
    assert _rates(elb) == [
        ("6AP766DZF74JPTE2", "eu-west-2", "alb_hour", "", "0.0264600000", 0),
        ("D4JRRS3AFPHRV7RF", "eu-west-2", "alb_lcu", "", "0.0084000000", 0),
    ]
    # the Outposts hour costs the same $0.02646 and bills the same operation: kept out by its usage type
    assert (
        _skipped(elb)["7Q2AVZPE98EB8X3J"]
        == "usage type 'EUW2-Outposts-LoadBalancerUsage' is not a meter compare prices"
    )
    assert len(elb.skipped) == 10
    assert _rates(api) == [
        ("MFY3FVZZSQWYVNHM", "eu-west-2", "api_http", "", "0.0000010400", 300_000_000),
        ("MFY3FVZZSQWYVNHM", "eu-west-2", "api_http", "", "0.0000011600", 0),
        ("Z5KFC4J7492YHH8P", "eu-west-2", "api_rest", "", "0.0000018000", 20_000_000_000),
        ("Z5KFC4J7492YHH8P", "eu-west-2", "api_rest", "", "0.0000028300", 1_000_000_000),
        ("Z5KFC4J7492YHH8P", "eu-west-2", "api_rest", "", "0.0000033300", 333_000_000),
        ("Z5KFC4J7492YHH8P", "eu-west-2", "api_rest", "", "0.0000035000", 0),
    ]
    assert len(api.skipped) == 12  # caches, WebSocket, portals


@pytest.fixture
def packaged_copy(tmp_path, monkeypatch):
    """A pricing folder like the packaged one, which prices no server in eu-west-2."""
    monkeypatch.setenv(PRICING_DIR_ENV, "")
    folder = tmp_path / "prices"
    folder.mkdir()
    for sheet in ("lambda.toml", PAAS_SHEET):
        shutil.copy(packaged_pricing_dir() / sheet, folder / sheet)
    paas = tomllib.loads((folder / PAAS_SHEET).read_text())
    assert not any("eu-west-2" in paas[table] for table in ("fargate", "alb", "api_gateway"))
    return folder


def test_compare_in_eu_west_2_runs_on_the_three_imported_real_csvs_to_the_cent(packaged_copy):
    folder = packaged_copy
    rows = []
    for offer in (ECS_EUW2, ELB_EUW2, APIGW_EUW2):
        result = run("prices", "import", offer, "--into", folder, "--read-on", "2026-12-01", "--json")
        assert result.exit_code == 0, result.output
        rows += json.loads(result.output)["rows"]
    assert rows == [
        "fargate.eu-west-2.x86_64",
        "fargate.eu-west-2.arm64",
        "alb.eu-west-2",
        "api_gateway.eu-west-2.http",
        "api_gateway.eu-west-2.rest",
    ]
    sheet = tomllib.loads((folder / PAAS_SHEET).read_text())
    assert sheet["api_gateway"]["eu-west-2"]["http"]["usd_per_million"] == [1.16, 1.04]
    assert sheet["api_gateway"]["eu-west-2"]["http"]["tier_from_requests"] == [0, 300_000_000]
    assert sheet["api_gateway"]["eu-west-2"]["rest"]["usd_per_million"] == [3.5, 3.33, 2.83, 1.8]

    where = ["compare", "-m", "512", "-d", "120", "--rps", "20", "--region", "eu-west-2", "--json"]
    data = json.loads(run("--pricing-dir", folder, *where, "--front-door", "http-api", *AGAINST).output)
    assert data["not_priced_in_region"] == []
    options = {o["option"]: o for o in data["options"]}
    x86, arm, lam = options["fargate:0.5vcpu-1gb"], options["fargate:0.5vcpu-1gb:arm64"], options["lambda:x86_64"]
    # two tasks all month: x86_64 1460 h x (0.5 x $0.04656 + 1 x $0.00511) = 1460 x $0.02839 = $41.4494
    #                      arm64  1460 h x (0.5 x $0.03725 + 1 x $0.00409) = 1460 x $0.022715 = $33.1639
    # ALB: 730 h x $0.02646 + 0.8 LCU x 730 h x $0.0084 = $19.3158 + $4.9056 = $24.2214
    assert (x86["instances"], arm["instances"]) == (2, 2)
    assert x86["compute_cost"] == pytest.approx(41.4494, abs=1e-9)
    assert arm["compute_cost"] == pytest.approx(33.1639, abs=1e-9)
    assert x86["load_balancer_cost"] == arm["load_balancer_cost"] == pytest.approx(24.2214, abs=1e-9)
    assert x86["cost"] == pytest.approx(65.6708, abs=1e-9) and f"{arm['cost']:.2f}" == "57.39"
    # the HTTP API in front of Lambda: 52.56 M requests in the first tier x $1.16/M = $60.9696
    # (the free tier is not applied: new accounts have none)
    assert lam["requests_per_month"] == 52_560_000
    assert lam["front_door_cost"] == pytest.approx(60.9696, abs=1e-9)
    assert lam["cost"] == pytest.approx(lam["compute_cost"] + lam["requests_cost"] + 60.9696, abs=1e-9)
    # a REST API instead: 52.56 M x $3.50/M = $183.96
    rest = json.loads(run("--pricing-dir", folder, *where, "--front-door", "rest-api", *AGAINST).output)
    assert {o["option"]: o for o in rest["options"]}["lambda:x86_64"]["front_door_cost"] == pytest.approx(183.96)


# --- the CSV reader's refusals -----------------------------------------------------------------


def test_an_ec2_csv_is_refused_in_one_line_and_an_aws_lambda_csv_still_goes_to_the_lambda_reader(tmp_path):
    from lambdacost.prices.server_offers import sniff_service

    assert sniff_service(DATA / "lambda-offer-sample.csv")[0] is None
    assert [sniff_service(p)[0] for p in TOGEN] == ["AWSELB", "AWSELB", "AmazonECS", "AmazonApiGateway"]
    # the real ELB file relabelled AmazonEC2 (a test input, not data): EC2's CSV columns are not mapped
    relabelled = tmp_path / "ec2.csv"
    relabelled.write_text(ELB_USE1.read_text().replace('"OfferCode","AWSELB"', '"OfferCode","AmazonEC2"'))
    result = run("prices", "import", relabelled, "--into", tmp_path / "out")
    assert result.exit_code == 2 and result.output == (
        f"Error: {relabelled}: OfferCode: AmazonEC2 is read from its JSON offer (index.json) or get-products "
        "output, not CSV\n"
    )
    assert not (tmp_path / "out").exists()


def test_a_cut_csv_is_refused_naming_the_row_and_nothing_is_written(tmp_path):
    text = APIGW_EUW2.read_text()
    cut = tmp_path / "cut.csv"
    cut.write_text(text[: text.index("Z5KFC4J7492YHH8P.JRTCKXETXF.J4SY3H5SUC") + 60])  # inside row 23
    result = run("prices", "import", cut, "--into", tmp_path / "out")
    assert result.exit_code == 2 and len(result.output.splitlines()) == 1
    assert result.output.startswith(f"Error: {cut}: row 23 (SKU Z5KFC4J7492YHH8P): has ")
    assert result.output.endswith(" cells, the header 21 (truncated?)\n")
    assert not (tmp_path / "out").exists()


@settings(max_examples=80, deadline=None)
@given(
    index=st.integers(0, len(TOGEN) - 1),
    cut=st.floats(0, 1),
    flip=st.integers(0, 10**9),
    byte=st.integers(0, 255),
)
def test_the_csv_reader_reads_or_refuses_mutated_real_csvs(index, cut, flip, byte):
    from lambdacost.prices.server_offers import merge_server_rows, parse_server_offer

    raw = bytearray(TOGEN[index].read_bytes())
    raw[flip % len(raw)] = byte  # one byte changed, then the file cut somewhere
    raw = bytes(raw[: max(1, int(len(raw) * cut))] if cut < 0.5 else raw)
    try:
        offer = parse_server_offer(raw, "mutated.csv")
        merge_server_rows(offer, {"schema": 1})
    except LambdaCostError as error:
        assert "\n" not in str(error)
