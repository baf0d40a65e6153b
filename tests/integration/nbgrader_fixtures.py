"""nbgrader's own autograde fixtures as one course, with the outcomes nbgrader's suite asserts.

The notebooks come from the installed nbgrader package (``nbgrader/tests/apps/files``), never a
copy in this repository. Each scenario is one assignment of a scratch course, laid out as
``nbgrader/tests/apps/test_nbgrader_autograde.py`` lays it out (``ps1/p1.ipynb`` names, several
notebooks per assignment); ``expected`` is the score that test asserts for each notebook.

    python tests/integration/nbgrader_fixtures.py /tmp/fixture-course   # build one to try
"""

from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

import nbgrader

FILES = Path(nbgrader.__file__).parent / "tests" / "apps" / "files"

CONFIG = '''"""A scratch nbgrader course built from nbgrader's own test fixtures."""
c = get_config()  # noqa: F821
c.CourseDirectory.course_id = "fixtures"
c.CourseDirectory.root = __import__("os").path.dirname(__import__("os").path.abspath(__file__))
c.ClearSolutions.code_stub = dict(python="# YOUR CODE HERE")
# What the README asks of an existing course: nbgrader's own feedback without hidden tests.
from rnncourse.grading.feedback import leak_free_feedback  # noqa: E402
leak_free_feedback(c)
'''


@dataclass
class Scenario:
    """One assignment: source notebooks, each student's files, nbgrader's expected scores."""

    test: str                                     # the test of nbgrader's suite it mirrors
    source: dict                                  # notebook name -> fixture file
    submitted: dict                               # student -> {file name -> fixture file}
    expected: dict                                # (student, notebook) -> score nbgrader asserts
    max_score: dict = field(default_factory=dict)  # notebook -> max score nbgrader asserts
    autotests: bool = False                       # needs autotests.yml at the course root
    files_present: tuple = ()                     # paths under autograded/ that must exist
    files_absent: tuple = ()                      # paths (under the course root) that must not exist
    cheats: tuple = ()                            # students whose notebook patches the shell


SCENARIOS = {
    "ps1": Scenario(
        "test_showtraceback_exploit",
        {"p1": "submitted-unchanged.ipynb"},
        {"foo": {"p1.ipynb": "submitted-unchanged.ipynb"},
         "bar": {"p1.ipynb": "submitted-changed.ipynb"},
         "spam": {"p1.ipynb": "submitted-cheat-attempt.ipynb"},
         "eggs": {"p1.ipynb": "submitted-cheat-attempt-alternative.ipynb"}},
        {("foo", "p1"): 1, ("bar", "p1"): 2, ("spam", "p1"): 1, ("eggs", "p1"): 1},
        {"p1": 7}, cheats=("spam", "eggs")),
    "side": Scenario(
        "test_side_effects",
        {"p1": "side-effects.ipynb"},
        {"foo": {"p1.ipynb": "side-effects.ipynb"}},
        {("foo", "p1"): 0},
        files_present=("autograded/foo/side/side-effect.txt",),
        files_absent=("submitted/foo/side/side-effect.txt",)),
    "two": Scenario(
        "test_grade_missing_notebook + test_skip_extra_notebooks",
        {"p1": "submitted-unchanged.ipynb", "p2": "submitted-unchanged.ipynb"},
        {"foo": {"p1.ipynb": "submitted-changed.ipynb"},
         "bar": {"p1.ipynb": "submitted-changed.ipynb", "p1 copy.ipynb": "submitted-unchanged.ipynb",
                 "p2.ipynb": "submitted-unchanged.ipynb"}},
        {("foo", "p1"): 2, ("foo", "p2"): 0, ("bar", "p1"): 2, ("bar", "p2"): 1},
        {"p1": 7, "p2": 7},
        files_present=("autograded/foo/two/p1.ipynb", "autograded/bar/two/p2.ipynb"),
        files_absent=("autograded/foo/two/p2.ipynb", "autograded/bar/two/p1 copy.ipynb")),
    "hidden": Scenario(
        "test_hidden_tests_single_notebook",
        {"p1": "test-hidden-tests.ipynb"},
        {"foo": {"p1.ipynb": "RELEASE"}},
        {("foo", "p1"): 1.5}),
    "autosimple": Scenario(
        "test_grade_autotest",
        {"p1": "autotest-simple.ipynb"},
        {"foo": {"p1.ipynb": "autotest-simple-unchanged.ipynb"},
         "bar": {"p1.ipynb": "autotest-simple-changed.ipynb"}},
        {("foo", "p1"): 0, ("bar", "p1"): 1}, {"p1": 1}, autotests=True),
    "automulti": Scenario(
        "test_grade_complex_autotest",
        {"p1": "autotest-multi.ipynb"},
        {"foo": {"p1.ipynb": "autotest-multi-unchanged.ipynb"},
         "bar": {"p1.ipynb": "autotest-multi-changed.ipynb"}},
        {("foo", "p1"): 0, ("bar", "p1"): 3}, {"p1": 4}, autotests=True),
    "autohidden": Scenario(
        "test_hidden_tests_autotest",
        {"p1": "autotest-hidden.ipynb"},
        {"foo": {"p1.ipynb": "autotest-hidden-unchanged.ipynb"},
         "bar": {"p1.ipynb": "autotest-hidden-changed-wrong.ipynb"},
         "baz": {"p1.ipynb": "autotest-hidden-changed-right.ipynb"}},
        {("foo", "p1"): 0, ("bar", "p1"): 0, ("baz", "p1"): 1}, autotests=True),
    "envvar": Scenario(
        "test_grade_with_validating_envvar",
        {"p1": "validating-environment-variable.ipynb"},
        {"foo": {"p1.ipynb": "validating-environment-variable.ipynb"}},
        {("foo", "p1"): 0}),
}


def build(course: Path, names=None) -> Path:
    """Write the course (config, source/, autotests.yml) and release and submit every scenario."""
    course = Path(course)
    course.mkdir(parents=True, exist_ok=True)
    (course / "nbgrader_config.py").write_text(CONFIG)
    shutil.copyfile(FILES / "autotests.yml", course / "autotests.yml")
    chosen = {name: SCENARIOS[name] for name in (names or SCENARIOS)}
    for assignment, scenario in chosen.items():
        for notebook, fixture in scenario.source.items():
            target = course / "source" / assignment / f"{notebook}.ipynb"
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(FILES / fixture, target)
    release(course, list(chosen))
    for assignment, scenario in chosen.items():
        for student, files in scenario.submitted.items():
            folder = course / "submitted" / student / assignment
            folder.mkdir(parents=True, exist_ok=True)
            for name, fixture in files.items():
                origin = (course / "release" / assignment / name if fixture == "RELEASE"
                          else FILES / fixture)
                shutil.copyfile(origin, folder / name)
    return course


def release(course: Path, assignments: list[str]) -> None:
    """`rnncourse release` (nbgrader's generate_assignment) for the given assignments."""
    import subprocess

    command = [str(Path(sys.executable).parent / "rnncourse"), "--root", str(course), "release"]
    subprocess.run([*command, *assignments], check=True, capture_output=True)


def expected_scores(names=None) -> dict:
    """(assignment, student, notebook) -> the score nbgrader's own suite asserts."""
    return {(a, s, n): score for a, sc in SCENARIOS.items() if not names or a in names
            for (s, n), score in sc.expected.items()}


def gradebook_scores(course: Path) -> dict:
    """(assignment, student, notebook) -> score, as the course's gradebook holds them."""
    from nbgrader.api import Gradebook, MissingEntry

    found = {}
    with Gradebook(f"sqlite:///{Path(course).resolve() / 'gradebook.db'}") as gradebook:
        for assignment in gradebook.assignments:
            for student in gradebook.students:
                try:
                    submission = gradebook.find_submission(assignment.name, student.id)
                except MissingEntry:
                    continue
                for notebook in submission.notebooks:
                    found[(assignment.name, student.id, notebook.name)] = notebook.score
    return found


if __name__ == "__main__":
    where = build(Path(sys.argv[1] if len(sys.argv) > 1 else "fixture-course").resolve())
    print(f"{len(SCENARIOS)} assignments of nbgrader's fixtures written to {where}")
