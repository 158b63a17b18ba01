"""An interactive cost calculator for notebooks: widget values in, the numbers and charts out.

:func:`calculate` is the whole calculator as a pure function: memory, duration, requests,
architecture and region (and the CPU-bound share the memory curve assumes) in, a
:class:`CalculatorView` out, with the month's cost, its breakdown, the cost without the
free tier and the cost of every memory size on both architectures. It is built on the
library's own calls (:func:`lambdacost.estimate` and :func:`lambdacost.tune`), so the
calculator and the library never disagree, and it is tested without a browser.

:class:`Calculator` is the thin ipywidgets layer on top (``pip install
"lambdacost[notebook]"``; ipywidgets is imported only when a Calculator is built): one
control per input, and on every move the view is recomputed and redrawn.

Examples
--------
>>> view = calculate(memory_mb=1024, duration_ms=120, requests=5e6, as_of="2026-11-01")
>>> round(view.total_cost, 2), round(view.without_free_tier_cost, 2)
(4.13, 11.0)
>>> {name: round(cost, 2) for name, cost in view.breakdown.items()}["duration tier 1"]
10.0
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .tables import count, money

__all__ = ["CURVE_STEP_MB", "CalculatorView", "Calculator", "calculate"]

#: Memory sizes of the curve: every CURVE_STEP_MB from 128 MB, plus the size chosen. [MB]
CURVE_STEP_MB = 64


@dataclass(frozen=True)
class CalculatorView:
    """What the calculator shows for one set of inputs.

    Attributes
    ----------
    inputs : dict
        The widget values it was computed from.
    estimate : Estimate
        :func:`lambdacost.estimate` of those inputs: line items, provenance, assumptions.
    without_free_tier : Estimate
        The same without the free tier (one pool for the whole account).
    curve : Tuning
        :func:`lambdacost.tune` over the memory sizes on both architectures, the duration
        scaled from the chosen size by ``cpu_share`` (Amdahl's law).
    """

    inputs: dict
    estimate: object
    without_free_tier: object
    curve: object

    @property
    def currency(self) -> str:
        """What every cost is in: ``"USD"``, or ``"CNY"`` in the China regions."""
        return self.estimate.currency

    @property
    def total_cost(self) -> float:
        """The month's cost. [currency]"""
        return self.estimate.total_cost

    @property
    def without_free_tier_cost(self) -> float:
        """The month's cost without the free tier. [currency]"""
        return self.without_free_tier.total_cost

    @property
    def breakdown(self) -> dict:
        """The month's cost by line item name, free-tier credits included (negative). [currency]"""
        return {item.name: item.cost for item in self.estimate.line_items}

    @property
    def cheapest(self):
        """The cheapest (memory_mb, arch) row of :attr:`curve` (a pandas Series)."""
        return self.curve.best

    def summary(self) -> str:
        """The numbers as the calculator prints them above its charts.

        Examples
        --------
        >>> print(calculate(512, 120, 5e6, as_of="2026-11-01").summary().splitlines()[0])
        512 MB x 120 ms x 5,000,000 requests/month on x86_64 in us-east-1: $0.80 a month
        """
        i, c = self.inputs, self.currency
        best = self.cheapest
        lines = [
            f"{count(i['memory_mb'])} MB x {count(i['duration_ms'])} ms x {count(i['requests'])} requests/month "
            f"on {i['arch']} in {i['region']}: {money(self.total_cost, c)} a month",
            f"{money(self.without_free_tier_cost, c)} without the free tier (one pool for the whole account)",
            f"cheapest size if {i['cpu_share']:.0%} of the time is CPU-bound: {count(best.memory_mb)} MB "
            f"{best.arch} at {count(round(float(best.duration_ms), 1))} ms, {money(float(best.cost), c)} a month",
        ]
        lines += [f"note: {warning}" for warning in self.curve.warnings]
        return "\n".join(lines)

    def figure(self, fig=None):
        """The breakdown (left) and the memory curve (right) on one figure.

        Parameters
        ----------
        fig : matplotlib.figure.Figure, optional
            Drawn on after clearing; default a new figure.

        Returns
        -------
        matplotlib.figure.Figure
        """
        import matplotlib.pyplot as plt

        from .plot import breakdown, memory_curve

        if fig is None:
            fig = plt.figure(figsize=(13, 4.8))
        fig.clear()
        left, right = fig.subplots(1, 2, width_ratios=[1, 1.6])
        breakdown(self.estimate, ax=left)
        memory_curve(self.curve.table, ax=right)
        fig.subplots_adjust(wspace=0.9)  # room for the breakdown's legend
        return fig


def calculate(
    memory_mb=1024,
    duration_ms=120,
    requests=1e6,
    arch="x86_64",
    region="us-east-1",
    *,
    cpu_share=1.0,
    free_tier=True,
    as_of=None,
    pricebook=None,
) -> CalculatorView:
    """Everything the calculator shows, from its widget values: the pure core of :class:`Calculator`.

    Parameters
    ----------
    memory_mb : int, default 1024
        [MB]
    duration_ms : float, default 120
        Per invocation, at ``memory_mb`` on ``arch``. [ms]
    requests : float, default 1e6
        Per month. [count]
    arch : {"x86_64", "arm64"}
    region : str, default "us-east-1"
    cpu_share : float, default 1.0
        CPU-bound share of ``duration_ms``, for the memory curve only (the rest is I/O and
        does not speed up with memory; see :func:`lambdacost.durations.scale_duration_ms`). [0..1]
    free_tier : bool, default True
    as_of : date or str, optional
        Billing date; default today.
    pricebook : PriceBook, optional

    Returns
    -------
    CalculatorView

    Examples
    --------
    The curve's row at the chosen size and architecture is the estimate without its free tier
    taken off another function's use: the same library call underneath.

    >>> view = calculate(2048, 300, 2e7, "arm64", "eu-west-1", as_of="2026-11-01")
    >>> row = view.curve.table.query("memory_mb == 2048 and arch == 'arm64'").iloc[0]
    >>> round(float(row.cost), 6) == round(view.total_cost, 6)
    True
    """
    from .estimates import estimate
    from .tuning import tune

    keywords = dict(arch=arch, region=region, as_of=as_of, pricebook=pricebook)
    priced = estimate(memory_mb, duration_ms, requests, free_tier=free_tier, **keywords)
    without = estimate(memory_mb, duration_ms, requests, free_tier=False, **keywords)
    era = (pricebook or _book()).era(_day(as_of))
    sizes = np.unique(
        np.append(np.arange(era.memory_mb_min, era.memory_mb_max + 1, CURVE_STEP_MB), int(memory_mb))
    ).astype(int)
    curve = tune(
        requests,
        duration_ms=duration_ms,
        measured_memory_mb=memory_mb,
        cpu_share=cpu_share,
        measured_arch=arch,
        memory_mb=sizes,
        region=region,
        free_tier=free_tier,
        as_of=as_of,
        pricebook=pricebook,
    )
    inputs = dict(
        memory_mb=priced.inputs["memory_mb"],
        duration_ms=priced.inputs["duration_ms"],
        requests=priced.inputs["requests"],
        arch=arch,
        region=region,
        cpu_share=float(cpu_share),
        free_tier=free_tier,
    )
    return CalculatorView(inputs, priced, without, curve)


def _book():
    from .prices import default_pricebook

    return default_pricebook()


def _day(as_of):
    from .validation import to_date

    return to_date(as_of, _book().earliest)


class Calculator:
    """The calculator as notebook widgets: move one and the numbers and charts follow.

    Parameters
    ----------
    as_of : date or str, optional
        Billing date for every view; default today.
    **values
        Starting values of the controls (the parameters of :func:`calculate`).

    Attributes
    ----------
    controls : dict of str to ipywidgets.Widget
        One per input of :func:`calculate`.
    view : CalculatorView
        What is shown now.
    widget : ipywidgets.VBox
        The controls above the output (a notebook displays a Calculator as this).

    Examples
    --------
    In a notebook: ``Calculator()`` as a cell's last line. Without one, the controls still
    drive the view:

    >>> calc = Calculator(memory_mb=512, duration_ms=120, requests=5e6, as_of="2026-11-01")
    >>> calc.controls["memory_mb"].value = 2048
    >>> calc.view.inputs["memory_mb"], round(calc.view.total_cost, 2)
    (2048.0, 14.13)
    """

    def __init__(self, *, as_of=None, **values):
        try:
            import ipywidgets as widgets
        except ImportError:
            raise ImportError('the notebook calculator needs ipywidgets: pip install "lambdacost[notebook]"') from None
        from .prices import ARCHITECTURES

        self.as_of = as_of
        start = {**_DEFAULTS, **values}
        book = _book()
        regions = sorted(book.regions(_day(as_of)))
        style = {"description_width": "9em"}
        layout = widgets.Layout(width="34em")
        self.controls = {
            "memory_mb": widgets.IntSlider(
                value=int(start["memory_mb"]), min=128, max=10240, step=64, description="memory [MB]"
            ),
            "duration_ms": widgets.FloatLogSlider(
                value=float(start["duration_ms"]), base=10, min=0, max=np.log10(900_000), description="duration [ms]"
            ),
            "requests": widgets.FloatLogSlider(
                value=float(start["requests"]), base=10, min=3, max=11, description="requests/month"
            ),
            "arch": widgets.ToggleButtons(value=start["arch"], options=list(ARCHITECTURES), description="architecture"),
            "region": widgets.Dropdown(value=start["region"], options=regions, description="region"),
            "cpu_share": widgets.FloatSlider(
                value=float(start["cpu_share"]), min=0, max=1, step=0.05, description="CPU-bound share"
            ),
        }
        for control in self.controls.values():
            control.style = style
            control.layout = layout
            if hasattr(control, "continuous_update"):
                control.continuous_update = False  # recompute when a slider is let go
            control.observe(self._changed, names="value")
        self.output = widgets.Output()
        self.widget = widgets.VBox([*self.controls.values(), self.output])
        self.view = None
        self.refresh()

    def values(self) -> dict:
        """The controls' values, as :func:`calculate` takes them."""
        return {name: control.value for name, control in self.controls.items()}

    def _changed(self, _change) -> None:
        self.refresh()

    def refresh(self) -> CalculatorView:
        """Recompute the view from the controls and redraw it in :attr:`output`."""
        import matplotlib.pyplot as plt
        from IPython import get_ipython

        self.view = calculate(**self.values(), as_of=self.as_of)
        if get_ipython() is None:  # no notebook to draw in (a script, a test): the view is all
            return self.view
        with self.output:
            from IPython.display import clear_output, display

            clear_output(wait=True)
            print(self.view.summary())
            figure = self.view.figure()
            display(figure)
            plt.close(figure)
        return self.view

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)


#: The controls' starting values (as :func:`calculate`'s defaults).
_DEFAULTS = dict(memory_mb=1024, duration_ms=120, requests=1e6, arch="x86_64", region="us-east-1", cpu_share=1.0)
