"""Autograde submitted/ safely and in parallel, write the gradebook, feedback and a CSV.

Each submission is repaired against the release (submission.py), run in a fresh sandboxed
kernel by a pool of long-lived workers (workers.py, sandbox.py), scored by nbgrader's own
SaveAutoGrades into the sqlite gradebook (this process is its only writer) and given feedback
that explains failures without showing hidden tests (feedback.py).
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import sys
import tempfile
import time
import warnings
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .course import CourseError, load_config, quiet_logs, resolve_assignments
from .submission import Prepared, Skeleton

GRADED_NOTEBOOK = "assignment"  # lectures are never executed by the autograder


@dataclass
class Result:
    """One student's grade on one assignment, with a reason when something went wrong."""

    assignment: str
    student: str
    score: float = 0.0
    max_score: float = 0.0
    reason: str = ""
    tests: dict = field(default_factory=dict)  # grade_id -> (score, max_score)
    manual: list = field(default_factory=list)  # grade_ids still waiting for a human grader

    @property
    def auto_max_score(self) -> float:
        """The points the autograder can award: everything but the cells graded by hand."""
        return self.max_score - sum(self.tests[name][1] for name in self.manual if name in self.tests)

    @property
    def failed_tests(self) -> list[str]:
        """The autograded cells that earned less than their points."""
        return [name for name, (got, most) in self.tests.items()
                if got < most and name not in self.manual]


def submissions(root: Path, names=()) -> list[tuple[str, str]]:
    """(assignment, student) pairs found under submitted/, sorted."""
    names = set(resolve_assignments(root, names))
    found = []
    for folder in sorted((Path(root) / "submitted").glob("*/*")):
        if folder.is_dir() and folder.name in names:
            found.append((folder.name, folder.parent.name))
    return sorted(found)


def db_url(root: Path) -> str:
    """The sqlite URL of the course's gradebook."""
    return f"sqlite:///{Path(root).resolve() / 'gradebook.db'}"


def read_result(root: Path, assignment: str, student: str) -> Result:
    """Scores of one submission as the gradebook stores them."""
    from nbgrader.api import Gradebook, MissingEntry

    result = Result(assignment, student)
    with Gradebook(db_url(root)) as gradebook:
        result.max_score = gradebook.find_assignment(assignment).max_score
        try:
            submission = gradebook.find_submission(assignment, student)
        except MissingEntry:
            result.reason = "not graded"
            return result
        result.score = submission.score
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                result.tests[grade.name] = (grade.score, grade.max_score)
                if grade.needs_manual_grade:
                    result.manual.append(grade.name)
    return result


def skeleton(root: Path, assignment: str) -> Skeleton:
    """The release of an assignment's graded notebook and the gradebook's copy of its cells."""
    from nbgrader.api import Gradebook, MissingEntry

    path = Path(root) / "release" / assignment / f"{GRADED_NOTEBOOK}.ipynb"
    if not path.is_file():
        raise CourseError(f"{path} is missing: run `rnncourse release {assignment}` first")
    release = json.loads(path.read_text(encoding="utf-8"))
    with quiet_logs(), warnings.catch_warnings(), Gradebook(db_url(root)) as gradebook:
        warnings.simplefilter("ignore")
        try:
            notebook = gradebook.find_notebook(GRADED_NOTEBOOK, assignment)
        except MissingEntry:
            raise CourseError(f"the gradebook does not know {assignment}: run "
                              f"`rnncourse release {assignment}` in {root} first") from None
        locked = {c.name: c.source for c in notebook.source_cells if c.locked}
        points = {c.name: c.max_score for c in notebook.grade_cells}
    return Skeleton(release, locked, points)


def load_submission(root: Path, assignment: str, student: str, trusted: Skeleton) -> Prepared:
    """Read and repair one submitted notebook; unreadable files give a Prepared without notebook."""
    from .submission import prepare, read

    path = Path(root) / "submitted" / student / assignment / f"{GRADED_NOTEBOOK}.ipynb"
    if path.is_symlink() or not path.is_file():
        return Prepared(None, error=f"no {path.name} in the submission")
    nb, error = read(path.read_bytes())
    return prepare(nb, trusted) if nb is not None else Prepared(None, error=error)


def extra_files(root: Path, assignment: str, student: str) -> list[tuple[str, str]]:
    """(path, relative path) of data files to copy next to the notebook: the student's, then
    the source's (which win), never notebooks, links or big files."""
    found = {}
    for base in (Path(root) / "submitted" / student / assignment, Path(root) / "source" / assignment):
        for folder, dirs, files in os.walk(base):
            dirs[:] = [d for d in dirs if not d.startswith(".") and d != "__pycache__"]
            for name in files:
                path = Path(folder) / name
                if (name.endswith(".ipynb") or name.startswith(".") or path.is_symlink()
                        or path.stat().st_size > 50 << 20):
                    continue
                found[str(path.relative_to(base))] = str(path)
    return [(path, relative) for relative, path in sorted(found.items())]


def sandbox_paths(root: Path) -> tuple[list[str], list[str]]:
    """(blocked, allowed): the course root is out of bounds, except the environment and package."""
    import rnncourse

    allowed = [sys.prefix, os.path.dirname(rnncourse.__file__)]
    return [str(Path(root).resolve())], [os.path.realpath(p) for p in allowed]


def make_task(root: Path, key, prepared: Prepared, limits, workdir: str, fonts=None) -> dict:
    """The plain-data unit of work a grading worker receives."""
    import nbformat

    from .workers import limits_dict

    assignment, student = key
    blocked, allowed = sandbox_paths(root)
    return {"key": key, "nb": nbformat.writes(nbformat.from_dict(prepared.nb)),
            "limits": limits_dict(limits), "grading_root": workdir,
            "blocked": blocked, "allowed": allowed,
            "files": extra_files(root, assignment, student), "mplconfig": fonts}


BENIGN_PROCESSES = {"uname", "fc-list", "nvidia-smi", "lscpu", "ldconfig"}


def refused(blocked: list[str]) -> list[str]:
    """What the sandbox refused, in words, leaving out the libraries' own harmless probes."""
    found = []
    for line in blocked:
        event, _, target = line.partition(" ")
        if event.startswith(("read", "write")):
            _, _, target = target.partition(" ")
            found.append(f"{event.split()[0]} {target}")
        elif os.path.basename(target.split(" ")[0].strip("[]'\",")) not in BENIGN_PROCESSES:
            found.append(f"start a process ({event} {target[:60]})")
    return found


def mark_failures(nb, records: dict) -> list[str]:
    """Write what went wrong into the executed notebook (a failed test scores 0); return notes."""
    from nbformat.v4 import new_output

    from .submission import is_answer, is_test, nbgrader_meta

    notes = []
    for index, record in sorted((int(k), v) for k, v in records.items()):
        cell = nb.cells[index]
        name = nbgrader_meta(cell).get("grade_id") or f"cell {index + 1}"
        if is_test(cell):
            cell.outputs.insert(0, new_output("error", ename="GradingError",
                                              evalue=record["message"], traceback=[]))
            if record["status"] != "not-run":
                notes.append(f"{name}: {record['message']}")
        elif record["status"] != "not-run" or is_answer(cell):
            notes.append(f"{name}: {record['message']}")
    return notes


def answer_errors(nb) -> tuple[list[str], list[str]]:
    """(unanswered, crashed): answer cells left as released, and those that raised an error."""
    from .submission import is_answer, nbgrader_meta

    unanswered, crashed = [], []
    for cell in nb.cells:
        if not (is_answer(cell) and cell.cell_type == "code"):
            continue
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        name = nbgrader_meta(cell)["grade_id"]
        if errors and errors[0].get("ename") == "NotImplementedError":
            unanswered.append(name)
        elif errors and errors[0].get("ename") != "KeyboardInterrupt":  # timeouts say it already
            crashed.append(f"{name} raised {errors[0].get('ename')}")
    return unanswered, crashed


def save_scores(root: Path, key, nb, timestamp) -> None:
    """Create the submission in the gradebook and let nbgrader's SaveAutoGrades score the cells."""
    from nbgrader.api import Gradebook
    from nbgrader.preprocessors import SaveAutoGrades

    assignment, student = key
    with Gradebook(db_url(root)) as gradebook:
        gradebook.update_or_create_student(student)
        if timestamp:
            gradebook.update_or_create_submission(assignment, student, timestamp=timestamp)
        else:
            gradebook.update_or_create_submission(assignment, student)
    if nb is None:
        with Gradebook(db_url(root)) as gradebook:
            notebook = gradebook.find_submission_notebook(GRADED_NOTEBOOK, assignment, student)
            for grade in notebook.grades:
                grade.auto_score, grade.needs_manual_grade = 0, False
            gradebook.db.commit()
        return
    resources = {"nbgrader": {"notebook": GRADED_NOTEBOOK, "assignment": assignment,
                              "student": student, "db_url": db_url(root)}}
    SaveAutoGrades().preprocess(nb, resources)


def timestamp_of(root: Path, assignment: str, student: str):
    """The submission time from timestamp.txt (as nbgrader's exchange writes it), or None."""
    from nbgrader.utils import parse_utc

    path = Path(root) / "submitted" / student / assignment / "timestamp.txt"
    try:
        return parse_utc(path.read_text(encoding="utf-8").strip()) if path.is_file() else None
    except Exception:  # noqa: BLE001 - a garbled timestamp must not stop grading
        return None


def copy_exchange_files(submitted: Path, folder: Path) -> None:
    """timestamp.txt and submission_secret.txt of a submission, which `nbgrader release_feedback`
    reads next to the feedback (the secret names the feedback file in the exchange)."""
    for name in ("timestamp.txt", "submission_secret.txt"):
        path = submitted / name
        if path.is_file() and not path.is_symlink():
            shutil.copyfile(path, folder / name)


def write_autograded(root: Path, key, nb) -> None:
    """Store the executed notebook where nbgrader's formgrader looks for it."""
    import nbformat

    assignment, student = key
    folder = Path(root) / "autograded" / student / assignment
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    nbformat.write(nb, folder / f"{GRADED_NOTEBOOK}.ipynb")
    copy_exchange_files(Path(root) / "submitted" / student / assignment, folder)


def write_feedback(root: Path, result: Result, nb, trusted: Skeleton, notes: list[str]) -> Path:
    """feedback/<student>/<assignment>/assignment.html, without hidden tests or solutions."""
    from . import feedback
    from .submission import nbgrader_meta, text

    public = {nbgrader_meta(c)["grade_id"]: text(c) for c in trusted.release["cells"]
              if nbgrader_meta(c).get("grade_id")}
    scores = {}
    for name, (got, most) in result.tests.items():
        why = "to grade by hand" if name in result.manual else ("passed" if got >= most else "failed")
        scores[name] = (None if name in result.manual else got, most, why)
    title = f"{result.assignment}: feedback for {result.student}"
    page = (feedback.render(nb, public, title, scores, notes) if nb is not None
            else feedback.unreadable(title, result.reason, scores))
    folder = Path(root) / "feedback" / result.student / result.assignment
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{GRADED_NOTEBOOK}.html"
    path.write_text(page, encoding="utf-8")
    copy_exchange_files(Path(root) / "submitted" / result.student / result.assignment, folder)
    return path


def unique(items) -> list[str]:
    """Items in first-seen order, without repeats."""
    return list(dict.fromkeys(items))


def compose_reason(result: Result, notes: list[str]) -> str:
    """'failed: ...' first, then what was repaired or refused, then what waits for a human."""
    parts = []
    if result.failed_tests:
        parts.append("failed: " + ", ".join(result.failed_tests))
    parts += unique(notes)
    if result.manual:
        parts.append("to grade by hand: " + ", ".join(result.manual))
    return "; ".join(parts)


def record(root: Path, key, prepared: Prepared, outcome: dict | None, trusted: Skeleton,
           feedback: bool) -> Result:
    """Score one submission from its outcome; write autograded/, the gradebook and feedback."""
    import nbformat

    assignment, student = key
    notes = list(prepared.notes)
    nb = None
    if outcome is not None and "error" in outcome:
        prepared = Prepared(None, notes, error=outcome["error"])
    if prepared.nb is not None and outcome is not None:
        nb = nbformat.reads(outcome["nb"], as_version=4)
        notes += mark_failures(nb, outcome.get("records", {}))
        notes += outcome.get("notes", [])
        unanswered, crashed = answer_errors(nb)
        notes += crashed
        if unanswered:
            notes.append("unanswered: " + ", ".join(unanswered))
        things = refused(outcome.get("blocked", []))
        if things:
            notes.append("refused while grading: " + ", ".join(unique(things)[:4]))
        write_autograded(root, key, nb)
    with quiet_logs(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SQLAlchemy chatter from nbgrader's gradebook
        save_scores(root, key, nb, timestamp_of(root, assignment, student))
        result = read_result(root, assignment, student)
    if nb is None:
        result.reason = "not graded: " + prepared.error + (
            "; " + "; ".join(unique(notes)) if notes else "")
    else:
        result.reason = compose_reason(result, notes)
    if feedback:
        write_feedback(root, result, nb, trusted, unique(notes))
    return result


def grade(root: Path, names=(), *, feedback: bool = True, progress: bool = True, jobs: int = 1,
          limits=None) -> list[Result]:
    """Autograde every submission of the given assignments, ``jobs`` at a time; one Result each."""
    from tqdm.auto import tqdm

    from .workers import Limits, run_all, shared_font_cache

    root = Path(root)
    pairs = submissions(root, names)
    if not pairs:
        raise CourseError(f"No submissions found under {root / 'submitted'}/<student>/<assignment>/")
    limits = limits or Limits.from_config(load_config(root))
    trusted = {a: skeleton(root, a) for a in sorted({a for a, _ in pairs})}
    began, results, prepared, tasks = time.monotonic(), {}, {}, []
    workdir = tempfile.mkdtemp(prefix="rnncourse-grading-")
    try:
        fonts = shared_font_cache(workdir) if len(pairs) > 1 else None
        for key in pairs:
            prepared[key] = load_submission(root, *key, trusted[key[0]])
            if prepared[key].nb is None:
                results[key] = record(root, key, prepared[key], None, trusted[key[0]], feedback)
            else:
                tasks.append(make_task(root, key, prepared[key], limits, workdir, fonts))
        bar = tqdm(total=len(pairs), initial=len(results), desc=f"autograding ({jobs} at a time)",
                   unit="submission", disable=not progress)
        for task, outcome in run_all(tasks, jobs):
            key = tuple(task["key"])
            results[key] = record(root, key, prepared[key], outcome, trusted[key[0]], feedback)
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


def write_csv(results: list[Result], path: Path) -> Path:
    """One row per (assignment, student): score, max score, reason, and one column per test."""
    tests = sorted({name for r in results for name in r.tests})
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["assignment", "student", "score", "max_score", "reason", *tests])
        for r in results:
            cells = [r.tests[t][0] if t in r.tests else "" for t in tests]
            writer.writerow([r.assignment, r.student, r.score, r.max_score, r.reason, *cells])
    return path


def format_table(results: list[Result]) -> str:
    """A per-student table of scores, one block per assignment."""
    lines = []
    width = max([len(r.student) for r in results] + [7])
    for assignment in sorted({r.assignment for r in results}):
        lines.append(f"\n{assignment}")
        lines.append(f"  {'student':<{width}}  {'score':>11}  reason")
        for r in (r for r in results if r.assignment == assignment):
            score = f"{r.score:g} / {r.max_score:g}"
            lines.append(f"  {r.student:<{width}}  {score:>11}  {r.reason}")
    return "\n".join(lines)


def graded_by_hand(results: list[Result]) -> set:
    """(assignment, cell) pairs that wait for a human grader in at least one submission."""
    return {(r.assignment, name) for r in results for name in r.manual}


def pass_rates(results: list[Result]) -> dict:
    """For each autograded (assignment, test): the share of students who earned its full points."""
    passed, seen = defaultdict(int), defaultdict(int)
    by_hand = graded_by_hand(results)
    for r in results:
        for name, (got, most) in r.tests.items():
            if (r.assignment, name) in by_hand:
                continue
            seen[(r.assignment, name)] += 1
            passed[(r.assignment, name)] += got >= most
    return {key: passed[key] / seen[key] for key in seen}


def format_pass_rates(results: list[Result]) -> str:
    """Tests from the most to the least failed, so instructors see where the class struggles."""
    rates = pass_rates(results)
    if not rates:
        return ""
    lines = ["\npass rate per test (most failed first)"]
    for (assignment, name), rate in sorted(rates.items(), key=lambda kv: (kv[1], kv[0])):
        lines.append(f"  {rate:6.0%}  {assignment}/{name}")
    by_hand = sorted(f"{a}/{n}" for a, n in graded_by_hand(results))
    if by_hand:
        lines.append("  graded by hand, not counted: " + ", ".join(by_hand))
    return "\n".join(lines)
