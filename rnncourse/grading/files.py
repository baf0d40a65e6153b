"""The course folders a batch reads and writes: submitted/, autograded/ and feedback/."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from ..course.layout import Layout, resolve_assignments
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


def load_submission(layout: Layout, assignment: str, student: str, notebook: str,
                    trusted: Skeleton) -> Prepared:
    """Read and repair one submitted notebook; a missing or unreadable one gives no notebook."""
    folder = layout.submitted(student, assignment)
    path = folder / f"{notebook}.ipynb"
    if path.is_symlink() or not path.is_file():
        others = sorted(p.name for p in folder.glob("*.ipynb"))
        return Prepared(None, error=f"no {path.name} in the submission" + (
            f" (it has {', '.join(others)})" if others else ""))
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


EXCHANGE_FILES = ("timestamp.txt", "submission_secret.txt")


def copy_timestamp(layout: Layout, assignment: str, student: str, folder: Path) -> None:
    """Copy the submission's timestamp.txt and submission_secret.txt into ``folder``: nbgrader's later
    steps read them (`release_feedback` names the feedback file in the exchange by the secret)."""
    for name in EXCHANGE_FILES:
        path = layout.submitted(student, assignment) / name
        if path.is_file() and not path.is_symlink():
            shutil.copyfile(path, folder / name)


def reset_autograded(layout: Layout, assignment: str, student: str) -> Path:
    """An empty autograded/<student>/<assignment>/ with the submission's timestamp.txt."""
    folder = layout.autograded(student, assignment)
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    copy_timestamp(layout, assignment, student, folder)
    return folder


def keep_files(kept: str, folder: Path) -> None:
    """Move the files a run left in its scratch folder (``kept``) into the autograded folder:
    regular files only (no links), never hidden ones or caches, as nbgrader's ignore list says."""
    if not kept or not os.path.isdir(kept):
        return
    for here, dirs, files in os.walk(kept):
        dirs[:] = [d for d in dirs if not d.startswith(".") and d != "__pycache__"]
        for name in files:
            path = Path(here) / name
            target = folder / path.relative_to(kept)
            if (name.startswith(".") or name.endswith(".pyc") or path.is_symlink()
                    or not path.is_file() or target.exists()):
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(path), target)
    shutil.rmtree(kept, ignore_errors=True)


def valid_nbformat(nb) -> None:
    """Make ``nb`` valid nbformat 4.5: cells carry unique ids, so the minor version says so."""
    from nbformat.corpus.words import generate_corpus_id

    nb.nbformat, nb.nbformat_minor = 4, max(5, nb.get("nbformat_minor", 0))
    seen = set()
    for cell in nb.cells:
        if not cell.get("id") or cell["id"] in seen:
            cell["id"] = generate_corpus_id()
        seen.add(cell["id"])


def write_autograded(layout: Layout, key, nb) -> Path:
    """Store one executed notebook (valid nbformat) where nbgrader's formgrader looks for it."""
    import nbformat

    assignment, student, notebook = key
    valid_nbformat(nb)
    path = layout.autograded(student, assignment) / f"{notebook}.ipynb"
    nbformat.write(nb, path)
    return path
