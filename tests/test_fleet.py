"""Reading fleets: TOML, YAML, JSON, and the AWS function configuration joined with usage."""

import json
from pathlib import Path

import pytest

from lambdacost import InvalidParameterError, Lognormal, Percentiles, bill, estimate, read_fleet
from lambdacost.readers.fleet import functions_from_aws_config, parse_fleet

FLEETS = Path(__file__).parent / "data" / "fleets"
CONFIG = json.loads((FLEETS / "list-functions.json").read_text())


def test_toml_fleet_parses_units_and_distributions():
    fleet = read_fleet(FLEETS / "basic.toml")
    assert fleet.as_of == "2026-11-01" and fleet.free_tier is True
    orders, thumbs = fleet.functions
    assert (orders["memory_mb"], orders["duration_ms"], orders["requests"]) == (1024.0, 300.0, 2e6)
    assert isinstance(thumbs["duration_ms"], Lognormal) and thumbs["duration_ms"].mean_ms == 100
    assert not hasattr(fleet, "bill")  # reading never prices: bill(fleet.functions) does


def test_yaml_fleet_joins_the_aws_configuration():
    fleet = read_fleet(FLEETS / "aws.yaml")
    orders, report = fleet.functions
    # From list-functions.json: MemorySize, Architectures, region from the ARN, EphemeralStorage, PackageType, Runtime
    assert orders["memory_mb"] == 1536 and orders["arch"] == "x86_64" and orders["region"] == "us-east-1"
    assert orders["runtime"] == "python3.12" and orders["package_type"] == "Zip"
    assert report["arch"] == "arm64" and report["ephemeral_storage_mb"] == 2048 and report["package_type"] == "Image"
    assert isinstance(report["duration_ms"], Percentiles)
    # orders-api alone: the AWS mobile-backend example, $2.73 (pricing page)
    priced = bill(fleet.functions, free_tier=fleet.free_tier, as_of=fleet.as_of)
    assert priced.function("orders-api").standalone_usd == pytest.approx(
        estimate(1536, 120, 3e6, as_of="2026-11-01").total_usd
    )


def test_fleet_keys_override_the_configuration_and_snapstart_is_read():
    config = {
        "Functions": [
            dict(CONFIG["Functions"][0], SnapStart={"ApplyOn": "PublishedVersions", "OptimizationStatus": "On"})
        ]
    }
    (merged,) = functions_from_aws_config(
        config, [{"name": "orders-api", "requests": 1, "duration_ms": 1, "memory_mb": 512}]
    )
    assert merged["memory_mb"] == 512 and merged["snapstart"] is True
    wrapped = functions_from_aws_config({"Configuration": CONFIG["Functions"][1]}, [{"name": "report-builder"}])
    assert wrapped[0]["memory_mb"] == 2048


def test_json_fleet(tmp_path):
    path = tmp_path / "fleet.json"
    path.write_text(
        json.dumps(
            {"functions": [{"name": "a", "memory_mb": 512, "duration_ms": {"samples": [0.2, 1.8]}, "requests": "1M"}]}
        )
    )
    b = bill(read_fleet(path).functions, as_of="2026-11-01")
    # 0.5 GB x 1.5 ms billed on average x 1M = 750 GB-s (free tier covers it)
    assert b.functions[0].usage.gb_seconds == pytest.approx(750)


@pytest.mark.parametrize(
    "data, message",
    [
        (
            {"functions": [], "colour": "red"},
            "fleet key 'colour' must be one of functions, as_of, free_tier, aws_config",
        ),
        ({"functions": "a"}, "functions must be a list of tables"),
        ({"functions": []}, "functions must be at least one function"),
        ({"functions": [{"name": "a", "memory_mb": "lots"}]}, "function 'a': memory_mb must be"),
        (
            {"functions": [{"name": "a", "duration_ms": {"p50": 300, "p99": 200}}]},
            "function 'a': percentiles must be durations that do not decrease",
        ),
        (
            {"functions": [{"name": "a", "duration_ms": {"mean": 1}}]},
            "function 'a': duration_ms must be a number, or a table",
        ),
        ({"free_tier": "yes", "functions": []}, "free_tier must be true or false"),
        ({"aws_config": "nope.json", "functions": []}, "aws_config must be the path of an existing JSON file"),
    ],
)
def test_bad_fleet_data(data, message):
    with pytest.raises(InvalidParameterError, match=message):
        parse_fleet(data, base=FLEETS)


def test_unreadable_files(tmp_path):
    bad = tmp_path / "fleet.toml"
    bad.write_text("functions = [")
    with pytest.raises(InvalidParameterError, match="fleet file must be valid TOML"):
        read_fleet(bad)
    other = tmp_path / "fleet.txt"
    other.write_text("")
    with pytest.raises(InvalidParameterError, match="fleet file must be a .toml, .yaml, .yml or .json file"):
        read_fleet(other)
    with pytest.raises(InvalidParameterError, match="function 'report-builder' must be given usage"):
        read_fleet(FLEETS / "missing_usage.yaml")
    with pytest.raises(InvalidParameterError, match="Architectures must be a list of exactly one"):
        functions_from_aws_config({"FunctionName": "x", "Architectures": ["x86_64", "arm64"]}, [{"name": "x"}])


def test_list_functions_json_alone_says_what_it_lacks():
    from typer.testing import CliRunner

    from lambdacost.cli import app

    result = CliRunner().invoke(app, ["bill", str(FLEETS / "list-functions.json")])
    assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1
    assert "this is `aws lambda list-functions` output, which has no traffic: name it as aws_config" in result.output
    assert "FunctionArn" not in result.output  # the file is not dumped into the message
