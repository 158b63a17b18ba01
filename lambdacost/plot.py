"""Charts of lambdacost results: matplotlib helpers that take data and an optional ``ax``.

Every helper imports matplotlib inside itself (``import lambdacost`` never loads it),
draws on the given Axes or a new figure's, returns the Axes, and never calls ``plt.show()``.
"""

from __future__ import annotations

import numpy as np

__all__ = ["paas_vs_serverless"]


def paas_vs_serverless(compare_frame, ax=None):
    """Monthly cost against monthly requests, one line per option, on log axes.

    Crossovers with the Lambda reference are marked (from ``compare_frame.attrs["breakeven"]``
    when present, else interpolated between the frame's loads) and the loads where Lambda is
    the cheapest option are shaded.

    Parameters
    ----------
    compare_frame : pandas.DataFrame
        The tidy output of :func:`lambdacost.compare.compare`: ``option``,
        ``requests_per_month`` [count] and ``cost_usd`` [USD] columns.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; default a new figure's.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from lambdacost.compare import Workload, compare
    >>> ax = paas_vs_serverless(compare(Workload(512, 120), ["ec2:t4g.small"]))
    >>> len(ax.get_lines()), ax.get_xscale(), ax.get_yscale()
    (2, 'log', 'log')
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(8, 5))
    frame = compare_frame
    options = list(dict.fromkeys(frame["option"]))
    reference = frame.attrs.get("reference") or next((o for o in options if o.startswith("lambda")), options[0])
    wide = frame.pivot_table(index="requests_per_month", columns="option", values="cost_usd", aggfunc="first")
    wide = wide[wide.index > 0]
    loads = wide.index.to_numpy(dtype=float)
    for option in options:
        cost = wide[option].to_numpy(dtype=float)
        shown = cost > 0  # log axes cannot show a zero bill
        ax.plot(
            loads[shown],
            cost[shown],
            label=option,
            linewidth=2.5 if option == reference else 1.5,
            color="black" if option == reference else None,
        )

    crossings = frame.attrs.get("breakeven")
    if crossings is None:
        crossings = _interpolated_crossings(wide, reference)
    if crossings:
        ax.scatter(
            [c["requests_per_month"] for c in crossings],
            [c["cost_usd"] for c in crossings],
            marker="o",
            s=40,
            zorder=3,
            facecolor="white",
            edgecolor="black",
            label="break-even",
        )

    others = [o for o in options if o != reference]
    if others and reference in wide:
        cheapest = wide[reference].to_numpy(dtype=float) < wide[others].min(axis=1).to_numpy(dtype=float)
        exact = np.sort([c["requests_per_month"] for c in crossings]) if crossings else np.empty(0)
        for start, stop in _runs(cheapest, loads, exact):
            ax.axvspan(start, stop, color="tab:green", alpha=0.12, linewidth=0)
        if cheapest.any():
            ax.axvspan(np.nan, np.nan, color="tab:green", alpha=0.12, label=f"{reference} cheapest")

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
        found += [{"option": option, "requests_per_month": float(a), "cost_usd": float(b)} for a, b in zip(x, y)]
    return found
