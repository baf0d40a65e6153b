"""Sentence pairs for sequence-to-sequence models: real Tatoeba pairs and two generated tasks.

"spa-eng" is real: 140,868 English-Spanish pairs from the Tatoeba Project (CC BY 2.0 FR),
shipped gzipped inside rnncourse with each pair's attribution (see files/SPA-ENG-ATTRIBUTION.md);
`source="download"` fetches the Anki file the Keras examples use instead.
The other tasks are generated, deterministically from a seed, and are not natural text:
"dates" rewrites dates written in many human forms as ISO 8601; "toy-fr" translates sentences
of a small English grammar into a French-like target that reorders adjectives after nouns and
makes determiners, adjectives and verbs agree in gender and number.
"""

from __future__ import annotations

import datetime
import gzip
import random
import zipfile
from importlib import resources

from .registry import DatasetError, choose

TRANSLATION_SETS = ("dates", "toy-fr", "spa-eng")
SOURCES = ("installed", "download")
DEFAULT_PAIRS = 10_000
SHIPPED_PAIRS = "spa-eng.tsv.gz"  # in rnncourse/data/files, with SPA-ENG-ATTRIBUTION.md

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
FIRST_DAY, LAST_DAY = datetime.date(1950, 1, 1), datetime.date(2049, 12, 31)


def _date_forms(day: datetime.date) -> list[str]:
    """Human ways of writing one date (all unambiguous: the month is named or the order fixed)."""
    month, weekday = MONTHS[day.month - 1], WEEKDAYS[day.weekday()]
    d, y = day.day, day.year
    return [
        f"{d} {month} {y}",
        f"{month} {d}, {y}",
        f"{weekday}, {month} {d}, {y}",
        f"{weekday} {d} {month} {y}",
        f"{d} {month[:3]} {y}",
        f"{month[:3].lower()} {d} {y}",
        f"{d:02d}.{day.month:02d}.{y}",  # day.month.year, as written in much of Europe
        f"{d} {month.lower()} {y}",
    ]


def dates(n: int = DEFAULT_PAIRS, seed: int = 0) -> list[tuple[str, str]]:
    """n (human date, ISO date) pairs, dates drawn uniformly from 1950 to 2049."""
    rng = random.Random(seed)
    span = (LAST_DAY - FIRST_DAY).days
    pairs = []
    for _ in range(n):
        day = FIRST_DAY + datetime.timedelta(days=rng.randint(0, span))
        pairs.append((rng.choice(_date_forms(day)), day.isoformat()))
    return pairs


# English noun -> (French-like noun, gender, plural form)
NOUNS = {
    "cat": ("chat", "m", "chats"), "dog": ("chien", "m", "chiens"),
    "bird": ("oiseau", "m", "oiseaux"), "book": ("livre", "m", "livres"),
    "house": ("maison", "f", "maisons"), "car": ("voiture", "f", "voitures"),
    "flower": ("fleur", "f", "fleurs"), "table": ("table", "f", "tables"),
}
ENGLISH_PLURALS = {"cat": "cats", "dog": "dogs", "bird": "birds", "book": "books",
                   "house": "houses", "car": "cars", "flower": "flowers", "table": "tables"}
# English adjective -> forms (masculine singular, feminine singular, masculine plural, feminine plural)
ADJECTIVES = {
    "black": ("noir", "noire", "noirs", "noires"), "green": ("vert", "verte", "verts", "vertes"),
    "white": ("blanc", "blanche", "blancs", "blanches"), "blue": ("bleu", "bleue", "bleus", "bleues"),
    "red": ("rouge", "rouge", "rouges", "rouges"), "grey": ("gris", "grise", "gris", "grises"),
}
# English verb (3rd singular, plural) -> French-like (singular, plural)
VERBS = {("sees", "see"): ("voit", "voient"), ("likes", "like"): ("aime", "aiment"),
         ("follows", "follow"): ("suit", "suivent")}


def _noun_phrase(rng: random.Random) -> tuple[list[str], list[str], bool]:
    """A random noun phrase in English and in the target, and whether it is plural."""
    noun = rng.choice(sorted(NOUNS))
    target_noun, gender, target_plural = NOUNS[noun]
    plural = rng.random() < 0.4
    definite = rng.random() < 0.6
    adjective = rng.choice(sorted(ADJECTIVES)) if rng.random() < 0.6 else None
    if plural:
        english_det = "the" if definite else "some"
        target_det = "les" if definite else "des"
    else:
        english_det = "the" if definite else "a"
        target_det = ({"m": "le", "f": "la"} if definite else {"m": "un", "f": "une"})[gender]
    english = [english_det] + ([adjective] if adjective else [])
    english.append(ENGLISH_PLURALS[noun] if plural else noun)
    target = [target_det, target_plural if plural else target_noun]
    if adjective:
        form = ADJECTIVES[adjective][(2 if plural else 0) + (gender == "f")]
        target.append(form)  # the adjective follows the noun
    return english, target, plural


def toy_french(n: int = DEFAULT_PAIRS, seed: int = 0) -> list[tuple[str, str]]:
    """n (English, French-like) sentence pairs from the grammar NP VERB NP."""
    rng = random.Random(seed)
    pairs = []
    for _ in range(n):
        subject_en, subject_fr, plural = _noun_phrase(rng)
        object_en, object_fr, _ = _noun_phrase(rng)
        english_verb, target_verb = rng.choice(sorted(VERBS.items()))
        verb_en = english_verb[1] if plural else english_verb[0]
        verb_fr = target_verb[1] if plural else target_verb[0]
        pairs.append((" ".join(subject_en + [verb_en] + object_en),
                      " ".join(subject_fr + [verb_fr] + object_fr)))
    return pairs


def tatoeba_attributed() -> list[tuple[str, str, str]]:
    """All 140,868 shipped (English, Spanish, attribution) triples, read from the package."""
    shipped = resources.files("rnncourse.data").joinpath("files", SHIPPED_PAIRS)
    with shipped.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as lines:
        rows = [line.rstrip("\n").split("\t") for line in lines]
    bad = [i for i, row in enumerate(rows) if len(row) != 3]
    if bad:
        raise DatasetError(f"{SHIPPED_PAIRS} line {bad[0] + 1} has not 3 columns; reinstall rnncourse")
    return [(english, spanish, credit) for english, spanish, credit in rows]


def tatoeba_spanish(source: str = "installed") -> list[tuple[str, str]]:
    """(English, Spanish) Tatoeba pairs: the copy shipped in rnncourse, or the Anki download."""
    choose(source, SOURCES, "source")
    if source == "installed":
        return [(english, spanish) for english, spanish, _ in tatoeba_attributed()]
    from .download import get

    path = get("spa-eng-anki")
    with zipfile.ZipFile(path) as archive:
        member = next((m for m in archive.namelist() if m.endswith("spa.txt")), None)
        if member is None:
            raise DatasetError(f"{path} holds no spa.txt; delete it and fetch it again")
        lines = archive.read(member).decode("utf-8").splitlines()
    pairs = []
    for line in lines:
        parts = line.split("\t")
        if len(parts) >= 2:
            pairs.append((parts[0], parts[1]))
    return pairs


def load_translation(name="dates", n=None, seed=0, source="installed"):
    """(source, target) string pairs for a seq2seq task.

    "dates" and "toy-fr" are generated offline (n pairs, default 10,000, fixed by the seed);
    "spa-eng" holds 140,868 real English-Spanish pairs from Tatoeba, installed with rnncourse
    (source="download" fetches the Anki zip of the Keras examples instead), of which n are
    drawn at random with the seed when n is given.
    """
    choose(name, TRANSLATION_SETS, "translation set")
    choose(source, SOURCES, "source")
    if source == "download" and name != "spa-eng":
        raise ValueError(f"{name!r} is generated offline; only 'spa-eng' has a download")
    if n is not None and n < 1:
        raise ValueError(f"n must be positive, got {n}")
    if name == "dates":
        return dates(n or DEFAULT_PAIRS, seed)
    if name == "toy-fr":
        return toy_french(n or DEFAULT_PAIRS, seed)
    pairs = tatoeba_spanish(source)
    if n is None or n >= len(pairs):
        return pairs
    return random.Random(seed).sample(pairs, n)
