"""Errors raised by lambdacost.

Every error is a :class:`LambdaCostError` and also the matching builtin, so callers can
catch either (``except ValueError`` keeps working). Each keeps its parts as attributes,
builds its message in ``__str__`` and pickles (it may cross a dask worker boundary).
"""

from __future__ import annotations

__all__ = [
    "LambdaCostError",
    "InvalidParameterError",
    "PricingDataError",
    "UnknownRegionError",
    "PriceNotAvailableError",
    "unknown_key",
]


class LambdaCostError(Exception):
    """Base class of every error lambdacost raises on purpose."""


class InvalidParameterError(ValueError, LambdaCostError):
    """An input is outside what AWS bills.

    Parameters
    ----------
    name : str
        The parameter, as the caller spelled it (``memory_mb``).
    allowed : str
        The allowed range or choices, in words (``128..10240 MB``).
    got : object
        The value given.
    """

    def __init__(self, name: str, allowed: str, got: object):
        self.name, self.allowed, self.got = name, allowed, got
        super().__init__(name, allowed, got)

    def __str__(self) -> str:
        return f"{self.name} must be {self.allowed}, got {self.got!r}"

    def __reduce__(self):
        return (type(self), (self.name, self.allowed, self.got))


class PricingDataError(ValueError, LambdaCostError):
    """A price sheet is broken: the file, the key and the reason."""

    def __init__(self, file: str, key: str, reason: str):
        self.file, self.key, self.reason = file, key, reason
        super().__init__(file, key, reason)

    def __str__(self) -> str:
        return f"{self.file}: {self.key}: {self.reason}"

    def __reduce__(self):
        return (type(self), (self.file, self.key, self.reason))


class UnknownRegionError(KeyError, LambdaCostError):
    """A region code the price sheets do not price, with the close matches."""

    def __init__(self, region: str, close_matches: tuple[str, ...] = (), reason: str = ""):
        self.region, self.close_matches, self.reason = region, tuple(close_matches), reason
        super().__init__(region, self.close_matches, reason)

    def __str__(self) -> str:
        message = f"region {self.region!r} is not priced"
        if self.reason:
            message += f": {self.reason}"
        if self.close_matches:
            message += "; did you mean " + ", ".join(repr(m) for m in self.close_matches) + "?"
        return message

    def __reduce__(self):
        return (type(self), (self.region, self.close_matches, self.reason))


class PriceNotAvailableError(LookupError, LambdaCostError):
    """The sheets hold no price for this meter, region, architecture or date."""

    def __init__(self, what: str):
        self.what = what
        super().__init__(what)

    def __str__(self) -> str:
        return self.what

    def __reduce__(self):
        return (type(self), (self.what,))


def unknown_key(prefix: str, key, known, value) -> InvalidParameterError:
    """The error for a key that is not one of ``known``, with the closest known key when one is near.

    Parameters
    ----------
    prefix : str
        What holds the key, ending in ``": "`` (``"function 'api': "``), or ``""``.
    key : str
        The key as the user typed it.
    known : sequence of str
        The accepted keys, in the order to list them.
    value : object
        The value given under ``key``.

    Examples
    --------
    >>> print(unknown_key("function 'api': ", "memroy_mb", ["name", "memory_mb"], 512))
    function 'api': memroy_mb must be one of the known keys; did you mean memory_mb? (keys: name, memory_mb), got 512
    """
    import difflib  # only on the error path

    close = difflib.get_close_matches(str(key), list(known), n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]}?" if close else ""
    return InvalidParameterError(f"{prefix}{key}", f"one of the known keys{hint} (keys: {', '.join(known)})", value)
