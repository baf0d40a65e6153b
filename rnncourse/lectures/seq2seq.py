"""Encoder-decoder translation for the seq2seq lecture: data, GRU models, decoding, plots.

The lecture trains these models and measures them; the graded exercises (teacher-forcing pairs from
ids, an LSTM builder, beam search over a step function, additive attention, batched greedy decoding
that stops each sentence early) are not here.
"""

from __future__ import annotations

import dataclasses
import re
import time

import numpy as np

from .plots import mean_with_range

PAD, UNK, START, END = "", "[UNK]", "<s>", "</s>"
SPACE = "_"  # how a space is written in character-level token strings
WORD = re.compile(r"\w+|[^\w\s]")


def tokens(text: str, level: str) -> list[str]:
    """Lower-cased words and punctuation marks ("word"), or characters with "_" for a space."""
    if level == "word":
        return WORD.findall(text.lower())
    if level == "character":
        return [SPACE if ch == " " else ch for ch in text]
    raise ValueError(f"level must be 'word' or 'character', got {level!r}")


def detokenize(pieces: list[str], level: str) -> str:
    """Join tokens back into text (word level: spaces between tokens; characters: glued)."""
    if level == "character":
        return "".join(" " if p == SPACE else p for p in pieces)
    return " ".join(pieces)


@dataclasses.dataclass
class Pairs:
    """Sentence pairs as padded id arrays, with the vectorizers that made them."""

    level: str
    sources: list[str]
    targets: list[str]
    src: np.ndarray  # (pairs, source steps) int32, 0 = padding
    dec_in: np.ndarray  # (pairs, target steps): <s> y1 ... yn, then padding
    dec_out: np.ndarray  # (pairs, target steps): y1 ... yn </s>, then padding
    src_vocab: list[str]
    tgt_vocab: list[str]

    @property
    def start_id(self) -> int:
        """Id of the start token in the target vocabulary."""
        return self.tgt_vocab.index(START)

    @property
    def end_id(self) -> int:
        """Id of the end token in the target vocabulary."""
        return self.tgt_vocab.index(END)

    def subset(self, rows) -> Pairs:
        """The pairs at the given row indices (same vocabularies)."""
        rows = np.asarray(rows)
        return dataclasses.replace(
            self, sources=[self.sources[i] for i in rows], targets=[self.targets[i] for i in rows],
            src=self.src[rows], dec_in=self.dec_in[rows], dec_out=self.dec_out[rows])

    def target_text(self, ids) -> str:
        """Text of target ids, stopping at the end token and skipping padding and <s>."""
        out = []
        for i in ids:
            if i == self.end_id:
                break
            if i not in (0, self.start_id):
                out.append(self.tgt_vocab[i])
        return detokenize(out, self.level)


def vectorize(pairs, level="word", max_tokens=None, train_rows=None) -> Pairs:
    """Tokenize pairs and map tokens to ids with keras.layers.TextVectorization.

    Vocabularies are adapted on train_rows only (all rows when None); tokens outside them become
    [UNK]. Decoder inputs start with <s>; decoder targets end with </s> (teacher forcing).
    """
    import keras

    sources = [s for s, _ in pairs]
    targets = [t for _, t in pairs]
    src_text = [" ".join(tokens(s, level)) for s in sources]
    tgt_tok = [tokens(t, level) for t in targets]
    fit = range(len(pairs)) if train_rows is None else train_rows

    def layer(texts):
        vec = keras.layers.TextVectorization(max_tokens=max_tokens, standardize=None,
                                             split="whitespace", output_mode="int")
        vec.adapt([texts[i] for i in fit])
        return vec

    src_vec = layer(src_text)
    tgt_vec = layer([" ".join([START] + t + [END]) for t in tgt_tok])
    src = np.asarray(src_vec(src_text), dtype="int32")
    dec_in = np.asarray(tgt_vec([" ".join([START] + t) for t in tgt_tok]), dtype="int32")
    dec_out = np.asarray(tgt_vec([" ".join(t + [END]) for t in tgt_tok]), dtype="int32")
    width = max(dec_in.shape[1], dec_out.shape[1])
    dec_in = np.pad(dec_in, ((0, 0), (0, width - dec_in.shape[1])))
    dec_out = np.pad(dec_out, ((0, 0), (0, width - dec_out.shape[1])))
    return Pairs(level, sources, targets, src, dec_in, dec_out,
                 src_vec.get_vocabulary(), tgt_vec.get_vocabulary())


def common_word_pairs(pairs, min_words: int, max_words: int, vocab: int) -> list[tuple[str, str]]:
    """Pairs of min_words..max_words English words whose tokens, on both sides, are all among the
    `vocab` most frequent tokens of that side (counted over the pairs of that length).

    Keeping only common words lets a small model learn every word it is asked to translate, so its
    errors come from the model rather than from words it saw once or never.
    """
    import collections

    sized = [(e, s) for e, s in pairs if min_words <= len(e.split()) <= max_words]
    common = []
    for side in (0, 1):
        counts = collections.Counter(w for pair in sized for w in tokens(pair[side], "word"))
        common.append({w for w, _ in counts.most_common(vocab)})
    return [(e, s) for e, s in sized
            if set(tokens(e, "word")) <= common[0] and set(tokens(s, "word")) <= common[1]]


def split(sources: list[str], test: int, val: int, seed: int = 0):
    """Row indices (train, val, test) split by source sentence: no test source is seen in training.

    Tatoeba often lists several translations of one English sentence; all its rows go to the same
    side. Validation and test keep one row per distinct source sentence.
    """
    distinct = sorted(set(sources))
    order = np.random.default_rng(seed).permutation(len(distinct))
    test_src = {distinct[i] for i in order[:test]}
    val_src = {distinct[i] for i in order[test:test + val]}
    first: dict[str, int] = {}
    for row, source in enumerate(sources):
        first.setdefault(source, row)
    train = np.array([r for r, s in enumerate(sources) if s not in test_src and s not in val_src])
    val_rows = np.array(sorted(first[s] for s in val_src), dtype=int)
    test_rows = np.array(sorted(first[s] for s in test_src), dtype=int)
    return train, val_rows, test_rows


def references(sources: list[str], all_pairs, level: str) -> list[list[str]]:
    """Every translation of each source sentence found in all_pairs, in the model's tokenized form."""
    found: dict[str, list[str]] = {}
    for source, target in all_pairs:
        found.setdefault(source, []).append(detokenize(tokens(target, level), level))
    return [sorted(set(found[s])) for s in sources]


@dataclasses.dataclass
class Seq2Seq:
    """A trained encoder-decoder: the training model and two inference models sharing its weights."""

    model: object  # [source ids, decoder inputs] -> logits (batch, target steps, vocab)
    encoder: object  # source ids -> context (state; or [encoder outputs, state] with attention)
    decoder: object  # one step: [token, state(, encoder outputs, source ids)] -> [logits, state(, weights)]
    attention: bool
    history: dict | None = None
    seconds: float = 0.0


def build(src_vocab: int, tgt_vocab: int, embed_dim: int = 64, units: int = 128,
          attention: bool = False) -> Seq2Seq:
    """A GRU encoder-decoder, with or without Luong (dot-product) attention, plus inference models."""
    import keras
    from keras import layers

    src = keras.Input(shape=(None,), dtype="int32", name="source")
    tgt = keras.Input(shape=(None,), dtype="int32", name="decoder_input")
    enc_embed = layers.Embedding(src_vocab, embed_dim, mask_zero=True, name="enc_embed")
    enc_gru = layers.GRU(units, return_sequences=True, return_state=True, name="encoder")
    dec_embed = layers.Embedding(tgt_vocab, embed_dim, mask_zero=True, name="dec_embed")
    dec_gru = layers.GRU(units, return_sequences=True, return_state=True, name="decoder")
    attend = layers.Attention(name="attention")  # Luong: score = decoder state . encoder output
    mix = layers.Dense(units, activation="tanh", name="attentional")
    vocab_out = layers.Dense(tgt_vocab, name="logits")

    def head(dec_seq, enc_seq, src_ids):
        """Decoder outputs -> logits (and attention weights when attention is on)."""
        if not attention:
            return vocab_out(dec_seq), None
        src_mask = keras.ops.not_equal(src_ids, 0)  # (batch, source steps)
        context, weights = attend([dec_seq, enc_seq], mask=[None, src_mask],
                                  return_attention_scores=True)
        return vocab_out(mix(layers.Concatenate()([dec_seq, context]))), weights

    enc_seq, enc_state = enc_gru(enc_embed(src))  # (batch, Ts, units), (batch, units)
    dec_seq, _ = dec_gru(dec_embed(tgt), initial_state=enc_state)  # the context vector starts it
    logits, _ = head(dec_seq, enc_seq, src)
    model = keras.Model([src, tgt], logits, name="attention_seq2seq" if attention else "seq2seq")

    # Inference: the same layer objects, so the same trained weights, wired for one step at a time.
    token = keras.Input(shape=(1,), dtype="int32", name="token")
    state_in = keras.Input(shape=(units,), name="state")
    step_seq, state_out = dec_gru(dec_embed(token), initial_state=state_in)
    if attention:
        enc_seq_in = keras.Input(shape=(None, units), name="encoder_outputs")
        src_in = keras.Input(shape=(None,), dtype="int32", name="source_ids")
        step_logits, weights = head(step_seq, enc_seq_in, src_in)
        encoder = keras.Model(src, [enc_seq, enc_state], name="encoder")
        decoder = keras.Model([token, state_in, enc_seq_in, src_in],
                              [step_logits[:, 0], state_out, weights[:, 0]], name="decoder_step")
    else:
        step_logits, _ = head(step_seq, None, None)
        encoder = keras.Model(src, enc_state, name="encoder")
        decoder = keras.Model([token, state_in], [step_logits[:, 0], state_out], name="decoder_step")
    return Seq2Seq(model, encoder, decoder, attention)


def train(net: Seq2Seq, train_pairs: Pairs, val_pairs: Pairs, epochs: int, batch_size: int = 64,
          learning_rate: float = 3e-3, verbose: int = 0, patience: int | None = None) -> Seq2Seq:
    """Teacher-forced training with padding ignored in the loss; keeps the best val-loss weights.

    With patience None every model runs all its epochs (the same number of updates for every
    model compared), and the weights of its best validation epoch are kept.
    """
    import keras

    net.model.compile(optimizer=keras.optimizers.Adam(learning_rate, global_clipnorm=1.0),
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=0))
    stop = keras.callbacks.EarlyStopping(patience=epochs if patience is None else patience,
                                         restore_best_weights=True)
    began = time.perf_counter()
    fit = net.model.fit([train_pairs.src, train_pairs.dec_in], train_pairs.dec_out,
                        validation_data=([val_pairs.src, val_pairs.dec_in], val_pairs.dec_out),
                        epochs=epochs, batch_size=batch_size, callbacks=[stop], verbose=verbose)
    net.history, net.seconds = fit.history, time.perf_counter() - began
    return net


def unigram_loss(train_pairs: Pairs, val_pairs: Pairs) -> float:
    """Validation cross-entropy per token of a model that ignores the source and the prefix.

    It predicts every target token from its frequency in the training targets (add-one smoothed).
    A translator whose validation loss does not fall clearly below it has learned nothing from the
    source: the sequence counterpart of a classifier stuck at the majority class.
    """
    vocab = len(train_pairs.tgt_vocab)
    counts = np.bincount(train_pairs.dec_out[train_pairs.dec_out != 0], minlength=vocab)[1:] + 1.0
    logp = np.log(counts / counts.sum())
    seen = val_pairs.dec_out[val_pairs.dec_out != 0]
    return float(-logp[seen - 1].mean())


def _log_softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def decode(net: Seq2Seq, src: np.ndarray, start_id: int, end_id: int, max_len: int,
           width: int = 1, batch_size: int = 256, keep_weights: bool = False):
    """Translate a batch of source id rows; width 1 is greedy, width > 1 a beam of that width.

    Every sentence runs max_len steps; its output is cut at its first end token afterwards.
    Returns (ids (n, max_len), log-probabilities (n,)) and, with keep_weights, the attention
    weights (n, max_len, source steps) of the kept hypothesis.
    """
    outs, scores, maps = [], [], []
    for lo in range(0, len(src), batch_size):
        o, s, w = _decode_block(net, src[lo:lo + batch_size], start_id, end_id, max_len, width)
        outs.append(o)
        scores.append(s)
        maps.append(w)
    ids, logp = np.concatenate(outs), np.concatenate(scores)
    if keep_weights and net.attention:
        return ids, logp, np.concatenate(maps)
    return ids, logp


def _decode_block(net, src, start_id, end_id, max_len, width):
    """decode() on one block: beams kept as rows (sentence, beam) of one decoder batch."""
    n = len(src)
    context = net.encoder(src, training=False)
    if net.attention:
        enc_seq, state = (np.asarray(c) for c in context)
        enc_seq = np.repeat(enc_seq, width, axis=0)
        src_rows = np.repeat(src, width, axis=0)
    else:
        state = np.asarray(context)
    state = np.repeat(state, width, axis=0)  # (n * width, units)
    score = np.full((n, width), -np.inf)
    score[:, 0] = 0.0  # one live hypothesis per sentence at the start
    done = np.zeros((n, width), dtype=bool)
    ids = np.zeros((n, width, max_len), dtype="int32")
    weights = np.zeros((n, width, max_len, src.shape[1]), dtype="float32")
    token = np.full((n * width, 1), start_id, dtype="int32")
    for t in range(max_len):
        if net.attention:
            logits, state, attn = net.decoder([token, state, enc_seq, src_rows], training=False)
            attn = np.asarray(attn).reshape(n, width, -1)
        else:
            logits, state = net.decoder([token, state], training=False)
        logp = _log_softmax(np.asarray(logits, dtype="float64")).reshape(n, width, -1)
        vocab = logp.shape[-1]
        logp[done] = -np.inf
        logp[done, 0] = 0.0  # a finished hypothesis only continues with padding, at no cost
        total = (score[:, :, None] + logp).reshape(n, width * vocab)
        best = np.argsort(-total, axis=1, kind="stable")[:, :width]  # (n, width)
        beam, word = best // vocab, best % vocab
        rows = np.arange(n)[:, None]
        score = total[rows, best]
        ids = ids[rows, beam]
        weights = weights[rows, beam]
        was_done = done[rows, beam]
        ids[:, :, t] = np.where(was_done, 0, word)
        if net.attention:
            weights[:, :, t] = np.where(was_done[..., None], 0.0, attn[rows, beam])
        done = was_done | (word == end_id)
        state = np.asarray(state).reshape(n, width, -1)[rows, beam].reshape(n * width, -1)
        token = ids[:, :, t].reshape(-1, 1)
        if done.all():
            break
    top = np.argmax(score, axis=1)
    pick = np.arange(n)
    return ids[pick, top], score[pick, top], weights[pick, top]


def texts(pairs: Pairs, ids: np.ndarray) -> list[str]:
    """Decoded id rows as strings (cut at the end token)."""
    return [pairs.target_text(row) for row in ids]


def bleu_and_exact(hypotheses: list[str], refs) -> tuple[float, float]:
    """Corpus BLEU from sacrebleu (its default 13a tokenizer) and the exact-match rate.

    refs holds one reference string per hypothesis, or a list of references per hypothesis (a
    hypothesis matches exactly when it equals any of them). Both sides are already tokenized the
    same way, so sacrebleu's "forgot to detokenize" warning does not apply (force=True).
    """
    import sacrebleu

    refs = [[r] if isinstance(r, str) else list(r) for r in refs]
    most = max(len(r) for r in refs)
    # sacrebleu wants as many reference streams as the longest list: repeat a sentence's own
    # references to fill them (a repeated reference changes neither n-gram counts nor lengths).
    streams = [[r[i % len(r)] for r in refs] for i in range(most)]
    bleu = sacrebleu.corpus_bleu(hypotheses, streams, force=True).score
    exact = float(np.mean([h.strip() in {x.strip() for x in r} for h, r in zip(hypotheses, refs)]))
    return bleu, exact


def reference_texts(pairs: Pairs) -> list[str]:
    """The references in the same tokenized form the model writes (so BLEU compares like with like)."""
    return [detokenize(tokens(t, pairs.level), pairs.level) for t in pairs.targets]


def error_by_position(net: Seq2Seq, pairs: Pairs, free_ids: np.ndarray, positions: int):
    """Token error rate at each output position: teacher-forced vs free-running (greedy) decoding.

    Position t counts the sentences whose reference has a token (or </s>) at t.
    """
    logits = net.model.predict([pairs.src, pairs.dec_in], verbose=0, batch_size=256)
    forced = logits.argmax(-1)
    ref = pairs.dec_out
    width = min(positions, ref.shape[1], free_ids.shape[1])
    real = ref[:, :width] != 0
    forced_err = (forced[:, :width] != ref[:, :width]) & real
    free_err = (free_ids[:, :width] != ref[:, :width]) & real
    counts = real.sum(0)
    return forced_err.sum(0) / np.maximum(counts, 1), free_err.sum(0) / np.maximum(counts, 1), counts


def bleu_by_length(hypotheses: list[str], refs, lengths, bins) -> list[float]:
    """Corpus BLEU of the sentences whose source length falls in each bin (lo, hi), both inclusive."""
    lengths = np.asarray(lengths)
    scores = []
    for lo, hi in bins:
        rows = np.where((lengths >= lo) & (lengths <= hi))[0]
        scores.append(bleu_and_exact([hypotheses[r] for r in rows], [refs[r] for r in rows])[0])
    return scores


def plot_by_length(ax, labels: list[str], scores: dict, xlabel: str = "source length") -> None:
    """Mean over seeds with a min-max band, one line per model; scores[name] is (seeds, bins)."""
    for name, table in scores.items():
        mean_with_range(ax, np.arange(len(labels)), table, label=name)
    ax.set_xticks(range(len(labels)), labels)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("BLEU (mean over seeds, band = min..max)")
    ax.legend()


def plot_attention(ax, weights: np.ndarray, source: list[str], output: list[str]) -> None:
    """Heat map of one sentence's attention: rows = output tokens, columns = source tokens."""
    ax.imshow(weights[:len(output), :len(source)], cmap="viridis", vmin=0, vmax=1, aspect="auto")
    ax.set_xticks(range(len(source)), source, rotation=60, fontsize=8)
    ax.set_yticks(range(len(output)), output, fontsize=8)
    ax.set_xlabel("source")
    ax.set_ylabel("output")


def draw_encoder_decoder(ax, source: list[str], target: list[str], image: bool = False) -> None:
    """Boxes and arrows: an encoder reading the source, one context, a decoder feeding outputs back."""
    from matplotlib.patches import FancyBboxPatch

    def box(x, y, text, color, w=0.9, h=0.5):
        ax.add_patch(FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0.03",
                                    facecolor=color, edgecolor="0.3"))
        ax.text(x, y, text, ha="center", va="center", fontsize=9)

    def arrow(a, b, color="0.3"):
        ax.annotate("", xy=b, xytext=a, arrowprops={"arrowstyle": "-|>", "color": color, "lw": 1.2})

    n = len(source)
    if image:
        box(0.5, 1.2, "CNN\n(image)", "#dbe9f6", w=1.2, h=1.0)
        last = 0.5
    else:
        for i, word in enumerate(source):
            box(i * 1.1, 0, word, "#dbe9f6")
            box(i * 1.1, 1.2, "enc", "#fde3c8")
            arrow((i * 1.1, 0.25), (i * 1.1, 0.95))
            if i:
                arrow(((i - 1) * 1.1 + 0.45, 1.2), (i * 1.1 - 0.45, 1.2))
        last = (n - 1) * 1.1
    cx = last + 1.4
    box(cx, 1.2, "context", "#f4cccc", w=1.0)
    arrow((last + 0.5, 1.2), (cx - 0.5, 1.2), "#c0392b")
    fed = [START] + target
    for j, word in enumerate(fed):
        x = cx + 1.4 + j * 1.1
        box(x, 0, word, "#dbe9f6")
        box(x, 1.2, "dec", "#fde3c8")
        box(x, 2.4, (target + [END])[j], "#d9f0d3")
        arrow((x, 0.25), (x, 0.95))
        arrow((x, 1.45), (x, 2.15))
        arrow((x - 1.1 + 0.45 if j else cx + 0.5, 1.2), (x - 0.45, 1.2), "#c0392b" if not j else "0.3")
        if j + 1 < len(fed):
            arrow((x + 0.3, 2.15), (x + 1.1 - 0.3, 0.25), "#7f8c8d")  # the output is the next input
    ax.set_xlim(-0.7, cx + 1.4 + len(fed) * 1.1)
    ax.set_ylim(-0.5, 2.9)
    ax.axis("off")
