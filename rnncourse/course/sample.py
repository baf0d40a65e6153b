"""Build sample submissions (reference, blank, typical mistakes) from source/ and release/.

Typical mistakes come from a folder the caller names (the repository keeps them in
tests/mistakes/): ``<folder>/<assignment>.py`` defines
``MISTAKES = {name: {"why": str, "cells": {grade_id: code}}}``.
"""

from __future__ import annotations

import copy
import json
import re
import runpy
from pathlib import Path

from ..nb import cell_text, grade_id, is_answer, read_notebook
from .layout import Layout

MARKER_LINE = re.compile(r"^\s*#+\s*(BEGIN|END) SOLUTION\s*$")


def reference_code(text: str) -> str:
    """A solution cell as a student who solved it would submit it (markers removed)."""
    return "\n".join(line for line in text.splitlines() if not MARKER_LINE.match(line))


def solutions(source_nb: dict) -> dict[str, str]:
    """grade_id -> reference answer text for every solution cell of a source notebook."""
    return {grade_id(cell): reference_code(cell_text(cell)) for cell in source_nb["cells"]
            if is_answer(cell)}


def fill(released_nb: dict, answers: dict[str, str]) -> dict:
    """A copy of the released notebook with the given answer cells filled in."""
    nb = copy.deepcopy(released_nb)
    for cell in nb["cells"]:
        if grade_id(cell) in answers:
            cell["source"] = answers[grade_id(cell)]
    return nb


def mistakes(folder: Path | None, assignment: str) -> dict[str, dict]:
    """The typical mistakes of ``assignment`` declared in ``folder``; {} when it declares none."""
    path = Path(folder) / f"{assignment}.py" if folder else None
    if path is None or not path.is_file():
        return {}
    return runpy.run_path(str(path)).get("MISTAKES", {})


def sample_class(root: Path, course: Path, assignment: str, mistakes_dir: Path | None = None,
                 notebook: str = "assignment.ipynb") -> dict[str, str]:
    """Write submitted/<student>/<assignment>/ folders into ``course``; return student -> story."""
    source_nb = read_notebook(Layout.of(root).source(assignment) / notebook)
    target = Layout.of(course)
    released_nb = read_notebook(target.release(assignment) / notebook)
    reference = solutions(source_nb)
    students = {"reference": ("the reference solution", reference), "blank": ("the blank release", {})}
    for name, mistake in mistakes(mistakes_dir, assignment).items():
        unknown = set(mistake["cells"]) - set(reference)
        if unknown:
            raise KeyError(f"mistake {name!r} of {assignment} names unknown cells {sorted(unknown)}")
        students[f"mistake-{name}"] = (mistake["why"], {**reference, **mistake["cells"]})
    for student, (_, answers) in students.items():
        folder = target.submitted(student, assignment)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / notebook).write_text(json.dumps(fill(released_nb, answers), indent=1),
                                       encoding="utf-8")
    return {student: story for student, (story, _) in students.items()}
