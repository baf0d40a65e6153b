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

MISTAKES = {
    "dot-not-cosine": {
        "why": "cosine_similarity returns the dot product, forgetting the lengths",
        "cells": {"cosine_similarity": (
            "def cosine_similarity(u, v):\n"
            '    """Dot product of u and v."""\n'
            "    return float(np.dot(u, v))\n"
        )},
    },
    "own-neighbour": {
        "why": "most_similar lists the query word as its own nearest neighbour",
        "cells": {"most_similar": MOST_SIMILAR_KEEPS_WORD},
    },
    "rank-by-dot": {
        "why": "most_similar ranks by dot product, so long (frequent) vectors win",
        "cells": {"most_similar": MOST_SIMILAR_BY_DOT},
    },
    "analogy-keeps-inputs": {
        "why": "analogy does not leave a, b and c out of the candidates",
        "cells": {"analogy": ANALOGY_KEEPS_INPUTS},
    },
    "matrix-off-by-one": {
        "why": "embedding_matrix puts each word's vector one row too early",
        "cells": {"embedding_matrix": EMBEDDING_OFF_BY_ONE},
    },
    "negative-is-positive": {
        "why": "skipgram_pairs may draw the positive context as a negative",
        "cells": {"skipgram_pairs": SKIPGRAM_TEMPLATE.format(
            draw="noise = int(rng.integers(1, vocab_size))")},
    },
    "negative-is-padding": {
        "why": "skipgram_pairs draws negatives from 0 ... vocab_size - 1, padding included",
        "cells": {"skipgram_pairs": SKIPGRAM_TEMPLATE.format(
            draw="noise = context\n"
                 "                while noise == context:\n"
                 "                    noise = int(rng.integers(0, vocab_size))")},
    },
    "sgns-sign": {
        "why": "the negative term of the SGNS loss has the wrong sign inside the sigmoid",
        "cells": {"sgns_loss_and_grads": SGNS_SIGN_SLIP},
    },
    "meaning-not-vectors": {
        "why": "answers B, the sentence closer in meaning, not what the vectors say",
        "cells": {"sentence_vector": SENTENCE_B},
    },
}
