"""Word vectors in the lectures: a PCA picture of word pairs and the standard benchmarks."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np

from ..config import quiet_logs
from ..data import word_benchmark_path


def pca_2d(matrix):
    """Project the rows of ``matrix`` (n, dim) on their first two principal components: (n, 2)."""
    centered = np.asarray(matrix, dtype=np.float64) - np.mean(matrix, axis=0)
    _, _, components = np.linalg.svd(centered, full_matrices=False)
    return centered @ components[:2].T


def plot_pairs(kv, pairs, labels=("first word", "second word"), ax=None, title=None):
    """PCA plot of word pairs (e.g. country, capital), each pair joined by an arrow."""
    import matplotlib.pyplot as plt

    words = [w for pair in pairs for w in pair]
    points = pca_2d(np.stack([kv[w] for w in words]))  # (2 * n_pairs, 2)
    ax = ax or plt.subplots(figsize=(7, 5))[1]
    for k in range(len(pairs)):
        (x0, y0), (x1, y1) = points[2 * k], points[2 * k + 1]
        ax.annotate("", xy=(x1, y1), xytext=(x0, y0),
                    arrowprops={"arrowstyle": "->", "color": "0.6", "lw": 0.8})
    ax.scatter(points[0::2, 0], points[0::2, 1], color="tab:blue", s=14, label=labels[0])
    ax.scatter(points[1::2, 0], points[1::2, 1], color="tab:orange", s=14, label=labels[1])
    for word, (x, y) in zip(words, points):
        ax.annotate(word, (x, y), fontsize=8, xytext=(3, 2), textcoords="offset points")
    ax.set_xlabel("principal component 1")
    ax.set_ylabel("principal component 2")
    if title:
        ax.set_title(title)
    ax.legend(loc="best", fontsize=8)
    return ax


def analogy_sample(per_section, seed=0):
    """A copy of the Google analogy set keeping ``per_section`` random questions of each section."""
    rng = np.random.default_rng(seed)
    sections, current = [], None
    with open(word_benchmark_path("questions-words"), encoding="utf-8") as handle:
        for line in handle:
            if line.startswith(":"):
                current = (line, [])
                sections.append(current)
            elif line.strip():
                current[1].append(line)
    out = Path(tempfile.mkdtemp(prefix="analogies-")) / f"questions-words-{per_section}.txt"
    with open(out, "w", encoding="utf-8") as handle:
        for header, lines in sections:
            handle.write(header)
            keep = rng.choice(len(lines), size=min(per_section, len(lines)), replace=False)
            handle.writelines(lines[i] for i in sorted(keep))
    return out


def evaluate_vectors(kv, questions=None, restrict_vocab=30000) -> dict:
    """Analogy accuracy (overall, per section, share answered) and WordSim353 / SimLex-999 Spearman.

    Keys: analogy, analogy_covered, analogy_sections, and for each word-pair benchmark its
    Spearman rho (wordsim353, simlex999) and the share of its pairs in the vocabulary (*_covered).
    """
    questions = questions or word_benchmark_path("questions-words")
    with quiet_logs("gensim.models.keyedvectors", level="WARNING"):  # one INFO line per section
        overall, sections = kv.evaluate_word_analogies(str(questions), restrict_vocab=restrict_vocab)
        pairs = {name: kv.evaluate_word_pairs(word_benchmark_path(name), restrict_vocab=restrict_vocab)
                 for name in ("wordsim353", "simlex999")}
    with open(questions, encoding="utf-8") as handle:
        asked = sum(1 for line in handle if line.strip() and not line.startswith(":"))
    answered, per_section = 0, {}
    for section in sections:
        n = len(section["correct"]) + len(section["incorrect"])
        if section["section"] == "Total accuracy":
            answered = n
        elif n:
            per_section[section["section"]] = len(section["correct"]) / n
    result = {"analogy": float(overall), "analogy_covered": answered / asked,
              "analogy_sections": per_section}
    for name, (_, spearman, oov) in pairs.items():
        rho = spearman.statistic if hasattr(spearman, "statistic") else spearman[0]
        result[name] = float(rho)
        result[f"{name}_covered"] = 1 - float(oov) / 100
    return result
