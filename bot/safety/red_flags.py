"""Deterministic red-flag detection: symptoms of a possibly serious allergic reaction.

This runs on every message after the NLU classifiers (bot.nlu.red_flags) and overrides them, so no
statistical model can talk the assistant out of sending someone to urgent care.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass


class RedFlag(str, enum.Enum):
    """The kinds of emergency symptom we recognise."""

    BREATHING = "trouble breathing"
    SWELLING = "swelling of the face, lips, tongue or throat"
    THROAT = "throat tightness"
    FAINTING = "fainting or dizziness"
    ANAPHYLAXIS = "a severe allergic reaction"


_BODY = r"(?:lips?|tongue|throat|face|mouth|eyes?|eyelids?|cheeks?|neck)"
_SWELL = r"(?:swell(?:s|ing|ed)?|swollen|swolen|puff(?:ing|ed|y)?\s*up|puffed|blow(?:ing|n)\s+up|ballooning)"

_PATTERNS: tuple[tuple[RedFlag, re.Pattern[str]], ...] = tuple(
    (flag, re.compile(pattern))
    for flag, pattern in (
        (
            RedFlag.BREATHING,
            r"(?:can'?t|cannot|can not|unable to|struggl\w* to|hard to|difficult to|trouble|difficulty|"
            r"problems?|struggling|hard time)\s*(?:to\s+)?(?:catch my\s+)?breath(?:e|ing)?\b"
            r"|short(?:ness)? of breath|breathless|wheez\w*|gasping|chest (?:is |feels )?tight",
        ),
        (RedFlag.SWELLING, rf"\b{_BODY}\b(?:\s+\w+){{0,4}}\s+{_SWELL}|{_SWELL}(?:\s+\w+){{0,3}}\s+\b{_BODY}\b"),
        (
            RedFlag.THROAT,
            r"throat\s+(?:is\s+|feels\s+|feel\s+|getting\s+|is getting\s+)?(?:tight|closing|closed)"
            r"|tight(?:ness)?\s+(?:in\s+)?(?:my\s+)?throat|throat tightness"
            r"|(?:can'?t|cannot|trouble|difficulty|hard to)\s+swallow",
        ),
        (
            RedFlag.FAINTING,
            r"\bfaint(?:ed|ing|ish)?\b|pass(?:ed|ing)? out|\bdizz(?:y|iness)\b|light[- ]?headed"
            r"|\bcollaps(?:e|ed|ing)\b|unconscious|black(?:ed)? out",
        ),
        (RedFlag.ANAPHYLAXIS, r"anaphyla\w*|allergic shock|epi-?pen"),
    )
)

_NEGATIONS = re.compile(r"\b(?:no|not|never|without|don'?t|doesn'?t|didn'?t|isn'?t|wasn'?t|haven'?t)\b")


@dataclass(frozen=True)
class RedFlagMatch:
    """A red-flag symptom found in a message, with the words that triggered it."""

    flag: RedFlag
    evidence: str


def _is_negated(text: str, start: int) -> bool:
    """True when one of the three words right before the symptom negates it ("no trouble breathing")."""
    preceding = text[:start].split()[-3:]
    return bool(_NEGATIONS.search(" ".join(preceding)))


def detect_red_flag(text: str | None) -> RedFlagMatch | None:
    """The first red-flag symptom described in a message, or None.

    Errs on the side of safety: only an explicit negation right before the symptom suppresses it.
    """
    if not text:
        return None
    lowered = re.sub(r"[’`]", "'", text.lower())
    for flag, pattern in _PATTERNS:
        for match in pattern.finditer(lowered):
            if not _is_negated(lowered, match.start()):
                return RedFlagMatch(flag=flag, evidence=match.group(0))
    return None
