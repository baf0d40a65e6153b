"""Feedback explains each failed test (expected, got, hint) without hidden tests or solutions."""

from __future__ import annotations

import json
import re

import pytest
from hostile.batch import ROOT, graded

UNIT = "00-orientation"


def marked_lines(kind: str) -> set[str]:
    """Lines between ### BEGIN/END <kind> in the source notebook (stripped, non-trivial)."""
    nb = json.loads((ROOT / "source" / UNIT / "assignment.ipynb").read_text(encoding="utf-8"))
    found = set()
    for cell in nb["cells"]:
        text = "".join(cell["source"])
        for block in re.findall(rf"### BEGIN {kind}\n(.*?)### END {kind}", text, re.S):
            found |= {line.strip() for line in block.splitlines() if len(line.strip()) >= 8}
    return found


def visible_text(page: str) -> str:
    """The feedback page as a student reads it (tags removed, entities decoded)."""
    import html

    return html.unescape(re.sub(r"<[^>]+>", "", page))


def test_scrubbed_notebook_hides_hidden_lines_and_keeps_the_message():
    import nbformat

    from rnncourse.grading.feedback import HideHiddenTests

    hidden = "check_equal(secret_oracle(x), 42, 'x')"
    graded_nb = nbformat.from_dict({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": "code", "source": "def f():\n    return 41\n", "outputs": [], "id": "a",
         "execution_count": 1,
         "metadata": {"nbgrader": {"grade_id": "f", "solution": True, "grade": False}}},
        {"cell_type": "code", "id": "b", "execution_count": 2,
         "source": f"check(f())\n### BEGIN HIDDEN TESTS\n{hidden}\n### END HIDDEN TESTS\n",
         "metadata": {"nbgrader": {"grade_id": "test_f", "grade": True, "locked": True, "points": 1}},
         "outputs": [{"output_type": "error", "ename": "CheckFailed",
                      "evalue": "f() is wrong\n  expected: 42\n  got:      41",
                      "traceback": [f"----> 3 {hidden}"]},
                     {"output_type": "stream", "name": "stdout", "text": hidden}]},
        {"cell_type": "code", "source": "print(In)", "metadata": {}, "id": "c", "execution_count": 3,
         "outputs": [{"output_type": "stream", "name": "stdout", "text": repr([hidden])}]},
    ]})
    scrubbed, _ = HideHiddenTests().preprocess(graded_nb, {})
    text = nbformat.writes(scrubbed)
    assert "secret_oracle" not in text
    assert "expected: 42" in text and "got:      41" in text
    assert "check(f())" in text and "return 41" in text


@pytest.mark.slow
def test_feedback_of_the_class_leaks_nothing(tmp_path_factory):
    batch = graded(tmp_path_factory)
    hidden, solution = marked_lines("HIDDEN TESTS"), marked_lines("SOLUTION")
    assert hidden and solution
    pages = sorted((batch["course"] / "feedback").glob(f"*/{UNIT}/assignment.html"))
    assert len(pages) == len(batch["results"])
    for page in pages:
        student = page.parts[-3]
        text = visible_text(page.read_text(encoding="utf-8"))
        for line in hidden:
            assert line not in text, (student, line)
        if student not in ("reference", "hostile-deleted-test", "hostile-duplicated-cells"):
            own = json.loads((batch["course"] / "submitted" / student / UNIT / "assignment.ipynb")
                             .read_text(encoding="utf-8")) if "json" not in student else {"cells": []}
            typed = {line.strip() for c in own["cells"] for line in "".join(c["source"]).splitlines()}
            for line in solution - typed:
                assert line not in text, (student, line)


@pytest.mark.slow
def test_feedback_explains_failures(tmp_path_factory):
    batch = graded(tmp_path_factory)
    page = batch["course"] / "feedback" / "mistake-forgot-bias" / UNIT / "assignment.html"
    text = visible_text(page.read_text(encoding="utf-8"))
    assert "failed: test_simple_rnn_param_count" in text
    assert "simple_rnn_param_count(20, 5) counts W and U but forgets the bias b" in text
    assert "hint: b holds one number per unit" in text
    hostile = batch["course"] / "feedback" / "hostile-edited-test" / UNIT / "assignment.html"
    assert "was edited; the original was restored" in visible_text(hostile.read_text(encoding="utf-8"))
