"""Grading cost per submission, two kinds, each against its own yardstick (ratios printed).

* tiny: nbgrader's own fixture notebook (``submitted-unchanged.ipynb``, imports nothing heavy) as
  ``ps1/p1.ipynb``, N submissions; plain ``nbgrader autograde`` vs ``rnncourse grade --jobs 1``.
  Goal: the kit costs at most 1.2x plain nbgrader per submission.
* units: N honest submissions of 00-orientation (reference, blank and the typical mistakes);
  the floor is a fresh python3 kernel plus ``import tensorflow`` (the least any per-submission
  kernel of a TensorFlow unit costs), averaged over 3 starts; ``rnncourse grade --jobs 1`` and
  ``--jobs 2`` and plain ``nbgrader autograde``. Goal: ``--jobs 1`` at most 1.2x the floor.
* ceiling: two ``import tensorflow`` processes side by side vs one after the other, the best
  speed-up two workers can get from this machine's cores.

Usage: .venv/bin/python benchmarks/grading.py [N] [tiny|units|both]   (N >= 20 for the README)
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
BIN = Path(sys.executable).parent


def environment() -> dict:
    """This environment first on PATH (nbgrader runs alembic by name), TensorFlow quiet."""
    from rnncourse.course.layout import path_with_environment

    return {**os.environ, **QUIET, "PATH": path_with_environment(os.environ.get("PATH", ""))}


def build_units_class(course: Path, n: int) -> None:
    """A scratch course with ``n`` honest submissions of UNIT."""
    from rnncourse.course.release import generate
    from rnncourse.course.sample import sample_class

    generate(ROOT, [UNIT], into=course)
    students = list(sample_class(ROOT, course, UNIT, ROOT / "tests" / "mistakes"))
    submitted = course / "submitted"
    for i in range(n - len(students)):
        model = students[i % len(students)]
        shutil.copytree(submitted / model, submitted / f"{model}-{i:02d}")


def build_tiny_class(course: Path, n: int) -> None:
    """A scratch course of nbgrader's fixture notebook, ``n`` submissions (half changed)."""
    import nbgrader

    files = Path(nbgrader.__file__).parent / "tests" / "apps" / "files"
    course.mkdir(parents=True)
    (course / "nbgrader_config.py").write_text("c = get_config()  # noqa: F821\n")
    (course / "source" / "ps1").mkdir(parents=True)
    shutil.copyfile(files / "submitted-unchanged.ipynb", course / "source" / "ps1" / "p1.ipynb")
    subprocess.run([str(BIN / "rnncourse"), "--root", str(course), "release", "ps1"], check=True,
                   capture_output=True, env=environment())
    for i in range(n):
        folder = course / "submitted" / f"student-{i:02d}" / "ps1"
        folder.mkdir(parents=True)
        fixture = "submitted-changed.ipynb" if i % 2 else "submitted-unchanged.ipynb"
        shutil.copyfile(files / fixture, folder / "p1.ipynb")


def floor_seconds(repeats: int = 3) -> float:
    """Mean seconds to start a python3 kernel and import tensorflow in it."""
    from jupyter_client.manager import start_new_kernel

    times = []
    for _ in range(repeats):
        began = time.perf_counter()
        km, kc = start_new_kernel(kernel_name="python3", env=environment())
        kc.execute_interactive("import tensorflow", timeout=120)
        times.append(time.perf_counter() - began)
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    return sum(times) / len(times)


def ceiling(repeats: int = 3) -> tuple[float, float, float]:
    """(serial s, side-by-side s, ratio) for two `import tensorflow` processes."""
    command = [sys.executable, "-c", "import tensorflow"]
    serial = parallel = 0.0
    for _ in range(repeats):
        began = time.perf_counter()
        for _ in range(2):
            subprocess.run(command, env=environment(), check=True)
        serial += time.perf_counter() - began
        began = time.perf_counter()
        processes = [subprocess.Popen(command, env=environment()) for _ in range(2)]
        for process in processes:
            process.wait()
        parallel += time.perf_counter() - began
    return serial / repeats, parallel / repeats, serial / parallel


def plain_nbgrader(course: Path, assignment: str) -> float:
    """Seconds for `nbgrader autograde <assignment>` over the whole class (serial, one process)."""
    began = time.perf_counter()
    subprocess.run([str(BIN / "nbgrader"), "autograde", assignment, "--log-level=ERROR"],
                   cwd=course, env=environment(), check=True, capture_output=True)
    return time.perf_counter() - began


def rnncourse_grade(course: Path, assignment: str, jobs: int) -> float:
    """Seconds for `rnncourse grade --jobs N` over the whole class, feedback included."""
    began = time.perf_counter()
    subprocess.run([str(BIN / "rnncourse"), "--root", str(course), "grade", assignment, "--jobs",
                    str(jobs)], env=environment(), check=True, capture_output=True)
    return time.perf_counter() - began


def copies(base: Path, names) -> dict[str, Path]:
    """Fresh copies of a scratch course, one per contender."""
    found = {}
    for name in names:
        found[name] = base.parent / name
        shutil.copytree(base, found[name])
    return found


def tiny(scratch: Path, n: int) -> float:
    """Print and return the kit's cost per submission over plain nbgrader's (tiny notebooks)."""
    base = scratch / "tiny"
    build_tiny_class(base, n)
    course = copies(base, ("tiny-nbgrader", "tiny-kit"))
    t_nb = plain_nbgrader(course["tiny-nbgrader"], "ps1")
    t_kit = rnncourse_grade(course["tiny-kit"], "ps1", 1)
    ratio = t_kit / t_nb
    print(f"tiny: nbgrader autograde {t_nb / n:5.2f} s/submission; rnncourse grade --jobs 1 "
          f"{t_kit / n:5.2f} s/submission -> {ratio:.2f}x plain nbgrader (goal <= 1.2x)")
    return ratio


def units(scratch: Path, n: int) -> float:
    """Print every figure of the TensorFlow-unit comparison; return --jobs 1 over the floor."""
    base = scratch / "units"
    build_units_class(base, n)
    course = copies(base, ("nbgrader", "jobs1", "jobs2"))
    floor = floor_seconds()
    print(f"floor: kernel start + import tensorflow = {floor:.2f} s")
    serial, parallel, best = ceiling()
    print(f"ceiling (mean of 3): two `import tensorflow` serial {serial:.2f} s, "
          f"side by side {parallel:.2f} s -> {best:.2f}x")
    t_nb = plain_nbgrader(course["nbgrader"], UNIT)
    t_j1 = rnncourse_grade(course["jobs1"], UNIT, 1)
    t_j2 = rnncourse_grade(course["jobs2"], UNIT, 2)
    for label, seconds in (("nbgrader autograde (serial)", t_nb), ("rnncourse grade --jobs 1", t_j1),
                           ("rnncourse grade --jobs 2", t_j2)):
        print(f"{label:<30} {seconds:7.1f} s  {seconds / n:5.2f} s/submission  "
              f"{seconds / n / floor:4.2f}x floor")
    speedup = t_nb / t_j2
    print(f"throughput --jobs 2 vs serial nbgrader: {speedup:.2f}x "
          f"({speedup / best:.0%} of the {best:.2f}x ceiling)")
    print(f"throughput --jobs 2 vs --jobs 1: {t_j1 / t_j2:.2f}x ({t_j1 / t_j2 / best:.0%} of the ceiling)")
    print(f"units: {n} submissions of {UNIT}; --jobs 1 costs {t_j1 / n / floor:.2f}x the floor "
          "(goal <= 1.2x)")
    return t_j1 / n / floor


def main(n: int = 20, kind: str = "both") -> None:
    """Run the chosen comparisons in a scratch folder and print their ratios."""
    with tempfile.TemporaryDirectory(prefix="rnncourse-bench-") as scratch:
        ratios = {}
        if kind in ("tiny", "both"):
            ratios["tiny: kit / plain nbgrader"] = tiny(Path(scratch), n)
        if kind in ("units", "both"):
            ratios["units: kit --jobs 1 / floor"] = units(Path(scratch), n)
    for label, ratio in ratios.items():
        print(f"{label:<32} {ratio:.2f}x  (goal <= 1.2x)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20, sys.argv[2] if len(sys.argv) > 2 else "both")
