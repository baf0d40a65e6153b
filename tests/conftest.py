"""Shared fixtures: the course root and a sample class graded once per test session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")


@pytest.fixture(scope="session")
def root() -> Path:
    """The repository root, which is the course root."""
    return ROOT


@pytest.fixture(scope="session")
def graded_class(tmp_path_factory):
    """A scratch course with every assignment released, a sample class submitted and graded."""
    from rnncourse.course.layout import assignments
    from rnncourse.course.release import generate
    from rnncourse.course.sample import sample_class
    from rnncourse.grading.batch import grade

    course = tmp_path_factory.mktemp("course")
    names = assignments(ROOT)
    generate(ROOT, names, into=course)
    for name in names:
        sample_class(ROOT, course, name, ROOT / "tests" / "mistakes")
    results = grade(course, names, progress=False, jobs=2)  # the parallel path, as instructors run it
    return course, {(r.assignment, r.student): r for r in results}
