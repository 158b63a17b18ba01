"""``lambdacost iac`` and ``lambdacost diff``: infrastructure code priced before it is deployed."""

# Annotations evaluated here, not postponed: Typer would otherwise compile each one at every start.

import typer

from .common import app, fail, print_json, user_errors

_PARAMETER_HELP = "NAME=VALUE: a template parameter, or an opt:/env:/param: variable of serverless.yml; repeatable."
_USAGE_HELP = "Usage file (YAML/TOML): traffic per function, wildcards and a 'default' entry."


def _parameters(items: list[str]) -> dict[str, str]:
    out = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name:
            fail(f"Invalid value for '--parameter': {item!r} is not NAME=VALUE")
        out[name.strip()] = value
    return out


def not_a_fleet(path: str) -> None:
    """Fail with a pointer to ``lambdacost iac`` when ``path`` is infrastructure code, not a fleet
    file: ``bill`` prices fleets (usage inside), ``iac`` infrastructure code with a usage file."""
    from ..readers.iac import infrastructure_kind

    kind = infrastructure_kind(path)
    if kind:
        fail(f"{path} is {kind}, not a fleet file: price it with `lambdacost iac {path} --usage USAGE.yml`")


def _priced(path: str, usage, parameters: dict[str, str], as_of, free_tier: bool):
    """(configs, usage rows, Bill) for one template, plan, serverless.yml, cdk.out or fleet file."""
    from ..bills import bill
    from ..readers.iac import IacError, read_iac, usage_functions

    try:
        configs = read_iac(path, parameters=parameters, region=usage.region if usage else "us-east-1")
    except IacError as error:
        if not str(path).endswith((".toml", ".yaml", ".yml", ".json")):
            raise
        try:  # a lambdacost fleet file prices as it is
            from ..readers.fleet import read_fleet

            fleet = read_fleet(path)
        except Exception:
            raise error from None
        specs = list(fleet.functions)
        return (
            [],
            [{"name": s.get("name"), "usage": "fleet file", "traffic": bool(s.get("requests"))} for s in specs],
            bill(specs, as_of=as_of, free_tier=free_tier),
        )
    specs, rows = usage_functions(configs, usage)
    return configs, rows, bill(specs, as_of=as_of, free_tier=free_tier)


def _money(value: float, currency: str) -> str:
    from ..tables import money

    return money(value, currency)


def _config_text(configs, rows, result) -> str:
    from ..tables import text_table

    shares, currency = {f.name: f.share_cost for f in result.functions}, result.currency
    headers = [
        "function",
        "memory MB",
        "arch",
        "/tmp MB",
        "runtime",
        "package",
        "SnapStart",
        "PC",
        "usage",
        "per month",
    ]
    body, sources = [], []
    for config, row in zip(configs, rows):
        body.append(
            [
                config.name,
                str(config.memory_mb),
                config.arch,
                str(config.ephemeral_storage_mb),
                config.runtime or "-",
                config.package_type,
                "on" if config.snapstart else "off",
                str(config.provisioned_concurrency),
                row["usage"] if row["traffic"] else f"{row['usage']} (no traffic)",
                _money(shares[config.name], currency),
            ]
        )
        origins = "; ".join(f"{k}: {v}" for k, v in config.origins.items() if v != "AWS default")
        sources.append(f"  {config.name}: {origins or 'all AWS defaults'}")
        sources += [f"  {config.name}: {note}" for note in config.notes]
    lines = [text_table(headers, body, [False, True, False, True, False, False, False, True, False, True])]
    lines += ["", "Where each value came from (the rest: AWS defaults):"] + sources
    return "\n".join(lines)


@app.command()
@user_errors
def iac(
    template: str = typer.Argument(
        ..., help="SAM/CloudFormation template (YAML/JSON), cdk.out folder, Terraform plan JSON or serverless.yml."
    ),
    usage: str | None = typer.Option(None, "--usage", "-u", help=_USAGE_HELP),
    parameter: list[str] = typer.Option([], "--parameter", "-p", help=_PARAMETER_HELP),
    as_of: str | None = typer.Option(None, "--as-of", help="Billing date YYYY-MM-DD (default today)."),
    free_tier: bool = typer.Option(True, "--free-tier/--no-free-tier", help="Apply the account's free tier."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
):
    """Price the functions of infrastructure code: each one's configuration, its sources, the bill."""
    from ..readers.iac import read_usage

    plan = read_usage(usage) if usage else None
    configs, rows, result = _priced(template, plan, _parameters(parameter), as_of, free_tier)
    if as_json:
        data = result.to_dict()
        data["configurations"] = [
            c.to_dict() | {"usage": r["usage"], "traffic": r["traffic"]} for c, r in zip(configs, rows)
        ]
        print_json(data)
        return
    typer.echo(_config_text(configs, rows, result))
    typer.echo("")
    typer.echo(str(result))
    idle = [r["name"] for r in rows if not r["traffic"]]
    if idle:
        typer.echo(f"\nNo traffic (fixed costs only): {', '.join(idle)}" + ("" if usage else "; pass --usage"))


def _limit(text: str | None, option: str) -> tuple[float, bool] | None:
    if text is None:
        return None
    raw = text.strip()
    percent = raw.endswith("%")
    try:
        value = float(raw.rstrip("%").lstrip("$"))
    except ValueError:
        fail(f"Invalid value for '{option}': {text!r} is not an amount or a percentage like 10%")
    if value - value != 0.0 or (option == "--max-monthly" and value < 0):  # NaN, inf; a negative budget
        allowed = "a finite amount >= 0" if option == "--max-monthly" else "a finite amount or a percentage"
        fail(f"Invalid value for '{option}': must be {allowed}, got {text!r}")
    return value, percent


@app.command()
@user_errors
def diff(
    before: str = typer.Argument(..., help="Template, plan, serverless.yml, cdk.out or fleet file before the change."),
    after: str = typer.Argument(..., help="The same after the change."),
    usage: str | None = typer.Option(None, "--usage", "-u", help=_USAGE_HELP),
    parameter: list[str] = typer.Option([], "--parameter", "-p", help=_PARAMETER_HELP),
    as_of: str | None = typer.Option(None, "--as-of", help="Billing date YYYY-MM-DD (default today)."),
    free_tier: bool = typer.Option(True, "--free-tier/--no-free-tier", help="Apply the account's free tier."),
    max_monthly: str | None = typer.Option(
        None, "--max-monthly", help="Exit 1 if AFTER costs more than this a month (in its currency)."
    ),
    max_increase: str | None = typer.Option(
        None, "--max-increase", help="Exit 1 if the monthly increase exceeds this amount, or PCT% of BEFORE."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    markdown: bool = typer.Option(False, "--markdown", help="Print a Markdown table (for a pull request)."),
):
    """Monthly cost change between two versions of infrastructure code, per function and in total."""
    from ..readers.iac import read_usage

    ceiling, increase = _limit(max_monthly, "--max-monthly"), _limit(max_increase, "--max-increase")
    if ceiling and ceiling[1]:
        fail("Invalid value for '--max-monthly': an amount, not a percentage")
    plan = read_usage(usage) if usage else None
    parameters = _parameters(parameter)
    _, _, old = _priced(before, plan, parameters, as_of, free_tier)
    _, _, new = _priced(after, plan, parameters, as_of, free_tier)
    if old.currency != new.currency:
        fail(f"BEFORE bills in {old.currency} and AFTER in {new.currency}: a diff compares one currency")
    rows, currency = _changes(old, new), new.currency
    total_before, total_after = old.total_cost, new.total_cost
    change = total_after - total_before
    pct = (100 * change / total_before) if total_before else (0.0 if not change else float("inf"))
    if as_json:
        print_json(
            {
                "as_of": str(new.as_of),
                "currency": currency,
                "before_cost": total_before,
                "after_cost": total_after,
                "change_cost": change,
                "change_pct": pct if pct != float("inf") else None,
                "functions": rows,
            }
        )
    elif markdown:
        typer.echo(_markdown(rows, total_before, total_after, change, pct, currency))
    else:
        typer.echo(_text(rows, total_before, total_after, change, pct, currency))
    if ceiling and total_after > ceiling[0] + 1e-9:
        typer.echo(
            f"Budget exceeded: {_money(total_after, currency)} a month > --max-monthly {_money(ceiling[0], currency)}",
            err=True,
        )
        raise typer.Exit(1)
    if increase:
        limit, percent = increase
        over = (pct > limit + 1e-9) if percent else (change > limit + 1e-9)
        if over:
            shown = f"{pct:+.1f}%" if percent and pct != float("inf") else f"{_money(change, currency)} a month"
            typer.echo(f"Budget exceeded: monthly change {shown} > --max-increase {max_increase}", err=True)
            raise typer.Exit(1)


def _changes(old, new) -> list[dict]:
    before = {f.name: f.share_cost for f in old.functions}
    after = {f.name: f.share_cost for f in new.functions}
    rows = []
    for name in list(dict.fromkeys([*before, *after])):
        b, a = before.get(name), after.get(name)
        status = "added" if b is None else "removed" if a is None else "changed" if abs(a - b) > 5e-7 else "unchanged"
        rows.append(
            {
                "function": name,
                "before_cost": b,
                "after_cost": a,
                "change_cost": (a or 0.0) - (b or 0.0),
                "status": status,
            }
        )
    return rows


def _signed(value: float, currency: str) -> str:
    text = _money(abs(value), currency)
    return f"+{text}" if value > 5e-7 else f"-{text}" if value < -5e-7 else text


def _pct(pct: float) -> str:
    return "new" if pct == float("inf") else f"{pct:+.1f}%"


def _text(rows, total_before, total_after, change, pct, currency: str) -> str:
    from ..tables import text_table

    body = [
        [
            r["function"],
            "-" if r["before_cost"] is None else _money(r["before_cost"], currency),
            "-" if r["after_cost"] is None else _money(r["after_cost"], currency),
            _signed(r["change_cost"], currency),
            r["status"],
        ]
        for r in rows
    ]
    body.append(
        ["total", _money(total_before, currency), _money(total_after, currency), _signed(change, currency), _pct(pct)]
    )
    return "Monthly cost, before -> after\n\n" + text_table(
        ["function", "before", "after", "change", ""], body, [False, True, True, True, False]
    )


def _markdown(rows, total_before, total_after, change, pct, currency: str) -> str:
    lines = [
        f"**Lambda monthly cost: {_money(total_before, currency)} → {_money(total_after, currency)} ({_signed(change, currency)}, {_pct(pct)})**",
        "",
        "| function | before | after | change |",
        "|---|---:|---:|---:|",
    ]
    for r in rows:
        b = "—" if r["before_cost"] is None else _money(r["before_cost"], currency)
        a = "—" if r["after_cost"] is None else _money(r["after_cost"], currency)
        lines.append(f"| `{r['function']}` | {b} | {a} | {_signed(r['change_cost'], currency)} |")
    lines.append(
        f"| **total** | **{_money(total_before, currency)}** | **{_money(total_after, currency)}** | **{_signed(change, currency)}** |"
    )
    return "\n".join(lines)


__all__ = ["iac", "diff"]
