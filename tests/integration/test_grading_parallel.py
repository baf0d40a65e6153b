"""--jobs: submissions graded side by side leave a complete, consistent sqlite gradebook."""

from __future__ import annotations

import pytest
from hostile.batch import JOBS, graded

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    return graded(tmp_path_factory)


def test_gradebook_has_one_complete_submission_per_student(batch):
    from nbgrader.api import Gradebook

    assert JOBS > 1
    course, results = batch["course"], batch["results"]
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        assignment = gradebook.find_assignment("00-orientation")
        cells = {c.name for nb in assignment.notebooks for c in nb.grade_cells}
        students = {s.student.id for s in assignment.submissions}
        assert students == set(results)
        for student, r in results.items():
            submission = gradebook.find_submission("00-orientation", student)
            assert submission.score == pytest.approx(r.score), student
            grades = {g.name for nb in submission.notebooks for g in nb.grades}
            assert grades == cells, student


def test_every_graded_submission_has_autograded_notebook_and_feedback(batch):
    course = batch["course"]
    for student, r in batch["results"].items():
        assert (course / "feedback" / student / "00-orientation" / "assignment.html").is_file()
        if not r.reason.startswith("not graded"):
            assert (course / "autograded" / student / "00-orientation" / "assignment.ipynb").is_file()
