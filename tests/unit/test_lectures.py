"""The lectures' own numeric helpers against independent implementations (oracles)."""

from __future__ import annotations

import numpy as np
import pytest


def test_pca_for_plots_matches_scikit_learn():
    from sklearn.decomposition import PCA

    from rnncourse.lectures.embeddings import pca_2d

    rng = np.random.default_rng(0)
    matrix = rng.normal(size=(40, 12)) @ rng.normal(size=(12, 12))  # (n, dim), correlated columns
    ours, theirs = pca_2d(matrix), PCA(n_components=2).fit_transform(matrix)
    assert ours.shape == (40, 2)
    signs = np.sign(np.sum(ours * theirs, axis=0))  # a component's sign is arbitrary
    np.testing.assert_allclose(ours * signs, theirs, atol=1e-9)


def test_collision_share_counts_tokens_in_shared_buckets():
    from rnncourse.lectures.tokenization import collision_share, expected_collision_share

    assert collision_share([0, 1, 1, 2, 2, 2, 3]) == pytest.approx(5 / 7)
    assert collision_share([]) == 0.0
    rng = np.random.default_rng(1)
    n, dim = 2000, 4000
    measured = np.mean([collision_share(rng.integers(0, dim, n)) for _ in range(20)])
    assert measured == pytest.approx(expected_collision_share(n, dim), abs=0.01)


@pytest.fixture(scope="module")
def glove():
    from rnncourse.data import load_glove

    return load_glove(50)


def test_embedding_evaluation_reports_gensims_raw_numbers(glove, tmp_path):
    from rnncourse.data import word_benchmark_path
    from rnncourse.lectures.embeddings import analogy_sample, evaluate_vectors

    questions = analogy_sample(3, seed=0)  # 3 questions per section: 42 in all
    vocab = 5000
    scores = evaluate_vectors(glove, questions, restrict_vocab=vocab)
    overall, sections = glove.evaluate_word_analogies(str(questions), restrict_vocab=vocab)
    assert scores["analogy"] == pytest.approx(overall)
    total = sections[-1]
    answered = len(total["correct"]) + len(total["incorrect"])
    assert scores["analogy_covered"] == pytest.approx(answered / 42)
    for section in sections[:-1]:
        n = len(section["correct"]) + len(section["incorrect"])
        if n:
            assert scores["analogy_sections"][section["section"]] == pytest.approx(
                len(section["correct"]) / n)
    for name in ("wordsim353", "simlex999"):
        _, spearman, oov = glove.evaluate_word_pairs(word_benchmark_path(name), restrict_vocab=vocab)
        assert scores[name] == pytest.approx(spearman[0])
        assert scores[f"{name}_covered"] == pytest.approx(1 - oov / 100)


def test_one_history_plot_serves_every_lecture():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from rnncourse import embedding_helpers, rnn_helpers, tokenization_helpers
    from rnncourse.lectures.plots import plot_history

    class History:
        def __init__(self, train, val=None):
            self.history = {"accuracy": train, **({"val_accuracy": val} if val else {})}

    assert tokenization_helpers.plot_histories is embedding_helpers.plot_histories is plot_history
    assert rnn_helpers.plot_history is plot_history
    ax = plot_history(History([0.5, 0.6], [0.55, 0.58]), title="one run")
    assert [line.get_label() for line in ax.lines] == ["train", "validation"]
    assert ax.get_ylabel() == "accuracy" and ax.get_title() == "one run"
    ax = plot_history({"GRU": [History([0.5, 0.7]), History([0.4, 0.6])]}, baseline=0.65)
    assert ax.lines[0].get_label() == "GRU" and ax.lines[1].get_label().startswith("_")  # no legend
    assert ax.lines[0].get_linewidth() > ax.lines[1].get_linewidth()
    assert ax.lines[-1].get_label() == "majority class"
    plt.close("all")


def test_mean_with_range_draws_the_mean_and_a_band_from_the_lowest_to_the_highest_seed():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from rnncourse.lectures.plots import mean_with_range

    _, ax = plt.subplots()
    line = mean_with_range(ax, [1, 2], [[0.1, 0.4], [0.3, 0.8]], label="cell")
    assert line.get_ydata().tolist() == pytest.approx([0.2, 0.6])
    band = ax.collections[0].get_paths()[0].vertices[:, 1]
    assert band.min() == pytest.approx(0.1) and band.max() == pytest.approx(0.8)
    plt.close("all")
