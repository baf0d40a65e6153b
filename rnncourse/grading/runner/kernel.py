"""One sandboxed IPython kernel for one submission, and a blocking client that runs its cells."""

from __future__ import annotations

import json
import os
import secrets
import signal
import sys
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from queue import Empty

from ...config import FAST_VARIABLE, NBGRADER_VARIABLE, QUIET_TENSORFLOW, SANDBOX_VARIABLE
from ..limits import Limits
from ..protocol import SandboxSpec, Status

KERNEL_NAME = "rnncourse-sandbox"
KERNEL_MODULE = "rnncourse.grading.sandbox"
POLL_SECONDS = 0.2


@dataclass
class CellRun:
    """How one code cell ran, its kept outputs, and the bytes of output dropped."""

    status: Status
    outputs: list = field(default_factory=list)
    reply: dict = field(default_factory=dict)
    dropped: int = 0
    message: str = ""


def kernel_python() -> str:
    """The interpreter of the course's ``python3`` kernel (the kernel students' notebooks name)."""
    try:
        from jupyter_client.kernelspec import KernelSpecManager

        from ...nb import KERNELSPEC

        argv = KernelSpecManager().get_kernel_spec(KERNELSPEC["name"]).argv
        if argv and os.path.isfile(argv[0]):
            return argv[0]
    except Exception:  # noqa: BLE001 - fall back to this interpreter
        pass
    return sys.executable


SINGLE_THREADED = {"OMP_NUM_THREADS": "1", "TF_NUM_INTEROP_THREADS": "1", "TF_NUM_INTRAOP_THREADS": "1"}


def kernel_env(scratch: Path, spec: SandboxSpec) -> dict:
    """A small, explicit environment for the kernel (nothing of the grader's own variables)."""
    keep = ("PATH", "LANG", "LC_ALL", "TZ", "SYSTEMROOT")
    env = {k: os.environ[k] for k in keep if k in os.environ}
    env.update(QUIET_TENSORFLOW)
    env.update({
        "HOME": str(scratch), "TMPDIR": str(scratch), "MPLCONFIGDIR": str(scratch / ".mpl"),
        NBGRADER_VARIABLE: "autograde", FAST_VARIABLE: "1", "MPLBACKEND": "agg",
        "PYTHONNOUSERSITE": "1", "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        "PYTHONDONTWRITEBYTECODE": "1", **SINGLE_THREADED,
        "MALLOC_ARENA_MAX": "2",  # glibc reserves 64 MB of address space per thread otherwise
        SANDBOX_VARIABLE: spec.to_json(),
    })
    if spec.mplconfig:
        env["MPLCONFIGDIR"] = spec.mplconfig  # a font cache built once per batch (read only)
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

    def __init__(self, private: Path, scratch: Path, spec: SandboxSpec, limits: Limits):
        from jupyter_client import KernelManager
        from jupyter_client.kernelspec import KernelSpecManager

        self.limits = limits
        kernels = private / "kernels" / KERNEL_NAME
        kernels.mkdir(parents=True, exist_ok=True)
        argv = [kernel_python(), "-Xfrozen_modules=off", "-m", KERNEL_MODULE, "-f",
                "{connection_file}", "--HistoryManager.hist_file=:memory:"]
        (kernels / "kernel.json").write_text(json.dumps(
            {"argv": argv, "display_name": "rnncourse sandbox", "language": "python"}))
        specs = KernelSpecManager(kernel_dirs=[str(private / "kernels")])
        self.km = KernelManager(kernel_name=KERNEL_NAME, kernel_spec_manager=specs)
        self.km.connection_file = str(private / f"kernel-{secrets.token_hex(6)}.json")
        spec = replace(spec, allowed=[*spec.allowed, self.km.connection_file])
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
        run = CellRun(Status.OK)
        budget = self.limits.output_kb * 1024
        deadline, idle, reply = time.monotonic() + timeout, False, None
        interrupted_at = None
        while not (idle and reply is not None):
            now = time.monotonic()
            if interrupted_at is None and now > deadline:
                self.km.interrupt_kernel()
                interrupted_at = now
            if interrupted_at is not None and now > interrupted_at + self.limits.interrupt_grace:
                run.status, run.message = Status.KILLED, (
                    f"this cell ran longer than {timeout:g} s and did not stop when interrupted; "
                    "the kernel was stopped")
                self.kill()
                return run
            try:
                if idle:
                    msg = self.kc.get_shell_msg(timeout=POLL_SECONDS)
                    if msg["parent_header"].get("msg_id") == msg_id:
                        reply = msg["content"]
                    continue
                msg = self.kc.get_iopub_msg(timeout=POLL_SECONDS)
            except Empty:
                if not self.alive():
                    run.status, run.message = Status.DIED, (
                        f"the kernel died while running this cell: {self.exit_reason()}")
                    return run
                continue
            except (ValueError, KeyError, UnicodeDecodeError) as error:  # a garbled message
                run.status, run.message = Status.KILLED, (
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
            run.status, run.message = Status.TIMEOUT, (
                f"this cell ran longer than {timeout:g} s and was interrupted")
        elif reply.get("status") == "error":
            run.status = Status.ERROR
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
