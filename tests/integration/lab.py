"""What a person does in JupyterLab in headless Chromium, shared by the browser and hub tests.

Needs Debian's ``chromium`` on PATH and Python ``playwright`` (no browser download). Locally the
tests that need them are skipped with a message; with CI=true they fail instead.
"""

from __future__ import annotations

import os
import re
import shutil

import pytest

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"]
HOW_TO_ENABLE = ("to run the browser tests install Debian's Chromium (`sudo apt-get install -y "
                 "chromium`) and the dev extras (`pip install -e '.[dev]'`); "
                 "`make test-fast` deselects them")
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"  # the notebook in front
LONG = 240_000  # ms: a generous bound for anything that starts a kernel or runs a notebook

PROMPTS = f"[...document.querySelectorAll('{PANEL} .jp-CodeCell .jp-InputPrompt')]"
KERNEL_IDLE = (f"[...document.querySelectorAll('{PANEL} .jp-Notebook-ExecutionIndicator')]"
               ".every(e => e.dataset.status === 'idle')")
# When Run All is over, by what the notebook is expected to do:
STOP_RULES = {
    # every code cell ran (a notebook whose cells all pass)
    "every-cell": f"() => {{ const p = {PROMPTS}; return p.length > 0 && "
                  "p.every(e => /\\[\\d+\\]/.test(e.textContent)); }",
    # nothing runs any more and the kernel is idle (Run All stops at the first cell that
    # raises, e.g. a failing test, so later cells may keep an empty prompt)
    "settled": f"() => {PROMPTS}.some(e => /\\[\\d+\\]/.test(e.textContent)) && "
               f"!{PROMPTS}.some(e => /\\[\\*\\]/.test(e.textContent)) && {KERNEL_IDLE}",
}


def chromium_path() -> str:
    """Chromium's executable; skip locally, fail in CI, when it or playwright is missing."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    problem = None if path else "Chromium is not on PATH"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        problem = problem or "Python playwright is not installed"
    if problem:
        if os.environ.get("CI", "").strip().lower() == "true":
            pytest.fail(f"{problem}: CI must run the browser tests; {HOW_TO_ENABLE}.")
        pytest.skip(f"{problem}; {HOW_TO_ENABLE}.")
    return path


def grade_index(notebook: dict) -> dict[str, int]:
    """grade_id -> position of the cell in the notebook."""
    return {cell["metadata"].get("nbgrader", {}).get("grade_id"): i
            for i, cell in enumerate(notebook["cells"])}


def open_notebook(page, url: str, cells: int, timeout: int = LONG):
    """Open the notebook at ``url``; wait for all its cells and an idle kernel; return the cells."""
    page.goto(url)
    page.locator(PANEL).wait_for(timeout=timeout)
    # The kernel indicator sits in the notebook's toolbar, or in its overflow popup when narrow.
    page.wait_for_function(
        "() => [...document.querySelectorAll('.jp-Notebook-ExecutionIndicator')].some(e =>"
        f" e.dataset.status === 'idle' && (e.closest('{PANEL}')"
        " || e.closest('.jp-Toolbar-responsive-popup')))", timeout=timeout)
    page.wait_for_function(
        f"n => document.querySelectorAll('{PANEL} .jp-Notebook .jp-Cell').length === n",
        arg=cells, timeout=timeout)
    return page.locator(f"{PANEL} .jp-Notebook .jp-Cell")


def type_into(cell, text: str) -> None:
    """Replace a cell's text by ``text`` (insert, not type: CodeMirror would re-indent).

    A rendered markdown cell (a written answer) is opened for editing by a double click first.
    """
    if "jp-mod-rendered" in (cell.get_attribute("class") or ""):
        cell.locator(".jp-MarkdownOutput").dblclick()
    editor = cell.locator(".jp-InputArea-editor .cm-content")
    editor.click()
    editor.fill(text)


def run_all(page, until: str = "every-cell", timeout: int = LONG) -> None:
    """Run ▸ Run All Cells, then wait until the ``until`` rule of STOP_RULES holds.

    A click that lands while the notebook's session is still settling runs nothing; it is
    retried (up to four times) until some prompt shows [*] or a number.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    done = STOP_RULES[until]
    for attempt in range(4):
        try:
            page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
            page.locator(".lm-Menu-item:not(.lm-mod-disabled) .lm-Menu-itemLabel",
                         has_text=re.compile(r"^Run All Cells$")).click(timeout=10_000)
            page.wait_for_function(
                f"() => {PROMPTS}.some(e => /\\[(\\*|\\d+)\\]/.test(e.textContent))",
                timeout=15_000)
            break
        except PlaywrightTimeout:  # nothing started: close the menu if open, click again
            page.keyboard.press("Escape")
            if attempt == 3:
                raise
    page.wait_for_function(done, timeout=timeout)


def validate(page, screenshot: str, timeout: int = LONG) -> tuple[str, str]:
    """Press Validate, wait for the dialog, screenshot it; return (outcome class, dialog text)."""
    page.locator(f"{PANEL} .jp-NotebookPanel-toolbar jp-button.validate-button").click()
    message = page.locator(".jp-Dialog #validation-message")  # the dialog's body itself
    message.wait_for(timeout=timeout)
    page.screenshot(path=screenshot)
    outcome = message.get_attribute("class") or ""
    text = page.locator(".jp-Dialog-body").inner_text()
    page.locator(".jp-Dialog-button.jp-mod-accept").click()
    page.locator(".jp-Dialog").wait_for(state="detached")
    return outcome, text


def save(page) -> None:
    """Ctrl+S, then wait until the notebook's tab no longer shows unsaved changes."""
    page.locator(f"{PANEL} .jp-Notebook").click(position={"x": 5, "y": 5})
    page.keyboard.press("Control+s")
    page.wait_for_function("() => !document.querySelector('.lm-TabBar-tab.jp-mod-current.jp-mod-dirty')")
