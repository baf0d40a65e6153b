"""The whole assignment cycle on JupyterHub with nbgrader's exchange, driven in headless Chromium.

hub/deploy.py sets up a throwaway class (one instructor, two students, local accounts with random
passwords, an exchange and a state folder of their own) and runs JupyterHub on a free loopback
port. The instructor releases 00-orientation in Formgrader; each student logs in, fetches it in
the Assignments tab, answers (one right, one with a typical mistake in the code and a thinner
written answer), runs it, validates and submits; the instructor collects in Formgrader, runs
`rnncourse grade`, grades each written answer on Formgrader's manual-grading page (a score and a
comment; a comment on the mistake too), generates the feedback with Formgrader's Generate
Feedback (leak-free through nbgrader_config.py) and releases it; each student fetches it and reads
their own total with the hand-given points, the instructor's comments and the check's message,
and no hidden test. Neither student can read the other's work nor the
instructor's source/, through the hub or on disk. Everything is removed afterwards, also when
the test fails. Needs root on Linux, `make hub-deps`, Debian's chromium and playwright.
Screenshots and the hub's log go to tests/artifacts/hub/.
"""

from __future__ import annotations

import contextlib
import html
import json
import os
import re
import shutil
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from lab import (
    CHROMIUM_FLAGS,
    LONG,
    chromium_path,
    grade_index,
    open_notebook,
    run_all,
    save,
    type_into,
    validate,
)

from rnncourse.course.sample import mistakes, solutions

pytestmark = [pytest.mark.browser, pytest.mark.hub, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("RNNCOURSE_HUB_ARTIFACTS", ROOT / "tests" / "artifacts" / "hub"))
UNIT = "00-orientation"
NOTEBOOK = f"{UNIT}/assignment.ipynb"
MISTAKE = "forgot-bias"
WRITTEN = "weight_sharing_answer"  # the written answer the instructor grades by hand
THIN_ANSWER = "The same W, U and b are used at every step, so the length does not matter."
# What the instructor gives on the manual-grading page: grade_id -> (points or None, comment).
BY_HAND = {
    "ada": {WRITTEN: (2, "Clear and complete: one W, U and b serve every step.")},
    "ben": {WRITTEN: (1, "Right that W, U and b are shared; say what it allows: any length."),
            "simple_rnn_param_count": (None, "Count b too: one bias per unit.")},
}

sys.path.insert(0, str(ROOT / "hub"))
import deploy  # noqa: E402


def requirements_missing() -> str | None:
    """Why this machine cannot run the hub test, or None."""
    if sys.platform != "linux" or os.geteuid() != 0:
        return "the hub test creates local accounts: it runs as root on Linux"
    if not shutil.which("useradd"):
        return "useradd is missing"
    if not (deploy.HUB_VENV / "bin" / "jupyterhub").is_file() or not deploy.PROXY.is_file():
        return "JupyterHub or its proxy is missing: run `make hub-deps`"
    return None


def http_status(url: str) -> int:
    """Status of a GET (0 when nothing answers)."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


def wait_for_hub(hub, url: str, log: Path, timeout: float = 180.0) -> None:
    """Poll the hub's API until it answers; fail with its log if it exits or never answers."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if hub.poll() is not None:
            pytest.fail(f"JupyterHub exited with {hub.returncode}:\n{tail(log)}")
        if http_status(url + "hub/api/") == 200:
            return
        time.sleep(0.5)
    pytest.fail(f"JupyterHub did not answer within {timeout:.0f} s:\n{tail(log)}")


def tail(path: Path, lines: int = 40) -> str:
    """The end of a log file."""
    with contextlib.suppress(OSError):
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    return ""


@pytest.fixture(scope="module")
def classroom():
    """A running hub with a throwaway class; torn down (accounts, processes, folders) at the end."""
    problem = requirements_missing()
    if problem:
        if os.environ.get("CI", "").strip().lower() == "true":
            pytest.fail(f"{problem}; CI must run the hub test")
        pytest.skip(problem)
    chromium_path()  # skips or fails the same way as the other browser tests
    tag = os.urandom(3).hex()
    base = Path(tempfile.mkdtemp(prefix="rnncourse-hub-test-"))
    base.chmod(0o755)  # students reach the exchange inside it
    deployment = deploy.Deployment(
        state=base / "state", exchange=base / "exchange", instructor=f"rh{tag}teach",
        students=[f"rh{tag}ada", f"rh{tag}ben"], units=[UNIT], ip="127.0.0.1",
        port=deploy.free_port())
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob("*.png"):
        old.unlink()
    log_path = ARTIFACTS / "jupyterhub.log"
    hub = None
    try:
        with open(log_path, "w") as log:
            passwords = deploy.setup(deployment)
            hub = deploy.start(deployment, log=log)
            url = f"http://127.0.0.1:{deployment.port}/"
            wait_for_hub(hub, url, log_path)
            yield {"deployment": deployment, "passwords": passwords, "url": url, "log": log_path}
    finally:
        problems = deploy.teardown(deployment, hub)
        shutil.rmtree(base, ignore_errors=True)
        leftovers = [n for n in deployment.users if user_exists(n)] + problems
        assert not leftovers, f"teardown left {leftovers}"


def user_exists(name: str) -> bool:
    """Whether a local account of that name exists."""
    import pwd

    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


# ---------------------------------------------------------------- a person at a browser


class Person:
    """One account's browser tab on the hub."""

    def __init__(self, browser, url: str, name: str, password: str):
        self.name, self.password, self.url = name, password, url
        self.context = browser.new_context(viewport={"width": 1400, "height": 900})
        self.context.set_default_timeout(60_000)
        self.page = self.context.new_page()

    def user_url(self, path: str = "") -> str:
        """A URL on this person's own server."""
        return f"{self.url}user/{self.name}/{path.lstrip('/')}"

    def shot(self, name: str) -> None:
        """Save a screenshot of the tab."""
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)

    def log_in(self) -> None:
        """Log in on the hub's page and wait for JupyterLab on the person's own server."""
        page = self.page
        page.goto(self.url + "hub/login")
        page.locator("input#username_input").fill(self.name)
        page.locator("input#password_input").fill(self.password)
        page.locator("#login_submit").click()
        page.wait_for_url(re.compile(rf"/user/{self.name}/lab"), timeout=LONG)
        page.locator(".jp-LabShell, #jp-main-dock-panel").first.wait_for(timeout=LONG)

    def api(self, path: str) -> tuple[int, str]:
        """GET ``path`` on the hub from inside the page, as JupyterLab's own requests go."""
        return tuple(self.page.evaluate(
            """async (url) => {
                 const x = document.cookie.match(/_xsrf=([^;]+)/);
                 const r = await fetch(url, {credentials: 'same-origin',
                     headers: x ? {'X-XSRFToken': decodeURIComponent(x[1])} : {}});
                 return [r.status, await r.text()];
               }""", self.url + path.lstrip("/")))

    def close(self) -> None:
        """Close the browser context."""
        with contextlib.suppress(Exception):
            self.context.close()


def open_assignments(page) -> None:
    """Nbgrader > Assignment List: the Assignments tab."""
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Nbgrader$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Assignment List$")).click()
    page.locator("#nbgrader-assignment-list").wait_for()


def assignment_row(page, section: str):
    """The row of UNIT in one section (released, fetched, submitted) of the Assignments tab."""
    return page.locator(f"#nbgrader-assignment-list #{section}_assignments_list "
                        f".list_item:not(.nested_list_item)", has_text=UNIT).first


def formgrader_action(person: Person, button: str, shot: str) -> str:
    """Press a button (release, collect, release-feedback) of UNIT's row in Manage Assignments."""
    page = person.page
    page.goto(person.user_url("formgrader/manage_assignments"))
    row = page.locator("#main-table tr", has=page.locator("td.name", has_text=UNIT))
    row.locator(f"td.{button} a").click()
    modal = page.locator("#success-modal, #error-modal").first
    modal.wait_for(timeout=LONG)
    page.screenshot(path=str(ARTIFACTS / f"{shot}.png"))
    text = modal.inner_text()
    assert modal.get_attribute("id") == "success-modal", f"Formgrader's {button} failed:\n{text}"
    modal.locator(".modal-footer button").click()
    modal.wait_for(state="detached")
    return text


def hidden_lines() -> set[str]:
    """Lines between ### BEGIN/END HIDDEN TESTS in the source notebook (stripped, non-trivial)."""
    nb = json.loads((ROOT / "source" / NOTEBOOK).read_text(encoding="utf-8"))
    found = set()
    for cell in nb["cells"]:
        text = "".join(cell["source"])
        for block in re.findall(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", text, re.S):
            found |= {line.strip() for line in block.splitlines() if len(line.strip()) >= 8}
    return found


# ---------------------------------------------------------------- steps of the cycle


def student_works(student: Person, answers: dict, expect_success: bool, tag: str) -> str:
    """Fetch UNIT, answer, run all, validate, save and submit; return the Validate dialog's text."""
    page = student.page
    open_assignments(page)
    fetch = assignment_row(page, "released").locator("button", has_text="Fetch")
    fetch.wait_for(timeout=LONG)
    student.shot(f"{tag}-1-assignments-released")
    fetch.click()
    assignment_row(page, "fetched").wait_for(timeout=LONG)
    student.shot(f"{tag}-2-fetched")

    released = json.loads((ROOT / "release" / NOTEBOOK).read_text())
    where = grade_index(released)
    cells = open_notebook(page, student.user_url(f"lab/tree/{NOTEBOOK}?reset"), len(released["cells"]))
    for grade_id, text in answers.items():
        type_into(cells.nth(where[grade_id]), text)
    # A failing test stops Run All there, so wait for the kernel to settle, not for every cell.
    run_all(page, until="settled")
    student.shot(f"{tag}-3-answered-and-run")
    outcome, text = validate(page, str(ARTIFACTS / f"{tag}-4-validate.png"))
    wanted = "validation-success" if expect_success else "validation-failed"
    assert wanted in outcome, f"{student.name}: Validate gave {outcome!r}:\n{text}"
    save(page)

    open_assignments(page)
    submit = assignment_row(page, "fetched").locator("button", has_text="Submit")
    submit.click()
    assignment_row(page, "submitted").wait_for(timeout=LONG)
    student.shot(f"{tag}-5-submitted")
    return text


def points_of_cells() -> dict[str, float]:
    """grade_id -> points of every graded cell of the source notebook."""
    return {c["metadata"]["nbgrader"]["grade_id"]: c["metadata"]["nbgrader"].get("points", 0)
            for c in json.loads((ROOT / "source" / NOTEBOOK).read_text())["cells"]
            if c["metadata"].get("nbgrader", {}).get("grade")}


def grade_by_hand(instructor: Person, student: str, grades: dict, tag: str) -> None:
    """On Formgrader's manual-grading page of a submission, give each cell its points and comment.

    ``grades`` maps grade_id -> (points or None, comment or None). A change event saves a score
    or a comment; a fresh load of the page must show what was saved.
    """
    page = instructor.page
    page.goto(instructor.user_url(f"formgrader/gradebook/{UNIT}/assignment"))
    link = page.locator("a.name-shown", has_text=re.compile(rf"^\s*{student}\s*$"))
    link.wait_for(state="attached", timeout=LONG)
    submission = instructor.url.rstrip("/") + link.get_attribute("href")
    page.goto(submission)
    page.locator("#notebook-container").first.wait_for(timeout=LONG)
    # Formgrader marks what waits for a human grader: the written answer, not yet graded.
    page.locator(f"input.score.needs_manual_grade#{WRITTEN}").wait_for(timeout=60_000)
    for grade_id, (points, comment) in grades.items():
        if comment:
            box = page.locator(f"#{grade_id}-comment")
            box.fill(comment)
            box.press("Tab")  # a change event saves the comment
        if points is not None:
            score = page.locator(f"input.score#{grade_id}")
            score.fill(str(points))
            score.press("Tab")
    page.wait_for_function("() => !document.querySelector('.glyphicon-refresh')", timeout=60_000)
    assert page.locator("input.score.needs_manual_grade").count() == 0, \
        f"{student}'s submission still has answers waiting for a human grader"
    page.screenshot(path=str(ARTIFACTS / f"{tag}.png"), full_page=True)
    page.goto(submission)  # saved on the server: a fresh load shows every score and comment
    page.locator("#notebook-container").first.wait_for(timeout=LONG)
    for grade_id, (points, comment) in grades.items():
        if comment:
            page.wait_for_function("([id, t]) => document.getElementById(id)?.value === t",
                                   arg=[f"{grade_id}-comment", comment], timeout=60_000)
        if points is not None:
            page.wait_for_function("([id, v]) => parseFloat(document.getElementById(id)?.value) === v",
                                   arg=[grade_id, float(points)], timeout=60_000)


def student_reads_feedback(student: Person, tag: str) -> str:
    """Fetch Feedback in the Assignments tab, open the fetched page in JupyterLab; return its text.

    nbgrader's list offers "(view feedback)" only when every notebook of the submission has a
    feedback page; the unit's folder also holds lecture.ipynb, which is not graded, so the
    student opens 00-orientation/feedback/<time>/assignment.html from the file browser.
    """
    from urllib.parse import quote

    page = student.page
    page.goto(student.user_url("lab?reset"))
    page.locator("#jp-main-dock-panel").wait_for(timeout=LONG)
    open_assignments(page)
    row = assignment_row(page, "submitted")
    row.locator("button", has_text="Fetch Feedback").click()
    page.wait_for_function(  # the list is redrawn once the fetch has finished
        "() => !document.querySelector('#submitted_assignments_list button')"
        "?.innerText.includes('Fetching')", timeout=LONG)
    row.locator("button", has_text="Fetch Feedback").wait_for(timeout=LONG)
    student.shot(f"{tag}-1-feedback-fetched")
    stamp = feedback_folder(student)
    page.goto(student.user_url(f"lab/tree/{UNIT}/feedback/{quote(stamp)}/assignment.html"))
    frame = page.frame_locator(".jp-HTMLViewer iframe").first
    body = frame.locator("body")
    frame.locator("h1").wait_for(timeout=LONG)
    student.shot(f"{tag}-2-feedback-open")
    return body.inner_text()


def feedback_folder(student: Person) -> str:
    """The name of the folder Fetch Feedback made (the submission's time)."""
    status, listing = student.api(f"user/{student.name}/api/contents/{UNIT}/feedback")
    assert status == 200, (status, listing[:300])
    folders = [item["name"] for item in json.loads(listing)["content"] if item["type"] == "directory"]
    assert len(folders) == 1, folders
    return folders[0]


def read_feedback_file(student: Person) -> str:
    """The fetched feedback page, read through the student's own contents API (positive control)."""
    from urllib.parse import quote

    stamp = feedback_folder(student)
    status, body = student.api(f"user/{student.name}/api/contents/{UNIT}/feedback/{quote(stamp)}/"
                               "assignment.html?type=file&format=text")
    assert status == 200, (status, body[:300])
    return json.loads(body)["content"]


# ---------------------------------------------------------------- the test


def test_assignment_cycle_on_the_hub(classroom):
    """Release, fetch, validate, submit, collect, grade, grade by hand, feedback, privacy."""
    from playwright.sync_api import sync_playwright

    deployment, passwords, url = classroom["deployment"], classroom["passwords"], classroom["url"]
    teacher, ada, ben = deployment.users
    source = json.loads((ROOT / "source" / NOTEBOOK).read_text())
    right = solutions(source)
    assert WRITTEN in right, f"{UNIT} has no written answer to grade by hand"
    wrong = {**right, **mistakes(ROOT / "tests" / "mistakes", UNIT)[MISTAKE]["cells"],
             WRITTEN: THIN_ANSWER}
    course = deployment.course_root()

    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=chromium_path(), headless=True,
                                         args=CHROMIUM_FLAGS)
        people = {name: Person(browser, url, name, passwords[name]) for name in deployment.users}
        try:
            instructor = people[teacher]
            instructor.log_in()
            listing = instructor.page.locator(".jp-DirListing-item")
            listing.filter(has_text=re.compile(r"^\s*source")).first.wait_for(timeout=LONG)
            instructor.shot("01-instructor-lab")
            formgrader_action(instructor, "release", "02-instructor-released")

            people[ada].log_in()
            student_works(people[ada], right, True, "03-ada")
            people[ben].log_in()
            dialog = student_works(people[ben], wrong, False, "04-ben")
            assert "counts W and U but forgets the bias b" in dialog, dialog
            # Students have no instructor tools on the hub.
            assert people[ada].api(f"user/{ada}/formgrader")[0] == 404
            assert people[ada].page.get_by_title(re.compile("Create Assignment", re.I)).count() == 0

            formgrader_action(instructor, "collect", "05-instructor-collected")
            for name in (ada, ben):
                assert (course / "submitted" / name / UNIT / "assignment.ipynb").is_file(), name
            graded = deploy.as_user(deployment, teacher, [
                str(deployment.venv / "bin" / "rnncourse"), "grade", UNIT, "--jobs", "2"], cwd=course)
            (ARTIFACTS / "rnncourse-grade.txt").write_text(graded.stdout + graded.stderr)
            assert f"{ada}" in graded.stdout and f"{ben}" in graded.stdout, graded.stdout

            # The written answers wait for a human: Formgrader's manual-grading page.
            roles = {ada: "ada", ben: "ben"}
            for tag, name in (("06-instructor-manual-grading-ada", ada),
                              ("07-instructor-manual-grading-ben", ben)):
                grade_by_hand(instructor, name, BY_HAND[roles[name]], tag)
            instructor.page.goto(instructor.user_url(f"formgrader/gradebook/{UNIT}/assignment"))
            instructor.page.locator("a.name-shown", has_text=ben).wait_for(state="attached")
            instructor.shot("08-instructor-gradebook")

            # Formgrader's own Generate Feedback: the pages now carry the hand-given points and
            # comments (which `rnncourse grade` could not know), and still no hidden test.
            secret = hidden_lines()
            assert secret
            formgrader_action(instructor, "generate-feedback", "09-instructor-generated-feedback")
            for name in (ada, ben):
                page_on_disk = (course / "feedback" / name / UNIT / "assignment.html").read_text()
                comment = BY_HAND[roles[name]][WRITTEN][1]
                assert html.escape(comment, quote=False) in page_on_disk, f"{name}: no comment"
                leaked = [line for line in secret if line in html.unescape(page_on_disk)]
                assert not leaked, f"Formgrader's feedback for {name} shows hidden tests: {leaked}"
            formgrader_action(instructor, "release-feedback", "10-instructor-released-feedback")

            points = points_of_cells()
            total = sum(points.values())
            earned = {ada: total - points[WRITTEN] + BY_HAND["ada"][WRITTEN][0],
                      ben: (total - points["test_simple_rnn_param_count"] - points[WRITTEN]
                            + BY_HAND["ben"][WRITTEN][0])}
            for tag, name in (("11-ada", ada), ("12-ben", ben)):
                text = student_reads_feedback(people[name], tag)
                page_html = read_feedback_file(people[name])
                other = ben if name == ada else ada
                assert other not in text, text[:500]  # nbgrader's page names nobody; the score is theirs
                total_line = re.compile(rf"Score: {earned[name]}(\.0+)? / {total}(\.0+)?\)")
                assert total_line.search(text), text[:800]
                mark, comment = BY_HAND[roles[name]][WRITTEN]
                written = re.compile(rf"Written response \(Score: {mark}(\.0+)? / {points[WRITTEN]}")
                assert written.search(text), text[:800]
                assert comment in text, f"the instructor's comment is missing from {name}'s feedback"
                leaked = [line for line in secret if line in text or line in page_html]
                assert not leaked, f"{name}'s feedback shows hidden tests: {leaked}"
                if name == ben:
                    for words in ("simple_rnn_param_count(20, 5) counts W and U but forgets the bias b",
                                  "hint: b holds one number per unit",
                                  BY_HAND["ben"]["simple_rnn_param_count"][1]):
                        assert words in text, f"{words!r} missing from {name}'s feedback"

            # Privacy through the hub: each student's own file is readable (control), the other's,
            # the instructor's source/ and a path outside the server's folder are not.
            for name, other in ((ada, ben), (ben, ada)):
                person = people[name]
                own = person.api(f"user/{name}/api/contents/{NOTEBOOK}")
                assert own[0] == 200 and "simple_rnn_param_count" in own[1], own[0]
                for path in (f"user/{other}/api/contents/{NOTEBOOK}",
                             f"user/{other}/api/contents/{UNIT}/feedback",
                             f"user/{teacher}/api/contents/source/{NOTEBOOK}",
                             f"user/{teacher}/api/contents/submitted/{other}/{NOTEBOOK}",
                             f"user/{name}/api/contents/..%2F{other}%2F{NOTEBOOK}",
                             f"user/{name}/api/contents/%2Fhome%2F{other}%2F{NOTEBOOK}"):
                    status, body = person.api(path)
                    assert status != 200 and "simple_rnn_param_count" not in body, (name, path, status)
            people[ada].shot("13-ada-privacy-checked")
            # ... and on disk, as the student's own account (what a terminal on the hub could do).
            exchange = Path(deployment.exchange) / deployment.course_id
            for name, other in ((ada, ben), (ben, ada)):
                home = Path(f"/home/{name}")
                assert deploy.as_user(deployment, name, ["cat", str(home / NOTEBOOK)],
                                      check=False).returncode == 0
                for command in (["cat", f"/home/{other}/{NOTEBOOK}"],
                                ["ls", str(exchange / "inbound")],
                                ["cat", str(course / "source" / NOTEBOOK)],
                                ["ls", str(course)]):
                    done = deploy.as_user(deployment, name, command, check=False)
                    assert done.returncode != 0, (name, command, done.stdout[:200])
        finally:
            for person in people.values():
                with contextlib.suppress(Exception):
                    person.shot(f"zz-last-{person.name[len('rh') + 6:]}")
                person.close()
            browser.close()
