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
        several = sum(1 for notebook in submission.notebooks if notebook.grades) > 1
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                name = f"{notebook.name}/{grade.name}" if several else grade.name
                result.tests[name] = (grade.score, grade.max_score)
                if grade.needs_manual_grade:
                    result.manual.append(name)
    return result


def notebook_names(layout: Layout, assignment: str) -> list[str]:
    """The graded notebooks of an assignment, as nbgrader knows them (release/ and the gradebook).

    Raises a CourseError that says what exists and what was expected when they disagree.
    """
    from nbgrader.api import Gradebook, MissingEntry

    folder = layout.release(assignment)
    released = sorted(p.stem for p in folder.glob("*.ipynb")) if folder.is_dir() else []
    sources = sorted(p.name for p in layout.source(assignment).glob("*.ipynb"))
    if not released:
        raise CourseError(f"{folder} holds no notebook (source/{assignment}/ has "
                          f"{', '.join(sources) or 'none'}): run `rnncourse release {assignment}` first")
    with quiet_logs(), warnings.catch_warnings(), Gradebook(layout.db_url) as gradebook:
        warnings.simplefilter("ignore")
        try:
            known = sorted(n.name for n in gradebook.find_assignment(assignment).notebooks)
        except MissingEntry:
            known = []
    if not known:
        raise CourseError(f"the gradebook does not know {assignment}: run "
                          f"`rnncourse release {assignment}` in {layout.root} first")
    if known != released:
        raise CourseError(
            f"release/{assignment}/ has {', '.join(n + '.ipynb' for n in released)} but the gradebook "
            f"expects {', '.join(n + '.ipynb' for n in known)}: run `rnncourse release {assignment}` "
            "again so both come from source/")
    return known


def skeleton(layout: Layout, assignment: str, notebook: str) -> Skeleton:
    """The release of one graded notebook and the gradebook's copy of its cells."""
    from nbgrader.api import Gradebook

    release = read_notebook(layout.release(assignment) / f"{notebook}.ipynb")
    with quiet_logs(), warnings.catch_warnings(), Gradebook(layout.db_url) as gradebook:
        warnings.simplefilter("ignore")
        found = gradebook.find_notebook(notebook, assignment)
        locked = {c.name: c.source for c in found.source_cells if c.locked}
        points = {c.name: c.max_score for c in found.grade_cells}
    return Skeleton(release, locked, points)


def save_scores(layout: Layout, key, nb, timestamp) -> None:
    """Create the submission in the gradebook and let nbgrader's SaveAutoGrades score the cells
    of one notebook (``key`` is (assignment, student, notebook); ``nb`` None scores it 0)."""
    from nbgrader.api import Gradebook
    from nbgrader.preprocessors import SaveAutoGrades

    assignment, student, notebook = key
    with Gradebook(layout.db_url) as gradebook:
        gradebook.update_or_create_student(student)
        if timestamp:
            gradebook.update_or_create_submission(assignment, student, timestamp=timestamp)
        else:
            gradebook.update_or_create_submission(assignment, student)
    if nb is None:
        with Gradebook(layout.db_url) as gradebook:
            notebook = gradebook.find_submission_notebook(notebook, assignment, student)
            for grade in notebook.grades:
                grade.auto_score, grade.needs_manual_grade = 0, False
            gradebook.db.commit()
        return
    resources = {"nbgrader": {"notebook": notebook, "assignment": assignment,
                              "student": student, "db_url": layout.db_url}}
    SaveAutoGrades().preprocess(nb, resources)


def failed_cells(layout: Layout, key) -> list[str]:
    """The autograded cells of one submitted notebook that earned less than their points."""
    from nbgrader.api import Gradebook

    assignment, student, notebook = key
    with quiet_logs(), warnings.catch_warnings(), Gradebook(layout.db_url) as gradebook:
        warnings.simplefilter("ignore")
        found = gradebook.find_submission_notebook(notebook, assignment, student)
        return [g.name for g in found.grades
                if not g.needs_manual_grade and (g.score or 0) < g.max_score]
