#!/usr/bin/python3
"""Writes the BLEU golden fixtures used by dev.seq2seq.models.metrics.BleuTest.

Run with the Debian interpreter, which has NLTK (3.8):

    /usr/bin/python3 seq2seq-models/src/test/python/make_bleu_fixtures.py

It builds a few small deterministic corpora and records, for each, NLTK's
nltk.translate.bleu_score.corpus_bleu with uniform weights for max orders 1, 2 and 4
and SmoothingFunction().method0 .. method4 (epsilon 0.1, k 5, NLTK defaults).
Floats are written with repr (json), so they round-trip exactly to Java doubles.
The Java tests read the JSON only; they do not need Python.
"""
import json
import os
import random
import warnings

import nltk
from nltk.translate.bleu_score import SmoothingFunction, corpus_bleu

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "fixtures", "bleu", "nltk_corpus_bleu.json")
ORDERS = (1, 2, 4)
METHODS = ("method0", "method1", "method2", "method3", "method4")


def words(s):
    return s.split()


def cases():
    yield "nltk_docstring_multi_reference", [
        [words("It is a guide to action that ensures that the military always obeys the commands of the party"),
         words("It is the guiding principle which guarantees the military forces always being under the command of the Party"),
         words("It is the practical guide for the army always to heed the directions of the party")],
        [words("he read the book because he was interested in world history")],
    ], [
        words("It is a guide to action which ensures that the military always obeys the commands of the party"),
        words("he was interested in world history because he read the book"),
    ]
    # shorter than every reference: brevity penalty < 1; closest-length tie resolved to the shorter
    yield "short_hypothesis", [
        [words("the cat sat on the mat today"), words("a cat was sitting on the mat")],
        [words("there is a cat on the mat"), words("a cat is on the mat")],
    ], [
        words("the cat sat on"),
        words("a cat on the mat"),
    ]
    # unigram and bigram matches but no 3- or 4-gram match: smoothing methods differ
    yield "zero_higher_order_matches", [
        [words("the quick brown fox jumps over the lazy dog")],
        [words("colorless green ideas sleep furiously")],
    ], [
        words("the brown quick fox over jumps lazy the dog"),
        words("green colorless ideas furiously sleep"),
    ]
    # no unigram match at all: NLTK returns 0
    yield "no_matches", [
        [words("alpha beta gamma delta")],
    ], [
        words("one two three four five"),
    ]
    # the clipping example of Papineni et al.: "the the the ..."
    yield "clipping", [
        [words("the cat is on the mat"), words("there is a cat on the mat")],
    ], [
        words("the the the the the the the"),
    ]
    # a hypothesis shorter than the n-gram order, and an empty hypothesis in the corpus
    yield "very_short_and_empty", [
        [words("hello world how are you")],
        [words("good morning")],
        [words("see you later")],
    ], [
        words("hello world how are you"),
        words("morning"),
        [],
    ]
    # a one-token corpus: method4 leaves the zero orders at 0 (hyp_len <= 1) and NLTK skips them
    yield "single_token_corpus", [
        [words("yes indeed")],
    ], [
        words("yes"),
    ]
    # CJK, characters as tokens
    yield "cjk_characters", [
        [list("一万零二百零三"), list("一万零二百〇三")],
        [list("我们今天去公园散步"), list("今天我们去公园走走")],
        [list("东京是日本的首都")],
    ], [
        list("一万零二百三"),
        list("我们今天去公园走路"),
        list("东京是日本首都"),
    ]
    # random corpora over a small vocabulary, several references, seeded
    rng = random.Random(20240531)
    vocab = ["w%d" % i for i in range(12)]
    for c in range(3):
        refs, hyps = [], []
        for _ in range(6):
            base = [rng.choice(vocab) for _ in range(rng.randint(3, 14))]
            rs = []
            for _ in range(rng.randint(1, 3)):
                r = [t if rng.random() < 0.8 else rng.choice(vocab) for t in base]
                if rng.random() < 0.5 and len(r) > 2:
                    del r[rng.randrange(len(r))]
                rs.append(r)
            h = [t if rng.random() < 0.7 else rng.choice(vocab) for t in base]
            if rng.random() < 0.5 and len(h) > 2:
                del h[rng.randrange(len(h)):]
            refs.append(rs)
            hyps.append(h)
        yield "random_%d" % c, refs, hyps


def main():
    sf = SmoothingFunction()
    out = {
        "generator": "seq2seq-models/src/test/python/make_bleu_fixtures.py",
        "nltk_version": nltk.__version__,
        "note": "corpus_bleu with weights (1/N,)*N and SmoothingFunction() defaults (epsilon 0.1, k 5)",
        "cases": [],
    }
    for name, refs, hyps in cases():
        scores = {}
        for n in ORDERS:
            weights = tuple(1.0 / n for _ in range(n))
            per = {}
            for m in METHODS:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")  # method0 warns on zero counts
                    per[m] = float(corpus_bleu(refs, hyps, weights=weights, smoothing_function=getattr(sf, m)))
            scores[str(n)] = per
        out["cases"].append({"name": name, "references": refs, "hypotheses": hyps, "bleu": scores})
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print("wrote", os.path.normpath(OUT), len(out["cases"]), "cases")


if __name__ == "__main__":
    main()
