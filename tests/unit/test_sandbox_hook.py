"""The grading kernel's audit hook: what it lets through, what it refuses, what it logs.

The hook is called directly with the events Python would raise (an audit hook cannot be removed
once installed, so it is never installed here).
"""

from __future__ import annotations

import os

import pytest

from rnncourse.grading.protocol import SandboxSpec
from rnncourse.grading.sandbox.hook import make_hook


@pytest.fixture
def course(tmp_path):
    """A course root with a scratch folder outside it and an allowed folder inside it."""
    root, scratch = tmp_path / "course", tmp_path / "scratch"
    (root / "env").mkdir(parents=True)
    scratch.mkdir()
    return root, scratch


def hook_for(course, tmp_path, block_processes=True):
    root, scratch = course
    log = os.open(tmp_path / "audit.log", os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    spec = SandboxSpec(scratch=str(scratch), blocked=[str(root)], allowed=[str(root / "env")],
                       block_processes=block_processes)
    return make_hook(spec, log), tmp_path / "audit.log"


def test_reading_the_course_root_is_refused_and_logged(course, tmp_path):
    hook, log = hook_for(course, tmp_path)
    secret = str(course[0] / "gradebook.db")
    with pytest.raises(PermissionError, match="not allowed while grading"):
        hook("open", (secret, "r", os.O_RDONLY))
    with pytest.raises(PermissionError):
        hook("sqlite3.connect", (secret,))
    assert log.read_text().splitlines() == [f"read open {secret}", f"read sqlite3.connect {secret}"]


def test_allowed_folders_and_the_rest_of_the_machine_are_readable(course, tmp_path):
    hook, log = hook_for(course, tmp_path)
    hook("open", (str(course[0] / "env" / "lib.py"), "r", os.O_RDONLY))
    hook("open", ("/etc/hostname", "r", os.O_RDONLY))
    hook("os.listdir", (str(course[1]),))
    hook("sqlite3.connect", (":memory:",))
    assert log.read_text() == "" and log.stat().st_size == 0


def test_writes_go_to_scratch_or_harmless_devices_only(course, tmp_path):
    hook, _ = hook_for(course, tmp_path)
    hook("open", (str(course[1] / "out.txt"), "w", os.O_WRONLY | os.O_CREAT))
    hook("open", ("/dev/null", "w", os.O_WRONLY))
    with pytest.raises(PermissionError):
        hook("open", (str(tmp_path / "elsewhere.txt"), "w", os.O_WRONLY | os.O_CREAT))
    with pytest.raises(PermissionError):
        hook("open", (str(tmp_path / "elsewhere.txt"), None, os.O_RDWR))  # os.open with flags
    with pytest.raises(PermissionError):
        hook("os.remove", (str(tmp_path / "elsewhere.txt"),))


def test_creating_an_existing_folder_is_not_reported(course, tmp_path):
    hook, log = hook_for(course, tmp_path)
    hook("os.mkdir", (str(tmp_path),))  # exists: mkdir fails on its own
    with pytest.raises(PermissionError):
        hook("os.mkdir", (str(tmp_path / "new"),))
    assert log.read_text().splitlines() == [f"write os.mkdir {tmp_path / 'new'}"]


def test_starting_processes_is_refused_unless_allowed(course, tmp_path):
    hook, log = hook_for(course, tmp_path)
    with pytest.raises(PermissionError, match="starting processes"):
        hook("os.system", (b"cp a b",))
    assert log.read_text().splitlines() == ["os.system b'cp a b'"]
    lenient, _ = hook_for(course, tmp_path, block_processes=False)
    lenient("subprocess.Popen", ("ls", ["ls"], None, None))


def test_file_descriptors_and_unrelated_events_pass(course, tmp_path):
    hook, _ = hook_for(course, tmp_path)
    hook("open", (3, "r", 0))
    hook("import", ("json", None, [], [], []))
    hook("os.listdir", ())


def test_rebinding_names_later_does_not_weaken_the_hook(course, tmp_path, monkeypatch):
    from rnncourse.grading.sandbox import hook as module

    hook, _ = hook_for(course, tmp_path)
    secret, scratch = str(course[0] / "gradebook.db"), str(course[1])
    monkeypatch.setattr(module, "PATH_EVENTS", frozenset())
    monkeypatch.setattr(module, "WRITABLE_DEVICES", (secret,))
    real_realpath, refused = os.path.realpath, None
    os.path.realpath = lambda path: scratch  # every path would look like the scratch folder
    try:
        hook("open", (secret, "w", os.O_WRONLY))
    except PermissionError as error:
        refused = error
    finally:
        os.path.realpath = real_realpath
    assert isinstance(refused, PermissionError)
