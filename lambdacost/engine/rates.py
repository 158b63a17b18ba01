"""Rates per element: the sheets' rates of every (architecture, region) pair of a call, looked up once per pair."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from ..errors import InvalidParameterError, PriceNotAvailableError
from ..prices import ARCHITECTURES, PriceBook, Rates, default_pricebook, one_currency
from ..validation import check_choice, to_date

#: The rates of the optional meters, each with the meter's name for messages.
_OPTIONAL_RATES = {
    "provisioned_per_gb_second": "Provisioned Concurrency",
    "provisioned_duration_per_gb_second": "Provisioned Concurrency",
    "snapstart_cache_per_gb_second": "SnapStart",
    "snapstart_restore_per_gb": "SnapStart",
    "edge_per_request": "Lambda@Edge",
    "edge_per_gb_second": "Lambda@Edge",
    "streaming_per_gb": "response-streaming",
}


@dataclass(frozen=True)
class RateTable:
    """Every rate of the (architecture, region) pairs of a call, element by element.

    Each rate is a float when the call has one pair, else an array broadcast like the ``arch`` and
    ``region`` given. An optional meter's rate is None where some pair has none in the sheets
    (using that meter then raises :class:`~lambdacost.PriceNotAvailableError`).

    Attributes
    ----------
    pairs : tuple of Rates
        The distinct pairs' rates; ``pairs[0]`` is the reference for the era and the free tier.
    rates : dict of str to float or ndarray
        ``per_request``, ``ephemeral_storage_per_gb_second``, ``tier_rate_<k>`` and
        ``tier_start_<k>`` per volume tier, and the optional meters' rates.
    tiers : int
        Number of volume tiers (shorter tier lists repeat their last rate).
    """

    pairs: tuple[Rates, ...]
    rates: dict
    tiers: int

    @property
    def currency(self) -> str:
        """What every rate of the table is in (one currency: :func:`rate_table` refuses a mix)."""
        return self.pairs[0].currency

    def __post_init__(self):
        # Each rate also as an attribute: read without the failed lookup before __getattr__.
        self.__dict__.update(self.rates)
        tiers = range(self.tiers)
        self.__dict__["_tiers"] = (
            tuple(self.rates[f"tier_rate_{k}"] for k in tiers),
            tuple(self.rates[f"tier_start_{k}"] for k in tiers),
        )

    @property
    def reference(self) -> Rates:
        return self.pairs[0]

    def __getattr__(self, name: str):
        try:
            return self.__dict__["rates"][name]
        except KeyError:
            raise AttributeError(name) from None

    def tier_rates(self) -> list:
        return list(self._tiers[0])

    def tier_starts(self) -> list:
        return list(self._tiers[1])

    def require(self, name: str) -> None:
        """Raise unless every pair has the rate ``name``."""
        for r in self.pairs:
            if getattr(r, name) is None:
                meter_name = _OPTIONAL_RATES[name]
                if meter_name == "Lambda@Edge":
                    if r.arch != "x86_64":
                        raise InvalidParameterError(
                            "arch", "'x86_64' for Lambda@Edge (no arm64 Edge rate in our sources)", r.arch
                        )
                    edge_regions = [k for k, v in r.era.regions.items() if v.edge_per_request is not None]
                    raise InvalidParameterError(
                        "region",
                        " or ".join(map(repr, edge_regions)) + " for Lambda@Edge (the only region(s) with Edge rates "
                        f"in our sources, {r.era.name} era)",
                        r.region,
                    )
                raise PriceNotAvailableError(
                    f"no {meter_name} rate for {r.region} {r.arch} in the {r.era.name} era of the sheets"
                )

    def select(self, index) -> RateTable:
        """The rates of the elements at ``index`` (an integer array into flat elements)."""
        if len(self.pairs) == 1:
            return self
        chosen = {
            k: (np.broadcast_to(v, self._shape).reshape(-1)[index] if v is not None else None)
            for k, v in self.rates.items()
        }
        return RateTable(self.pairs, chosen, self.tiers)

    @property
    def _shape(self):
        shapes = [np.shape(v) for v in self.rates.values() if v is not None]
        return np.broadcast_shapes(*shapes)


def _code(value):
    """An architecture or region code as AWS spells it (lower case, no spaces); others as given."""
    return value.strip().lower() if isinstance(value, str) else value


def rate_table(book: PriceBook, arch, region, day: date) -> RateTable:
    """The rates of every element of ``arch`` x ``region`` (broadcast), looked up once per pair.

    Parameters
    ----------
    book : PriceBook
    arch, region : str or array-like of str
        Broadcast against each other, as numpy does (an open mesh gives a table per pair).
    day : date
        Billing date (one era for the whole call).

    Returns
    -------
    RateTable

    Examples
    --------
    >>> from lambdacost.prices import default_pricebook
    >>> t = rate_table(default_pricebook(), ["x86_64", "arm64"], "us-east-1", date(2026, 11, 1))
    >>> t.tier_rate_0.tolist()
    [1.66667e-05, 1.33334e-05]
    """
    if isinstance(arch, str) and isinstance(region, str):
        cached = _TABLES.get((id(book), arch, region, day))  # as given: no need to spell it first
        if cached is not None and cached[0] is book:  # one pair: looked up once per book and day
            return cached[1]
        given = arch, region
        arch, region = _code(arch), _code(region)  # "ARM64", " EU-WEST-1" as AWS spells them
        key = (id(book), arch, region, day)
        cached = _TABLES.get(key)
        if cached is not None and cached[0] is book:
            _TABLES[(id(book), *given, day)] = cached
            return cached[1]
        check_choice("arch", arch, ARCHITECTURES)
        pairs, inverse, shape = [(arch, region)], None, ()
    else:
        codes = np.frompyfunc(_code, 1, 1)
        arch_a, region_a = codes(np.asarray(arch, dtype=object)), codes(np.asarray(region, dtype=object))
        arch_a, region_a = np.asarray(arch_a, dtype=object), np.asarray(region_a, dtype=object)
        check_choice("arch", arch_a, ARCHITECTURES)
        for name, values in (("region", region_a), ("arch", arch_a)):
            if not all(isinstance(v, str) for v in values.reshape(-1)):
                bad = next(v for v in values.reshape(-1) if not isinstance(v, str))
                raise InvalidParameterError(
                    name, "a region code such as 'us-east-1'" if name == "region" else "a string", bad
                )
        shape = np.broadcast_shapes(arch_a.shape, region_a.shape)
        flat = np.stack([np.broadcast_to(arch_a, shape).reshape(-1), np.broadcast_to(region_a, shape).reshape(-1)])
        keys = [f"{a}\0{r}" for a, r in zip(flat[0], flat[1])]
        distinct = list(dict.fromkeys(keys))
        position = {k: i for i, k in enumerate(distinct)}
        inverse = np.fromiter((position[k] for k in keys), dtype=np.intp, count=len(keys)).reshape(shape)
        pairs = [tuple(k.split("\0")) for k in distinct]
    table = [book.rates(r, a, day) for a, r in pairs]
    if len(table) > 1:  # costs of one call are added and compared: one currency
        one_currency({t.region: t.currency for t in table})
    tiers = max(len(t.tier_per_gb_second) for t in table)

    def padded(values):  # repeat the last tier: a zero-rate step changes nothing
        return tuple(values) + (values[-1],) * (tiers - len(values))

    columns = {
        "per_request": [t.per_request for t in table],
        "ephemeral_storage_per_gb_second": [t.ephemeral_storage_per_gb_second for t in table],
    }
    for k in range(tiers):
        columns[f"tier_rate_{k}"] = [padded(t.tier_per_gb_second)[k] for t in table]
        columns[f"tier_start_{k}"] = [padded(t.tier_from_gb_seconds)[k] for t in table]
    for name in _OPTIONAL_RATES:
        values = [getattr(t, name) for t in table]
        columns[name] = None if any(v is None for v in values) else values
    rates = {}
    for name, values in columns.items():
        if values is None:
            rates[name] = None
        elif inverse is None:
            rates[name] = float(values[0])
        else:
            rates[name] = np.asarray(values, dtype=float)[inverse]
    result = RateTable(tuple(table), rates, tiers)
    if inverse is None:
        if len(_TABLES) >= 256:
            _TABLES.clear()
        _TABLES[(id(book), arch, region, day)] = _TABLES[(id(book), *given, day)] = (book, result)
    return result


#: Rate tables of one (architecture, region) pair, by (id(book), arch, region, day), the codes as AWS
#: spells them and as given; the book is kept beside its table so that a recycled id never returns
#: another book's rates.
_TABLES: dict = {}


def resolve_pricebook(book: PriceBook | None, as_of) -> tuple[PriceBook, date]:
    """The price book to use (default the packaged sheets) and the billing date (default today)."""
    if book is None:
        book = default_pricebook()
    elif not isinstance(book, PriceBook):  # a path or a name: say what it takes
        raise InvalidParameterError("pricebook", "a PriceBook, such as PriceBook.load(DIR), or None", book)
    earliest = book.earliest
    if type(as_of) is str:  # the common "2026-11-01": parsed and checked once per text and first day
        day = _DAYS.get((as_of, earliest))
        if day is None:
            day = to_date(as_of, earliest)
            if len(_DAYS) >= 256:
                _DAYS.clear()
            _DAYS[as_of, earliest] = day
        return book, day
    return book, to_date(as_of, earliest) or date.today()


#: Billing days given as text, by (text, the book's first day): what to_date made of them.
_DAYS: dict = {}


def init_is_billed(book: PriceBook, as_of: date, package_type: str = "Zip", runtime: str | None = None) -> bool:
    """Whether an on-demand cold start pays for its INIT phase on ``as_of``.

    From 2025-08-01 (milestone ``init_billing``) always; before, only for container
    images and custom runtimes (``provided.*``).

    Examples
    --------
    >>> from lambdacost.prices import default_pricebook
    >>> book = default_pricebook()
    >>> init_is_billed(book, date(2024, 6, 1)), init_is_billed(book, date(2024, 6, 1), "Image")
    (False, True)
    >>> init_is_billed(book, date(2024, 6, 1), runtime="provided.al2023"), init_is_billed(book, date(2025, 8, 1))
    (True, True)
    """
    change = book.milestones.get("init_billing")
    if change is not None and as_of >= change.date:
        return True
    return package_type == "Image" or (runtime or "").startswith("provided")
