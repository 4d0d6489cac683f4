"""Emergency phrasings, one module per language. To add a language: write `xx.py` with `RULES` (see en.py),
add it to ALL_RULES here and give bot.safety.language its word list."""

from __future__ import annotations

from bot.safety.phrase_rules import PhraseRule
from bot.safety.phrases import de, en, es, fr, it, pt

ALL_RULES: tuple[PhraseRule, ...] = (*en.RULES, *es.RULES, *fr.RULES, *de.RULES, *it.RULES, *pt.RULES)
