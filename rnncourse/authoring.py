"""Build nbgrader notebooks from Python (for instructors who script their notebooks)."""

from __future__ import annotations

import textwrap

import nbformat

SCHEMA_VERSION = 3


def _meta(grade_id: str, *, grade: bool, solution: bool, locked: bool, points: float | None = None,
          task: bool = False) -> dict:
    nbgrader = {"grade": grade, "grade_id": grade_id, "locked": locked,
                "schema_version": SCHEMA_VERSION, "solution": solution, "task": task}
    if points is not None:
        nbgrader["points"] = points
    return {"nbgrader": nbgrader}


def _clean(text: str) -> str:
    return textwrap.dedent(text).strip("\n")


def markdown(text: str, grade_id: str | None = None):
    """A markdown cell; with ``grade_id`` it is locked (students cannot edit it)."""
    cell = nbformat.v4.new_markdown_cell(_clean(text))
    if grade_id:
        cell.metadata = _meta(grade_id, grade=False, solution=False, locked=True)
    return cell


def code(text: str, grade_id: str | None = None):
    """A code cell; with ``grade_id`` it is locked read-only code."""
    cell = nbformat.v4.new_code_cell(_clean(text))
    if grade_id:
        cell.metadata = _meta(grade_id, grade=False, solution=False, locked=True)
    return cell


def solution(text: str, grade_id: str):
    """An answer cell: what lies between BEGIN/END SOLUTION is replaced by a stub for students."""
    cell = nbformat.v4.new_code_cell(_clean(text))
    cell.metadata = _meta(grade_id, grade=False, solution=True, locked=False)
    return cell


def tests(text: str, grade_id: str, points: float):
    """A locked, graded test cell (hidden checks go between BEGIN/END HIDDEN TESTS)."""
    cell = nbformat.v4.new_code_cell(_clean(text))
    cell.metadata = _meta(grade_id, grade=True, solution=False, locked=True, points=points)
    return cell


def written_answer(text: str, grade_id: str, points: float):
    """A markdown answer cell graded by hand."""
    cell = nbformat.v4.new_markdown_cell(_clean(text))
    cell.metadata = _meta(grade_id, grade=True, solution=True, locked=False, points=points)
    return cell


def notebook(cells) -> nbformat.NotebookNode:
    """A notebook naming the ``python3`` kernel, as every course notebook does."""
    nb = nbformat.v4.new_notebook(cells=list(cells))
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python",
                       "name": "python3"},
        "language_info": {"name": "python"},
    }
    return nb


def write(nb, path) -> None:
    """Validate and write a notebook without outputs, with stable cell ids."""
    for index, cell in enumerate(nb.cells):
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        cell.id = grade_id or f"cell-{index:03d}"
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    nbformat.validate(nb)
    nbformat.write(nb, str(path))
