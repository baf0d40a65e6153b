"""JupyterLab in headless Chromium: a student validates an assignment, an instructor opens Formgrader.

Needs Debian's ``chromium`` on PATH and Python ``playwright`` (no browser download). Locally the
tests are skipped with a message when either is missing; with CI=true they fail instead.
Screenshots and server logs go to tests/artifacts/.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import nbformat
import pytest
from lab import CHROMIUM_FLAGS, PANEL, chromium_path, grade_index, open_notebook, run_all, type_into, validate

from rnncourse.config import QUIET_TENSORFLOW
from rnncourse.course.lab import lab_command, lab_environment
from rnncourse.course.sample import mistakes, solutions

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
ASSIGNMENT = "00-orientation"
NOTEBOOK = f"{ASSIGNMENT}/assignment.ipynb"
# TensorFlow's C++ log lines (oneDNN notice, CPU feature banner, absl preamble).
TF_NOISE = re.compile(r"oneDNN|cpu_feature_guard|absl::|This TensorFlow binary|^[IWE]\d{4} ", re.M)


# ---------------------------------------------------------------- browser and servers


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http(url: str, method: str = "GET", timeout: float = 5.0) -> int:
    """The HTTP status of a request (0 when nothing answers)."""
    request = urllib.request.Request(url, method=method, data=b"" if method == "POST" else None)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


class Lab:
    """A running JupyterLab: its folder, base URL, token and log file."""

    def __init__(self, folder: Path, port: int, token: str, log: Path):
        self.folder, self.token, self.log = Path(folder), token, log
        self.base = f"http://127.0.0.1:{port}"

    def url(self, path: str) -> str:
        """An authenticated URL on this server."""
        path, _, query = path.lstrip("/").partition("?")
        return f"{self.base}/{path}?{query + '&' if query else ''}token={self.token}"

    def log_tail(self, lines: int = 30) -> str:
        """The end of the server's log, for failure messages."""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


def quiet_settings(settings: Path) -> None:
    """JupyterLab user settings without the "Jupyter news" question."""
    path = settings / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}))


@contextlib.contextmanager
def jupyter_lab(folder: Path, role: str, scratch: Path):
    """Run JupyterLab for ``role`` on ``folder`` (as `make lab`/`make instructor` do); always stop it."""
    token, port = secrets.token_hex(16), free_port()
    env = lab_environment(ROOT, role)
    for name in QUIET_TENSORFLOW:  # the python3 kernelspec alone must keep TensorFlow quiet
        env.pop(name, None)
    env.update(JUPYTERLAB_SETTINGS_DIR=str(scratch / "settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(scratch / "workspaces"),
               JUPYTER_RUNTIME_DIR=str(scratch / "runtime"))
    quiet_settings(scratch / "settings")
    extra = ["--no-browser", "--ip=127.0.0.1", "--port-retries=0",
             f"--IdentityProvider.token={token}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        extra.append("--allow-root")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    lab = Lab(folder, port, token, ARTIFACTS / f"jupyter-{role}.log")
    with open(lab.log, "w") as log:
        server = subprocess.Popen(lab_command(folder, port, extra), cwd=folder, env=env,
                                  stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            wait_until_ready(server, lab)
            yield lab
        finally:
            stop(server, lab)


def wait_until_ready(server: subprocess.Popen, lab: Lab, timeout: float = 90.0) -> None:
    """Poll /api/status until the server answers; fail with its log if it dies or hangs."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"JupyterLab exited with {server.returncode}:\n{lab.log_tail()}")
        if http(lab.url("api/status")) == 200:
            return
        time.sleep(0.5)
    pytest.fail(f"JupyterLab not ready after {timeout:.0f} s:\n{lab.log_tail()}")


def stop(server: subprocess.Popen, lab: Lab) -> None:
    """Shut the server down (kernels too) through its API, then by signal if it lingers."""
    if server.poll() is None:
        http(lab.url("api/shutdown"), method="POST")
    for sig in (None, signal.SIGTERM, signal.SIGKILL):
        if sig is not None and server.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.pid, sig)
        try:
            server.wait(timeout=20)
            return
        except subprocess.TimeoutExpired:
            continue


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """Headless Chromium with a fresh profile, closed after the module's tests."""
    executable = chromium_path()
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as driver:
        context = driver.chromium.launch_persistent_context(
            str(profile), executable_path=executable, headless=True, args=CHROMIUM_FLAGS,
            viewport={"width": 1400, "height": 900})
        context.set_default_timeout(60_000)
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def page(browser, request):
    """A new tab; its last state is saved as a screenshot, and it is closed after the test."""
    tab = browser.new_page()
    try:
        yield tab
    finally:
        with contextlib.suppress(Exception):
            tab.screenshot(path=str(ARTIFACTS / f"{request.node.name}-end.png"))
        tab.close()


@pytest.fixture(scope="module")
def student_lab(browser, tmp_path_factory):
    """JupyterLab for a student on a temporary copy of release/."""
    scratch = tmp_path_factory.mktemp("student")
    shutil.copytree(ROOT / "release", scratch / "release")
    with jupyter_lab(scratch / "release", "student", scratch) as lab:
        yield lab


@pytest.fixture
def instructor_lab(browser, tmp_path_factory):
    """JupyterLab for an instructor on a temporary copy of the course root."""
    scratch = tmp_path_factory.mktemp("instructor")
    course = scratch / "course"
    course.mkdir()
    for name in ("source", "release"):
        shutil.copytree(ROOT / name, course / name)
    shutil.copy(ROOT / "nbgrader_config.py", course)
    with jupyter_lab(course, "instructor", scratch) as lab:
        yield lab


# ---------------------------------------------------------------- what a person does


def stderr_outputs(page) -> list[str]:
    """The text of every stderr or error output in the open notebook (red boxes)."""
    return page.locator(f"{PANEL} "
                        ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
                        ).all_inner_texts()


# ---------------------------------------------------------------- the tests


def test_student_validates_right_then_wrong_answer(page, student_lab):
    """Right answers: the cells run clean and Validate says success; a wrong one: its message."""
    released = json.loads((ROOT / "release" / NOTEBOOK).read_text())
    where = grade_index(released)
    answers = solutions(json.loads((ROOT / "source" / NOTEBOOK).read_text()))
    cells = open_notebook(page, student_lab.url(f"lab/tree/{NOTEBOOK}?reset"), len(released["cells"]))

    for grade_id, code in answers.items():
        type_into(cells.nth(where[grade_id]), code)
    run_all(page, until="every-cell")
    noise = stderr_outputs(page)
    assert noise == [], f"the student sees red output after Run All: {noise}"
    page.screenshot(path=str(ARTIFACTS / "student-run-all.png"))
    outcome, text = validate(page, str(ARTIFACTS / "validate-success.png"))
    assert "validation-success" in outcome, f"Validate did not report success:\n{text}"
    assert "Success! Your notebook passes all the tests." in text

    typical = mistakes(ROOT / "tests" / "mistakes", ASSIGNMENT)
    wrong = typical["forgot-bias"]["cells"]["simple_rnn_param_count"]
    answer = cells.nth(where["simple_rnn_param_count"])
    type_into(answer, wrong)
    answer.click()
    page.keyboard.press("Shift+Enter")  # run the answer, move to its test cell
    page.keyboard.press("Shift+Enter")  # run the public test
    test_cell = cells.nth(where["test_simple_rnn_param_count"])
    failure = test_cell.locator(".jp-OutputArea-output[data-mime-type="
                                "'application/vnd.jupyter.stderr']")
    failure.wait_for()
    shown = failure.inner_text()
    assert "counts W and U but forgets the bias b" in shown, shown
    outcome, text = validate(page, str(ARTIFACTS / "validate-failure.png"))
    assert "validation-failed" in outcome, f"Validate did not report the failure:\n{text}"
    for words in ("simple_rnn_param_count(20, 5) counts W and U but forgets the bias b",
                  "hint: b holds one number per unit"):
        assert words in text, f"{words!r} missing from the Validate dialog:\n{text}"


def test_fresh_notebook_imports_tensorflow_quietly(page, student_lab):
    """A student's own notebook importing TensorFlow first shows no C++ log lines."""
    released = json.loads((ROOT / "release" / NOTEBOOK).read_text())
    scratch = nbformat.v4.new_notebook(metadata=released["metadata"])  # the python3 kernel
    scratch.cells.append(nbformat.v4.new_code_cell(
        "import tensorflow as tf\nprint(float(tf.reduce_sum(tf.ones(3))))\n"))
    nbformat.write(scratch, student_lab.folder / "scratch.ipynb")
    open_notebook(page, student_lab.url("lab/tree/scratch.ipynb?reset"), 1)
    run_all(page)
    output = page.locator(f"{PANEL} .jp-OutputArea-output")
    output.first.wait_for()
    page.screenshot(path=str(ARTIFACTS / "student-tensorflow.png"))
    texts = output.all_inner_texts()
    assert "3.0" in "".join(texts), texts
    noisy = [t for t in texts if TF_NOISE.search(t)]
    assert not noisy, f"TensorFlow's C++ log lines reach the student: {noisy}"
    assert stderr_outputs(page) == [], stderr_outputs(page)


def test_student_lab_has_no_instructor_tools(page, student_lab):
    """Students get Validate but neither Create Assignment, Formgrader nor the Nbgrader menu."""
    released = json.loads((ROOT / "release" / NOTEBOOK).read_text())
    open_notebook(page, student_lab.url(f"lab/tree/{NOTEBOOK}?reset"), len(released["cells"]))
    assert page.locator("jp-button.validate-button").count() >= 1
    assert page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").count() == 0
    assert page.get_by_title(re.compile("Create Assignment", re.I)).count() == 0
    assert http(student_lab.url("formgrader")) == 404


def test_instructor_sees_assignments_in_formgrader(page, instructor_lab):
    """Nbgrader ▸ Formgrader inside Lab lists every assignment of source/."""
    page.goto(instructor_lab.url("lab"))
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Nbgrader$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Formgrader$")).click()
    rows = page.frame_locator("iframe").locator("#main-table tr")
    rows.first.wait_for()
    expected = sorted(p.name for p in (ROOT / "source").iterdir() if any(p.glob("*.ipynb")))
    page.wait_for_function(
        "n => { const f = document.querySelector('iframe');"
        " return f && f.contentDocument &&"
        " f.contentDocument.querySelectorAll('#main-table tr').length >= n; }", arg=len(expected))
    page.screenshot(path=str(ARTIFACTS / "formgrader.png"))
    listed = " ".join(rows.all_inner_texts())
    for name in expected:
        assert name in listed, f"{name} missing from Formgrader's list: {listed}"
