"""Grade a sample class in a scratch course: reference, blank and typical mistakes per assignment."""

from __future__ import annotations

import tempfile
from pathlib import Path

from ..grading.batch import grade
from ..grading.gradebook import Result
from ..grading.report import REPORT_NAME, format_pass_rates, format_table, write_csv
from .layout import CourseError, resolve_assignments
from .release import generate
from .sample import sample_class


def expectations(results: list[Result]) -> list[str]:
    """Problems: the reference must earn full marks, the blank release zero, mistakes lose points."""
    problems = []
    for r in results:
        if r.student == "reference" and (r.auto_max_score <= 0 or r.score != r.auto_max_score):
            problems.append(f"{r.assignment}: reference scored {r.score:g}/{r.auto_max_score:g} "
                            f"({r.reason or 'no reason'})")
        if r.student == "blank" and r.score != 0:
            problems.append(f"{r.assignment}: blank release scored {r.score:g} (expected 0)")
        if r.student.startswith("mistake-") and r.score >= r.auto_max_score:
            problems.append(f"{r.assignment}: {r.student} earned full marks")
    return problems


def demo(root: Path, names=(), keep: Path | None = None, echo=print, jobs: int = 1,
         mistakes_dir: Path | None = None) -> int:
    """Build, grade and print a sample class; return 0 when every expectation holds."""
    root = Path(root)
    names = resolve_assignments(root, names)
    if mistakes_dir is None:
        echo("No typical mistakes given (--mistakes DIR): the sample class is the reference "
             "and the blank release of each assignment.")
    elif not Path(mistakes_dir).is_dir():
        raise CourseError(f"--mistakes {mistakes_dir}: no such folder")
    with tempfile.TemporaryDirectory(prefix="rnncourse-demo-") as scratch:
        course = Path(keep) if keep else Path(scratch)
        echo(f"Sample class in {course}")
        generate(root, names, into=course)
        for name in names:
            students = sample_class(root, course, name, mistakes_dir)
            if mistakes_dir is not None and len(students) == 2:
                echo(f"  {name:<18} (no typical mistakes in {mistakes_dir}/{name}.py)")
            for student, story in students.items():
                echo(f"  {name:<18} {student:<28} {story}")
        results = grade(course, names, jobs=jobs)
        write_csv(results, course / REPORT_NAME)
        echo(format_table(results))
        echo(format_pass_rates(results))
    problems = expectations(results)
    if problems:
        echo("\nDemo FAILED:\n  " + "\n  ".join(problems))
        return 1
    echo("\nDemo OK: every reference earns every autograded point, every blank release scores 0, "
         "and every mistake loses points (answers graded by hand wait for the instructor).")
    return 0
