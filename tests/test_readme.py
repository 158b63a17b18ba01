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
