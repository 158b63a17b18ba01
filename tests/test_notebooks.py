"""Every notebook runs end to end on a clean kernel, the way a reader would run it."""

from functools import cache
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks():
    assert [n.name[:2] for n in NOTEBOOKS] == ["01", "02", "03", "04"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[n.stem for n in NOTEBOOKS])
def test_notebook_executes(path):
    _execute(path)


@cache  # each notebook runs once per session, however many tests read it
def _execute(path):
    """Run a notebook on a clean kernel; check it ran without errors and shows its charts."""
    notebook = nbformat.read(path, as_version=4)
    assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code"), (
        "commit notebooks with outputs stripped"
    )
    NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    # The charts show: every plotting cell leaves a PNG in the notebook, as a reader sees it.
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    plotting = [c for c in notebook.cells if c.cell_type == "code" and ("plot." in c.source or "plt." in c.source)]
    assert plotting and len(images) >= len(plotting)
    return notebook


def test_the_calculator_notebook_shows_its_widgets_and_both_views():
    notebook = _execute(NOTEBOOKS[3])
    outputs = [[o for o in c.outputs] for c in notebook.cells if c.cell_type == "code"]
    widget_views = [
        o for cell in outputs for o in cell if "application/vnd.jupyter.widget-view+json" in o.get("data", {})
    ]
    assert len(widget_views) == 1  # the calculator's controls and output, as a reader sees them
    text = "".join(o.get("text", "") for cell in outputs for o in cell if o.output_type == "stream")
    # 1,024 MB x 120 ms x 5M in us-east-1: 600,000 GB-s less 400,000 free x $0.0000166667 + 4M x $0.20/M;
    # then arm64 2,048 MB in eu-west-1: 1.2M GB-s less 400,000 x $0.0000133334 + $0.80.
    assert "1,024 MB x 120 ms x 5,000,000 requests/month on x86_64 in us-east-1: $4.13 a month" in text
    assert "2,048 MB x 120 ms x 5,000,000 requests/month on arm64 in eu-west-1: $11.47 a month" in text
