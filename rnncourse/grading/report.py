"""What `rnncourse grade` prints and writes: the class table, pass rates and rnncourse-grades.csv.

The CSV is not named grades.csv: that is the file `nbgrader export` writes at the course root.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

from .gradebook import Result

REPORT_NAME = "rnncourse-grades.csv"  # beside nbgrader export's grades.csv, never over it


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
