"""What `rnncourse grade` prints: the class table and the pass rate of every autograded test."""

from __future__ import annotations

import csv

from rnncourse.grading.gradebook import Result
from rnncourse.grading.report import format_pass_rates, format_table, pass_rates, write_csv


def results():
    tests = {"test_a": (2.0, 2.0), "test_b": (0.0, 1.0), "essay": (0.0, 2.0)}
    return [
        Result("unit", "ann", 2.0, 5.0, "failed: test_b; to grade by hand: essay", dict(tests), ["essay"]),
        Result("unit", "bob", 0.0, 5.0, "failed: test_a, test_b, essay",
               {"test_a": (0.0, 2.0), "test_b": (0.0, 1.0), "essay": (0.0, 2.0)}),
        Result("unit", "cy", 3.0, 5.0, "to grade by hand: essay",
               {"test_a": (2.0, 2.0), "test_b": (1.0, 1.0), "essay": (0.0, 2.0)}, ["essay"]),
    ]


def test_pass_rates_count_autograded_tests_only():
    assert pass_rates(results()) == {("unit", "test_a"): 2 / 3, ("unit", "test_b"): 1 / 3}


def test_most_failed_test_comes_first_and_hand_graded_cells_are_named():
    lines = format_pass_rates(results()).strip().splitlines()
    assert [line.split()[-1] for line in lines[1:3]] == ["unit/test_b", "unit/test_a"]
    assert lines[-1].strip() == "graded by hand, not counted: unit/essay"


def test_table_and_csv_hold_every_student_and_reason(tmp_path):
    table = format_table(results())
    for student, score in (("ann", "2 / 5"), ("bob", "0 / 5"), ("cy", "3 / 5")):
        assert student in table and score in table
    rows = list(csv.DictReader(open(write_csv(results(), tmp_path / "grades.csv"), encoding="utf-8")))
    assert [(r["student"], r["score"], r["test_b"]) for r in rows] == [
        ("ann", "2.0", "0.0"), ("bob", "0.0", "0.0"), ("cy", "3.0", "1.0")]
    assert rows[1]["reason"] == "failed: test_a, test_b, essay"
