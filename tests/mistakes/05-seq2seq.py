"""Typical mistakes in assignment 05-seq2seq, used by `rnncourse demo` and the grading tests."""

TEACHER = (
    "def teacher_forcing_pairs(target_sequences, start_id, end_id, pad_id):\n"
    "    width = max(len(s) for s in target_sequences) + 1\n"
    "    rows_in = [{dec_in} for s in target_sequences]\n"
    "    rows_out = [{target} for s in target_sequences]\n"
    "    pad = lambda r: (r + [pad_id] * width)[:width]\n"
    "    return np.array([pad(r) for r in rows_in]), np.array([pad(r) for r in rows_out])\n"
)
GREEDY = (
    "def greedy_decode_batch(step_fn, encoder_states, start_id, end_id, max_len):\n"
    "    tokens, states = np.full(len(encoder_states), start_id), encoder_states\n"
    "    outputs = [[] for _ in range(len(encoder_states))]\n"
    "    done = np.zeros(len(encoder_states), dtype=bool)\n"
    "    for _ in range(max_len):\n"
    "        probs, states = step_fn(tokens, states)\n"
    "        tokens = np.asarray(probs).argmax(axis=-1)\n"
    "{body}"
    "    return outputs\n"
)
BEAM = (
    "def beam_search_decode(step_fn, initial_state, start_id, end_id, max_len, beam_width):\n"
    "    beams = [([], initial_state, {zero}, False)]\n"
    "    while not all(b[3] for b in beams):\n"
    "        candidates = []\n"
    "        for tokens, state, score, finished in beams:\n"
    "            if finished:\n"
    "                candidates.append((tokens, state, score, True))\n"
    "                continue\n"
    "            probs, new_state = step_fn(tokens[-1] if tokens else start_id, state)\n"
    "            for token, p in enumerate(np.asarray(probs, dtype=float)):\n"
    "                extended = tokens + [token]\n"
    "                with np.errstate(divide='ignore'):\n"
    "                    new_score = {combine}\n"
    "                candidates.append((extended, new_state, new_score, {finished}))\n"
    "        candidates.sort(key=lambda c: -c[2])\n"
    "        beams = candidates[:beam_width]\n"
    "    tokens, _, score, _ = beams[0]\n"
    "    return (tokens[:-1] if tokens and tokens[-1] == end_id else tokens), float(score)\n"
)
LOG_SUM = "score + np.log(p)"
LIMITED = "token == end_id or len(extended) >= max_len"
ATTENTION = (
    "def additive_attention(query, keys, values, mask, W1, W2, v):\n"
    "    scores = np.tanh((query @ W1)[:, :, None, :] + (keys @ W2)[:, None, :, :]) @ v\n"
    "{mask}"
    "    weights = np.exp(scores - scores.max(axis={axis}, keepdims=True))\n"
    "    weights = weights / weights.sum(axis={axis}, keepdims=True)\n"
    "    return weights @ values, weights\n"
)
APPLY_MASK = ("    if mask is not None:\n"
              "        scores = np.where(np.asarray(mask)[:, None, :], scores, -np.inf)\n")
BUILDER = (
    "def build_encoder_decoder(src_vocab, tgt_vocab, embed_dim=32, units=64):\n"
    "    source = keras.Input(shape=(None,), dtype='int32')\n"
    "    decoder_input = keras.Input(shape=(None,), dtype='int32')\n"
    "    x = keras.layers.Embedding(src_vocab, embed_dim, mask_zero=True)(source)\n"
    "    _, h, c = keras.layers.LSTM(units, return_state=True)(x)\n"
    "    y = keras.layers.Embedding(tgt_vocab, embed_dim, mask_zero=True)(decoder_input)\n"
    "    y = keras.layers.LSTM(units, return_sequences=True)({call})\n"
    "    probs = keras.layers.Dense(tgt_vocab, activation='softmax')(y)\n"
    "    return keras.Model([source, decoder_input], probs)\n"
)

MISTAKES = {
    "add-start-end-modifies-input": {
        "why": "inserts the tokens into the caller's list instead of building a new one",
        "cells": {"add_start_end": "def add_start_end(tokens, start, end):\n"
                                   "    tokens.insert(0, start)\n"
                                   "    tokens.append(end)\n"
                                   "    return tokens\n"},
        "fails": "test_add_start_end", "says": "the input list was modified",
    },
    "shift-wrong-way": {
        "why": "shifts the wrong way: decoder inputs end with the end token, targets begin with the start",
        "cells": {"teacher_forcing_pairs": TEACHER.format(dec_in="s + [end_id]", target="[start_id] + s")},
        "fails": "test_teacher_forcing_pairs", "says": "shifted the wrong way",
    },
    "end-token-in-decoder-inputs": {
        "why": "leaves the end token in the decoder inputs (start + sentence + end)",
        "cells": {"teacher_forcing_pairs": TEACHER.format(dec_in="[start_id] + s + [end_id]",
                                                          target="s + [end_id]")},
        "fails": "test_teacher_forcing_pairs", "says": "appears in decoder_inputs",
    },
    "encoder-states-not-passed": {
        "why": "starts the decoder from zeros: the encoder's states never reach it",
        "cells": {"build_encoder_decoder": BUILDER.format(call="y")},
        "fails": "test_build_encoder_decoder", "says": "does not start from the encoder's states",
    },
    "only-h-passed": {
        "why": "passes the encoder's h twice (initial_state=[h, h]) and drops the cell state c",
        "cells": {"build_encoder_decoder": BUILDER.format(call="y, initial_state=[h, h]")},
        "fails": "test_build_encoder_decoder", "says": "does not start from the encoder's states",
    },
    "no-stop-at-end-token": {
        "why": "decodes max_len steps for every sentence and never stops at the end token",
        "cells": {"greedy_decode_batch": GREEDY.format(
            body="        for row, token in enumerate(tokens):\n"
                 "            outputs[row].append(int(token))\n")},
        "fails": "test_greedy_decode_batch", "says": "kept decoding after its end token",
    },
    "stop-batch-at-first-end": {
        "why": "stops the whole batch as soon as one sentence writes its end token",
        "cells": {"greedy_decode_batch": GREEDY.format(
            body="        if (tokens == end_id).any():\n"
                 "            break\n"
                 "        for row, token in enumerate(tokens):\n"
                 "            outputs[row].append(int(token))\n")},
        "fails": "test_greedy_decode_batch", "says": "stopped before its own end token",
    },
    "beam-multiplies-probabilities": {
        "why": "scores beams by multiplying probabilities instead of summing log-probabilities",
        "cells": {"beam_search_decode": BEAM.format(zero="1.0", combine="score * p", finished=LIMITED)},
        "fails": "test_beam_search_decode", "says": "you multiplied probabilities",
    },
    "beam-sums-probabilities": {
        "why": "scores beams by summing probabilities, without the log",
        "cells": {"beam_search_decode": BEAM.format(zero="0.0", combine="score + p", finished=LIMITED)},
        "fails": "test_beam_search_decode", "says": "without the log",
    },
    "beam-not-length-limited": {
        "why": "finishes a hypothesis only at the end token, so beams grow without a length limit",
        "cells": {"beam_search_decode": BEAM.format(zero="0.0", combine=LOG_SUM, finished="token == end_id")},
        "fails": "test_beam_search_length", "says": "not length-limited",
    },
    "attention-mask-ignored": {
        "why": "ignores the mask, so padded keys get attention weight",
        "cells": {"additive_attention": ATTENTION.format(mask="", axis=-1)},
        "fails": "test_additive_attention_mask", "says": "the mask is ignored",
    },
    "softmax-wrong-axis": {
        "why": "takes the softmax over the queries (axis 1) instead of the keys",
        "cells": {"additive_attention": ATTENTION.format(mask=APPLY_MASK, axis=1)},
        "fails": "test_additive_attention", "says": "the softmax runs over the wrong axis",
    },
}
