"""Measurements and figures for the tokenization lecture (no graded answers live here)."""

from __future__ import annotations


def collision_share(buckets) -> float:
    """Share of distinct tokens whose bucket also holds at least one other token."""
    import numpy as np

    buckets = np.asarray(buckets).ravel()
    if buckets.size == 0:
        return 0.0
    _, inverse, counts = np.unique(buckets, return_inverse=True, return_counts=True)
    return float(np.mean(counts[inverse] > 1))


def expected_collision_share(n_tokens: int, dim) -> float:
    """Chance that a token shares its bucket, for n_tokens spread uniformly over dim buckets."""
    import numpy as np

    dim = np.asarray(dim, dtype=float)
    return 1.0 - (1.0 - 1.0 / dim) ** (n_tokens - 1)


def plot_collisions(dims, measured, n_tokens: int, ax=None):
    """Measured collision share against the number of buckets, with the uniform-hash curve."""
    import matplotlib.pyplot as plt
    import numpy as np

    if ax is None:
        _, ax = plt.subplots(figsize=(6.5, 4))
    dims = np.asarray(dims)
    grid = np.logspace(np.log10(dims.min()), np.log10(dims.max()), 200)
    ax.semilogx(grid, expected_collision_share(n_tokens, grid), color="0.6",
                label="uniform hash: 1 - (1 - 1/dim)^(V-1)")
    ax.semilogx(dims, measured, "o", color="#c0392b", label="measured (keras Hashing)")
    ax.axvline(n_tokens, color="0.3", ls=":", lw=1)
    ax.text(n_tokens * 1.08, 0.5, f"V = {n_tokens:,} words", fontsize=9, color="0.3")
    ax.set_xlabel("number of buckets (dim)")
    ax.set_ylabel("share of distinct tokens in a shared bucket")
    ax.set_ylim(0, 1)
    ax.legend(loc="lower left", fontsize=9)
    return ax
