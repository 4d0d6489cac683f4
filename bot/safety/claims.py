"""Cosmetic wording only: find sentences that claim an ingredient treats, cures, heals or regenerates."""

from __future__ import annotations

import re

_CLAIM = re.compile(
    r"\b(?:treat(?:s|ed|ing)?|treatments? for|cur(?:e|es|ed|ing)|heal(?:s|ed|ing)?|regenerat(?:e|es|ed|ing|ion)|"
    r"remed(?:y|ies)|therap(?:y|eutic))\b"
)
_NEGATION = re.compile(r"\b(?:not|no|never|isn'?t|aren'?t|doesn'?t|don'?t|cannot|can'?t|won'?t|nor)\b")


def treatment_claims(text: str) -> list[str]:
    """Sentences of `text` that make an affirmative medical claim (negated mentions are fine)."""
    claims = []
    for sentence in re.split(r"(?<=[.!?])\s+|\n+", text):
        lowered = sentence.lower()
        for match in _CLAIM.finditer(lowered):
            before = lowered[: match.start()].split()[-6:]
            if not _NEGATION.search(" ".join(before)):
                claims.append(sentence.strip())
                break
    return claims
