"""Feedback a student can read without learning the hidden tests: nbgrader's page, scrubbed.

nbgrader's ``generate_feedback`` renders the autograded notebook, hidden tests included. The
``HideHiddenTests`` preprocessor below scrubs the notebook first, and ``leak_free_feedback(c)``
puts it into ``c.GenerateFeedback.preprocessors`` in nbgrader_config.py, so every route gives
the same safe page: ``rnncourse grade`` (which calls nbgrader's own command), ``nbgrader
generate_feedback`` and Formgrader's "Generate Feedback" button.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool, Unicode

from ..nb import MIN_SECRET_LINE, is_test, joined

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
MAX_OUTPUT_CHARS = 4000
NOTES_KEY = "rnncourse"  # notebook metadata the grader writes its notes under


def clean(value: str, limit: int = MAX_OUTPUT_CHARS) -> str:
    """Text without terminal colour codes, cut to ``limit`` characters."""
    value = ANSI.sub("", value or "")
    return value if len(value) <= limit else value[:limit] + "\n[... cut]"


def split_hidden(source: str, begin: str, end: str) -> tuple[str, str]:
    """(the source without its hidden regions and markers, the hidden lines)."""
    public, hidden, inside = [], [], False
    for line in source.splitlines(keepends=True):
        if begin in line:
            inside = True
        elif inside and end in line:
            inside = False
        else:
            (hidden if inside else public).append(line)
    return "".join(public), "".join(hidden)


def redact(value: str, secrets: set) -> str:
    """``value`` with every line that quotes a secret line replaced by [hidden]."""
    return "\n".join("[hidden]" if any(s in line for s in secrets) else line
                     for line in value.split("\n"))


def scrubbed_outputs(cell, secrets: set) -> list:
    """Outputs fit to show: a test keeps only its error's message; tracebacks become one line."""
    kept = []
    for output in cell.get("outputs", []):
        kind = output.get("output_type")
        if kind == "error":
            output.evalue = redact(clean(output.get("evalue", "")), secrets)
            output.traceback = [f"{output.ename}: {output.evalue}" if output.evalue else output.ename]
        elif is_test(cell):
            if kind == "stream" and output.get("name") == "stderr":
                output.text = "the test printed to stderr, which nbgrader counts as a failure\n"
            else:
                continue
        elif kind == "stream":
            output.text = redact(clean(joined(output.get("text", ""))), secrets)
        elif "data" in output:
            output.data = {mime: redact(clean(joined(value)), secrets) if mime.startswith("text/")
                           else value for mime, value in output.data.items()
                           if mime.startswith(("text/", "image/"))}
        kept.append(output)
    return kept


class HideHiddenTests(Preprocessor):
    """Remove hidden tests, tracebacks and test output before nbgrader renders feedback."""

    enabled = Bool(True, help="On wherever it is listed (nbgrader registers it disabled)").tag(config=True)

    begin_delimiter = Unicode("BEGIN HIDDEN TESTS", help="Marks the start of hidden tests").tag(config=True)
    end_delimiter = Unicode("END HIDDEN TESTS", help="Marks the end of hidden tests").tag(config=True)

    def preprocess(self, nb, resources):
        """Scrub every cell; put the grader's notes first."""
        secrets, shown = set(), set()
        for cell in nb.cells:
            public, hidden = split_hidden(joined(cell.get("source", "")), self.begin_delimiter,
                                          self.end_delimiter)
            shown |= {line.strip() for line in public.splitlines()}
            secrets |= {line.strip() for line in hidden.splitlines()}
            if hidden:
                cell.source = public.rstrip("\n")
        secrets = {s for s in secrets - shown if len(s) >= MIN_SECRET_LINE}
        secrets |= {repr(s)[1:-1] for s in secrets}  # as quoted inside a printed list or dict
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs = scrubbed_outputs(cell, secrets)
        notes = nb.metadata.get(NOTES_KEY, {}).get("notes", [])
        if notes:
            from nbformat.v4 import new_markdown_cell

            items = "".join(f"<li>{html.escape(note)}</li>" for note in notes)
            nb.cells.insert(0, new_markdown_cell(f"**From the autograder**\n\n<ul>{items}</ul>"))
        return nb, resources


def preprocessors() -> list:
    """nbgrader's feedback preprocessors with ``HideHiddenTests`` before the page is rendered."""
    from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
    from nbgrader.preprocessors import GetGrades

    return [GetGrades, HideHiddenTests, CSSHTMLHeaderPreprocessor]


def leak_free_feedback(c) -> None:
    """Make nbgrader's own feedback (CLI and Formgrader) leak-free; call in nbgrader_config.py."""
    c.GenerateFeedback.preprocessors = preprocessors()


def generate(root: Path, assignment: str) -> None:
    """nbgrader's generate_feedback for every autograded submission of ``assignment``."""
    from ..course.layout import nbgrader_api, quiet_logs, run_api

    api = nbgrader_api(root, GenerateFeedback={"preprocessors": preprocessors()})
    with quiet_logs():
        run_api(api.generate_feedback(assignment), f"Generating the feedback of {assignment}")


def unreadable(path: Path, title: str, reason: str) -> Path:
    """The feedback page of a notebook that could not be graded at all."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
        f"</head><body><h1>{html.escape(title)}</h1><p>Score: 0</p><p>not graded: "
        f"{html.escape(reason)}</p></body></html>\n", encoding="utf-8")
    return path
