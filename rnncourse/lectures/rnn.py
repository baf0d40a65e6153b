"""Figures and small utilities for the recurrent-network lectures (no graded answers live here)."""

from __future__ import annotations

ARROW = {"arrowstyle": "-|>", "lw": 1.4, "color": "0.25", "shrinkA": 0, "shrinkB": 0}
COLORS = {"x": "#dbe9f6", "h": "#fde3c8", "y": "#d9f0d3"}


def _box(ax, x, y, text, kind, width=0.8, height=0.55):
    """Draw one rounded, labelled box centred at (x, y)."""
    from matplotlib.patches import FancyBboxPatch

    ax.add_patch(FancyBboxPatch((x - width / 2, y - height / 2), width, height,
                                boxstyle="round,pad=0.04", facecolor=COLORS[kind],
                                edgecolor="0.3", lw=1.2))
    ax.text(x, y, text, ha="center", va="center", fontsize=12)


def _arrow(ax, start, end, label=None, offset=(0.12, 0.0), color="0.25"):
    """Draw an arrow from ``start`` to ``end`` with an optional label near its middle."""
    ax.annotate("", xy=end, xytext=start, arrowprops={**ARROW, "color": color})
    if label:
        mx, my = (start[0] + end[0]) / 2 + offset[0], (start[1] + end[1]) / 2 + offset[1]
        ax.text(mx, my, label, fontsize=11, color=color, ha="left", va="center")


def _folded(ax, x0):
    """The recurrent cell drawn once, with its state looping back into itself."""
    from matplotlib.patches import FancyArrowPatch

    _box(ax, x0, 0.0, "$x_t$", "x")
    _box(ax, x0, 1.3, "$h_t$", "h")
    _box(ax, x0, 2.6, "$y_t$", "y")
    _arrow(ax, (x0, 0.3), (x0, 1.0), "$W$")
    _arrow(ax, (x0, 1.6), (x0, 2.3), "$V$")
    loop = FancyArrowPatch((x0 + 0.42, 1.45), (x0 + 0.42, 1.15), connectionstyle="arc3,rad=-2.2",
                           arrowstyle="-|>", mutation_scale=12, lw=1.4, color="#c0392b")
    ax.add_patch(loop)
    ax.text(x0 + 0.95, 1.3, "$U$", fontsize=11, color="#c0392b", va="center")


def draw_unrolled(steps: int = 4, ax=None):
    """Draw a recurrent cell folded (left) and unrolled over ``steps`` time steps (right).

    The same W, U and V label every copy: unrolling adds no parameters, it only repeats
    the one cell once per time step.
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(2.2 + 1.6 * steps, 3.6))
    _folded(ax, 0.0)
    ax.text(1.65, 1.3, "=", fontsize=22, ha="center", va="center")
    start = 3.4
    ax.text(start - 1.05, 1.3, "$h_0$", fontsize=12, ha="center", va="center")
    for t in range(1, steps + 1):
        x = start + 1.6 * (t - 1)
        _box(ax, x, 0.0, f"$x_{t}$", "x")
        _box(ax, x, 1.3, f"$h_{t}$", "h")
        _box(ax, x, 2.6, f"$y_{t}$", "y")
        _arrow(ax, (x, 0.3), (x, 1.0), "$W$")
        _arrow(ax, (x, 1.6), (x, 2.3), "$V$")
        left = start - 0.75 if t == 1 else x - 1.6 + 0.42
        _arrow(ax, (left, 1.3), (x - 0.42, 1.3), "$U$", offset=(-0.2, 0.22), color="#c0392b")
    ax.set_xlim(-0.7, start + 1.6 * (steps - 1) + 0.7)
    ax.set_ylim(-0.5, 3.1)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title("One cell, folded (left) and unrolled in time (right): the same W, U, V at "
                 "every step", fontsize=11)
    return ax


def draw_io_patterns(axes=None):
    """Draw the four input/output patterns: one-to-many, many-to-one, many-to-many (two kinds)."""
    import matplotlib.pyplot as plt

    if axes is None:
        _, axes = plt.subplots(1, 4, figsize=(14, 3.2))
    patterns = {
        "one-to-many\n(one input, a sequence out)": ([1, 0, 0, 0], [1, 1, 1, 1]),
        "many-to-one\n(a sequence in, one output)": ([1, 1, 1, 1], [0, 0, 0, 1]),
        "many-to-many, aligned\n(an output at every step)": ([1, 1, 1, 1], [1, 1, 1, 1]),
        "many-to-many, delayed\n(read all, then write)": ([1, 1, 1, 0, 0], [0, 0, 0, 1, 1]),
    }
    for ax, (title, (inputs, outputs)) in zip(axes, patterns.items()):
        for t, (has_in, has_out) in enumerate(zip(inputs, outputs)):
            x = 1.0 * t
            _box(ax, x, 1.0, "", "h", width=0.6, height=0.45)
            if has_in:
                _box(ax, x, 0.0, "", "x", width=0.6, height=0.45)
                _arrow(ax, (x, 0.25), (x, 0.75))
            if has_out:
                _box(ax, x, 2.0, "", "y", width=0.6, height=0.45)
                _arrow(ax, (x, 1.25), (x, 1.75))
            if t:
                _arrow(ax, (x - 0.7, 1.0), (x - 0.3, 1.0), color="#c0392b")
        ax.set_xlim(-0.5, 4.5)
        ax.set_ylim(-0.4, 2.4)
        ax.set_aspect("equal")
        ax.axis("off")
        ax.set_title(title, fontsize=10)
    return axes


def plot_gradient_norms(norms: dict, ax=None):
    """Plot ||dL/dh_t|| against the time step t, one line per setting, on a log scale."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3.6))
    for label, values in norms.items():
        ax.semilogy(range(1, len(values) + 1), values, marker=".", label=label)
    ax.set_xlabel("time step t (the loss is computed at the last step)")
    ax.set_ylabel(r"$\|\partial L / \partial h_t\|$")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=9)
    return ax
