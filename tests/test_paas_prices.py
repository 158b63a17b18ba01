"""pricing/paas.toml and its loader: provenance on every rate, checks that name file and key."""

import json
import tomllib
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from lambdacost.capacity import Assumptions
from lambdacost.errors import InvalidParameterError, PriceNotAvailableError, PricingDataError
from lambdacost.prices import PRICING_DIR_ENV, packaged_pricing_dir
from lambdacost.prices.paas import PAAS_SHEET, default_paas_prices, load_paas_prices

SHEET = packaged_pricing_dir() / PAAS_SHEET
READ_ON = date(2026, 11, 27)


def _rated_tables(data, path=()):
    """Every table holding a number other than the schema and hour counts."""
    if isinstance(data, dict):
        if any(isinstance(v, (int, float)) and not isinstance(v, bool) for v in data.values()) and path:
            yield ".".join(path), data
        for key, value in data.items():
            yield from _rated_tables(value, path + (key,))


def test_every_rate_carries_its_source_and_read_date():
    data = tomllib.loads(SHEET.read_text())
    tables = list(_rated_tables(data))
    assert len(tables) >= 20 + 2 + 4 + 1 + 2 + 1  # EC2 types, Fargate, App Runner, ALB, API Gateway, LMI
    for key, table in tables:
        assert table["source_url"].startswith("https://"), key
        assert table["read_on"] in (READ_ON, date(2026, 12, 1)), key


def test_golden_rates_from_the_fact_sheet():
    # Oracle: AWS's published on-demand prices: https://aws.amazon.com/ec2/pricing/on-demand/,
    # https://aws.amazon.com/fargate/pricing/, https://aws.amazon.com/apprunner/pricing/,
    # https://aws.amazon.com/elasticloadbalancing/pricing/, https://aws.amazon.com/api-gateway/pricing/
    # and, for Lambda Managed Instances, https://aws.amazon.com/lambda/pricing/.
    book = load_paas_prices()
    t4g = book.ec2("t4g.small")
    assert (t4g.vcpu, t4g.memory_gib, t4g.usd_per_hour, t4g.arch) == (2, 2, 0.0168, "arm64")
    assert book.ec2("m7g.xlarge").usd_per_hour == 0.1632 and book.ec2("m6i.xlarge").vcpu == 4
    x86, arm = book.fargate("us-east-1", "x86_64"), book.fargate("us-east-1", "arm64")
    assert (x86.usd_per_vcpu_hour, x86.usd_per_gb_hour) == (0.04048, 0.004445)
    assert (arm.usd_per_vcpu_hour, arm.usd_per_gb_hour) == (0.03238, 0.00356)
    runner = book.apprunner("eu-west-1")
    assert (runner.active_usd_per_vcpu_hour, runner.active_usd_per_gb_hour, runner.provisioned_usd_per_gb_hour) == (
        0.064,
        0.007,
        0.007,
    )
    alb = book.alb()
    assert (alb.usd_per_hour, alb.usd_per_lcu_hour, alb.lcu_new_connections_per_second) == (0.0225, 0.008, 25)
    http, rest = book.api_gateway("http"), book.api_gateway("rest")
    assert http.usd_per_request == pytest.approx((1.00e-6, 0.90e-6)) and http.tier_from_requests == (0, 3e8)
    assert rest.usd_per_request == pytest.approx((3.5e-6, 2.8e-6, 2.38e-6, 1.51e-6))
    assert rest.tier_from_requests == (0, 333e6, 1e9, 20e9)  # 333M, +667M, +19B
    lmi = book.managed_instances
    assert lmi.management_fee_fraction == 0.15 and lmi.per_request == pytest.approx(0.2e-6)


def test_no_spec_is_derived_any_more():
    book = load_paas_prices()
    derived = {name for name in book.instance_types() if book.ec2(name).specs_derived}
    # every spec is read now (m7g and c7g from SkyPilot's catalog), none from family ratios
    assert derived == set()
    assert (book.ec2("m7g.medium").vcpu, book.ec2("m7g.medium").memory_gib) == (1, 4)
    assert (book.ec2("c7g.large").vcpu, book.ec2("c7g.large").memory_gib) == (2, 4)
    assert book.ec2("c7g.large", "eu-west-1").usd_per_hour == 0.0775
    assert book.ec2("m7g.xlarge").assumptions == ()


def test_unknown_instance_type_names_close_matches():
    with pytest.raises(
        InvalidParameterError, match=r"instance_type must be .*did you mean 't4g.small'.*got 't4g.smal'"
    ):
        load_paas_prices().ec2("t4g.smal")
    with pytest.raises(InvalidParameterError, match="instance_type must be one of t3.nano"):
        load_paas_prices().ec2("zzzzzz")


def test_unpriced_region_and_api_kind():
    book = load_paas_prices()
    with pytest.raises(PriceNotAvailableError, match="no EC2 prices for region 'sa-east-1'"):
        book.ec2("t4g.small", "sa-east-1")
    with pytest.raises(InvalidParameterError, match="did you mean 't4g.small'"):
        book.ec2("t4g.smal", "eu-west-1")
    with pytest.raises(InvalidParameterError, match="instance_type must be a priced instance type"):
        book.ec2("t4g.medium", "eu-west-1")  # priced in us-east-1; eu-west-1 has t4g nano/micro/small/xlarge
    with pytest.raises(PriceNotAvailableError, match="Fargate prices for us-west-2 arm64"):
        book.fargate("us-west-2", "arm64")  # x86_64 found there, arm64 not
    with pytest.raises(InvalidParameterError, match="api_gateway must be one of 'http', 'rest', got 'soap'"):
        book.api_gateway("soap")


def _copy(tmp_path, edit=None):
    text = SHEET.read_text()
    if edit:
        old, new = edit
        assert old in text
        text = text.replace(old, new, 1)
    (tmp_path / PAAS_SHEET).write_text(text)
    return tmp_path


@pytest.mark.parametrize(
    "edit, key, reason",
    [
        (
            ("usd_per_hour = 0.0168", "usd_per_hour = -0.0168"),
            r"ec2\.us-east-1\.t4g\.small\.usd_per_hour",
            "positive finite",
        ),
        (
            ('usd_per_hour = 0.0168\narch = "arm64"', 'usd_per_hour = 0.0168\narch = "sparc"'),
            r"ec2\.us-east-1\.t4g\.small\.arch",
            "expected one of",
        ),
        (("usd_per_vcpu_hour = 0.04048\n", ""), r"fargate\.us-east-1\.x86_64", "missing required key"),
        (
            ("tier_from_requests = [0, 300_000_000]", "tier_from_requests = [0]"),
            r"api_gateway\.us-east-1\.http\.tier_from_requests",
            "as long as",
        ),
        (
            ("management_fee_fraction = 0.15", "management_fee_fraction = 1.5"),
            r"lambda_managed_instances\.management_fee_fraction",
            "fraction below 1",
        ),
        (
            (
                "provisioned_usd_per_gb_hour = 0.007\nsource_url",
                "provisioned_usd_per_gb_hour = 0.007\nprice_typo = 1\nsource_url",
            ),
            r"apprunner\.us-east-1",
            "unknown key",
        ),
        (
            ('read_on = 2026-11-27\nagreement = ">=3 third-party tables"', 'read_on = "yesterday"\nagreement = "x"'),
            r"ec2\.us-east-1\.t3\.nano\.read_on",
            "expected a date",
        ),
    ],
)
def test_broken_sheet_names_file_key_and_reason(tmp_path, edit, key, reason):
    directory = _copy(tmp_path, edit)
    with pytest.raises(PricingDataError, match=rf"paas\.toml: {key}: .*{reason}"):
        load_paas_prices(directory)


def test_missing_and_invalid_files(tmp_path):
    with pytest.raises(PricingDataError, match="paas.toml: file not found"):
        load_paas_prices(tmp_path)
    (tmp_path / PAAS_SHEET).write_text("schema = [")
    with pytest.raises(PricingDataError, match="not valid TOML"):
        load_paas_prices(tmp_path)


def test_pricing_dir_environment_variable_is_honoured(tmp_path, monkeypatch):
    directory = _copy(tmp_path, ("usd_per_hour = 0.0168", "usd_per_hour = 0.0169"))
    monkeypatch.setenv(PRICING_DIR_ENV, str(directory))
    assert default_paas_prices().ec2("t4g.small").usd_per_hour == 0.0169
    monkeypatch.delenv(PRICING_DIR_ENV)
    assert default_paas_prices().ec2("t4g.small").usd_per_hour == 0.0168


def test_packaged_sheet_ships_beside_lambda_toml():
    assert (packaged_pricing_dir() / "lambda.toml").is_file() and SHEET.is_file()
    # The wheel force-includes the whole pricing/ folder, so paas.toml travels with lambda.toml.
    pyproject = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text())
    assert pyproject["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]["pricing"] == "lambdacost/pricing"


#: region -> (t3.small, t3.xlarge, t3a.large) USD/h as printed by SkyPilot's AWS catalog
#: (skypilot-org/skypilot-catalog catalogs/v8/aws/vms.csv @ 00148f2a, read 2026-12-01)
T3_BEYOND_US_EAST_1 = {
    "eu-west-1": (0.0228, 0.1824, 0.0816),
    "eu-central-1": (0.024, 0.192, 0.0864),
    "us-west-2": (0.0208, 0.1664, 0.0752),
    "ap-southeast-1": (0.0264, 0.2112, 0.0944),
    "ap-northeast-1": (0.0272, 0.2176, 0.0979),
}


@pytest.mark.parametrize("region", sorted(T3_BEYOND_US_EAST_1))
def test_compare_works_beyond_us_east_1(region):
    from lambdacost.comparison import compare
    from lambdacost.options import Workload
    from lambdacost.prices.paas import default_paas_prices

    prices = default_paas_prices()
    small, xlarge, t3a = T3_BEYOND_US_EAST_1[region]
    assert [prices.ec2(t, region).usd_per_hour for t in ("t3.small", "t3.xlarge", "t3a.large")] == [small, xlarge, t3a]
    assert (prices.ec2("t3a.large", region).vcpu, prices.ec2("t3a.large", region).memory_gib) == (2, 8)
    w = Workload(512, 120, 52_560_000, region=region, as_of="2026-11-01", assumptions=Assumptions(load_balancer=False))
    result = compare(w, ["ec2:t3.small"], requests=[52_560_000]).table.set_index("option")["cost"]
    assert result["ec2:t3.small"] == pytest.approx(2 * small * 730)
    assert any(
        a.startswith(f"t3.small in {region}: price and specs from one source")
        for a in compare(w, ["ec2:t3.small"], requests=[1e6]).assumptions
    )
    default = replace(w, assumptions=Assumptions())  # an ALB where 2+ run: every one of these regions has one
    alb_usd_per_hour = {
        "ap-northeast-1": 0.0243,
        "eu-west-1": 0.0252,
        "ap-southeast-1": 0.0252,
        "us-west-2": 0.0225,
        "eu-central-1": 0.027,
    }
    cost = compare(default, ["ec2:t3.small"], requests=[52_560_000]).table.set_index("option")["cost"]
    # + 730 h of the ALB + 0.8 LCU (20 new connections/s / 25) x 730 h = 584 LCU-h at $0.008
    assert cost["ec2:t3.small"] == pytest.approx(2 * small * 730 + 730 * alb_usd_per_hour[region] + 584 * 0.008)


#: SkyPilot's catalog (skypilot-org/skypilot-catalog catalogs/v8/aws/vms.csv at 00148f2a), read 2026-12-01.
T4G_M7G = {
    "eu-west-1": (0.0184, 0.091, 0.19152),
    "eu-central-1": (0.0192, 0.0978, 0.2037),
    "us-west-2": (0.0168, 0.0816, 0.1785),
    "ap-southeast-1": (0.0212, 0.102, 0.2058),
    "ap-northeast-1": (0.0216, 0.1054, 0.2247),
}


@pytest.mark.parametrize("region", sorted(T4G_M7G))
def test_graviton_and_c7i_rows_beyond_us_east_1(region):
    from lambdacost.comparison import compare
    from lambdacost.options import Workload

    book = default_paas_prices()
    small, large, c7i = T4G_M7G[region]
    assert [book.ec2(t, region).usd_per_hour for t in ("t4g.small", "m7g.large", "c7i.xlarge")] == [small, large, c7i]
    assert (book.ec2("m7g.large", region).vcpu, book.ec2("m7g.large", region).memory_gib) == (2, 8)
    assert (book.ec2("c7i.xlarge", region).vcpu, book.ec2("c7i.xlarge", region).arch) == (4, "x86_64")
    # the default option set's EC2 type is priced everywhere now: 2 t4g.small, no balancer
    w = Workload(512, 120, 52_560_000, region=region, assumptions=Assumptions(load_balancer=False))
    cost = compare(w, ["ec2:t4g.small"], requests=[52_560_000]).table.set_index("option")["cost"]
    assert cost["ec2:t4g.small"] == pytest.approx(2 * small * 730)


#: (USD/h, vCPUs, MemoryGiB) as printed by SkyPilot's AWS catalog (skypilot-org/skypilot-catalog
#: catalogs/v8/aws/vms.csv at 00148f2a, read 2026-12-01; every AZ row of a region shows the same Price).
CATALOG_SPOT_CHECKS = {
    "us-east-1": {
        "c6i.large": (0.085, 2, 4),
        "m7i.xlarge": (0.2016, 4, 16),
        "r6i.2xlarge": (0.504, 8, 64),
        "t3.2xlarge": (0.3328, 8, 32),
    },
    "eu-west-1": {
        "c6i.xlarge": (0.1824, 4, 8),
        "m6i.large": (0.107, 2, 8),
        "c7i.large": (0.09576, 2, 4),
        "r7g.medium": (0.0599, 1, 8),
    },
    "eu-central-1": {
        "c6i.2xlarge": (0.388, 8, 16),
        "m7i.large": (0.12075, 2, 8),
        "r6i.xlarge": (0.304, 4, 32),
        "m5.2xlarge": (0.46, 8, 32),
    },
    "us-west-2": {
        "m6i.2xlarge": (0.384, 8, 32),
        "c7g.2xlarge": (0.29, 8, 16),
        "r6i.large": (0.126, 2, 16),
        "t3a.xlarge": (0.1504, 4, 16),
    },
    "ap-southeast-1": {
        "m7g.2xlarge": (0.408, 8, 32),
        "c7i.2xlarge": (0.4116, 8, 16),
        "m6i.xlarge": (0.24, 4, 16),
        "r7g.2xlarge": (0.5168, 8, 64),
    },
    "ap-northeast-1": {
        "c6i.large": (0.107, 2, 4),
        "m7i.2xlarge": (0.5208, 8, 32),
        "t3.micro": (0.0136, 2, 1),
        "t3a.2xlarge": (0.3917, 8, 32),
    },
}


@pytest.mark.parametrize("region", sorted(CATALOG_SPOT_CHECKS))
def test_new_families_match_the_catalog(region):
    book = default_paas_prices()
    for name, (usd_per_hour, vcpu, memory_gib) in CATALOG_SPOT_CHECKS[region].items():
        row = book.ec2(name, region)
        assert (row.usd_per_hour, row.vcpu, row.memory_gib) == (usd_per_hour, vcpu, memory_gib), name
        assert not row.specs_derived
        assert row.assumptions == (
            f"{name} in {region}: price and specs from one source, SkyPilot's AWS catalog "
            "(from the AWS Price List API), read 2026-12-01",
        )
    # us-east-1 m6i and t3 rows rest on other tables; the catalog shows the same prices, so they stay
    assert book.ec2("m6i.large").usd_per_hour == 0.096 and book.ec2("m6i.large").assumptions == ()
    assert book.ec2("t3.large").usd_per_hour == 0.0832 and book.ec2("t3.large").assumptions == ()


def test_cli_compare_prices_c6i_in_eu_west_1():
    from typer.testing import CliRunner

    from lambdacost.cli import app

    args = ["compare", "--memory", "512", "--ms", "120", "--rps", "20", "--region", "eu-west-1"]
    result = CliRunner().invoke(app, args + ["--against", "ec2:c6i.large", "--no-load-balancer", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    (ec2,) = [o for o in data["options"] if o["option"] == "ec2:c6i.large"]
    # two instances running all 730 h: 2 x 0.0912 x 730 = $133.152
    assert ec2["instances"] == 2 and ec2["cost"] == pytest.approx(133.152)
    assert ec2["load_balancer_cost"] == 0
    assert "c6i.large in eu-west-1: price and specs from one source" in " ".join(data["assumptions"])


#: ALB rates read 2026-12-01: (usd_per_hour, usd_per_lcu_hour) as each region's sources print them.
ALB_SPOT_CHECKS = {
    # 2017 table quoting AWS's ELB page (0.0252); eu-west-1 AWSELB Price List row EU-LCUUsage (0.008)
    "eu-west-1": (0.0252, 0.008),
    # AWS Pricing API query for Asia Pacific (Singapore), 2026-08-21: $0.0252/hour, $0.008/LCU-hour
    "ap-southeast-1": (0.0252, 0.008),
    # 2017 table (0.0225, also 730 h at $16.43 in a Defang estimate); a 2018 script's table (0.008)
    "us-west-2": (0.0225, 0.008),
    # 2017 table, a Frankfurt cost worksheet (730 x $0.027) and the FOCUS sample bill (0.027); LCU: the worksheet
    "eu-central-1": (0.027, 0.008),
}


@pytest.mark.parametrize("region", sorted(ALB_SPOT_CHECKS))
def test_new_alb_rows_match_what_was_read(region):
    alb = default_paas_prices().alb(region)
    assert (alb.usd_per_hour, alb.usd_per_lcu_hour) == ALB_SPOT_CHECKS[region]
    # AWS's LCU definition, the same in every region
    assert (alb.lcu_new_connections_per_second, alb.lcu_active_connections_per_minute) == (25, 3000)
    assert (alb.lcu_gb_per_hour, alb.lcu_rule_evaluations_per_second) == (1, 1000)
    assert alb.source.read_on == date(2026, 12, 1)


def test_eu_west_1_alb_reproduces_the_cost_explorer_line():
    # Public Cost Explorer extract, eu-west-1, July 2026: EU-LoadBalancerUsage $15.00 for 595 hr
    # (a whole-hour quantity): 595 x 0.0252 = 14.994, and $15.00 / 0.0252 = 595.24 h, which rounds to 595.
    alb = default_paas_prices().alb("eu-west-1")
    assert round(595 * alb.usd_per_hour, 2) == 14.99
    assert round(15.00 / alb.usd_per_hour) == 595


def test_us_west_2_alb_reproduces_the_defang_estimate_line():
    # Defang's published us-west-2 estimate: AWSELB USW2-LoadBalancerUsage, 730 Hours, $16.43
    assert round(730 * default_paas_prices().alb("us-west-2").usd_per_hour, 2) == 16.43


def test_regions_still_unpriced_say_so():
    book = default_paas_prices()
    with pytest.raises(PriceNotAvailableError, match="Fargate prices for us-west-2 arm64"):
        book.fargate("us-west-2", "arm64")  # x86_64 rates found there, arm64 not
    # API Gateway rows not found (searched 2026-12-01): each refused in one line
    for kind in ("http", "rest"):
        with pytest.raises(PriceNotAvailableError, match=f"no API Gateway {kind} prices for ap-southeast-1: "):
            book.api_gateway(kind, "ap-southeast-1")


def test_cli_compare_in_eu_west_1_with_the_default_load_balancer():
    from typer.testing import CliRunner

    from lambdacost.cli import app

    args = ["compare", "--memory", "512", "--ms", "120", "--rps", "20", "--region", "eu-west-1"]
    result = CliRunner().invoke(app, args + ["--against", "ec2:t4g.small", "--as-of", "2026-11-01", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    (lam,) = [o for o in data["options"] if o["option"] == "lambda:x86_64"]
    (ec2,) = [o for o in data["options"] if o["option"] == "ec2:t4g.small"]
    # 20 req/s x 2,628,000 s = 52,560,000 requests a month.
    # Lambda: (52.56M x 0.5 GB x 0.12 s - 400,000 free) x $0.0000166667 = 2,753,600 x 0.0000166667 = $45.89342512
    #         + (52.56M - 1M free) x $0.20/M = $10.312                                       -> $56.20542512
    assert lam["cost"] == pytest.approx(2_753_600 * 0.0000166667 + 51.56 * 0.20)
    # EC2: 2 x t4g.small x $0.0184 x 730 h = $26.864
    # ALB (default with 2 servers): 730 h x $0.0252 = $18.396
    #   + LCUs from new connections, the largest dimension: 20 req/s / 25 = 0.8 LCU x 730 h x $0.008 = $4.672
    # (bytes: 20 x 10 KB/s = 0.72 GB/h < 0.8 LCU)                                             -> $49.932
    assert ec2["instances"] == 2
    assert ec2["compute_cost"] == pytest.approx(2 * 0.0184 * 730)
    assert ec2["load_balancer_cost"] == pytest.approx(730 * 0.0252 + 20 / 25 * 730 * 0.008)
    assert ec2["cost"] == pytest.approx(26.864 + 18.396 + 4.672)
    table = CliRunner().invoke(app, args + ["--against", "ec2:t4g.small", "--as-of", "2026-11-01"])
    assert table.exit_code == 0 and "$49.93" in table.output and "$56.21" in table.output


#: Fargate rates read 2026-12-01, (USD per vCPU-hour, USD per GB-hour) as each source prints them.
FARGATE_SPOT_CHECKS = {
    # AWS Pricing API audit, raw eu-west-1 rows: SKU K4EXFQ5YFQCP98EN EU-Fargate-vCPU-Hours:perCPU $0.04048,
    # SKU UP5ETC3QSW2QZGEY EU-Fargate-GB-Hours $0.004445; ARM SKUs KXC9CEUQGJQPNZPY $0.03238, MGJ5EB5GSHR8QZDF $0.00356
    ("eu-west-1", "x86_64"): (0.04048, 0.004445),
    ("eu-west-1", "arm64"): (0.03238, 0.00356),
    # AWS Pricing API query for Asia Pacific (Singapore), 2026-08-21: APS1-Fargate-(ARM-)vCPU/GB-Hours
    ("ap-southeast-1", "x86_64"): (0.05056, 0.00553),
    ("ap-southeast-1", "arm64"): (0.04045, 0.00442),
    # price card from AWS's ECS price list: EUC1-Fargate-vCPU-Hours:perCPU 0.04656, EUC1-Fargate-GB-Hours 0.00511
    ("eu-central-1", "x86_64"): (0.04656, 0.00511),
    # arch-visualizer's table 'us-west-2': 0.04048 / 0.004445, checked to the cent by Defang's estimates
    ("us-west-2", "x86_64"): (0.04048, 0.004445),
    # Tokyo, four Price List quotes: APN1-Fargate-vCPU-Hours:perCPU 0.05056, APN1-Fargate-GB-Hours 0.00553,
    # APN1-Fargate-ARM-vCPU-Hours 0.04045, APN1-Fargate-ARM-GB-Hours 0.00442
    ("ap-northeast-1", "x86_64"): (0.05056, 0.00553),
    ("ap-northeast-1", "arm64"): (0.04045, 0.00442),
    # a Frankfurt hosting study quoting the AmazonECS eu-central-1 Price List: 'ARM $0.03725 and $0.00409'
    ("eu-central-1", "arm64"): (0.03725, 0.00409),
}
#: Rows with a second source (or a cost line reproducing them to the cent): no assumption.
FARGATE_CROSS_CHECKED = {
    ("eu-west-1", "x86_64"),
    ("eu-central-1", "x86_64"),
    ("us-west-2", "x86_64"),
    ("ap-northeast-1", "x86_64"),
    ("ap-northeast-1", "arm64"),
}


@pytest.mark.parametrize("region, arch", sorted(FARGATE_SPOT_CHECKS))
def test_new_fargate_rows_match_what_was_read(region, arch):
    rates = default_paas_prices().fargate(region, arch)
    assert (rates.usd_per_vcpu_hour, rates.usd_per_gb_hour) == FARGATE_SPOT_CHECKS[(region, arch)]
    assert rates.ephemeral_storage_gb_included == 20
    assert rates.ephemeral_storage_usd_per_gb_hour is None  # no source read gives it outside the US
    assert rates.source.url == "https://aws.amazon.com/fargate/pricing/" and rates.source.read_on == date(2026, 12, 1)
    if (region, arch) in FARGATE_CROSS_CHECKED:
        assert rates.assumptions == ()
    else:
        (text,) = rates.assumptions
        assert text.startswith(f"Fargate {arch} in {region}: vCPU and memory rates from one source, ")
        assert text.endswith("read 2026-12-01")


def test_us_east_1_fargate_rows_are_unchanged():
    book = default_paas_prices()
    for arch, rates in (("x86_64", (0.04048, 0.004445)), ("arm64", (0.03238, 0.00356))):
        row = book.fargate("us-east-1", arch)
        assert (row.usd_per_vcpu_hour, row.usd_per_gb_hour) == rates
        assert (row.ephemeral_storage_gb_included, row.ephemeral_storage_usd_per_gb_hour) == (20, 0.000111)
        assert row.source.url == "https://www.vantage.sh/blog/fargate-pricing" and row.assumptions == ()


def test_eu_west_1_fargate_reproduces_the_cost_explorer_lines():
    # Public Cost Explorer extract, eu-west-1, July 2026 (whole-unit quantities):
    # EU-Fargate-GB-Hours $1.32 for 297 GB-hr; EU-Fargate-vCPU-Hours:perCPU $6.01 for 148 vCPU-hr.
    rates = default_paas_prices().fargate("eu-west-1", "x86_64")
    assert round(297 * rates.usd_per_gb_hour, 2) == 1.32  # 1.320165
    assert int(6.01 / rates.usd_per_vcpu_hour) == 148  # 148.47 h shown as 148


def test_ephemeral_storage_beyond_the_included_amount():
    book = default_paas_prices()
    us = book.fargate("us-east-1", "arm64")
    assert us.ephemeral_storage_usd_per_hour(20) == 0.0
    assert us.ephemeral_storage_usd_per_hour(50) == pytest.approx(30 * 0.000111)  # 30 GB above the 20 included
    eu = book.fargate("eu-west-1", "x86_64")
    assert eu.ephemeral_storage_usd_per_hour(20) == 0.0 and eu.ephemeral_storage_usd_per_hour(8) == 0.0
    with pytest.raises(PriceNotAvailableError, match="no Fargate ephemeral-storage rate for eu-west-1: .*got 21 GB"):
        eu.ephemeral_storage_usd_per_hour(21)


def test_storage_rate_is_optional_but_still_checked(tmp_path):
    us_row = "ephemeral_storage_usd_per_gb_hour = 0.000111\nsource_url"
    book = load_paas_prices(_copy(tmp_path, (us_row, "source_url")))  # the first (us-east-1 x86_64) row
    assert book.fargate("us-east-1", "x86_64").ephemeral_storage_usd_per_gb_hour is None
    broken = _copy(tmp_path, (us_row, "ephemeral_storage_usd_per_gb_hour = -1\nsource_url"))
    with pytest.raises(PricingDataError, match=r"fargate\.us-east-1\.x86_64\.ephemeral_storage_usd_per_gb_hour"):
        load_paas_prices(broken)
    typo = _copy(tmp_path, ("usd_per_lcu_hour = 0.008\n", "usd_per_lcu_hour = 0.008\nassumption = 3\n"))
    with pytest.raises(PricingDataError, match=r"alb\.us-east-1\.assumption: expected a string"):
        load_paas_prices(typo)


#: The ALB rows whose LCU rate rests on one source (ap-northeast-1's has two: a guide and a Price List quote).
ALB_SINGLE_SOURCE_LCU = ("eu-west-1", "ap-southeast-1", "us-west-2", "eu-central-1")


def test_single_source_alb_rows_say_so():
    book = default_paas_prices()
    for region in ALB_SINGLE_SOURCE_LCU:
        (text,) = book.alb(region).assumptions
        assert text.startswith(f"Application Load Balancer in {region}: LCU rate ($0.008 per LCU-hour) from one source")
    assert book.alb("us-east-1").assumptions == () and book.alb("ap-northeast-1").assumptions == ()


def test_cli_compare_fargate_in_eu_west_1():
    from typer.testing import CliRunner

    from lambdacost.cli import app

    args = ["compare", "--memory", "512", "--ms", "120", "--rps", "20", "--region", "eu-west-1"]
    result = CliRunner().invoke(app, args + ["--against", "fargate:0.5vcpu-1gb", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    (fargate,) = [o for o in data["options"] if o["option"] == "fargate:0.5vcpu-1gb"]
    # 2 tasks x (0.5 vCPU x $0.04048 + 1 GB x $0.004445) x 730 h = 2 x 0.024685 x 730 = $36.0401
    # ALB (2 tasks): 730 h x $0.0252 = $18.396, + 20 req/s / 25 new connections per LCU = 0.8 LCU
    #   x 730 h x $0.008 = $4.672 (bytes: 20 x 10 KB/s = 0.72 GB/h < 0.8 LCU)      -> $59.1081
    assert fargate["instances"] == 2
    assert fargate["compute_cost"] == pytest.approx(36.0401)
    assert fargate["load_balancer_cost"] == pytest.approx(18.396 + 4.672)
    assert fargate["cost"] == pytest.approx(59.1081)
    assert any(
        a.startswith("Application Load Balancer in eu-west-1: LCU rate ($0.008 per LCU-hour) from one source")
        for a in data["assumptions"]
    )
    # the x86_64 rates are cross-checked, the arm64 ones rest on one source, which the results say
    assert not any(a.startswith("Fargate x86_64 in eu-west-1") for a in data["assumptions"])
    arm = CliRunner().invoke(app, args + ["--against", "fargate:0.5vcpu-1gb:arm64", "--json"])
    assert arm.exit_code == 0, arm.output
    arm_data = json.loads(arm.output)
    (arm_row,) = [o for o in arm_data["options"] if o["option"] == "fargate:0.5vcpu-1gb:arm64"]
    assert arm_row["compute_cost"] == pytest.approx(2 * (0.5 * 0.03238 + 1 * 0.00356) * 730)  # $28.6452
    assert any(
        a.startswith("Fargate arm64 in eu-west-1: vCPU and memory rates from one source")
        for a in arm_data["assumptions"]
    )
    table = CliRunner().invoke(app, args + ["--against", "fargate:0.5vcpu-1gb"])
    assert table.exit_code == 0 and "$59.11" in table.output


def test_no_alb_no_alb_assumption():
    from lambdacost.comparison import compare
    from lambdacost.options import Workload

    w = Workload(512, 120, 52_560_000, region="ap-southeast-1", assumptions=Assumptions(load_balancer=False))
    c = compare(w, ["fargate:1vcpu-2gb:arm64"], requests=[52_560_000])
    cost = c.table.set_index("option")["cost"]["fargate:1vcpu-2gb:arm64"]
    assert cost == pytest.approx(2 * (0.04045 + 2 * 0.00442) * 730)  # 2 tasks, no balancer: $71.9124
    assert not any(a.startswith("Application Load Balancer in") for a in c.assumptions)
    assert any(
        a.startswith("Fargate arm64 in ap-southeast-1: vCPU and memory rates from one source") for a in c.assumptions
    )


def test_us_west_2_fargate_reproduces_defangs_estimate_lines():
    # Defang's us-west-2 estimates (docs example and its CLI test), rounded to the cent as printed:
    # USW2-Fargate-vCPU-Hours:perCPU 182.50 h $7.39 and 730 h $29.55; USW2-Fargate-GB-Hours 365 GB-h $1.62
    # and 1460 GB-h $6.49.
    rates = default_paas_prices().fargate("us-west-2", "x86_64")
    assert [round(h * rates.usd_per_vcpu_hour, 2) for h in (182.5, 730)] == [7.39, 29.55]
    assert [round(h * rates.usd_per_gb_hour, 2) for h in (365, 1460)] == [1.62, 6.49]


#: API Gateway rows read 2026-12-01: (USD per million requests by tier, tier starts, priced below).
API_GATEWAY_SPOT_CHECKS = {
    # AmazonApiGateway eu-west-1 Price List extract (published 2026-09-21): apigw_http 1.11e-06 to 300M, then 1e-06
    ("eu-west-1", "http"): ((1.11, 1.00), (0, 300_000_000), float("inf")),
    # 'Price List — API Gateway, us-west-2: HTTP API $1.00/M requests'; a Cost Explorer line 2,286 -> $0.0023
    ("us-west-2", "http"): ((1.00,), (0,), 300_000_000),
    # the same extract: apigw_rest 3.5e-06, 3.19e-06, 2.71e-06, 1.72e-06 from 0, 333M, 1B, 20B
    ("eu-west-1", "rest"): ((3.50, 3.19, 2.71, 1.72), (0, 333_000_000, 1_000_000_000, 20_000_000_000), float("inf")),
    # EUC1-ApiGatewayRequest $3.70 / million (AWS Pricing API, 2026-08-12); higher tiers not found
    ("eu-central-1", "rest"): ((3.70,), (0,), 333_000_000),
    # APN1-ApiGatewayHttpRequest USD 1.29/million for the first 300 million; the next rate not found
    ("ap-northeast-1", "http"): ((1.29,), (0,), 300_000_000),
}


@pytest.mark.parametrize("region, kind", sorted(API_GATEWAY_SPOT_CHECKS))
def test_api_gateway_rows_beyond_us_east_1_match_what_was_read(region, kind):
    api = default_paas_prices().api_gateway(kind, region)
    per_million, starts, below = API_GATEWAY_SPOT_CHECKS[(region, kind)]
    assert tuple(round(r * 1e6, 6) for r in api.usd_per_request) == per_million
    assert api.tier_from_requests == starts and api.priced_below_requests == below
    assert api.free_requests == 1_000_000 and api.source.read_on == date(2026, 12, 1)
    texts = api.assumptions
    if below != float("inf"):
        assert texts[-1] == (
            f"API Gateway {kind.upper()} API in {region}: only the rate below {below:,} requests/month was found "
            "(the higher tiers were not); loads at or above it are not priced"
        )


def test_a_partial_api_gateway_row_refuses_loads_at_its_limit():
    from lambdacost.options import Workload, option_cost

    w = Workload(512, 120, region="eu-central-1", front_door="rest-api", as_of="2026-11-01")
    # 332,999,999 requests x $3.70/M = $1,232.0999963 of API Gateway (free tier off by default)
    below = option_cost("lambda", w, [332_999_999])["front_door_cost"][0]
    assert below == pytest.approx(332_999_999 * 3.70e-6)
    with pytest.raises(PriceNotAvailableError) as refused:
        option_cost("lambda", w, [1e6, 333_000_000])
    assert str(refused.value) == (
        "paas.toml prices the API Gateway REST API in eu-central-1 only below 333,000,000 requests/month "
        "(no source read gives the higher tiers), got 333,000,000"
    )


def test_partial_api_gateway_limits_must_lie_past_the_last_tier(tmp_path):
    row = "tier_from_requests = [0]\npriced_below_requests = 333_000_000"
    broken = _copy(tmp_path, (row, "tier_from_requests = [0]\npriced_below_requests = 0"))
    with pytest.raises(PricingDataError, match=r"api_gateway\.eu-central-1\.rest\.priced_below_requests"):
        load_paas_prices(broken)


@pytest.mark.parametrize(
    "lookup, service",
    [
        (lambda b: b.ec2("t4g.small", "sa-east-1"), "AmazonEC2"),
        (lambda b: b.fargate("us-west-2", "arm64"), "AmazonECS"),
        (lambda b: b.alb("sa-east-1"), "AWSELB"),
        (lambda b: b.api_gateway("rest", "ap-southeast-1"), "AmazonApiGateway"),
        (lambda b: b.apprunner("ap-southeast-1"), None),
    ],
)
def test_not_priced_here_is_one_clean_line(lookup, service):
    with pytest.raises(PriceNotAvailableError) as missing:
        lookup(default_paas_prices())
    text = str(missing.value)
    assert "\n" not in text and text.count("import AWS") <= 1 and text.count("leave") <= 1
    if service is None:  # the importer reads no App Runner offer: it does not offer one
        assert text.endswith("`lambdacost prices import` does not read App Runner offers")
    else:
        assert text.endswith(
            f"import AWS's {service} offer for the region (`lambdacost prices import OFFER --into DIR`, "
            "then --pricing-dir DIR)"
        )


def test_eu_central_1_alb_reproduces_the_cost_report_line():
    # A public eu-central-1 cost report: EUC1-LoadBalancerUsage 19.44 USD for a 30-day (720 h) month;
    # the Frankfurt worksheet: ALB base 730 x $0.027 = $19.71.
    alb = default_paas_prices().alb("eu-central-1")
    assert round(720 * alb.usd_per_hour, 2) == 19.44 and round(730 * alb.usd_per_hour, 2) == 19.71
