"""Infrastructure code read into function configurations (with their sources) and priced.

Inputs are real public files (tests/data/iac, provenance in tests/data/README.md).
Hand-worked prices, us-east-1: x86_64 $0.0000166667/GB-s, arm64 $0.0000133334/GB-s,
requests $0.20 per million, Provisioned Concurrency $0.0000041667/GB-s, ephemeral storage
$0.0000000309/GB-s, SnapStart cache (Python) $0.0000015046/GB-s; free tier 1M requests and
400,000 GB-s taken off first; a month is 730 h = 2,628,000 s.
"""

from pathlib import Path

import pytest
from typer.testing import CliRunner

from lambdacost.bills import bill
from lambdacost.cli import app
from lambdacost.readers.iac import IacError, Usage, load_yaml, read_iac, read_usage, usage_functions

IAC = Path(__file__).parent / "data" / "iac"
SAM = IAC / "sam"
USAGE = IAC / "usage.yml"
MONTH_S = 730 * 3600
AS_OF = "2026-11-01"


def configs(path, **kw):
    return {f.name: f.config() for f in read_iac(path, **kw)}


def cfg(memory=128, arch="x86_64", storage=512, runtime=None, package="Zip", snap=False, pc=0):
    return {
        "memory_mb": memory,
        "arch": arch,
        "ephemeral_storage_mb": storage,
        "runtime": runtime,
        "package_type": package,
        "snapstart": snap,
        "provisioned_concurrency": pc,
    }


def priced(path, usage=None, **kw):
    specs, rows = usage_functions(read_iac(path, **kw), usage)
    return bill(specs, as_of=AS_OF), rows


def test_yaml_short_tags():
    assert load_yaml("A: !Sub '${X}-y'\nB: !Join [',', [a, !Ref P]]") == {
        "A": {"Fn::Sub": "${X}-y"},
        "B": {"Fn::Join": [",", ["a", {"Ref": "P"}]]},
    }


def test_sam_globals_and_overrides_priced():
    functions = {f.name: f for f in read_iac(SAM / "globals_for_function.yaml")}
    assert {n: f.config() for n, f in functions.items()} == {
        "MinimalFunction": cfg(1024, storage=1024, runtime="python2.7", snap=True),
        "FunctionWithOverrides": cfg(512, storage=1024, runtime="nodejs12.x", snap=False),
    }
    minimal, override = functions["MinimalFunction"].origins, functions["FunctionWithOverrides"].origins
    assert (minimal["memory_mb"], minimal["snapstart"], minimal["package_type"]) == (
        "Globals",
        "Globals",
        "AWS default",
    )
    assert (override["memory_mb"], override["arch"], override["snapstart"]) == ("template", "Globals", "template")
    result, _ = priced(SAM / "globals_for_function.yaml", read_usage(USAGE))
    # 3M requests x 2 at 200 ms: 1 GB -> 600,000 GB-s, 0.5 GB -> 300,000 GB-s
    duration = (900_000 - 400_000) * 0.0000166667
    requests = (6_000_000 - 1_000_000) * 0.2e-6
    storage = 2 * 0.5 * 0.2 * 3_000_000 * 0.0000000309  # 1024 MB of /tmp: 512 MB billed
    snapstart_cache = 1 * MONTH_S * 0.0000015046  # Python SnapStart on MinimalFunction
    assert result.total_cost == pytest.approx(duration + requests + storage + snapstart_cache, abs=1e-6)
    assert round(result.total_cost, 2) == 13.31


def test_snapstart_parameter_default_and_override():
    path = SAM / "function_with_snapstart.yaml"
    assert configs(path) == {
        "SnapStartFunction": cfg(runtime="python3.9", snap=True),
        "SnapStartParameterFunction": cfg(runtime="python3.9", snap=False),  # Default: None
        "SnapStartFunctionWithAlias": cfg(runtime="python3.9", snap=True),
    }
    origin = {f.name: f for f in read_iac(path)}["SnapStartParameterFunction"].origins["snapstart"]
    assert origin == "template via parameter default SnapStartParam"
    overridden = {f.name: f for f in read_iac(path, parameters={"SnapStartParam": "PublishedVersions"})}
    assert overridden["SnapStartParameterFunction"].snapstart
    assert overridden["SnapStartParameterFunction"].origins["snapstart"] == "template via --parameter SnapStartParam"
    result, rows = priced(path, read_usage(USAGE))
    assert {r["usage"] for r in rows} == {"Snap*"}
    # 1 request/s = 2,628,000 a month each; 0.125 GB x 0.05 s each: 49,275 GB-s, all free
    requests = (3 * MONTH_S - 1_000_000) * 0.2e-6
    cache = 2 * 0.125 * MONTH_S * 0.0000015046
    assert result.total_cost == pytest.approx(requests + cache, abs=1e-6)


def test_provisioned_concurrency_through_if_and_parameters():
    yaml_path, json_path = (
        SAM / "function_with_deployment_preference.yaml",
        SAM / "function_with_deployment_preference.cfn.json",
    )
    want = {"MinimalFunction": cfg(runtime="python2.7", pc=10)}
    assert configs(yaml_path) == want
    assert configs(json_path) == want  # the same, translated: the PC sits on the AWS::Lambda::Alias
    assert configs(yaml_path, parameters={"EnableAliasProvisionedConcurrency": "false"}) == {
        "MinimalFunction": cfg(runtime="python2.7", pc=0)
    }
    assert (
        configs(json_path, parameters={"ProvisionedConcurrency": "2"})["MinimalFunction"]["provisioned_concurrency"]
        == 2
    )
    # no usage: fixed cost only, 10 x 0.125 GB x 2,628,000 s
    result, rows = priced(json_path)
    assert rows == [{"name": "MinimalFunction", "usage": "none", "traffic": False}]
    assert result.total_cost == pytest.approx(10 * 0.125 * MONTH_S * 0.0000041667, abs=1e-6)


def test_unresolvable_values_are_named_and_defaulted():
    functions = {f.name: f for f in read_iac(SAM / "function_with_ephemeral_storage.yaml")}
    assert {n: f.config() for n, f in functions.items()} == {
        "MinimalFunction": cfg(storage=1024, runtime="python2.7"),
        "FunctionWithIntrinsicRef": cfg(runtime="python2.7"),
    }
    assert "EphemeralStorageSizeRef has no default (pass --parameter EphemeralStorageSizeRef=VALUE)" in " ".join(
        functions["FunctionWithIntrinsicRef"].notes
    )
    assert configs(SAM / "function_with_intrinsic_architecture.yaml") == {
        "FunctionWithArchitecturesIntrinsic": cfg(1024, "arm64", runtime="nodejs12.x")
    }


def test_cdk_out_several_stacks():
    functions = read_iac(IAC / "cdk.out")
    assert {f.name: f.config() for f in functions} == {
        "aws-cdk-lambda-1/MyLambdaCCE802FB": cfg(runtime="nodejs18.x"),
        "aws-cdk-lambda-1/MySnapStartLambda8F562E6E": cfg(runtime="java11", snap=True),
        "aws-cdk-lambda-1/MySnapStartLambdaArmEDD3F420": cfg(arch="arm64", runtime="java21", snap=True),
        "aws-lambda-autoscaling/MyLambdaCCE802FB": cfg(runtime="nodejs24.x"),
    }
    assert "Application Auto Scaling (3..50)" in functions[3].notes[0]
    specs, _ = usage_functions(functions, Usage({"default": {"requests_per_month": 1_000_000, "duration_ms": 100}}))
    # 50,000 GB-s in all: free; Java SnapStart has no cache charge; 3M requests billed
    assert bill(specs, as_of=AS_OF).total_cost == pytest.approx(3_000_000 * 0.2e-6, abs=1e-9)


def test_serverless_framework():
    path = IAC / "serverless" / "aws-golang-auth-examples.serverless.yml"
    assert configs(path) == {
        name: cfg(runtime="go1.x") for name in ("authorize", "authorize2", "hello-world", "hello-world2")
    }
    result, rows = priced(path, read_usage(USAGE))
    assert [r["usage"] for r in rows] == ["default", "default", "hello-world*", "hello-world*"]
    uploads = read_iac(IAC / "serverless" / "aws-node-signed-uploads.serverless.yml")
    assert {f.name: f.config() for f in uploads} == {"upsert-objects": cfg(128, runtime="nodejs18.x")}
    puppeteer = read_iac(IAC / "serverless" / "aws-node-puppeteer.serverless.yml")[0]
    assert puppeteer.config() == cfg(1024, runtime="nodejs18.x")  # '1536MB' is no number: the Framework's default
    assert puppeteer.origins["memory_mb"] == "Serverless Framework default" and "1536MB" in puppeteer.notes[0]
    # default: 2 x 3M at 200 ms x 0.125 GB = 150,000 GB-s; hello-world*: 2 x 2M at 300 ms = 150,000 GB-s
    requests = (10_000_000 - 1_000_000) * 0.2e-6
    assert result.total_cost == pytest.approx(requests, abs=1e-9)


def test_serverless_variables(tmp_path):
    path = tmp_path / "serverless.yml"
    path.write_text(
        "service: s\nprovider:\n  name: aws\n  runtime: python3.12\n  memorySize: ${self:custom.memory.${opt:stage, 'dev'}}\n"
        "  architecture: ${opt:arch, 'arm64'}\ncustom:\n  memory:\n    dev: 256\n    prod: 2048\n"
        "functions:\n  api:\n    handler: h\n    provisionedConcurrency: ${ssm:/pc}\n"
    )
    api = read_iac(path)[0]
    assert (api.memory_mb, api.arch, api.provisioned_concurrency) == (256, "arm64", 0)
    assert "${ssm:/pc}" in api.notes[0]
    assert read_iac(path, parameters={"stage": "prod"})[0].memory_mb == 2048


TERRAFORM = IAC / "terraform"


def test_terraform_plan_real_four_functions_matched_by_name():
    # terraform-compliance's test plan (Terraform 1.0.7): four nodejs12.x functions, 128 MB
    path = TERRAFORM / "it_must_not_be_in-pass.plan.json"
    functions = read_iac(path)
    assert {f.name: (f.function_name, f.config()) for f in functions} == {
        f"aws_lambda_function.test_lambda{n}": (f"lambda_function_name_{x}", cfg(128, runtime="nodejs12.x"))
        for n, x in zip("1234", "abcd")
    }
    origins = functions[0].origins
    assert (origins["memory_mb"], origins["package_type"], origins["arch"]) == ("plan", "plan", "provider default")
    # usage by the deployed function name, the rest by default
    usage = Usage(
        {
            "default": {"requests_per_month": 5_000_000, "duration_ms": 120},
            "lambda_function_name_d": {"requests_per_month": 20_000_000, "duration_ms": 850},
        }
    )
    specs, rows = usage_functions(functions, usage)
    assert [r["usage"] for r in rows] == ["default", "default", "default", "lambda_function_name_d"]
    # a, b, c: 5M x 0.12 s x 0.125 GB = 75,000 GB-s each; d: 20M x 0.85 s x 0.125 GB = 2,125,000 GB-s
    gb_s = 3 * 75_000 + 2_125_000
    duration = (gb_s - 400_000) * 0.0000166667  # free tier first: 1,950,000 GB-s billed
    requests = (35_000_000 - 1_000_000) * 0.2e-6
    assert bill(specs, as_of=AS_OF).total_cost == pytest.approx(duration + requests, abs=1e-6)
    assert round(duration + requests, 2) == 39.30


def test_terraform_plan_real_module_address():
    # terraform-compliance's issue-249 plan (Terraform 0.12.24): a function inside a module
    (function,) = read_iac(TERRAFORM / "issue-249.plan.json")
    assert function.name == "module.lambda_TFUpgradeTest.aws_lambda_function.lambda"
    assert function.function_name == "MyAPP_TFUpgradeTest_SB"
    assert function.config() == cfg(256, runtime="python3.7")
    assert function.origins["package_type"] == "provider default"  # absent from a 0.12 plan
    specs, _ = usage_functions([function], read_usage(USAGE))
    # default usage: 3M x 0.2 s x 0.25 GB = 150,000 GB-s
    assert bill(specs, as_of=AS_OF).total_cost == pytest.approx(2_000_000 * 0.2e-6, abs=1e-9)  # GB-s all free
    no_free = 150_000 * 0.0000166667 + 3_000_000 * 0.2e-6
    assert bill(specs, as_of=AS_OF, free_tier=False).total_cost == pytest.approx(no_free, abs=1e-9)  # $3.100005


def test_terraform_plan_modules_and_provisioned_concurrency(tmp_path):
    # constructed in the shape of `terraform show -json`: no public plan with a
    # provisioned concurrency config or a for_each key was found
    import json

    fn = {
        "address": 'module.api.aws_lambda_function.handler["x"]',
        "mode": "managed",
        "type": "aws_lambda_function",
        "values": {
            "function_name": "api-x",
            "memory_size": 1024,
            "architectures": ["arm64"],
            "runtime": "python3.12",
            "ephemeral_storage": [{"size": 512}],
            "package_type": "Zip",
            "snap_start": [],
        },
    }
    pc = {
        "address": "module.api.aws_lambda_provisioned_concurrency_config.live",
        "mode": "managed",
        "type": "aws_lambda_provisioned_concurrency_config",
        "values": {"function_name": "api-x", "provisioned_concurrent_executions": 2, "qualifier": "live"},
    }
    plan = {"format_version": "1.2", "planned_values": {"root_module": {"child_modules": [{"resources": [fn, pc]}]}}}
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan))
    (function,) = read_iac(path)
    assert function.config() == cfg(1024, "arm64", runtime="python3.12", pc=2)
    assert function.origins["provisioned_concurrency"].startswith("plan (module.api.")


def test_not_a_template(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("a: 1\n")
    with pytest.raises(IacError, match="not a CloudFormation/SAM template"):
        read_iac(path)


runner = CliRunner()


def test_cli_iac_prints_configuration_sources_and_bill():
    out = runner.invoke(app, ["iac", str(SAM / "function_with_deployment_preference.yaml"), "--as-of", AS_OF])
    assert out.exit_code == 0, out.output
    assert "parameter default ProvisionedConcurrency" in out.output
    assert "none (no traffic)" in out.output and "$13.69" in out.output
    out = runner.invoke(
        app, ["iac", str(SAM / "function_with_deployment_preference.yaml"), "-p", "ProvisionedConcurrency=2", "--json"]
    )
    assert '"provisioned_concurrency": 2' in out.output


def test_cli_diff_and_budgets():
    before, after = str(SAM / "function_with_deployment_preference.yaml"), str(SAM / "globals_for_function.yaml")
    base = ["diff", before, after, "--usage", str(USAGE), "--as-of", AS_OF]
    out = runner.invoke(app, base)
    assert out.exit_code == 0, out.output
    # before: MinimalFunction 128 MB PC 10 and 3M requests; after: the two functions of globals_for_function
    assert "FunctionWithOverrides" in out.output and "added" in out.output and "$13.31" in out.output
    md = runner.invoke(app, [*base, "--markdown"]).output
    assert md.startswith("**Lambda monthly cost:") and "| **total** |" in md
    assert runner.invoke(app, [*base, "--max-monthly", "20"]).exit_code == 0
    over = runner.invoke(app, [*base, "--max-monthly", "10"])
    assert over.exit_code == 1 and "Budget exceeded: $13.31 a month > --max-monthly $10.00" in over.output
    rising = runner.invoke(
        app, ["diff", after, before, "--usage", str(USAGE), "--as-of", AS_OF, "--max-increase", "1%"]
    )
    assert rising.exit_code == 1 and "--max-increase 1%" in rising.output
    js = runner.invoke(app, [*base, "--json"]).output
    assert '"change_cost"' in js


def test_usage_toml_wildcards_and_default(tmp_path):
    path = tmp_path / "usage.toml"
    path.write_text(
        'region = "eu-west-1"\n[functions.default]\nrequests = 10\nduration_ms = 5\n'
        '[functions."api-*"]\nrequests_per_second = 2\nduration_ms = 120\ncold_start_rate = 0.01\n'
        '[functions."api-admin-*"]\nrequests = 7\nduration_ms = 1\n'
    )
    usage = read_usage(path)
    assert usage.region == "eu-west-1"
    assert usage.lookup("api-orders") == (usage.entries["api-*"], "api-*")
    assert usage.lookup("api-admin-x")[1] == "api-admin-*"  # the longest wildcard wins
    assert usage.lookup("worker")[1] == "default"
    bad = tmp_path / "bad.toml"
    bad.write_text("[functions.x]\nrequestz = 1\n")
    with pytest.raises(IacError, match="unknown key"):
        read_usage(bad)


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        (SAM / "globals_for_function.yaml", "a SAM/CloudFormation template"),
        (IAC / "cdk.out", "a cdk.out folder"),
        (IAC / "terraform" / "issue-249.plan.json", "a Terraform plan"),
        (IAC / "serverless" / "aws-node-puppeteer.serverless.yml", "a Serverless Framework serverless.yml"),
    ],
)
def test_cli_bill_given_infrastructure_code_points_to_iac(path, kind):
    # bill prices fleet files (usage inside); infrastructure code needs a usage file: `iac`
    out = runner.invoke(app, ["bill", str(path)])
    assert out.exit_code == 2 and "Traceback" not in out.output
    assert out.output.strip().splitlines() == [
        f"Error: {path} is {kind}, not a fleet file: price it with `lambdacost iac {path} --usage USAGE.yml`"
    ]


def test_cli_bill_fleet_errors_are_unchanged():
    out = runner.invoke(app, ["bill", str(Path(__file__).parent / "data" / "fleets" / "unknown_key.toml")])
    assert out.exit_code == 2 and "memroy_mb must be one of the known keys" in out.output
