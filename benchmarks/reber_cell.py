"""CPU time and accuracy of exercise 7 of 06-generation (the Reber GRU), run as the grader runs it.

Each run is a fresh process with the grading kernel's threading (OMP_NUM_THREADS=1,
TF_NUM_*_THREADS=1) and NBGRADER_EXECUTION set: it runs the setup cell, the reference Reber
generator and corruption, the budget cell and the training cell (reference, or a slower variant a
student may write), then scores the model on the visible and hidden test sets of the test cell and
on three more fresh sets. Printed per run: the training cell's CPU seconds (the grader's per-cell
limit is wall time, which equals CPU time for a single-threaded kernel on an otherwise idle core)
and its wall seconds, the test cell's CPU seconds, and the accuracies.

Usage: .venv/bin/python benchmarks/reber_cell.py [reference|no-jit|slow] [seed ...]
  no-jit: jit_compile=True left out;  slow: also an Embedding of 32 dimensions instead of 5.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from rnncourse.config import NBGRADER_VARIABLE
from rnncourse.grading.runner.kernel import SINGLE_THREADED

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "source" / "06-generation" / "assignment.ipynb"
VARIANTS = {
    "reference": {},
    "no-jit": {", jit_compile=True": ""},
    "slow": {", jit_compile=True": "", "Embedding(8, 5,": "Embedding(8, 32,"},
}
AS_GRADED = {**SINGLE_THREADED, NBGRADER_VARIABLE: "autograde", "TF_CPP_MIN_LOG_LEVEL": "3"}
FRESH_SETS = [(400, 7), (1000, 6067), (1000, 9000), (1000, 9001), (1000, 9002)]  # (n, seed)


def answer_code(cells: dict, variant: str, seed: int) -> str:
    """The reference training cell with the variant's changes and the given training seed."""
    from rnncourse.course.sample import reference_code

    code = reference_code(cells["reber_classifier"])
    changes = {**VARIANTS[variant], "default_rng(42)": f"default_rng({seed})",
               "set_random_seed(42)": f"set_random_seed({seed})"}
    for old, new in changes.items():
        if old not in code:
            raise SystemExit(f"the reference training cell no longer contains {old!r}")
        code = code.replace(old, new)
    return code


def one_run(variant: str, seed: int) -> dict:
    """Run exercise 7 once in this process (call in a fresh process); the measurements."""
    import numpy as np

    from rnncourse.course.sample import reference_code
    from rnncourse.nb import cell_text, grade_id, read_notebook

    cells = {grade_id(c): cell_text(c) for c in read_notebook(NOTEBOOK)["cells"]}
    namespace: dict = {"__name__": "__main__"}
    for name in ("setup", "reber", "corrupt", "reber_budget"):
        text = cells[name]
        exec(reference_code(text) if "BEGIN SOLUTION" in text else text, namespace)  # noqa: S102
    code = answer_code(cells, variant, seed)
    cpu, wall = time.process_time(), time.perf_counter()
    exec(code, namespace)  # noqa: S102 - the course's own reference
    cell_cpu, cell_wall = time.process_time() - cpu, time.perf_counter() - wall
    test = cells["test_reber_classifier"]
    helpers = test[: test.index("model = reber_classifier()")]
    exec(helpers, namespace)  # noqa: S102 - fresh_reber_set and accuracy_on_fresh_strings
    cpu = time.process_time()
    scores = [namespace["accuracy_on_fresh_strings"](n, s) for n, s in FRESH_SETS]
    return {"variant": variant, "seed": seed, "cell_cpu": round(cell_cpu, 1),
            "cell_wall": round(cell_wall, 1), "scoring_cpu": round(time.process_time() - cpu, 1),
            "accuracy": [round(float(a), 3) for a in scores], "min": round(float(np.min(scores)), 3)}


def main(argv: list[str]) -> int:
    """Run each seed in its own single-threaded process and print one line per run."""
    if argv and argv[0] == "--one":
        print(json.dumps(one_run(argv[1], int(argv[2]))))
        return 0
    variant = argv[0] if argv else "reference"
    seeds = [int(s) for s in argv[1:]] or [1, 2, 3, 4, 5]
    if variant not in VARIANTS:
        raise SystemExit(f"variant must be one of {sorted(VARIANTS)}")
    print(f"{variant}: training cell CPU s / wall s, accuracy on the visible (400), hidden (1000) "
          f"and three fresh sets (1000)")
    env = {**os.environ, **AS_GRADED}
    for seed in seeds:
        out = subprocess.run([sys.executable, __file__, "--one", variant, str(seed)], env=env,
                             capture_output=True, text=True, check=True)
        run = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"seed {seed:>3}: {run['cell_cpu']:5.1f} CPU s {run['cell_wall']:6.1f} wall s   "
              f"accuracy {run['accuracy']}  (lowest {run['min']:.3f})", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
