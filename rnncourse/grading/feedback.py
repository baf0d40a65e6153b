"""Feedback a student can read without learning the hidden tests or the reference solution.

nbgrader's own feedback renders the autograded notebook, hidden tests included. Here each test
cell shows only its released (public) text and, when it failed, the check's message (expected,
got, hint); tracebacks and printed output of test cells are never shown, since either can quote
hidden lines. Answer cells show the student's own code and output.
"""

from __future__ import annotations

import html
import re

from ..nb import MIN_SECRET_LINE, cell_text, is_answer, is_test, joined, nbgrader_meta

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
MAX_OUTPUT_CHARS = 4000

STYLE = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem;
       color: #222; line-height: 1.45; }
pre { background: #f6f8fa; padding: .6rem .8rem; overflow-x: auto; white-space: pre-wrap; }
.cell { border-left: 4px solid #ddd; padding-left: .8rem; margin: 1.2rem 0; }
.pass { border-color: #2e7d32; } .fail { border-color: #c62828; } .answer { border-color: #1565c0; }
.badge { font-weight: 600; } .note { color: #8a4b00; } table { border-collapse: collapse; }
td, th { padding: .2rem .7rem; border-bottom: 1px solid #ddd; text-align: left; }
.md { white-space: pre-wrap; color: #444; }
"""


def clean(value: str, limit: int = MAX_OUTPUT_CHARS) -> str:
    """Text without terminal colour codes, cut to ``limit`` characters."""
    value = ANSI.sub("", value or "")
    return value if len(value) <= limit else value[:limit] + "\n[... cut]"


def error_message(output: dict) -> str:
    """``Name: message`` of an error output, without its traceback."""
    name, value = output.get("ename", "Error"), clean(output.get("evalue", ""))
    return f"{name}: {value}" if value else name


def test_message(cell: dict) -> str:
    """Why a graded test cell failed: the first error's message, or the stderr notice."""
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            return error_message(output)
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream" and output.get("name") == "stderr":
            return "the test printed to stderr (a warning or an error), which nbgrader counts as failed"
    return ""


def answer_outputs(cell: dict) -> str:
    """The student's own outputs as escaped HTML (text only; errors without traceback)."""
    parts = []
    for output in cell.get("outputs", []):
        kind = output.get("output_type")
        if kind == "stream":
            parts.append(clean(joined(output.get("text", ""))))
        elif kind == "error":
            parts.append(error_message(output))
        elif kind in ("execute_result", "display_data"):
            data = output.get("data", {})
            if "text/plain" in data:
                parts.append(clean(joined(data["text/plain"])))
            elif "image/png" in data:
                parts.append("[an image]")
    body = "\n".join(p for p in parts if p)
    return f"<pre>{html.escape(body)}</pre>" if body else ""


def unreleased_lines(graded: dict, public: dict) -> set[str]:
    """Lines of locked cells that the release does not show (hidden tests), for redaction."""
    secrets = set()
    for cell in graded.get("cells", []):
        grade_id = nbgrader_meta(cell).get("grade_id")
        if grade_id in public and nbgrader_meta(cell).get("locked"):
            shown = {line.strip() for line in public[grade_id].splitlines()}
            secrets |= {line.strip() for line in cell_text(cell).splitlines()
                        if len(line.strip()) >= MIN_SECRET_LINE and line.strip() not in shown}
    return secrets


def render(graded: dict, public: dict, title: str, scores: dict, summary: list[str]) -> str:
    """The feedback page: score table, notes, then every cell with leaks removed.

    ``graded`` is the executed notebook (hidden tests inside), ``public`` maps grade_id to the
    released text of each locked cell, ``scores`` maps grade_id to (score, max_score, reason).
    """
    rows = "".join(
        f"<tr><td>{html.escape(gid)}</td><td>{fmt(got)} / {fmt(most)}</td>"
        f"<td>{html.escape(why)}</td></tr>" for gid, (got, most, why) in scores.items())
    total = sum(got or 0 for got, _, _ in scores.values())
    most = sum(m for _, m, _ in scores.values())
    notes = "".join(f"<li class='note'>{html.escape(n)}</li>" for n in summary)
    parts = [f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
             f"<style>{STYLE}</style></head><body><h1>{html.escape(title)}</h1>",
             f"<p class='badge'>Score: {fmt(total)} / {fmt(most)}</p>",
             f"<table><tr><th>graded cell</th><th>points</th><th>result</th></tr>{rows}</table>",
             f"<ul>{notes}</ul>" if notes else ""]
    for cell in graded.get("cells", []):
        parts.append(render_cell(cell, public, scores))
    parts.append("</body></html>")
    secrets = unreleased_lines(graded, public)
    secrets |= {repr(s)[1:-1] for s in secrets}  # as quoted inside a printed list or dict
    return "\n".join("[hidden]" if any(s in html.unescape(line) for s in secrets) else line
                     for line in "\n".join(parts).splitlines())


def render_cell(cell: dict, public: dict, scores: dict) -> str:
    """One cell of the feedback page."""
    meta = nbgrader_meta(cell)
    grade_id = meta.get("grade_id")
    if is_test(cell):
        got, most, _ = scores.get(grade_id, (0, meta.get("points", 0), ""))
        passed = got is not None and got >= most
        message = "" if passed else test_message(cell)
        head = (f"<p class='badge'>{'passed' if passed else 'failed'}: {html.escape(grade_id)} "
                f"({fmt(got)} / {fmt(most)})</p>")
        body = f"<pre>{html.escape(public.get(grade_id, ''))}</pre>"
        why = f"<pre>{html.escape(message)}</pre>" if message else ""
        return f"<div class='cell {'pass' if passed else 'fail'}'>{head}{body}{why}</div>"
    if cell.get("cell_type") == "markdown":
        return f"<div class='md'>{html.escape(cell_text(cell))}</div>"
    if cell.get("cell_type") != "code":
        return ""
    label = f"<p class='badge'>your answer: {html.escape(grade_id)}</p>" if is_answer(cell) else ""
    source = cell_text(cell) if (is_answer(cell) or not meta.get("locked")) else public.get(grade_id, "")
    klass = "cell answer" if is_answer(cell) else "cell"
    return (f"<div class='{klass}'>{label}<pre>{html.escape(source)}</pre>"
            f"{answer_outputs(cell)}</div>")


def fmt(value) -> str:
    """A score for people: 2 rather than 2.0; '-' when it waits for a human grader."""
    return "-" if value is None else f"{float(value):g}"


def unreadable(title: str, reason: str, scores: dict) -> str:
    """The feedback page of a submission that could not be graded at all."""
    return render({"cells": []}, {}, title, scores, [f"not graded: {reason}"])
