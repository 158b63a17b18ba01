"""The README's promises hold: its console examples print what it shows, and its two set-up
commands are the ones CI runs. (Its Python examples run as doctests: see pyproject.toml.)"""

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lambdacost.cli import app

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()
CONSOLE = re.findall(r"```console\n\$ (lambdacost [^\n]*)\n(.*?)```", README, flags=re.S)


def test_readme_has_console_examples():
    assert len(CONSOLE) >= 3


@pytest.mark.parametrize("command, shown", CONSOLE, ids=[c for c, _ in CONSOLE])
def test_console_example_output_is_real(command, shown, monkeypatch):
    monkeypatch.chdir(ROOT)  # examples name files relative to the repository
    result = CliRunner().invoke(app, shlex.split(command)[1:])
    assert result.output.rstrip() == shown.rstrip()


def test_the_two_commands_near_the_top_and_ci_runs_the_test_one():
    commands = re.findall(r"```bash\n(.*?)\n```", README, flags=re.S)
    install_and_run, install_and_test = commands[:2]
    assert "lambdacost estimate" in install_and_run and "pip install" in install_and_run
    assert install_and_test == 'python -m pip install ".[test]" && python -m pytest'
    assert README.index(install_and_test) < 1500  # near the top
    assert install_and_test in (ROOT / ".ci" / "run").read_text()


def flag_table() -> str:
    """The README's table of the flags more than one command shares, from the CLI itself."""
    from typer.main import get_command

    commands = get_command(app).commands
    where: dict[str, list[str]] = {}
    for name, command in commands.items():
        for param in command.params:
            if param.param_type_name == "option":
                where.setdefault(max(param.opts, key=len), []).append(name)
    rows = ["| flag | commands |", "|---|---|"]
    rows += [f"| `{flag}` | {', '.join(names)} |" for flag, names in sorted(where.items()) if len(names) > 1]
    return "\n".join(rows)


def test_the_flag_table_is_the_cli_s():
    start = README.index("| flag | commands |")
    shown = README[start : README.index("\n\n", start)]
    assert shown == flag_table(), "regenerate the README's flag table with tests/test_readme.py:flag_table()"
