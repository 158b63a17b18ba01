"""Sheets as files: the TOML emitter round-trips, writes are atomic and checked, diffs are exact."""

import copy
import os
import tomllib
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lambdacost import PriceBook
from lambdacost.errors import PricingDataError
from lambdacost.prices import packaged_pricing_dir
from lambdacost.prices.sheets import RateChange, diff_sheets, dumps_sheet, read_sheet, write_sheet

PACKAGED = read_sheet(packaged_pricing_dir())


# --- the emitter ------------------------------------------------------------------------------


def test_the_packaged_sheet_round_trips():
    assert tomllib.loads(dumps_sheet(PACKAGED, "a header\nof two lines")) == PACKAGED


def test_layout_follows_the_schema():
    text = dumps_sheet(
        {
            "schema": 1,
            "eras": [
                {
                    "name": "1ms",
                    "regions": {
                        "us-east-1": {
                            "x86_64_per_gb_second": [Decimal("0.0000166667"), Decimal("0.0000150000")],
                            "skus": {"x86_64_per_gb_second": "TG3M4CAGBA3NYQBH"},
                        }
                    },
                }
            ],
            "unpriced": {"me-central-1": {"reason": 'no "requests" price'}},
        },
        "# not doubled",
    )
    assert text == (
        "# # not doubled\n"
        "\n"
        "schema = 1\n"
        "\n"
        "[[eras]]\n"
        'name = "1ms"\n'
        "\n"
        "[eras.regions.us-east-1]\n"
        "x86_64_per_gb_second = [0.0000166667, 0.0000150000]\n"
        'skus = { x86_64_per_gb_second = "TG3M4CAGBA3NYQBH" }\n'
        "\n"
        "[unpriced.me-central-1]\n"
        'reason = "no \\"requests\\" price"\n'
    )


def test_floats_are_written_in_fixed_point_at_full_precision():
    assert dumps_sheet({"a": 0.0000166667, "b": 2e-07, "c": 6e9, "d": Decimal("3E+1"), "e": 0.2}) == (
        "a = 0.0000166667\nb = 0.0000002\nc = 6000000000.0\nd = 30.0\ne = 0.2\n"
    )


@pytest.mark.parametrize(
    "value, match",
    [
        (float("nan"), "not a finite number"),
        (Decimal("Infinity"), "not a finite number"),
        (object(), "cannot write a object"),
    ],
)
def test_unwritable_values_are_refused(value, match):
    with pytest.raises(PricingDataError, match=f"rates.x: {match}"):
        dumps_sheet({"rates": {"x": value}})


keys = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=12)
scalars = st.one_of(
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=20),
    st.booleans(),
    st.dates(),
)
flat = st.dictionaries(keys, st.one_of(scalars, st.lists(scalars, max_size=4)), max_size=5)


@settings(max_examples=50, deadline=None)
@given(top=flat, table=flat, region=flat, skus=st.dictionaries(keys, st.text(max_size=16), max_size=3))
def test_any_sheet_shaped_content_round_trips(top, table, region, skus):
    sheet = {**top, "free_tier": table, "eras": [{"name": "x", "regions": {"some region": {**region, "skus": skus}}}]}
    sheet = {k: v for k, v in sheet.items()}
    assert tomllib.loads(dumps_sheet(sheet)) == sheet


# --- atomic, checked writes -------------------------------------------------------------------


def leftovers(directory: Path):
    return sorted(p.name for p in directory.iterdir() if p.name != "lambda.toml")


def test_write_then_load(tmp_path):
    path = write_sheet(PACKAGED, tmp_path / "new" / "dir")
    assert path == tmp_path / "new" / "dir" / "lambda.toml"
    assert PriceBook.load(path.parent).regions() == PriceBook.load(packaged_pricing_dir()).regions()
    assert leftovers(path.parent) == []


def test_a_sheet_that_would_not_load_is_not_written(tmp_path):
    write_sheet(PACKAGED, tmp_path)
    before = (tmp_path / "lambda.toml").read_bytes()
    broken = copy.deepcopy(PACKAGED)
    del broken["eras"][-1]["regions"]["eu-west-1"]["requests_per_million"]
    with pytest.raises(
        PricingDataError,
        match=r"lambda.toml: eras.1ms.regions.eu-west-1: not written, the new sheet would not load: missing required key\(s\) requests_per_million",
    ):
        write_sheet(broken, tmp_path)
    assert (tmp_path / "lambda.toml").read_bytes() == before
    assert leftovers(tmp_path) == []


def test_an_interrupted_write_leaves_the_old_sheet(tmp_path, monkeypatch):
    write_sheet(PACKAGED, tmp_path)
    before = (tmp_path / "lambda.toml").read_bytes()

    def crash(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    changed = copy.deepcopy(PACKAGED)
    changed["eras"][-1]["regions"]["eu-west-1"]["requests_per_million"] = 0.3
    with pytest.raises(OSError, match="disk full"):
        write_sheet(changed, tmp_path)
    assert (tmp_path / "lambda.toml").read_bytes() == before
    assert leftovers(tmp_path) == []


def test_read_sheet_errors(tmp_path):
    with pytest.raises(PricingDataError, match=r"lambda.toml: file not found"):
        read_sheet(tmp_path)
    (tmp_path / "lambda.toml").write_text("schema = \n")
    with pytest.raises(PricingDataError, match=r"lambda.toml: not valid TOML"):
        read_sheet(tmp_path / "lambda.toml")


# --- diffs --------------------------------------------------------------------------------------


def changed_sheet():
    new = copy.deepcopy(PACKAGED)
    regions = new["eras"][-1]["regions"]
    regions["eu-west-1"]["x86_64_per_gb_second"] = [0.0000170000]
    regions["us-east-1"]["x86_64_per_gb_second"][1] = 0.0000140000
    del regions["eu-west-2"]["ephemeral_storage_per_gb_second"]
    regions["us-east-2"]["requests_per_million"] = 0.20  # same number, same spelling or not
    regions["us-east-2"]["source_url"] = "https://example.com/"  # provenance is not a rate
    regions["xx-test-1"] = {
        "name": "Test",
        "source_url": "https://x",
        "read_on": date(2026, 1, 1),
        "requests_per_million": 0.1,
        "x86_64_per_gb_second": [0.00001],
    }
    return new


def test_diff_lists_exactly_the_changed_rates():
    changes = diff_sheets(PACKAGED, changed_sheet())
    assert [str(c) for c in changes] == [
        # by hand: 0.000014 - 0.000015 = -0.000001 = -6.67 %; 0.000017 - 0.0000166667 = +0.0000003333 = +2.00 %
        "eras.1ms.regions.us-east-1.x86_64_per_gb_second[1]: 0.000015 -> 0.000014 (-0.000001, -6.67 %)",
        "eras.1ms.regions.eu-west-1.x86_64_per_gb_second[0]: 0.0000166667 -> 0.000017 (+0.0000003333, +2.00 %)",
        "eras.1ms.regions.eu-west-2.ephemeral_storage_per_gb_second: removed (was 0.0000000358)",
        "eras.1ms.regions.xx-test-1.requests_per_million: added, 0.1",
        "eras.1ms.regions.xx-test-1.x86_64_per_gb_second[0]: added, 0.00001",
    ]
    assert changes[1] == RateChange(
        "eras.1ms.regions.eu-west-1.x86_64_per_gb_second[0]", Decimal("0.0000166667"), Decimal("0.000017")
    )
    assert changes[1].change == Decimal("0.0000003333")  # exact, not a float difference
    assert changes[0].to_dict() == {
        "key": "eras.1ms.regions.us-east-1.x86_64_per_gb_second[1]",
        "old": "0.000015",
        "new": "0.000014",
        "change": "-0.000001",
        "change_percent": pytest.approx(-6.666666667),
    }
    assert changes[2].change is None and changes[2].change_percent is None


def test_diff_of_a_sheet_with_itself_is_empty_and_reads_paths(tmp_path):
    assert diff_sheets(PACKAGED, copy.deepcopy(PACKAGED)) == ()
    write_sheet(changed_sheet(), tmp_path)
    assert len(diff_sheets(packaged_pricing_dir(), tmp_path / "lambda.toml")) == 5


def test_diff_matches_eras_by_name_not_position():
    new = copy.deepcopy(PACKAGED)
    inserted = copy.deepcopy(new["eras"][0])
    inserted["name"] = "inserted"
    inserted["granularity_ms"] = 50
    new["eras"].insert(1, inserted)
    keys = [c.key for c in diff_sheets(PACKAGED, new)]
    assert keys and all(k.startswith("eras.inserted.") for k in keys)
    assert "eras.inserted.granularity_ms" in keys


def test_diff_of_a_rule_change_and_zero_rates():
    new = copy.deepcopy(PACKAGED)
    new["eras"][0]["granularity_ms"] = 1
    new["free_tier"]["requests"] = 0
    changes = {c.key: c for c in diff_sheets(PACKAGED, new)}
    assert str(changes["eras.100ms.granularity_ms"]) == "eras.100ms.granularity_ms: 100 -> 1 (-99, -99.00 %)"
    assert str(changes["free_tier.requests"]) == "free_tier.requests: 1000000 -> 0 (-1000000, -100.00 %)"
    back = RateChange("x", Decimal(0), Decimal("0.5"))
    assert back.change_percent is None and str(back) == "x: 0 -> 0.5 (+0.5)"


def test_meter_rates_round_trip_through_write_and_diff(tmp_path):
    changed = copy.deepcopy(PACKAGED)
    changed["meters"]["esm_provisioned_kafka"]["regions"]["us-east-1"]["esm_kafka_per_epu_hour"] = 0.2
    written = write_sheet(changed, tmp_path)
    book = PriceBook.load(written.parent)
    assert book.rates("us-east-1", "x86_64", date(2026, 11, 1)).esm_kafka_per_epu_hour == 0.2
    assert [str(c) for c in diff_sheets(PACKAGED, written)] == [
        "meters.esm_provisioned_kafka.regions.us-east-1.esm_kafka_per_epu_hour: 0.185 -> 0.2 (+0.015, +8.11 %)"
    ]
