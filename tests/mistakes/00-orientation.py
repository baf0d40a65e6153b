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
    },
    "one-to-many": {
        "why": "answers A (image description is one-to-many)",
        "cells": {"knowledge_check": 'answer = "A"\n'},
    },
}
