"""Hostile and broken submissions graded in one batch with honest ones (tests/fixtures/hostile/cases.py)."""

from __future__ import annotations

import pytest
from hostile.batch import graded, static_tables, tree_digest
from hostile.cases import CASES, HONEST

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    return graded(tmp_path_factory)


def test_every_submission_gets_a_score(batch):
    assert set(batch["results"]) == set(batch["expected"])


@pytest.mark.parametrize("student", sorted(HONEST))
def test_honest_scores_are_unchanged(batch, student):
    r = batch["results"][student]
    assert r.score == HONEST[student], r.reason


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_case_gets_its_score_and_a_reason(batch, name):
    _, score, phrase = CASES[name]
    assert phrase.strip(), "a case must name a phrase of its reason (an empty one always matches)"
    r = batch["results"][f"hostile-{name}"]
    assert r.score == score, r.reason
    assert phrase in r.reason, r.reason
    if score < r.max_score:
        assert r.reason, "a lost point needs a reason"


def test_nothing_else_in_the_course_changes(batch):
    course, before = batch["course"], batch["before"]
    assert static_tables(course / "gradebook.db") == before["tables"]
    assert tree_digest(course / "source") == before["source"]
    assert tree_digest(course / "release") == before["release"]
    assert tree_digest(course / "submitted" / "reference") == before["reference"]


def test_huge_output_is_cut(batch):
    course = batch["course"]
    for path in (course / "autograded").glob("*/*/assignment.ipynb"):
        assert path.stat().st_size < 1 << 20, path
