"""Everything about price data: the sheets in ``pricing/``, loaded, written, imported and fetched.

One module a job:

* :mod:`~lambdacost.prices.book`: the Lambda sheet loaded and checked into frozen objects, the
  :class:`PriceBook` (re-exported here);
* :mod:`~lambdacost.prices.sheet_cache`: the packaged sheet's PriceBook kept between runs in the
  user's cache folder (a sheet given with ``--pricing-dir`` is checked on every load);
* :mod:`~lambdacost.prices.sheets`: sheets as files, read, written atomically and diffed;
* :mod:`~lambdacost.prices.paas`: the price book of what Lambda is weighed against (EC2,
  Fargate, App Runner, ALB, API Gateway, Lambda Managed Instances);
* :mod:`~lambdacost.prices.offer_parse`: the AWS Price List offer, in its three forms, read
  into an :class:`~lambdacost.prices.offer_parse.Offer`;
* :mod:`~lambdacost.prices.offer_import`: an offer turned into sheet rows and merged into a sheet;
* :mod:`~lambdacost.prices.offer_fetch`: the offer file's URL and its download;
* :mod:`~lambdacost.prices.server_offers`: AWS's EC2, ECS (Fargate), ELB and API Gateway offers
  read into ``paas.toml`` rows;
* :mod:`~lambdacost.prices.folders`: sheets written into a price folder whole (staged beside it,
  checked, renamed in; scratch of killed runs removed).

Only :mod:`~lambdacost.prices.book` is imported with this package: the others load when
first imported, so that ``import lambdacost`` stays fast.

Examples
--------
>>> from lambdacost.prices import default_pricebook
>>> default_pricebook().rates("us-east-1", "x86_64").per_request
2e-07
"""

from .book import (
    ARCHITECTURES,
    CURRENCIES,
    PRICING_DIR_ENV,
    REGION_KEYS,
    DurationTiers,
    Era,
    FreeTier,
    Milestone,
    PriceBook,
    Rates,
    RegionRates,
    SheetChecker,
    Source,
    default_pricebook,
    one_currency,
    packaged_pricing_dir,
)

__all__ = [
    "ARCHITECTURES",
    "CURRENCIES",
    "PRICING_DIR_ENV",
    "Source",
    "DurationTiers",
    "RegionRates",
    "Era",
    "Milestone",
    "FreeTier",
    "Rates",
    "PriceBook",
    "default_pricebook",
    "packaged_pricing_dir",
    "SheetChecker",
    "REGION_KEYS",
    "one_currency",
]
