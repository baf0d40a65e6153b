"""Autograde submitted/ with nbgrader, write feedback and a CSV, and summarise the class."""

from __future__ import annotations

import csv
import warnings
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .course import CourseError, nbgrader_api, quiet_logs, resolve_assignments

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


def submissions(root: Path, names=()) -> list[tuple[str, str]]:
    """(assignment, student) pairs found under submitted/, sorted."""
    names = set(resolve_assignments(root, names))
    found = []
    for folder in sorted((Path(root) / "submitted").glob("*/*")):
        if folder.is_dir() and folder.name in names:
            found.append((folder.name, folder.parent.name))
    return sorted(found)


def last_line(text: str) -> str:
    """The last non-empty line of a log or traceback, for a one-line reason."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return lines[-1] if lines else "unknown error"


def read_result(root: Path, assignment: str, student: str) -> Result:
    """Scores of one submission as the gradebook stores them."""
    from nbgrader.api import Gradebook, MissingEntry

    result = Result(assignment, student)
    with Gradebook(f"sqlite:///{Path(root).resolve() / 'gradebook.db'}") as gradebook:
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


def grade(root: Path, names=(), *, feedback: bool = True, progress: bool = True) -> list[Result]:
    """Autograde every submission of the given assignments; return one Result per student."""
    from tqdm.auto import tqdm

    root = Path(root)
    pairs = submissions(root, names)
    if not pairs:
        raise CourseError(f"No submissions found under {root / 'submitted'}/<student>/<assignment>/")
    api = nbgrader_api(root, CourseDirectory={"notebook_id": GRADED_NOTEBOOK})
    results = []
    for assignment, student in tqdm(pairs, desc="autograding", unit="submission",
                                    disable=not progress):
        with quiet_logs(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SQLAlchemy chatter from nbgrader's gradebook
            outcome = api.autograde(assignment, student)
        if outcome.get("success"):
            result = read_result(root, assignment, student)
            if feedback:
                with quiet_logs():
                    api.generate_feedback(assignment, student)
        else:
            result = read_result(root, assignment, student)
            result.score = 0.0
            result.reason = "not graded: " + last_line(outcome.get("error") or outcome.get("log"))
        if not result.reason and result.failed_tests:
            result.reason = "failed: " + ", ".join(result.failed_tests)
        if result.manual and not result.reason.startswith("not graded"):
            pending = "to grade by hand: " + ", ".join(result.manual)
            result.reason = f"{result.reason}; {pending}" if result.reason else pending
        results.append(result)
    return results


def write_csv(results: list[Result], path: Path) -> Path:
    """One row per (assignment, student): score, max score, reason, and one column per test."""
    tests = sorted({name for r in results for name in r.tests})
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["assignment", "student", "score", "max_score", "reason", *tests])
        for r in results:
            cells = [r.tests[t][0] if t in r.tests else "" for t in tests]
            writer.writerow([r.assignment, r.student, r.score, r.max_score, r.reason, *cells])
    return path


def format_table(results: list[Result]) -> str:
    """A per-student table of scores, one block per assignment."""
    lines = []
    width = max([len(r.student) for r in results] + [7])
    for assignment in sorted({r.assignment for r in results}):
        lines.append(f"\n{assignment}")
        lines.append(f"  {'student':<{width}}  {'score':>11}  reason")
        for r in (r for r in results if r.assignment == assignment):
            score = f"{r.score:g} / {r.max_score:g}"
            lines.append(f"  {r.student:<{width}}  {score:>11}  {r.reason}")
    return "\n".join(lines)


def pass_rates(results: list[Result]) -> dict:
    """For each (assignment, test): the share of graded students who earned its full points."""
    passed, seen = defaultdict(int), defaultdict(int)
    for r in results:
        for name, (got, most) in r.tests.items():
            seen[(r.assignment, name)] += 1
            passed[(r.assignment, name)] += got >= most
    return {key: passed[key] / seen[key] for key in seen}


def format_pass_rates(results: list[Result]) -> str:
    """Tests from the most to the least failed, so instructors see where the class struggles."""
    rates = pass_rates(results)
    if not rates:
        return ""
    lines = ["\npass rate per test (most failed first)"]
    for (assignment, name), rate in sorted(rates.items(), key=lambda kv: (kv[1], kv[0])):
        lines.append(f"  {rate:6.0%}  {assignment}/{name}")
    return "\n".join(lines)
