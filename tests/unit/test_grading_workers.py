"""The worker pool: a worker process that dies costs only the submission that killed it."""

from __future__ import annotations

import os

from hostile.workloads import Chore, finish_or_die

from rnncourse.grading.runner.pool import run_all


def outcomes(tasks, jobs):
    """key -> outcome, checking that each task is reported exactly once."""
    seen = [(task.key, outcome) for task, outcome in run_all(tasks, jobs, function=finish_or_die)]
    keys = [key for key, _ in seen]
    assert sorted(keys) == sorted(t.key for t in tasks), keys
    return dict(seen)


def test_a_worker_killed_by_one_submission_spares_the_rest():
    tasks = [Chore(f"student-{i}") for i in range(6)]
    tasks[2].die = "always"
    result = outcomes(tasks, jobs=2)
    assert "died twice" in result["student-2"].error
    for key, outcome in result.items():
        if key != "student-2":
            assert not outcome.error, (key, outcome)


def test_a_worker_that_dies_once_is_graded_on_the_retry(tmp_path):
    tasks = [Chore(f"student-{i}") for i in range(4)]
    tasks[0].die, tasks[0].marker = "once", str(tmp_path / "marker")
    result = outcomes(tasks, jobs=2)
    assert all(not outcome.error for outcome in result.values()), result
    assert (tmp_path / "marker").exists()


def test_serial_grading_runs_in_this_process():
    result = outcomes([Chore("a"), Chore("b")], jobs=1)
    assert {outcome.pid for outcome in result.values()} == {os.getpid()}
