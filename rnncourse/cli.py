"""The instructor command line: release, check, grade, demo, kernel and data."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .config import quiet_tensorflow
from .course.layout import CourseError, find_root


def cmd_release(args) -> int:
    """Regenerate release/ from source/."""
    from .course.release import generate

    for folder in generate(args.root, args.assignments):
        print(f"released {folder.relative_to(args.root)}")
    return 0


def cmd_check(args) -> int:
    """Report every inconsistency between source/ and release/."""
    from .course.lint import check

    problems = check(args.root, args.assignments, execute=not args.no_execute,
                     progress=lambda msg: print(msg, file=sys.stderr))
    if problems:
        print(f"{len(problems)} problem(s):")
        for problem in problems:
            print(f"  - {problem}")
        return 1
    print("Course OK: release/ in sync, nothing secret released, tests pass on the reference "
          "and fail on the blank release." if not args.no_execute else
          "Course OK (notebooks not executed).")
    return 0


def cmd_grade(args) -> int:
    """Autograde submitted/, write feedback and rnncourse-grades.csv, print the class."""
    from .course.layout import load_config
    from .grading.batch import grade
    from .grading.limits import Limits, default_jobs
    from .grading.report import REPORT_NAME, format_pass_rates, format_table, write_csv

    limits = Limits.from_config(load_config(args.root), cell_timeout=args.timeout,
                                memory_mb=args.memory_mb, output_kb=args.output_kb)
    results = grade(args.root, args.assignments, feedback=not args.no_feedback,
                    jobs=args.jobs or default_jobs(), limits=limits)
    csv_path = write_csv(results, args.root / REPORT_NAME)
    print(format_table(results))
    print(format_pass_rates(results))
    print(f"\ngrades written to {csv_path}")
    return 0


def cmd_demo(args) -> int:
    """Grade a sample class and check reference = full marks, blank = 0."""
    from .course.demo import demo
    from .grading.limits import default_jobs

    return demo(args.root, args.assignments, keep=args.keep, jobs=args.jobs or default_jobs(),
                mistakes_dir=args.mistakes)


def cmd_kernel(args) -> int:
    """Install this environment's ``python3`` kernelspec, with TensorFlow kept quiet."""
    from ipykernel.kernelspec import install

    from .config import QUIET_TENSORFLOW
    from .nb import KERNELSPEC

    path = install(kernel_name=KERNELSPEC["name"], display_name=KERNELSPEC["display_name"],
                   prefix=sys.prefix, env=dict(QUIET_TENSORFLOW))
    print(f"installed kernel {KERNELSPEC['name']} -> {sys.executable} in {path}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``rnncourse``."""
    parser = argparse.ArgumentParser(prog="rnncourse", description=__doc__)
    parser.add_argument("--root", type=Path, default=None,
                        help="course root (default: the nearest folder with nbgrader_config.py)")
    sub = parser.add_subparsers(dest="command", required=True)

    release = sub.add_parser("release", help="regenerate release/ from source/")
    release.add_argument("assignments", nargs="*", help="assignments (default: all)")
    release.set_defaults(func=cmd_release, needs_root=True)

    check = sub.add_parser("check", help="check release/ against source/ and validate both")
    check.add_argument("assignments", nargs="*")
    check.add_argument("--no-execute", action="store_true", help="skip running the notebooks")
    check.set_defaults(func=cmd_check, needs_root=True)

    grade = sub.add_parser("grade", help="autograde submitted/, feedback, rnncourse-grades.csv")
    grade.add_argument("assignments", nargs="*")
    grade.add_argument("--no-feedback", action="store_true", help="skip generating feedback")
    grade.add_argument("--jobs", "-j", type=int, default=None,
                       help="submissions graded at once (one worker and kernel each; "
                            "default: one per core, at most 4)")
    grade.add_argument("--timeout", type=float, default=None,
                       help="seconds per cell (default: c.Execute.timeout in nbgrader_config.py)")
    grade.add_argument("--memory-mb", type=int, default=None,
                       help="address-space limit of each grading kernel in MB (default: c.Limits)")
    grade.add_argument("--output-kb", type=int, default=None,
                       help="printed output kept per cell in kB (default: c.Limits)")
    grade.set_defaults(func=cmd_grade, needs_root=True)

    demo = sub.add_parser("demo", help="grade a sample class (reference, blank, mistakes)")
    demo.add_argument("assignments", nargs="*")
    demo.add_argument("--jobs", "-j", type=int, default=None,
                      help="submissions graded at once (default: one per core, at most 4)")
    demo.add_argument("--keep", type=Path, default=None,
                      help="build the sample course in this folder and keep it")
    demo.add_argument("--mistakes", type=Path, default=None, metavar="DIR",
                      help="folder of typical mistakes, <assignment>.py each (the repository's "
                           "is tests/mistakes); without it the class is reference and blank only")
    demo.set_defaults(func=cmd_demo, needs_root=True)

    kernel = sub.add_parser("kernel", help="install the python3 kernel of this environment")
    kernel.set_defaults(func=cmd_kernel)

    from .course.lab import register as register_lab

    register_lab(sub)

    try:
        from .data.cli import register
    except ImportError:  # the data layer is optional for the course commands
        register = None
    if register is not None:
        register(sub)
    return parser


def main(argv=None) -> int:
    """Entry point of the ``rnncourse`` console script."""
    quiet_tensorflow()
    args = build_parser().parse_args(argv)
    try:
        if getattr(args, "needs_root", False):
            args.root = find_root(args.root)
        return int(args.func(args) or 0)
    except CourseError as error:
        print(f"rnncourse: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
