"""The optional meters' options, declared once for ``estimate`` and ``sweep``.

Each option is an ``Annotated`` alias (the flag and its help); a command declares a parameter
of that type, with the default given here, and passes the parsed values to
:func:`meter_keywords`, which returns the keywords of :func:`lambdacost.estimate` and
:func:`lambdacost.sweeps.sweep`. The numeric options are read as text: one value for
``estimate``, a list or range (``0,2`` or ``0:10:2``) for ``sweep``, with the parsers of
:mod:`lambdacost.units`.
"""

from __future__ import annotations

from typing import Annotated

import typer

from ..units import parse_count, parse_duration_ms, parse_number
from .common import parse_axis

#: Library keyword -> the flag that sets it (for bad-input messages; see ``user_errors``).
METER_OPTIONS = {
    "provisioned_concurrency": "--provisioned",
    "provisioned_hours": "--provisioned-hours",
    "provisioned_utilization": "--utilization",
    "cold_start_rate": "--cold-start-rate",
    "init_duration_ms": "--init-ms",
    "package_type": "--package-type",
    "runtime": "--runtime",
    "snapstart": "--snapstart",
    "restore_duration_ms": "--restore-ms",
    "edge": "--edge",
    "response_mb": "--response-mb",
    "async_payload_kb": "--async-kb",
}

#: The numeric meters: library keyword -> the parser of one value, ``parse(text, keyword)``.
NUMERIC_METERS = {
    "provisioned_concurrency": parse_count,
    "provisioned_hours": parse_number,
    "provisioned_utilization": parse_number,
    "cold_start_rate": parse_number,
    "init_duration_ms": parse_duration_ms,
    "restore_duration_ms": parse_duration_ms,
    "response_mb": parse_number,
    "async_payload_kb": parse_number,
}

Provisioned = Annotated[str, typer.Option("--provisioned", help="Provisioned Concurrency: configured environments.")]
ProvisionedHours = Annotated[
    str | None,
    typer.Option("--provisioned-hours", help="Hours Provisioned Concurrency is enabled this month (default 730)."),
]
Utilization = Annotated[
    str | None,
    typer.Option("--utilization", help="Busy share of the provisioned environments, 0..1 (default: even traffic)."),
]
ColdStartRate = Annotated[
    str, typer.Option("--cold-start-rate", help="Share of on-demand invocations that start cold, 0..1.")
]
InitMs = Annotated[
    str, typer.Option("--init-ms", help="INIT duration of a cold start (ms), billed per the --as-of rules.")
]
PackageType = Annotated[str, typer.Option("--package-type", help="Zip or Image (container image).")]
Runtime = Annotated[str | None, typer.Option("--runtime", help="Runtime id, e.g. python3.12, provided.al2023, java21.")]
Snapstart = Annotated[
    bool, typer.Option("--snapstart", help="SnapStart on: cold starts are restores (cache and restore charged).")
]
RestoreMs = Annotated[str, typer.Option("--restore-ms", help="SnapStart Billed Restore Duration of one restore (ms).")]
Edge = Annotated[bool, typer.Option("--edge", help="Price as Lambda@Edge (us-east-1, x86_64).")]
ResponseMb = Annotated[
    str, typer.Option("--response-mb", help="Streamed response size per request (MB); beyond 6 MB is charged.")
]
AsyncKb = Annotated[
    str, typer.Option("--async-kb", help="Async event size (KB); above 256 KB each 64 KB is one more request.")
]


def meter_keywords(
    *,
    provisioned: str,
    provisioned_hours: str | None,
    utilization: str | None,
    cold_start_rate: str,
    init_ms: str,
    package_type: str,
    runtime: str | None,
    snapstart: bool,
    restore_ms: str,
    edge: bool,
    response_mb: str,
    async_kb: str,
    axes: bool = False,
) -> dict:
    """The library keywords for the meter options as typed.

    With ``axes``, each numeric option is a list or range (see ``parse_axis``): several values
    are returned as a list (an axis of the sweep), one value as a number.

    Examples
    --------
    >>> kw = meter_keywords(provisioned="0,2", provisioned_hours=None, utilization=None,
    ...     cold_start_rate="0.01", init_ms="0.4s", package_type="Zip", runtime=None, snapstart=False,
    ...     restore_ms="0", edge=False, response_mb="0", async_kb="0", axes=True)
    >>> kw["provisioned_concurrency"], kw["cold_start_rate"], kw["init_duration_ms"]
    ([0.0, 2.0], 0.01, 400.0)
    """
    texts = {
        "provisioned_concurrency": provisioned,
        "provisioned_hours": provisioned_hours,
        "provisioned_utilization": utilization,
        "cold_start_rate": cold_start_rate,
        "init_duration_ms": init_ms,
        "restore_duration_ms": restore_ms,
        "response_mb": response_mb,
        "async_payload_kb": async_kb,
    }
    keywords: dict = {"package_type": package_type, "runtime": runtime, "snapstart": snapstart, "edge": edge}
    for keyword, text in texts.items():
        parse = NUMERIC_METERS[keyword]
        if text is None:
            keywords[keyword] = None
        elif axes:
            values = parse_axis(text, parse, keyword)
            keywords[keyword] = values[0] if len(values) == 1 else values
        else:
            keywords[keyword] = parse(text, keyword)
    return keywords


# --- the meters added with the [meters] tables of the sheet ---------------------------------
# Declared once here and added to a command's signature by :func:`with_more_meters`, so that
# ``estimate`` and ``sweep`` share them without repeating a parameter list.

#: Library keyword -> (flag, help, kind): "number" (parsed; a list or range in sweep), "bool" or "text".
MORE_METERS = {
    "provisioned_requests": (
        "--provisioned-requests",
        "Invocations served on Provisioned Concurrency this month (instead of --utilization); the rest run on demand.",
        "count",
    ),
    "provisioned_duration_ms": (
        "--provisioned-ms",
        "Duration of the --provisioned-requests invocations, where it differs from --ms (then on demand's).",
        "duration",
    ),
    "provisioned_free_tier": (
        "--pc-free-tier",
        "Apply the free tier to a function with Provisioned Concurrency, as AWS's PC Example 1 does.",
        "bool",
    ),
    "second_response_mb": (
        "--second-response-mb",
        "A second streamed-response size (MB), for --second-share.",
        "number",
    ),
    "second_response_share": (
        "--second-share",
        "Share of requests with --second-response-mb, 0..1 (--response-mb is the others').",
        "number",
    ),
    "esm_type": ("--esm", "Provisioned-mode event source mapping: kafka or sqs (billed in EPU-hours).", "text"),
    "esm_epu_hours": ("--epu-hours", "Event Poller Unit hours of the --esm mapping this month.", "number"),
    "durable_executions": ("--durable-executions", "Durable-function executions this month.", "count"),
    "durable_operations": (
        "--durable-ops",
        "Durable operations of one execution (start, steps, waits, callbacks).",
        "count",
    ),
    "durable_written_kb": ("--durable-kb", "Data one durable execution writes (KB).", "number"),
    "durable_retained_days": (
        "--durable-days",
        "Days durable data is kept, running plus retention (default 14).",
        "number",
    ),
    "tenant_isolation": (
        "--tenant-isolation",
        "Tenant isolation mode: each cold start (new environment) is charged per GB (x86_64).",
        "bool",
    ),
    "logged_kb": (
        "--logged-kb",
        "CloudWatch Logs written per invocation (KB, REPORT lines included): priced as Lambda logs.",
        "number",
    ),
    "savings_plan_per_hour": (
        "--savings-plan",
        "Compute Savings Plan commitment spent on this function (USD an hour): covers duration and PC.",
        "number",
    ),
    "savings_plan_term": ("--savings-plan-term", "Savings Plan term: 1yr or 3yr (sets the discount).", "text"),
}
METER_OPTIONS.update({keyword: flag for keyword, (flag, _, _) in MORE_METERS.items()})
_PARSERS = {"count": parse_count, "duration": parse_duration_ms, "number": parse_number}


def _parameter_name(flag: str) -> str:
    return flag.lstrip("-").replace("-", "_")


def with_more_meters(command):
    """Give a Typer command the options of :data:`MORE_METERS`.

    The command receives the texts as typed in one keyword, ``more_meters`` (a dict by library
    keyword), and turns them into library keywords with :func:`more_meter_keywords`.
    """
    import functools
    import inspect

    signature = inspect.signature(command, eval_str=True)  # the command's own annotations resolved
    added = []
    for flag, help_text, kind in MORE_METERS.values():
        if kind == "bool":
            annotation, default = Annotated[bool, typer.Option(flag, help=help_text)], False
        else:
            annotation, default = Annotated[str | None, typer.Option(flag, help=help_text)], None
        added.append(
            inspect.Parameter(
                _parameter_name(flag), inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation
            )
        )
    kept = [p for p in signature.parameters.values() if p.name != "more_meters"]

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        texts = {k: kwargs.pop(_parameter_name(flag)) for k, (flag, _, _) in MORE_METERS.items()}
        return command(*args, **kwargs, more_meters=texts)

    wrapper.__signature__ = signature.replace(parameters=kept + added)
    return wrapper


def more_meter_keywords(texts: dict, axes: bool = False) -> dict:
    """The library keywords of :data:`MORE_METERS` options as typed (None: not given).

    With ``axes``, each numeric option is a list or range as in :func:`meter_keywords`.

    Examples
    --------
    >>> more_meter_keywords({"esm_type": "kafka", "esm_epu_hours": "800", "tenant_isolation": False})
    {'esm_type': 'kafka', 'esm_epu_hours': 800.0}
    """
    keywords: dict = {}
    for keyword, text in texts.items():
        kind = MORE_METERS[keyword][2]
        if text is None or text is False:
            continue  # not given: the library's default
        if kind in ("bool", "text"):
            keywords[keyword] = text
        elif axes:
            values = parse_axis(text, _PARSERS[kind], keyword)
            keywords[keyword] = values[0] if len(values) == 1 else values
        else:
            keywords[keyword] = _PARSERS[kind](text, keyword)
    return keywords
