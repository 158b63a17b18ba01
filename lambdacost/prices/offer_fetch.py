"""Download the AWS Price List ``AWSLambda`` offer file: its URL, the download, the parse.

The URLs are the Price List's own, current or by version, all regions or one
(https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/using-the-aws-price-list-bulk-api-fetching-price-list-files-manually.html).
A download that fails (no network, an HTTP error, a timeout) raises :class:`OfferDownloadError`
naming the URL; :mod:`urllib` is imported only when a download is made.
"""

from __future__ import annotations

from ..errors import LambdaCostError
from .offer_parse import Offer, offer_url, parse_offer

__all__ = ["OfferDownloadError", "download", "fetch_offer"]


class OfferDownloadError(ConnectionError, LambdaCostError):
    """The offer file could not be downloaded (no network, HTTP error, timeout)."""

    def __init__(self, url: str, reason: str):
        self.url, self.reason = url, reason
        super().__init__(url, reason)

    def __str__(self) -> str:
        return f"cannot download {self.url}: {self.reason}"

    def __reduce__(self):
        return (type(self), (self.url, self.reason))


def urlopen(url: str, timeout: float):
    """Open ``url`` (:func:`urllib.request.urlopen`, imported only when a download is made)."""
    import urllib.request

    return urllib.request.urlopen(url, timeout=timeout)


def fetch_offer(url: str | None = None, *, region: str | None = None, timeout: float = 30.0) -> Offer:
    """Download and parse the current Lambda offer file (all regions, or one ``region``).

    Raises
    ------
    OfferDownloadError
        No network, an HTTP error or a timeout; the message names the URL.
    PricingDataError
        The download is not a valid Lambda offer.
    """
    raw = download(url or offer_url("current", region), timeout=timeout)
    return parse_offer(raw, url or offer_url("current", region))


def download(url: str, *, timeout: float = 30.0) -> bytes:
    """The bytes at ``url``, or :class:`OfferDownloadError` with a one-line reason."""
    import urllib.error

    try:
        with urlopen(url, timeout=timeout) as response:
            return response.read()
    except urllib.error.HTTPError as error:
        raise OfferDownloadError(url, f"HTTP {error.code} {error.reason}") from None
    except urllib.error.URLError as error:
        raise OfferDownloadError(url, f"{error.reason} (no network?)") from None
    except (OSError, ValueError) as error:  # timeouts, resets, bad URLs
        raise OfferDownloadError(url, f"{type(error).__name__}: {error or 'failed'} (no network?)") from None
