"""Unit 5 (seq2seq): the shipped Tatoeba pairs load offline, and the lecture's helpers behave."""

from __future__ import annotations

import json
import socket

import numpy as np
import pytest
import tomllib

from rnncourse import data
from rnncourse.data import registry
from rnncourse.data.translation import tatoeba_attributed
from rnncourse.lectures import seq2seq as s2s

UNIT = "05-seq2seq"
EXERCISES = ("def add_start_end", "def teacher_forcing_pairs", "def build_encoder_decoder",
             "def greedy_decode_batch", "def beam_search_decode", "def additive_attention",
             "AdditiveAttention", "layers.LSTM")


def test_spanish_pairs_load_with_the_network_off(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("loading the shipped pairs opened a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    pairs = data.load_translation("spa-eng")
    assert len(pairs) == 140_868
    assert pairs[0] == ("Go.", "Ve.")
    assert all(isinstance(e, str) and isinstance(s, str) and e and s for e, s in pairs)
    sample = data.load_translation("spa-eng", n=50, seed=3)
    assert sample == data.load_translation("spa-eng", n=50, seed=3) and len(sample) == 50
    assert sample != data.load_translation("spa-eng", n=50, seed=4)


def test_every_shipped_pair_keeps_its_attribution():
    triples = tatoeba_attributed()
    assert len(triples) == 140_868
    assert all(credit.startswith("CC-BY 2.0 (France) Attribution: tatoeba.org #") for *_, credit in triples)


def test_the_pairs_and_their_licence_note_are_package_data(root):
    files = root / "rnncourse" / "data" / "files"
    note = (files / "SPA-ENG-ATTRIBUTION.md").read_text()
    assert "CC BY 2.0 FR" in note and "tatoeba.org" in note and "140,868" in note
    assert (files / "spa-eng.tsv.gz").stat().st_size < 6_000_000
    config = tomllib.loads((root / "pyproject.toml").read_text())
    declared = config["tool"]["setuptools"]["package-data"]["rnncourse.data"]
    assert "files/*.tsv.gz" in declared and "files/*.md" in declared
    assert any(dep.startswith("sacrebleu") for dep in config["project"]["dependencies"])


def test_registry_lists_the_offline_pairs_and_the_download():
    assert registry.record("spa-eng").mode == "offline"
    assert registry.record("spa-eng").status() == "installed"
    anki = registry.record("spa-eng-anki")
    assert anki.mode == "download" and anki.offline_default == 'load_translation("spa-eng")'
    with pytest.raises(ValueError, match="only 'spa-eng' has a download"):
        data.load_translation("dates", source="download")
    with pytest.raises(ValueError, match="valid: 'installed', 'download'"):
        data.load_translation("spa-eng", source="web")


def test_tokens_round_trip():
    assert s2s.tokens("¿Lo viste?", "word") == ["¿", "lo", "viste", "?"]
    assert s2s.detokenize(s2s.tokens("12 May 1987", "character"), "character") == "12 May 1987"
    with pytest.raises(ValueError, match="'word' or 'character'"):
        s2s.tokens("x", "byte")


@pytest.fixture(scope="module")
def dates():
    pairs = data.load_translation("dates", n=120, seed=1)
    return s2s.vectorize(pairs, "character")


def test_vectorize_makes_teacher_forcing_arrays(dates):
    assert dates.dec_in.shape == dates.dec_out.shape
    assert (dates.dec_in[:, 0] == dates.start_id).all()
    assert ((dates.dec_out == dates.end_id).sum(axis=1) == 1).all()
    assert not (dates.dec_in == dates.end_id).any() and not (dates.dec_out == dates.start_id).any()
    inner = dates.dec_in[:, 1:]
    np.testing.assert_array_equal(inner[inner != 0], dates.dec_out[:, :-1][inner != 0])
    assert dates.target_text(dates.dec_out[0]) == dates.targets[0]


def replay(net, dates, src_row, ids, attention):
    """Feed ids to the step decoder one by one: (greedy choice at each step, summed log-probability)."""
    context = net.encoder(src_row)
    if attention:
        enc_seq, state = (np.asarray(c) for c in context)
    else:
        state = np.asarray(context)
    token, total, choices = dates.start_id, 0.0, []
    for chosen in ids:
        extra = [enc_seq, src_row] if attention else []
        logits, state = net.decoder([np.array([[token]]), state] + extra)[:2]
        state = np.asarray(state)
        logits = np.asarray(logits[0], dtype="float64")
        shifted = logits - logits.max()
        total += shifted[chosen] - np.log(np.exp(shifted).sum())
        choices.append(int(logits.argmax()))
        token = int(chosen)
        if chosen == dates.end_id:
            break
    return choices, total


@pytest.mark.parametrize("attention", [False, True])
def test_decode_width_one_is_greedy_and_scores_are_log_probabilities(dates, attention):
    import keras

    keras.utils.set_random_seed(0)
    net = s2s.build(len(dates.src_vocab), len(dates.tgt_vocab), 8, 16, attention=attention)
    src = dates.src[:4]
    for width in (1, 3):
        ids, logp = s2s.decode(net, src, dates.start_id, dates.end_id, max_len=5, width=width)
        for row in range(len(src)):
            choices, total = replay(net, dates, src[row:row + 1], ids[row], attention)
            assert np.isclose(logp[row], total, atol=1e-4)
            if width == 1:
                assert choices == [int(t) for t in ids[row][:len(choices)]]


def test_bleu_and_exact_come_from_sacrebleu():
    bleu, exact = s2s.bleu_and_exact(["tengo frío .", "lo vi en la casa de tom"],
                                     ["tengo frío .", "lo vi ayer en la casa de tom"])
    assert exact == 0.5 and 0 < bleu < 100
    assert np.allclose(s2s.bleu_and_exact(["a b c d e"], ["a b c d e"]), (100.0, 1.0))


def test_common_word_pairs_keep_lengths_and_common_words_only():
    pairs = [("I see a cat.", "Veo un gato."), ("I see a dog.", "Veo un perro."),
             ("I see a gnu.", "Veo un ñu."), ("I see.", "Ya veo."), ("I see a cat now.", "Veo un gato.")]
    kept = s2s.common_word_pairs(pairs, 3, 4, vocab=6)
    # 4-word pairs only; 'gnu' (once in English) and 'ñu' fall outside the 6 commonest tokens
    assert ("I see.", "Ya veo.") not in kept and ("I see a cat now.", "Veo un gato.") not in kept
    assert ("I see a cat.", "Veo un gato.") in kept and ("I see a gnu.", "Veo un ñu.") not in kept
    assert len(s2s.common_word_pairs(pairs, 1, 9, vocab=10_000)) == len(pairs)


def test_unigram_loss_is_the_cross_entropy_of_target_frequencies(dates):
    rows = np.arange(len(dates.sources))
    train, val = dates.subset(rows[:80]), dates.subset(rows[80:])
    counts = np.bincount(train.dec_out[train.dec_out != 0], minlength=len(dates.tgt_vocab))[1:] + 1.0
    p = counts / counts.sum()
    seen = val.dec_out[val.dec_out != 0]
    assert np.isclose(s2s.unigram_loss(train, val), -np.mean(np.log(p[seen - 1])))
    # a source-blind model cannot beat it by much on its own training targets either
    assert s2s.unigram_loss(train, train) > 1.0


def test_bleu_by_length_scores_each_bin_alone():
    hyps = ["a b c d", "x y z w", "a b c d e f"]
    refs = ["a b c d", "p q r s", "a b c d e f"]
    scores = s2s.bleu_by_length(hyps, refs, [4, 4, 6], [(4, 4), (5, 6)])
    assert 0 < scores[0] < 100 and np.isclose(scores[1], 100.0)


def test_neither_lecture_nor_helpers_answer_an_exercise(root):
    nb = json.loads((root / "source" / UNIT / "lecture.ipynb").read_text(encoding="utf-8"))
    text = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    helpers = (root / "rnncourse" / "lectures" / "seq2seq.py").read_text()
    for answer in EXERCISES:
        assert answer not in text, answer
        assert answer not in helpers, answer
