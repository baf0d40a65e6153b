"""The guard's decisions: what it snapshots, what it restores, what it reports, and its wire text."""

from __future__ import annotations

import sys
import types

import pytest

from rnncourse.grading.runner.guard import arm_code, check_code, parse_report
from rnncourse.grading.sandbox import guard


class Events:
    """IPython's event registry, reduced to its callbacks."""

    def __init__(self):
        self.callbacks = {"post_run_cell": []}


class Shell:
    """The attributes of an IPython shell the guard looks at."""

    def __init__(self):
        self.events = Events()
        self.user_ns = {}
        self.ast_transformers = []
        self.input_transformers_cleanup = []
        self.input_transformers_post = []

    def showtraceback(self, *args, **kwargs):
        return "traceback"


@pytest.fixture
def module(monkeypatch):
    """A protected module with a function and a class."""
    fake = types.ModuleType("fake_checks")

    def check_equal(got, expected):
        assert got == expected

    class Checker:
        def run(self):
            return "real"

    fake.check_equal, fake.Checker = check_equal, Checker
    Checker.__module__, Checker.__qualname__ = "fake_checks", "Checker"
    monkeypatch.setitem(sys.modules, "fake_checks", fake)
    return fake


def test_an_untouched_kernel_reports_nothing(module):
    shell = Shell()
    state = guard.snapshot(shell, modules=("fake_checks",))
    assert guard.restore(state, shell, []) == []


def test_a_replaced_function_is_put_back_and_named(module):
    shell, original = Shell(), module.check_equal
    state = guard.snapshot(shell, modules=("fake_checks",))
    module.check_equal = lambda *args: None
    assert guard.restore(state, shell, []) == ["fake_checks.check_equal"]
    assert module.check_equal is original


def test_patched_and_added_methods_are_undone(module):
    shell, run = Shell(), module.Checker.run
    state = guard.snapshot(shell, modules=("fake_checks",))
    module.Checker.run = lambda self: "fake"
    module.Checker.extra = lambda self: None
    changed = guard.restore(state, shell, [])
    assert sorted(changed) == ["fake_checks.Checker.extra", "fake_checks.Checker.run"]
    assert module.Checker.run is run and not hasattr(module.Checker, "extra")


def test_a_module_swapped_in_sys_modules_is_put_back(module, monkeypatch):
    shell = Shell()
    state = guard.snapshot(shell, modules=("fake_checks",))
    monkeypatch.setitem(sys.modules, "fake_checks", types.ModuleType("fake_checks"))
    assert guard.restore(state, shell, []) == ["sys.modules['fake_checks']"]
    assert sys.modules["fake_checks"] is module


def test_silenced_tracebacks_and_foreign_callbacks_are_undone(module):
    shell = Shell()
    state = guard.snapshot(shell, modules=())
    shell.showtraceback = lambda *args, **kwargs: None  # an instance attribute now
    shell.ast_transformers.append(object())
    shell.events.callbacks["post_run_cell"].append(lambda *args: None)
    changed = guard.restore(state, shell, [])
    assert changed == ["IPython shell.showtraceback", "IPython shell.ast_transformers",
                       "IPython events['post_run_cell']"]
    assert shell.showtraceback() == "traceback" and shell.ast_transformers == []
    assert shell.events.callbacks["post_run_cell"] == []


def test_a_check_helper_rebound_in_the_notebook_is_put_back():
    import rnncourse.checks

    shell = Shell()
    shell.user_ns["check_equal"] = rnncourse.checks.check_equal
    state = guard.snapshot(shell, modules=("rnncourse.checks",))
    shell.user_ns["check_equal"] = lambda *args, **kwargs: None
    shell.user_ns["check_other"] = "left alone: not named by the test"
    changed = guard.restore(state, shell, ["check_equal", "check_other"])
    assert changed == ["check_equal (in the notebook's namespace)"]
    assert shell.user_ns["check_equal"] is rnncourse.checks.check_equal


def test_the_wire_text_arms_checks_and_reports_under_its_nonce(monkeypatch, capsys):
    import rnncourse.checks
    import rnncourse.grading.sandbox as holder

    monkeypatch.setattr(holder, "_STATE", None, raising=False)
    monkeypatch.setattr(rnncourse.checks, "check_true", rnncourse.checks.check_true)  # undo later
    shell = Shell()
    exec(arm_code(), {"get_ipython": lambda: shell})
    assert holder._STATE is not None and "rnncourse.checks" in holder._STATE["modules"]
    rnncourse.checks.check_true = lambda *args, **kwargs: None
    exec(check_code("n0nce", {"check_true"}), {"get_ipython": lambda: shell})
    printed = capsys.readouterr().out
    assert parse_report(printed, "n0nce") == ["rnncourse.checks.check_true"]
    assert parse_report(printed, "other") is None
    assert "__shell__" not in shell.user_ns and "arm" not in shell.user_ns


def test_a_removed_snapshot_is_reported(monkeypatch, capsys):
    import rnncourse.grading.sandbox as holder

    monkeypatch.setattr(holder, "_STATE", None, raising=False)
    exec(check_code("n0nce", set()), {"get_ipython": Shell})
    assert parse_report(capsys.readouterr().out, "n0nce") == ["the grading state was removed"]
