"""The grading pipeline end to end in a scratch course: generate, validate, autograde, gradebook."""

from __future__ import annotations

import pytest

from rnncourse.course.layout import assignments

pytestmark = pytest.mark.slow


def test_reference_scores_every_autograded_point(graded_class, root):
    _, results = graded_class
    for unit in assignments(root):
        r = results[(unit, "reference")]
        assert r.auto_max_score > 0 and r.score == r.auto_max_score, (unit, r.reason)
        assert not r.failed_tests, (unit, r.reason)


def test_answers_graded_by_hand_are_flagged_not_failed(graded_class):
    _, results = graded_class
    references = [r for r in results.values() if r.student == "reference" and r.manual]
    assert references, "some unit asks a written question graded by hand"
    for r in references:
        assert "to grade by hand: " + ", ".join(r.manual) in r.reason


def test_blank_release_scores_zero_everywhere(graded_class, root):
    _, results = graded_class
    for unit in assignments(root):
        r = results[(unit, "blank")]
        assert r.score == 0, (unit, r.score, r.reason)
        assert r.failed_tests, "a blank submission must fail every graded test"


def test_every_typical_mistake_loses_points(graded_class):
    _, results = graded_class
    mistakes = [r for r in results.values() if r.student.startswith("mistake-")]
    assert mistakes, "tests/mistakes/ declares typical mistakes"
    for r in mistakes:
        assert r.score < r.auto_max_score, f"{r.assignment}/{r.student} earned full marks"
        assert r.reason.startswith("failed:"), r.reason


def test_scores_match_the_gradebook(graded_class):
    from nbgrader.api import Gradebook

    course, results = graded_class
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        for (unit, student), r in results.items():
            assert gradebook.find_submission(unit, student).score == pytest.approx(r.score)


def test_source_validates_and_blank_release_fails_every_test(root):
    from rnncourse.course.lint import check

    problems = check(root, execute=True)
    assert problems == [], "\n".join(problems)
