"""Duration as a function of memory: how much faster a function runs with more memory.

Lambda allocates CPU in proportion to memory: "at 1,769 MB, a function has the equivalent
of one vCPU", and 10,240 MB gets 6 vCPUs
(https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html). Since duration is billed per
GB-second, the cheapest memory size depends on how duration falls as memory rises. This
module gives three models of that curve, all element-wise numpy that broadcasts:

* :func:`scale_duration_ms`: an Amdahl-style model from **one** measurement. A share
  ``cpu_share`` of the measured time is CPU-bound and speeds up with the vCPUs the code can
  use (at most ``threads``); the rest (network, disk, waiting on other services) is flat.
* :func:`interpolate_duration_ms`: **measured points** (memory -> duration) joined in the
  Amdahl form, i.e. piecewise linear in ``1 / vcpus(memory_mb)``.
* :func:`arch_duration_ms`: an **arm64 speed factor**, a duration multiplier for arm64
  (Graviton) relative to x86_64; ``ARM64_SPEED_FACTOR`` (1.0) assumes equal speed.

Assumptions (none of them are AWS facts; they are models to check against a measurement):

1. CPU share is ``vcpus(memory_mb)``: proportional to memory up to one vCPU at 1,769 MB,
   then linear up to 6 vCPUs at 10,240 MB (both ends are AWS's figures; the straight line
   between them is ours).
2. The CPU-bound part of an invocation takes time inversely proportional to the vCPUs it can
   use, ``min(vcpus(memory_mb), threads)``: single-threaded code gains nothing above
   1,769 MB. Below one vCPU the function gets a time slice, so even one thread slows down.
3. The rest (I/O) does not depend on memory. Cold starts, garbage collection pressure at
   low memory and network bandwidth (which also grows with memory) are not modelled.

Examples
--------
800 ms measured at 1024 MB, 70 % of it CPU-bound and single-threaded: at 2048 MB the CPU
part could get 2x the CPU, but one thread uses at most one vCPU (1769/1024 = 1.73x).

>>> print(round(float(scale_duration_ms(800, 1024, 2048, cpu_share=0.7)), 1))
564.2
>>> print(round(float(scale_duration_ms(800, 1024, 2048, cpu_share=0.7, threads=2)), 1))
518.3
"""

from __future__ import annotations

import numpy as np

from .errors import InvalidParameterError
from .rules import MAX_VCPUS_MEMORY_MB, vcpus
from .validation import check_numeric

__all__ = [
    "ARM64_SPEED_FACTOR",
    "scale_duration_ms",
    "interpolate_duration_ms",
    "arch_duration_ms",
]

#: arm64 duration / x86_64 duration for the same work. 1.0 = equal speed: an assumption,
#: since the ratio depends on the code (measure it on both architectures).
ARM64_SPEED_FACTOR = 1.0

_MEMORY_LIMITS = (1.0, MAX_VCPUS_MEMORY_MB)


def _usable_vcpus(memory_mb, threads):
    return np.minimum(vcpus(memory_mb), threads)


def scale_duration_ms(duration_ms, from_memory_mb, to_memory_mb, *, cpu_share=1.0, threads=1):
    """Duration at ``to_memory_mb`` from one measurement at ``from_memory_mb`` (Amdahl's law).

    ``duration = measured * ((1 - cpu_share) + cpu_share * usable(from) / usable(to))`` with
    ``usable(m) = min(vcpus(m), threads)``: the CPU-bound share speeds up with the vCPUs the
    code can use, the rest (I/O) is flat. See the module docstring for the assumptions.

    Parameters
    ----------
    duration_ms : numeric
        Measured duration of one invocation. [ms]
    from_memory_mb : numeric
        Memory it was measured at. [MB]
    to_memory_mb : numeric
        Memory to predict the duration for. [MB]
    cpu_share : numeric, default 1.0
        Share of the measured duration that is CPU-bound. [0..1]
    threads : numeric, default 1
        Threads the code can keep busy at once (``6`` or more: uses every vCPU). [>= 1]

    Returns
    -------
    numeric
        Predicted duration, broadcast over the inputs. [ms]

    Examples
    --------
    Pure I/O (``cpu_share=0``) is flat; fully CPU-bound code halves its time when the
    CPU doubles (below one vCPU, CPU is proportional to memory).

    >>> print(float(scale_duration_ms(300, 512, 4096, cpu_share=0)))
    300.0
    >>> print(float(scale_duration_ms(1000, 256, 512, cpu_share=1)))
    500.0
    """
    duration = check_numeric("duration_ms", duration_ms, 0, np.inf, "ms")
    source = check_numeric("from_memory_mb", from_memory_mb, *_MEMORY_LIMITS, "MB")
    target = check_numeric("to_memory_mb", to_memory_mb, *_MEMORY_LIMITS, "MB")
    share = check_numeric("cpu_share", cpu_share, 0, 1, "(share of the duration)")
    usable = check_numeric("threads", threads, 1, np.inf, "threads")
    speedup = _usable_vcpus(source, usable) / _usable_vcpus(target, usable)
    return duration * ((1.0 - share) + share * speedup)


def interpolate_duration_ms(memory_mb, measured_memory_mb, measured_duration_ms):
    """Duration at ``memory_mb`` from durations measured at two or more memory sizes.

    Between two measured points the duration is linear in ``1 / vcpus(memory_mb)``: that is
    exactly the shape of :func:`scale_duration_ms` (a flat part plus a part inversely
    proportional to CPU), so any Amdahl curve is reproduced between its points, and
    monotone data stay monotone. Above the largest size measured the duration stays flat:
    no speed-up is assumed that was not measured (the code may be single-threaded). Below
    the smallest size the first segment is extended, bounded by the smallest measurement
    (never faster) and by perfect scaling of it (never slower than all-CPU work).

    Parameters
    ----------
    memory_mb : numeric
        Memory to predict the duration for. [MB]
    measured_memory_mb : sequence of numeric
        Memory sizes measured, distinct, any order. [MB]
    measured_duration_ms : sequence of numeric
        Duration measured at each size. [ms]

    Returns
    -------
    numeric
        [ms]

    Examples
    --------
    >>> sizes, times = [256, 512, 1024], [1000.0, 520.0, 280.0]
    >>> [round(float(d), 1) for d in interpolate_duration_ms([128, 256, 768, 2048], sizes, times)]
    [1960.0, 1000.0, 360.0, 280.0]
    """
    memory = check_numeric("memory_mb", memory_mb, *_MEMORY_LIMITS, "MB")
    sizes = np.asarray(
        check_numeric("measured_memory_mb", measured_memory_mb, *_MEMORY_LIMITS, "MB"), dtype=float
    ).reshape(-1)
    times = np.asarray(
        check_numeric("measured_duration_ms", measured_duration_ms, 0, np.inf, "ms"), dtype=float
    ).reshape(-1)
    if sizes.size != times.size:
        raise InvalidParameterError(
            "measured_duration_ms", f"one duration per measured memory size ({sizes.size})", times.size
        )
    if sizes.size < 2:
        raise InvalidParameterError(
            "measured_memory_mb", "two or more memory sizes (use scale_duration_ms for one)", sizes.tolist()
        )
    if np.unique(sizes).size != sizes.size:
        raise InvalidParameterError("measured_memory_mb", "distinct memory sizes", sizes.tolist())
    # x = 1/vCPU falls as memory rises: order the points by x for np.interp.
    order = np.argsort(-sizes)
    x_points, d_points = 1.0 / vcpus(sizes[order]), times[order]
    x = 1.0 / vcpus(memory)
    inside = np.interp(x, x_points, d_points)
    # np.interp is flat above the largest size; below the smallest, extend the first segment.
    slope = (d_points[-1] - d_points[-2]) / (x_points[-1] - x_points[-2])
    below = np.clip(d_points[-1] + slope * (x - x_points[-1]), d_points[-1], d_points[-1] * x / x_points[-1])
    result = np.where(x > x_points[-1], below, inside)
    return result if np.ndim(result) else float(result)


def arch_duration_ms(duration_ms, arch, *, arm64_speed_factor=ARM64_SPEED_FACTOR, measured_arch="x86_64"):
    """Duration on ``arch`` from a duration measured on ``measured_arch``.

    ``arm64_speed_factor`` is arm64 duration / x86_64 duration for the same work: 0.8 means
    arm64 runs in 80 % of the x86_64 time. It is a property of the code (measure it); the
    default 1.0 assumes equal speed.

    Parameters
    ----------
    duration_ms : numeric
        Measured duration. [ms]
    arch : str or array-like of str
        ``"x86_64"`` or ``"arm64"``: where to predict.
    arm64_speed_factor : float, default ARM64_SPEED_FACTOR
        arm64 / x86_64 duration ratio. [> 0]
    measured_arch : {"x86_64", "arm64"}
        Where ``duration_ms`` was measured.

    Returns
    -------
    numeric
        [ms]

    Examples
    --------
    >>> [float(d) for d in arch_duration_ms(100.0, ["x86_64", "arm64"], arm64_speed_factor=0.8)]
    [100.0, 80.0]
    >>> print(float(arch_duration_ms(80.0, "x86_64", arm64_speed_factor=0.8, measured_arch="arm64")))
    100.0
    """
    from .prices import ARCHITECTURES
    from .validation import check_choice

    check_choice("arch", arch, ARCHITECTURES)
    check_choice("measured_arch", measured_arch, ARCHITECTURES)
    factor = check_numeric("arm64_speed_factor", arm64_speed_factor, 1e-3, 1e3, "(arm64/x86_64 duration ratio)")
    duration = check_numeric("duration_ms", duration_ms, 0, np.inf, "ms")
    on_arm = np.asarray(arch, dtype=object) == "arm64"
    measured_on_arm = measured_arch == "arm64"
    # Relative to x86_64: x86_64 -> 1, arm64 -> factor.
    result = duration * np.where(on_arm, factor, 1.0) / (factor if measured_on_arm else 1.0)
    return result if np.ndim(result) else float(result)
