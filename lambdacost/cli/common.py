"""What every command shares: the app, error handling and output formats."""

# Annotations evaluated here, not postponed: Typer would otherwise compile the root callback's
# and its option callbacks' annotations at every start.
import functools
import io
import sys
from collections.abc import Callable

import typer
from typer.core import TyperGroup
from typer.exceptions import Abort as TyperAbort

try:  # typer 0.2x carries its own copy of Click: its exceptions are the ones raised
    from typer import _click as click
except ImportError:  # pragma: no cover - typer on the public click
    import click

from ..errors import InvalidParameterError, LambdaCostError, UnknownRegionError

#: Columns of ``--help`` when stdout is not a terminal (piped to a pager, a file or grep):
#: Rich would wrap at 80 and cut every option's help into slivers. ``$TERMINAL_WIDTH`` or
#: ``$COLUMNS`` still win.
HELP_WIDTH = 110


def _help_width(args) -> None:
    """Give help a fixed :data:`HELP_WIDTH` when it is not shown on a terminal."""
    import os

    args = sys.argv[1:] if args is None else list(args)
    if args and "--help" not in args:  # only help (asked, or no arguments) pays for importing Rich
        return
    if os.environ.get("TERMINAL_WIDTH") or os.environ.get("COLUMNS") or sys.stdout.isatty():
        return
    from typer import rich_utils

    if rich_utils.MAX_WIDTH is None:
        rich_utils.MAX_WIDTH = HELP_WIDTH


class _OneLineErrors(TyperGroup):
    """Click's own usage errors (a missing option, a bad number) as one line, like ours: no box, exit 2."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        _help_width(args)
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.exceptions.NoArgsIsHelpError as error:
            error.show()
            sys.exit(error.exit_code)
        except click.ClickException as error:
            typer.echo(f"Error: {' '.join(error.format_message().split())}", err=True)
            sys.exit(error.exit_code)
        except TyperAbort:
            typer.echo("Aborted!", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


app = typer.Typer(
    cls=_OneLineErrors,
    name="lambdacost",
    help="What AWS Lambda will cost you, and why.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)

#: Library parameter name -> the CLI option a user typed.
OPTION_NAMES = {
    "memory_mb": "--memory",
    "duration_ms": "--ms",
    "requests": "--requests",
    "ephemeral_storage_mb": "--storage",
    "requests_per": "--per",
    "arch": "--arch",
    "region": "--region",
    "as_of": "--as-of",
}


def fail(message: str, code: int = 2):
    """Print one line to stderr and exit with ``code`` (2: bad input). Never a traceback."""
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(code)


def user_errors(command: Callable | None = None, *, options: dict[str, str] | None = None):
    """Turn the library's errors into one line on stderr and exit status 2.

    ``options`` maps a command's own library parameter names to its flags (on top of
    OPTION_NAMES), so that messages name what the user typed: ``@user_errors(options=...)``.
    """
    names = {**OPTION_NAMES, **(options or {})}

    def decorate(command: Callable) -> Callable:
        @functools.wraps(command)
        def wrapper(*args, **kwargs):
            try:
                return command(*args, **kwargs)
            except InvalidParameterError as error:
                option = names.get(error.name)
                typed = _typed(option, kwargs)
                if typed is not None and str(typed) != str(error.got):  # '512GB', not 524288
                    error = InvalidParameterError(error.name, error.allowed, typed)
                fail(f"Invalid value for '{option}': {error}" if option else str(error))
            except UnknownRegionError as error:  # the region the user typed, not one read from a file
                typed = kwargs.get("region")
                same = isinstance(typed, str) and typed.strip().lower() == str(error.region).lower()
                hint = _option_hint("region") if same else None
                fail(f"Invalid value for {hint}: {error}" if hint else str(error))
            except LambdaCostError as error:
                fail(str(error))

        return wrapper

    return decorate(command) if command is not None else decorate


def _option_hint(name: str) -> str | None:
    """How Click names the running command's option ``name`` (``'--region'``); None if it is no option."""
    try:  # typer 0.2x keeps its copy of Click's globals in _click.globals
        from typer._click.globals import get_current_context
    except ImportError:  # pragma: no cover - typer on the public click
        from click import get_current_context

    context = get_current_context(silent=True)
    for param in context.command.params if context else ():
        if param.name == name and param.param_type_name == "option":
            return param.get_error_hint(context)
    return None


def _typed(option: str | None, kwargs: dict):
    """The text the user typed for ``option`` when it is one value (not a list or range), else None.

    A command's parameter is named after its flag (``--as-of`` -> ``as_of``).
    """
    if option is None:
        return None
    value = kwargs.get(option.lstrip("-").replace("-", "_"))
    if isinstance(value, str) and not any(c in value for c in ",:@"):
        return value
    return None


PLOT_SUFFIXES = (".png", ".svg")
PLOT_HELP = "Also draw the chart to this .png or .svg file."


def check_plot_file(path: str | None) -> None:
    """Fail early (before any work) when --plot names a format we cannot write."""
    if path is not None and not path.lower().endswith(PLOT_SUFFIXES):
        fail(f"Invalid value for '--plot': the file must end in .png or .svg, got {path!r}")


def save_plot(path: str, draw: Callable) -> None:
    """Run ``draw()`` (a :mod:`lambdacost.plot` helper on a new figure) and write the figure.

    Every ``--plot`` then says ``chart written to PATH``, on stderr: ``--json`` and ``--csv``
    output on stdout stays clean.
    """
    import matplotlib

    matplotlib.use("Agg")  # files only: no display needed
    import matplotlib.pyplot as plt

    ax = draw()
    try:
        ax.figure.savefig(path, bbox_inches="tight")
    except OSError as error:
        fail(f"cannot write --plot {path}: {error.strerror or error}")
    finally:
        plt.close(ax.figure)
    typer.echo(f"chart written to {path}", err=True)


#: Rows formatted at once by ``--csv`` (a progress step; a few MB of text).
CSV_CHUNK_ROWS = 100_000


def write_csv(frame) -> None:
    """``--csv``: the whole table as CSV on standard output (as every command's ``--csv`` does).

    Written in chunks of :data:`CSV_CHUNK_ROWS` rows, with a progress bar on a terminal's
    stderr when it takes long (millions of sweep rows take seconds to format).
    """
    from .progress import Progress

    rows = len(frame)
    with Progress(rows, "Writing CSV") as bar:
        for start in range(0, max(rows, 1), CSV_CHUNK_ROWS):
            part = frame.iloc[start : start + CSV_CHUNK_ROWS]
            typer.echo(part.to_csv(index=False, header=start == 0), nl=False)
            bar.update(len(part))


def check_one_format(as_json: bool, as_csv: bool) -> None:
    """Fail up front when both --json and --csv are given: one output format per run."""
    if as_json and as_csv:
        fail("choose one of --json and --csv, got both")


def show_result(result, *, as_json: bool, as_csv: bool, explain: bool, plot: str | None) -> None:
    """Print an Estimate or a Bill as JSON, CSV or a table (with its derivation on request)."""
    if plot:
        from ..plot import breakdown

        save_plot(plot, lambda: breakdown(result))
    if as_json:
        data = result.to_dict()
        if explain:
            data["explanation"] = result.explain()
        print_json(data)
    elif as_csv:
        print_csv(result.CSV_HEADERS, result.csv_rows())
    else:
        typer.echo(str(result))
        if explain:
            typer.echo("\n" + result.explain())
        elif result.assumptions:
            typer.echo(f"\n{len(result.assumptions)} assumption(s); see --explain.")


def _strict(value):
    """``value`` with every NaN or infinity made None (JSON has no such numbers)."""
    if isinstance(value, float):  # also numpy's float64
        return value if value - value == 0.0 else None
    if isinstance(value, dict):
        return {k: _strict(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_strict(v) for v in value]
    if hasattr(value, "tolist") and hasattr(value, "dtype"):  # numpy arrays and scalars
        return _strict(value.tolist())
    return value


def print_json(data) -> None:
    """Strict JSON: NaN and infinities become null (never ``NaN``, which no JSON parser must accept)."""
    import json  # only for --json: not at every start

    typer.echo(json.dumps(_strict(data), indent=2, default=str, allow_nan=False))


#: Decimals of every money column a ``--csv`` prints (a ten-billionth of a dollar or yuan: below any
#: rate on the sheets' per-invocation scale, above float noise such as ``-2.4e-17``).
MONEY_DECIMALS = 10


def money_text(value) -> str:
    """An amount of money for CSV: fixed-point, rounded to :data:`MONEY_DECIMALS`, no negative zero.

    Sums of charges and credits leave float noise where they cancel; it is not money.

    Examples
    --------
    >>> money_text(-2.4069288229178198e-17), money_text(4.75017800546404), money_text(12.5)
    ('0', '4.7501780055', '12.5')
    >>> money_text(0.0000152), money_text(123456789.123)
    ('0.0000152', '123456789.123')
    """
    from decimal import Decimal

    if isinstance(value, bool) or not isinstance(value, int | float) or value - value != 0:  # text, NaN, inf
        return value
    rounded = round(float(value), MONEY_DECIMALS) + 0.0  # + 0.0: -0.0 becomes 0.0
    # The shortest repr of the rounded value, written without an exponent (1e-05 -> 0.00001).
    text = format(Decimal(repr(rounded)), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _is_money(header: str) -> bool:
    """Amounts of money (``cost``, ``share_cost``), not rates read from a sheet (``rate``)."""
    return header == "cost" or header.endswith("_cost") or header in ("saving", "monthly_saving")


def print_csv(headers, rows) -> None:
    """CSV on standard output; money columns as :func:`money_text` prints them."""
    import csv  # only for --csv: not at every start

    money = [i for i, header in enumerate(headers) if _is_money(str(header))]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(headers)
    for row in rows:
        row = list(row)
        for i in money:
            row[i] = money_text(row[i])
        writer.writerow(row)
    typer.echo(buffer.getvalue(), nl=False)


def _version(value: bool):
    if value:
        from .. import __version__
        from ..prices import default_pricebook

        try:
            stamp = default_pricebook().stamp
        except LambdaCostError as error:  # a broken --pricing-dir / $LAMBDACOST_PRICING_DIR
            fail(str(error))
        typer.echo(f"lambdacost {__version__} (pricing {stamp})")
        raise typer.Exit()


def _pricing_dir(value: str | None):
    # The library reads the environment variable, so one switch serves every command.
    if value:
        import os

        from ..prices import PRICING_DIR_ENV

        os.environ[PRICING_DIR_ENV] = value
    return value


@app.callback()
def _root(
    pricing_dir: str | None = typer.Option(
        None,
        "--pricing-dir",
        metavar="DIR",
        is_eager=True,
        callback=_pricing_dir,
        help="Prices from DIR/lambda.toml (e.g. made by `prices import`) instead of the packaged ones; "
        "also $LAMBDACOST_PRICING_DIR.",
    ),
    version: bool | None = typer.Option(
        None, "--version", callback=_version, is_eager=True, help="Show the version and the pricing stamp."
    ),
):
    """What AWS Lambda will cost you, why, and when something else would be cheaper."""


def main() -> None:  # console-script entry point
    sys.exit(app())


#: The most values one range may expand to: a typo must not exhaust memory.
MAX_AXIS_VALUES = 10_000_000


def parse_axis(text: str, parse, name: str) -> list[float]:
    """A comma list whose items are values or inclusive ranges ``start:stop:step``.

    Each value is parsed with ``parse`` (so human units work: ``1GB:4GB:512MB``).

    Examples
    --------
    >>> from lambdacost.units import parse_memory_mb
    >>> parse_axis("128:512:128,1GB", parse_memory_mb, "memory_mb")
    [128.0, 256.0, 384.0, 512.0, 1024.0]
    """
    import numpy as np

    from ..errors import InvalidParameterError
    from ..units import THOUSANDS, parse_count

    # One count with thousands separators (1,000,000), not a list: two commas or more, since
    # "100,200" reads as a list of two.
    if parse is parse_count and str(text).count(",") >= 2 and THOUSANDS.match(str(text)):
        return [parse(str(text), name)]
    values: list[float] = []
    for part in str(text).split(","):
        part = part.strip()
        if ":" not in part:
            values.append(parse(part, name))
            continue
        pieces = part.split(":")
        if len(pieces) != 3:
            raise InvalidParameterError(name, "a value, a list a,b,c or a range start:stop:step", part)
        start, stop, step = (parse(piece, name) for piece in pieces)
        if step <= 0:
            raise InvalidParameterError(name, "a range start:stop:step with a step > 0", part)
        if start > stop:
            raise InvalidParameterError(name, "a range start:stop:step with start <= stop", part)
        n = int(np.floor((stop - start) / step * (1 + 1e-12))) + 1  # stop included when on a step
        if n > MAX_AXIS_VALUES:
            raise InvalidParameterError(
                name, f"a range of at most {MAX_AXIS_VALUES:,} values", f"{part} ({n:,} values)"
            )
        values.extend((start + step * np.arange(n)).tolist())
    return values
