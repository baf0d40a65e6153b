"""The course folders a batch reads and writes: submitted/, autograded/ and feedback/."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from ..course.layout import Layout, resolve_assignments
from ..nb import cell_text, grade_id
from . import feedback
from .gradebook import GRADED_NOTEBOOK, Result
from .repair import Prepared, Skeleton, prepare, read

MAX_DATA_FILE_MB = 50  # data files bigger than this are not copied next to the notebook


def submissions(layout: Layout, names=()) -> list[tuple[str, str]]:
    """(assignment, student) pairs found under submitted/, sorted."""
    names = set(resolve_assignments(layout.root, names))
    found = []
    for folder in sorted(layout.top("submitted").glob("*/*")):
        if folder.is_dir() and folder.name in names:
            found.append((folder.name, folder.parent.name))
    return sorted(found)


def load_submission(layout: Layout, assignment: str, student: str, trusted: Skeleton) -> Prepared:
    """Read and repair one submitted notebook; unreadable files give a Prepared without notebook."""
    path = layout.submitted(student, assignment) / f"{GRADED_NOTEBOOK}.ipynb"
    if path.is_symlink() or not path.is_file():
        return Prepared(None, error=f"no {path.name} in the submission")
    nb, error = read(path.read_bytes())
    return prepare(nb, trusted) if nb is not None else Prepared(None, error=error)


def extra_files(layout: Layout, assignment: str, student: str) -> list[tuple[str, str]]:
    """(path, relative path) of data files to copy next to the notebook: the student's, then
    the source's (which win), never notebooks, links or big files."""
    found = {}
    for base in (layout.submitted(student, assignment), layout.source(assignment)):
        for folder, dirs, files in os.walk(base):
            dirs[:] = [d for d in dirs if not d.startswith(".") and d != "__pycache__"]
            for name in files:
                path = Path(folder) / name
                if (name.endswith(".ipynb") or name.startswith(".") or path.is_symlink()
                        or path.stat().st_size > MAX_DATA_FILE_MB << 20):
                    continue
                found[str(path.relative_to(base))] = str(path)
    return [(path, relative) for relative, path in sorted(found.items())]


def timestamp_of(layout: Layout, assignment: str, student: str):
    """The submission time from timestamp.txt (as nbgrader's exchange writes it), or None."""
    from nbgrader.utils import parse_utc

    path = layout.submitted(student, assignment) / "timestamp.txt"
    try:
        return parse_utc(path.read_text(encoding="utf-8").strip()) if path.is_file() else None
    except Exception:  # noqa: BLE001 - a garbled timestamp must not stop grading
        return None


def copy_timestamp(layout: Layout, assignment: str, student: str, folder: Path) -> None:
    """Copy the submission's timestamp.txt into ``folder`` (nbgrader's later steps read it)."""
    stamp = layout.submitted(student, assignment) / "timestamp.txt"
    if stamp.is_file() and not stamp.is_symlink():
        shutil.copyfile(stamp, folder / "timestamp.txt")


def write_autograded(layout: Layout, key, nb) -> None:
    """Store the executed notebook where nbgrader's formgrader looks for it."""
    import nbformat

    assignment, student = key
    folder = layout.autograded(student, assignment)
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    nbformat.write(nb, folder / f"{GRADED_NOTEBOOK}.ipynb")
    copy_timestamp(layout, assignment, student, folder)


def write_feedback(layout: Layout, result: Result, nb, trusted: Skeleton, notes: list[str]) -> Path:
    """feedback/<student>/<assignment>/assignment.html, without hidden tests or solutions."""
    public = {grade_id(c): cell_text(c) for c in trusted.release["cells"] if grade_id(c)}
    scores = {}
    for name, (got, most) in result.tests.items():
        why = "to grade by hand" if name in result.manual else ("passed" if got >= most else "failed")
        scores[name] = (None if name in result.manual else got, most, why)
    title = f"{result.assignment}: feedback for {result.student}"
    page = (feedback.render(nb, public, title, scores, notes) if nb is not None
            else feedback.unreadable(title, result.reason, scores))
    folder = layout.feedback(result.student, result.assignment)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{GRADED_NOTEBOOK}.html"
    path.write_text(page, encoding="utf-8")
    copy_timestamp(layout, result.assignment, result.student, folder)  # release_feedback reads it
    return path
