"""Typical mistakes in assignment 03-simple-rnn, used by `rnncourse demo` and the grading tests."""

CELL = "def rnn_cell_forward(x_t, h_prev, W, U, b):\n    return {}\n"
FORWARD = (
    "def rnn_forward(X, h0, W, U, b, return_sequences=False):\n"
    "    h, states = h0, []\n"
    "    for t in range(X.shape[1]):\n"
    "        h = rnn_cell_forward({step}, h, W, U, b)\n"
    "        states.append(h)\n"
    "    {ret}\n"
)
CELL_BACKWARD = (
    "def rnn_cell_backward(dh_t, x_t, h_prev, h_t, W, U):\n"
    "    da = {da}\n"
    "    return da @ W.T, da @ U.T, x_t.T @ da, h_prev.T @ da, da.sum(axis=0)\n"
)
BACKWARD = (
    "def rnn_backward(X, h0, W, U, b, dh_last):\n"
    "    states = rnn_forward(X, h0, W, U, b, return_sequences=True)\n"
    "    dX = np.zeros_like(X)\n"
    "    dW, dU, db = np.zeros_like(W), np.zeros_like(U), np.zeros_like(b)\n"
    "    dh = dh_last\n"
    "    for t in reversed(range(X.shape[1])):\n"
    "        h_prev = states[:, t - 1] if t > 0 else h0\n"
    "        dx_t, dh_new, dW_t, dU_t, db_t = rnn_cell_backward(\n"
    "            dh, X[:, t], h_prev, states[:, t], W, U)\n"
    "        dX[:, t] = dx_t\n"
    "        {accumulate}\n"
    "        dh = dh_new\n"
    "    return dX, dh, dW, dU, db\n"
)
TAGGER = (
    "def tagger_model(vocab_size, num_tags, embedding_dim=16, units=32, num_layers=1):\n"
    "    model = keras.Sequential([keras.Input(shape=(None,), dtype='int32'),\n"
    "                              keras.layers.Embedding(vocab_size, embedding_dim{mask})])\n"
    "    for i in range(num_layers):\n"
    "        model.add(keras.layers.SimpleRNN(units{seq}))\n"
    "    model.add(keras.layers.Dense(num_tags{act}))\n"
    "    return model\n"
)
RIGHT = {"mask": ", mask_zero=True", "seq": ", return_sequences=True", "act": ", activation='softmax'"}
STACK = (
    "def stacked_rnn_param_count(input_dim, units, num_layers):\n"
    "    return num_layers * ({count})\n"
)


def tagger(**slip):
    """The tagger cell with one slip."""
    return TAGGER.format(**{**RIGHT, **slip})


MISTAKES = {
    "h-prev-times-W": {
        "why": "multiplies the previous state by W instead of the input (h_prev @ W)",
        "cells": {"rnn_cell_forward": CELL.format("np.tanh(h_prev @ W + h_prev @ U + b)")},
        "fails": "test_rnn_cell_forward",
        "says": "only the input term remains",
    },
    "forgot-bias": {
        "why": "forgets the bias inside the tanh",
        "cells": {"rnn_cell_forward": CELL.format("np.tanh(x_t @ W + h_prev @ U)")},
        "fails": "test_rnn_cell_forward",
        "says": "your bias term is wrong",
    },
    "pre-activation": {
        "why": "returns the pre-activation x W + h U + b (no tanh)",
        "cells": {"rnn_cell_forward": CELL.format("x_t @ W + h_prev @ U + b")},
        "fails": "test_rnn_cell_forward",
        "says": "pre-activation",
    },
    "wrong-time-axis": {
        "why": "reads step t as X[t], the batch axis, instead of X[:, t]",
        "cells": {"rnn_forward": FORWARD.format(
            step="X[t]",
            ret="return np.stack(states, axis=1) if return_sequences else h")},
        "fails": "test_rnn_forward",
        "says": "step t is X[:, t, :]",
    },
    "states-time-first": {
        "why": "stacks the states time-first, (time, batch, units)",
        "cells": {"rnn_forward": FORWARD.format(
            step="X[:, t, :]", ret="return np.stack(states) if return_sequences else h")},
        "fails": "test_rnn_forward",
        "says": "stack the states along axis 1",
    },
    "last-state-only": {
        "why": "returns only the last state even when sequences were asked for",
        "cells": {"rnn_forward": FORWARD.format(step="X[:, t, :]", ret="return h")},
        "fails": "test_rnn_forward",
        "says": "stack the states along axis 1",
    },
    "param-count-no-recurrent": {
        "why": "counts W and b but forgets the recurrent matrix U",
        "cells": {"stacked_rnn_param_count": STACK.format(count="input_dim * units + units")},
        "fails": "test_stacked_rnn_param_count",
        "says": "U (units x units)",
    },
    "stack-reads-input-dim": {
        "why": "counts every layer of the stack as if it read the input_dim features",
        "cells": {"stacked_rnn_param_count": STACK.format(
            count="input_dim * units + units * units + units")},
        "fails": "test_stacked_rnn_param_count",
        "says": "as if it read the 5 input features",
    },
    "no-tanh-derivative": {
        "why": "backpropagates through the cell without the tanh derivative 1 - h_t**2",
        "cells": {"rnn_cell_backward": CELL_BACKWARD.format(da="dh_t")},
        "fails": "test_rnn_cell_backward",
        "says": "the tanh derivative is missing",
    },
    "tanh-derivative-of-h-prev": {
        "why": "uses the derivative at the previous state, 1 - h_prev**2",
        "cells": {"rnn_cell_backward": CELL_BACKWARD.format(da="dh_t * (1 - h_prev ** 2)")},
        "fails": "test_rnn_cell_backward",
        "says": "does not match the finite-difference gradient",
    },
    "last-step-weights-only": {
        "why": "keeps the weight gradients of one step instead of summing over time",
        "cells": {"rnn_backward": BACKWARD.format(accumulate="dW, dU, db = dW_t, dU_t, db_t")},
        "fails": "test_rnn_backward",
        "says": "add up the gradients of all steps",
    },
    "stack-without-sequences": {
        "why": "stacks SimpleRNN layers without return_sequences",
        "cells": {"tagger_model": tagger(seq="")},
        "fails": "test_tagger_model",
        "says": "return_sequences=True",
    },
    "many-to-one-pattern": {
        "why": "copies the many-to-one stack: the last SimpleRNN returns only its last state",
        "cells": {"tagger_model": tagger(seq=", return_sequences=i < num_layers - 1")},
        "fails": "test_tagger_model",
        "says": "one tag distribution per word",
    },
    "linear-output": {
        "why": "ends with a linear Dense(num_tags): no softmax, so no probabilities",
        "cells": {"tagger_model": tagger(act="")},
        "fails": "test_tagger_model",
        "says": "softmax",
    },
    "no-mask": {
        "why": "leaves out mask_zero=True, so the padding changes the tags of the words",
        "cells": {"tagger_model": tagger(mask="")},
        "fails": "test_tagger_model",
        "says": "mask_zero=True",
    },
    "clipping-cures-it": {
        "why": "answers A (gradient clipping cures vanishing gradients)",
        "cells": {"knowledge_check": 'answer = "A"\n'},
        "fails": "test_knowledge_check",
        "says": "does not describe",
        "hidden": "a multiple-choice answer: a public test would give it away",
    },
}
