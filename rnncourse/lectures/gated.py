"""Measurements and drawings for the gated-RNN lecture: gradients, gates, seeds, timings."""

from __future__ import annotations

import dataclasses
import time

import numpy as np

from .plots import mean_with_range

# ---------------------------------------------------------------- drawings of the two cells


def _node(ax, x, y, text, color, width=0.9, height=0.5):
    """A rounded box (a layer with its activation) centred at (x, y)."""
    from matplotlib.patches import FancyBboxPatch

    ax.add_patch(FancyBboxPatch((x - width / 2, y - height / 2), width, height,
                                boxstyle="round,pad=0.05", fc=color, ec="0.3"))
    ax.text(x, y, text, ha="center", va="center", fontsize=11)


def _op(ax, x, y, text):
    """A small circle for an element-wise operation (product, sum, 1 - z, tanh)."""
    from matplotlib.patches import Circle

    ax.add_patch(Circle((x, y), 0.22, fc="white", ec="0.3"))
    ax.text(x, y, text, ha="center", va="center", fontsize=11)


def _line(ax, points, arrow=True, color="0.25"):
    """A polyline through points, with an arrow head at its end."""
    xs, ys = zip(*points)
    ax.plot(xs[:-1] + (xs[-1],), ys, color=color, lw=1.3)
    if arrow:
        ax.annotate("", xy=points[-1], xytext=points[-2],
                    arrowprops=dict(arrowstyle="-|>", color=color, lw=1.3))


GATE, CANDIDATE = "#cfe3f7", "#fde3c8"  # fill colours of gates and of the candidate


def _canvas(ax):
    """The axes to draw a cell on (new ones if None)."""
    import matplotlib.pyplot as plt

    return plt.subplots(figsize=(9, 4.2))[1] if ax is None else ax


def _inputs_and_gates(ax, bus_end, gates):
    """The [h_{t-1}, x_t] bus along the bottom and the gates that read it: (x, text, colour, label)."""
    _line(ax, [(-0.5, 0), (bus_end, 0)], arrow=False)
    ax.text(-0.6, 0.15, r"$h_{t-1}$", fontsize=12)
    ax.text(0.2, -0.7, r"$x_t$", fontsize=12)
    _line(ax, [(0.3, -0.5), (0.3, 0)], arrow=False)
    for x, text, color, label in gates:
        _line(ax, [(x, 0), (x, 0.45)])
        _node(ax, x, 0.75, text, color)
        ax.text(x, -0.3, label, ha="center", fontsize=8, color="0.35")


def _finish(ax, right, title):
    """Frame the drawing and title it."""
    ax.set_xlim(-0.9, right)
    ax.set_ylim(-0.9, 3.6)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(title, fontsize=10)
    return ax


def draw_lstm_cell(ax=None):
    """Draw one LSTM step: the carry c on top, four gates reading [x_t, h_{t-1}] below."""
    ax = _canvas(ax)
    _line(ax, [(-0.5, 3), (1.78, 3)])  # c_{t-1} -> x f
    _line(ax, [(2.22, 3), (3.78, 3)])  # -> + i*c~
    _line(ax, [(4.22, 3), (7.5, 3)])  # -> c_t
    ax.text(-0.6, 3.25, r"$c_{t-1}$", fontsize=12)
    ax.text(7.1, 3.25, r"$c_t$", fontsize=12)
    _op(ax, 2, 3, r"$\times$")
    _op(ax, 4, 3, "+")
    _op(ax, 4, 2.2, r"$\times$")
    _op(ax, 5.6, 2.2, "tanh")
    _op(ax, 6.3, 1.4, r"$\times$")
    _inputs_and_gates(ax, 6.9, [
        (2, r"$f$  $\sigma$", GATE, "forget"), (3.3, r"$i$  $\sigma$", GATE, "input"),
        (4.5, r"$\tilde c$  tanh", CANDIDATE, "candidate"), (6.3, r"$o$  $\sigma$", GATE, "output")])
    _line(ax, [(2, 1.0), (2, 2.78)])  # f -> x
    _line(ax, [(3.3, 1.0), (3.3, 2.2), (3.78, 2.2)])  # i -> x
    _line(ax, [(4.5, 1.0), (4.5, 1.6), (4.0, 1.6), (4.0, 1.98)])  # c~ -> x
    _line(ax, [(4.0, 2.42), (4.0, 2.78)])  # i*c~ -> +
    _line(ax, [(5.6, 3.0), (5.6, 2.42)])  # c_t -> tanh
    _line(ax, [(5.6, 1.98), (5.6, 1.4), (6.08, 1.4)])  # tanh -> x
    _line(ax, [(6.3, 1.0), (6.3, 1.18)])  # o -> x
    _line(ax, [(6.52, 1.4), (7.5, 1.4)])  # -> h_t
    ax.text(7.1, 1.55, r"$h_t$", fontsize=12)
    return _finish(ax, 7.8, "One LSTM step: the carry $c$ runs along the top, changed only by "
                   r"$\times f$ and $+\, i\,\tilde c$")


def draw_gru_cell(ax=None):
    """Draw one GRU step (Keras' reset_after=True): z mixes h_{t-1} with the candidate."""
    ax = _canvas(ax)
    _line(ax, [(-0.5, 3), (2.78, 3)])  # h_{t-1} -> x z
    ax.text(-0.6, 3.25, r"$h_{t-1}$", fontsize=12)
    _op(ax, 3, 3, r"$\times$")
    _op(ax, 5, 3, "+")
    _line(ax, [(3.22, 3), (4.78, 3)])
    _line(ax, [(5.22, 3), (7.0, 3)])
    ax.text(6.6, 3.25, r"$h_t$", fontsize=12)
    _inputs_and_gates(ax, 5.9, [(1.5, r"$z$  $\sigma$", GATE, "update"),
                                (2.9, r"$r$  $\sigma$", GATE, "reset"),
                                (5.0, r"$\tilde h$  tanh", CANDIDATE, "candidate")])
    _op(ax, 4.1, 1.4, r"$\times$")
    ax.text(3.55, 1.75, r"$r \odot (h_{t-1}U_h + b)$", fontsize=9)
    _line(ax, [(2.9, 1.0), (2.9, 1.4), (3.88, 1.4)])  # r -> x (after the matmul)
    _line(ax, [(4.32, 1.4), (4.6, 1.4), (4.6, 0.95)])  # into the candidate
    _op(ax, 1.5, 2.2, "1−")
    _op(ax, 5.0, 2.2, r"$\times$")
    _line(ax, [(1.5, 1.0), (1.5, 1.98)])
    _line(ax, [(1.5, 1.0), (2.3, 1.6), (3.0, 2.78)])  # z -> x h_{t-1}
    _line(ax, [(1.72, 2.2), (4.78, 2.2)])  # 1 - z -> x candidate
    _line(ax, [(5.0, 1.0), (5.0, 1.98)])
    _line(ax, [(5.0, 2.42), (5.0, 2.78)])
    return _finish(ax, 7.2, r"One GRU step: $h_t = z \odot h_{t-1} + (1 - z) \odot \tilde h$; the "
                   "reset gate scales the recurrent term after its matmul")


# ---------------------------------------------------------------- gradients over distance


def input_gradient_norms(make_layer, steps=60, features=8, batch=16, seeds=(0, 1, 2)):
    """Mean over seeds of ||dL/dx_t|| for t = 1..steps, for a loss on a fresh layer's last state.

    make_layer() builds the recurrent layer (Keras' initial weights); the loss is
    sum((h_T - 0.5)^2). How much step t still moves the loss is what a layer can learn from it.
    """
    import keras
    import tensorflow as tf

    runs = []
    for seed in seeds:
        keras.utils.set_random_seed(seed)
        layer = make_layer()
        x = tf.constant(np.random.default_rng(seed).normal(size=(batch, steps, features)),
                        tf.float32)  # (batch, time, features)
        with tf.GradientTape() as tape:
            tape.watch(x)
            loss = tf.reduce_sum(tf.square(layer(x) - 0.5))
        grad = tape.gradient(loss, x).numpy()  # (batch, time, features)
        runs.append(np.linalg.norm(grad, axis=(0, 2)))
    return np.mean(runs, axis=0)


def trained_gradient_norms(model, x, y):
    """||dL/dx_t|| per step for a trained model: L = sum of squared errors of its outputs on y.

    For a regression head (one output) y holds the targets; for a softmax classifier y holds
    the labels and L is their negative log-likelihood.
    """
    import tensorflow as tf

    x = tf.constant(x, tf.float32)  # (batch, time, features)
    with tf.GradientTape() as tape:
        tape.watch(x)
        out = model(x)  # (batch, outputs)
        if out.shape[-1] == 1:
            loss = tf.reduce_sum(tf.square(out[:, 0] - tf.constant(y, tf.float32)))
        else:
            picked = tf.gather(out, y, axis=1, batch_dims=1)
            loss = -tf.reduce_sum(tf.math.log(picked + 1e-9))
    return np.linalg.norm(tape.gradient(loss, x).numpy(), axis=(0, 2))


def plot_input_gradient_norms(norms: dict, ax=None):
    """||dL/dx_t|| against the distance from the loss, one line per cell, on a log scale."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3.6))
    for label, values in norms.items():
        distance = np.arange(len(values))[::-1]  # 0 at the last step
        ax.semilogy(distance, values, marker=".", label=label)
    ax.set_xlabel("steps between the input and the loss (the loss reads the last state)")
    ax.set_ylabel(r"$\|\partial L / \partial x_t\|$")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=9)
    return ax


# ---------------------------------------------------------------- a long-range memory task


ADDING_BASELINE = 1 / 6  # MSE of always answering 1.0: the variance of a sum of two U(0, 1)


def adding_problem(n, length, seed=0):
    """Generated data (not measured): the adding problem of Hochreiter & Schmidhuber (1997).

    Each step has two channels: a value drawn from U(0, 1) and a marker, 1 at exactly two steps
    (one in each half of the sequence) and 0 elsewhere. The target is the sum of the two marked
    values, so the first one must be held for at least half the sequence. Answering 1.0 scores
    an MSE of 1/6. Returns X (n, length, 2) float32, y (n,) float32 and the marked steps (n, 2).
    """
    rng = np.random.default_rng(seed)
    X = np.zeros((n, length, 2), dtype="float32")
    X[:, :, 0] = rng.uniform(size=(n, length))
    half = length // 2
    marks = np.stack([rng.integers(0, half, size=n), rng.integers(half, length, size=n)], axis=1)
    rows = np.arange(n)[:, None]
    X[rows, marks, 1] = 1.0
    y = X[rows, marks, 0].sum(axis=1)
    return X, y.astype("float32"), marks


def carry_trace(weights, x, lstm_step):
    """Run lstm_step over one batch x (batch, time, features): gates and carry at every step.

    Returns a dict of (batch, time, units) arrays: the input gate "i", the forget gate "f",
    the output gate "o" and the carry "c". lstm_step(x_t, h, c, kernel, recurrent_kernel, bias)
    returns h, c and a dict of its gates in the order i, f, o.
    """
    kernel = weights[0]
    units = kernel.shape[1] // 4
    h = c = np.zeros((len(x), units), dtype="float32")
    trace = {"i": [], "f": [], "o": [], "c": []}
    for t in range(x.shape[1]):
        h, c, gates = lstm_step(x[:, t], h, c, *weights)
        for key, value in zip("ifo", gates.values()):
            trace[key].append(value)
        trace["c"].append(c)
    return {key: np.stack(values, axis=1) for key, values in trace.items()}


def plot_carry(trace, marks, unit, ax=None):
    """One sequence of the adding problem: one unit's input gate, forget gate and carry over time."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(8, 3.6))
    steps = np.arange(1, trace["c"].shape[0] + 1)
    ax.plot(steps, trace["f"][:, unit], label="forget gate f", lw=1.6)
    ax.plot(steps, trace["i"][:, unit], label="input gate i", lw=1.2)
    ax.plot(steps, trace["c"][:, unit], label="carry c", color="black", lw=1.6)
    for k, mark in enumerate(marks):
        ax.axvline(mark + 1, color="0.5", ls="--", lw=1,
                   label="marked steps" if k == 0 else None)
    ax.set_xlabel("time step")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=9, loc="best")
    return ax


# ---------------------------------------------------------------- training over seeds


@dataclasses.dataclass
class Run:
    """One training run: its score, whether it failed, its size and its speed."""

    model: str
    seed: int
    score: float  # test accuracy, or test MAE for regression
    epochs: int
    seconds_per_epoch: float
    params: int
    failed: bool = False  # ended at the majority class: learned nothing


def stuck_at_majority(predicted, majority_rate, score, tolerance=0.005) -> bool:
    """True when a classifier predicts (almost) one class only, or scores the majority rate."""
    predicted = np.asarray(predicted)
    top_share = np.bincount(predicted).max() / len(predicted)
    return bool(top_share >= 0.98 or abs(score - majority_rate) <= tolerance)


def predict(model, x, batch_size=512):
    """The model's outputs on x, in batches, as NumPy (no tf.function retracing per model)."""
    import keras

    return np.concatenate([keras.ops.convert_to_numpy(model(x[i:i + batch_size], training=False))
                           for i in range(0, len(x), batch_size)])


def train_runs(name, build, data, seeds, *, epochs, batch_size=32, task="classify",
               majority_rate=None, patience=3, learning_rate=1e-3, progress=True, keep=None,
               jit_compile=False):
    """Train build() once per seed with early stopping; one Run per seed.

    data = (x_train, y_train, x_val, y_val, x_test, y_test). Early stopping restores the epoch
    with the best validation accuracy (classifiers) or loss (regression). task "classify" (sparse labels;
    one sigmoid unit for two classes) scores the restored model's test accuracy and flags a
    run stuck at the majority class; task "regress" scores the test MAE, task "mse" the test
    mean squared error. Trained models are appended to the list keep, when one is given.
    With patience >= epochs nothing can stop a run early, so no validation pass is made;
    jit_compile=True compiles training with XLA (Keras leaves it off on a CPU).
    """
    import keras
    from tqdm.auto import tqdm

    x_tr, y_tr, x_va, y_va, x_te, y_te = data
    runs = []
    for seed in tqdm(seeds, desc=name, leave=False, disable=not progress):
        keras.utils.set_random_seed(seed)
        model = build()
        binary = task == "classify" and model.output_shape[-1] == 1
        loss = ("binary_crossentropy" if binary else "sparse_categorical_crossentropy") \
            if task == "classify" else "mse"
        model.compile(optimizer=keras.optimizers.Adam(learning_rate, global_clipnorm=1.0),
                      loss=loss, metrics=["accuracy"] if task == "classify" else None,
                      jit_compile=jit_compile)
        # a classifier keeps its most accurate epoch: its validation loss can bottom out while
        # it still answers the majority class, then climb as it grows confident and accurate
        monitor = "val_accuracy" if task == "classify" else "val_loss"
        stop = keras.callbacks.EarlyStopping(monitor=monitor, patience=patience,
                                             restore_best_weights=True)
        watched = dict(validation_data=(x_va, y_va), callbacks=[stop]) if patience < epochs else {}
        begin = time.perf_counter()
        history = model.fit(x_tr, y_tr, epochs=epochs, batch_size=batch_size, verbose=0, **watched)
        per_epoch = (time.perf_counter() - begin) / len(history.epoch)
        out = predict(model, x_te)
        if task == "classify":
            predicted = (out[:, 0] > 0.5).astype(int) if binary else out.argmax(axis=1)
            score = float(np.mean(predicted == y_te))
            failed = majority_rate is not None and stuck_at_majority(predicted, majority_rate, score)
        else:
            error = out.reshape(-1) - y_te
            score = float(np.mean(error ** 2 if task == "mse" else np.abs(error)))
            failed = False
        if keep is not None:
            keep.append(model)
        runs.append(Run(name, seed, score, len(history.epoch), per_epoch, model.count_params(),
                        failed))
    return runs


def summarize(runs, scale=1.0, higher_is_better=True):
    """A table with one row per model: mean and spread (min-max) of the runs that trained.

    Failed runs (stuck at the majority class) are counted and left out of the mean; a model
    whose every run failed shows NaN. Scores are multiplied by scale (e.g. to GW).
    """
    import pandas as pd

    rows = []
    for name in dict.fromkeys(run.model for run in runs):
        mine = [run for run in runs if run.model == name]
        good = np.array([run.score * scale for run in mine if not run.failed])
        rows.append({
            "model": name,
            "mean": good.mean() if len(good) else np.nan,
            "spread": good.max() - good.min() if len(good) else np.nan,
            "min": good.min() if len(good) else np.nan,
            "max": good.max() if len(good) else np.nan,
            "runs": len(mine),
            "failed": sum(run.failed for run in mine),
            "params": mine[0].params,
            "s/epoch": np.mean([run.seconds_per_epoch for run in mine]),
        })
    table = pd.DataFrame(rows).set_index("model")
    return table.sort_values("mean", ascending=not higher_is_better)


def verdict(table, a, b, higher_is_better=True) -> str:
    """'a beats b', 'b beats a' or 'a and b tie': a win needs every run of one above the other."""
    ra, rb = table.loc[a], table.loc[b]
    if np.isnan(ra["mean"]) or np.isnan(rb["mean"]):
        return f"{a} vs {b}: no verdict (a model failed every run)"
    if higher_is_better:
        a_wins, b_wins = ra["min"] > rb["max"], rb["min"] > ra["max"]
    else:
        a_wins, b_wins = ra["max"] < rb["min"], rb["max"] < ra["min"]
    if a_wins:
        return f"{a} beats {b} on every seed"
    if b_wins:
        return f"{b} beats {a} on every seed"
    return f"{a} and {b} tie: their ranges over seeds overlap"


# ---------------------------------------------------------------- plots of results


def plot_by_length(results, ax=None, chance=None, ylabel="test accuracy", log=False):
    """A score against sequence length: one line per cell, mean over seeds, min-max band.

    results maps a cell's name to {length: [score per seed]}; chance draws a dashed baseline.
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3.6))
    for name, by_length in results.items():
        lengths = sorted(by_length)
        mean_with_range(ax, lengths, np.array([by_length[n] for n in lengths]).T, label=name)
    if chance is not None:
        ax.axhline(chance, color="0.5", ls="--", lw=1, label="baseline")
    ax.set_xlabel("sequence length")
    ax.set_ylabel(ylabel)
    if log:
        ax.set_yscale("log")
    else:
        ax.set_ylim(0, 1.05)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=9)
    return ax


def plot_confusion(matrix, labels, ax=None, title=None):
    """A confusion matrix as a heat map with counts (rows: true topic, columns: predicted)."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(4.8, 4.2))
    ax.imshow(matrix, cmap="Blues")
    for (i, j), count in np.ndenumerate(matrix):
        ax.text(j, i, str(count), ha="center", va="center",
                color="white" if count > matrix.max() / 2 else "black", fontsize=9)
    ax.set_xticks(range(len(labels)), labels, rotation=45, ha="right")
    ax.set_yticks(range(len(labels)), labels)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    if title:
        ax.set_title(title, fontsize=10)
    return ax


def seconds_per_epoch(make_layer, lengths, n=512, features=16, batch_size=64, repeats=2):
    """Seconds for one training epoch of a one-layer model on random data, per length."""
    import keras

    timings = {}
    rng = np.random.default_rng(0)
    for length in lengths:
        x = rng.normal(size=(n, length, features)).astype("float32")
        y = rng.normal(size=(n, 1)).astype("float32")
        model = keras.Sequential([keras.Input(shape=(length, features)), make_layer(),
                                  keras.layers.Dense(1)])
        model.compile(optimizer="adam", loss="mse")
        model.fit(x, y, epochs=1, batch_size=batch_size, verbose=0)  # builds the graph
        best = np.inf
        for _ in range(repeats):
            begin = time.perf_counter()
            model.fit(x, y, epochs=1, batch_size=batch_size, verbose=0)
            best = min(best, time.perf_counter() - begin)
        timings[length] = best
    return timings
