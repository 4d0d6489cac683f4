"""Emergency phrasings, one module per language. To add a language: write `xx.py` with `RULES` (see en.py),
add it here and give bot.safety.language its word list."""

from __future__ import annotations

from bot.safety.phrase_rules import PhraseRule
from bot.safety.phrases import en

ALL_RULES: tuple[PhraseRule, ...] = (*en.RULES,)
