"""Typical mistakes in assignment 06-generation, used by `rnncourse demo` and the grading tests."""

TOP_P = (
    "def top_p_sample(logits, p, temperature, rng):\n"
    "    logits = np.asarray(logits, dtype=np.float64)\n"
    "{greedy}"
    "{probs}"
    "    order = np.argsort(-probs, kind='stable')\n"
    "    cum = np.cumsum(probs[order])\n"
    "    keep = order[{keep}]\n"
    "    kept = np.zeros_like(probs)\n"
    "    kept[keep] = probs[keep]\n"
    "    return int(rng.choice(len(kept), p=kept / kept.sum()))\n"
)
GREEDY = "    if temperature == 0:\n        return int(np.argmax(logits))\n"
ON_LOGITS = ("    z = logits / temperature\n"
             "    probs = np.exp(z - z.max())\n"
             "    probs /= probs.sum()\n")
ON_PROBS = ("    probs = np.exp(logits - logits.max())\n"
            "    probs /= probs.sum()\n"
            "    probs = probs / temperature\n"
            "    probs /= probs.sum()\n")
RIGHT_CUT = "cum - probs[order] < p"

GENERATE = (
    "def generate_batch(step_fn, starts, max_len, end_id, rng, sampler):\n"
    "    tokens = np.asarray(starts).copy()\n"
    "    outputs = [[] for _ in range(len(tokens))]\n"
    "    done = np.zeros(len(tokens), dtype=bool)\n"
    "    state = None\n"
    "    for _ in range(max_len):\n"
    "        logits, state = step_fn(tokens, state)\n"
    "        for row in range(len(tokens)):\n"
    "            if done[row] and {skip_done}:\n"
    "                continue\n"
    "            token = int(sampler(np.asarray(logits)[row], rng))\n"
    "            outputs[row].append(token)\n"
    "            tokens[row] = token\n"
    "            done[row] = done[row] or token == end_id\n"
    "{stop}"
    "    return outputs\n"
)
STOP = "        if done.all():\n            break\n"

PERPLEXITY = (
    "def perplexity(log_probs, mask):\n"
    "    log_probs = np.asarray(log_probs, dtype=np.float64)\n"
    "    mask = np.asarray(mask, dtype=np.float64)\n"
    "    return float({expr})\n"
)

BIGRAM = (
    "def bigram_model(corpus):\n"
    "    vocab = ['<s>', '</s>'] + sorted({{w for s in corpus for w in s}})\n"
    "    index = {{w: i for i, w in enumerate(vocab)}}\n"
    "    counts = np.zeros((len(vocab), len(vocab)), dtype=np.int64)\n"
    "    for s in corpus:\n"
    "        words = ['<s>'] + list(s) + ['</s>']\n"
    "        for a, b in zip(words[:-1], words[1:]):\n"
    "            counts[index[a], index[b]] += 1\n"
    "    probs = {probs}\n"
    "    return vocab, counts, probs\n"
)

REBER = (
    "def reber_string(rng):\n"
    "    grammar = [[('B', 1)], [('T', 2), ('P', 3)], [{state2}], [('T', 3), ('V', 5)],\n"
    "               [('X', 3), ('S', 6)], [('P', 4), ('V', 6)], [('E', None)]]\n"
    "    letters, state = [], 0\n"
    "    while state is not None:\n"
    "        letter, state = grammar[state][rng.integers(len(grammar[state]))]\n"
    "        letters.append(letter)\n"
    "    return ''.join(letters)\n"
    "\n"
    "\n"
    "def embedded_reber_string(rng):\n"
    "{embedded}"
)
STATE2 = "('S', 2), ('X', 4)"
EMBEDDED = ("    side = 'TP'[rng.integers(2)]\n"
            "    return 'B' + side + reber_string(rng) + side + 'E'\n")

CORRUPT = (
    "def corrupt(string, rng):\n"
    "    position = rng.integers(len(string))\n"
    "    letter = {letter}\n"
    "    return string[:position] + letter + string[position + 1:]\n"
)

CLASSIFIER = (
    "def reber_classifier():\n"
    "    model = keras.Sequential([\n"
    "        keras.Input(shape=(None,), dtype='int32'),\n"
    "        keras.layers.Embedding(8, 5, mask_zero=True),\n"
    "        keras.layers.GRU(32),\n"
    "        keras.layers.Dense(1, activation='sigmoid'),\n"
    "    ])\n"
    "    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01),\n"
    "                  loss='binary_crossentropy', metrics=['accuracy'], jit_compile=True)\n"
    "    return model\n"
    "\n"
    "\n"
    "rng = np.random.default_rng(42)\n"
    "valid = [embedded_reber_string(rng) for _ in range(N_TRAIN // 2)]\n"
    "invalid = [corrupt(embedded_reber_string(rng), rng) for _ in range(N_TRAIN // 2)]\n"
    "x_reber = encode_reber(valid + invalid)\n"
    "y_reber = np.array({labels})\n"
    "reber_model = reber_classifier()\n"
    "reber_model.fit(x_reber, y_reber, epochs=EPOCHS, batch_size=BATCH_SIZE, shuffle=True, verbose=0)\n"
)
RIGHT_LABELS = "[1] * len(valid) + [0] * len(invalid)"

VIDEO = (
    "def video_classifier(frames, height, width, channels, n_classes):\n"
    "    inputs = keras.Input(shape=(frames, height, width, channels))\n"
    "{body}"
    "    outputs = keras.layers.Dense(n_classes, activation='softmax')(x)\n"
    "    return keras.Model(inputs, outputs)\n"
)

MISTAKES = {
    "temperature-on-probabilities": {
        "why": "divides the probabilities by the temperature (a no-op after renormalising) "
               "instead of the logits",
        "cells": {"top_p_sample": TOP_P.format(greedy=GREEDY, probs=ON_PROBS, keep=RIGHT_CUT)},
        "fails": "test_top_p_sample",
        "says": "temperature was applied to probabilities instead of logits",
    },
    "temperature-zero-divides": {
        "why": "divides the logits by the temperature even when it is 0",
        "cells": {"top_p_sample": TOP_P.format(greedy="", probs=ON_LOGITS, keep=RIGHT_CUT)},
        "fails": "test_top_p_sample",
        "says": "division by zero at temperature 0",
    },
    "nucleus-too-early": {
        "why": "keeps only tokens whose running total stays within p, dropping the one that "
               "reaches p",
        "cells": {"top_p_sample": TOP_P.format(greedy=GREEDY, probs=ON_LOGITS, keep="cum <= p")},
        "fails": "test_top_p_sample",
        "says": "cut one token too early",
    },
    "nucleus-too-late": {
        "why": "keeps one token more than the nucleus (up to the one after the running total "
               "reaches p)",
        "cells": {"top_p_sample": TOP_P.format(
            greedy=GREEDY, probs=ON_LOGITS, keep="np.arange(len(cum)) <= np.searchsorted(cum, p) + 1")},
        "fails": "test_top_p_sample",
        "says": "cut one token too late",
    },
    "no-stop-at-end": {
        "why": "keeps sampling a sequence after it produced the end token",
        "cells": {"generate_batch": GENERATE.format(skip_done="False", stop=STOP)},
        "fails": "test_generate_batch",
        "says": "not stopping at the end token",
    },
    "runs-to-max-len": {
        "why": "stops each sequence at its end token but keeps calling the model until max_len",
        "cells": {"generate_batch": GENERATE.format(skip_done="True", stop="")},
        "fails": "test_generate_batch",
        "says": "not stopping when all sequences have reached the end token",
    },
    "padding-in-perplexity": {
        "why": "averages the log-probabilities over every position, padding included",
        "cells": {"perplexity": PERPLEXITY.format(expr="np.exp(-log_probs.mean())")},
        "fails": "test_perplexity",
        "says": "padding was counted",
    },
    "perplexity-base-2": {
        "why": "exponentiates natural-log cross-entropy with base 2",
        "cells": {"perplexity": PERPLEXITY.format(
            expr="2 ** (-(log_probs * mask).sum() / mask.sum())")},
        "fails": "test_perplexity",
        "says": "log base 2",
    },
    "perplexity-per-sequence-mean": {
        "why": "averages within each sequence, then over the batch (short sequences weigh more)",
        "cells": {"perplexity": PERPLEXITY.format(
            expr="np.exp(np.mean(-(log_probs * mask).sum(axis=1) / mask.sum(axis=1)))")},
        "fails": "test_perplexity",
        "says": "averaged wrongly",
    },
    "bigram-denominator-without-V": {
        "why": "adds one to every count but divides by the row total only (rows do not sum to 1)",
        "cells": {"bigram_model": BIGRAM.format(
            probs="(counts + 1) / np.maximum(counts.sum(axis=1, keepdims=True), 1)")},
        "fails": "test_bigram_model",
        "says": "the row sums of probs",
    },
    "reber-wrong-arrow": {
        "why": "state 2 loops on X instead of S (the generator produces strings the grammar rejects)",
        "cells": {"reber": REBER.format(state2="('X', 2), ('S', 4)", embedded=EMBEDDED)},
        "fails": "test_reber",
        "says": "strings the grammar rejects",
    },
    "embedded-letters-unmatched": {
        "why": "draws the two outer letters of the embedded string independently",
        "cells": {"reber": REBER.format(state2=STATE2, embedded=(
            "    return ('B' + 'TP'[rng.integers(2)] + reber_string(rng) + 'TP'[rng.integers(2)]"
            " + 'E')\n"))},
        "fails": "test_reber",
        "says": "embedded_reber_string produced",
    },
    "corrupt-may-keep-letter": {
        "why": "draws the new letter among all seven, so it is sometimes the old one",
        "cells": {"corrupt": CORRUPT.format(letter="'BEPSTVX'[rng.integers(7)]")},
        "fails": "test_corrupt",
        "says": "the corruption left the string valid",
    },
    "classifier-labels-swapped": {
        "why": "labels the valid strings 0 and the corrupted ones 1",
        "cells": {"reber_classifier": CLASSIFIER.format(labels="[0] * len(valid) + [1] * len(invalid)")},
        "fails": "test_reber_classifier",
        "says": "0.5 is guessing",
    },
    "video-conv-not-time-distributed": {
        "why": "puts a Conv3D over the clip instead of a TimeDistributed Conv2D per frame",
        "cells": {"video_classifier": VIDEO.format(body=(
            "    x = keras.layers.Conv3D(16, 3, activation='relu')(inputs)\n"
            "    x = keras.layers.TimeDistributed(keras.layers.GlobalAveragePooling2D())(x)\n"
            "    x = keras.layers.GRU(32)(x)\n"))},
        "fails": "test_video_classifier",
        "says": "no TimeDistributed(Conv2D)",
    },
    "video-no-recurrent-layer": {
        "why": "averages the frame features over time instead of reading them with a GRU",
        "cells": {"video_classifier": VIDEO.format(body=(
            "    x = keras.layers.TimeDistributed(keras.layers.Conv2D(16, 3, activation='relu'))(inputs)\n"
            "    x = keras.layers.TimeDistributed(keras.layers.MaxPooling2D())(x)\n"
            "    x = keras.layers.TimeDistributed(keras.layers.GlobalAveragePooling2D())(x)\n"
            "    x = keras.layers.GlobalAveragePooling1D()(x)\n"))},
        "fails": "test_video_classifier",
        "says": "no recurrent layer",
    },
}
