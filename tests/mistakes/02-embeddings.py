"""Typical mistakes in assignment 02-embeddings, used by `rnncourse demo` and the grading tests."""

MOST_SIMILAR_KEEPS_WORD = '''
def most_similar(word, vectors, topn=10):
    """The topn closest words (forgets to leave the word itself out)."""
    matrix = vectors.vectors
    unit = matrix / np.linalg.norm(matrix, axis=1, keepdims=True)
    scores = unit @ (vectors[word] / np.linalg.norm(vectors[word]))
    order = np.argsort(-scores)[:topn]
    return [(vectors.index_to_key[i], float(scores[i])) for i in order]
'''

MOST_SIMILAR_BY_DOT = '''
def most_similar(word, vectors, topn=10):
    """The topn words with the largest dot product (not cosine) with the word."""
    scores = vectors.vectors @ vectors[word]
    own = vectors.key_to_index[word]
    order = [i for i in np.argsort(-scores) if i != own][:topn]
    return [(vectors.index_to_key[i], float(scores[i])) for i in order]
'''

ANALOGY_KEEPS_INPUTS = '''
def analogy(a, b, c, vectors):
    """b - a + c on unit vectors, without leaving the input words out."""
    def unit(v):
        return v / np.linalg.norm(v)

    target = unit(vectors[b]) - unit(vectors[a]) + unit(vectors[c])
    matrix = vectors.vectors
    scores = matrix @ unit(target) / np.linalg.norm(matrix, axis=1)
    return vectors.index_to_key[int(np.argmax(scores))]
'''

EMBEDDING_OFF_BY_ONE = '''
def embedding_matrix(vocabulary, vectors, dim):
    """Numbers the words from 1, as if index 0 were not part of the vocabulary list."""
    matrix = np.zeros((len(vocabulary), dim), dtype=np.float32)
    for index, word in enumerate(vocabulary[1:]):
        if word in vectors.key_to_index:
            matrix[index] = vectors[word]
    return matrix
'''

SKIPGRAM_TEMPLATE = '''
def skipgram_pairs(sequence, vocab_size, window, negatives, rng):
    """Positive pairs exact; negatives drawn with a slip."""
    rows = []
    for i, target in enumerate(sequence):
        if target == 0:
            continue
        for j in range(max(0, i - window), min(len(sequence), i + window + 1)):
            context = sequence[j]
            if j == i or context == 0:
                continue
            rows.append((target, context, 1))
            for _ in range(negatives):
                {draw}
                rows.append((target, noise, 0))
    return np.array(rows, dtype=np.int64).reshape(-1, 3)
'''

SGNS_SIGN_SLIP = '''
def sigmoid(x):
    """The logistic function."""
    return 1.0 / (1.0 + np.exp(-x))


def sgns_loss_and_grads(center, context, negatives):
    """Treats the negatives like positives: -log sigmoid(+n.v) instead of -log sigmoid(-n.v)."""
    center, context = np.asarray(center, float), np.asarray(context, float)
    negatives = np.asarray(negatives, float).reshape(-1, center.shape[0])
    positive_score, negative_scores = context @ center, negatives @ center
    loss = np.logaddexp(0, -positive_score) + np.sum(np.logaddexp(0, -negative_scores))
    pull, push = sigmoid(positive_score) - 1.0, sigmoid(negative_scores) - 1.0
    grad_center = pull * context + push @ negatives
    return float(loss), grad_center, pull * center, push[:, None] * center[None, :]
'''

SENTENCE_B = '''
def sentence_vector(text, vectors):
    """Mean of the known word vectors."""
    known = [token for token in text.lower().split() if token in vectors.key_to_index]
    if not known:
        return np.zeros(vectors.vector_size, dtype=np.float32)
    return np.mean([vectors[token] for token in known], axis=0)


similarity_a = cosine_similarity(sentence_vector(reference, vectors), sentence_vector(sentence_a, vectors))
similarity_b = cosine_similarity(sentence_vector(reference, vectors), sentence_vector(sentence_b, vectors))
closer = "B"
'''

SGNS_TEMPLATE = '''
def sigmoid(x):
    """The logistic function."""
    return {sigmoid}


def sgns_loss_and_grads(center, context, negatives):
    """{why}"""
    center, context = np.asarray(center, float), np.asarray(context, float)
    negatives = np.asarray(negatives, float).reshape(-1, center.shape[0])
    positive_score, negative_scores = context @ center, negatives @ center
    loss = {loss}
    pull, push = sigmoid(positive_score) - 1.0, sigmoid(negative_scores)
    grad_center = {grad_center}
    grad_context = {grad_context}
    grad_negatives = {grad_negatives}
    return float(loss), grad_center, grad_context, grad_negatives
'''
SGNS_RIGHT = {
    "sigmoid": "np.exp(-np.logaddexp(0.0, -x))",
    "loss": "np.logaddexp(0, -positive_score) + np.sum(np.logaddexp(0, negative_scores))",
    "grad_center": "pull * context + push @ negatives",
    "grad_context": "pull * center",
    "grad_negatives": "push[:, None] * center[None, :]",
}


def sgns(why, **slip):
    """The SGNS cell with one slip."""
    return SGNS_TEMPLATE.format(why=why, **{**SGNS_RIGHT, **slip})


MISTAKES = {
    "dot-not-cosine": {
        "why": "cosine_similarity returns the dot product, forgetting the lengths",
        "cells": {"cosine_similarity": (
            "def cosine_similarity(u, v):\n"
            '    """Dot product of u and v."""\n'
            "    return float(np.dot(u, v))\n"
        )},
        "fails": "test_cosine_similarity",
        "says": "divide the dot product by the lengths",
    },
    "own-neighbour": {
        "why": "most_similar lists the query word as its own nearest neighbour",
        "cells": {"most_similar": MOST_SIMILAR_KEEPS_WORD},
        "fails": "test_most_similar",
        "says": "among its own neighbours",
    },
    "rank-by-dot": {
        "why": "most_similar ranks by dot product, so long (frequent) vectors win",
        "cells": {"most_similar": MOST_SIMILAR_BY_DOT},
        "fails": "test_most_similar",
        "says": "not by dot product",
    },
    "analogy-keeps-inputs": {
        "why": "analogy does not leave a, b and c out of the candidates",
        "cells": {"analogy": ANALOGY_KEEPS_INPUTS},
        "fails": "test_analogy",
        "says": "three input words left out",
    },
    "matrix-off-by-one": {
        "why": "embedding_matrix puts each word's vector one row too early",
        "cells": {"embedding_matrix": EMBEDDING_OFF_BY_ONE},
        "fails": "test_embedding_matrix",
        "says": "row i holds the vector of vocabulary[i]",
    },
    "negative-is-positive": {
        "why": "skipgram_pairs may draw the positive context as a negative",
        "cells": {"skipgram_pairs": SKIPGRAM_TEMPLATE.format(
            draw="noise = int(rng.integers(1, vocab_size))")},
        "fails": "test_skipgram_pairs",
        "says": "equal the positive context",
    },
    "negative-is-padding": {
        "why": "skipgram_pairs draws negatives from 0 ... vocab_size - 1, padding included",
        "cells": {"skipgram_pairs": SKIPGRAM_TEMPLATE.format(
            draw="noise = context\n"
                 "                while noise == context:\n"
                 "                    noise = int(rng.integers(0, vocab_size))")},
        "fails": "test_skipgram_pairs",
        "says": "is the padding id 0",
    },
    "sgns-sign": {
        "why": "the negative term of the SGNS loss has the wrong sign inside the sigmoid",
        "cells": {"sgns_loss_and_grads": SGNS_SIGN_SLIP},
        "fails": "test_sgns_loss_and_grads",
        "says": "log sigmoid(-n_i.v)",
    },
    "meaning-not-vectors": {
        "why": "answers B, the sentence closer in meaning, not what the vectors say",
        "cells": {"sentence_vector": SENTENCE_B},
        "fails": "test_sentence_vector",
        "says": "does not name the sentence with the larger similarity",
    },
    "grad-center-no-negatives": {
        "why": "grad_center keeps the positive term only, forgetting sigmoid(n_i.v) n_i",
        "cells": {"sgns_loss_and_grads": sgns("Forgets the negatives in grad_center.",
                                              grad_center="pull * context")},
        "fails": "test_sgns_loss_and_grads",
        "says": "grad_center does not match the finite-difference gradient",
    },
    "grad-context-no-minus-one": {
        "why": "grad_context uses sigmoid(u.v) v instead of (sigmoid(u.v) - 1) v",
        "cells": {"sgns_loss_and_grads": sgns("Forgets the -1 in grad_context.",
                                              grad_context="(pull + 1.0) * center")},
        "fails": "test_sgns_loss_and_grads",
        "says": "grad_context does not match the finite-difference gradient",
    },
    "grad-negatives-minus-one": {
        "why": "grad_negatives uses (sigmoid(n_i.v) - 1) v, the positive pair's form",
        "cells": {"sgns_loss_and_grads": sgns("Copies the positive form into grad_negatives.",
                                              grad_negatives="(push - 1.0)[:, None] * center[None, :]")},
        "fails": "test_sgns_loss_and_grads",
        "says": "grad_negatives does not match the finite-difference gradient",
    },
    "naive-log-sigmoid": {
        "why": "computes -log(sigmoid(x)) literally, which overflows to infinity for large scores",
        "cells": {"sgns_loss_and_grads": sgns(
            "Takes the log of a naive sigmoid.", sigmoid="1.0 / (1.0 + np.exp(-x))",
            loss="-np.log(sigmoid(positive_score)) - np.sum(np.log(sigmoid(-negative_scores)))")},
        "fails": "test_sgns_loss_and_grads",
        "says": "np.log(sigmoid(x)) overflows",
    },
}
