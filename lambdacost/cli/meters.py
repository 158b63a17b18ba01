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
