"""The fast/full switch and the notebook setup."""

import pytest

import rnncourse


@pytest.fixture
def clean_env(monkeypatch):
    monkeypatch.delenv("RNNCOURSE_FAST", raising=False)
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    return monkeypatch


@pytest.mark.parametrize("value, expected", [("1", True), ("true", True), ("YES", True),
                                             ("0", False), ("", False), ("no", False)])
def test_fast_variable(clean_env, value, expected):
    clean_env.setenv("RNNCOURSE_FAST", value)
    assert rnncourse.fast_mode() is expected
    assert rnncourse.pick("small", "big") == ("small" if expected else "big")


def test_full_mode_is_the_default(clean_env):
    assert rnncourse.fast_mode() is False
    assert rnncourse.pick(1, 10) == 10


@pytest.mark.parametrize("step", ["autograde", "validate"])
def test_nbgrader_execution_implies_fast(clean_env, step):
    clean_env.setenv("RNNCOURSE_FAST", "0")
    clean_env.setenv("NBGRADER_EXECUTION", step)
    assert rnncourse.fast_mode() is True


def test_setup_fixes_seeds_and_reports_mode(clean_env):
    import numpy as np

    clean_env.setenv("RNNCOURSE_FAST", "1")
    info = rnncourse.setup(seed=3)
    first = np.random.rand(3)
    rnncourse.setup(seed=3)
    assert np.array_equal(first, np.random.rand(3))
    assert info == {"seed": 3, "mode": "fast"}


def test_import_has_no_side_effects():
    import subprocess
    import sys

    code = ("import os, sys; import rnncourse; "
            "print('tensorflow' in sys.modules, 'TF_CPP_MIN_LOG_LEVEL' in os.environ)")
    env = {k: v for k, v in __import__("os").environ.items() if not k.startswith("TF_")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         check=True).stdout.split()
    assert out == ["False", "False"]


def test_versions_lists_the_core_packages():
    found = rnncourse.versions()
    assert {"python", "tensorflow", "keras", "gensim", "nbgrader"} <= set(found)
    assert found["keras"].startswith("3.")
