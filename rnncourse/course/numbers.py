"""The numbers rule: every figure a lecture's prose states was printed by a code cell above it."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

# Numbers in prose and in printed output: 17,893 · 0.739 · -1.5 · 1e-5 · 12.5%
NUMBER = re.compile(
    r"(?<![\w.])(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?(?:e[-+]?\d+)?)"
    r"(?P<pct>\s?%)?(?:\s(?P<scale>thousand|million|billion))?(?![\w])",
    re.IGNORECASE)
SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9}

# Prose that is not a figure: code, math, links, images, HTML tags.
NOT_PROSE = re.compile(
    r"```.*?```|`[^`]*`|\$\$.*?\$\$|\$[^$]*\$|!\[[^\]]*\]\([^)]*\)|\]\([^)]*\)|<[^>]+>|https?://\S+",
    re.DOTALL)
# References, not figures: "unit 3", "units 1–3", "seed 002", "Section 2", "Figure 1", "ex. 6", …
REFERENCE = re.compile(
    r"\b(?:units?|seeds?|sections?|§|figures?|fig\.|tables?|exercises?|ex\.|chapters?|ch\.|steps?|"
    r"layers?|cells?|parts?|questions?|q|equations?|eq\.|version|python|keras|tensorflow|tf|"
    r"arxiv:?|doi:?|pages?|pp\.|p\.)\s*#?\d[\d.]*(?:\s*[–-]\s*\d[\d.]*)?",
    re.IGNORECASE)
HEADING_NUMBER = re.compile(r"^(#+\s*)\d+(?:\.\d+)*\.?", re.MULTILINE)
CITATION_YEAR = re.compile(r"\b(?:19|20)\d\d[a-z]?\b")
HEDGE = re.compile(r"(?:about|around|nearly|almost|roughly|approximately|some|over|under|~|≈)\s*$",
                   re.IGNORECASE)
SMALL = 12  # "3 seeds", "two layers", "4×": counts this small are exempt


@dataclass(frozen=True)
class Figure:
    """One number as written: its text, value and decimals, and a scale word ("million") if any."""

    text: str
    value: float
    decimals: int
    percent: bool = False
    scale: float = 1.0
    approximate: bool = False  # "about 18,000": rounded to its significant digits


def parse(match: re.Match) -> Figure:
    """A Figure from a NUMBER match; a hedge word before it ("nearly") marks it approximate."""
    raw = match.group("num")
    digits = raw.replace(",", "")
    decimals = len(digits.split(".")[1]) if "." in digits and "e" not in digits.lower() else 0
    scale = SCALES[match.group("scale").lower()] if match.group("scale") else 1.0
    hedged = HEDGE.search(match.string[max(0, match.start() - 16):match.start()]) is not None
    return Figure(match.group(0), float(digits), decimals, bool(match.group("pct")), scale, hedged)


def figures(text: str) -> list[Figure]:
    """Every number in ``text``."""
    return [parse(m) for m in NUMBER.finditer(text)]


def prose(markdown: str) -> str:
    """A markdown cell with code, math, links, headings' numbers and references removed."""
    text = NOT_PROSE.sub(" ", markdown)
    text = HEADING_NUMBER.sub(r"\1", text)
    text = REFERENCE.sub(" ", text)
    return CITATION_YEAR.sub(" ", text)


def exempt(fig: Figure) -> bool:
    """Small counts are words in digits, not measurements."""
    return fig.decimals == 0 and not fig.percent and fig.scale == 1.0 and fig.value <= SMALL


def significant_round(value: float, like: Figure) -> float:
    """``value`` rounded as ``like`` is written: to its decimals, or (if hedged) its significant digits."""
    if like.decimals:
        return round(value, like.decimals)
    if not like.approximate:
        return round(value)
    digits = like.text.replace(",", "").split()[0].rstrip("%").strip()
    trailing_zeros = len(digits) - len(digits.rstrip("0"))
    return round(value, -trailing_zeros) if trailing_zeros else round(value)


def agrees(stated: Figure, printed: Figure) -> bool:
    """True if ``printed`` rounds to ``stated`` (percent and scale words taken into account)."""
    target = stated.value * stated.scale
    candidates = [printed.value * printed.scale]
    if stated.percent and not printed.percent:
        candidates.append(printed.value * 100)  # 0.739 printed, "73.9 %" stated
    scaled = Figure(stated.text, target, stated.decimals, stated.percent, 1.0, stated.approximate)
    for value in candidates:
        if stated.scale != 1.0:
            value = value / stated.scale
            if math.isclose(significant_round(value, stated), stated.value, rel_tol=1e-9, abs_tol=1e-12):
                return True
        elif math.isclose(significant_round(value, scaled), target, rel_tol=1e-9, abs_tol=1e-12):
            return True
    return False


def printed_as_written(fig: Figure, printed_above: str) -> bool:
    """True if the figure's exact text stands on its own in the output (not inside a longer number)."""
    pattern = r"(?<![\w.,])" + re.escape(fig.text) + r"(?![\w]|[.,]\d)"
    return re.search(pattern, printed_above) is not None


def unprinted(markdown: str, printed_above: str, allowed: frozenset[str] = frozenset()) -> list[str]:
    """The figures of a markdown cell that no earlier output printed (by value or by text)."""
    printed = figures(printed_above)
    missing = []
    for fig in figures(prose(markdown)):
        if exempt(fig) or fig.text in allowed or printed_as_written(fig, printed_above):
            continue
        if not any(agrees(fig, p) for p in printed) and fig.text not in missing:
            missing.append(fig.text)
    return missing


def check_lecture(nb: dict, recording: dict, allowed=frozenset()) -> list[str]:
    """Problems of one lecture: each markdown cell's figures that no code cell above printed."""
    problems = []
    outputs = [c["printed"] for c in recording["cells"]]
    code_seen = 0
    for index, cell in enumerate(nb["cells"]):
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if cell["cell_type"] == "code":
            code_seen += 1
            continue
        if cell["cell_type"] != "markdown":
            continue
        missing = unprinted(source, "\n".join(outputs[:code_seen]), frozenset(allowed))
        if missing:
            first_line = source.strip().splitlines()[0][:60] if source.strip() else ""
            problems.append(f"cell {index} ({first_line!r}): not printed above: {', '.join(missing)}")
    return problems
