"""AWS Lambda's fixed billing rules, typed once: units, the calculator month, what is included free
of charge, billing steps and the CPU that comes with memory.

Prices live in the sheets under ``pricing/``; these are the rules that do not change with region or
date (the per-era limits, such as memory sizes and the timeout, are in the sheet's eras). Every
other module reads them from here.

Examples
--------
>>> HOURS_PER_MONTH, SECONDS_PER_MONTH, MB_PER_GB
(730, 2628000.0, 1024.0)
>>> [round(float(v), 3) for v in vcpus([128, 1769, 10240])]
[0.072, 1.0, 6.0]
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "MB_PER_GB",
    "MS_PER_S",
    "HOURS_PER_MONTH",
    "SECONDS_PER_MONTH",
    "SECONDS_PER",
    "MAX_HOURS_PER_MONTH",
    "EPHEMERAL_STORAGE_INCLUDED_MB",
    "STREAMING_INCLUDED_MB",
    "ASYNC_INCLUDED_KB",
    "ASYNC_CHUNK_KB",
    "ASYNC_MAX_KB",
    "PROVISIONED_BILLING_STEP_S",
    "SNAPSTART_CACHE_MINIMUM_S",
    "MAX_INIT_MS",
    "PACKAGE_TYPES",
    "MB_PER_VCPU",
    "MAX_VCPUS",
    "MAX_VCPUS_MEMORY_MB",
    "vcpus",
]

#: Lambda counts memory in binary megabytes: 1 GB = 1024 MB ("1536 MB = 1.5 GB" in the worked
#: examples of https://aws.amazon.com/lambda/pricing/).
MB_PER_GB = 1024.0
MS_PER_S = 1000.0

#: AWS's calculator month: 730 hours (365 days x 24 h / 12), "AWS Pricing Calculator
#: assumptions", https://docs.aws.amazon.com/pricing-calculator/latest/userguide/calculator-assumptions.html
HOURS_PER_MONTH = 730
SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600.0
#: Seconds in each unit a rate of requests can be given in; a month is the calculator month.
SECONDS_PER = {"second": 1, "minute": 60, "hour": 3600, "day": 86400, "month": HOURS_PER_MONTH * 3600}
#: The longest calendar month: hours of Provisioned Concurrency or SnapStart cache cannot exceed it.
MAX_HOURS_PER_MONTH = 31 * 24

#: Ephemeral storage (/tmp) every function gets at no charge; "you only pay for the additional
#: ephemeral storage you configure" (https://aws.amazon.com/lambda/pricing/).
EPHEMERAL_STORAGE_INCLUDED_MB = 512.0
#: Response streaming: "the first 6 MB per request" are free (https://aws.amazon.com/lambda/pricing/).
STREAMING_INCLUDED_MB = 6.0
#: Async events: "1 request per each asynchronous Event for first 256 KB", then "1 additional
#: request for each 64 KB of chunk upto 1 MB" (https://aws.amazon.com/lambda/pricing/).
ASYNC_INCLUDED_KB = 256.0
ASYNC_CHUNK_KB = 64.0
ASYNC_MAX_KB = 1024.0
#: Provisioned Concurrency is billed "from the time you enable it on your function until it is
#: disabled, rounded up to the nearest five minutes" (https://aws.amazon.com/lambda/pricing/).
PROVISIONED_BILLING_STEP_S = 300.0
#: SnapStart cache is charged "for a minimum of 3 hours" (https://aws.amazon.com/lambda/pricing/).
SNAPSTART_CACHE_MINIMUM_S = 3 * 3600.0
#: The INIT phase is limited to 10 s (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html).
MAX_INIT_MS = 10_000
#: Deployment package types (https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html).
PACKAGE_TYPES = ("Zip", "Image")

#: CPU comes with memory: "at 1,769 MB, a function has the equivalent of one vCPU", and up to
#: 6 vCPUs at 10,240 MB (https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html).
MB_PER_VCPU = 1769.0
MAX_VCPUS = 6.0
MAX_VCPUS_MEMORY_MB = 10240.0


def vcpus(memory_mb):
    """The vCPU share Lambda gives a function with ``memory_mb`` of memory: the one CPU model.

    Proportional to memory up to 1 vCPU at 1,769 MB, then linear up to 6 vCPUs at
    10,240 MB; capped at 6 above that.

    Parameters
    ----------
    memory_mb : numeric
        Allocated memory. [MB]

    Returns
    -------
    numeric
        CPU share. [vCPU]

    Examples
    --------
    >>> [round(float(v), 3) for v in vcpus([128, 1769, 3538, 10240])]
    [0.072, 1.0, 2.044, 6.0]
    """
    # Through (0, 0), (1769, 1) and (10240, 6): exact at both documented points.
    return np.interp(memory_mb, (0.0, MB_PER_VCPU, MAX_VCPUS_MEMORY_MB), (0.0, 1.0, MAX_VCPUS))
