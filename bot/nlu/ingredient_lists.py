"""Reading an ingredient list pasted off a label: entries split out, or the reason it can't be read as one.

Labels write lists with commas, semicolons, bullets or new lines, often after "Ingredients:" or "INCI:".
A comma inside brackets ("Parfum (Fragrance, Aroma)") or between digits ("1,2-Hexanediol") is part of a
name. What is not a list gets a reason, never a guess: HTML, more than :data:`MAX_ENTRIES` entries, or a
paragraph (too few separators, or "entries" that read like sentences). Repeated entries are kept once and
reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: The most entries one check reads (issue 13: up to 150).
MAX_ENTRIES = 150
#: Fewer separated entries than this is a question, not a list.
MIN_ENTRIES = 3
#: An "entry" of more words than this reads like a sentence (the longest INCI names have about ten).
MAX_WORDS_PER_ENTRY = 12

_PREFIX = re.compile(r"^\s*(?:full\s+)?(?:ingredients?|inci|composition|ingr[ée]dients?)\s*(?:list)?\s*[:\-–]\s*",
                     re.IGNORECASE)
_HTML = re.compile(r"<\s*/?\s*[a-z][^>]*>|&(?:lt|gt|amp|#\d+);", re.IGNORECASE)
_BULLETS = re.compile(r"^\s*(?:[-*•·▪●◦]|\d+[.)])\s+", re.MULTILINE)
_TRAILING = re.compile(r"[\s.;:,]+$")


@dataclass(frozen=True)
class IngredientList:
    """The entries of a pasted list (in label order, each once), repeats, and why it can't be read if so."""

    entries: tuple[str, ...]
    repeated: tuple[str, ...] = ()
    problem: str | None = None  # html | too_many | not_a_list | None
    count: int = 0  # pieces found (repeats included), before any limit was applied


#: Without an "Ingredients:" heading, this many entries make a list ("I'm vegan, pregnant and oily" is not one).
MIN_ENTRIES_WITHOUT_HEADING = 6


def looks_like_a_list(text: str) -> bool:
    """Whether a message is a pasted ingredient list (or a failed attempt at one) rather than a question."""
    if "?" in text:
        return False
    parsed = read_ingredient_list(text)
    if _PREFIX.match(text):
        return True  # a heading says it is meant as a list: even a bad one gets the list's reply
    return parsed.problem in (None, "too_many", "html") and parsed.count >= MIN_ENTRIES_WITHOUT_HEADING


def read_ingredient_list(text: str) -> IngredientList:
    """Split a pasted label into its entries (see the module docstring for what counts as a list)."""
    if _HTML.search(text):
        return IngredientList((), problem="html")
    body = _PREFIX.sub("", text.strip(), count=1)
    body = _BULLETS.sub("\n", body)
    pieces = [_TRAILING.sub("", p).strip(" \t-•·") for p in _split(body)]
    pieces = [" ".join(p.split()) for p in pieces if p.strip(" \t-•·.")]
    seen: dict[str, str] = {}
    repeated: list[str] = []
    for piece in pieces:
        key = piece.casefold()
        if key in seen:
            repeated.append(seen[key])
        else:
            seen[key] = piece
    entries = tuple(seen.values())
    repeats = tuple(dict.fromkeys(repeated))
    if len(pieces) < MIN_ENTRIES or sum(len(e.split()) > MAX_WORDS_PER_ENTRY for e in entries) > len(entries) // 4:
        return IngredientList((), problem="not_a_list", count=len(pieces))
    if len(entries) > MAX_ENTRIES:
        return IngredientList(entries[:MAX_ENTRIES], repeats, problem="too_many", count=len(pieces))
    return IngredientList(entries, repeats, count=len(pieces))


def _split(body: str) -> list[str]:
    """Split on commas, semicolons and new lines, except inside brackets or between digits."""
    pieces: list[str] = []
    depth = 0
    current: list[str] = []
    for index, char in enumerate(body):
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth = max(0, depth - 1)
        is_separator = char in ";\n" or (char == "," and not _between_digits(body, index))
        if is_separator and depth == 0:
            pieces.append("".join(current))
            current = []
        else:
            current.append(char)
    pieces.append("".join(current))
    return pieces


def _between_digits(text: str, index: int) -> bool:
    return 0 < index < len(text) - 1 and text[index - 1].isdigit() and text[index + 1].isdigit()
