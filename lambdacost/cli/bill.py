"""``lambdacost bill``: a fleet of functions priced together for one account-month."""

# Annotations evaluated here, not postponed: Typer would otherwise compile each one at every start.

import typer

from .common import PLOT_HELP, app, check_one_format, check_plot_file, save_plot, show_result, user_errors


@app.command()
@user_errors
def bill(
    fleet_file: str = typer.Argument(..., help="Fleet file: .toml, .yaml or .json (functions with their usage)."),
    as_of: str | None = typer.Option(
        None, "--as-of", help="Billing date YYYY-MM-DD (default: the file's as_of, else today)."
    ),
    free_tier: bool | None = typer.Option(
        None, "--free-tier/--no-free-tier", help="Apply the account's free tier (default: the file's, else yes)."
    ),
    explain: bool = typer.Option(False, "--explain", help="Show the derivation step by step."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    as_csv: bool = typer.Option(False, "--csv", help="Print one CSV row per function."),
    plot: str | None = typer.Option(
        None, "--plot", help=PLOT_HELP + " (the line items as a waterfall, then the cost per function by component)"
    ),
):
    """Price many functions together: tiers per region and architecture, one free tier."""
    from ..bills import bill as price_fleet
    from ..errors import LambdaCostError
    from ..readers.fleet import read_fleet

    check_one_format(as_json, as_csv)
    check_plot_file(plot)
    try:
        fleet = read_fleet(fleet_file)
    except LambdaCostError:
        from .iac import not_a_fleet

        not_a_fleet(fleet_file)  # a template, plan, serverless.yml or cdk.out: say which command reads it
        raise
    result = price_fleet(
        fleet.functions,
        free_tier=fleet.free_tier if free_tier is None else free_tier,
        as_of=fleet.as_of if as_of is None else as_of,
    )
    if plot:
        save_plot(plot, lambda: _chart(result))
    show_result(result, as_json=as_json, as_csv=as_csv, explain=explain, plot=None)


def _chart(result):
    """Two panels: the bill's line items (where the money goes), then each function's part."""
    import matplotlib.pyplot as plt

    from ..plot import TOP_FUNCTIONS, bill_functions, breakdown

    bars = min(len(result.functions), TOP_FUNCTIONS + 1)
    lower = max(2.5, 0.45 * bars + 1.5)
    _, (items, functions) = plt.subplots(2, 1, figsize=(9, 5 + lower), height_ratios=[5, lower])
    breakdown(result, ax=items)
    bill_functions(result, ax=functions)
    return items
