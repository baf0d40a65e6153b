"""Run one submission cell by cell in a sandboxed kernel (a worker's unit of work).

Test cells are bracketed by the guard; a cell that kills or hangs the kernel costs that cell,
then a fresh kernel replays the earlier cells and grading goes on. Never raises for a student's
doing: everything that went wrong becomes a CellRecord or a note of the Outcome.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import time
from pathlib import Path

from ...nb import is_test
from ..limits import Limits
from ..protocol import CellRecord, Outcome, SandboxSpec, Status, Task
from .guard import arm_code, check_code, new_nonce, parse_report
from .kernel import Kernel

CHECK_NAMES = re.compile(r"\b((?:check|assert)_\w+)\b")  # helpers a test cell calls by name
GUARD_TIMEOUT = 30.0
KEPT_CHANGES = 6  # changed names listed in a note


def start(private: Path, scratch: Path, spec: SandboxSpec, limits: Limits) -> Kernel:
    """A fresh sandboxed kernel with its pristine state recorded for the guard."""
    kernel = Kernel(private, scratch, spec, limits)
    run = kernel.run(arm_code(), limits.startup_timeout, silent=True)
    if run.status is not Status.OK:
        kernel.shutdown()
        raise RuntimeError("the grading kernel could not record its pristine state "
                           f"({run.status.value})")
    return kernel


def guard(kernel: Kernel, source: str, limits: Limits) -> list[str] | None:
    """Undo monkeypatching in the kernel; the list of what was changed, or None if no answer."""
    nonce = new_nonce()
    run = kernel.run(check_code(nonce, set(CHECK_NAMES.findall(source))),
                     min(limits.cell_timeout, GUARD_TIMEOUT), silent=True)
    return parse_report("".join(o.get("text", "") for o in run.outputs
                                if o.output_type == "stream"), nonce)


def replay(kernel: Kernel, nb, upto: int, skip: set, limits: Limits) -> bool:
    """Re-run the non-test code cells before ``upto`` in a fresh kernel; False if that failed."""
    for index in range(upto):
        cell = nb.cells[index]
        if cell.cell_type != "code" or index in skip or is_test(cell) or not cell.source.strip():
            continue
        run = kernel.run(cell.source, limits.cell_timeout, silent=True)
        if run.status in (Status.DIED, Status.KILLED):
            return False
    return True


def sandbox_spec(task: Task, scratch: Path, audit_log: Path) -> SandboxSpec:
    """What the kernel must enforce for ``task``; the batch's own folder is blocked too."""
    limits = task.limits
    return SandboxSpec(
        scratch=str(scratch), audit_log=str(audit_log),
        blocked=[*task.blocked, task.grading_root],
        allowed=[*task.allowed, *([task.mplconfig] if task.mplconfig else [])],
        mplconfig=task.mplconfig, memory_bytes=limits.memory_mb << 20,
        file_bytes=limits.file_mb << 20, block_processes=limits.block_processes,
        preload=list(limits.preload))


class Session:
    """The state of one submission's run: its kernel, records, notes and restarts."""

    def __init__(self, task: Task, private: Path, scratch: Path, spec: SandboxSpec, began: float):
        self.limits, self.private, self.scratch, self.spec = task.limits, private, scratch, spec
        self.began = began
        self.records: dict[int, CellRecord] = {}
        self.notes: list[str] = []
        self.restarts = 0
        self.skip: set = set()
        self.kernel = start(private, scratch, spec, self.limits)

    def not_run(self, indices, why: str) -> None:
        """Mark cells that were never started."""
        for index in indices:
            self.records[index] = CellRecord(Status.NOT_RUN, f"not run: {why}")

    def run_all(self, nb) -> None:
        """Run every code cell in order, stopping early only when the kernel cannot go on."""
        code_cells = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
        for position, index in enumerate(code_cells):
            cell = nb.cells[index]
            cell.outputs, cell.execution_count = [], None
            if not cell.source.strip():
                continue
            left = self.limits.notebook_timeout - (time.monotonic() - self.began)
            if left <= 0:
                self.not_run(code_cells[position:],
                             f"the notebook exceeded its {self.limits.notebook_timeout:g} s limit")
                return
            status = self.run_cell(cell, index, left)
            if status in (Status.KILLED, Status.DIED) and not self.recover(nb, index, status):
                self.not_run(code_cells[position + 1:],
                             f"the kernel kept dying or hanging ({self.restarts} restart(s))")
                return

    def run_cell(self, cell, index: int, left: float) -> Status | None:
        """Run one cell (a test between two guard checks); how it ended, None if not run."""
        import nbformat

        test = is_test(cell)
        if test and not self.guard_before(cell, index):
            return None
        run = self.kernel.run(cell.source, min(self.limits.cell_timeout, left))
        cell.outputs = run.outputs
        add_reply_error(cell, run.reply)
        cell.execution_count = run.reply.get("execution_count")
        if run.dropped:
            cell.outputs.append(nbformat.v4.new_output(
                "stream", name="stdout", text=f"\n[{run.dropped:,} bytes of output dropped: "
                f"more than {self.limits.output_kb} kB printed in one cell]\n"))
            self.notes.append(f"printed output cut to {self.limits.output_kb} kB per cell")
        if run.status in (Status.TIMEOUT, Status.KILLED, Status.DIED):
            self.records[index] = CellRecord(run.status, run.message)
        if run.status in (Status.OK, Status.ERROR, Status.TIMEOUT) and test:
            self.guard_after(cell, index)
        return run.status

    def guard_before(self, cell, index: int) -> bool:
        """Restore grading code before a test; False when the kernel gave no honest answer."""
        changed = guard(self.kernel, cell.source, self.limits)
        if changed is None:
            self.records[index] = CellRecord(Status.TAMPERED, (
                "the kernel did not answer the grader's integrity check before this "
                "test; something in the notebook changed how cells run"))
            return False
        if changed:
            self.notes.append("grading code was modified before a test and restored: "
                              + ", ".join(changed[:KEPT_CHANGES]))
        return True

    def guard_after(self, cell, index: int) -> None:
        """A test that changed grading code while it ran fails."""
        changed = guard(self.kernel, cell.source, self.limits)
        if changed:
            self.records[index] = CellRecord(Status.TAMPERED, (
                "grading code was modified while this test ran: "
                + ", ".join(changed[:KEPT_CHANGES])))
        elif changed is None:
            self.records[index] = CellRecord(Status.TAMPERED, (
                "the kernel did not answer the grader's integrity check after this test"))

    def recover(self, nb, index: int, status: Status) -> bool:
        """A fresh kernel with the earlier cells replayed; False when restarts are used up."""
        self.skip.add(index)
        self.kernel.shutdown()
        self.restarts += 1
        if self.restarts > self.limits.max_restarts:
            return False
        self.kernel = start(self.private, self.scratch, self.spec, self.limits)
        if not replay(self.kernel, nb, index, self.skip, self.limits):
            return False
        self.notes.append(f"kernel restarted after cell {index} ({status.value}); "
                          "earlier answer cells were re-run")
        return True


def add_reply_error(cell, reply: dict | None) -> None:
    """Grade by what the kernel did: an error its execute_reply reports but no output shows (a
    patched showtraceback, say) is added to the cell, as nbgrader's own executor adds it."""
    from nbformat.v4 import new_output

    if not reply or reply.get("status") != "error":
        return
    ename, evalue = str(reply.get("ename", "Error")), str(reply.get("evalue", ""))[:4000]
    if not any(o.get("output_type") == "error" and o.get("ename") == ename for o in cell.outputs):
        cell.outputs.append(new_output("error", ename=ename, evalue=evalue,
                                       traceback=[f"{ename}: {evalue}" if evalue else ename]))


def copy_files(task: Task, scratch: Path) -> None:
    """Put the submission's and the source's data files next to the notebook."""
    for source, relative in task.files:
        target = scratch / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)


def execute(task: Task) -> Outcome:
    """Execute one submission (a worker's unit of work); never raises for a student's doing."""
    import nbformat

    began = time.monotonic()
    nb = nbformat.reads(task.nb, as_version=4)
    private = Path(tempfile.mkdtemp(prefix="private-", dir=task.grading_root))
    scratch = Path(tempfile.mkdtemp(prefix="kernel-", dir=task.grading_root))
    copy_files(task, scratch)
    audit_log = private / "audit.log"
    try:
        session = Session(task, private, scratch, sandbox_spec(task, scratch, audit_log), began)
    except RuntimeError as error:
        shutil.rmtree(private, ignore_errors=True)
        shutil.rmtree(scratch, ignore_errors=True)
        return Outcome(task.key, error=str(error), seconds=time.monotonic() - began)
    try:
        session.run_all(nb)
    finally:
        session.kernel.shutdown()
        blocked = audit_log.read_text(errors="replace").splitlines() if audit_log.exists() else []
        shutil.rmtree(private, ignore_errors=True)  # scratch/ goes to the parent, then away
    return Outcome(task.key, nb=nbformat.writes(nb), records=session.records, notes=session.notes,
                   blocked=blocked, restarts=session.restarts, seconds=time.monotonic() - began,
                   kept=str(scratch))
