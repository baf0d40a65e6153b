"""The sqlite gradebook: what the grader trusts about an assignment, and the scores it stores.

The parent process is the gradebook's only writer; nbgrader's SaveAutoGrades scores the cells.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

from ..config import quiet_logs
from ..course.layout import CourseError, Layout
from ..nb import read_notebook
from .repair import Skeleton

GRADED_NOTEBOOK = "assignment"  # lectures are never executed by the autograder


@dataclass
class Result:
    """One student's grade on one assignment, with a reason when something went wrong."""

    assignment: str
    student: str
    score: float = 0.0
    max_score: float = 0.0
    reason: str = ""
    tests: dict = field(default_factory=dict)  # grade_id -> (score, max_score)
    manual: list = field(default_factory=list)  # grade_ids still waiting for a human grader

    @property
    def auto_max_score(self) -> float:
        """The points the autograder can award: everything but the cells graded by hand."""
        return self.max_score - sum(self.tests[name][1] for name in self.manual if name in self.tests)

    @property
    def failed_tests(self) -> list[str]:
        """The autograded cells that earned less than their points."""
        return [name for name, (got, most) in self.tests.items()
                if got < most and name not in self.manual]


def read_result(layout: Layout, assignment: str, student: str) -> Result:
    """Scores of one submission as the gradebook stores them."""
    from nbgrader.api import Gradebook, MissingEntry

    result = Result(assignment, student)
    with Gradebook(layout.db_url) as gradebook:
        result.max_score = gradebook.find_assignment(assignment).max_score
        try:
            submission = gradebook.find_submission(assignment, student)
        except MissingEntry:
            result.reason = "not graded"
            return result
        result.score = submission.score
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                result.tests[grade.name] = (grade.score, grade.max_score)
                if grade.needs_manual_grade:
                    result.manual.append(grade.name)
    return result


def skeleton(layout: Layout, assignment: str) -> Skeleton:
    """The release of an assignment's graded notebook and the gradebook's copy of its cells."""
    from nbgrader.api import Gradebook, MissingEntry

    path = layout.release(assignment) / f"{GRADED_NOTEBOOK}.ipynb"
    if not path.is_file():
        raise CourseError(f"{path} is missing: run `rnncourse release {assignment}` first")
    release = read_notebook(path)
    with quiet_logs(), warnings.catch_warnings(), Gradebook(layout.db_url) as gradebook:
        warnings.simplefilter("ignore")
        try:
            notebook = gradebook.find_notebook(GRADED_NOTEBOOK, assignment)
        except MissingEntry:
            raise CourseError(f"the gradebook does not know {assignment}: run "
                              f"`rnncourse release {assignment}` in {layout.root} first") from None
        locked = {c.name: c.source for c in notebook.source_cells if c.locked}
        points = {c.name: c.max_score for c in notebook.grade_cells}
    return Skeleton(release, locked, points)


def save_scores(layout: Layout, key, nb, timestamp) -> None:
    """Create the submission in the gradebook and let nbgrader's SaveAutoGrades score the cells."""
    from nbgrader.api import Gradebook
    from nbgrader.preprocessors import SaveAutoGrades

    assignment, student = key
    with Gradebook(layout.db_url) as gradebook:
        gradebook.update_or_create_student(student)
        if timestamp:
            gradebook.update_or_create_submission(assignment, student, timestamp=timestamp)
        else:
            gradebook.update_or_create_submission(assignment, student)
    if nb is None:
        with Gradebook(layout.db_url) as gradebook:
            notebook = gradebook.find_submission_notebook(GRADED_NOTEBOOK, assignment, student)
            for grade in notebook.grades:
                grade.auto_score, grade.needs_manual_grade = 0, False
            gradebook.db.commit()
        return
    resources = {"nbgrader": {"notebook": GRADED_NOTEBOOK, "assignment": assignment,
                              "student": student, "db_url": layout.db_url}}
    SaveAutoGrades().preprocess(nb, resources)
