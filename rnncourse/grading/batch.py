"""Autograde a class: repair each submission, run it in a sandboxed kernel, score, explain.

Each submission is repaired against the release (``repair``), run in a fresh sandboxed kernel
by a pool of long-lived workers (``runner``, ``sandbox``), scored by nbgrader's own
SaveAutoGrades into the sqlite gradebook (this process is its only writer) and given feedback
that explains failures without showing hidden tests (``feedback``).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
import warnings
from pathlib import Path

from ..config import quiet_logs
from ..course.layout import CourseError, Layout, load_config
from .files import extra_files, load_submission, submissions, timestamp_of, write_autograded, write_feedback
from .gradebook import Result, read_result, save_scores, skeleton
from .limits import Limits
from .outcome import compose_reason, not_graded_reason, run_notes, unique
from .protocol import Outcome, Task
from .repair import Prepared, Skeleton


def sandbox_paths(layout: Layout) -> tuple[list[str], list[str]]:
    """(blocked, allowed): the course root is out of bounds, except the environment and package."""
    import rnncourse

    allowed = [sys.prefix, os.path.dirname(rnncourse.__file__)]
    return [str(layout.root)], [os.path.realpath(p) for p in allowed]


def make_task(layout: Layout, key, prepared: Prepared, limits: Limits, workdir: str,
              fonts=None) -> Task:
    """The unit of work a grading worker receives."""
    import nbformat

    assignment, student = key
    blocked, allowed = sandbox_paths(layout)
    return Task(key=key, nb=nbformat.writes(nbformat.from_dict(prepared.nb)), limits=limits,
                grading_root=workdir, blocked=blocked, allowed=allowed,
                files=extra_files(layout, assignment, student), mplconfig=fonts)


def record(layout: Layout, key, prepared: Prepared, outcome: Outcome | None, trusted: Skeleton,
           feedback: bool) -> Result:
    """Score one submission from its outcome; write autograded/, the gradebook and feedback."""
    import nbformat

    assignment, student = key
    notes = list(prepared.notes)
    nb = None
    if outcome is not None and outcome.error:
        prepared = Prepared(None, notes, error=outcome.error)
    if prepared.nb is not None and outcome is not None:
        nb = nbformat.reads(outcome.nb, as_version=4)
        notes += run_notes(nb, outcome)
        write_autograded(layout, key, nb)
    with quiet_logs(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SQLAlchemy chatter from nbgrader's gradebook
        save_scores(layout, key, nb, timestamp_of(layout, assignment, student))
        result = read_result(layout, assignment, student)
    if nb is None:
        result.reason = not_graded_reason(prepared.error, notes)
    else:
        result.reason = compose_reason(result, notes)
    if feedback:
        write_feedback(layout, result, nb, trusted, unique(notes))
    return result


def grade(root: Path, names=(), *, feedback: bool = True, progress: bool = True, jobs: int = 1,
          limits: Limits | None = None) -> list[Result]:
    """Autograde every submission of the given assignments, ``jobs`` at a time; one Result each."""
    from tqdm.auto import tqdm

    from .runner.kernel import shared_font_cache
    from .runner.pool import run_all

    layout = Layout.of(root)
    pairs = submissions(layout, names)
    if not pairs:
        raise CourseError(f"No submissions found under {layout.top('submitted')}/<student>/<assignment>/")
    limits = limits or Limits.from_config(load_config(layout.root))
    trusted = {a: skeleton(layout, a) for a in sorted({a for a, _ in pairs})}
    began, results, prepared, tasks = time.monotonic(), {}, {}, []
    workdir = tempfile.mkdtemp(prefix="rnncourse-grading-")
    try:
        fonts = shared_font_cache(workdir) if len(pairs) > 1 else None
        for key in pairs:
            prepared[key] = load_submission(layout, *key, trusted[key[0]])
            if prepared[key].nb is None:
                results[key] = record(layout, key, prepared[key], None, trusted[key[0]], feedback)
            else:
                tasks.append(make_task(layout, key, prepared[key], limits, workdir, fonts))
        bar = tqdm(total=len(pairs), initial=len(results), desc=f"autograding ({jobs} at a time)",
                   unit="submission", disable=not progress)
        for task, outcome in run_all(tasks, jobs):
            key = tuple(task.key)
            results[key] = record(layout, key, prepared[key], outcome, trusted[key[0]], feedback)
            bar.set_postfix_str(f"{key[1]}: {results[key].score:g}/{results[key].max_score:g}")
            bar.update()
        bar.close()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if progress:
        spent = time.monotonic() - began
        print(f"graded {len(pairs)} submission(s) in {spent:.1f} s with {jobs} worker(s) "
              f"({spent / len(pairs):.1f} s per submission)", file=sys.stderr)
    return [results[key] for key in pairs]
