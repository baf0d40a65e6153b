"""Autograde a class: repair each submission, run it in a sandboxed kernel, score, explain.

Each submitted notebook is repaired against the release (``repair``), run in a fresh sandboxed
kernel by a pool of long-lived workers (``runner``, ``sandbox``), scored by nbgrader's own
SaveAutoGrades into the sqlite gradebook (this process is its only writer), kept with the files
it wrote in autograded/<student>/<assignment>/, and given nbgrader's feedback page without
hidden tests (``feedback``). An assignment's notebooks are the ones nbgrader knows (any names,
several per assignment); a submission's extra notebooks are ignored, as nbgrader ignores them.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
import warnings
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

from ..course.layout import CourseError, Layout, load_config, quiet_logs
from . import feedback as pages
from .feedback import NOTES_KEY
from .files import (
    extra_files,
    keep_files,
    load_submission,
    reset_autograded,
    submissions,
    timestamp_of,
    write_autograded,
)
from .gradebook import Result, failed_cells, notebook_names, read_result, save_scores, skeleton
from .limits import Limits, preload_for
from .outcome import compose_reason, not_graded_reason, run_notes, unique
from .protocol import Outcome, Task
from .repair import Prepared, Skeleton


def sandbox_paths(layout: Layout) -> tuple[list[str], list[str]]:
    """(blocked, allowed): the course root is out of bounds, except the environment and package."""
    import rnncourse

    allowed = [sys.prefix, os.path.dirname(rnncourse.__file__)]
    return [str(layout.root)], [os.path.realpath(p) for p in allowed]


def graded_notebooks(layout: Layout, assignment: str) -> dict[str, Skeleton]:
    """The notebooks to run, by name: those with graded cells (a lecture beside an assignment
    earns nothing and is not run), or every notebook when none is graded, as nbgrader runs them."""
    every = {name: skeleton(layout, assignment, name) for name in notebook_names(layout, assignment)}
    graded = {name: trusted for name, trusted in every.items() if trusted.points}
    return graded or every


def make_task(layout: Layout, key, prepared: Prepared, limits: Limits, workdir: str,
              fonts=None) -> Task:
    """The unit of work a grading worker receives: one notebook of one submission."""
    import nbformat

    assignment, student, _ = key
    blocked, allowed = sandbox_paths(layout)
    return Task(key=key, nb=nbformat.writes(nbformat.from_dict(prepared.nb)), limits=limits,
                grading_root=workdir, blocked=blocked, allowed=allowed,
                files=extra_files(layout, assignment, student), mplconfig=fonts)


def record(layout: Layout, key, prepared: Prepared, outcome: Outcome | None) -> tuple[list, str]:
    """Score one notebook from its outcome and write it to autograded/; (notes, error if not run)."""
    import nbformat

    assignment, student, _ = key
    notes = list(prepared.notes)
    nb = None
    if outcome is not None and outcome.error:
        prepared = Prepared(None, notes, error=outcome.error)
    if prepared.nb is not None and outcome is not None:
        nb = nbformat.reads(outcome.nb, as_version=4)
        notes += run_notes(nb, outcome)
    with quiet_logs(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SQLAlchemy chatter from nbgrader's gradebook
        save_scores(layout, key, nb, timestamp_of(layout, assignment, student))
        failed = failed_cells(layout, key) if nb is not None else []
    if nb is None:
        return unique(notes), prepared.error
    nb.metadata[NOTES_KEY] = {"notes": (["failed: " + ", ".join(failed)] if failed else [])
                              + unique(notes)}
    keep_files(outcome.kept, layout.autograded(student, assignment))
    write_autograded(layout, key, nb)
    return unique(notes), ""


def conclude(layout: Layout, pair, runs: dict) -> Result:
    """One Result from the notebooks of a submission: ``runs`` maps notebook -> (notes, error)."""
    with quiet_logs(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = read_result(layout, *pair)
    several = len(runs) > 1
    notes, errors = [], {}
    for notebook, (said, error) in runs.items():
        prefix = f"{notebook}: " if several else ""
        notes += [prefix + note for note in said]
        if error:
            errors[prefix] = error
    if len(errors) == len(runs):
        result.reason = not_graded_reason("; ".join(p + e for p, e in errors.items()), notes)
    else:
        result.reason = compose_reason(result, [f"{p}not graded: {e}" for p, e in errors.items()]
                                       + notes)
    return result


def write_feedback(layout: Layout, assignment: str, runs: dict) -> None:
    """nbgrader's feedback (leak-free) for the assignment; a short page for unrun notebooks."""
    if any(not error for per in runs.values() for _, error in per.values()):
        pages.generate(layout.root, assignment)
    for student, per in runs.items():
        for notebook, (_, error) in per.items():
            if error:
                pages.unreadable(layout.feedback(student, assignment) / f"{notebook}.html",
                                 f"{assignment}/{notebook}: feedback for {student}", error)


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
    trusted = {a: graded_notebooks(layout, a) for a in sorted({a for a, _ in pairs})}
    limits_of = {a: replace(limits, preload=preload_for(limits.preload, notebooks.values()))
                 for a, notebooks in trusted.items()}
    began, prepared, tasks = time.monotonic(), {}, []
    runs: dict = defaultdict(dict)  # (assignment, student) -> notebook -> (notes, error)
    results: dict = {}
    workdir = tempfile.mkdtemp(prefix="rnncourse-grading-")
    try:
        fonts = shared_font_cache(workdir) if len(pairs) > 1 else None
        for assignment, student in pairs:
            reset_autograded(layout, assignment, student)
            for notebook, skeleton_ in trusted[assignment].items():
                key = (assignment, student, notebook)
                prepared[key] = load_submission(layout, assignment, student, notebook, skeleton_)
                if prepared[key].nb is None:
                    runs[key[:2]][notebook] = record(layout, key, prepared[key], None)
                else:
                    tasks.append(make_task(layout, key, prepared[key], limits_of[assignment],
                                           workdir, fonts))
        bar = tqdm(total=len(pairs), desc=f"autograding ({jobs} at a time)", unit="submission",
                   disable=not progress)

        def finish(pair) -> None:
            results[pair] = conclude(layout, pair, runs[pair])
            bar.set_postfix_str(f"{pair[1]}: {results[pair].score:g}/{results[pair].max_score:g}")
            bar.update()

        for pair in pairs:
            if len(runs[pair]) == len(trusted[pair[0]]):
                finish(pair)
        for task, outcome in run_all(tasks, jobs):
            key = tuple(task.key)
            runs[key[:2]][key[2]] = record(layout, key, prepared[key], outcome)
            if len(runs[key[:2]]) == len(trusted[key[0]]):
                finish(key[:2])
        bar.close()
        if feedback:
            for assignment in trusted:
                write_feedback(layout, assignment, {s: runs[(a, s)] for a, s in pairs if a == assignment})
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if progress:
        spent = time.monotonic() - began
        print(f"graded {len(pairs)} submission(s) in {spent:.1f} s with {jobs} worker(s) "
              f"({spent / len(pairs):.1f} s per submission)", file=sys.stderr)
    return [results[pair] for pair in pairs]
