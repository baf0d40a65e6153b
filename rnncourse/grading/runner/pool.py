"""Long-lived worker processes that run submissions side by side; the parent keeps the gradebook.

A worker process that dies (the machine's OOM killer, a bug) breaks the pool and every
submission still in it; those are graded again, each in a pool of its own, so only the
submission that kills a worker twice goes ungraded.
"""

from __future__ import annotations

import signal

from ..protocol import Outcome, Task


def run_all(tasks: list[Task], jobs: int = 1, function=None):
    """Yield (task, outcome) as submissions finish, with ``jobs`` long-lived worker processes."""
    if function is None:
        from .execute import execute as function
    if jobs <= 1:
        for task in tasks:
            yield task, safe_execute(task, function)
        return
    broken = yield from pool_round(tasks, jobs, function)
    for task in broken:
        for lost in (yield from pool_round([task], 1, function)):
            yield lost, Outcome(lost.key, error="the grading worker process died twice on this "
                                               "submission")


def pool_round(tasks: list[Task], jobs: int, function):
    """Run ``tasks`` in one pool; yield what finished, return the tasks a broken pool lost."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    context = multiprocessing.get_context("spawn")
    lost = []
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=warm) as pool:
        futures = {pool.submit(function, task): task for task in tasks}
        for future in as_completed(futures):
            task = futures[future]
            try:
                outcome = future.result()
            except BrokenProcessPool:
                lost.append(task)
                continue
            except Exception as error:  # noqa: BLE001 - a worker crash must not stop the batch
                outcome = Outcome(task.key, error=f"grading worker failed: {error!r}")
            yield task, outcome
    return lost


def safe_execute(task: Task, function) -> Outcome:
    """``function(task)`` in this process, turning an unexpected grader error into an outcome."""
    try:
        return function(task)
    except Exception as error:  # noqa: BLE001 - one submission must not stop the batch
        return Outcome(task.key, error=f"grader error: {error!r}")


def warm() -> None:
    """Import the client side once per worker process (workers live for the whole batch)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    import jupyter_client  # noqa: F401
    import nbformat  # noqa: F401
