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
from typing import Any

try:  # Python 3.11+ keeps the regex parser here
    from re import _constants as sre_constants  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # Python 3.10
    import sre_constants
    import sre_parse

# Negation words of every supported language; a gap never crosses one.
NEGATORS: frozenset[str] = frozenset(
    """
    no not never without nor neither none nothing dont doesnt didnt isnt arent wasnt werent havent hasnt
    hadnt wont wouldnt aint nobody
    sin ni nunca ningun ninguna nada
    pas sans aucun aucune jamais rien ne n
    nicht nichts kein keine keinen keinem keiner ohne nie niemals
    non senza nessun nessuna nessuno mai niente
    nao sem nenhum nenhuma nunca
    """.split()
)

# Wanting bigger lips, or a photo, in Spanish, Italian and Portuguese, whose size-word rules share it (every
# rule runs on every message): "quiero labios enormes", "quero labios o dobro", "voglio labbra enormi"
SIZE_WISH = (r"quier\w*", "quisiera", r"quer(?:o|ia|ido)", "voglio", "vorrei", "desejo", "deseo", "sogno",
             "sueno", "sonho", r"fotos?", "selfie", "filler", "relleno", "preenchimento", r"rimpolp\w*")

# Words that start a new thought: a gap never crosses them either.
_GAP_STOPS = ("if", "but", "when", "because", "unless", "whether", "mais", "pero", "aber", "wenn", "falls",
              "ma", "mas", "ob")

GAP_STOP_PATTERN = "|".join(sorted(NEGATORS | set(_GAP_STOPS), key=len, reverse=True))


def gap(words: int) -> str:
    """Regex for up to `words` ordinary words between two parts of a pattern."""
    return rf"(?: (?!(?:{GAP_STOP_PATTERN})\b)[a-z0-9]+){{0,{words}}}"


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
    triggers: frozenset[str] = frozenset()
    lasting: bool = False  # not taken back by "I'm ok now" (an adrenaline pen used, an ambulance called)
    otherwise: str = "ask"  # the level when `needs` is not met: "ask", or "none" for a sign that alone means nothing


# Words too frequent to be a useful trigger: a rule is keyed on its rarer words when it has them.
_COMMON = frozenset(
    "the and for her his with some not can cant get got you your was are its this that have has had out off all "
    "but any one our their she him from into after over then than very really just like les des una uno del los "
    "las der die das und ein mit che per non com uma por para que est pas mon mes son ses sur dans mais ich sie "
    "nicht mas pero".split()
)


def triggers(pattern: str) -> frozenset[str]:
    """Word beginnings (three characters or more) of which every match of the pattern contains one.

    Worked out from the parsed regex: a sequence needs each of its required parts, so the rarest of
    them keys the rule; an alternation needs one of its branches. A sentence with no word beginning
    with any trigger cannot match and is skipped, which keeps long messages cheap. An empty set means
    no such words could be found: the rule then runs on every sentence.
    """
    # The gaps' long negative lookahead needs no words from the text: parse without it (five times faster).
    required, _ = _required(sre_parse.parse(pattern.replace(GAP_STOP_PATTERN, "x")), True)
    return required or frozenset()


def _best(candidates: list[frozenset[str]]) -> frozenset[str] | None:
    if not candidates:
        return None
    return min(candidates, key=lambda c: (sum(w in _COMMON for w in c), -min(map(len, c)), len(c)))


def _required(items: Any, at_word_start: bool) -> tuple[frozenset[str] | None, bool]:
    """(the trigger set this parsed sequence needs, or None; whether it ends at the start of a word)."""
    candidates: list[frozenset[str]] = []
    run, run_initial = "", False

    def flush() -> None:
        nonlocal run
        if run_initial and len(run) >= 3:
            candidates.append(frozenset({run}))
        run = ""

    for op, arg in items:
        if op is sre_constants.LITERAL and (chr(arg).isalnum()):
            if not run:
                run_initial = at_word_start
            run += chr(arg)
            at_word_start = False
        elif op is sre_constants.LITERAL and chr(arg) == " ":
            flush()
            at_word_start = True
        elif op is sre_constants.AT:
            flush()
            at_word_start = at_word_start or arg is sre_constants.AT_BOUNDARY
        elif op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
            continue
        elif op is sre_constants.SUBPATTERN:
            flush()
            required, at_word_start = _required(arg[-1], at_word_start)
            if required:
                candidates.append(required)
        elif op is sre_constants.BRANCH:
            flush()
            results = [_required(branch, at_word_start) for branch in arg[1]]
            if all(required for required, _ in results):
                candidates.append(frozenset().union(*(required for required, _ in results)))
            at_word_start = all(ends for _, ends in results)
        elif op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT):
            flush()
            low, _high, body = arg
            required, ends = _required(body, at_word_start)
            if low >= 1 and required:
                candidates.append(required)
            at_word_start = ends if low >= 1 else at_word_start and ends
        else:
            flush()
            at_word_start = False
    flush()
    return _best(candidates), at_word_start


def rules(lang: str, kind: str, level: str, *patterns: str, needs: str | None = None,
          unless: str | None = None, lasting: bool = False, otherwise: str = "ask") -> list[PhraseRule]:
    """Rules of one language, kind and level, one per pattern."""
    compiled_needs = compile_pattern(needs) if needs else None
    compiled_unless = compile_pattern(unless) if unless else None
    return [PhraseRule(lang, kind, level, compile_pattern(p), compiled_needs, compiled_unless,
                       triggers(compile_pattern(p).pattern), lasting, otherwise) for p in patterns]


def words(*alternatives: str) -> str:
    """A regex alternation of words or phrases."""
    return "(?:" + "|".join(alternatives) + ")"
