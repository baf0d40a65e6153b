"""Notebook cells as the course sees them: source text, nbgrader role, secret lines, the kernel."""

from __future__ import annotations

import json
import re
from pathlib import Path

# The kernel every course notebook names; grading always runs this one.
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}

MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")
SECRET_REGION = re.compile(r"#+\s*BEGIN (SOLUTION|HIDDEN TESTS)(.*?)#+\s*END \1", re.DOTALL)
MIN_SECRET_LINE = 8  # shorter lines ("pass", "return x") are too common to count as secrets


def read_notebook(path: str | Path) -> dict:
    """A notebook file as plain JSON."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def nbgrader_meta(cell: dict) -> dict:
    """The nbgrader metadata of a cell, or {} (also for malformed cells)."""
    meta = cell.get("metadata", {}) if isinstance(cell, dict) else {}
    value = meta.get("nbgrader", {}) if isinstance(meta, dict) else {}
    return value if isinstance(value, dict) else {}


def grade_id(cell: dict) -> str | None:
    """The cell's nbgrader grade_id, or None."""
    return nbgrader_meta(cell).get("grade_id")


def joined(value) -> str:
    """An nbformat multiline string (one string or a list of lines) as one string."""
    return "".join(value) if isinstance(value, list) else str(value)


def cell_text(cell: dict) -> str:
    """A cell's source as one string."""
    return joined(cell.get("source", ""))


def is_answer(cell: dict) -> bool:
    """A cell the student writes (an nbgrader solution cell)."""
    return bool(nbgrader_meta(cell).get("solution"))


def is_test(cell: dict) -> bool:
    """A graded code cell that is not an answer: an autograder test."""
    meta = nbgrader_meta(cell)
    return bool(meta.get("grade")) and not meta.get("solution") and cell.get("cell_type") == "code"


def is_graded(nb: dict) -> bool:
    """True when a notebook has at least one graded cell."""
    return any(nbgrader_meta(c).get("grade") for c in nb["cells"])


def secret_lines(nb: dict) -> set[str]:
    """Lines that occur only inside solution or hidden-test regions (markers kept in ``nb``)."""
    secret, public = set(), set()
    for cell in nb["cells"]:
        text = cell_text(cell)
        for match in SECRET_REGION.finditer(text):
            secret.update(line.strip() for line in match.group(2).splitlines())
        public.update(line.strip() for line in SECRET_REGION.sub("", text).splitlines())
    return {line for line in secret - public if len(line) >= MIN_SECRET_LINE}
