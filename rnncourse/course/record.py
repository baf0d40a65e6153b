"""Record a full-mode run of each lecture: the printed text of every code cell, for the numbers test.

A lecture's prose may state only figures that a cell above it printed. Full mode takes minutes, so the
run is recorded once (``make record UNIT=...``) into ``tests/fixtures/lectures/<unit>.json`` and the
test reads the recording; the recording carries a hash of the code cells, so an edited cell makes it
stale and the test asks for a new recording.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import sys
import time
from pathlib import Path

from rnncourse.config import FAST_VARIABLE, NBGRADER_VARIABLE
from rnncourse.nb import KERNELSPEC

RECORDINGS = Path("tests") / "fixtures" / "lectures"
LECTURE = "lecture.ipynb"


def code_sources(nb: dict) -> list[str]:
    """The source text of every code cell, in order."""
    return ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            for c in nb["cells"] if c["cell_type"] == "code"]


def code_hash(nb: dict) -> str:
    """A hash of the code cells: a recording is stale once any of them changes."""
    return hashlib.sha256(json.dumps(code_sources(nb)).encode("utf-8")).hexdigest()


def printed_text(cell) -> str:
    """What a code cell printed: streams and the plain-text form of results that are not pictures."""
    parts = []
    for output in cell.get("outputs", []):
        kind = output.get("output_type")
        if kind == "stream":
            parts.append(output.get("text", ""))
        elif kind in ("execute_result", "display_data"):
            data = output.get("data", {})
            if "text/plain" in data and not any(k.startswith("image/") for k in data):
                parts.append(data["text/plain"])
    return "".join(parts)


def full_mode_environment() -> dict[str, str]:
    """This process's environment without the variables that select fast mode."""
    env = {k: v for k, v in os.environ.items() if k not in (FAST_VARIABLE, NBGRADER_VARIABLE)}
    env["MPLBACKEND"] = "Agg"
    return env


def children_cpu_seconds() -> float:
    """CPU seconds (user + system) of this process's finished children, such as a shut-down kernel."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def record(notebook: Path, out: Path, timeout: int = 1800) -> dict:
    """Run ``notebook`` in full mode and write its recording to ``out``; return the recording.

    Besides what each cell printed, the recording keeps the wall-clock seconds, the kernel's CPU
    seconds and the machine's load average before and after: on a busy machine wall-clock time
    grows, while CPU seconds bound the wall-clock time the run would take on idle cores.
    """
    import nbformat
    from nbclient import NotebookClient
    from tqdm.auto import tqdm

    nb = nbformat.read(notebook, as_version=4)
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(full_mode_environment())
    progress = tqdm(total=sum(c.cell_type == "code" for c in nb.cells), desc=notebook.parent.name,
                    unit="cell")
    seconds: list[float] = []
    started = [time.perf_counter()]

    def on_start(cell, cell_index):
        started[0] = time.perf_counter()

    def on_done(cell, cell_index, execute_reply=None):
        seconds.append(round(time.perf_counter() - started[0], 1))
        progress.update(1)

    client = NotebookClient(nb, timeout=timeout, kernel_name=KERNELSPEC["name"], allow_errors=False,
                            resources={"metadata": {"path": str(notebook.parent)}},
                            on_cell_start=on_start, on_cell_executed=on_done)
    begun, cpu_before, load_before = time.perf_counter(), children_cpu_seconds(), os.getloadavg()[0]
    try:
        client.execute()
    finally:
        progress.close()
        os.environ.clear()
        os.environ.update(saved)
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    recording = {
        "notebook": f"{notebook.parent.name}/{notebook.name}",
        "mode": "full",
        "code_sha256": code_hash(nb),
        "seconds": round(time.perf_counter() - begun, 1),
        "cpu_seconds": round(children_cpu_seconds() - cpu_before, 1),
        "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "cells": [{"seconds": s, "printed": printed_text(c)} for c, s in zip(code_cells, seconds)],
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(recording, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return recording


def main(argv=None) -> int:
    """Record the lectures of the named units (default: every unit in source/)."""
    parser = argparse.ArgumentParser(prog="python -m rnncourse.course.record", description=__doc__)
    parser.add_argument("units", nargs="*", help="unit folders under source/ (default: all)")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="the course root")
    args = parser.parse_args(argv)
    units = args.units or sorted(p.parent.name for p in (args.root / "source").glob(f"*/{LECTURE}"))
    for unit in units:
        notebook = args.root / "source" / unit / LECTURE
        if not notebook.is_file():
            print(f"{notebook} does not exist; units with a lecture: "
                  f"{sorted(p.parent.name for p in (args.root / 'source').glob(f'*/{LECTURE}'))}",
                  file=sys.stderr)
            return 2
        rec = record(notebook, args.root / RECORDINGS / f"{unit}.json")
        load = " -> ".join(str(x) for x in rec["load_average"])
        print(f"{unit}: full mode in {rec['seconds']:.0f} s wall, {rec['cpu_seconds']:.0f} s CPU "
              f"(load average {load}) -> {RECORDINGS / (unit + '.json')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
