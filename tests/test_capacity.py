"""The capacity model: Little's law, demand, instance counts, App Runner active time, profiles."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lambdacost.capacity import (
    SECONDS_PER_MONTH,
    Assumptions,
    apprunner_active_hours,
    check_profile,
    concurrency,
    hourly_rps,
    instances_needed,
    instances_per_request,
    mean_rps,
    peak_factor,
    profile_from_series,
)
from lambdacost.errors import InvalidParameterError


def test_month_is_730_hours():
    assert SECONDS_PER_MONTH == 730 * 3600
    assert mean_rps(52_560_000) == pytest.approx(20.0)  # 52.56M / 2,628,000 s


def test_littles_law():
    # L = lambda x W: 20 req/s x 0.120 s = 2.4 in flight; vectorized over loads.
    assert concurrency(20, 120) == pytest.approx(2.4)
    np.testing.assert_allclose(concurrency(np.array([0, 10, 100]), 250), [0, 2.5, 25])


def test_default_demand_per_request():
    a = Assumptions()
    # Lambda gives 1 vCPU per 1,769 MB: 512 MB -> 512/1769 vCPU; memory: 512 MB = 0.5 GiB.
    assert a.vcpu_for(512) == pytest.approx(512 / 1769)
    assert a.memory_gib_for(512) == 0.5
    assert Assumptions(cpu_busy_fraction=0.5).vcpu_for(1769) == pytest.approx(0.5)
    assert Assumptions(vcpu_per_request=0.1, memory_per_request_mb=128).vcpu_for(512) == 0.1
    assert Assumptions(memory_per_request_mb=128).memory_gib_for(512) == 0.125


def test_instances_at_target_utilisation_golden():
    # 512 MB x 120 ms at 20 req/s on 2 vCPU / 2 GiB at 70 %:
    #   in flight 2.4; vCPU 2.4 x 512/1769 = 0.6946 of 1.4 usable = 0.496 instance;
    #   memory 2.4 x 0.5 GiB = 1.2 of 1.4 usable = 0.857 instance  -> memory binds
    k = instances_per_request(512, 120, 2, 2)
    assert k * 52_560_000 == pytest.approx(1.2 / 1.4)
    assert instances_needed(52_560_000, k, 2) == 2  # one would do; two for high availability
    assert instances_needed(52_560_000, k, 1) == 1
    # At 200 req/s: 8.57 -> 9 instances.
    assert instances_needed(525_600_000, k, 2) == 9


def test_busiest_hour_sizes_the_fleet():
    profile = [1] * 12 + [3] * 12  # peak 3 / mean 2 = 1.5
    flat = instances_per_request(512, 120, 2, 2)
    assert instances_per_request(512, 120, 2, 2, profile=profile) == pytest.approx(1.5 * flat)


def test_one_request_that_fits_no_instance_is_refused():
    with pytest.raises(
        InvalidParameterError, match=r"load must be servable by an instance of 2 vCPU / 2 GiB at 70% utilisation.*4 GiB"
    ):
        instances_per_request(4096, 120, 2, 2)
    with pytest.raises(InvalidParameterError, match="one request needs 2 vCPU"):
        instances_per_request(512, 120, 2, 16, Assumptions(vcpu_per_request=2))


def test_apprunner_active_hours_golden():
    # 1 req/s x 0.5 s = 0.5 in flight: half of the 730 hours active.
    assert apprunner_active_hours(2_628_000, 500, 1) == pytest.approx(365)
    # 10 req/s x 0.5 s = 5 in flight but only 2 instances: capped at 2 x 730 h.
    assert apprunner_active_hours(26_280_000, 500, 2) == pytest.approx(1460)
    # Traffic only in 12 hours of the day at twice the mean: 1.0 in flight then, 0 otherwise.
    assert apprunner_active_hours(2_628_000, 500, 1, [0] * 12 + [1] * 12) == pytest.approx(365)
    np.testing.assert_allclose(apprunner_active_hours(np.array([0, 2_628_000]), 500, np.array([1, 1])), [0, 365])


def test_profile_is_scaled_to_a_mean_of_one():
    weights = check_profile(range(1, 25))
    assert weights.mean() == pytest.approx(1) and weights[-1] == pytest.approx(24 / 12.5)
    assert peak_factor(None) == 1 and check_profile(None) is None
    np.testing.assert_allclose(hourly_rps(2_628_000 * 24, [0] * 23 + [1]).sum(), 24 * 24)


@pytest.mark.parametrize("profile", [[1] * 23, [1] * 25, [-1] + [1] * 23, [0] * 24, [float("nan")] + [1] * 23, "flat"])
def test_bad_profiles(profile):
    with pytest.raises(InvalidParameterError, match="profile must be 24 non-negative hourly weights"):
        check_profile(profile)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"target_utilization": 0}, r"target_utilization must be a fraction in \(0, 1\], got 0"),
        ({"target_utilization": 1.2}, r"target_utilization must be a fraction in \(0, 1\], got 1.2"),
        ({"cpu_busy_fraction": -0.1}, "cpu_busy_fraction must be a fraction"),
        ({"min_instances": 0}, "min_instances must be a whole number >= 1, got 0"),
        ({"apprunner_min_instances": 1.5}, "apprunner_min_instances must be a whole number"),
        ({"memory_per_request_mb": 0}, "memory_per_request_mb must be a finite number > 0"),
        ({"kb_per_request": -1}, "kb_per_request must be a finite number >= 0"),
    ],
)
def test_bad_assumptions(kwargs, message):
    with pytest.raises(InvalidParameterError, match=message):
        Assumptions(**kwargs)


@settings(max_examples=50, deadline=None)
@given(
    loads=st.lists(st.floats(0, 1e11), min_size=2, max_size=20),
    memory_mb=st.integers(128, 1024),
    duration_ms=st.floats(1, 5000),
    minimum=st.integers(1, 4),
)
def test_instances_never_fall_as_load_rises_and_never_below_minimum(loads, memory_mb, duration_ms, minimum):
    k = instances_per_request(memory_mb, duration_ms, 2, 2)
    counts = instances_needed(np.sort(loads), k, minimum)
    assert np.all(np.diff(counts) >= 0) and np.all(counts >= minimum)
    # Enough capacity: the count covers the demand at the busiest hour.
    assert np.all(counts + 1e-6 >= np.sort(loads) * k)


def test_profile_from_a_time_series():
    import pandas as pd

    index = pd.date_range("2026-11-02", periods=24 * 7, freq="h")
    # Nights (0-7 h) at 10 requests, days at 40: mean (8 x 10 + 16 x 40) / 24 = 30.
    values = np.where(index.hour < 8, 10.0, 40.0)
    weights = profile_from_series(pd.Series(values, index=index))
    np.testing.assert_allclose(weights, np.where(np.arange(24) < 8, 10 / 30, 40 / 30))
    with pytest.raises(
        InvalidParameterError,
        match=r"series must be traffic for every hour of the day 0..23, got 'no data for hours \[12",
    ):
        profile_from_series(pd.Series(1.0, index=pd.date_range("2026-11-02", periods=12, freq="h")))
    with pytest.raises(InvalidParameterError, match="series must be a pandas Series on a DatetimeIndex"):
        profile_from_series([1, 2, 3])


def test_lmi_execution_environment_follows_awss_minimums_and_ratios():
    from lambdacost.capacity import lmi_environment

    assert lmi_environment(128) == (1.0, 2.0)  # raised to 2 GB and 1 vCPU
    assert lmi_environment(6144, 2) == (3.0, 6.0)
    assert lmi_environment(6144, 8) == (1.0, 8.0)  # 1 vCPU at 8:1 needs 8 GB
    with pytest.raises(InvalidParameterError, match="lmi_memory_gib_per_vcpu must be one of 2, 4, 8"):
        lmi_environment(4096, 3)


def test_assumptions_describe_only_what_the_priced_options_use():
    a = Assumptions()
    only_fargate = a.describe({"fargate"}, burstable=False)
    assert len(only_fargate) == 2 and "at least 2 for high availability" in only_fargate[0]
    assert "wherever they run 2 or more instances" in only_fargate[1]
    assert not any("App Runner" in line or "Managed Instances" in line for line in only_fargate)
    express = Assumptions(load_balancer=False).describe({"express", "ec2"}, burstable=False)
    assert "always in front of ECS Express Mode" in express[1]
    assert express[2] == "no load balancer in front of EC2 and Fargate (--no-load-balancer)"
    with pytest.raises(InvalidParameterError, match="load_balancer must be True, False or None"):
        Assumptions(load_balancer="yes")
