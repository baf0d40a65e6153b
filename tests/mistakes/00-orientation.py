"""Typical mistakes in assignment 00-orientation, used by `rnncourse demo` and the grading tests."""

MISTAKES = {
    "forgot-bias": {
        "why": "counts W and U but forgets the bias vector",
        "cells": {
            "simple_rnn_param_count": (
                "def simple_rnn_param_count(units, input_dim):\n"
                "    return units * input_dim + units * units\n"
            ),
        },
        "fails": "test_simple_rnn_param_count",
        "says": "forgets the bias b",
    },
    "one-to-many": {
        "why": "answers A (image description is one-to-many)",
        "cells": {"knowledge_check": 'answer = "A"\n'},
        "fails": "test_knowledge_check",
        "says": "does not map a sequence to a sequence",
        "hidden": "a multiple-choice answer: a public test would give it away",
    },
}
