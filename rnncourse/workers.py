"""Run submitted notebooks in sandboxed kernels, one fresh kernel per submission, N at a time.

A worker executes a sanitized notebook cell by cell over the Jupyter protocol and returns the
executed notebook with one record per cell that did not simply run (timeout, kernel death,
tampering, not run). Workers never touch the gradebook: the parent process is its only writer.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from queue import Empty

KERNEL_NAME = "rnncourse-sandbox"
SUBMISSION_PY = re.compile(r"\b((?:check|assert)_\w+)\b")


@dataclass
class Limits:
    """Per-submission limits; every one is on by default and set in nbgrader_config.py."""

    cell_timeout: float = 120.0        # seconds per cell, then interrupt (and kill if stuck)
    notebook_timeout: float = 900.0    # seconds for the whole notebook
    memory_mb: int = 4096              # address space of the kernel (RLIMIT_AS)
    output_kb: int = 64                # printed output kept per cell
    file_mb: int = 256                 # largest file the kernel may write
    max_restarts: int = 2              # fresh kernels after a death or a stuck cell
    startup_timeout: float = 120.0     # seconds for a kernel to answer
    interrupt_grace: float = 5.0       # seconds a cell gets to stop after an interrupt
    block_processes: bool = True       # refuse fork/exec/subprocess inside the kernel
    preload: tuple = ("numpy", "numpy.testing", "rnncourse.checks", "keras")

    @classmethod
    def from_config(cls, config, **overrides) -> Limits:
        """Limits from the course's nbgrader config (``c.Sandbox.*``, ``c.Execute.timeout``)."""
        values = {}
        if "Execute" in config and "timeout" in config.Execute:
            values["cell_timeout"] = float(config.Execute.timeout)
        if "Sandbox" in config:
            for key in cls.__dataclass_fields__:
                if key in config.Sandbox:
                    values[key] = config.Sandbox[key]
        values.update({k: v for k, v in overrides.items() if v is not None})
        if "preload" in values:
            values["preload"] = tuple(values["preload"])
        return cls(**values)


@dataclass
class CellRun:
    """How one code cell ran: 'ok', 'error', 'timeout', 'killed', 'died' or 'not-run'."""

    status: str
    outputs: list = field(default_factory=list)
    reply: dict = field(default_factory=dict)
    dropped: int = 0
    message: str = ""


def default_jobs() -> int:
    """Workers that suit this machine: one per core, at most 4 (a grading kernel holds ~0.6 GB)."""
    return max(1, min(os.cpu_count() or 1, 4))


def kernel_python() -> str:
    """The interpreter of the course's ``python3`` kernel (the kernel students' notebooks name)."""
    try:
        from jupyter_client.kernelspec import KernelSpecManager

        argv = KernelSpecManager().get_kernel_spec("python3").argv
        if argv and os.path.isfile(argv[0]):
            return argv[0]
    except Exception:  # noqa: BLE001 - fall back to this interpreter
        pass
    return sys.executable


def kernel_env(scratch: Path, spec: dict) -> dict:
    """A small, explicit environment for the kernel (nothing of the grader's own variables)."""
    keep = ("PATH", "LANG", "LC_ALL", "TZ", "SYSTEMROOT")
    env = {k: os.environ[k] for k in keep if k in os.environ}
    env.update({
        "HOME": str(scratch), "TMPDIR": str(scratch), "MPLCONFIGDIR": str(scratch / ".mpl"),
        "NBGRADER_EXECUTION": "autograde", "RNNCOURSE_FAST": "1", "MPLBACKEND": "agg",
        "TF_CPP_MIN_LOG_LEVEL": "3", "TF_ENABLE_ONEDNN_OPTS": "0", "PYTHONNOUSERSITE": "1",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1", "PYTHONDONTWRITEBYTECODE": "1", "OMP_NUM_THREADS": "1",
        "TF_NUM_INTEROP_THREADS": "1", "TF_NUM_INTRAOP_THREADS": "1",
        "MALLOC_ARENA_MAX": "2",  # glibc reserves 64 MB of address space per thread otherwise
        "RNNCOURSE_SANDBOX": json.dumps(spec),
    })
    if spec.get("mplconfig"):
        env["MPLCONFIGDIR"] = spec["mplconfig"]  # a font cache built once per batch (read only)
    return env


def shared_font_cache(grading_root: str) -> str | None:
    """Build matplotlib's font list once per batch (about 1 s a kernel otherwise); its folder."""
    import subprocess

    folder = os.path.join(grading_root, "mpl")
    os.makedirs(folder, exist_ok=True)
    env = {**os.environ, "MPLCONFIGDIR": folder, "MPLBACKEND": "agg"}
    try:
        subprocess.run([kernel_python(), "-c", "import matplotlib.font_manager"], env=env,
                       check=True, capture_output=True, timeout=120)
    except (OSError, subprocess.SubprocessError):
        return None
    return folder


class Kernel:
    """One sandboxed IPython kernel and a blocking client to it."""

    def __init__(self, private: Path, scratch: Path, spec: dict, limits: Limits):
        from jupyter_client import KernelManager
        from jupyter_client.kernelspec import KernelSpecManager

        self.limits = limits
        kernels = private / "kernels" / KERNEL_NAME
        kernels.mkdir(parents=True, exist_ok=True)
        argv = [kernel_python(), "-Xfrozen_modules=off", "-m", "rnncourse.sandbox", "-f",
                "{connection_file}", "--HistoryManager.hist_file=:memory:"]
        (kernels / "kernel.json").write_text(json.dumps(
            {"argv": argv, "display_name": "rnncourse sandbox", "language": "python"}))
        specs = KernelSpecManager(kernel_dirs=[str(private / "kernels")])
        self.km = KernelManager(kernel_name=KERNEL_NAME, kernel_spec_manager=specs)
        self.km.connection_file = str(private / f"kernel-{secrets.token_hex(6)}.json")
        spec = {**spec, "allowed": [*spec["allowed"], self.km.connection_file]}
        self.log_path = private / f"kernel-{secrets.token_hex(6)}.log"
        self._log = open(self.log_path, "wb")  # noqa: SIM115 - closed in shutdown()
        self.km.start_kernel(cwd=str(scratch), env=kernel_env(scratch, spec),
                             stdout=self._log, stderr=self._log)
        self.kc = self.km.client()
        self.kc.start_channels()
        try:
            self.kc.wait_for_ready(timeout=limits.startup_timeout)
        except RuntimeError as error:
            self.shutdown()
            raise RuntimeError(f"the grading kernel did not start: {error}; "
                               f"{self.exit_reason()}") from None

    def alive(self) -> bool:
        """True while the kernel process runs."""
        return self.km.is_alive()

    def exit_reason(self) -> str:
        """Why the kernel process ended: a signal name or an exit code, with its last log line."""
        process = getattr(self.km.provisioner, "process", None)
        code = process.poll() if process is not None else None
        if code is None:
            how = "it stopped answering"
        elif code < 0:
            how = f"killed by {signal.Signals(-code).name}"
        else:
            how = f"exit code {code}"
        tail = self.log_tail()
        return how + (f" ({tail})" if tail else "")

    def log_tail(self) -> str:
        """The last meaningful line the kernel process wrote to its stderr."""
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        lines = [line.strip() for line in text.splitlines()
                 if line.strip() and not line.startswith(("[", "WARNING: All log"))]
        return lines[-1][:160] if lines else ""

    def run(self, code: str, timeout: float, silent: bool = False) -> CellRun:
        """Execute ``code``; keep at most ``output_kb`` of output; interrupt or kill on timeout."""
        from nbformat.v4 import output_from_msg

        msg_id = self.kc.execute(code, silent=silent, store_history=not silent,
                                 allow_stdin=False, stop_on_error=False)
        run = CellRun("ok")
        budget = self.limits.output_kb * 1024
        deadline, idle, reply = time.monotonic() + timeout, False, None
        interrupted_at = None
        while not (idle and reply is not None):
            now = time.monotonic()
            if interrupted_at is None and now > deadline:
                self.km.interrupt_kernel()
                interrupted_at = now
            if interrupted_at is not None and now > interrupted_at + self.limits.interrupt_grace:
                run.status, run.message = "killed", (
                    f"this cell ran longer than {timeout:g} s and did not stop when interrupted; "
                    "the kernel was stopped")
                self.kill()
                return run
            try:
                if idle:
                    msg = self.kc.get_shell_msg(timeout=0.2)
                    if msg["parent_header"].get("msg_id") == msg_id:
                        reply = msg["content"]
                    continue
                msg = self.kc.get_iopub_msg(timeout=0.2)
            except Empty:
                if not self.alive():
                    run.status, run.message = "died", (
                        f"the kernel died while running this cell: {self.exit_reason()}")
                    return run
                continue
            except (ValueError, KeyError, UnicodeDecodeError) as error:  # a garbled message
                run.status, run.message = "killed", (
                    f"the kernel sent a message the grader could not read ({type(error).__name__}), "
                    "as happens when a cell prints too much at once; the kernel was stopped")
                self.kill()
                return run
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            kind = msg["msg_type"]
            if kind == "status":
                idle = msg["content"]["execution_state"] == "idle"
            elif kind == "clear_output":
                run.outputs = []
            elif kind in ("stream", "display_data", "execute_result", "error"):
                budget = self._keep(run, output_from_msg(msg), budget)
        run.reply = reply
        if interrupted_at is not None:
            run.status, run.message = "timeout", (
                f"this cell ran longer than {timeout:g} s and was interrupted")
        elif reply.get("status") == "error":
            run.status = "error"
        return run

    @staticmethod
    def _keep(run: CellRun, output, budget: int) -> int:
        """Append an output within the byte budget, merging consecutive streams."""
        size = len(json.dumps(output))
        if output.output_type == "error":
            output.traceback = output.traceback[-40:]
            output.evalue = output.evalue[:4000]
            run.outputs.append(output)
            return budget
        if size > budget:
            if output.output_type == "stream" and budget > 0:
                output.text = output.text[:budget]
                size = budget
                run.dropped += len(json.dumps(output)) - budget
            else:
                run.dropped += size
                return budget
        last = run.outputs[-1] if run.outputs else None
        if (output.output_type == "stream" and last is not None
                and last.output_type == "stream" and last.name == output.name):
            last.text += output.text
        else:
            run.outputs.append(output)
        return budget - size

    def kill(self) -> None:
        """Stop the kernel process at once."""
        try:
            self.km.shutdown_kernel(now=True)
        except Exception:  # noqa: BLE001 - it may be dead already
            pass

    def shutdown(self) -> None:
        """Stop the kernel and close the client."""
        try:
            self.kc.stop_channels()
        except Exception:  # noqa: BLE001
            pass
        self.kill()
        self._log.close()


def is_test(cell) -> bool:
    """A graded code cell that is not an answer: an autograder test."""
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return cell.get("cell_type") == "code" and meta.get("grade") and not meta.get("solution")


def start(private: Path, scratch: Path, spec: dict, limits: Limits) -> Kernel:
    """A fresh sandboxed kernel with its pristine state recorded for the guard."""
    from .sandbox import arm_code

    kernel = Kernel(private, scratch, spec, limits)
    run = kernel.run(arm_code(), limits.startup_timeout, silent=True)
    if run.status != "ok":
        kernel.shutdown()
        raise RuntimeError(f"the grading kernel could not record its pristine state ({run.status})")
    return kernel


def guard(kernel: Kernel, source: str, limits: Limits) -> list[str] | None:
    """Undo monkeypatching in the kernel; the list of what was changed, or None if no answer."""
    from .sandbox import GUARD_TAG, guard_code

    nonce = secrets.token_hex(8)
    run = kernel.run(guard_code(nonce, set(SUBMISSION_PY.findall(source))),
                     min(limits.cell_timeout, 30), silent=True)
    text = "".join(o.get("text", "") for o in run.outputs if o.output_type == "stream")
    for line in text.splitlines():
        if line.startswith(f"{GUARD_TAG} {nonce} "):
            return json.loads(line.split(" ", 2)[2])
    return None


def replay(kernel: Kernel, nb, upto: int, skip: set, limits: Limits) -> bool:
    """Re-run the non-test code cells before ``upto`` in a fresh kernel; False if that failed."""
    for index in range(upto):
        cell = nb.cells[index]
        if cell.cell_type != "code" or index in skip or is_test(cell) or not cell.source.strip():
            continue
        run = kernel.run(cell.source, limits.cell_timeout, silent=True)
        if run.status in ("died", "killed"):
            return False
    return True


def execute(task: dict) -> dict:
    """Execute one submission (a worker's unit of work); never raises for a student's doing."""
    import nbformat

    limits = Limits(**{**task["limits"], "preload": tuple(task["limits"]["preload"])})
    began = time.monotonic()
    nb = nbformat.reads(task["nb"], as_version=4)
    private = Path(tempfile.mkdtemp(prefix="private-", dir=task["grading_root"]))
    scratch = Path(tempfile.mkdtemp(prefix="kernel-", dir=task["grading_root"]))
    for source, relative in task.get("files", []):
        target = scratch / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    audit_log = private / "audit.log"
    spec = {"scratch": str(scratch), "audit_log": str(audit_log),
            "blocked": task["blocked"] + [task["grading_root"]],
            "allowed": task["allowed"] + ([task["mplconfig"]] if task.get("mplconfig") else []),
            "mplconfig": task.get("mplconfig"),
            "memory_bytes": limits.memory_mb << 20, "file_bytes": limits.file_mb << 20,
            "block_processes": limits.block_processes, "preload": list(limits.preload)}
    records, notes, restarts = {}, [], 0
    try:
        kernel = start(private, scratch, spec, limits)
    except RuntimeError as error:
        shutil.rmtree(private, ignore_errors=True)
        shutil.rmtree(scratch, ignore_errors=True)
        return {"key": task["key"], "error": str(error), "seconds": time.monotonic() - began}
    skip: set = set()
    code_cells = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    try:
        for position, index in enumerate(code_cells):
            cell = nb.cells[index]
            cell.outputs, cell.execution_count = [], None
            if not cell.source.strip():
                continue
            left = limits.notebook_timeout - (time.monotonic() - began)
            if left <= 0:
                for later in code_cells[position:]:
                    records[later] = {"status": "not-run", "message": (
                        f"not run: the notebook exceeded its {limits.notebook_timeout:g} s limit")}
                break
            test = is_test(cell)
            if test:
                changed = guard(kernel, cell.source, limits)
                if changed is None:
                    records[index] = {"status": "tampered", "message": (
                        "the kernel did not answer the grader's integrity check before this "
                        "test; something in the notebook changed how cells run")}
                    continue
                if changed:
                    notes.append("grading code was modified before a test and restored: "
                                 + ", ".join(changed[:6]))
            run = kernel.run(cell.source, min(limits.cell_timeout, left))
            cell.outputs = run.outputs
            cell.execution_count = run.reply.get("execution_count")
            if run.dropped:
                cell.outputs.append(nbformat.v4.new_output(
                    "stream", name="stdout", text=f"\n[{run.dropped:,} bytes of output dropped: "
                    f"more than {limits.output_kb} kB printed in one cell]\n"))
                notes.append(f"printed output cut to {limits.output_kb} kB per cell")
            if run.status in ("timeout", "killed", "died"):
                records[index] = {"status": run.status, "message": run.message}
            if run.status in ("ok", "error", "timeout") and test:
                changed = guard(kernel, cell.source, limits)
                if changed:
                    records[index] = {"status": "tampered", "message": (
                        "grading code was modified while this test ran: "
                        + ", ".join(changed[:6]))}
                elif changed is None:
                    records[index] = {"status": "tampered", "message": (
                        "the kernel did not answer the grader's integrity check after this test")}
            if run.status in ("killed", "died"):
                skip.add(index)
                kernel.shutdown()
                restarts += 1
                recovered = restarts <= limits.max_restarts
                if recovered:
                    kernel = start(private, scratch, spec, limits)
                    recovered = replay(kernel, nb, index, skip, limits)
                if not recovered:
                    for later in code_cells[position + 1:]:
                        records[later] = {"status": "not-run", "message": (
                            "not run: the kernel kept dying or hanging "
                            f"({restarts} restart(s))")}
                    break
                notes.append(f"kernel restarted after cell {index} ({run.status}); "
                             "earlier answer cells were re-run")
    finally:
        kernel.shutdown()
        blocked = audit_log.read_text(errors="replace").splitlines() if audit_log.exists() else []
        shutil.rmtree(private, ignore_errors=True)
        shutil.rmtree(scratch, ignore_errors=True)
    return {"key": task["key"], "nb": nbformat.writes(nb), "records": records,
            "notes": notes, "blocked": blocked, "restarts": restarts,
            "seconds": time.monotonic() - began}


def run_all(tasks: list[dict], jobs: int = 1, function=None):
    """Yield (task, outcome) as submissions finish, with ``jobs`` long-lived worker processes.

    A worker process that dies (the machine's OOM killer, a bug) breaks the pool and every
    submission still in it; those are graded again, each in a pool of its own, so only the
    submission that kills a worker twice goes ungraded.
    """
    function = function or execute
    if jobs <= 1:
        for task in tasks:
            yield task, safe_execute(task, function)
        return
    broken = yield from pool_round(tasks, jobs, function)
    for task in broken:
        for lost in (yield from pool_round([task], 1, function)):
            yield lost, {"key": lost["key"], "seconds": 0.0, "error": (
                "the grading worker process died twice on this submission")}


def pool_round(tasks: list[dict], jobs: int, function):
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
                outcome = {"key": task["key"], "error": f"grading worker failed: {error!r}",
                           "seconds": 0.0}
            yield task, outcome
    return lost


def safe_execute(task: dict, function) -> dict:
    """``function(task)`` in this process, turning an unexpected grader error into an outcome."""
    try:
        return function(task)
    except Exception as error:  # noqa: BLE001 - one submission must not stop the batch
        return {"key": task["key"], "error": f"grader error: {error!r}", "seconds": 0.0}


def warm() -> None:
    """Import the client side once per worker process (workers live for the whole batch)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    import jupyter_client  # noqa: F401
    import nbformat  # noqa: F401


def limits_dict(limits: Limits) -> dict:
    """Limits as plain data for a task."""
    return {**asdict(limits), "preload": list(limits.preload)}
