"""nbgrader's own autograde fixtures through `rnncourse grade`, then nbgrader's commands on its gradebook.

The scores are the ones nbgrader's suite asserts (tests/integration/nbgrader_fixtures.py); the kit
adds its stricter promises: a reason for each cheat, valid nbformat, files the submission wrote
kept, and feedback without hidden tests from every route (the kit, nbgrader's CLI, Formgrader's
button, which calls NbGraderAPI.generate_feedback).
"""

from __future__ import annotations

import csv
import hashlib
import html
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from nbgrader_fixtures import SCENARIOS, build, expected_scores, gradebook_scores

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent
REPORT = "rnncourse-grades.csv"


def environment() -> dict:
    """This environment's bin/ first on PATH (nbgrader runs alembic by name)."""
    return {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """nbgrader's fixtures as one course, graded by `rnncourse grade` as an instructor runs it."""
    course = build(tmp_path_factory.mktemp("nbgrader-fixtures") / "course")
    run = subprocess.run([str(BIN / "rnncourse"), "--root", str(course), "grade", "--jobs", "2"],
                         capture_output=True, text=True, env=environment())
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-3000:]
    return course


def hidden_lines(course: Path, assignment: str) -> set[str]:
    """Lines of hidden tests in the source notebooks that the public part of their cell lacks."""
    found = set()
    for path in (course / "source" / assignment).glob("*.ipynb"):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            text = "".join(cell["source"])
            hidden = "".join(re.findall(r"BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", text, re.S))
            public = {line.strip() for line in re.sub(
                r"### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS", "", text, flags=re.S).splitlines()}
            found |= {line.strip() for line in hidden.splitlines()
                      if len(line.strip()) >= 8 and line.strip() not in public}
    return found


def visible_text(page: str) -> str:
    """A feedback page as a student reads it: tags removed, entities decoded."""
    page = re.sub(r"<(style|script)\b.*?</\1>", "", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def leaks(course: Path, folder: str = "feedback") -> dict:
    """(student, assignment, page) -> hidden lines a feedback page shows; checks pages exist."""
    found = {}
    for (assignment, student, notebook) in expected_scores():
        page = course / folder / student / assignment / f"{notebook}.html"
        if not (course / "autograded" / student / assignment / f"{notebook}.ipynb").is_file():
            continue
        assert page.is_file(), page
        text = visible_text(page.read_text(encoding="utf-8"))
        shown = [line for line in hidden_lines(course, assignment) if line in text]
        if shown:
            found[(student, assignment, notebook)] = shown
    return found


@pytest.mark.parametrize("key", sorted(expected_scores()), ids="/".join)
def test_scores_are_the_ones_nbgrader_asserts(course, key):
    assert gradebook_scores(course).get(key) == expected_scores()[key]


def test_cheat_attempts_lose_the_point_and_are_named(course):
    with open(course / REPORT, encoding="utf-8") as handle:
        rows = {(r["assignment"], r["student"]): r for r in csv.DictReader(handle)}
    for student in SCENARIOS["ps1"].cheats:
        reason = rows[("ps1", student)]["reason"]
        assert "InteractiveShell.showtraceback" in reason, reason
        assert "failed: bar" in reason, reason


def test_every_autograded_notebook_is_valid_nbformat(course):
    import nbformat

    graded = sorted((course / "autograded").glob("*/*/*.ipynb"))
    wanted = {(a, s, n) for (a, s, n) in expected_scores()
              if (course / "submitted" / s / a / f"{n}.ipynb").is_file()}
    assert {(p.parts[-2], p.parts[-3], p.stem) for p in graded} == wanted
    for path in graded:
        nbformat.validate(nbformat.reads(path.read_text(encoding="utf-8"), as_version=nbformat.NO_CONVERT))


def test_files_written_while_grading_stay_in_the_submission_folder(course):
    for scenario in SCENARIOS.values():
        for relative in scenario.files_present:
            assert (course / relative).is_file(), relative
        for relative in scenario.files_absent:
            assert not (course / relative).exists(), relative
    assert (course / "autograded/foo/side/side-effect.txt").read_text() == "a side effect"


def test_the_kit_feedback_shows_no_hidden_test(course):
    assert hidden_lines(course, "hidden") and hidden_lines(course, "autohidden")
    assert leaks(course) == {}


def test_nbgrader_generate_feedback_shows_no_hidden_test_and_matches_the_kit(course, tmp_path):
    copy = tmp_path / "course"
    shutil.copytree(course, copy)
    shutil.rmtree(copy / "feedback")
    for assignment in SCENARIOS:
        run = subprocess.run([str(BIN / "nbgrader"), "generate_feedback", assignment, "--force"],
                             cwd=copy, capture_output=True, text=True, env=environment())
        assert run.returncode == 0, run.stderr[-3000:]
        assert "invalid" not in run.stderr.lower(), run.stderr[-3000:]
    assert leaks(copy) == {}
    for page in (course / "feedback").glob("*/*/*.html"):
        student, assignment = page.parts[-3], page.parts[-2]
        if not (course / "autograded" / student / assignment / f"{page.stem}.ipynb").is_file():
            continue  # a notebook never run (not submitted) has the kit's page only
        other = copy / page.relative_to(course)
        assert visible_text(other.read_text(encoding="utf-8")) == visible_text(
            page.read_text(encoding="utf-8")), page


def test_formgrader_feedback_button_shows_no_hidden_test(course, tmp_path):
    """Formgrader's "Generate Feedback" calls NbGraderAPI.generate_feedback(assignment, student)."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config.loader import PyFileConfigLoader

    copy = tmp_path / "course"
    shutil.copytree(course, copy)
    shutil.rmtree(copy / "feedback")
    config = PyFileConfigLoader("nbgrader_config.py", path=str(copy)).load_config()
    config.CourseDirectory.root = str(copy)
    os.environ["PATH"] = environment()["PATH"]
    api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
    for (assignment, student, _) in expected_scores():
        if (copy / "autograded" / student / assignment).is_dir():
            result = api.generate_feedback(assignment, student)
            assert result["success"], result.get("error")
    assert leaks(copy) == {}


def test_nbgrader_export_leaves_the_kit_report_alone(course, tmp_path):
    copy = tmp_path / "course"
    shutil.copytree(course, copy)
    before = hashlib.sha256((copy / REPORT).read_bytes()).hexdigest()
    run = subprocess.run([str(BIN / "nbgrader"), "export"], cwd=copy, capture_output=True, text=True,
                         env=environment())
    assert run.returncode == 0, run.stderr[-3000:]
    assert (copy / "grades.csv").is_file()
    assert hashlib.sha256((copy / REPORT).read_bytes()).hexdigest() == before
