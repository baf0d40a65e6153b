"""Typical mistakes in assignment 04-lstm-gru, used by `rnncourse demo` and the grading tests.

Each mistake names the test cell whose public part must fail ("fails") and a phrase its
message must contain ("says").
"""

GRU_CELL = (
    "def gru_cell_forward(x_t, h_prev, kernel, recurrent_kernel, bias):\n"
    "    units = h_prev.shape[1]\n"
    "    xp = x_t @ kernel + bias[0]\n"
    "    hp = h_prev @ recurrent_kernel + bias[1]\n"
    "    gate = lambda a: 1.0 / (1.0 + np.exp(-a))\n"
    "    squash = np.tanh\n"
    "    Z, R, H = {blocks}\n"
    "    z = {gate}(xp[:, Z] + hp[:, Z])\n"
    "    r = {gate}(xp[:, R] + hp[:, R])\n"
    "    candidate = {squash}({candidate})\n"
    "    return {mix}\n"
)
ORDER = "slice(0, units), slice(units, 2 * units), slice(2 * units, 3 * units)"
SWAPPED_ORDER = "slice(units, 2 * units), slice(0, units), slice(2 * units, 3 * units)"
AFTER = "xp[:, H] + r * hp[:, H]"
MIX = "z * h_prev + (1.0 - z) * candidate"


def gru_cell(blocks=ORDER, gate="gate", squash="squash", candidate=AFTER, mix=MIX):
    """A GRU step answer with one part replaced."""
    return GRU_CELL.format(blocks=blocks, gate=gate, squash=squash, candidate=candidate, mix=mix)


GRU_FORWARD = (
    "def gru_forward(X, h0, kernel, recurrent_kernel, bias, mask=None, return_sequences=False):\n"
    "    h, states = h0, []\n"
    "    for t in range(X.shape[1]):\n"
    "        new = gru_cell_forward(X[:, t, :], h, kernel, recurrent_kernel, bias)\n"
    "        {update}\n"
    "        states.append(h)\n"
    "    return np.stack(states, axis=1) if return_sequences else h\n"
)
LSTM_BACKWARD = (
    "def lstm_cell_backward(dh_t, dc_t, x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):\n"
    "    sigmoid = lambda a: 1.0 / (1.0 + np.exp(-a))\n"
    "    a = x_t @ kernel + h_prev @ recurrent_kernel + bias\n"
    "    a_i, a_f, a_c, a_o = np.split(a, 4, axis=1)\n"
    "    i, f, g, o = sigmoid(a_i), sigmoid(a_f), np.tanh(a_c), sigmoid(a_o)\n"
    "    c_t = f * c_prev + i * g\n"
    "    tanh_c = np.tanh(c_t)\n"
    "    dc = {dc}\n"
    "    da = np.concatenate([dc * g * i * (1 - i), dc * {forget} * f * (1 - f),\n"
    "                         dc * i * (1 - g ** 2), dh_t * tanh_c * o * (1 - o)], axis=1)\n"
    "    return (da @ kernel.T, da @ recurrent_kernel.T, dc * f,\n"
    "            x_t.T @ da, h_prev.T @ da, da.sum(axis=0))\n"
)
BOTH_PATHS = "dc_t + dh_t * o * (1 - tanh_c ** 2)"
STACK = (
    "def bidirectional_stack(vocab_size, num_classes, embedding_dim=16, units=16, num_layers=2,\n"
    "                        cell='lstm'):\n"
    "    kind = {{'lstm': keras.layers.LSTM, 'gru': keras.layers.GRU}}[cell]\n"
    "    model = keras.Sequential([keras.Input(shape=(None,), dtype='int32'),\n"
    "                              keras.layers.Embedding(vocab_size, embedding_dim,\n"
    "                                                     mask_zero=True)])\n"
    "    for i in range(num_layers):\n"
    "        model.add(keras.layers.Bidirectional(kind(units{sequences})))\n"
    "    model.add(keras.layers.Dense(num_classes, activation='softmax'))\n"
    "    return model\n"
)
COUNT = (
    "def param_count(cell, units, input_dim, bidirectional=False):\n"
    "    blocks, biases = (4, 1) if cell == 'lstm' else (3, 2)\n"
    "    count = blocks * (input_dim * units + units * units + biases * units)\n"
    "    return {result}\n"
)

MISTAKES = {
    "gru-gates-out-of-order": {
        "why": "reads the GRU's column blocks as r, z, h instead of Keras' z, r, h",
        "cells": {"gru_cell_forward": gru_cell(blocks=SWAPPED_ORDER)},
        "fails": "test_gru_cell_forward",
        "says": "Keras' order of the three column blocks is z, r, h",
    },
    "gru-tanh-sigmoid-swapped": {
        "why": "uses tanh for the gates and the sigmoid for the candidate",
        "cells": {"gru_cell_forward": gru_cell(gate="squash", squash="gate")},
        "fails": "test_gru_cell_forward",
        "says": "tanh and sigmoid are swapped",
    },
    "gru-reset-before-matmul": {
        "why": "applies the reset gate to h_prev before the recurrent product (reset_after=False)",
        "cells": {"gru_cell_forward": gru_cell(
            candidate="xp[:, H] + (r * h_prev) @ recurrent_kernel[:, H] + bias[1, H]")},
        "fails": "test_gru_cell_forward",
        "says": "applied before the recurrent matmul",
    },
    "gru-update-roles-swapped": {
        "why": "returns (1 - z) * h_prev + z * candidate",
        "cells": {"gru_cell_forward": gru_cell(mix="(1.0 - z) * h_prev + z * candidate")},
        "fails": "test_gru_cell_forward",
        "says": "update gate's roles are swapped",
    },
    "mask-ignored": {
        "why": "steps on through padding as if the mask were not there",
        "cells": {"gru_forward": GRU_FORWARD.format(update="h = new")},
        "fails": "test_gru_forward",
        "says": "the mask is ignored",
    },
    "mask-resets-state": {
        "why": "sets the state to zero at masked steps instead of carrying it",
        "cells": {"gru_forward": GRU_FORWARD.format(
            update="h = new if mask is None else np.where(np.asarray(mask)[:, t, None], new, 0.0)")},
        "fails": "test_gru_forward",
        "says": "reset to zero at masked steps",
    },
    "lstm-no-carry-path": {
        "why": "drops the gradient that arrives through the carry c (dc_t) in the LSTM backward step",
        "cells": {"lstm_cell_backward": LSTM_BACKWARD.format(
            dc="dh_t * o * (1 - tanh_c ** 2)", forget="c_prev")},
        "fails": "test_lstm_cell_backward",
        "says": "misses the path through the carry c",
    },
    "lstm-forget-gradient-uses-c-t": {
        "why": "multiplies the forget gate's gradient by c_t instead of c_prev",
        "cells": {"lstm_cell_backward": LSTM_BACKWARD.format(dc=BOTH_PATHS, forget="c_t")},
        "fails": "test_lstm_cell_backward",
        "says": "your forget gate f's gradient is wrong",
    },
    "bidirectional-one-direction": {
        "why": "counts the parameters of one direction of a bidirectional layer",
        "cells": {"param_count": COUNT.format(result="count")},
        "fails": "test_param_count_bidirectional",
        "says": "count both directions",
    },
    "stack-without-sequences": {
        "why": "stacks bidirectional layers without return_sequences=True on the lower ones",
        "cells": {"bidirectional_stack": STACK.format(sequences="")},
        "fails": "test_bidirectional_stack",
        "says": "return_sequences=True",
    },
    "knowledge-check-wrong-choice": {
        "why": "blames the sigmoid for the slow GPU (choice A) instead of the step-by-step recurrence",
        "cells": {"knowledge_check": 'answer = "A"\n'},
        "fails": "test_knowledge_check",
        "says": "not why recurrent layers gain little from a GPU",
        "hidden": "a multiple-choice answer: a public test would give it away",
    },
}
