"""Every lecture in source/ runs top to bottom in fast mode, in the course's python3 kernel.

Assignments are run elsewhere, three ways: nbgrader's validate on the source (tests/integration/
test_pipeline.py), every test cell against the reference (test_units.py), and the graded sample class.
"""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "source").glob("*/lecture.ipynb"))


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT / "source")))
def test_notebook_runs_in_fast_mode(path, monkeypatch, tmp_path):
    monkeypatch.setenv("RNNCOURSE_FAST", "1")
    monkeypatch.setenv("MPLBACKEND", "Agg")
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert not errors
    noisy = [o.get("text", "") for c in nb.cells if c.cell_type == "code"
             for o in c.get("outputs", []) if o.get("name") == "stderr"]
    assert not any("oneDNN" in t or "cpu_feature_guard" in t for t in noisy), \
        "TensorFlow's C++ log lines reached a cell"
    if os.environ.get("RNNCOURSE_KEEP_EXECUTED"):
        out = ROOT / "tests" / "artifacts" / "executed" / path.parent.name
        out.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, out / path.name)
