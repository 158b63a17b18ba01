"""Every notebook runs end to end on a clean kernel, the way a reader would run it."""

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks():
    assert [n.name[:2] for n in NOTEBOOKS] == ["01", "02", "03"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[n.stem for n in NOTEBOOKS])
def test_notebook_executes(path):
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
