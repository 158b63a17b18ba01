"""Shared hypothesis strategies, biased toward the edges where billing bends.

Tier starts, the free-tier allowance +- one unit, and durations on either side of a
whole millisecond are drawn often on purpose.
"""

from hypothesis import strategies as st

from lambdacost.prices import default_pricebook

BOOK = default_pricebook()
REGIONS = BOOK.regions()
FREE_GB_SECONDS = BOOK.free_tier.gb_seconds
FREE_REQUESTS = BOOK.free_tier.requests

memory_mb = st.one_of(st.sampled_from([128, 129, 1769, 1770, 3008, 10240]), st.integers(128, 10240))
duration_ms = st.one_of(
    st.sampled_from([0.0, 0.4, 1.0, 1.0001, 99.99, 100.0, 900_000.0]),
    st.floats(0, 900_000, allow_nan=False, allow_infinity=False),
)
requests = st.one_of(
    st.sampled_from([0.0, 1.0, FREE_REQUESTS - 1, FREE_REQUESTS, FREE_REQUESTS + 1, 1e9]),
    st.floats(0, 1e10, allow_nan=False, allow_infinity=False),
)
#: GB-s near every tier start of either architecture and the free allowance.
gb_seconds = st.one_of(
    st.sampled_from(
        [
            0.0,
            FREE_GB_SECONDS - 1,
            FREE_GB_SECONDS,
            FREE_GB_SECONDS + 1,
            6e9 - 1,
            6e9,
            6e9 + 1,
            7.5e9,
            15e9,
            18.75e9,
            1e11,
        ]
    ),
    st.floats(0, 1e11, allow_nan=False, allow_infinity=False),
)
storage_mb = st.one_of(st.just(512), st.integers(512, 10240))
arch = st.sampled_from(["x86_64", "arm64"])
region = st.sampled_from(REGIONS)
