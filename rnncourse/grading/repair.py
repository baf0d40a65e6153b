"""Turn a submitted notebook into the notebook the grader runs, saying what had to be repaired.

The released notebook is the skeleton: every graded or locked cell is known by its grade_id.
Answer cells keep the student's text; locked cells (setup, tests) are restored from the
gradebook, hidden tests included; deleted cells come back, duplicated ones are graded once,
unknown nbgrader metadata is dropped and the kernel is always the course's ``python3``.
"""

from __future__ import annotations

import copy
import json
import warnings
from dataclasses import dataclass, field

from ..nb import KERNELSPEC, cell_text, is_answer, is_test, nbgrader_meta

MAX_NOTEBOOK_MB = 20  # a bigger submission is refused before parsing


@dataclass
class Skeleton:
    """What the grader trusts about one notebook: the release and the gradebook's cells."""

    release: dict                                  # the released notebook (nbformat 4 dict)
    locked: dict = field(default_factory=dict)     # grade_id -> full source (hidden tests kept)
    points: dict = field(default_factory=dict)     # grade_id -> points, for graded cells


@dataclass
class Prepared:
    """The notebook to run (None when unreadable), what was repaired, and why it failed."""

    nb: dict | None
    notes: list = field(default_factory=list)
    error: str = ""


def read(data: bytes) -> tuple[dict | None, str]:
    """Parse submitted bytes into an nbformat-4 notebook dict, or (None, a readable reason)."""
    import nbformat

    if len(data) > MAX_NOTEBOOK_MB << 20:
        return None, f"the notebook file is larger than {MAX_NOTEBOOK_MB} MB"
    try:
        raw = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        return None, "the notebook file is not UTF-8 text"
    except json.JSONDecodeError as error:
        return None, f"the notebook file is not valid JSON (line {error.lineno}: {error.msg})"
    if not isinstance(raw, dict) or not isinstance(raw.get("cells", raw.get("worksheets")), list):
        return None, "the file is JSON but not a Jupyter notebook (no list of cells)"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # duplicate cell ids are repaired below anyway
            nb = nbformat.reads(json.dumps(raw), as_version=4)
    except Exception as error:  # noqa: BLE001 - any parse failure is the student's file
        return None, f"the notebook could not be read ({type(error).__name__})"
    cells = [c for c in nb.get("cells", []) if isinstance(c, dict) and "cell_type" in c]
    nb["cells"] = cells
    return nb, ""


def fresh(cell_type: str, source: str, meta: dict | None) -> dict:
    """A clean cell of the given type and source, with only the nbgrader metadata given."""
    import nbformat.v4 as v4

    make = {"code": v4.new_code_cell, "markdown": v4.new_markdown_cell}.get(cell_type, v4.new_raw_cell)
    new = make(source=source)
    if meta:
        new.metadata["nbgrader"] = copy.deepcopy(meta)
    return new


def rebuild(cell: dict, known: dict, skeleton: Skeleton, notes: list) -> dict:
    """The graded version of a cell the release knows: the student's answer or the locked original."""
    meta = nbgrader_meta(known)
    grade_id = meta["grade_id"]
    if is_answer(known):
        if cell.get("cell_type") != known["cell_type"]:
            notes.append(f"answer cell {grade_id} was changed to {cell.get('cell_type')}; "
                         f"graded as {known['cell_type']}")
        return fresh(known["cell_type"], cell_text(cell), meta)
    if (cell_text(cell).strip() != cell_text(known).strip()
            or cell.get("cell_type") != known["cell_type"]):
        what = "test" if is_test(known) else "locked"
        notes.append(f"{what} cell {grade_id} was edited; the original was restored")
    return fresh(known["cell_type"], skeleton.locked.get(grade_id, cell_text(known)), meta)


def place(cell: dict, known: dict, placed: dict, cells: list, skeleton: Skeleton, notes: list) -> None:
    """Append the graded version of one submitted cell to ``cells`` (or drop a duplicate)."""
    meta = nbgrader_meta(cell)
    grade_id = meta.get("grade_id")
    if grade_id in known and grade_id not in placed:
        placed[grade_id] = len(cells)
        cells.append(rebuild(cell, known[grade_id], skeleton, notes))
    elif grade_id in known:
        if is_answer(known[grade_id]) and cell.get("cell_type") == "code":
            notes.append(f"answer cell {grade_id} appears twice; the first copy is graded, "
                         "the second runs as an ordinary cell")
            cells.append(fresh("code", cell_text(cell), None))
        else:
            notes.append(f"cell {grade_id} appears twice; the copy was removed")
    else:
        if meta.get("grade") or meta.get("solution") or meta.get("locked"):
            notes.append(f"a cell claims the unknown grade id {grade_id!r}; it runs as an "
                         "ordinary cell and earns nothing")
        cells.append(fresh(cell.get("cell_type", "raw"), cell_text(cell), None))


def prepare(submitted: dict, skeleton: Skeleton) -> Prepared:
    """The notebook to grade: the student's answers placed in the trusted skeleton."""
    known = {nbgrader_meta(c)["grade_id"]: c for c in skeleton.release["cells"]
             if nbgrader_meta(c).get("grade_id")}
    notes: list[str] = []
    cells: list = []
    placed: dict = {}
    for cell in submitted["cells"]:
        place(cell, known, placed, cells, skeleton, notes)
    restore_missing(cells, placed, known, skeleton, notes)
    nb = copy.deepcopy(skeleton.release)
    nb["cells"] = cells
    kernel = (submitted.get("metadata", {}).get("kernelspec") or {}).get("name")
    if kernel and kernel != KERNELSPEC["name"]:
        notes.append(f"the notebook named the kernel {str(kernel)[:40]!r}; it was graded with "
                     "the course's python3 kernel")
    nb.setdefault("metadata", {})["kernelspec"] = dict(KERNELSPEC)
    return Prepared(nb, notes)


def restore_missing(cells: list, placed: dict, known: dict, skeleton: Skeleton, notes: list) -> None:
    """Put back the release's cells the student deleted, after the cell that preceded them."""
    order = list(known)
    for position, grade_id in enumerate(order):
        if grade_id in placed:
            continue
        cell = known[grade_id]
        before = [placed[g] for g in order[:position] if g in placed]
        at = (max(before) + 1) if before else 0
        if is_answer(cell):
            notes.append(f"answer cell {grade_id} was deleted; graded as unanswered")
            restored = fresh(cell["cell_type"], cell_text(cell), nbgrader_meta(cell))
        else:
            if nbgrader_meta(cell).get("grade") or cell["cell_type"] == "code":
                notes.append(f"cell {grade_id} was deleted; the original was restored")
            restored = fresh(cell["cell_type"], skeleton.locked.get(grade_id, cell_text(cell)),
                             nbgrader_meta(cell))
        cells.insert(at, restored)
        for key in placed:
            if placed[key] >= at:
                placed[key] += 1
        placed[grade_id] = at
