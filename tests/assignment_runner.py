"""Run a source assignment's code cells in-process: reference answers, or a typical mistake."""

from __future__ import annotations

import contextlib
import io
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rnncourse.check import cell_text, read_notebook
from rnncourse.sample import mistakes, reference_code

ROOT = Path(__file__).resolve().parents[1]
HIDDEN = re.compile(r"^[ \t]*#+\s*BEGIN HIDDEN TESTS.*?^[ \t]*#+\s*END HIDDEN TESTS[^\n]*\n?",
                    re.DOTALL | re.MULTILINE)


def public_part(text: str) -> str:
    """A test cell as students see it: the hidden region removed."""
    return HIDDEN.sub("", text)


@dataclass(frozen=True)
class Cell:
    """One code cell of a source assignment."""

    grade_id: str | None
    kind: str  # "answer", "test" or "code"
    text: str


def units() -> list[str]:
    """Every unit that declares typical mistakes (tests/mistakes/<unit>.py) and has an assignment."""
    return sorted(p.stem for p in (ROOT / "tests" / "mistakes").glob("*.py")
                  if (ROOT / "source" / p.stem / "assignment.ipynb").is_file())


@cache
def code_cells(unit: str) -> tuple[Cell, ...]:
    """The code cells of source/<unit>/assignment.ipynb, answers without their markers."""
    nb = read_notebook(ROOT / "source" / unit / "assignment.ipynb")
    cells = []
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        meta = cell.get("metadata", {}).get("nbgrader", {})
        text = cell_text(cell)
        if meta.get("solution"):
            cells.append(Cell(meta["grade_id"], "answer", reference_code(text)))
        elif meta.get("grade"):
            cells.append(Cell(meta["grade_id"], "test", text))
        else:
            cells.append(Cell(meta.get("grade_id"), "code", text))
    return tuple(cells)


def declared_mistakes(unit: str) -> dict[str, dict]:
    """tests/mistakes/<unit>.py's MISTAKES."""
    return mistakes(ROOT, unit)


def _run(text: str, namespace: dict, label: str) -> None:
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compile(text, f"<{label}>", "exec"), namespace)  # noqa: S102 - course code


@cache
def _prefix(unit: str) -> tuple[int, dict]:
    """Run the leading plain code cells (setup: imports, data) once; (cells run, namespace)."""
    namespace: dict = {"__name__": "__main__"}
    count = 0
    for cell in code_cells(unit):
        if cell.kind != "code":
            break
        _run(cell.text, namespace, cell.grade_id or "setup")
        count += 1
    return count, namespace


def run_reference(unit: str) -> None:
    """Run every code cell with the reference answers and the full test cells; raise on failure."""
    start, prefix = _prefix(unit)
    namespace = dict(prefix)
    for cell in code_cells(unit)[start:]:
        _run(cell.text, namespace, cell.grade_id or "code")


def run_until_test(unit: str, answers: dict[str, str], test_id: str, public: bool = True) -> None:
    """Run the notebook as a student would, top to bottom, with ``answers`` in place of the
    reference, and the PUBLIC part of each test cell; errors before ``test_id`` are ignored (the
    student moves on); ``test_id`` runs last (whole when ``public`` is False), its error raised."""
    start, prefix = _prefix(unit)
    namespace = dict(prefix)
    for cell in code_cells(unit)[start:]:
        if cell.kind == "test" and cell.grade_id == test_id:
            _run(public_part(cell.text) if public else cell.text, namespace, test_id)
            return
        text = answers.get(cell.grade_id, cell.text) if cell.kind == "answer" else cell.text
        if cell.kind == "test":
            text = public_part(text)
        try:
            _run(text, namespace, cell.grade_id or "code")
        except Exception:  # noqa: BLE001 - a student's earlier cell may fail; the notebook goes on
            pass
    raise KeyError(f"{unit} has no test cell {test_id!r}")
