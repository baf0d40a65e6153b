"""Real datasets for the course: offline defaults from installed packages, full sets on request.

Nothing here touches the network unless a caller asks for a download dataset (``source=`` or a
download name such as ``"imdb"``); see ``rnncourse data`` for the table.
"""

from .census_names import load_names, name_frequencies
from .digits import load_digits
from .news import load_news
from .registry import DATASETS, DatasetError, data_home, record
from .series import load_series, windows
from .shakespeare import load_shakespeare
from .text import load_corpus, load_reviews
from .translation import load_translation
from .vectors import keyed_vectors, load_glove, word_benchmark_path

__all__ = [
    "DATASETS", "DatasetError", "data_home", "record",
    "load_corpus", "load_reviews", "load_series", "windows", "load_digits", "load_translation",
    "load_news", "load_names", "name_frequencies", "load_shakespeare",
    "keyed_vectors", "load_glove", "word_benchmark_path",
]
