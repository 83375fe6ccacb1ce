"""The example notebooks run from top to bottom (each asserts that the simulated FPGA and the
model agree)."""

from pathlib import Path

import pytest


def _execute(name):
    """Run examples/<name> and return the text it printed."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    path = Path(__file__).resolve().parent.parent / "examples" / name
    nb = nbformat.read(path, as_version=4)
    nbclient.NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    return "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))


def test_quickstart_notebook_executes():
    assert "agree on all" in _execute("quickstart.ipynb")


def test_ablation_notebook_executes_its_reduced_study():
    pytest.importorskip("dask.distributed")
    pytest.importorskip("sklearn")
    outputs = _execute("ablation.ipynb")
    assert "agree on all of them" in outputs and "(projection)" in outputs


def test_snntorch_notebook_runs_the_trained_network_on_both_backends():
    pytest.importorskip("sklearn")
    pytest.importorskip("nir")
    outputs = _execute("snntorch.ipynb")
    assert "agree on all" in outputs and "test accuracy on 1M1T1R neurons" in outputs
