"""Print the load time of every offline dataset and the GloVe 50d benchmark figures.

Run: .venv/bin/python benchmarks/data_loading.py
"""

from __future__ import annotations

import time


def timed(label, load):
    """Run ``load``, print how long it took and what it returned; return the result."""
    start = time.perf_counter()
    result = load()
    seconds = time.perf_counter() - start
    print(f"{label:<34} {seconds:6.2f} s   {describe(result)}")
    return result


def describe(result) -> str:
    """A short description of a loader's result: sizes and shapes."""
    if isinstance(result, tuple) and len(result) == 2:
        first, second = result
        return f"{len(first):,} items / {getattr(second, 'shape', len(second))}"
    if hasattr(result, "vectors"):
        return f"KeyedVectors {result.vectors.shape}"
    if hasattr(result, "shape"):
        return f"frame {result.shape}"
    return f"{len(result):,} items"


def main() -> None:
    """Time each offline loader once (first load, cold caches), then evaluate GloVe 50d."""
    start = time.perf_counter()
    from rnncourse import data

    print(f"{'import rnncourse.data':<34} {time.perf_counter() - start:6.2f} s")
    start = time.perf_counter()
    import gensim.models  # noqa: F401  (the vectors and the corpus loaders need it)

    print(f"{'import gensim.models':<34} {time.perf_counter() - start:6.2f} s")
    timed('load_reviews("food", "train")', lambda: data.load_reviews("food", "train"))
    timed('load_corpus("lee")', lambda: data.load_corpus("lee"))
    timed('load_series("elecdemand")', lambda: data.load_series("elecdemand"))
    timed('load_digits("mnist-sample")', lambda: data.load_digits("mnist-sample"))
    timed('load_translation("dates", 10000)', lambda: data.load_translation("dates", 10_000))
    timed('load_translation("toy-fr", 10000)', lambda: data.load_translation("toy-fr", 10_000))
    kv = timed("load_glove(50)", lambda: data.load_glove(50))
    from rnncourse.lectures.embeddings import evaluate_vectors

    scores = timed("evaluate_vectors(glove 50d)", lambda: evaluate_vectors(kv, restrict_vocab=30_000))
    print("\nGloVe 6B 50d, top 30,000 words:")
    print(f"  Google analogy accuracy  {scores['analogy']:.3f}")
    print(f"  WordSim353 Spearman rho  {scores['wordsim353']:.3f}")
    print(f"  SimLex-999 Spearman rho  {scores['simlex999']:.3f}")


if __name__ == "__main__":
    main()
