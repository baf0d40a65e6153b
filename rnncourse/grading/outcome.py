"""Reasons in words: what a worker's outcome means for the student, cell by cell."""

from __future__ import annotations

import os

from ..nb import grade_id, is_answer, is_test
from .gradebook import Result
from .protocol import CellRecord, Status

# Programs that libraries probe on import; refusing them is no one's doing, so not reported.
BENIGN_PROCESSES = {"uname", "fc-list", "nvidia-smi", "lscpu", "ldconfig"}


def unique(items) -> list[str]:
    """Items in first-seen order, without repeats."""
    return list(dict.fromkeys(items))


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


def mark_failures(nb, records: dict[int, CellRecord]) -> list[str]:
    """Write what went wrong into the executed notebook (a failed test scores 0); return notes."""
    from nbformat.v4 import new_output

    notes = []
    for index, record in sorted(records.items()):
        cell = nb.cells[index]
        name = grade_id(cell) or f"cell {index + 1}"
        if is_test(cell):
            cell.outputs.insert(0, new_output("error", ename="GradingError",
                                              evalue=record.message, traceback=[]))
            if record.status is not Status.NOT_RUN:
                notes.append(f"{name}: {record.message}")
        elif record.status is not Status.NOT_RUN or is_answer(cell):
            notes.append(f"{name}: {record.message}")
    return notes


def answer_errors(nb) -> tuple[list[str], list[str]]:
    """(unanswered, crashed): answer cells left as released, and those that raised an error."""
    unanswered, crashed = [], []
    for cell in nb.cells:
        if not (is_answer(cell) and cell.cell_type == "code"):
            continue
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        name = grade_id(cell)
        if errors and errors[0].get("ename") == "NotImplementedError":
            unanswered.append(name)
        elif errors and errors[0].get("ename") != "KeyboardInterrupt":  # timeouts say it already
            crashed.append(f"{name} raised {errors[0].get('ename')}")
    return unanswered, crashed


def run_notes(nb, outcome) -> list[str]:
    """Everything worth telling about a run: marked cells, crashes, unanswered cells, refusals."""
    notes = mark_failures(nb, outcome.records)
    notes += outcome.notes
    unanswered, crashed = answer_errors(nb)
    notes += crashed
    if unanswered:
        notes.append("unanswered: " + ", ".join(unanswered))
    things = refused(outcome.blocked)
    if things:
        notes.append("refused while grading: " + ", ".join(unique(things)[:4]))
    return notes


def compose_reason(result: Result, notes: list[str]) -> str:
    """'failed: ...' first, then what was repaired or refused, then what waits for a human."""
    parts = []
    if result.failed_tests:
        parts.append("failed: " + ", ".join(result.failed_tests))
    parts += unique(notes)
    if result.manual:
        parts.append("to grade by hand: " + ", ".join(result.manual))
    return "; ".join(parts)


def not_graded_reason(error: str, notes: list[str]) -> str:
    """The reason of a submission that could not be run at all."""
    return "not graded: " + error + ("; " + "; ".join(unique(notes)) if notes else "")
