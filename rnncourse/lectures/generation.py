"""Figures and measurements for the generation lecture: history, encodings, diversity (no graded answers)."""

from __future__ import annotations

import numpy as np

PAD, BOUNDARY = 0, 1  # id 0 pads a batch; id 1 ('.') marks the start and the end of a name

# (year, what happened, who) — the dates of the papers, as the history is usually told.
HISTORY = [
    (1974, "recurrent (Hopfield-style) networks with feedback", "Little 1974; Hopfield 1982"),
    (1986, "Jordan network: output fed back as input", "Jordan 1986"),
    (1986, "backpropagation, and unrolling a recurrent net in time (BPTT)",
     "Rumelhart, Hinton & Williams 1986; Werbos 1990"),
    (1990, "Elman network: a hidden state carried over time", "Elman 1990"),
    (1994, "vanishing gradients analysed", "Bengio, Simard & Frasconi 1994; Hochreiter 1991"),
    (1997, "LSTM: a gated memory cell", "Hochreiter & Schmidhuber 1997"),
    (2011, "character-level RNN language models generate text", "Sutskever, Martens & Hinton 2011"),
    (2014, "GRU and the RNN encoder-decoder", "Cho et al. 2014"),
    (2014, "sequence-to-sequence learning with LSTMs", "Sutskever, Vinyals & Le 2014"),
    (2015, "attention for neural machine translation", "Bahdanau, Cho & Bengio 2015"),
    (2016, "neural translation in production (GNMT, LSTMs)", "Wu et al. 2016"),
    (2017, "Transformer: attention without recurrence", "Vaswani et al. 2017"),
]


def history_table():
    """The history as a pandas DataFrame (year, milestone, reference)."""
    import pandas as pd

    return pd.DataFrame(HISTORY, columns=["year", "milestone", "reference"])


def plot_history(ax=None):
    """Draw the history of recurrent networks as a timeline, one labelled tick per milestone."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(10, 4.6))
    ax.axhline(0, color="0.3", lw=1)
    for i, (year, what, _who) in enumerate(HISTORY):
        height = 1 + (i % 4)
        side = 1 if i % 2 == 0 else -1
        ax.plot([year, year], [0, side * height], color="0.6", lw=0.8)
        ax.plot(year, 0, "o", color="C3" if year >= 2017 else "C0")
        ax.annotate(f"{year}: {what}", (year, side * height), fontsize=8,
                    ha="center", va="bottom" if side > 0 else "top")
    ax.set_xlim(1968, 2023)
    ax.set_ylim(-6, 6)
    ax.set_yticks([])
    for spine in ("left", "right", "top"):
        ax.spines[spine].set_visible(False)
    ax.set_title("Recurrent networks, 1970s to the Transformer")
    return ax


def name_alphabet(names) -> list[str]:
    """The sorted characters of the names; ids start at 2 (0 pads, 1 is the boundary '.')."""
    return sorted(set("".join(names)))


def encode_names(names, alphabet, length=None):
    """Names -> (inputs, targets), int32 (n, length): '.name' -> 'name.', padded with 0 on the right."""
    char_id = {c: i + 2 for i, c in enumerate(alphabet)}
    length = length or max(len(n) for n in names) + 1
    inputs = np.zeros((len(names), length), dtype=np.int32)
    targets = np.zeros((len(names), length), dtype=np.int32)
    for row, name in enumerate(names):
        ids = [char_id[c] for c in name]
        seq_in, seq_out = [BOUNDARY] + ids, ids + [BOUNDARY]
        inputs[row, : len(seq_in)] = seq_in[:length]
        targets[row, : len(seq_out)] = seq_out[:length]
    return inputs, targets


def decode_ids(ids, alphabet) -> str:
    """Ids -> text, stopping at the first boundary or padding id."""
    out = []
    for i in ids:
        if i in (PAD, BOUNDARY):
            break
        out.append(alphabet[int(i) - 2])
    return "".join(out)


def distinct_ngrams(samples, n: int = 2) -> float:
    """Distinct character n-grams over all n-grams in the samples (1.0: nothing repeats)."""
    grams = [s[i:i + n] for s in samples for i in range(len(s) - n + 1)]
    return len(set(grams)) / len(grams) if grams else 0.0


def plot_diversity_vs_likelihood(rows, ax=None):
    """Scatter diversity (distinct bigrams, novelty) against mean log-likelihood per character.

    rows: dicts with keys label, loglik, distinct, novel.
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(6.5, 4.2))
    x = [r["loglik"] for r in rows]
    ax.plot(x, [r["distinct"] for r in rows], "o-", label="distinct bigrams / all bigrams")
    ax.plot(x, [r["novel"] for r in rows], "s--", label="share of new names")
    for r in rows:
        ax.annotate(r["label"], (r["loglik"], r["distinct"]), textcoords="offset points",
                    xytext=(4, 6), fontsize=8)
    ax.set_xlabel("mean log-likelihood per character under the model (higher: more typical)")
    ax.set_ylabel("diversity")
    ax.legend()
    ax.set_title("Sampling: diversity against likelihood")
    return ax


def text_streams(ids, batch_size: int, window: int):
    """Cut one long id sequence into batch_size parallel streams of windows, for stateful training.

    Returns inputs and targets of shape (n_batches * batch_size, window), ordered so that row j of
    batch k+1 continues row j of batch k (what a stateful RNN needs with shuffle=False).
    """
    ids = np.asarray(ids)
    per_stream = (len(ids) - 1) // batch_size
    n_batches = per_stream // window
    usable = n_batches * window
    starts = np.arange(batch_size) * per_stream
    rows_in = np.stack([ids[s:s + usable] for s in starts])  # (batch, usable)
    rows_out = np.stack([ids[s + 1:s + 1 + usable] for s in starts])
    # (batch, n_batches, window) -> (n_batches, batch, window) -> (n_batches * batch, window)
    def arrange(rows):
        return rows.reshape(batch_size, n_batches, window).transpose(1, 0, 2).reshape(-1, window)

    return arrange(rows_in), arrange(rows_out)


def paired_verdict(a_scores, b_scores, a: str, b: str, unit: str = "nats/char") -> str:
    """Compare losses seed by seed (lower is better): a win needs every seed to agree."""
    diff = np.asarray(a_scores, dtype=float) - np.asarray(b_scores, dtype=float)
    if diff.size == 0:
        return f"{a} vs {b}: no runs to compare"
    low, high = abs(diff).min(), abs(diff).max()
    span = f"by {low:.3f} {unit}" if diff.size == 1 else f"by {low:.3f} to {high:.3f} {unit}"
    seeds = "the only seed" if diff.size == 1 else f"every one of {diff.size} seeds"
    if np.all(diff < 0):
        return f"{a} beats {b} on {seeds} ({span} lower)"
    if np.all(diff > 0):
        return f"{b} beats {a} on {seeds} ({span} lower)"
    return f"{a} and {b} tie: the seeds disagree (differences {np.round(diff, 3).tolist()})"
