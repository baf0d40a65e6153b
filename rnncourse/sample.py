"""Build sample submissions (reference, blank, typical mistakes) from source/ and release/."""

from __future__ import annotations

import copy
import json
import re
import runpy
from pathlib import Path

from .check import cell_text, read_notebook

MARKER_LINE = re.compile(r"^\s*#+\s*(BEGIN|END) SOLUTION\s*$")
MISTAKES_DIR = Path("tests") / "mistakes"


def reference_code(text: str) -> str:
    """A solution cell as a student who solved it would submit it (markers removed)."""
    return "\n".join(line for line in text.splitlines() if not MARKER_LINE.match(line))


def solutions(source_nb: dict) -> dict[str, str]:
    """grade_id -> reference answer text for every solution cell of a source notebook."""
    found = {}
    for cell in source_nb["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("solution"):
            found[meta["grade_id"]] = reference_code(cell_text(cell))
    return found


def fill(released_nb: dict, answers: dict[str, str]) -> dict:
    """A copy of the released notebook with the given answer cells filled in."""
    nb = copy.deepcopy(released_nb)
    for cell in nb["cells"]:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell["source"] = answers[grade_id]
    return nb


def mistakes(root: Path, assignment: str) -> dict[str, dict]:
    """Named typical mistakes for an assignment: {name: {"why": str, "cells": {grade_id: code}}}."""
    path = Path(root) / MISTAKES_DIR / f"{assignment}.py"
    if not path.is_file():
        return {}
    return runpy.run_path(str(path)).get("MISTAKES", {})


def sample_class(root: Path, course: Path, assignment: str, notebook: str = "assignment.ipynb"
                 ) -> dict[str, str]:
    """Write submitted/<student>/<assignment>/ folders into ``course``; return student -> story."""
    source_nb = read_notebook(Path(root) / "source" / assignment / notebook)
    released_nb = read_notebook(Path(course) / "release" / assignment / notebook)
    reference = solutions(source_nb)
    students = {"reference": ("the reference solution", reference), "blank": ("the blank release", {})}
    for name, mistake in mistakes(root, assignment).items():
        unknown = set(mistake["cells"]) - set(reference)
        if unknown:
            raise KeyError(f"mistake {name!r} of {assignment} names unknown cells {sorted(unknown)}")
        students[f"mistake-{name}"] = (mistake["why"], {**reference, **mistake["cells"]})
    for student, (_, answers) in students.items():
        folder = Path(course) / "submitted" / student / assignment
        folder.mkdir(parents=True, exist_ok=True)
        (folder / notebook).write_text(json.dumps(fill(released_nb, answers), indent=1),
                                       encoding="utf-8")
    return {student: story for student, (story, _) in students.items()}
