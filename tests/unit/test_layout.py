"""Course folders come from nbgrader's CourseDirectory, and the demo's mistakes from a named folder."""

from __future__ import annotations

import json

import pytest

from rnncourse.course.layout import Layout, assignments
from rnncourse.course.sample import mistakes


@pytest.fixture
def course(tmp_path):
    """A course whose nbgrader_config.py renames the submitted folder."""
    (tmp_path / "nbgrader_config.py").write_text(
        "c = get_config()\nc.CourseDirectory.submitted_directory = 'inbox'\n")
    (tmp_path / "source" / "unit-a").mkdir(parents=True)
    (tmp_path / "source" / "unit-a" / "assignment.ipynb").write_text(json.dumps({"cells": []}))
    (tmp_path / "source" / "empty").mkdir()
    return tmp_path


def test_folders_follow_the_course_directory_config(course):
    layout = Layout.of(course)
    root = course.resolve()
    assert layout.submitted("ann", "unit-a") == root / "inbox" / "ann" / "unit-a"
    assert layout.release("unit-a") == root / "release" / "unit-a"
    assert layout.autograded("ann", "unit-a") == root / "autograded" / "ann" / "unit-a"
    assert layout.top("feedback") == root / "feedback"
    assert layout.db_url == f"sqlite:///{root / 'gradebook.db'}"
    assert assignments(course) == ["unit-a"]  # folders without a notebook are not assignments


def test_batch_finds_submissions_where_the_config_puts_them(course):
    from rnncourse.grading.files import submissions

    (course / "inbox" / "ann" / "unit-a").mkdir(parents=True)
    (course / "inbox" / "bob" / "unit-z").mkdir(parents=True)  # not an assignment
    assert submissions(Layout.of(course)) == [("unit-a", "ann")]


def test_mistakes_come_from_the_folder_named_and_only_from_it(tmp_path, root):
    (tmp_path / "unit-a.py").write_text(
        "MISTAKES = {'off-by-one': {'why': 'counts from 1', 'cells': {'f': 'def f(x): return x'}}}\n")
    assert mistakes(tmp_path, "unit-a")["off-by-one"]["why"] == "counts from 1"
    assert mistakes(tmp_path, "unit-b") == {}
    assert mistakes(None, "00-orientation") == {}  # no folder: nothing is read from tests/
    assert "forgot-bias" in mistakes(root / "tests" / "mistakes", "00-orientation")


def test_the_demo_says_when_no_mistakes_are_given_and_refuses_a_missing_folder(root, monkeypatch, tmp_path):
    from rnncourse.course import demo
    from rnncourse.course.layout import CourseError

    def stop(*args, **kwargs):
        raise RuntimeError("stop before building the class")

    monkeypatch.setattr(demo, "generate", stop)
    said: list[str] = []
    with pytest.raises(RuntimeError, match="stop before"):
        demo.demo(root, ["00-orientation"], echo=said.append)
    assert said[0].startswith("No typical mistakes given (--mistakes DIR)")
    with pytest.raises(CourseError, match="no such folder"):
        demo.demo(root, ["00-orientation"], echo=said.append, mistakes_dir=tmp_path / "nope")
