"""Grading throughput: plain serial nbgrader vs `rnncourse grade --jobs 1/2`, against the floor.

Builds a scratch class of N honest submissions of 00-orientation (reference, blank and the typical
mistakes, repeated), then, in one run on this machine:

* floor: a fresh python3 kernel started and ``import tensorflow`` run in it (the least any
  per-submission kernel costs), averaged over 3 starts;
* ceiling: two ``import tensorflow`` processes side by side vs one after the other, the best
  speed-up two workers can get from this machine's cores;
* plain ``nbgrader autograde`` over the class (one process, serial, its own executor);
* ``rnncourse grade --jobs 1`` and ``--jobs 2`` (a fresh copy of the course for each).

Usage: .venv/bin/python benchmarks/grading.py [N]   (N >= 20 for the figures in the README)
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rnncourse.config import QUIET_TENSORFLOW as QUIET

ROOT = Path(__file__).resolve().parents[1]
UNIT = "00-orientation"


def build_class(course: Path, n: int) -> None:
    """A scratch course with ``n`` honest submissions of UNIT."""
    from rnncourse.course.release import generate
    from rnncourse.course.sample import sample_class

    generate(ROOT, [UNIT], into=course)
    students = list(sample_class(ROOT, course, UNIT, ROOT / "tests" / "mistakes"))
    submitted = course / "submitted"
    for i in range(n - len(students)):
        model = students[i % len(students)]
        shutil.copytree(submitted / model, submitted / f"{model}-{i:02d}")


def floor_seconds(repeats: int = 3) -> float:
    """Mean seconds to start a python3 kernel and import tensorflow in it."""
    from jupyter_client.manager import start_new_kernel

    times = []
    for _ in range(repeats):
        began = time.perf_counter()
        km, kc = start_new_kernel(kernel_name="python3", env={**os.environ, **QUIET})
        kc.execute_interactive("import tensorflow", timeout=120)
        times.append(time.perf_counter() - began)
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    return sum(times) / len(times)


def ceiling(repeats: int = 3) -> tuple[float, float, float]:
    """(serial s, side-by-side s, ratio) for two `import tensorflow` processes, summed over repeats."""
    command = [sys.executable, "-c", "import tensorflow"]
    env = {**os.environ, **QUIET}
    serial = parallel = 0.0
    for _ in range(repeats):
        began = time.perf_counter()
        for _ in range(2):
            subprocess.run(command, env=env, check=True)
        serial += time.perf_counter() - began
        began = time.perf_counter()
        processes = [subprocess.Popen(command, env=env) for _ in range(2)]
        for process in processes:
            process.wait()
        parallel += time.perf_counter() - began
    return serial / repeats, parallel / repeats, serial / parallel


def plain_nbgrader(course: Path) -> float:
    """Seconds for `nbgrader autograde UNIT` over the whole class (serial, one process)."""
    from rnncourse.course.layout import path_with_environment

    env = {**os.environ, **QUIET, "PATH": path_with_environment(os.environ.get("PATH", ""))}
    began = time.perf_counter()
    subprocess.run([str(Path(sys.executable).parent / "nbgrader"), "autograde", UNIT, "--log-level=ERROR"],
                   cwd=course, env=env, check=True, capture_output=True)
    return time.perf_counter() - began


def rnncourse_grade(course: Path, jobs: int) -> float:
    """Seconds for `rnncourse grade --jobs N` over the whole class, feedback included."""
    began = time.perf_counter()
    subprocess.run([str(Path(sys.executable).parent / "rnncourse"), "--root", str(course), "grade",
                    UNIT, "--jobs", str(jobs)], env={**os.environ, **QUIET}, check=True,
                   capture_output=True)
    return time.perf_counter() - began


def main(n: int = 20) -> None:
    """Print every figure of the comparison."""
    with tempfile.TemporaryDirectory(prefix="rnncourse-bench-") as scratch:
        base = Path(scratch) / "base"
        build_class(base, n)
        copies = {}
        for name in ("nbgrader", "jobs1", "jobs2"):
            copies[name] = Path(scratch) / name
            shutil.copytree(base, copies[name])
        floor = floor_seconds()
        print(f"floor: kernel start + import tensorflow = {floor:.2f} s")
        serial, parallel, best = ceiling()
        print(f"ceiling (mean of 3): two `import tensorflow` serial {serial:.2f} s, "
              f"side by side {parallel:.2f} s -> {best:.2f}x")
        t_nb = plain_nbgrader(copies["nbgrader"])
        t_j1 = rnncourse_grade(copies["jobs1"], 1)
        t_j2 = rnncourse_grade(copies["jobs2"], 2)
    for label, seconds in (("nbgrader autograde (serial)", t_nb), ("rnncourse grade --jobs 1", t_j1),
                           ("rnncourse grade --jobs 2", t_j2)):
        print(f"{label:<30} {seconds:7.1f} s  {seconds / n:5.2f} s/submission  "
              f"{seconds / n / floor:4.2f}x floor")
    speedup = t_nb / t_j2
    print(f"throughput --jobs 2 vs serial nbgrader: {speedup:.2f}x "
          f"({speedup / best:.0%} of the {best:.2f}x ceiling)")
    print(f"throughput --jobs 2 vs --jobs 1: {t_j1 / t_j2:.2f}x ({t_j1 / t_j2 / best:.0%} of the ceiling)")
    print(f"{n} submissions of {UNIT}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
