"""Human input: counts, durations and memory sizes."""

import pytest

from lambdacost import InvalidParameterError
from lambdacost.units import parse_count, parse_duration_ms, parse_memory_mb, parse_number


@pytest.mark.parametrize(
    "text, value",
    [("1e6", 1e6), ("1_000_000", 1e6), ("3M", 3e6), ("2.5k", 2500), ("1B", 1e9), ("7", 7), (" 12 ", 12), (".5k", 500)],
)
def test_counts(text, value):
    assert parse_count(text) == value


@pytest.mark.parametrize("text, ms", [("120", 120), ("120ms", 120), ("1.5s", 1500), ("2min", 120_000), ("250us", 0.25)])
def test_durations(text, ms):
    assert parse_duration_ms(text) == ms


@pytest.mark.parametrize("text, mb", [("512", 512), ("512MB", 512), ("2GB", 2048), ("1.5gb", 1536), ("10GiB", 10240)])
def test_memory_uses_lambdas_1024(text, mb):
    assert parse_memory_mb(text) == mb


@pytest.mark.parametrize(
    "parser, text, message",
    [
        (parse_count, "3X", "requests must be a count such as 1e6, 1_000_000, 1,000,000, 3M or 2.5k, got '3X'"),
        (parse_count, "", "got ''"),
        (parse_count, "nan", "got 'nan'"),
        (parse_duration_ms, "1.5h", "duration_ms must be a duration such as 120, 120ms, 1.5s or 2min, got '1.5h'"),
        (parse_memory_mb, "2TB", r"memory_mb must be a size such as 512, 512MB or 2GB \(1 GB = 1024 MB\), got '2TB'"),
    ],
)
def test_bad_text_names_what_was_expected(parser, text, message):
    with pytest.raises(InvalidParameterError, match=message):
        parser(text)


def test_counts_with_thousands_separators():
    from typer.testing import CliRunner

    from lambdacost.cli import app
    from lambdacost.units import parse_count

    assert parse_count("1,000,000") == 1e6 and parse_count("12,345.5") == 12345.5
    with pytest.raises(InvalidParameterError):
        parse_count("1,00")  # not a thousands grouping
    result = CliRunner().invoke(app, ["estimate", "-m", "512", "-d", "100", "-r", "1,000,000", "--json"])
    assert result.exit_code == 0 and '"requests": 1000000.0' in result.output


@pytest.mark.parametrize("value", [[512], {"size": 512}, True, False, None, (1, 2)])
@pytest.mark.parametrize(
    "parser, form",
    [
        (parse_count, "a count such as 1e6"),
        (parse_duration_ms, "a duration such as 120"),
        (parse_memory_mb, "a size such as 512"),
        (parse_number, "a number"),
    ],
)
def test_values_that_are_not_one_number_are_refused_with_the_form(parser, form, value):
    # The fleet reader relies on this: a list, a table, a boolean or a null is never a quantity.
    with pytest.raises(InvalidParameterError) as error:
        parser(value, "key")
    assert str(error.value) == f"key must be {error.value.allowed}, got {value!r}"
    assert error.value.allowed.startswith(form) and error.value.got is value
