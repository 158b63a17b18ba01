"""Reading fleets: TOML, YAML, JSON, and the AWS function configuration joined with usage."""

import json
import math
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lambdacost import InvalidParameterError, Lognormal, Percentiles, bill, estimate, read_fleet
from lambdacost.bills import FUNCTION_KEYS
from lambdacost.errors import LambdaCostError
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
    assert priced.function("orders-api").standalone_cost == pytest.approx(
        estimate(1536, 120, 3e6, as_of="2026-11-01").total_cost
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
            "fleet file: colour must be one of the known keys",
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
            "function 'a': duration_ms must be a duration such as 120, 120ms or 1.5s, or a table",
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


def test_the_reader_knows_every_key_bill_takes():
    from lambdacost.bills import FUNCTION_KEYS
    from lambdacost.readers.fleet import FUNCTION_FIELDS

    assert set(FUNCTION_FIELDS) == {"name", *FUNCTION_KEYS}


BASE_FUNCTION = 'name = "f"\nmemory_mb = 512\nduration_ms = 100\nrequests = 1000\n'


@pytest.mark.parametrize(
    "line, message",
    [
        ("requests = [1, 2]", "requests must be a count such as 1e6, 1_000_000, 1,000,000, 3M or 2.5k, got [1, 2]"),
        ("requests = {a = 1}", "requests must be a count such as 1e6, 1_000_000, 1,000,000, 3M or 2.5k, got {'a': 1}"),
        ("region = 5", "region must be a region code as a string, such as 'us-east-1', got 5"),
        ("memory_mb = [512]", "memory_mb must be a size such as 512, 512MB or 2GB (1 GB = 1024 MB), got [512]"),
        ("memory_mb = true", "memory_mb must be a size such as 512, 512MB or 2GB (1 GB = 1024 MB), got True"),
        ("arch = {name = 'arm64'}", "arch must be a string: 'x86_64' or 'arm64', got {'name': 'arm64'}"),
        ("snapstart = 'yes'", "snapstart must be true or false, got 'yes'"),
        ("edge = 1", "edge must be true or false, got 1"),
        ("cold_starts = [1]", "cold_starts must be a count such as 1e6, 1_000_000, 1,000,000, 3M or 2.5k, got [1]"),
        ("cold_start_rate = 'often'", "cold_start_rate must be a number, got 'often'"),
        ("traffic_concurrency = 5", "traffic_concurrency must be a list of numbers"),
        ("traffic_concurrency = [1, 'x']", "traffic_concurrency[1] must be a number, got 'x'"),
        ("duration_ms = true", "duration_ms must be a duration such as 120, 120ms or 1.5s, or a table {mean, p99}"),
        ("duration_ms = {samples = [1, true]}", "duration_ms.samples[1] must be a duration such as 120, 120ms"),
        ("duration_ms = {samples = 'x'}", "duration_ms.samples must be a non-empty list of durations, got 'x'"),
        ("duration_ms = {mean = [1], p99 = 4}", "duration_ms.mean must be a duration such as 120, 120ms"),
        ("duration_ms = {mean = {a = 1}, p99 = 4}", "duration_ms.mean must be a duration such as 120, 120ms"),
        ("init_duration_ms = [5]", "init_duration_ms must be a duration such as 120, 120ms, 1.5s or 2min, got [5]"),
        (
            "memory_mb = {size = 512}",
            "memory_mb must be a size such as 512, 512MB or 2GB (1 GB = 1024 MB), got {'size': 512}",
        ),
    ],
)
def test_wrong_types_are_refused_by_the_reader(tmp_path, line, message):
    key = line.split("=")[0].strip()
    body = "".join(row + "\n" for row in BASE_FUNCTION.splitlines() if not row.startswith(f"{key} "))
    path = tmp_path / "fleet.toml"
    path.write_text(f"[[functions]]\n{body}{line}\n")
    with pytest.raises(InvalidParameterError) as error:
        read_fleet(path)
    assert str(error.value).startswith(f"function 'f': {message}"), str(error.value)
    assert "\n" not in str(error.value)


@pytest.mark.parametrize(
    "suffix, text",
    [
        (".yaml", "functions:\n  - name: f\n    memory_mb: [512]\n    duration_ms: 100\n    requests: 1000\n"),
        (".json", '{"functions": [{"name": "f", "memory_mb": [512], "duration_ms": 100, "requests": 1000}]}'),
    ],
)
def test_wrong_types_are_refused_in_yaml_and_json(tmp_path, suffix, text):
    path = tmp_path / f"fleet{suffix}"
    path.write_text(text)
    with pytest.raises(
        InvalidParameterError, match=r"^function 'f': memory_mb must be a size such as 512.*got \[512\]$"
    ):
        read_fleet(path)


def test_top_level_values_of_the_wrong_type(tmp_path):
    for line, message in [
        ('free_tier = "no"', "free_tier must be true or false, got 'no'"),
        ("as_of = 20261101", 'as_of must be a date such as "2026-11-01", got 20261101'),
        ("aws_config = 5", "aws_config must be a file path as a string, got 5"),
        ("memory_mb = 512", "fleet file: memory_mb must be inside a function's table ([[functions]]), not at the top"),
    ]:
        path = tmp_path / "fleet.toml"
        path.write_text(f"{line}\n[[functions]]\n{BASE_FUNCTION}")
        with pytest.raises(InvalidParameterError) as error:
            read_fleet(path)
        assert str(error.value).startswith(message), str(error.value)
    path.write_text("as_of = 2026-11-01\n[[functions]]\n" + BASE_FUNCTION)  # a TOML date is a date
    assert read_fleet(path).as_of == "2026-11-01"


def test_a_misspelled_key_gets_a_suggestion(tmp_path):
    path = tmp_path / "fleet.toml"
    path.write_text(f"[[functions]]\n{BASE_FUNCTION}memroy_mb = 2048\n")
    with pytest.raises(InvalidParameterError) as error:
        read_fleet(path)
    message = str(error.value)
    assert message.startswith("function 'f': memroy_mb must be one of the known keys; did you mean memory_mb? (keys: ")
    assert message.endswith("savings_plan_term), got 2048")
    path.write_text(f"function = []\n[[functions]]\n{BASE_FUNCTION}")
    with pytest.raises(
        InvalidParameterError, match="fleet file: function must be one of the known keys; did you mean functions"
    ):
        read_fleet(path)
    path.write_text(f"[[functions]]\n{BASE_FUNCTION}colour = 'red'\n")  # nothing close: the list only
    with pytest.raises(InvalidParameterError) as error:
        read_fleet(path)
    assert "did you mean" not in str(error.value) and "colour must be one of the known keys (keys: name," in str(
        error.value
    )
    with pytest.raises(InvalidParameterError, match="did you mean memory_mb"):  # bill() says it too
        bill([{"name": "f", "memory_mb": 512, "duration_ms": 100, "requests": 1, "memroy_mb": 5}])


def test_names_are_checked_by_the_reader():
    with pytest.raises(InvalidParameterError, match=r"^functions\[0\]: name must be a non-empty string, got 5$"):
        parse_fleet({"functions": [{"name": 5}]})
    with pytest.raises(InvalidParameterError, match=r"^functions\[0\]: name must be given"):
        parse_fleet({"functions": [{"memory_mb": 512}]})
    with pytest.raises(InvalidParameterError, match=r"^functions\[1\]: name must be unique within the fleet, got 'a'$"):
        parse_fleet({"functions": [{"name": "a"}, {"name": "a"}]})


def test_aws_config_values_of_the_wrong_type_are_named_as_aws_spells_them():
    for config, message in [
        (
            {"FunctionName": "x", "MemorySize": "1GB"},
            "function 'x': aws_config MemorySize must be a whole number of MB, got '1GB'",
        ),
        (
            {"FunctionName": "x", "MemorySize": True},
            "function 'x': aws_config MemorySize must be a whole number of MB, got True",
        ),
        ({"FunctionName": "x", "FunctionArn": 5}, "function 'x': aws_config FunctionArn must be an ARN string, got 5"),
        (
            {"FunctionName": "x", "EphemeralStorage": {"Size": "big"}},
            "function 'x': aws_config EphemeralStorage.Size must be a whole number of MB, got 'big'",
        ),
        ({"FunctionName": 7}, "aws_config FunctionName must be a non-empty string, got 7"),
    ]:
        with pytest.raises(InvalidParameterError) as error:
            functions_from_aws_config(config, [{"name": "x"}])
        assert str(error.value).startswith(message), str(error.value)


def test_bill_refuses_a_list_for_any_one_value_key():
    spec = {"name": "a", "memory_mb": 512, "duration_ms": 100, "requests": 1000, "cold_starts": [1]}
    with pytest.raises(
        InvalidParameterError, match=r"^function 'a': cold_starts must be one value per function, got \[1\]$"
    ):
        bill([spec])


# Values of any type a TOML, YAML or JSON file can hold, under any key of a function.
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["", "abc", "1e6", "3M", "512MB", "2GB", "120ms", "1.5s", "arm64", "x86_64", "us-east-1", "Zip"]),
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=6,
)


@settings(max_examples=int(os.environ.get("LAMBDACOST_FUZZ_EXAMPLES", "50")), deadline=None)
@given(st.dictionaries(st.sampled_from(sorted(FUNCTION_KEYS)), _VALUES, min_size=1, max_size=4))
def test_any_value_of_any_type_is_read_or_refused_in_one_line(changes):
    """A fleet the reader accepts is one bill() prices or refuses with its own error: never a TypeError."""
    entry = {"name": "f", "memory_mb": 512, "duration_ms": 100, "requests": 1000, **changes}
    try:
        fleet = parse_fleet({"functions": [entry]})
    except InvalidParameterError as error:
        assert "\n" not in str(error) and str(error).startswith("function 'f': ")
        return
    try:
        total = bill(fleet.functions, as_of="2026-11-01").total_cost
    except LambdaCostError as error:
        assert "\n" not in str(error) and str(error).startswith("function 'f': ")
        return
    assert math.isfinite(total)
