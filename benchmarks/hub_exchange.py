"""A class through nbgrader's exchange on one machine: N students fetch and submit, the instructor
collects, grades with `rnncourse grade --jobs 2` and releases feedback, students fetch it.

Sets up a throwaway class with hub/deploy.py (root, Linux: one instructor and N local accounts,
an exchange of its own), runs every step as the account that does it in a real class (the
students' `nbgrader fetch_assignment` / `submit` / `fetch_feedback` as themselves), times each
step (wall seconds and the CPU seconds of the processes it ran), prints throughput against the
single-notebook floor (a fresh python3 kernel plus `import tensorflow`, the least one submission
costs), and removes everything. The answers rotate through the reference, the blank release and
each typical mistake of 00-orientation (written answers included: they wait for a human grader).
A measurement, not a test: nothing here asserts a time.

Usage (root): make bench-hub [STUDENTS=30]
    or, after `make hub-deps`: .venv/bin/python benchmarks/hub_exchange.py [N]   (N >= 30)
"""

from __future__ import annotations

import csv
import json
import os
import pwd
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "hub"))
sys.path.insert(0, str(ROOT / "benchmarks"))
import deploy  # noqa: E402
from grading import floor_seconds  # noqa: E402

from rnncourse.course.record import children_cpu_seconds  # noqa: E402
from rnncourse.grading.report import REPORT_NAME  # noqa: E402

UNIT = "00-orientation"
NOTEBOOK = "assignment.ipynb"


def answers_for_class(n: int) -> list[tuple[str, dict]]:
    """(kind, answers) for each of ``n`` students: reference, blank, each mistake, repeated."""
    from rnncourse.course.sample import mistakes, solutions

    right = solutions(json.loads((ROOT / "source" / UNIT / NOTEBOOK).read_text()))
    kinds = [("reference", right), ("blank", {})]
    kinds += [(f"mistake-{name}", {**right, **m["cells"]})
              for name, m in mistakes(ROOT / "tests" / "mistakes", UNIT).items()]
    return [kinds[i % len(kinds)] for i in range(n)]


def write_answers(path: Path, answers: dict, owner: str) -> None:
    """Put ``answers`` into the fetched notebook at ``path`` (as the student would, then save)."""
    from rnncourse.course.sample import fill

    nb = fill(json.loads(path.read_text()), answers) if answers else json.loads(path.read_text())
    path.write_text(json.dumps(nb, indent=1))
    entry = pwd.getpwnam(owner)
    os.chown(path, entry.pw_uid, entry.pw_gid)


def timed(label: str, times: dict, cpu: dict):
    """A context manager adding the block's wall time to ``times[label]``, its CPU to ``cpu[label]``."""

    class Timer:
        def __enter__(self):
            self.began, self.cpu = time.perf_counter(), children_cpu_seconds()

        def __exit__(self, *exc):
            spent = time.perf_counter() - self.began
            times[label] = times.get(label, 0.0) + spent
            cpu[label] = cpu.get(label, 0.0) + children_cpu_seconds() - self.cpu
            if not label.startswith("students"):
                print(f"  {label}: {spent:.1f} s", file=sys.stderr, flush=True)

    return Timer()


def nbgrader(deployment, user: str, *args: str, cwd=None):
    """Run `nbgrader ARGS` as ``user`` in their hub environment."""
    return deployment_run(deployment, user, ["nbgrader", *args], cwd)


def deployment_run(deployment, user, command, cwd=None):
    """Run ``command`` (resolved in the hub's environment) as ``user``; fail loudly."""
    command = [str(Path(deployment.venv) / "bin" / command[0]), *command[1:]]
    done = deploy.as_user(deployment, user, command, cwd=cwd, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} as {user} failed:\n{done.stdout}\n{done.stderr}")
    return done


def main(n: int = 30) -> int:
    """Run the class through the exchange and print the figures."""
    if os.geteuid() != 0:
        print("run as root: the benchmark creates local accounts", file=sys.stderr)
        return 2
    tag = os.urandom(2).hex()
    base = Path(tempfile.mkdtemp(prefix="rnncourse-hub-bench-"))
    base.chmod(0o755)
    deployment = deploy.Deployment(state=base / "state", exchange=base / "exchange",
                                   instructor=f"rb{tag}teach",
                                   students=[f"rb{tag}s{i:02d}" for i in range(n)], units=[UNIT])
    started_load = os.getloadavg()[0]
    times: dict = {}
    cpu: dict = {}
    try:
        with timed("setup (accounts, course, gradebook)", times, cpu):
            deploy.setup(deployment)
        course = deployment.course_root()
        teacher = deployment.instructor
        with timed("release", times, cpu):
            nbgrader(deployment, teacher, "release_assignment", UNIT, cwd=course)
        for student, (_, answers) in zip(deployment.students, answers_for_class(n)):
            home = Path(pwd.getpwnam(student).pw_dir)
            with timed("students: fetch", times, cpu):
                nbgrader(deployment, student, "fetch_assignment", UNIT)
            write_answers(home / UNIT / NOTEBOOK, answers, student)
            with timed("students: submit", times, cpu):
                nbgrader(deployment, student, "submit", UNIT)
            done = deployment.students.index(student) + 1
            if done % 10 == 0:
                print(f"  {done} students fetched and submitted: "
                      f"{times['students: fetch'] + times['students: submit']:.1f} s", file=sys.stderr,
                      flush=True)
        with timed("collect", times, cpu):
            nbgrader(deployment, teacher, "collect", UNIT, cwd=course)
        with timed("rnncourse grade --jobs 2", times, cpu):
            deployment_run(deployment, teacher, ["rnncourse", "grade", UNIT, "--jobs", "2"], course)
        with timed("release_feedback", times, cpu):
            nbgrader(deployment, teacher, "release_feedback", UNIT, cwd=course)
        for student in deployment.students:
            with timed("students: fetch_feedback", times, cpu):
                nbgrader(deployment, student, "fetch_feedback", UNIT)
        fetched = sum(any((Path(pwd.getpwnam(s).pw_dir) / UNIT / "feedback").glob("*/*.html"))
                      for s in deployment.students)
        report = course / REPORT_NAME
        graded = list(csv.DictReader(report.open(newline=""))) if report.is_file() else []
    finally:
        problems = deploy.teardown(deployment)
        shutil.rmtree(base, ignore_errors=True)
        if problems:
            print("teardown:", problems, file=sys.stderr)

    load = os.getloadavg()[0]
    floor_cpu = children_cpu_seconds()
    floor = floor_seconds(repeats=3)
    floor_cpu = (children_cpu_seconds() - floor_cpu) / 3
    grading, grading_cpu = times["rnncourse grade --jobs 2"], cpu["rnncourse grade --jobs 2"]
    print(f"\n{n} students through nbgrader's exchange on one machine ({os.cpu_count()} cores, "
          f"load average {started_load:.1f} at the start, {load:.1f} at the end)")
    print(f"  {'step':38s} {'wall s':>8s} {'CPU s':>8s}")
    for label, seconds in times.items():
        per = (f"  {seconds / n:5.2f} wall s, {cpu[label] / n:5.2f} CPU s a student"
               if label.startswith("students") else "")
        print(f"  {label:38s} {seconds:8.1f} {cpu[label]:8.1f}{per}")
    print(f"  graded rows in {REPORT_NAME}: {len(graded)}; students holding feedback: {fetched}")
    print(f"  floor (fresh kernel + import tensorflow, mean of 3): {floor:.2f} wall s, "
          f"{floor_cpu:.2f} CPU s a notebook")
    print(f"  grading: {grading / n:.2f} wall s, {grading_cpu / n:.2f} CPU s a submission = "
          f"{60 * n / grading:.1f} submissions a minute; {floor * n / grading:.2f}x the serial "
          f"floor's throughput ({60 / floor:.1f} a minute); {grading_cpu / n / max(floor_cpu, 1e-6):.2f}x "
          "the floor's CPU a submission")
    exchange = [k for k in times if k.startswith("students") or k in
                ("release", "collect", "release_feedback")]
    wall, spent = sum(times[k] for k in exchange), sum(cpu[k] for k in exchange)
    print(f"  the exchange itself (release, fetch, submit, collect, feedback): {wall:.1f} wall s, "
          f"{spent:.1f} CPU s; {wall / n:.2f} wall s, {spent / n:.2f} CPU s a student")
    return 0 if len(graded) == n and fetched == n else 1


if __name__ == "__main__":
    raise SystemExit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 30))
