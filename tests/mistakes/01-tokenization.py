"""Typical mistakes in assignment 01-tokenization, used by `rnncourse demo` and the grading tests."""

MISTAKES = {
    "punctuation-to-space": {
        "why": "replaces punctuation by a space instead of deleting it ('don t')",
        "cells": {
            "standardize": (
                "import string\n\n\n"
                "def standardize(text):\n"
                "    for mark in string.punctuation:\n"
                "        text = text.replace(mark, ' ')\n"
                "    return text.lower()\n"
            ),
        },
        "fails": "test_standardize",
        "says": "no space instead of it",
    },
    "split-on-space": {
        "why": "splits on single spaces, leaving empty tokens and tabs inside tokens",
        "cells": {"tokenize": "def tokenize(text):\n    return standardize(text).split(' ')\n"},
        "fails": "test_tokenize",
        "says": "no empty tokens",
    },
    "ngrams-only-n": {
        "why": "returns only the grams of width n, missing the shorter grams",
        "cells": {
            "ngrams": (
                "def ngrams(tokens, n):\n"
                "    return [' '.join(tokens[i:i + n]) for i in range(len(tokens) - n + 1)]\n"
            ),
        },
        "fails": "test_ngrams",
        "says": "every width from 1 to n",
    },
    "no-reserved-indices": {
        "why": "forgets the reserved padding and OOV entries: every index is off by two",
        "cells": {
            "build_vocabulary": (
                "from collections import Counter\n\n\n"
                "def build_vocabulary(texts, max_tokens=None):\n"
                "    counts = Counter(t for text in texts for t in tokenize(text))\n"
                "    ranked = sorted(counts, key=lambda t: (counts[t], t), reverse=True)\n"
                "    return ranked if max_tokens is None else ranked[:max_tokens]\n"
            ),
        },
        "fails": "test_build_vocabulary",
        "says": "index 0 is the padding token",
    },
    "ties-alphabetical": {
        "why": "breaks ties between equal counts alphabetically (Keras reverses them)",
        "cells": {
            "build_vocabulary": (
                "from collections import Counter\n\n\n"
                "def build_vocabulary(texts, max_tokens=None):\n"
                "    counts = Counter(t for text in texts for t in tokenize(text))\n"
                "    ranked = sorted(counts, key=lambda t: (-counts[t], t))\n"
                "    vocabulary = ['', '[UNK]'] + ranked\n"
                "    return vocabulary if max_tokens is None else vocabulary[:max_tokens]\n"
            ),
        },
        "fails": "test_build_vocabulary",
        "says": "reverse alphabetical order",
    },
    "oov-dropped": {
        "why": "drops out-of-vocabulary tokens instead of mapping them to 1",
        "cells": {
            "texts_to_sequences": (
                "def texts_to_sequences(texts, vocabulary):\n"
                "    index = {t: i for i, t in enumerate(vocabulary)}\n"
                "    return [[index[t] for t in tokenize(text) if t in index] for text in texts]\n"
            ),
        },
        "fails": "test_texts_to_sequences",
        "says": "neither dropped nor 0",
    },
    "truncate-wrong-end": {
        "why": "truncating='pre' keeps the first maxlen tokens instead of the last",
        "cells": {
            "pad_sequences": (
                "def pad_sequences(sequences, maxlen=None, padding='pre', truncating='pre',\n"
                "                  value=0):\n"
                "    if maxlen is None:\n"
                "        maxlen = max(len(s) for s in sequences)\n"
                "    out = np.full((len(sequences), maxlen), value, dtype=np.int32)\n"
                "    for row, s in enumerate(sequences):\n"
                "        kept = list(s)[:maxlen] if truncating == 'pre' else list(s)[-maxlen:]\n"
                "        if not kept:\n"
                "            continue\n"
                "        if padding == 'pre':\n"
                "            out[row, maxlen - len(kept):] = kept\n"
                "        else:\n"
                "            out[row, :len(kept)] = kept\n"
                "    return out\n"
            ),
        },
        "fails": "test_pad_sequences",
        "says": "drops tokens at the BEGINNING",
    },
    "one-hot-off-by-one": {
        "why": "puts index i in column i - 1, as if indices started at 1",
        "cells": {
            "one_hot": (
                "def one_hot(sequence, depth):\n"
                "    out = np.zeros((len(sequence), depth), dtype=np.float32)\n"
                "    for t, i in enumerate(sequence):\n"
                "        out[t, i - 1] = 1.0\n"
                "    return out\n"
            ),
        },
        "fails": "test_one_hot",
        "says": "no shift by one",
    },
    "multi-hot-counts": {
        "why": "counts occurrences (and the padding) instead of marking presence",
        "cells": {
            "multi_hot": (
                "def multi_hot(sequences, depth):\n"
                "    out = np.zeros((len(sequences), depth), dtype=np.float32)\n"
                "    for row, s in enumerate(sequences):\n"
                "        for i in s:\n"
                "            out[row, i] += 1.0\n"
                "    return out\n"
            ),
        },
        "fails": "test_multi_hot",
        "says": "presence, not a count",
    },
    "salted-hash": {
        "why": "uses Python's built-in hash(), which is salted per process",
        "cells": {"hash_token": "def hash_token(token, dim):\n    return hash(token) % dim\n"},
        "fails": "test_hash_token",
        "says": "Python's hash(token)",
    },
    "hash-characters": {
        "why": "hashes the characters' code points instead of the UTF-8 bytes",
        "cells": {
            "hash_token": (
                "def hash_token(token, dim):\n"
                "    h = 2166136261\n"
                "    for ch in token:\n"
                "        h = ((h ^ ord(ch)) * 16777619) % 2**32\n"
                "    return h % dim\n"
            ),
        },
        "fails": "test_hash_token",
        "says": "not the characters' code points",
    },
    "multi-hot-marks-padding": {
        "why": "marks the padding index 0 as if it were a word",
        "cells": {
            "multi_hot": (
                "def multi_hot(sequences, depth):\n"
                "    out = np.zeros((len(sequences), depth), dtype=np.float32)\n"
                "    for row, s in enumerate(sequences):\n"
                "        out[row, list(s)] = 1.0\n"
                "    return out\n"
            ),
        },
        "fails": "test_multi_hot",
        "says": "never mark the padding index 0",
    },
}
