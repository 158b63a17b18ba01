"""A progress bar on stderr for long work, shown only to a person watching a terminal.

The bar appears once the work has taken :data:`DELAY_S` seconds (short runs stay silent),
only when stderr is a terminal (a pipe, a file or CI gets nothing, so logs stay clean),
and it is erased when the work ends, so what stdout and stderr carry is the same with and
without it.

Examples
--------
>>> import io
>>> with Progress(100, "Writing CSV", stream=io.StringIO()) as bar:  # not a terminal: silent
...     bar.update(100)
>>> bar.shown
False
"""

from __future__ import annotations

import sys
import time

__all__ = ["DELAY_S", "Progress"]

#: Seconds of work before the bar shows (the issue's "longer than about two seconds").
DELAY_S = 2.0
#: Seconds between two redraws: often enough to look alive, rarely enough to cost nothing.
REDRAW_S = 0.1
#: Characters of the bar itself.
BAR_WIDTH = 30


def _stderr():
    return sys.stderr


class Progress:
    """Count work done out of ``total`` and draw a bar once it is slow, on a terminal only.

    Parameters
    ----------
    total : float
        The amount of work (rows, bytes). [count]
    label : str
        What is being done, shown before the bar.
    stream : file, optional
        Where to draw; default ``sys.stderr`` at the time the bar starts.
    delay_s : float, optional
        Seconds before the bar first shows; default :data:`DELAY_S`. [s]
    clock : callable, optional
        Seconds now; default ``time.monotonic`` (tests pass a fake one). [s]

    Examples
    --------
    A terminal, and work slower than the delay: the bar shows, then is erased.

    >>> import io
    >>> class Terminal(io.StringIO):
    ...     def isatty(self):
    ...         return True
    >>> now = iter([0.0, 3.0, 3.0])
    >>> out = Terminal()
    >>> with Progress(10, "Pricing", stream=out, clock=lambda: next(now)) as bar:
    ...     bar.update(5)
    >>> "50%" in out.getvalue(), bar.shown
    (True, True)
    """

    def __init__(self, total, label: str, *, stream=None, delay_s: float | None = None, clock=None):
        self.total = max(float(total), 0.0)
        self.label = label
        self.done = 0.0
        self.shown = False
        self._stream = stream
        self._delay_s = DELAY_S if delay_s is None else delay_s
        self._clock = clock or time.monotonic
        self._start = 0.0
        self._drawn_at = -float("inf")
        self._live = False
        self._width = 0

    def __enter__(self) -> Progress:
        self._stream = self._stream if self._stream is not None else _stderr()
        isatty = getattr(self._stream, "isatty", None)
        self._live = bool(isatty and isatty())
        self._start = self._clock() if self._live else 0.0
        return self

    def update(self, amount) -> None:
        """Add ``amount`` of work done; redraw when the bar is due."""
        self.advance(self.done + float(amount))

    def advance(self, done, total=None) -> None:
        """Set the work done so far (and the total, when it is known only now); redraw when due."""
        self.done = float(done)
        if total is not None:
            self.total = max(float(total), 0.0)
        if not self._live:
            return
        now = self._clock()
        if now - self._start < self._delay_s or (now - self._drawn_at < REDRAW_S and self.done < self.total):
            return
        self._drawn_at = now
        self.shown = True
        text = self.line(now - self._start)
        self._width = max(self._width, len(text))
        self._stream.write("\r" + text)
        self._stream.flush()

    def line(self, elapsed_s: float) -> str:
        """The bar as drawn after ``elapsed_s`` seconds: label, bar, percent and time.

        Examples
        --------
        >>> bar = Progress(200, "Writing CSV")
        >>> bar.done = 50
        >>> bar.line(2.5)
        'Writing CSV [#######-----------------------]  25%  2.5 s'
        """
        share = min(self.done / self.total, 1.0) if self.total else 1.0
        filled = int(share * BAR_WIDTH)
        return f"{self.label} [{'#' * filled}{'-' * (BAR_WIDTH - filled)}] {share:4.0%}  {elapsed_s:.1f} s"

    def __exit__(self, *exc) -> None:
        if self.shown:  # erase the bar: the output that follows starts on a clean line
            self._stream.write("\r" + " " * self._width + "\r")
            self._stream.flush()
