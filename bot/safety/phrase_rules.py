"""The shape of an emergency phrasing rule, and the small pattern language the phrase files are written in.

Patterns match the normalised message (bot.safety.text_normal: lowercase, no accents, "cant" for
"can't", misspellings of symptom words corrected), tokens separated by single spaces. In a pattern,
` _N ` stands for up to N ordinary words in between ("lips _3 swollen" matches "lips are so swollen");
those words never include a negation ("lips are not swollen" does not match) nor a word that starts a
new thought ("if", "but"). Each pattern is whole-word: it cannot start or stop inside a word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Negation words of every supported language; a gap never crosses one.
NEGATORS: frozenset[str] = frozenset(
    """
    no not never without nor neither none nothing dont doesnt didnt isnt arent wasnt werent havent hasnt
    hadnt wont wouldnt aint nobody
    sin ni nunca ningun ninguna nada
    pas sans aucun aucune jamais rien ne n
    nicht kein keine keinen keinem keiner ohne nie niemals
    non senza nessun nessuna nessuno mai niente
    nao sem nenhum nenhuma nunca
    """.split()
)

# Words that start a new thought: a gap never crosses them either.
_GAP_STOPS = ("if", "but", "when", "because", "unless", "whether", "si", "mais", "pero", "aber", "wenn", "falls",
              "ma", "mas", "ob")

_GAP_STOP_PATTERN = "|".join(sorted(NEGATORS | set(_GAP_STOPS), key=len, reverse=True))


def gap(words: int) -> str:
    """Regex for up to `words` ordinary words between two parts of a pattern."""
    return rf"(?: (?!(?:{_GAP_STOP_PATTERN})\b)[a-z0-9]+){{0,{words}}}"


_GAP_MARK = re.compile(r" _(\d)\b")


def compile_pattern(pattern: str) -> re.Pattern[str]:
    """Compile a phrase-file pattern: ` _N ` gaps expanded, whole words only."""
    expanded = _GAP_MARK.sub(lambda m: gap(int(m.group(1))), pattern)
    return re.compile(rf"\b(?:{expanded})\b")


@dataclass(frozen=True)
class PhraseRule:
    """One way of saying an emergency in one language.

    kind: "anaphylaxis", "swallowed", "eye" or "burn". level: "emergency" (a clear red flag) or "ask" (might
    be serious: ask the triage question). needs: another pattern that must also be in the message (not
    negated) for an "emergency" rule to count as one; without it the rule only asks ("dizzy" alone asks,
    "dizzy" with hives is an emergency). unless: a pattern that, anywhere in the same sentence, shows the
    words mean something else ("blisters" from the sun, "pass out" at a price).
    """

    lang: str
    kind: str
    level: str
    pattern: re.Pattern[str]
    needs: re.Pattern[str] | None = None
    unless: re.Pattern[str] | None = None


def rules(lang: str, kind: str, level: str, *patterns: str, needs: str | None = None,
          unless: str | None = None) -> list[PhraseRule]:
    """Rules of one language, kind and level, one per pattern."""
    compiled_needs = compile_pattern(needs) if needs else None
    compiled_unless = compile_pattern(unless) if unless else None
    return [PhraseRule(lang, kind, level, compile_pattern(p), compiled_needs, compiled_unless) for p in patterns]


def words(*alternatives: str) -> str:
    """A regex alternation of words or phrases."""
    return "(?:" + "|".join(alternatives) + ")"
