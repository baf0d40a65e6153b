"""The seeds helper lectures use: majority-class failures detected, ties called ties."""

from __future__ import annotations

import numpy as np

from rnncourse.lectures.seeds import Run, classes, compare, stuck_at_majority, summary


def test_a_model_answering_one_class_is_stuck():
    labels = np.array([1] * 66 + [0] * 34)
    assert stuck_at_majority(np.ones(100), labels)
    assert stuck_at_majority(np.zeros(100), labels)


def test_a_model_no_better_than_the_majority_is_stuck():
    labels = np.array([1] * 66 + [0] * 34)
    predicted = labels.copy()
    predicted[:40] = 0  # 40 positives called negative: accuracy 0.60
    assert np.mean(predicted == labels) <= 0.67
    assert stuck_at_majority(predicted, labels)


def test_a_model_that_learned_is_not_stuck():
    labels = np.array([1] * 66 + [0] * 34)
    predicted = labels.copy()
    predicted[:10] = 1 - predicted[:10]
    assert not stuck_at_majority(predicted, labels)


def test_classes_of_binary_and_multiclass_probabilities():
    assert classes(np.array([[0.2], [0.7]])).tolist() == [0, 1]
    assert classes(np.array([[0.1, 0.7, 0.2], [0.5, 0.2, 0.3]])).tolist() == [1, 0]


def test_summary_leaves_failed_runs_out_and_names_them():
    runs = [Run(0, 0.7, 0.74, 5, 1.0), Run(1, 0.66, 0.658, 1, 1.0, failed=True),
            Run(2, 0.7, 0.72, 5, 1.0)]
    text = summary("SimpleRNN", runs)
    assert "0.730 ± 0.010" in text and "1 of 3 run(s) failed" in text and "seeds 1" in text


def test_compare_calls_overlapping_runs_a_tie():
    assert compare("A", [0.80, 0.82], "B", [0.70, 0.75]).startswith("A beats B")
    assert compare("A", [0.70, 0.82], "B", [0.75, 0.78]).startswith("a tie")
    assert compare("A", [], "B", [0.7]).startswith("no verdict")
