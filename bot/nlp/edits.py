"""Edit-distance building blocks shared by the typo-tolerant matchers (bot/nlp/typo_tolerant_ruler.py for
the entity ruler, bot/safety/text_normal.py for the emergency detector's keywords)."""

from __future__ import annotations


def deletions(word: str, depth: int) -> set[str]:
    """Every string made by deleting at most ``depth`` characters of ``word`` (``word`` included)."""
    found = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {text[:i] + text[i + 1:] for text in frontier for i in range(len(text))}
        found |= frontier
    return found
