"""Duration models: CPU share by memory, Amdahl scaling, interpolation, arm64 factor."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lambdacost.durations import (
    ARM64_SPEED_FACTOR,
    arch_duration_ms,
    interpolate_duration_ms,
    scale_duration_ms,
)
from lambdacost.errors import InvalidParameterError
from lambdacost.rules import vcpus

memory_mb = st.one_of(st.sampled_from([128, 1768, 1769, 1770, 3008, 10240]), st.integers(128, 10240))
share = st.one_of(st.sampled_from([0.0, 1.0]), st.floats(0, 1))
threads = st.one_of(st.sampled_from([1, 2, 6, 64]), st.floats(1, 64))
duration_ms = st.floats(0.1, 900_000)


def test_vcpus_at_the_documented_points():
    # https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html: 1 vCPU at 1,769 MB; 6 vCPUs at 10,240 MB; proportional below 1 vCPU.
    assert vcpus(1769) == 1.0
    assert vcpus(10240) == 6.0
    assert vcpus(1769 / 2) == pytest.approx(0.5)
    # Linear between the two documented points: halfway in memory is 3.5 vCPUs.
    assert vcpus((1769 + 10240) / 2) == pytest.approx(3.5)
    np.testing.assert_allclose(vcpus(np.array([[128], [20_000]])), [[128 / 1769], [6.0]])


def test_scale_golden_single_thread():
    # 800 ms at 1024 MB, 70 % CPU, 1 thread, to 2048 MB: the thread gets at most 1 vCPU.
    # 800 * (0.3 + 0.7 * (1024/1769) / 1) = 564.1605...
    expected = 800 * (0.3 + 0.7 * (1024 / 1769))
    assert float(scale_duration_ms(800, 1024, 2048, cpu_share=0.7)) == pytest.approx(expected, rel=1e-12)


def test_scale_golden_below_one_vcpu_is_proportional():
    # All CPU-bound, 512 -> 256 MB: half the CPU, twice the time.
    assert float(scale_duration_ms(100, 512, 256, cpu_share=1.0)) == pytest.approx(200.0)


def test_scale_golden_multithreaded():
    # 6 threads, 1769 -> 10240 MB, all CPU: 1 vCPU -> 6 vCPU, a sixth of the time.
    assert float(scale_duration_ms(600, 1769, 10240, cpu_share=1.0, threads=6)) == pytest.approx(100.0)
    # 2 threads stop at 2 vCPUs: half the time.
    assert float(scale_duration_ms(600, 1769, 10240, cpu_share=1.0, threads=2)) == pytest.approx(300.0)


@settings(max_examples=50, deadline=None)
@given(duration_ms, memory_mb, share, threads)
def test_scale_monotone_non_increasing_in_memory(duration, measured_at, cpu, n_threads):
    memory = np.arange(128, 10241, 7)
    predicted = scale_duration_ms(duration, measured_at, memory, cpu_share=cpu, threads=n_threads)
    assert np.all(np.diff(predicted) <= 1e-9 * duration)
    assert np.all(predicted >= duration * (1 - cpu) * (1 - 1e-12))  # the I/O part never shrinks


@settings(max_examples=50, deadline=None)
@given(duration_ms, memory_mb, memory_mb, threads)
def test_scale_pure_io_is_flat(duration, measured_at, target, n_threads):
    assert float(scale_duration_ms(duration, measured_at, target, cpu_share=0.0, threads=n_threads)) == duration


@settings(max_examples=50, deadline=None)
@given(duration_ms, memory_mb, share, threads)
def test_scale_identity_at_the_measured_memory(duration, measured_at, cpu, n_threads):
    assert float(
        scale_duration_ms(duration, measured_at, measured_at, cpu_share=cpu, threads=n_threads)
    ) == pytest.approx(duration, rel=1e-12)


def test_scale_single_thread_gains_nothing_above_one_vcpu():
    predicted = scale_duration_ms(1000, 1769, np.array([1769, 3008, 10240]), cpu_share=1.0, threads=1)
    np.testing.assert_array_equal(predicted, [1000, 1000, 1000])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (dict(cpu_share=1.5), "cpu_share must be a finite number in 0..1"),
        (dict(threads=0.5), "threads must be a finite number >= 1 threads, got 0.5"),
        (dict(to_memory_mb=0), "to_memory_mb must be a finite number in 1..10240 MB, got 0"),
        (dict(to_memory_mb=20_000), "to_memory_mb must be .* got 20000"),
        (dict(duration_ms=-1), "duration_ms must be a finite number >= 0 ms, got -1"),
        (dict(duration_ms=np.nan), "duration_ms must be a finite number"),
    ],
)
def test_scale_bad_input(kwargs, message):
    args = dict(duration_ms=100, from_memory_mb=1024, to_memory_mb=2048) | kwargs
    with pytest.raises(InvalidParameterError, match=message):
        scale_duration_ms(args.pop("duration_ms"), args.pop("from_memory_mb"), args.pop("to_memory_mb"), **args)


def test_interpolate_passes_through_the_points_and_is_flat_above():
    sizes, times = [128, 1024, 2048], [3000.0, 400.0, 250.0]
    np.testing.assert_allclose(interpolate_duration_ms(sizes, sizes, times), times)
    np.testing.assert_allclose(interpolate_duration_ms([4096, 10240], sizes, times), [250.0, 250.0])
    # order of the points does not matter
    np.testing.assert_allclose(
        interpolate_duration_ms([700, 1500], sizes[::-1], times[::-1]),
        interpolate_duration_ms([700, 1500], sizes, times),
    )


def test_interpolate_golden_between_points_is_linear_in_inverse_vcpus():
    # Points at 512 MB (x = 1769/512) and 1024 MB (x = 1769/1024); 768 MB is x = 1769/768.
    # d = 520 + (280 - 520) * (x768 - x512) / (x1024 - x512) = 360 (x768 is 1/3 of the way... in x)
    x512, x768, x1024 = 1769 / 512, 1769 / 768, 1769 / 1024
    expected = 520 + (280 - 520) * (x768 - x512) / (x1024 - x512)
    assert float(interpolate_duration_ms(768, [512, 1024], [520.0, 280.0])) == pytest.approx(expected)
    assert expected == pytest.approx(360.0)


@settings(max_examples=50, deadline=None)
@given(duration_ms, share, st.lists(st.integers(128, 10240), min_size=2, max_size=6, unique=True))
def test_interpolate_reproduces_an_amdahl_curve_inside_the_points(duration, cpu, sizes):
    # With threads >= 6 the Amdahl model is exactly linear in 1/vCPU: interpolation between its
    # own points must give the model back.
    sizes = np.sort(np.asarray(sizes, dtype=float))
    measured = scale_duration_ms(duration, 1769, sizes, cpu_share=cpu, threads=6)
    memory = np.linspace(sizes[0], sizes[-1], 50)
    np.testing.assert_allclose(
        interpolate_duration_ms(memory, sizes, measured),
        scale_duration_ms(duration, 1769, memory, cpu_share=cpu, threads=6),
        rtol=1e-9,
    )


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.tuples(st.integers(128, 10240), st.floats(1, 1e5)), min_size=2, max_size=8, unique_by=lambda p: p[0])
)
def test_interpolate_keeps_decreasing_data_non_increasing_everywhere(points):
    sizes = np.array(sorted(p[0] for p in points), dtype=float)
    times = np.array(sorted((p[1] for p in points), reverse=True))  # durations falling with memory
    predicted = interpolate_duration_ms(np.arange(128, 10241, 13), sizes, times)
    assert np.all(np.diff(predicted) <= 1e-9 * times.max())
    assert predicted.min() >= times.min() * (1 - 1e-12)


def test_interpolate_extends_below_the_smallest_size_within_bounds():
    # 256 -> 1000 ms, 512 -> 520 ms: the first segment extended to 128 MB gives 1960 ms,
    # within [1000, 1000 * 2] (no faster than measured, no slower than perfect scaling).
    value = float(interpolate_duration_ms(128, [256, 512, 1024], [1000.0, 520.0, 280.0]))
    assert value == pytest.approx(1960.0)
    # Flat data stay flat below the range.
    assert float(interpolate_duration_ms(128, [512, 1024], [300.0, 300.0])) == 300.0


@pytest.mark.parametrize(
    ("sizes", "times", "message"),
    [
        ([512], [300.0], "measured_memory_mb must be two or more memory sizes"),
        ([512, 512], [300.0, 200.0], "measured_memory_mb must be distinct memory sizes"),
        ([512, 1024], [300.0], r"measured_duration_ms must be one duration per measured memory size \(2\), got 1"),
        ([512, 1024], [300.0, -1.0], "measured_duration_ms must be a finite number >= 0 ms, got -1"),
    ],
)
def test_interpolate_bad_input(sizes, times, message):
    with pytest.raises(InvalidParameterError, match=message):
        interpolate_duration_ms(1024, sizes, times)


def test_arch_factor():
    assert ARM64_SPEED_FACTOR == 1.0
    np.testing.assert_array_equal(arch_duration_ms([100.0, 100.0], ["x86_64", "arm64"]), [100.0, 100.0])
    np.testing.assert_allclose(
        arch_duration_ms(np.array([[100.0], [50.0]]), np.array([["x86_64", "arm64"]]), arm64_speed_factor=0.8),
        [[100, 80], [50, 40]],
    )
    # measured on arm64: x86_64 takes duration / factor
    assert arch_duration_ms(80.0, "x86_64", arm64_speed_factor=0.8, measured_arch="arm64") == pytest.approx(100.0)
    assert arch_duration_ms(80.0, "arm64", arm64_speed_factor=0.8, measured_arch="arm64") == 80.0
    with pytest.raises(InvalidParameterError, match="arch must be one of 'x86_64', 'arm64', got 'aarch64'"):
        arch_duration_ms(1.0, "aarch64")
    with pytest.raises(InvalidParameterError, match="arm64_speed_factor must be .* got 0"):
        arch_duration_ms(1.0, "arm64", arm64_speed_factor=0)
