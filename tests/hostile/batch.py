"""The mixed class (honest + hostile) graded once per test process, shared by the grading tests."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
JOBS = 2
_CACHE: dict = {}

# Small limits so the infinite loop and the memory bomb cost seconds (TensorFlow maps ~1.5 GB).
LIMITS = {"cell_timeout": 10.0, "memory_mb": 2048, "interrupt_grace": 3.0, "notebook_timeout": 120.0}


def static_tables(db: Path) -> dict:
    """The gradebook's rows that describe the assignment (must never change while grading)."""
    with sqlite3.connect(db) as connection:
        tables = [t for (t,) in connection.execute("select name from sqlite_master where type='table'")]
        keep = [t for t in tables if t in ("course", "assignment", "notebook", "base_cell", "grade_cells",
                                           "solution_cells", "source_cell", "task_cells")]
        return {t: sorted(connection.execute(f"select * from {t}").fetchall()) for t in keep}


def tree_digest(folder: Path) -> dict:
    """sha256 of every file under ``folder``."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def graded(tmp_path_factory) -> dict:
    """Build the mixed class in a scratch course, grade it with JOBS workers, return everything."""
    if "batch" not in _CACHE:
        from hostile.cases import UNIT, build

        from rnncourse.grading.batch import grade
        from rnncourse.grading.limits import Limits

        course = tmp_path_factory.mktemp("hostile-class")
        expected = build(ROOT, course)
        before = {"tables": static_tables(course / "gradebook.db"),
                  "source": tree_digest(course / "source"), "release": tree_digest(course / "release"),
                  "reference": tree_digest(course / "submitted" / "reference")}
        results = grade(course, [UNIT], jobs=JOBS, limits=Limits(**LIMITS), progress=False)
        _CACHE["batch"] = {"course": course, "expected": expected, "before": before,
                           "results": {r.student: r for r in results}}
    return _CACHE["batch"]
