"""Reasons the grader gives: refused operations, marked cells, unanswered and crashed answers."""

from __future__ import annotations

import nbformat.v4 as v4

from rnncourse.grading.gradebook import Result
from rnncourse.grading.outcome import (
    answer_errors,
    compose_reason,
    mark_failures,
    not_graded_reason,
    refused,
    run_notes,
)
from rnncourse.grading.protocol import CellRecord, Outcome, Status


def notebook(answer_error=None):
    """setup, an answer (optionally with an error output), a test."""
    answer = v4.new_code_cell("def f(x): ...", metadata={"nbgrader": {"grade_id": "f", "solution": True}})
    if answer_error:
        answer.outputs = [v4.new_output("error", ename=answer_error, evalue="", traceback=[])]
    test = v4.new_code_cell("assert f(1) == 2", metadata={
        "nbgrader": {"grade_id": "test_f", "grade": True, "locked": True, "points": 1}})
    return v4.new_notebook(cells=[v4.new_code_cell("import math"), answer, test])


def test_refusals_are_put_in_words_and_library_probes_left_out():
    lines = ["read open /course/gradebook.db", "write os.remove /course/submitted/x.ipynb",
             "os.system b'cp /course/source/a.ipynb .'", "subprocess.Popen ['uname', '-p']",
             "subprocess.Popen /usr/bin/fc-list"]
    assert refused(lines) == ["read /course/gradebook.db", "write /course/submitted/x.ipynb",
                              "start a process (os.system b'cp /course/source/a.ipynb .')"]


def test_a_test_cell_that_timed_out_gets_an_error_output_and_a_note():
    nb = notebook()
    notes = mark_failures(nb, {2: CellRecord(Status.TIMEOUT, "this cell ran longer than 10 s")})
    assert notes == ["test_f: this cell ran longer than 10 s"]
    first = nb.cells[2].outputs[0]
    assert (first.output_type, first.ename, first.evalue) == (
        "error", "GradingError", "this cell ran longer than 10 s")


def test_cells_not_run_are_noted_only_when_they_are_answers():
    nb = notebook()
    records = {i: CellRecord(Status.NOT_RUN, "not run: limit") for i in (0, 1, 2)}
    assert mark_failures(nb, records) == ["f: not run: limit"]
    assert nb.cells[2].outputs[0].evalue == "not run: limit"  # the test still scores 0
    assert nb.cells[0].outputs == []


def test_unanswered_and_crashed_answers_are_told_apart():
    assert answer_errors(notebook("NotImplementedError")) == (["f"], [])
    assert answer_errors(notebook("ValueError")) == ([], ["f raised ValueError"])
    assert answer_errors(notebook("KeyboardInterrupt")) == ([], [])  # the timeout note says it
    assert answer_errors(notebook()) == ([], [])


def test_run_notes_join_every_source_of_trouble_once():
    nb = notebook("NotImplementedError")
    outcome = Outcome(("a", "s"), records={2: CellRecord(Status.TAMPERED, "grading code was modified")},
                      notes=["printed output cut to 64 kB per cell"],
                      blocked=[f"read open /course/{i}.db" for i in range(6)])
    assert run_notes(nb, outcome) == [
        "test_f: grading code was modified", "printed output cut to 64 kB per cell", "unanswered: f",
        "refused while grading: read /course/0.db, read /course/1.db, read /course/2.db, "
        "read /course/3.db"]


def test_the_reason_puts_failures_first_and_hand_grading_last():
    result = Result("unit", "ann", 1, 5, tests={"test_a": (0.0, 2.0), "test_b": (1.0, 1.0),
                                                 "essay": (0.0, 2.0)}, manual=["essay"])
    reason = compose_reason(result, ["cell x was deleted", "cell x was deleted", "unanswered: f"])
    assert reason == ("failed: test_a; cell x was deleted; unanswered: f; "
                      "to grade by hand: essay")


def test_a_submission_that_never_ran_says_why():
    assert not_graded_reason("not valid JSON", []) == "not graded: not valid JSON"
    assert not_graded_reason("the kernel did not start", ["a", "a"]) == (
        "not graded: the kernel did not start; a")
