"""Charts of lambdacost results: matplotlib helpers that take data and an optional ``ax``.

Every helper imports matplotlib inside itself (``import lambdacost`` never loads it),
draws on the given Axes or a new figure's, returns the Axes, and never calls ``plt.show()``.
"""

from __future__ import annotations

import numpy as np

from .tables import CURRENCIES, currency_of, money

__all__ = [
    "breakdown",
    "bill_functions",
    "function_components",
    "log_costs",
    "memory_curve",
    "cost_surface",
    "paas_vs_serverless",
    "regions",
]


#: One colour per architecture in every chart (plot.regions, plot.memory_curve, paas_vs_serverless).
ARCH_COLORS = {"x86_64": "tab:blue", "arm64": "tab:orange"}
#: Colours for the non-Lambda options of paas_vs_serverless: tab10 without the architecture
#: colours and the green of the Lambda-cheapest band.
_OPTION_COLORS = ("tab:red", "tab:purple", "tab:brown", "tab:pink", "tab:gray", "tab:olive", "tab:cyan")
#: Line styles of the Lambda options other than the reference (drawn solid and black).
_LAMBDA_STYLES = ("--", "-.", ":")
#: An option with more break-evens than this is summarised (first and last marked, a note).
_MAX_MARKED_CROSSINGS = 2


def _is_lambda(option: str) -> bool:
    return option.split(":", 1)[0] == "lambda"


def _count(n: float) -> str:
    """A load for a label: 12,960,000 -> ``12.96M``."""
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if n >= size:
            return f"{n / size:.4g}{suffix}"
    return f"{n:.4g}"


def paas_vs_serverless(comparison, ax=None):
    """Monthly cost against monthly requests, one line per option, on log axes.

    Draws a :class:`~lambdacost.comparison.Comparison` as it is (nothing is recomputed):
    its break-even crossings within the table's loads are marked (an option that crosses
    Lambda many times, like App Runner's instance steps, gets its first and last crossing
    marked and a note of how many there are), the loads where a Lambda option is the
    cheapest of all are shaded, and the workload's own load, when it has one, is a labelled
    vertical line. The reference Lambda line is black; other Lambda lines (e.g.
    ``lambda:arm64``) are dashed in their architecture's colour, so none hides another.

    Parameters
    ----------
    comparison : Comparison or pandas.DataFrame
        The result of :func:`lambdacost.comparison.compare`. A bare tidy frame (``option``,
        ``requests_per_month`` [count] and ``cost`` [USD] columns) also works; its
        crossings are then interpolated between the frame's loads.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; default a new figure's.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from lambdacost.comparison import compare
    >>> from lambdacost.options import Workload
    >>> ax = paas_vs_serverless(compare(Workload(512, 120), ["ec2:t4g.small"]))
    >>> len(ax.get_lines()), ax.get_xscale(), ax.get_yscale()
    (2, 'log', 'log')
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(8, 5))
    frame = getattr(comparison, "table", comparison)
    options = list(dict.fromkeys(frame["option"]))
    reference = getattr(comparison, "reference", None) or next((o for o in options if _is_lambda(o)), options[0])
    wide = frame.pivot_table(index="requests_per_month", columns="option", values="cost", aggfunc="first")
    wide = wide[wide.index > 0]
    loads = wide.index.to_numpy(dtype=float)
    others = iter(_OPTION_COLORS * (1 + len(options) // len(_OPTION_COLORS)))
    styles = iter(_LAMBDA_STYLES * (1 + len(options) // len(_LAMBDA_STYLES)))
    for option in options:
        cost = wide[option].to_numpy(dtype=float)
        shown = cost > 0  # log axes cannot show a zero bill
        if option == reference:
            color, style, width = "black", "-", 2.5
        elif _is_lambda(option):
            arch = option.split(":", 1)[1] if ":" in option else ""
            color, style, width = ARCH_COLORS.get(arch, "tab:blue"), next(styles), 2.0
        else:
            color, style, width = next(others), "-", 1.5
        ax.plot(loads[shown], cost[shown], label=option, linewidth=width, color=color, linestyle=style)

    if hasattr(comparison, "crossings"):
        # Only the crossings within the drawn loads (the search may have reached further).
        low, high = (loads.min(), loads.max()) if loads.size else (np.inf, -np.inf)
        crossings = [c for c in comparison.crossings if low <= c["requests_per_month"] <= high]
    else:
        crossings = _interpolated_crossings(wide, reference)
    marked = []
    by_option: dict[str, list[dict]] = {}
    for c in crossings:
        by_option.setdefault(c.get("option", ""), []).append(c)
    for option, found in by_option.items():
        found = sorted(found, key=lambda c: c["requests_per_month"])
        if len(found) <= _MAX_MARKED_CROSSINGS:
            marked += found
            continue
        first, last = found[0], found[-1]
        marked += [first, last]
        ax.annotate(
            f"{option}: {len(found)} crossings\n{_count(first['requests_per_month'])}"
            f"–{_count(last['requests_per_month'])} req/month",
            (last["requests_per_month"], last["cost"]),
            xytext=(8, -14),
            textcoords="offset points",
            fontsize="x-small",
        )
    if marked:
        ax.scatter(
            [c["requests_per_month"] for c in marked],
            [c["cost"] for c in marked],
            marker="o",
            s=40,
            zorder=3,
            facecolor="white",
            edgecolor="black",
            label="break-even",
        )

    lambdas = [o for o in options if _is_lambda(o) or o == reference]
    servers = [o for o in options if o not in lambdas]
    if servers and lambdas and loads.size:
        best_lambda = wide[lambdas].min(axis=1).to_numpy(dtype=float)
        cheapest = best_lambda < wide[servers].min(axis=1).to_numpy(dtype=float)
        exact = np.sort([c["requests_per_month"] for c in crossings]) if crossings else np.empty(0)
        for start, stop in _runs(cheapest, loads, exact):
            ax.axvspan(start, stop, color="tab:green", alpha=0.12, linewidth=0)
        if cheapest.any():
            name = "Lambda" if len(lambdas) > 1 else reference
            ax.axvspan(np.nan, np.nan, color="tab:green", alpha=0.12, label=f"{name} cheapest")

    workload = getattr(comparison, "workload", None)
    own = float(getattr(workload, "requests_per_month", 0) or 0)
    if own > 0:
        # A full-height vertical line (a LineCollection: ax.get_lines() stays one line per option).
        ax.vlines(
            own,
            0,
            1,
            transform=ax.get_xaxis_transform(),
            colors="dimgray",
            linestyles=":",
            linewidth=1.5,
            label=f"your load: {_count(own)} req/month",
        )

    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("Requests per month [count]")
    ax.set_ylabel("Monthly cost [USD]")
    ax.set_title("Serverless vs PaaS: monthly cost by load")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize="small")
    return ax


def _runs(mask: np.ndarray, loads: np.ndarray, exact: np.ndarray):
    """Spans of consecutive True samples, their edges at a crossing between the neighbouring
    samples when one is known, else halfway (in log) between them."""
    if not mask.any():
        return []
    logs = np.log10(loads)
    change = np.diff(np.concatenate([[0], mask.astype(int), [0]]))
    starts, stops = np.flatnonzero(change == 1), np.flatnonzero(change == -1)

    def edge(i, latest):  # the boundary between samples i-1 and i
        if i <= 0:
            return loads[0]
        if i >= loads.size:
            return loads[-1]
        inside = exact[(exact > loads[i - 1]) & (exact < loads[i])]
        if inside.size:
            return inside[-1] if latest else inside[0]
        return 10 ** ((logs[i - 1] + logs[i]) / 2)

    return [(edge(s, True), edge(e, False)) for s, e in zip(starts, stops)]


def _interpolated_crossings(wide, reference: str) -> list[dict]:
    """Crossings with the reference, interpolated linearly between sampled loads."""
    loads = wide.index.to_numpy(dtype=float)
    base = wide[reference].to_numpy(dtype=float)
    found = []
    for option in wide.columns:
        if option == reference:
            continue
        diff = wide[option].to_numpy(dtype=float) - base
        flips = np.flatnonzero((diff[:-1] > 0) != (diff[1:] > 0))
        t = diff[flips] / (diff[flips] - diff[flips + 1])
        x = loads[flips] + t * (loads[flips + 1] - loads[flips])
        y = base[flips] + t * (base[flips + 1] - base[flips])
        found += [{"option": option, "requests_per_month": float(a), "cost": float(b)} for a, b in zip(x, y)]
    return found


def breakdown(result, ax=None):
    """A waterfall of a bill: the charges stacked, the free-tier credits, and the total paid.

    Three bars: ``charges`` stacks the positive line items from zero up to what the meters
    add up to; ``free tier`` hangs the credits (negative line items, hatched) down from that
    top; ``total`` rises from zero to what is paid, and a black line marks it across all
    three, so the gap between the charges' top and the total is the free tier. Every line
    item has its own colour (``tab20``: no colour repeats for up to 20 items).

    Parameters
    ----------
    result : Estimate or Bill
        Anything with ``line_items`` (each with ``name`` and ``cost`` [currency]) and
        ``total_cost`` [currency].
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; default a new figure's.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import lambdacost
    >>> ax = breakdown(lambdacost.estimate(1536, 120, 3_000_000, as_of="2026-11-01"))
    >>> len(ax.patches), ax.get_ylabel()
    (5, 'Monthly cost [USD]')
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(6, 5))
    c = currency_of(result)
    totals = {}
    for item in result.line_items:  # a bill may repeat a meter per function: sum by name
        totals[item.name] = totals.get(item.name, 0.0) + item.cost
    palette = plt.get_cmap("tab20" if len(totals) > 10 else "tab10")
    charges = sum(cost for cost in totals.values() if cost >= 0)
    up, down = 0.0, charges
    for i, (name, cost) in enumerate(totals.items()):
        color = palette(i % palette.N)
        if cost >= 0:
            ax.bar(0, cost, bottom=up, width=0.6, color=color, label=f"{name}: {money(cost, c)}")
            up += cost
        else:  # a credit hangs down from the top of the charges
            ax.bar(
                1,
                cost,
                bottom=down,
                width=0.6,
                color=color,
                hatch="//",
                edgecolor="white",
                label=f"{name}: {money(cost, c)}",
            )
            down += cost
    total = result.total_cost
    ax.bar(2, total, width=0.6, color="0.35", label="_total bar")
    ax.hlines(total, -0.4, 2.4, colors="black", linewidth=2.0, label=f"total: {money(total, c)}")
    ax.axhline(0, color="grey", linewidth=0.8)
    ax.set_xticks([0, 1, 2], ["charges", "free tier", "total"])
    ax.set_xlim(-0.6, 2.6)
    # The credits start at the charges' top, which would pin the axis there: leave headroom.
    span = max(charges, total, 0.0) - min(total, 0.0)
    ax.set_ylim(min(total, 0.0) - (0.05 * span if total < 0 else 0.0), max(charges, total, 0.0) + 0.06 * span or 1.0)
    ax.set_ylabel(f"Monthly cost [{c}]")
    ax.set_title("Where the money goes")
    ax.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.02, 1))  # beside the bars, never over them
    return ax


#: One colour and label per bill component in :func:`bill_functions` (and its legend).
COMPONENT_STYLE = {
    "requests_cost": ("requests", "tab:blue"),
    "duration_cost": ("duration", "tab:orange"),
    "storage_cost": ("ephemeral storage", "tab:green"),
    "provisioned_cost": ("Provisioned Concurrency", "tab:purple"),
    "snapstart_cost": ("SnapStart", "tab:brown"),
    "edge_cost": ("Lambda@Edge", "tab:pink"),
    "streaming_cost": ("response streaming", "tab:olive"),
}
#: Functions drawn one bar each by :func:`bill_functions`; the rest share one bar.
TOP_FUNCTIONS = 15


def function_components(bill, pricebook=None) -> list[dict]:
    """Each function's share of a bill split by component, the free-tier credit apart.

    The meters other than duration are linear, so each function's part of them is its own
    usage at its group's rates (:func:`lambdacost.engine.charges` on its usage, no free
    tier); its duration part is what remains of its share before the credit (the group's
    tiered duration charge split pro rata to GB-s, as :func:`lambdacost.bill` attributes it).
    The parts add up to ``share_cost`` exactly.

    Parameters
    ----------
    bill : Bill
        The result of :func:`lambdacost.bill`.
    pricebook : PriceBook, optional
        The one the bill was priced with; default the packaged sheets.

    Returns
    -------
    list of dict
        One per function, in the bill's order: ``name``, ``share_cost``, ``free_tier_cost``
        (<= 0) and one ``*_cost`` entry per :data:`lambdacost.engine.COMPONENTS`. [currency]

    Examples
    --------
    >>> import lambdacost
    >>> b = lambdacost.bill([{"name": "api", "memory_mb": 1024, "duration_ms": 100, "requests": 5e6}],
    ...                     free_tier=False, as_of="2026-11-01")
    >>> part = function_components(b)[0]
    >>> round(part["requests_cost"], 6), round(part["duration_cost"], 6), part["free_tier_cost"]
    (1.0, 8.33335, 0.0)
    """
    from datetime import date

    from . import engine
    from .prices import default_pricebook

    book = pricebook or default_pricebook()
    day = date.fromisoformat(bill.as_of)
    out = []
    for f in bill.functions:
        parts = engine.components(engine.charges(f.usage, engine.rate_table(book, f.arch, f.region, day)))
        gross = f.share_cost - f.free_tier_cost
        parts["duration_cost"] = gross - sum(v for k, v in parts.items() if k != "duration_cost")
        credit = f.free_tier_cost + 0.0  # no -0.0 where nothing is free
        out.append({"name": f.name, "share_cost": f.share_cost, "free_tier_cost": credit, **parts})
    return out


def bill_functions(bill, ax=None, top=TOP_FUNCTIONS, pricebook=None):
    """A bill per function: one horizontal bar each, stacked by component, dearest at the top.

    Each bar stacks the function's charges by component (one colour per component,
    :data:`COMPONENT_STYLE`) from zero; its free-tier credit hangs back from the end of the
    charges, hatched over the components it cancels, to a black tick at the function's share
    of the bill (its cost after the credit). Beyond
    ``top`` functions, the cheapest are added up in one bar (``"N others"``).

    Parameters
    ----------
    bill : Bill
        The result of :func:`lambdacost.bill`.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; default a new figure's.
    top : int, default TOP_FUNCTIONS
        Functions drawn one bar each. [count]
    pricebook : PriceBook, optional
        The one the bill was priced with (see :func:`function_components`).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import lambdacost
    >>> b = lambdacost.bill([{"name": "api", "memory_mb": 1024, "duration_ms": 100, "requests": 5e6},
    ...                      {"name": "cron", "memory_mb": 128, "duration_ms": 10, "requests": 1e4}],
    ...                     as_of="2026-11-01")
    >>> ax = bill_functions(b)
    >>> [t.get_text() for t in ax.get_yticklabels()], ax.get_xlabel()
    (['api', 'cron'], 'Monthly cost [USD]')
    """
    import matplotlib.pyplot as plt

    from .engine import COMPONENTS

    currency = bill.currency
    rows = sorted(function_components(bill, pricebook), key=lambda r: -r["share_cost"])
    top = max(int(top), 1)
    if len(rows) > top + 1:  # one bar for the rest (never "1 others")
        rest = rows[top:]
        summed = {k: sum(r[k] for r in rest) for k in ("share_cost", "free_tier_cost", *COMPONENTS)}
        rows = rows[:top] + [{"name": f"{len(rest)} others", **summed}]
    if ax is None:
        _, ax = plt.subplots(figsize=(8, max(2.5, 0.45 * len(rows) + 1.5)))
    positions = np.arange(len(rows))
    used = [c for c in COMPONENTS if any(r[c] != 0 for r in rows)]
    left = np.zeros(len(rows))
    for component in used:
        label, color = COMPONENT_STYLE[component]
        widths = np.array([r[component] for r in rows])
        ax.barh(positions, widths, left=left, height=0.6, color=color, label=label)
        left += widths
    credit = np.array([r["free_tier_cost"] for r in rows])
    if (credit < 0).any():
        # Hatching over the components it cancels, which stay visible beneath.
        ax.barh(positions, credit, left=left, height=0.6, facecolor=(1, 1, 1, 0.45), hatch="//", edgecolor="0.2",
                linewidth=0, label="free tier")  # fmt: skip
    shares = np.array([r["share_cost"] for r in rows])
    ax.vlines(shares, positions - 0.4, positions + 0.4, colors="black", linewidth=2.0, label="its share of the bill")
    for y, share, end in zip(positions, shares, left):  # the share, written past the bar's end
        ax.annotate(money(share, currency), (max(share, end, 0.0), y), xytext=(4, 0), textcoords="offset points", va="center",
                    fontsize="small")  # fmt: skip
    widest = float(max(left.max(initial=0.0), shares.max(initial=0.0)))
    ax.set_xlim(min(0.0, float(shares.min(initial=0.0))) * 1.15, widest * 1.15 or 1.0)  # room for those labels
    ax.set_yticks(positions, [r["name"] for r in rows])
    ax.invert_yaxis()  # the dearest at the top
    ax.set_xlabel(f"Monthly cost [{currency}]")
    ax.set_title(f"Cost per function (total {money(bill.total_cost, currency)})")
    ax.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.02, 1))
    return ax


def log_costs(report, what_ifs=None, ax=None):
    """What each function's logged invocations cost, and what they would under each what-if.

    One group of horizontal bars per function, dearest at the top: ``as logged`` (grey)
    and one bar per what-if scenario (``arm64``, ``memory=512``, ...), each in its own
    colour, all for the invocations in the logs (not projected to a month).

    Parameters
    ----------
    report : pandas.DataFrame
        :func:`lambdacost.reports.report`'s table: ``function`` and ``cost`` [currency].
    what_ifs : pandas.DataFrame, optional
        :func:`lambdacost.reports.what_ifs`'s table: ``scenario``, ``function``,
        ``baseline_cost`` and ``what_if_cost`` [currency]; its baseline is the ``as logged`` bar.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; default a new figure's.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> report = pd.DataFrame({"function": ["api", "cron"], "cost": [2.0, 0.5]})
    >>> ax = log_costs(report)
    >>> [t.get_text() for t in ax.get_yticklabels()], [float(p.get_width()) for p in ax.patches]
    (['api', 'cron'], [2.0, 0.5])
    """
    import matplotlib.pyplot as plt

    if what_ifs is not None and len(what_ifs):
        base = what_ifs.drop_duplicates("function").set_index("function")["baseline_cost"]
        wide = what_ifs.pivot_table(index="function", columns="scenario", values="what_if_cost", aggfunc="first")
        scenarios = list(dict.fromkeys(what_ifs["scenario"]))
        wide = wide[scenarios]
    else:
        base = report.set_index("function")["cost"]
        wide, scenarios = None, []
    base = base.astype(float).sort_values(ascending=False)
    names = base.index.tolist()
    if ax is None:
        _, ax = plt.subplots(figsize=(8, max(2.5, 0.4 * len(names) * (1 + len(scenarios)) + 1.5)))
    height = 0.8 / (1 + len(scenarios))
    positions = np.arange(len(names))
    ax.barh(positions, base.to_numpy(), height=height, color="0.55", label="as logged")
    for k, scenario in enumerate(scenarios, start=1):
        costs = wide[scenario].reindex(names).to_numpy(float)
        ax.barh(positions + k * height, costs, height=height, color=_OPTION_COLORS[(k - 1) % len(_OPTION_COLORS)],
                label=f"what if {scenario}")  # fmt: skip
    ax.set_yticks(positions + height * len(scenarios) / 2, names)
    ax.invert_yaxis()
    ax.set_xlabel(f"Cost of the logged invocations [{currency_of(report)}]")
    ax.set_title("What the logged invocations cost" + (", and the what-ifs" if scenarios else ""))
    if scenarios:
        ax.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.02, 1))
    return ax


def cost_surface(frame, x="memory_mb", y="duration_ms", value="cost", ax=None, levels=8):
    """Heatmap of monthly cost over two inputs, with labelled iso-cost contours.

    Parameters
    ----------
    frame : pandas.DataFrame
        A tidy frame (e.g. from :func:`lambdacost.sweep`) with one row per (x, y) pair.
    x, y : str
        Column names of the two inputs; their units are shown from the name suffix.
    value : str, default "cost"
        The column to colour by. [currency]
    ax : matplotlib.axes.Axes, optional
    levels : int, default 8
        Number of iso-cost contours.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np, pandas as pd, lambdacost
    >>> m, d = np.meshgrid([128, 512, 1024, 2048], [50, 100, 200])
    >>> frame = pd.DataFrame({"memory_mb": m.ravel(), "duration_ms": d.ravel()})
    >>> frame["cost"] = lambdacost.monthly_cost(frame.memory_mb, frame.duration_ms, 1e7, as_of="2026-11-01")
    >>> ax = cost_surface(frame)
    >>> ax.get_xlabel(), ax.get_ylabel()
    ('Memory [MB]', 'Duration [ms]')
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(7, 5))
    c = currency_of(frame)
    grid = frame.pivot_table(index=y, columns=x, values=value, aggfunc="mean")
    xs, ys, zs = grid.columns.to_numpy(float), grid.index.to_numpy(float), grid.to_numpy(float)
    mesh = ax.pcolormesh(xs, ys, zs, shading="nearest", cmap="viridis")
    ax.figure.colorbar(mesh, ax=ax, label=_label(value, c))
    if len(xs) > 1 and len(ys) > 1 and np.nanmax(zs) > np.nanmin(zs):
        contours = ax.contour(xs, ys, zs, levels=levels, colors="white", linewidths=0.8)
        sign = CURRENCIES[c]
        ax.clabel(contours, fmt=lambda v: f"{sign}{v:,.0f}" if v >= 10 else f"{sign}{v:,.2f}", fontsize="small")
    ax.set_xlabel(_label(x))
    ax.set_ylabel(_label(y))
    ax.set_title(f"{_label(value, c)} by {_label(x).split(' [')[0].lower()} and {_label(y).split(' [')[0].lower()}")
    return ax


def regions(frame, value="cost", ax=None):
    """The same workload across regions as horizontal bars, cheapest at the top.

    Parameters
    ----------
    frame : pandas.DataFrame
        Columns ``region`` and ``value``; with an ``arch`` column, one bar per architecture.
    value : str, default "cost"
        [currency]
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd, lambdacost
    >>> names = ["us-east-1", "eu-south-1", "ap-east-1"]
    >>> frame = pd.DataFrame({"region": names})
    >>> frame["cost"] = lambdacost.monthly_cost(1024, 200, 5e7, region=frame.region.to_numpy(), as_of="2026-11-01")
    >>> ax = regions(frame)
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['us-east-1', 'eu-south-1', 'ap-east-1']
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(7, max(3, 0.35 * frame["region"].nunique() + 1)))
    by = ["region", "arch"] if "arch" in frame else ["region"]
    wide = frame.pivot_table(index="region", columns=by[1:] or None, values=value, aggfunc="sum")
    if not by[1:]:
        wide = wide.to_frame(value) if hasattr(wide, "to_frame") else wide
    wide = wide.loc[wide.min(axis=1).sort_values().index]  # cheapest first, drawn at the top
    positions = np.arange(len(wide))
    height = 0.8 / len(wide.columns)
    for i, column in enumerate(wide.columns):
        color = ARCH_COLORS.get(str(column), f"C{i}") if len(wide.columns) > 1 else None
        ax.barh(positions + i * height, wide[column].to_numpy(float), height=height, label=str(column), color=color)
    ax.set_yticks(positions + height * (len(wide.columns) - 1) / 2, wide.index)
    ax.invert_yaxis()
    ax.set_xlabel(_label(value, currency_of(frame)))
    ax.set_title("The same workload by region")
    if len(wide.columns) > 1:
        ax.legend(fontsize="small")
    return ax


_UNITS = {"_mb": "MB", "_ms": "ms", "gb_seconds": "GB-s", "requests": "count"}
_NAMES = {
    "memory_mb": "Memory",
    "duration_ms": "Duration",
    "cost": "Monthly cost",
    "requests": "Requests per month",
}


def _label(column: str, currency: str = "USD") -> str:
    """An axis label with its unit from the column's name: ``memory_mb`` -> ``Memory [MB]``; a cost
    column (``cost``, ``*_cost``) is in ``currency``."""
    if column == "cost" or column.endswith("_cost"):
        unit = currency
    else:
        unit = next((u for suffix, u in _UNITS.items() if column.endswith(suffix)), None)
    name = _NAMES.get(column, column.replace("_", " ").capitalize())
    return f"{name} [{unit}]" if unit else name


def memory_curve(frame, ax=None):
    """Cost and duration against memory, x86_64 and arm64 together, recommendation marked.

    Cost (solid, left axis) and duration (dashed, right axis) share the memory axis (log2,
    ticks at the powers of two), so the point where more memory stops paying for itself
    shows as the bottom of the cost curve. Each architecture has one colour in every chart
    (:data:`ARCH_COLORS`); sizes whose duration was measured (a true ``measured`` column,
    as in :func:`lambdacost.tune`'s table) are dots on the cost curve, the rest is modelled.
    The legend sits beside the axes, clear of the curves.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per (memory_mb, arch): the ``table`` of :func:`lambdacost.tune`, or a
        :func:`lambdacost.sweep` frame filtered to one scenario per memory size. Needs
        ``memory_mb`` [MB], ``duration_ms`` [ms] and ``cost`` [currency];
        a boolean ``recommended`` column marks the recommendation.
    ax : matplotlib.axes.Axes, optional
        Axes for the cost; the duration goes on a twin axis. Default a new figure's.

    Returns
    -------
    matplotlib.axes.Axes
        The cost Axes (the duration Axes is ``ax.right_ax``; None when the duration is the
        same at every size, as in a sweep, and the title gives it instead).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import lambdacost
    >>> tuned = lambdacost.tune(5e6, duration_ms=800, measured_memory_mb=1024, cpu_share=0.7,
    ...                         memory_mb=[128, 512, 1024, 2048, 4096])
    >>> ax = memory_curve(tuned.table)
    >>> len(ax.get_lines()), len(ax.right_ax.get_lines()), ax.get_xlabel(), ax.get_xscale()
    (4, 2, 'Memory [MB]', 'log')
    """
    import matplotlib.pyplot as plt

    from .errors import InvalidParameterError

    cost = "cost"
    arch = frame["arch"].astype(str) if "arch" in frame else None
    keys = ["memory_mb"] + (["arch"] if arch is not None else [])
    if frame.duplicated(keys).any():
        raise InvalidParameterError(
            "frame", f"one row per ({', '.join(keys)}); filter the other inputs first", f"{len(frame)} rows"
        )
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 5))
    groups = list(frame.groupby(arch, sort=False)) if arch is not None else [("", frame)]
    # A duration that is the same at every size (a sweep's, given by the user) is no curve:
    # say it in the title instead of drawing a flat line on an axis of its own.
    flat = all(part["duration_ms"].nunique() <= 1 for _, part in groups)
    right = None if flat else ax.twinx()
    for i, (name, part) in enumerate(groups):
        part = part.sort_values("memory_mb")
        color = ARCH_COLORS.get(str(name), f"C{i + 2}")
        ax.plot(part["memory_mb"], part[cost], color=color, label=f"{name} cost".strip())
        if right is not None:
            right.plot(
                part["memory_mb"], part["duration_ms"], color=color, linestyle="--", label=f"{name} duration".strip()
            )
        if "measured" in part and part["measured"].astype(bool).any():
            seen = part[part["measured"].astype(bool)]
            ax.plot(
                seen["memory_mb"],
                seen[cost],
                linestyle="none",
                marker="o",
                markersize=7,
                color=color,
                markeredgecolor="black",
                zorder=3,
                label=f"{name} measured".strip(),
            )
    if "duration_source" in frame:  # the sizes outside the measured ones: shaded, in the legend
        sizes = np.sort(frame["memory_mb"].unique().astype(float))
        outside = np.isin(sizes, frame.loc[frame["duration_source"] == "extrapolated", "memory_mb"].to_numpy(float))
        change = np.diff(np.concatenate([[0], outside.astype(int), [0]]))
        for k, (start, stop) in enumerate(zip(np.flatnonzero(change == 1), np.flatnonzero(change == -1))):
            # From the neighbouring size inside the measured range, so that a one-size run shows.
            low, high = sizes[max(start - 1, 0)], sizes[min(stop, sizes.size - 1)]
            ax.axvspan(low, high, color="0.5", alpha=0.15, linewidth=0,
                       label="extrapolated (outside the measured sizes)" if k == 0 else "_extrapolated")  # fmt: skip
    if "recommended" in frame and frame["recommended"].any():
        best = frame[frame["recommended"].astype(bool)]
        ax.plot(
            best["memory_mb"],
            best[cost],
            linestyle="none",
            marker="*",
            markersize=14,
            color="black",
            zorder=4,
            label="recommended: "
            + ", ".join(f"{int(m)} MB {a}" for m, a in zip(best["memory_mb"], best.get("arch", [""] * len(best)))),
        )
    # Lambda's sizes double from 128 MB up: a log2 axis gives 128-2048 MB the room they need.
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

    ax.set_xscale("log", base=2)
    sizes = frame["memory_mb"].to_numpy(float)
    low, high = np.floor(np.log2(sizes.min())), np.ceil(np.log2(sizes.max()))
    ax.xaxis.set_major_locator(FixedLocator(2.0 ** np.arange(low, high + 1)))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.set_xlabel(_label("memory_mb"))
    ax.set_ylabel(_label(cost, currency_of(frame)) if cost == "cost" else f"Monthly cost [{currency_of(frame)}]")
    if right is None:
        durations = ", ".join(f"{d:,.6g} ms" for d in sorted(frame["duration_ms"].unique()))
        ax.set_title(f"Cost by memory at {durations} (the same at every size: not modelled)")
        lines = list(ax.get_lines())
    else:
        right.set_ylabel(_label("duration_ms"))
        ax.set_title("Cost and duration by memory")
        lines = list(ax.get_lines()) + list(right.get_lines())
    lines += [p for p in ax.patches if not p.get_label().startswith("_")]
    if "measured" in frame:  # a legend entry only: the sizes without a dot are modelled
        from matplotlib.lines import Line2D

        lines.append(Line2D([], [], color="grey", label="no dot: modelled"))
    # Beside the axes (past the duration axis's labels), never over the curves.
    beside = 1.02 if right is None else 1.15
    ax.legend(
        lines, [line.get_label() for line in lines], fontsize="small", loc="upper left", bbox_to_anchor=(beside, 1)
    )
    ax.right_ax = right
    return ax
