"""Function configurations from infrastructure code, before anything is deployed.

Reads what decides a Lambda bill at deploy time: memory, architecture, ephemeral storage,
runtime, package type, SnapStart and Provisioned Concurrency, from

* AWS SAM and CloudFormation templates, YAML (short intrinsic tags ``!Ref``, ``!Sub``,
  ``!GetAtt``, ``!If``... kept as their long form) or JSON: ``AWS::Serverless::Function``
  with ``Globals``, ``AWS::Lambda::Function``, Provisioned Concurrency on the function
  (``AutoPublishAlias`` + ``ProvisionedConcurrencyConfig``) or on an
  ``AWS::Lambda::Alias`` / ``AWS::Lambda::Version``; ``Parameters`` defaults,
  ``--parameter`` overrides, ``Conditions``, ``Mappings``;
* CDK output: a ``cdk.out`` folder, one ``*.template.json`` per stack;
* Terraform plan JSON (``terraform show -json PLAN``): ``aws_lambda_function``,
  ``aws_lambda_provisioned_concurrency_config``, ``aws_lambda_alias``, in modules too;
* Serverless Framework ``serverless.yml``: ``provider`` defaults, per-function overrides,
  ``provisionedConcurrency``, ``${...}`` variables with defaults where resolvable.

Every value comes with where it came from (:attr:`FunctionConfig.origins`): ``template``,
``Globals``, ``parameter default NAME``, ``--parameter NAME``, ``AWS default`` (128 MB,
x86_64, 512 MB of /tmp, https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html),
``Serverless Framework default`` (1024 MB,
https://www.serverless.com/framework/docs/providers/aws/guide/functions). Values that
cannot be resolved (a ``!GetAtt``, an ``${ssm:...}``) fall back to the default and are
named in :attr:`FunctionConfig.notes`. Readers never price: :func:`usage_functions`
merges a usage file into the function dicts that :func:`lambdacost.bills.bill` takes.
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InvalidParameterError, LambdaCostError

__all__ = [
    "IacError",
    "FunctionConfig",
    "Usage",
    "read_iac",
    "read_usage",
    "usage_functions",
    "infrastructure_kind",
    "load_yaml",
]

AWS_DEFAULTS = {
    "memory_mb": 128,
    "arch": "x86_64",
    "ephemeral_storage_mb": 512,
    "runtime": None,
    "package_type": "Zip",
    "snapstart": False,
    "provisioned_concurrency": 0,
}
SERVERLESS_MEMORY_MB = 1024
FIELDS = tuple(AWS_DEFAULTS)


class IacError(ValueError, LambdaCostError):
    """An infrastructure file that cannot be read as any supported format."""


@dataclass
class FunctionConfig:
    """One function's deploy-time configuration and where each value came from."""

    name: str
    source: str
    kind: str
    memory_mb: int = 128
    arch: str = "x86_64"
    ephemeral_storage_mb: int = 512
    runtime: str | None = None
    package_type: str = "Zip"
    snapstart: bool = False
    provisioned_concurrency: int = 0
    function_name: str | None = None
    origins: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def config(self) -> dict[str, Any]:
        """The configuration as :func:`~lambdacost.estimate` keywords (no traffic)."""
        return {f: getattr(self, f) for f in FIELDS}

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "source": self.source,
            "kind": self.kind,
            "function_name": self.function_name,
            **self.config(),
            "origins": dict(self.origins),
            "notes": list(self.notes),
        }


# ----------------------------------------------------------------------------- YAML with CloudFormation tags

_TAGS = {
    "Ref": "Ref",
    "Condition": "Condition",
    "GetAtt": "Fn::GetAtt",
    "Sub": "Fn::Sub",
    "If": "Fn::If",
    "Join": "Fn::Join",
    "Select": "Fn::Select",
    "Split": "Fn::Split",
    "FindInMap": "Fn::FindInMap",
    "Equals": "Fn::Equals",
    "Not": "Fn::Not",
    "And": "Fn::And",
    "Or": "Fn::Or",
    "Base64": "Fn::Base64",
    "Cidr": "Fn::Cidr",
    "GetAZs": "Fn::GetAZs",
    "ImportValue": "Fn::ImportValue",
    "Transform": "Fn::Transform",
    "ToJsonString": "Fn::ToJsonString",
    "Length": "Fn::Length",
}


def _loader():
    import yaml

    class Loader(yaml.SafeLoader):
        """SafeLoader that keeps CloudFormation's short tags as their long form."""

    def construct(loader, suffix, node):
        key = _TAGS.get(suffix, f"Fn::{suffix}")
        if isinstance(node, yaml.ScalarNode):
            value = loader.construct_scalar(node)
            if key == "Fn::GetAtt" and isinstance(value, str):
                value = value.split(".", 1)
        elif isinstance(node, yaml.SequenceNode):
            value = loader.construct_sequence(node, deep=True)
        else:
            value = loader.construct_mapping(node, deep=True)
        return {key: value}

    def mapping(loader, node, deep=False):
        # CloudFormation refuses a key given twice; PyYAML would keep the last silently
        loader.flatten_mapping(node)
        seen = {}
        for key_node, _ in node.value:
            key = loader.construct_object(key_node, deep=True)
            try:
                first = seen.setdefault(key, key_node.start_mark.line + 1)
            except TypeError:  # an unhashable key: let PyYAML refuse it
                continue
            if first != key_node.start_mark.line + 1:
                raise _DuplicateKey(f"key {key!r} given twice (lines {first} and {key_node.start_mark.line + 1})")
        return loader.construct_mapping(node, deep=deep)

    Loader.add_multi_constructor("!", construct)
    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    return Loader


class _DuplicateKey(ValueError):
    """A mapping key given twice in a YAML or JSON document."""


def _unique(pairs):
    """A json ``object_pairs_hook``: a key given twice is refused, not silently overwritten."""
    out = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(f"key {key!r} given twice in one object")
        out[key] = value
    return out


def _one_line(error: BaseException) -> str:
    """An error's message on one line (PyYAML's span several, with a caret drawing)."""
    problem = getattr(error, "problem", None)
    mark = getattr(error, "problem_mark", None)
    if problem and mark is not None:
        return f"{problem} at line {mark.line + 1}, column {mark.column + 1}"
    return " ".join(str(error).split()) or type(error).__name__


def load_yaml(text: str):
    """YAML with CloudFormation's short intrinsic tags (``!Ref X`` becomes ``{"Ref": "X"}``).

    Examples
    --------
    >>> load_yaml("A: !Ref P\\nB: !GetAtt R.Arn\\nC: !If [c, 1, 2]")
    {'A': {'Ref': 'P'}, 'B': {'Fn::GetAtt': ['R', 'Arn']}, 'C': {'Fn::If': ['c', 1, 2]}}
    """
    import yaml

    return yaml.load(text, Loader=_loader())


# ----------------------------------------------------------------------------- intrinsic functions


class _Unresolved(Exception):
    """A value that needs deploy-time information (an attribute, an import, ...)."""


_NO_VALUE = object()


class _Template:
    """Resolves CloudFormation intrinsic functions against parameters, conditions, mappings."""

    def __init__(self, document: dict, overrides: dict[str, str], region: str):
        self.document = document
        self.overrides = overrides
        self.region = region
        self.parameters = document.get("Parameters") or {}
        self.conditions = document.get("Conditions") or {}
        self.mappings = document.get("Mappings") or {}
        self.used: list[str] = []  # parameters a resolution went through, with their origin

    def parameter(self, name: str):
        if name in self.overrides:
            self.used.append(f"--parameter {name}")
            return self.overrides[name]
        spec = self.parameters.get(name)
        if isinstance(spec, dict) and "Default" in spec:
            self.used.append(f"parameter default {name}")
            return spec["Default"]
        if isinstance(spec, dict):
            raise _Unresolved(f"parameter {name} has no default (pass --parameter {name}=VALUE)")
        raise _Unresolved(f"!Ref {name}")

    def resolve(self, value):
        if isinstance(value, list):
            out = [self.resolve(v) for v in value]
            return [v for v in out if v is not _NO_VALUE]
        if not isinstance(value, dict):
            return value
        if len(value) != 1:
            return {k: v for k, v in ((k, self.resolve(v)) for k, v in value.items()) if v is not _NO_VALUE}
        ((key, arg),) = value.items()
        if key == "Ref":
            if arg == "AWS::NoValue":
                return _NO_VALUE
            if arg == "AWS::Region":
                return self.region
            if arg in self.parameters or arg in self.overrides:
                return self.parameter(arg)
            raise _Unresolved(f"!Ref {arg}")
        if key == "Fn::If":
            condition, then, otherwise = arg
            return self.resolve(then if self.condition(condition) else otherwise)
        if key == "Fn::Sub":
            text, extra = (arg, {}) if isinstance(arg, str) else (arg[0], arg[1])
            return re.sub(r"\$\{([^}!]+)\}", lambda m: str(self._sub(m.group(1), extra)), text)
        if key == "Fn::Join":
            sep, items = arg
            return sep.join(str(v) for v in self.resolve(items))
        if key == "Fn::Select":
            index, items = self.resolve(arg[0]), self.resolve(arg[1])
            return items[int(index)]
        if key == "Fn::Split":
            return str(self.resolve(arg[1])).split(arg[0])
        if key == "Fn::FindInMap":
            name, top, second = (self.resolve(a) for a in arg[:3])
            try:
                return self.mappings[name][top][second]
            except (KeyError, TypeError) as error:
                raise _Unresolved(f"!FindInMap {arg}") from error
        if key.startswith("Fn::") or key == "Condition":
            raise _Unresolved(f"{key} {json.dumps(arg, default=str)[:80]}")
        resolved = self.resolve(arg)
        return _NO_VALUE if resolved is _NO_VALUE else {key: resolved}

    def _sub(self, name: str, extra: dict):
        if name in extra:
            return self.resolve(extra[name])
        if name == "AWS::Region":
            return self.region
        if name in self.parameters or name in self.overrides:
            return self.parameter(name)
        raise _Unresolved(f"${{{name}}} in !Sub")

    def condition(self, value) -> bool:
        if isinstance(value, str):
            if value not in self.conditions:
                raise _Unresolved(f"condition {value}")
            return self.condition(self.conditions[value])
        if isinstance(value, dict) and len(value) == 1:
            ((key, arg),) = value.items()
            if key == "Condition":
                return self.condition(arg)
            if key == "Fn::Equals":
                left, right = (self.resolve(a) for a in arg)
                return str(left).lower() == str(right).lower() if isinstance(left, (str, bool)) else left == right
            if key == "Fn::Not":
                return not self.condition(arg[0])
            if key == "Fn::And":
                return all(self.condition(a) for a in arg)
            if key == "Fn::Or":
                return any(self.condition(a) for a in arg)
        if isinstance(value, bool):
            return value
        raise _Unresolved(f"condition {value!r}")


# ----------------------------------------------------------------------------- CloudFormation / SAM


def _set(config: FunctionConfig, name: str, value, origin: str) -> None:
    setattr(config, name, value)
    config.origins[name] = origin


def _take(template: _Template, config: FunctionConfig, props: dict, key: str, origin: str):
    """The resolved value of ``props[key]`` and its origin; None when absent or unresolvable."""
    if key not in props:
        return None, None
    template.used = []
    try:
        value = template.resolve(props[key])
    except _Unresolved as error:
        config.notes.append(f"{key}: cannot resolve {error}; AWS default used")
        return None, None
    except (TypeError, ValueError, IndexError, KeyError, AttributeError) as error:
        config.notes.append(f"{key}: cannot resolve ({_one_line(error)[:120]}); AWS default used")
        return None, None
    except RecursionError:
        config.notes.append(
            f"{key}: cannot resolve (its conditions or references refer to each other); AWS default used"
        )
        return None, None
    if value is _NO_VALUE:
        return None, None
    where = origin if not template.used else f"{origin} via {', '.join(dict.fromkeys(template.used))}"
    return value, where


def _integer(config: FunctionConfig, key: str, value) -> int | None:
    """``value`` as a whole number, or None with a note (text such as '1536MB', true, 1e400)."""
    number = _whole(value)
    if number is None:
        config.notes.append(f"{key}: {str(value)[:80]!r} is not a whole number; AWS default used")
    return number


def _whole(value) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    if number != number or number in (float("inf"), float("-inf")) or number != int(number):
        return None
    return int(number)


def _apply(template: _Template, config: FunctionConfig, props: dict, origin: str, sam: bool) -> None:
    """Set the fields ``props`` holds (a function's or SAM's Globals.Function)."""
    if not isinstance(props, dict):
        config.notes.append(f"{origin} properties are {type(props).__name__}, not a mapping; AWS defaults used")
        return
    value, where = _take(template, config, props, "MemorySize", origin)
    if value is not None and (number := _integer(config, "MemorySize", value)) is not None:
        _set(config, "memory_mb", number, where)
    value, where = _take(template, config, props, "Architectures", origin)
    if value is not None:
        arch = value[0] if isinstance(value, list) and value else value
        if arch in ("x86_64", "arm64"):
            _set(config, "arch", arch, where)
        else:
            config.notes.append(f"Architectures: {value!r} is not x86_64 or arm64; AWS default used")
    value, where = _take(template, config, props, "EphemeralStorage", origin)
    size = _integer(config, "EphemeralStorage", value["Size"]) if isinstance(value, dict) and "Size" in value else None
    if size is not None:
        _set(config, "ephemeral_storage_mb", size, where)
    value, where = _take(template, config, props, "Runtime", origin)
    if value is not None:
        _set(config, "runtime", str(value), where)
    value, where = _take(template, config, props, "PackageType", origin)
    if value is not None:
        _set(config, "package_type", str(value), where)
    elif "ImageUri" in props or (isinstance(props.get("Code"), dict) and "ImageUri" in props["Code"]):
        _set(config, "package_type", "Image", origin)
    value, where = _take(template, config, props, "SnapStart", origin)
    if isinstance(value, dict) and isinstance(value.get("ApplyOn"), str):
        _set(config, "snapstart", value["ApplyOn"] == "PublishedVersions", where)
    if sam:
        value, where = _take(template, config, props, "ProvisionedConcurrencyConfig", origin)
        if isinstance(value, dict) and "ProvisionedConcurrentExecutions" in value:
            number = _integer(config, "ProvisionedConcurrentExecutions", value["ProvisionedConcurrentExecutions"])
            if number is not None:
                _set(config, "provisioned_concurrency", number, where)


def _defaults(config: FunctionConfig, default_origin: str = "AWS default") -> None:
    for name in FIELDS:
        config.origins.setdefault(name, default_origin)


def read_template(document: dict, source: str, overrides: dict[str, str], region: str, prefix: str = ""):
    """The functions of one CloudFormation or SAM template (already loaded)."""
    if not isinstance(document, dict) or not isinstance(document.get("Resources"), dict):
        raise IacError(f"{source}: not a CloudFormation template (no Resources)")
    for section in ("Parameters", "Conditions", "Mappings", "Globals"):
        if document.get(section) is not None and not isinstance(document[section], dict):
            raise IacError(f"{source}: '{section}' must be a mapping, got {type(document[section]).__name__}")
    template = _Template(document, overrides, region)
    globals_ = (document.get("Globals") or {}).get("Function") or {}
    if not isinstance(globals_, dict):
        raise IacError(f"{source}: 'Globals.Function' must be a mapping, got {type(globals_).__name__}")
    resources = document["Resources"]
    functions: dict[str, FunctionConfig] = {}
    for logical, resource in resources.items():
        if not isinstance(resource, dict):
            continue
        kind = resource.get("Type")
        if kind not in ("AWS::Serverless::Function", "AWS::Lambda::Function"):
            continue
        props = resource.get("Properties") or {}
        config = FunctionConfig(name=prefix + str(logical), source=source, kind=kind)
        sam = kind == "AWS::Serverless::Function"
        if sam and globals_:
            _apply(template, config, globals_, "Globals", sam=True)
        _apply(template, config, props, "template", sam=sam)
        if not isinstance(props, dict):
            props = {}  # noted by _apply
        if sam and config.provisioned_concurrency:
            alias = props.get("AutoPublishAlias", globals_.get("AutoPublishAlias"))
            if not alias:
                config.notes.append("ProvisionedConcurrencyConfig without AutoPublishAlias: SAM rejects it")
        name = props.get("FunctionName")
        if isinstance(name, str):
            config.function_name = name
        _defaults(config)
        functions[logical] = config
    _autoscaled(resources, functions)
    # Provisioned Concurrency on aliases and versions of the functions
    for logical, resource in resources.items():
        if not isinstance(resource, dict) or resource.get("Type") not in ("AWS::Lambda::Alias", "AWS::Lambda::Version"):
            continue
        props = resource.get("Properties") or {}
        if not isinstance(props, dict):
            continue
        target = props.get("FunctionName")
        target = target.get("Ref") if isinstance(target, dict) else target
        if not isinstance(target, str) or target not in functions or "ProvisionedConcurrencyConfig" not in props:
            continue
        config = functions[target]
        value, where = _take(template, config, props, "ProvisionedConcurrencyConfig", f"template ({logical})")
        if isinstance(value, dict) and "ProvisionedConcurrentExecutions" in value:
            number = _integer(config, "ProvisionedConcurrentExecutions", value["ProvisionedConcurrentExecutions"])
            if number:
                previous = (
                    config.provisioned_concurrency if config.origins["provisioned_concurrency"] != "AWS default" else 0
                )
                _set(config, "provisioned_concurrency", previous + number, where)
    return list(functions.values())


def _autoscaled(resources: dict, functions: dict[str, FunctionConfig]) -> None:
    """Note Provisioned Concurrency left to Application Auto Scaling: its level is not in the template."""

    def properties(resource) -> dict:
        props = resource.get("Properties") if isinstance(resource, dict) else None
        return props if isinstance(props, dict) else {}

    aliases = {
        logical: properties(r)["FunctionName"].get("Ref")
        for logical, r in resources.items()
        if isinstance(r, dict)
        and r.get("Type") == "AWS::Lambda::Alias"
        and isinstance(properties(r).get("FunctionName"), dict)
    }
    for resource in resources.values():
        if not isinstance(resource, dict) or resource.get("Type") != "AWS::ApplicationAutoScaling::ScalableTarget":
            continue
        props = properties(resource)
        if props.get("ScalableDimension") != "lambda:function:ProvisionedConcurrency":
            continue
        text = json.dumps(props.get("ResourceId"), default=str)
        for alias, target in aliases.items():
            if f'"Ref": "{alias}"' in text and target in functions:
                functions[target].notes.append(
                    f"Provisioned Concurrency scaled by Application Auto Scaling ({props.get('MinCapacity')}.."
                    f"{props.get('MaxCapacity')}) on alias {alias}: not priced; set it in the usage file"
                )


# ----------------------------------------------------------------------------- Terraform plan JSON

_TF_TYPES = ("aws_lambda_function", "aws_lambda_provisioned_concurrency_config", "aws_lambda_alias")


def _mapping(value) -> dict:
    return value if isinstance(value, dict) else {}


def _sequence(value) -> list:
    return value if isinstance(value, list) else []


def _tf_resources(module, out: list) -> None:
    module = _mapping(module)
    for resource in _sequence(module.get("resources")):
        if (
            isinstance(resource, dict)
            and resource.get("type") in _TF_TYPES
            and resource.get("mode", "managed") == "managed"
            and isinstance(resource.get("address"), str)
        ):
            out.append(resource)
    for child in _sequence(module.get("child_modules")):
        _tf_resources(child, out)


def _tf_config_refs(module, prefix: str, out: dict) -> None:
    """``address -> references of function_name`` from the plan's configuration section."""
    module = _mapping(module)
    for resource in _sequence(module.get("resources")):
        resource = _mapping(resource)
        refs = _sequence(_mapping(_mapping(resource.get("expressions")).get("function_name")).get("references"))
        out[prefix + str(resource.get("address", ""))] = [prefix + r for r in refs if isinstance(r, str)]
    for name, call in _mapping(module.get("module_calls")).items():
        _tf_config_refs(_mapping(call).get("module"), f"{prefix}module.{name}.", out)


def _strip_index(address: str) -> str:
    return re.sub(r"\[[^\]]*\]", "", address)


def _tf_whole(config: FunctionConfig, key: str, value, field: str) -> None:
    number = _whole(value)
    if number is None:
        config.notes.append(f"{key}: {str(value)[:80]!r} is not a whole number; provider default used")
    else:
        _set(config, field, number, "plan")


def read_terraform_plan(document: dict, source: str) -> list[FunctionConfig]:
    """Functions of a ``terraform show -json`` plan (``planned_values``)."""
    resources: list[dict] = []
    _tf_resources(_mapping(document.get("planned_values")).get("root_module"), resources)
    refs: dict[str, list[str]] = {}
    _tf_config_refs(_mapping(document.get("configuration")).get("root_module"), "", refs)
    functions: dict[str, FunctionConfig] = {}
    by_name: dict[str, FunctionConfig] = {}
    for resource in resources:
        if resource["type"] != "aws_lambda_function":
            continue
        values = _mapping(resource.get("values"))
        config = FunctionConfig(name=resource["address"], source=source, kind="aws_lambda_function")
        if values.get("memory_size") is not None:
            _tf_whole(config, "memory_size", values["memory_size"], "memory_mb")
        arch = (_sequence(values.get("architectures")) or [None])[0]
        if arch in ("x86_64", "arm64"):
            _set(config, "arch", arch, "plan")
        elif arch is not None:
            config.notes.append(f"architectures: {str(arch)[:40]!r} is not x86_64 or arm64; provider default used")
        storage = _mapping((_sequence(values.get("ephemeral_storage")) or [None])[0])
        if storage.get("size") is not None:
            _tf_whole(config, "ephemeral_storage.size", storage["size"], "ephemeral_storage_mb")
        if isinstance(values.get("runtime"), str) and values["runtime"]:
            _set(config, "runtime", values["runtime"], "plan")
        if isinstance(values.get("package_type"), str) and values["package_type"]:
            _set(config, "package_type", values["package_type"], "plan")
        snap = _mapping((_sequence(values.get("snap_start")) or [None])[0])
        if snap:
            _set(config, "snapstart", snap.get("apply_on") == "PublishedVersions", "plan")
        if isinstance(values.get("function_name"), str):
            config.function_name = values["function_name"]
            by_name[values["function_name"]] = config
        _defaults(config, "provider default")
        functions[resource["address"]] = config
    for resource in resources:
        if resource["type"] != "aws_lambda_provisioned_concurrency_config":
            continue
        values = _mapping(resource.get("values"))
        target = by_name.get(values.get("function_name")) if isinstance(values.get("function_name"), str) else None
        if target is None:  # the name is known only after apply: follow the configuration's reference
            for ref in refs.get(_strip_index(resource["address"]), []):
                for address, config in functions.items():
                    if _strip_index(address) == ref or ref.startswith(_strip_index(address) + "."):
                        target = config
                        break
                if target:
                    break
        count = values.get("provisioned_concurrent_executions")
        if target is None or count is None:
            continue
        number = _whole(count)
        if number is None:
            target.notes.append(
                f"{resource['address']}: provisioned_concurrent_executions {str(count)[:40]!r} is not a whole number; not priced"
            )
            continue
        previous = target.provisioned_concurrency if target.origins["provisioned_concurrency"].startswith("plan") else 0
        _set(target, "provisioned_concurrency", previous + number, f"plan ({resource['address']})")
    return list(functions.values())


# ----------------------------------------------------------------------------- Serverless Framework

_VARIABLE = re.compile(r"\$\{([^{}]+)\}")


class _Serverless:
    def __init__(self, document: dict, overrides: dict[str, str]):
        self.document = document
        self.overrides = overrides
        self.unresolved: list[str] = []

    def lookup(self, path: str):
        node: Any = self.document
        for part in path.split("."):
            if not isinstance(node, dict) or part not in node:
                raise KeyError(path)
            node = node[part]
        return self.resolve(node)

    def _one(self, expression: str):
        """One ``${...}`` body: sources separated by commas, the first that resolves wins."""
        for option in _split_commas(expression):
            option = option.strip()
            if (option.startswith("'") and option.endswith("'")) or (option.startswith('"') and option.endswith('"')):
                return option[1:-1]
            if re.fullmatch(r"-?\d+(\.\d+)?", option):
                return float(option) if "." in option else int(option)
            if option.startswith("self:"):
                try:
                    return self.lookup(option[5:])
                except KeyError:
                    continue
            if option.startswith("opt:") and option[4:] in self.overrides:
                return self.overrides[option[4:]]
            if option.startswith(("env:", "param:")) and option.split(":", 1)[1] in self.overrides:
                return self.overrides[option.split(":", 1)[1]]
        raise _Unresolved("${" + expression + "}")

    def resolve(self, value):
        if isinstance(value, dict):
            return {k: self.resolve(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.resolve(v) for v in value]
        if not isinstance(value, str) or "${" not in value:
            return value
        text = value.strip()
        while True:  # innermost variables first: ${self:custom.memory.${opt:stage, 'dev'}}
            match = _VARIABLE.search(text)
            if match is None:
                return text
            if match.span() == (0, len(text)):
                return self._one(match.group(1))
            text = text[: match.start()] + str(self._one(match.group(1))) + text[match.end() :]


def _split_commas(text: str) -> list[str]:
    parts, depth, quote, current = [], 0, None, ""
    for char in text:
        if quote:
            quote = None if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(current)
            current = ""
            continue
        current += char
    parts.append(current)
    return parts


def _whole_or_fail(value) -> int:
    number = _whole(value)
    if number is None:
        raise ValueError(value)
    return number


def _arch(value) -> str:
    if value not in ("x86_64", "arm64"):
        raise ValueError(value)
    return value


def _text(value) -> str:
    if not isinstance(value, str):
        raise TypeError(value)
    return value


def _flag(value) -> bool:
    """A YAML boolean, or 'true'/'false' as a resolved variable gives it."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise ValueError(value)


def read_serverless(document: dict, source: str, overrides: dict[str, str]) -> list[FunctionConfig]:
    """Functions of a Serverless Framework ``serverless.yml``."""
    resolver = _Serverless(document, overrides)
    provider = document.get("provider") or {}
    functions = document.get("functions") or {}
    for section, value in (("provider", provider), ("functions", functions)):
        if not isinstance(value, dict):
            raise IacError(f"{source}: '{section}' must be a mapping, got {type(value).__name__}")
    out = []
    for name, spec in functions.items():
        spec = spec or {}
        if not isinstance(spec, dict):
            raise IacError(f"{source}: function {name!r} must be a mapping, got {type(spec).__name__}")
        config = FunctionConfig(name=str(name), source=source, kind="serverless")
        _set(config, "memory_mb", SERVERLESS_MEMORY_MB, "Serverless Framework default")
        for key, target, convert in (
            ("memorySize", "memory_mb", _whole_or_fail),
            ("architecture", "arch", _arch),
            ("runtime", "runtime", _text),
            ("ephemeralStorageSize", "ephemeral_storage_mb", _whole_or_fail),
            ("provisionedConcurrency", "provisioned_concurrency", _whole_or_fail),
            ("snapStart", "snapstart", _flag),
        ):
            for scope, holder in (("provider", provider), ("function", spec)):
                if key not in holder or (key in ("provisionedConcurrency", "snapStart") and scope == "provider"):
                    continue
                origin = "serverless.yml provider" if scope == "provider" else "serverless.yml function"
                try:
                    value = resolver.resolve(holder[key])
                    if isinstance(holder[key], str) and "${" in holder[key]:
                        origin += f" ({holder[key]})"
                    _set(config, target, convert(value), origin)
                except _Unresolved as error:
                    config.notes.append(
                        f"{scope} {key}: cannot resolve {error}; {config.origins.get(target, 'AWS default')} used"
                    )
                except (TypeError, ValueError):
                    config.notes.append(f"{scope} {key}: {str(holder[key])[:80]!r} is not valid; default used")
                except RecursionError:
                    config.notes.append(f"{scope} {key}: its variables refer to each other; default used")
        if spec.get("image"):
            _set(config, "package_type", "Image", "serverless.yml function")
        if isinstance(spec.get("name"), str) and "${" not in spec["name"]:
            config.function_name = spec["name"]
        _defaults(config)
        out.append(config)
    return out


# ----------------------------------------------------------------------------- entry point


def _read_text(path: Path) -> str:
    """A file's text, or one line saying why it cannot be read."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise IacError(f"{path}: cannot be read ({error.strerror or error})") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise IacError(f"{path}: not UTF-8 text (byte {error.start}: {raw[error.start : error.start + 1]!r})") from None


def _parse_text(text: str, source: str):
    stripped = text.lstrip("\ufeff").lstrip()
    if stripped.startswith("{"):
        try:
            return json.loads(stripped, object_pairs_hook=_unique)
        except RecursionError:
            raise IacError(f"{source}: not valid JSON (nested too deeply to read)") from None
        except ValueError as error:
            raise IacError(f"{source}: not valid JSON ({_one_line(error)})") from None
    try:
        return load_yaml(text)
    except RecursionError:
        raise IacError(f"{source}: not valid YAML (nested too deeply to read)") from None
    except Exception as error:  # yaml.YAMLError and friends
        raise IacError(f"{source}: not valid YAML ({_one_line(error)})") from None


def read_iac(
    path: str | os.PathLike, *, parameters: dict[str, str] | None = None, region: str = "us-east-1"
) -> list[FunctionConfig]:
    """Function configurations from a template, plan, ``serverless.yml`` or ``cdk.out`` folder.

    The format is judged by content: ``Resources`` (CloudFormation / SAM / CDK),
    ``planned_values`` or ``resource_changes`` (Terraform plan JSON), ``service`` with
    ``provider`` (Serverless Framework). A folder is read as CDK output: each
    ``*.template.json`` is a stack and its functions are named ``Stack/LogicalId``.

    Parameters
    ----------
    path : path
        A file or a ``cdk.out`` folder.
    parameters : dict, optional
        ``--parameter`` overrides: CloudFormation parameters, or ``opt:``/``env:``/``param:``
        variables of a ``serverless.yml``.
    region : str
        For ``AWS::Region``.

    Returns
    -------
    list of FunctionConfig

    Raises
    ------
    IacError
        The file is none of the supported formats, or has no functions.
    """
    overrides = {k: v for k, v in (parameters or {}).items()}
    path = Path(path)
    if path.is_dir():
        templates = sorted(path.glob("*.template.json"))
        if not templates:
            raise IacError(f"{path}: a folder, but no *.template.json in it (is it a cdk.out?)")
        out = []
        for template in templates:
            document = _parse_text(_read_text(template), str(template))
            stack = template.name[: -len(".template.json")]
            out += read_template(document, str(template), overrides, region, prefix=f"{stack}/")
        return _nonempty(out, path)
    if not path.is_file():
        raise InvalidParameterError("template", "an existing file or cdk.out folder", str(path))
    document = _parse_text(_read_text(path), str(path))
    if not isinstance(document, dict):
        raise IacError(f"{path}: not a template, plan or serverless.yml")
    if "planned_values" in document or "resource_changes" in document:
        return _nonempty(read_terraform_plan(document, str(path)), path)
    if "Resources" in document:
        return _nonempty(read_template(document, str(path), overrides, region), path)
    if "service" in document and ("provider" in document or "functions" in document):
        return _nonempty(read_serverless(document, str(path), overrides), path)
    raise IacError(f"{path}: not a CloudFormation/SAM template, CDK output, Terraform plan JSON or serverless.yml")


_KINDS = {
    "AWS::Serverless::Function": "a SAM/CloudFormation template",
    "AWS::Lambda::Function": "a SAM/CloudFormation template",
    "aws_lambda_function": "a Terraform plan",
    "serverless": "a Serverless Framework serverless.yml",
}


def infrastructure_kind(path: str | os.PathLike) -> str | None:
    """What infrastructure code ``path`` is (``"a Terraform plan"``, ...), None if none this module reads.

    Examples
    --------
    >>> infrastructure_kind("tests/data/iac/terraform/issue-249.plan.json")
    'a Terraform plan'
    >>> infrastructure_kind("tests/data/fleets/basic.toml") is None
    True
    """
    try:
        functions = read_iac(path)
    except LambdaCostError:
        return None
    return "a cdk.out folder" if Path(path).is_dir() else _KINDS.get(functions[0].kind)


def _nonempty(functions: list[FunctionConfig], path) -> list[FunctionConfig]:
    if not functions:
        raise IacError(f"{path}: no Lambda functions found")
    return functions


# ----------------------------------------------------------------------------- usage files

_USAGE_KEYS = {
    "requests",
    "requests_per_month",
    "requests_per_second",
    "requests_per",
    "duration_ms",
    "cold_start_rate",
    "init_duration_ms",
    "provisioned_hours",
    "provisioned_utilization",
    "restore_duration_ms",
    "response_mb",
}


@dataclass
class Usage:
    """Traffic per function from a usage file: exact names, wildcards, ``default``."""

    entries: dict[str, dict]
    region: str = "us-east-1"
    source: str = "<usage>"

    def lookup(self, *names: str | None) -> tuple[dict | None, str | None]:
        """The entry for a function (exact name, then the longest matching wildcard, then ``default``)."""
        for name in names:
            if name and name in self.entries and name != "default":
                return self.entries[name], name
        best = None
        for pattern in self.entries:
            if pattern == "default" or not any(c in pattern for c in "*?["):
                continue
            matches = any(n and fnmatch.fnmatchcase(n, pattern) for n in names)
            if matches and (best is None or len(pattern) > len(best)):
                best = pattern
        if best is not None:
            return self.entries[best], best
        if "default" in self.entries:
            return self.entries["default"], "default"
        return None, None


def read_usage(path: str | os.PathLike) -> Usage:
    """A usage file (YAML or TOML)::

        region: us-east-1            # optional
        functions:
          default: {requests_per_month: 1000000, duration_ms: 100}
          "api-*": {requests_per_second: 5, duration_ms: 120, cold_start_rate: 0.01}
          Worker:  {requests: 20000, duration_ms: 900}

    ``requests`` is per month unless ``requests_per`` says otherwise; ``requests_per_second``
    and ``requests_per_month`` are shorthands. A name is matched exactly, then against
    wildcards (the longest wins), then ``default``.
    """
    path = Path(path)
    if not path.is_file():
        raise InvalidParameterError("--usage", "an existing YAML or TOML file", str(path))
    text = _read_text(path)
    if path.suffix.lower() == ".toml":
        import tomllib

        try:
            document = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise IacError(f"{path}: not valid TOML ({_one_line(error)})") from None
    else:
        document = _parse_text(text, str(path))
    if not isinstance(document, dict) or not isinstance(document.get("functions"), dict):
        raise IacError(f"{path}: a usage file needs a 'functions' table (name -> usage)")
    for name, entry in document["functions"].items():
        if not isinstance(name, str):
            raise IacError(f"{path}: a function name in 'functions' must be text, got {name!r}")
        if not isinstance(entry, dict):
            raise IacError(f"{path}: usage of {name!r} must be a table")
        unknown = set(map(str, entry)) - _USAGE_KEYS
        if unknown:
            raise IacError(
                f"{path}: usage of {name!r} has unknown key(s) {sorted(unknown)}; known: {sorted(_USAGE_KEYS)}"
            )
    region = document.get("region", "us-east-1")
    if not isinstance(region, str):
        raise IacError(f"{path}: 'region' must be a region code such as us-east-1, got {region!r}")
    return Usage(dict(document["functions"]), region, str(path))


def usage_functions(functions: list[FunctionConfig], usage: Usage | None) -> tuple[list[dict], list[dict]]:
    """Function dicts for :func:`lambdacost.bills.bill`, and a row per function saying how.

    A function without usage is billed with no requests (its fixed costs: Provisioned
    Concurrency) and marked ``traffic: none``.
    """
    specs, rows = [], []
    for config in functions:
        entry, matched = usage.lookup(config.name, config.function_name) if usage else (None, None)
        spec: dict[str, Any] = {"name": config.name, **config.config()}
        spec["region"] = usage.region if usage else "us-east-1"
        if spec["runtime"] is None:
            del spec["runtime"]
        entry = dict(entry or {})
        if "requests_per_second" in entry:
            spec["requests"], spec["requests_per"] = entry.pop("requests_per_second"), "second"
        elif "requests_per_month" in entry:
            spec["requests"] = entry.pop("requests_per_month")
        spec.update(entry)
        spec.setdefault("requests", 0)
        spec.setdefault("duration_ms", 0 if not spec["requests"] else 100)
        if entry and "duration_ms" not in entry and spec["requests"]:
            raise IacError(f"usage of {config.name} ({matched}): duration_ms is needed with requests")
        specs.append(spec)
        rows.append({"name": config.name, "usage": matched or "none", "traffic": bool(spec["requests"])})
    return specs, rows
