"""Grading check helpers: pass quietly, fail with expected/got/hint."""

import numpy as np
import pytest

from rnncourse.checks import CheckFailed, check_close, check_equal, check_shape, check_true, check_type


def test_passing_checks_are_silent():
    check_equal([1, 2], [1, 2])
    check_shape(np.zeros((2, 3)), (2, 3))
    check_close(np.ones(3), np.ones(3) + 1e-7)
    check_true(True, "never shown")
    check_type(3, int)


def test_equal_names_first_difference():
    with pytest.raises(CheckFailed, match=r"differs first at index 2") as info:
        check_equal([1, 2, 3], [1, 2, 4], "sequence", hint="look at the end")
    assert "expected: 4" in str(info.value) and "got:      3" in str(info.value)
    assert "hint: look at the end" in str(info.value)


def test_equal_reports_length():
    with pytest.raises(CheckFailed, match="wrong length"):
        check_equal([1, 2], [1, 2, 3])


def test_close_reports_shape_then_worst_element():
    with pytest.raises(CheckFailed, match=r"wrong shape"):
        check_close(np.zeros((2, 3)), np.zeros((3, 2)))
    got = np.zeros((2, 2))
    got[1, 0] = 0.5
    with pytest.raises(CheckFailed, match=r"at index \(1, 0\)"):
        check_close(got, np.zeros((2, 2)))


def test_close_rejects_nan_and_non_numbers():
    with pytest.raises(CheckFailed, match="NaN"):
        check_close([np.nan], [0.0])
    with pytest.raises(CheckFailed, match="not numeric"):
        check_close(["a"], [0.0])


def test_type_and_true():
    with pytest.raises(CheckFailed, match="wrong type"):
        check_type(3.0, int, "count")
    with pytest.raises(CheckFailed, match="custom message"):
        check_true(False, "custom message")


def test_failures_are_assertion_errors():
    assert issubclass(CheckFailed, AssertionError)
