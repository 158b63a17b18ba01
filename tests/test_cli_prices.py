"""`lambdacost prices import / diff / validate / fetch / show` through Typer's runner."""

import json
import re
import tomllib
import urllib.error
from pathlib import Path

import pytest
from fakes import FakeResponse
from typer.testing import CliRunner

from lambdacost.cli import app
from lambdacost.prices import PRICING_DIR_ENV, PriceBook, offer_fetch, packaged_pricing_dir

DATA = Path(__file__).parent / "data" / "offers"
SAMPLE = DATA / "lambda-offer-sample.json"
URL = "https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AWSLambda/20251001000000/us-east-1/index.json"
runner = CliRunner()


def run(*args, **kwargs):
    return runner.invoke(app, [str(a) for a in args], **kwargs)


@pytest.fixture
def imported(tmp_path):
    result = run("prices", "import", SAMPLE, "--into", tmp_path / "mine", "--read-on", "2026-11-27")
    assert result.exit_code == 0, result.output
    return tmp_path / "mine", result


def test_import_into_writes_a_loadable_sheet_and_reports(imported):
    directory, result = imported
    lines = result.output.splitlines()
    assert lines[0] == (
        "Imported 11 rate(s) for 1 region(s) (us-east-1) from bulk JSON offer 20251001000000 published "
        f"2025-10-01T00:00:00Z; free tier from the offer; wrote {directory / 'lambda.toml'}"
    )
    # against the packaged sheet: every other region of the newest era is gone (the sample is
    # us-east-1 only), and the report names each one
    others = [code for code in PriceBook.load(packaged_pricing_dir()).eras[-1].regions if code != "us-east-1"]
    assert lines[1] == (
        f"{len(others)} region(s) of {packaged_pricing_dir() / 'lambda.toml'} are not in the offer and are left out "
        f"(listed as unpriced; --merge keeps them): {', '.join(others)}"
    )
    assert lines[2] == f"paas.toml (server prices for compare) copied from {packaged_pricing_dir() / 'paas.toml'}"
    assert re.fullmatch(r"\d+ rate\(s\) changed \(against .*lambda.toml\):", lines[3])
    assert re.search(r"^  eras.1ms.regions.us-east-2: \d+ rates removed \(requests_per_million, ", result.output, re.M)
    text = (directory / "lambda.toml").read_text()
    assert text.startswith("# AWS Lambda price sheet written by `lambdacost prices import` on 2026-11-27")
    assert 'skus = { requests_per_million = "GU2ZS9HVP6QTQ7KE"' in text
    validated = run("prices", "validate", directory)
    assert validated.exit_code == 0
    eras = len(PriceBook.load(packaged_pricing_dir()).eras)  # billing rules and older eras come from the base
    assert (
        validated.output
        == f"OK {directory / 'lambda.toml'}: {eras} era(s), 1 region(s) priced in the 1ms era, 7 rate key(s) with an AWS SKU, pricing stamp 2026-12-01\n"
    )


def test_importing_again_reports_no_change(imported):
    directory, _ = imported
    again = run("prices", "import", SAMPLE, "--into", directory, "--read-on", "2026-11-28")
    assert again.exit_code == 0
    assert again.output.splitlines()[1] == f"No rate changed (against {directory / 'lambda.toml'})."


def test_show_names_the_sku_of_each_rate(imported, monkeypatch):
    directory, _ = imported
    monkeypatch.setenv(PRICING_DIR_ENV, str(directory))
    shown = run("prices", "show", "us-east-1", "--as-of", "2026-11-01")
    assert shown.exit_code == 0, shown.output
    header = shown.output.splitlines()[2]
    assert header.split() == ["meter", "rate", "unit", "source", "SKU"]
    tier2 = next(line for line in shown.output.splitlines() if line.startswith("duration tier 2"))
    assert tier2.split()[-2:] == [URL, "TG3M4CAGBA3NYQBH"] and "$0.000015 " in tier2
    edge = next(line for line in shown.output.splitlines() if line.startswith("Lambda@Edge duration"))
    assert edge.split()[-1] == "UMUS4AT5S27NHYZQ" and "$0.00005001" in edge
    data = json.loads(run("prices", "show", "us-east-1", "--json", "--as-of", "2026-11-01").output)
    assert data["rates"][0] == {
        "meter": "requests",
        "rate": 0.2,
        "unit": "per 1M requests",
        "source_url": URL,
        "sku": "GU2ZS9HVP6QTQ7KE",
    }
    estimate = run("estimate", "--memory", "1536", "--ms", "120", "--requests", "3M", "--as-of", "2026-11-01", "--json")
    # Oracle: (540,000 - 400,000) GB-s x 0.0000166667 + 2,000,000 x 0.0000002 = 2.733338 USD
    assert json.loads(estimate.output)["total_cost"] == pytest.approx(2.733338, abs=1e-9)


def test_show_of_a_hand_typed_sheet_has_no_sku_column():
    shown = run("prices", "show", "eu-west-1")
    assert shown.exit_code == 0 and "SKU" not in shown.output.splitlines()[2]


def test_import_without_into_prints_the_sheet(tmp_path):
    result = runner.invoke(app, ["prices", "import", str(SAMPLE), "--read-on", "2026-11-27"])
    assert result.exit_code == 0
    sheet = tomllib.loads(result.stdout)
    assert sheet["eras"][-1]["regions"]["us-east-1"]["source_url"] == URL
    assert result.stderr.startswith("Imported 11 rate(s) for 1 region(s) (us-east-1)")


def test_import_merge_keeps_other_regions(tmp_path):
    result = run(
        "prices",
        "import",
        DATA / "lambda-offer-sample.csv",
        "--into",
        tmp_path,
        "--merge",
        "--read-on",
        "2026-11-27",
        "--json",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["regions"] == ["us-east-1"] and data["rates"] == 11
    # the offer's 11 rates equal the packaged ones; the 6 it has no price for are kept, not dropped
    assert data["changes"] == []
    assert data["kept_rates"] == {
        "us-east-1": [
            "provisioned_arm64_per_gb_second",
            "provisioned_duration_arm64_per_gb_second",
            "snapstart_cache_per_gb_second",
            "snapstart_restore_per_gb",
            "edge_requests_per_million",
            "streaming_per_gb",
        ]
    }
    others = [code for code in PriceBook.load(packaged_pricing_dir()).eras[-1].regions if code != "us-east-1"]
    assert data["kept_regions"] == others and data["dropped_regions"] == []


def test_merged_sheet_prices_edge_snapstart_and_streaming_as_before(tmp_path, monkeypatch):
    monkeypatch.setenv(PRICING_DIR_ENV, "")  # restored after the test: --pricing-dir sets it
    folder = tmp_path / "merged"
    assert run("prices", "import", SAMPLE, "--into", folder, "--merge").exit_code == 0
    args = ["estimate", "-m", "1024", "-d", "100", "-r", "1M", "--json"]
    edge = ["--edge"]
    packaged = json.loads(run(*args, *edge).output)
    merged = json.loads(run("--pricing-dir", folder, *args, *edge).output)
    # 1M x $0.60/M + 1M x 0.1 s x 1 GB x $0.00005001 = $0.60 + $5.001
    assert merged["total_cost"] == packaged["total_cost"] == pytest.approx(5.601, abs=1e-9)
    row = PriceBook.load(folder).region_rates("us-east-1")
    assert row.snapstart_restore_per_gb == 0.0001397998 and row.streaming_per_gb == 0.008
    assert row.provisioned_per_gb_second["arm64"] == 0.0000033334
    assert row.skus["edge_requests_per_million"] == "NQA9ZMGJKNJQT78E"  # kept with its SKU
    assert (
        "Kept from the previous sheet"
        in tomllib.loads((folder / "lambda.toml").read_text())["eras"][-1]["regions"]["us-east-1"]["note"]
    )


def test_a_replacing_import_names_the_regions_it_leaves_out_where_they_are_asked_for(tmp_path, monkeypatch):
    monkeypatch.setenv(PRICING_DIR_ENV, "")
    folder = tmp_path / "replaced"
    assert run("prices", "import", SAMPLE, "--into", folder, "--read-on", "2026-11-27").exit_code == 0
    result = run("--pricing-dir", folder, "estimate", "-m", "512", "-d", "100", "-r", "1M", "--region", "eu-west-1")
    assert result.exit_code == 2
    assert result.output == (
        "Error: Invalid value for '--region': region 'eu-west-1' is not priced: not in the AWS Price List offer "
        "AWSLambda version 20251001000000 "
        "imported by `lambdacost prices import` (read 2026-11-27); import with --merge to keep the previous sheet's rates\n"
    )


def test_a_folder_made_by_import_serves_compare(tmp_path, monkeypatch):
    monkeypatch.setenv(PRICING_DIR_ENV, "")
    folder = tmp_path / "made"
    assert run("prices", "import", SAMPLE, "--into", folder).exit_code == 0
    copied = (folder / "paas.toml").read_text()
    assert copied.startswith("# Copied by `lambdacost prices import` on ")
    assert copied.endswith((packaged_pricing_dir() / "paas.toml").read_text())
    args = ["compare", "-m", "512", "-d", "120", "--rps", "5", "--against", "ec2:t4g.small", "--json"]
    packaged = run(*args)
    mine = run("--pricing-dir", folder, *args)
    assert mine.exit_code == 0, mine.output
    assert json.loads(mine.output)["options"] == json.loads(packaged.output)["options"]
    # a second import keeps the folder's own paas.toml
    (folder / "paas.toml").write_text(copied.replace("# Copied", "# Mine, copied"))
    assert run("prices", "import", SAMPLE, "--into", folder).exit_code == 0
    assert (folder / "paas.toml").read_text().startswith("# Mine, copied")


@pytest.mark.parametrize(
    "name, message",
    [
        # an EC2 offer goes to the server importer, which counts what it cannot use
        ("other-service.json", "products: no AmazonEC2 rate that compare prices (2 SKU(s) skipped)"),
        ("truncated.json", "not valid JSON (truncated?) at line 69 column 20"),
        ("missing-terms.json", "terms: missing: the offer has products but no prices"),
        ("not-a-number.json", "SKU TG3M4CAGBA3NYQBH: pricePerUnit.USD is not a finite number >= 0: '0.00001S0000'"),
        ("duplicate-sku.json", "GU2ZS9HVP6QTQ7KE: given twice with conflicting contents (duplicate SKU or key)"),
        (
            "duplicate-sku-get-products.json",
            "SKU GU2ZS9HVP6QTQ7KE appears twice (PriceList[2]) with conflicting attributes or prices",
        ),
        ("tier-gap.json", "SKU TG3M4CAGBA3NYQBH: tiers do not join"),
    ],
)
def test_a_corrupt_offer_exits_2_with_one_line_and_writes_nothing(tmp_path, name, message):
    result = run("prices", "import", DATA / name, "--into", tmp_path / "out")
    assert result.exit_code == 2
    assert result.output.startswith(f"Error: {DATA / name}: ") and message in result.output
    assert result.output.count("\n") == 1
    assert not (tmp_path / "out").exists()


def test_bad_read_on_date():
    result = run("prices", "import", SAMPLE, "--read-on", "yesterday")
    assert result.exit_code == 2 and result.output == "Error: --read-on must be a date as YYYY-MM-DD, got 'yesterday'\n"


def test_diff_command(tmp_path):
    old = tmp_path / "old.toml"
    new = tmp_path / "new.toml"
    text = (packaged_pricing_dir() / "lambda.toml").read_text()
    old.write_text(text)
    new.write_text(
        text.replace(
            "x86_64_per_gb_second = [0.0000195172, 0.0000175655",
            "x86_64_per_gb_second = [0.0000200000, 0.0000175655",
        )
    )
    result = run("prices", "diff", old, new)
    assert result.exit_code == 0
    # by hand: 0.00002 - 0.0000195172 = +0.0000004828, / 0.0000195172 = +2.47 %
    assert result.output == (
        f"1 rate(s) changed (against {old}):\n"
        "  eras.1ms.regions.eu-south-1.x86_64_per_gb_second[0]: 0.0000195172 -> 0.00002 (+0.0000004828, +2.47 %)\n"
    )
    data = json.loads(run("prices", "diff", old, new, "--json").output)
    assert data["changes"] == [
        {
            "key": "eras.1ms.regions.eu-south-1.x86_64_per_gb_second[0]",
            "old": "0.0000195172",
            "new": "0.00002",
            "change": "+0.0000004828",
            "change_percent": pytest.approx(2.4737155),
        }
    ]
    same = run("prices", "diff", old, old)
    assert same.output == f"No rate changed (against {old}).\n"
    missing = run("prices", "diff", old, tmp_path / "nope.toml")
    assert missing.exit_code == 2 and missing.output == f"Error: {tmp_path / 'nope.toml'}: file not found\n"


def test_validate(tmp_path, monkeypatch):
    ok = run("prices", "validate")
    assert ok.exit_code == 0 and ok.output.startswith(f"OK {packaged_pricing_dir() / 'lambda.toml'}: ")
    (tmp_path / "lambda.toml").write_text(
        (packaged_pricing_dir() / "lambda.toml")
        .read_text()
        .replace("requests_per_million = 0.23", "requests_per_million = -0.23")
    )
    bad = run("prices", "validate", tmp_path)
    assert bad.exit_code == 2
    assert (
        bad.output
        == f"Error: {tmp_path / 'lambda.toml'}: eras.1ms.regions.eu-south-1.requests_per_million: rates must be finite and >= 0, got -0.23\n"
    )
    monkeypatch.setenv(PRICING_DIR_ENV, str(tmp_path))
    assert run("prices", "validate").exit_code == 2  # the directory in use


def test_fetch_without_network_exits_1_with_one_line(monkeypatch, tmp_path):
    def no_network(url, timeout):
        raise urllib.error.URLError("[Errno -3] Temporary failure in name resolution")

    monkeypatch.setattr(offer_fetch, "urlopen", no_network)
    monkeypatch.chdir(tmp_path)
    result = run("prices", "fetch")
    assert result.exit_code == 1
    assert result.output == (
        "Error: cannot download https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AWSLambda/current/index.json: "
        "[Errno -3] Temporary failure in name resolution (no network?); download it elsewhere and run "
        "`lambdacost prices import FILE`\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_fetch_downloads_saves_and_imports(monkeypatch, tmp_path):
    asked = []
    monkeypatch.setattr(
        offer_fetch, "urlopen", lambda url, timeout: asked.append(url) or FakeResponse(SAMPLE.read_bytes())
    )
    result = run(
        "prices", "fetch", "--region", "us-east-1", "--output", tmp_path / "offer.json", "--into", tmp_path / "prices"
    )
    assert result.exit_code == 0, result.output
    assert asked == ["https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AWSLambda/current/us-east-1/index.json"]
    assert (tmp_path / "offer.json").read_bytes() == SAMPLE.read_bytes()
    assert result.output.startswith(
        f"Saved offer 20251001000000 (published 2025-10-01T00:00:00Z, 14 Lambda rates) to {tmp_path / 'offer.json'}\nImported 11 rate(s)"
    )
    sheet = tomllib.loads((tmp_path / "prices" / "lambda.toml").read_text())
    assert sheet["eras"][-1]["regions"]["us-east-1"]["source_url"] == URL  # the version's URL, not "current"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["offer.json", "prices"]


def test_fetch_of_something_that_is_not_an_offer_saves_nothing(monkeypatch, tmp_path):
    monkeypatch.setattr(offer_fetch, "urlopen", lambda url, timeout: FakeResponse(b"<html>Access Denied</html>"))
    result = run("prices", "fetch", "--output", tmp_path / "offer.json")
    assert result.exit_code == 2 and "no 'SKU' header row" in result.output
    assert list(tmp_path.iterdir()) == []


def test_every_new_command_has_help():
    for command in ("import", "diff", "validate", "fetch"):
        result = run("prices", command, "--help")
        assert result.exit_code == 0 and "Usage" in result.output


def test_import_into_a_file_or_an_unwritable_place_is_one_line(tmp_path, monkeypatch):
    (tmp_path / "file").write_text("x")
    result = run("prices", "import", SAMPLE, "--into", tmp_path / "file")
    assert result.exit_code == 2
    assert (
        result.output
        == f"Error: {tmp_path / 'file'}: expected a directory to write paas.toml and lambda.toml into, got a file\n"
    )

    def no_space(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("tempfile.mkdtemp", no_space)
    result = run("prices", "import", SAMPLE, "--into", tmp_path / "out")
    assert result.exit_code == 2
    assert result.output == f"Error: cannot write {tmp_path / 'out' / 'lambda.toml'}: No space left on device\n"


def test_fetch_to_a_missing_directory_is_one_line(monkeypatch, tmp_path):
    monkeypatch.setattr(offer_fetch, "urlopen", lambda url, timeout: FakeResponse(SAMPLE.read_bytes()))
    result = run("prices", "fetch", "--output", tmp_path / "no" / "offer.json")
    assert result.exit_code == 2
    assert result.output == f"Error: cannot write {tmp_path / 'no' / 'offer.json'}: No such file or directory\n"


# --- a killed import leaves no scratch in the folder, and the next write removes what it left ---

STALLED_IMPORT = """
import os, sys, time
from lambdacost.cli import app

def stall(source, target):  # every file is staged and checked: stop just before the renames
    open(sys.argv[2], "w").close()
    time.sleep(120)

os.replace = stall
app(["prices", "import", sys.argv[3], "--into", sys.argv[1]])
"""


def _stalled_writer(tmp_path, folder):
    import subprocess
    import sys
    import time

    ready = tmp_path / "ready"
    child = subprocess.Popen(
        [sys.executable, "-c", STALLED_IMPORT, str(folder), str(ready), str(SAMPLE)],
        env={**__import__("os").environ, "PYTHONPATH": str(Path(__file__).parent.parent)},
    )
    for _ in range(600):
        if ready.exists() or child.poll() is not None:
            break
        time.sleep(0.05)
    assert ready.exists(), "the child import did not reach its renames"
    return child


def test_kill_9_mid_import_leaves_the_old_sheets_and_no_scratch_inside(tmp_path):
    import signal

    from lambdacost.prices.folders import scratch_folders

    folder = tmp_path / "prices"
    assert run("prices", "import", SAMPLE, "--into", folder, "--read-on", "2026-11-27").exit_code == 0
    before = (folder / "lambda.toml").read_bytes()
    child = _stalled_writer(tmp_path, folder)
    left = scratch_folders(folder)
    assert len(left) == 1 and left[0].parent == folder.parent  # beside the folder, never inside it
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert sorted(p.name for p in folder.iterdir()) == ["lambda.toml", "paas.toml"]
    assert (folder / "lambda.toml").read_bytes() == before and scratch_folders(folder) == left
    again = run("prices", "import", SAMPLE, "--into", folder, "--read-on", "2026-11-28")
    assert again.exit_code == 0, again.output
    assert scratch_folders(folder) == [] and sorted(p.name for p in tmp_path.iterdir()) == ["prices", "ready"]
    assert "written by `lambdacost prices import` on 2026-11-28" in (folder / "lambda.toml").read_text()


def test_a_write_waits_for_a_live_writer_and_keeps_its_scratch(tmp_path):
    import signal
    import threading

    from lambdacost.prices.folders import scratch_folders, write_price_files

    folder = tmp_path / "prices"
    child = _stalled_writer(tmp_path, folder)
    theirs = scratch_folders(folder)
    text = (packaged_pricing_dir() / "paas.toml").read_text()
    writer = threading.Thread(target=write_price_files, args=(folder, {"paas.toml": text}))
    writer.start()
    writer.join(0.5)
    assert writer.is_alive() and scratch_folders(folder) == theirs  # waiting for the lock, touching nothing
    child.send_signal(signal.SIGKILL)
    child.wait()
    writer.join(30)
    assert not writer.is_alive() and scratch_folders(folder) == []
    assert (folder / "paas.toml").read_text() == text


def test_scratch_of_earlier_versions_inside_the_folder_is_removed_once_old(tmp_path):
    import os
    import time

    from lambdacost.prices.folders import LEGACY_SCRATCH_AGE_S, scratch_folders

    folder = tmp_path / "prices"
    folder.mkdir()
    old, young, foreign = (folder / f".lambdacost-sheet-{n}" for n in ("old", "young", "foreign"))
    for made in (old, young, foreign):
        made.mkdir()
        (made / "lambda.toml").write_text("")  # a killed write of an earlier version: empty
    (foreign / "notes.txt").write_text("not ours")
    long_ago = time.time() - LEGACY_SCRATCH_AGE_S - 5
    for made in (old, foreign):
        os.utime(made, (long_ago, long_ago))
    assert run("prices", "import", SAMPLE, "--into", folder).exit_code == 0
    # the old one goes; one that may be in use (young) or holds anything else stays
    assert scratch_folders(folder) == sorted([foreign, young])


# --- server offers (EC2, ECS, ELB, API Gateway) into paas.toml, and compare from them ------------


def test_server_offers_round_trip_into_compare(tmp_path, monkeypatch):
    monkeypatch.setenv(PRICING_DIR_ENV, "")
    folder = tmp_path / "servers"
    for name in ("ec2-get-products", "ecs-fargate-bulk", "elb-get-products", "apigateway-bulk"):
        result = run("prices", "import", DATA / f"server-{name}.json", "--into", folder, "--read-on", "2026-12-01")
        assert result.exit_code == 0, result.output
    from lambdacost.prices.paas import load_paas_prices

    book = load_paas_prices(folder)
    t4g = book.ec2("t4g.small")
    assert (t4g.vcpu, t4g.memory_gib, t4g.usd_per_hour, t4g.arch) == (2, 2, 0.0168, "arm64")
    assert t4g.source.url.endswith("/AmazonEC2/20251001000000/us-east-1/index.json")
    assert (book.alb("ap-northeast-1").usd_per_hour, book.alb("ap-northeast-1").usd_per_lcu_hour) == (0.0243, 0.008)
    assert book.fargate("us-east-1", "arm64").usd_per_vcpu_hour == 0.03238
    assert book.api_gateway("rest").tier_from_requests == (0, 333e6, 1e9, 20e9)
    # Tokyo, 20 req/s, 512 MB x 120 ms: 2 t3.small ($0.0272, the packaged row) + the imported ALB:
    # 730 h x $0.0243 + 0.04 LCU per req/s x 20 x 730 h x $0.008
    args = ["compare", "-m", "512", "-d", "120", "--rps", "20", "--region", "ap-northeast-1", "--json"]
    data = json.loads(run("--pricing-dir", folder, *args, "--against", "ec2:t3.small").output)
    row = {o["option"]: o for o in data["options"]}["ec2:t3.small"]
    assert row["cost"] == pytest.approx(2 * 0.0272 * 730 + 730 * 0.0243 + 584 * 0.008)
    assert row["load_balancer_cost"] == pytest.approx(730 * 0.0243 + 584 * 0.008)


def test_server_import_reports_every_sku_it_leaves_out(tmp_path):
    result = run("prices", "import", DATA / "server-ec2-get-products.json", "--into", tmp_path / "x", "--json")
    data = json.loads(result.output)
    assert data["rows"] == ['ec2.us-east-1."t3.small"', 'ec2.us-east-1."t4g.small"'] and data["skus_read"] == 4
    assert [line.split(":")[0] for line in data["skipped"]] == [
        "CONSTRUCTED03",
        "222FSQ7X57S9DN65",
    ]  # dedicated; Windows
    assert data["lambda_copied_from"].endswith("lambda.toml")
    fargate = run("prices", "import", DATA / "server-ecs-fargate-bulk.json", "--into", tmp_path / "x")
    assert fargate.exit_code == 0, fargate.output
    row = tomllib.loads((tmp_path / "x" / "paas.toml").read_text())["fargate"]["ap-northeast-1"]["x86_64"]
    assert "ephemeral_storage_usd_per_gb_hour" not in row  # the offer has none: only the included GB is priced
    assert "No ephemeral-storage price in the offer: storage beyond the included GB is not priced." in row["note"]


def test_server_import_without_into_prints_a_loadable_paas_sheet(tmp_path):
    result = runner.invoke(
        app, ["prices", "import", str(DATA / "server-elb-get-products.json"), "--read-on", "2026-12-01"]
    )
    assert result.exit_code == 0
    sheet = tomllib.loads(result.stdout)
    assert sheet["alb"]["ap-northeast-1"]["usd_per_hour"] == 0.0243
    assert sheet["ec2"]["us-east-1"]["t4g.small"]["usd_per_hour"] == 0.0168  # the rest as before
    assert result.stderr.startswith("Imported 1 row(s) (alb.ap-northeast-1) from AWSELB offer")


def test_a_broken_server_offer_is_one_line(tmp_path):
    text = (DATA / "server-elb-get-products.json").read_text().replace('\\"LCU-Hrs\\"', '\\"Hrs\\"', 1)
    (tmp_path / "bad.json").write_text(text)
    result = run("prices", "import", tmp_path / "bad.json", "--into", tmp_path / "out")
    assert result.exit_code == 2 and len(result.output.splitlines()) == 1
    assert "SKU CONSTRUCTED22: unit 'Hrs' is not the expected 'lcu-hrs'" in result.output
    assert not (tmp_path / "out").exists()


def test_a_merged_sheet_keeps_the_china_rows_in_cny_with_their_sources(tmp_path):
    result = run("prices", "import", DATA / "lambda-offer-sample.csv", "--into", tmp_path, "--merge")
    assert result.exit_code == 0, result.output
    book = PriceBook.load(tmp_path)
    for region in ("cn-north-1", "cn-northwest-1"):
        row, packaged = book.region_rates(region), PriceBook.load(packaged_pricing_dir()).region_rates(region)
        assert row.currency == "CNY" and row.duration == packaged.duration and row.per_request == 1.36e-06
        assert row.rate_sources == packaged.rate_sources and row.free_tier_source == packaged.free_tier_source
