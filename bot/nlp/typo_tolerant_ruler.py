"""spaCy component: the entity ruler with spaCy's FUZZY patterns, at the speed of exact patterns.

spaCy's Matcher evaluates every FUZZY (and every ``{"IN": [...]}``) token predicate of every pattern on
every token, in Python: for our ~130 typo-tolerant patterns that was most of the Rasa server's NLU time.
This ruler takes the same patterns (they are saved and reported as written, so the pipeline digest and
``patterns.jsonl`` stay those of spaCy's ``entity_ruler``) and runs them in two parts:

- every pattern in its exact form, in one Matcher: a FUZZY spec matches only its listed words, and a
  short ``{"LOWER": {"IN": [...]}}`` list becomes one pattern per word, so the Matcher compares token
  attributes in C instead of calling a Python predicate per pattern and token;
- the typo-tolerant form, only for the patterns a token of this doc is a near miss for: a token whose
  lower-case text is within the spec's edit distance of a listed word (spaCy's own ``levenshtein_compare``,
  so ``FUZZY{n}`` keeps its meaning) without being one of them. Near misses are found with a
  symmetric-delete index (SymSpell): every string reached by deleting up to n characters of a listed word,
  looked up with the token's own deletions, so no Levenshtein distance is computed for a word with no
  listed word nearby. Those few patterns run in a small Matcher with spaCy's FUZZY operator.

A pattern's exact form finds a subset of what its FUZZY form finds, and on a token that is nobody's near
miss both forms agree, so the matches are the ``entity_ruler``'s. Only the order among equally long
matches at the same start differs: spaCy takes them in the order of a Python set (arbitrary); here an
exact match beats a typo match, then the pattern added first wins (tests/nlp/test_typo_tolerant_ruler.py).
With ``name_label`` set (the store's pipeline sets "ingredient"), one rule is added: a match of another label
that a name starts inside of and runs past gives way to the name ("allergic to milk" to "milk exosomes").

Registered as the factory ``typo_tolerant_entity_ruler``; importing ``bot.nlu`` (as Rasa does) or
``bot.nlp.build_pipeline`` registers it before a saved pipeline is loaded.
"""

# No `from __future__ import annotations` here: spaCy validates the factory's signature at run time.
import re
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from spacy.errors import Warnings
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.matcher.levenshtein import levenshtein_compare
from spacy.pipeline.entityruler import DEFAULT_ENT_ID_SEP, EntityRuler, entity_ruler_score
from spacy.tokens import Doc

from bot.nlp.edits import deletions

FACTORY = "typo_tolerant_entity_ruler"
#: Tokens whose near misses are remembered (then the memory is emptied and refilled).
MAX_REMEMBERED_TOKENS = 20_000
#: Typo-tolerant Matchers remembered, one per set of patterns that had a near miss.
MAX_REMEMBERED_MATCHERS = 512
_FUZZY_OPERATOR = re.compile(r"^FUZZY(\d?)$")


@dataclass(frozen=True)
class FuzzySpec:
    """One typo-tolerant token spec: ``{"LOWER": {"FUZZY<n>": {"IN": words}, "NOT_IN": excluded}}``."""

    words: frozenset[str]
    fuzzy: int  # spaCy's FUZZY number; -1 for plain FUZZY (length-dependent)
    excluded: frozenset[str]

    def max_edits(self, word: str) -> int:
        """The edit distance spaCy's ``levenshtein_compare`` allows between a token and ``word``."""
        return self.fuzzy if self.fuzzy >= 0 else max(2, round(0.3 * len(word)))

    def is_near_miss(self, text: str, compare: Callable[[str, str, int], bool]) -> bool:
        """Whether the FUZZY spec matches ``text`` although the exact form does not."""
        if text in self.words or text in self.excluded:
            return False
        return any(compare(text, word, self.fuzzy) for word in self.words)


def fuzzy_spec(spec: dict[str, Any]) -> FuzzySpec | None:
    """The FUZZY part of a token spec, None if it has none; an error for a FUZZY this ruler cannot index."""
    lower = spec.get("LOWER")
    operators = [key for key in (lower if isinstance(lower, dict) else {}) if _FUZZY_OPERATOR.match(key)]
    other_fuzzy = [key for key, value in spec.items() if key != "LOWER" and "FUZZY" in repr(value)]
    if other_fuzzy:
        raise ValueError(f"{FACTORY}: FUZZY is supported on LOWER only, found it on {other_fuzzy} in {spec}")
    if not operators:
        return None
    operator = operators[0]
    words = lower[operator].get("IN") if isinstance(lower[operator], dict) else None
    others = set(lower) - {operator, "NOT_IN"}
    if len(operators) > 1 or not isinstance(words, list) or set(lower[operator]) != {"IN"} or others:
        raise ValueError(f"{FACTORY}: expected {{'LOWER': {{'FUZZY<n>': {{'IN': [words]}}, 'NOT_IN': [...]}}}} "
                         f"(NOT_IN optional), found {spec}")
    number = _FUZZY_OPERATOR.match(operator).group(1)  # type: ignore[union-attr]
    return FuzzySpec(frozenset(words), int(number) if number else -1, frozenset(lower.get("NOT_IN", ())))


def exact_spec(spec: dict[str, Any]) -> dict[str, Any] | None:
    """What ``spec`` matches without typos: a FUZZY spec becomes its listed words minus the excluded ones
    (None if none is left: only a near miss can match it); any other spec is returned as it is."""
    fuzzy = fuzzy_spec(spec)
    if fuzzy is None:
        return spec
    words = sorted(fuzzy.words - fuzzy.excluded)
    return {**spec, "LOWER": {"IN": words}} if words else None


#: One element of a literal pattern: the token attribute (LOWER or ORTH), the texts it may have, optional.
LiteralElement = tuple[str, frozenset[str], bool]
_LITERAL_ATTRS = ("LOWER", "ORTH")


def literal_elements(pattern: list[dict[str, Any]]) -> list[LiteralElement] | None:
    """The pattern as a sequence of "this token's text is one of these" checks, if it is only that (each
    spec one LOWER or ORTH value or ``IN`` list, optional ``"OP": "?"``; the first one required)."""
    elements: list[LiteralElement] = []
    for spec in pattern:
        attrs = [key for key in spec if key != "OP"]
        operator = spec.get("OP")
        if len(attrs) != 1 or attrs[0] not in _LITERAL_ATTRS or operator not in (None, "?"):
            return None
        value = spec[attrs[0]]
        if isinstance(value, dict) and set(value) == {"IN"} and all(isinstance(v, str) for v in value["IN"]):
            texts = frozenset(value["IN"])
        elif isinstance(value, str):
            texts = frozenset((value,))
        else:
            return None
        elements.append((attrs[0], texts, operator == "?"))
    if not elements or elements[0][2] or elements[0][0] != "LOWER":
        return None
    return elements


class LiteralMatcher:
    """spaCy's Matcher for literal patterns (:func:`literal_elements`), as dict lookups: every (key, start,
    end) where the tokens' texts satisfy the pattern, optional elements taken or skipped."""

    def __init__(self) -> None:
        self._by_first: dict[str, list[tuple[int, list[LiteralElement]]]] = {}

    def add(self, key: int, elements: list[LiteralElement]) -> None:
        """Add one pattern (its first element must be required and on LOWER)."""
        for text in sorted(elements[0][1]):
            self._by_first.setdefault(text, []).append((key, elements))

    def __len__(self) -> int:
        return len({id(elements) for found in self._by_first.values() for _, elements in found})

    def __call__(self, doc: Doc) -> list[tuple[int, int, int]]:
        lower = [token.lower_ for token in doc]
        texts = {"LOWER": lower, "ORTH": [token.orth_ for token in doc]}
        size = len(lower)
        matches: list[tuple[int, int, int]] = []
        for start, word in enumerate(lower):
            for key, elements in self._by_first.get(word, ()):
                ends = {start + 1}
                for attr, allowed, optional in elements[1:]:
                    values = texts[attr]
                    taken = {end + 1 for end in ends if end < size and values[end] in allowed}
                    ends = ends | taken if optional else taken
                    if not ends:
                        break
                matches.extend((key, start, end) for end in sorted(ends))
        return matches


class NearMissIndex:
    """Which FUZZY specs a token is a near miss for (symmetric-delete index, checked with spaCy's compare).

    Two strings within n edits (Levenshtein) both reach a common string by at most n deletions each, so
    the specs a token may be a near miss for are those of the listed words that share a deletion with it;
    each is then checked with ``compare`` itself.
    """

    def __init__(self, specs: Iterable[FuzzySpec], compare: Callable[[str, str, int], bool]) -> None:
        self.specs = list(dict.fromkeys(specs))
        self.compare = compare
        self._by_deletion: dict[str, list[str]] = {}
        self._specs_of_word: dict[str, list[int]] = {}
        lengths: list[tuple[int, int]] = []
        depth = 0
        for number, spec in enumerate(self.specs):
            for word in sorted(spec.words):
                edits = spec.max_edits(word)
                depth = max(depth, edits)
                lengths.append((len(word) - edits, len(word) + edits))
                self._specs_of_word.setdefault(word, []).append(number)
                for deleted in deletions(word, edits):
                    words = self._by_deletion.setdefault(deleted, [])
                    if word not in words:
                        words.append(word)
        self._depth = depth
        self._shortest = min((low for low, _ in lengths), default=1)
        self._longest = max((high for _, high in lengths), default=0)
        self._remembered: dict[str, tuple[int, ...]] = {}

    def near_misses(self, text: str) -> tuple[int, ...]:
        """Numbers (in :attr:`specs`) of the FUZZY specs that match ``text`` only thanks to FUZZY."""
        remembered = self._remembered.get(text)
        if remembered is not None:
            return remembered
        found: tuple[int, ...] = ()
        if self._shortest <= len(text) <= self._longest:
            by_deletion = self._by_deletion
            candidates = {word for deleted in deletions(text, self._depth) for word in by_deletion.get(deleted, ())}
            numbers = {number for word in candidates for number in self._specs_of_word[word]}
            found = tuple(sorted(n for n in numbers if self.specs[n].is_near_miss(text, self.compare)))
        if len(self._remembered) >= MAX_REMEMBERED_TOKENS:
            self._remembered.clear()
        self._remembered[text] = found
        return found


class TypoTolerantEntityRuler(EntityRuler):
    """spaCy's EntityRuler, same patterns and results; FUZZY patterns run only where a token nearly matches."""

    def __init__(self, nlp: Language, name: str = FACTORY, name_label: str | None = None, **kwargs: Any) -> None:
        self.name_label = name_label
        self._fuzzy_patterns: list[tuple[str, list[dict[str, Any]]]] = []
        self._patterns_of_spec: list[list[int]] = []
        self._index = NearMissIndex((), levenshtein_compare)
        self._typo_matchers: dict[frozenset[int], Matcher] = {}
        self._rank: dict[int, int] = {}
        self._literal = LiteralMatcher()
        super().__init__(nlp, name, matcher_fuzzy_compare=levenshtein_compare, **kwargs)

    def add_patterns(self, patterns: list[dict[str, Any]]) -> None:
        """Add patterns (as spaCy's EntityRuler takes them); they are compiled for both forms."""
        super().add_patterns(patterns)
        self._compile()

    def clear(self) -> None:
        """Reset all patterns."""
        super().clear()
        self._compile()

    def remove(self, ent_id: str) -> None:
        """Remove the patterns with this id."""
        # spaCy's remove() takes each label out of self.matcher, which must then hold every label.
        self.matcher = Matcher(self.nlp.vocab, validate=False, fuzzy_compare=self.matcher_fuzzy_compare)
        for label, patterns in self.token_patterns.items():
            self.matcher.add(label, patterns)
        super().remove(ent_id)
        self._compile()

    def _compile(self) -> None:
        """The exact matchers, the near-miss index and the tie-breaking rank, from the patterns as written."""
        self.matcher = Matcher(self.nlp.vocab, validate=False, fuzzy_compare=self.matcher_fuzzy_compare)
        self._literal = LiteralMatcher()
        specs: dict[FuzzySpec, int] = {}
        self._fuzzy_patterns, self._patterns_of_spec, self._typo_matchers, self._rank = [], [], {}, {}
        for label, patterns in self.token_patterns.items():
            key = self.matcher._normalize_key(label)  # noqa: SLF001 - the key spaCy's own matcher uses
            self._rank.setdefault(key, len(self._rank))
            for pattern in patterns:
                exact = [exact_spec(spec) for spec in pattern]
                if all(spec is not None for spec in exact):
                    elements = literal_elements(exact)  # type: ignore[arg-type]
                    if elements is not None:
                        self._literal.add(key, elements)
                    else:
                        self.matcher.add(label, [exact])
                pattern_specs = {fuzzy for spec in pattern if (fuzzy := fuzzy_spec(spec)) is not None}
                if not pattern_specs:
                    continue
                number = len(self._fuzzy_patterns)
                self._fuzzy_patterns.append((label, pattern))
                for fuzzy in sorted(pattern_specs, key=lambda s: (sorted(s.words), s.fuzzy, sorted(s.excluded))):
                    if fuzzy not in specs:
                        specs[fuzzy] = len(specs)
                        self._patterns_of_spec.append([])
                    self._patterns_of_spec[specs[fuzzy]].append(number)
        for label in self.phrase_patterns:
            self._rank.setdefault(self.matcher._normalize_key(label), len(self._rank))  # noqa: SLF001
        self._index = NearMissIndex(specs, self.matcher_fuzzy_compare)

    def _require_patterns(self) -> None:
        """Warn if there are no patterns (spaCy's check counts every pattern on every call)."""
        if not self.token_patterns and not self.phrase_patterns:
            warnings.warn(Warnings.W036.format(name=self.name), stacklevel=2)

    def _typo_matcher(self, numbers: frozenset[int]) -> Matcher:
        matcher = self._typo_matchers.get(numbers)
        if matcher is None:
            matcher = Matcher(self.nlp.vocab, validate=False, fuzzy_compare=self.matcher_fuzzy_compare)
            for number in sorted(numbers):
                label, pattern = self._fuzzy_patterns[number]
                matcher.add(label, [pattern])
            if len(self._typo_matchers) >= MAX_REMEMBERED_MATCHERS:
                self._typo_matchers.clear()
            self._typo_matchers[numbers] = matcher
        return matcher

    def near_miss_patterns(self, doc: Doc) -> frozenset[int]:
        """Numbers of the FUZZY patterns that may match more in this doc than their exact form does."""
        near = self._index.near_misses
        return frozenset(number for text in {token.lower_ for token in doc} for spec in near(text)
                         for number in self._patterns_of_spec[spec])

    def match(self, doc: Doc) -> list[tuple[int, int, int]]:
        """(key, start, end) of every match, longest first, then leftmost (as spaCy's EntityRuler); among
        equally long ones at one start, exact before typo matches, then the pattern added first."""
        self._require_patterns()
        found = set(self._literal(doc))
        if len(self.matcher):
            found.update((key, start, end) for key, start, end in self.matcher(doc) if start != end)
        found.update((key, start, end) for key, start, end in self.phrase_matcher(doc) if start != end)
        typo_only: set[tuple[int, int, int]] = set()
        near = self.near_miss_patterns(doc)
        if near:
            typo_only = {(key, start, end) for key, start, end in self._typo_matcher(near)(doc)
                         if start != end and (key, start, end) not in found}
        last = len(self._rank)
        matches = sorted(found | typo_only,
                         key=lambda m: (m[1] - m[2], m[1], m in typo_only, self._rank.get(m[0], last)))
        return self._names_first(matches) if self.name_label else matches

    def _names_first(self, matches: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
        """Without the matches of another label that a ``name_label`` match starts inside of and runs past:
        "allergic to milk" (an allergen) gives way to "milk exosomes" (an ingredient) in "I'm allergic to milk
        exosomes", which is about the ingredient; spaCy's rule alone would keep the longer phrase and leave
        "exosomes"."""
        strings, prefix = self.nlp.vocab.strings, self.name_label + self.ent_id_sep  # keys are "label||id"
        is_name = {key: strings[key] == self.name_label or strings[key].startswith(prefix) for key, _, _ in matches}
        names = [(start, end) for key, start, end in matches if is_name[key]]
        if not names:
            return matches
        return [(key, start, end) for key, start, end in matches
                if is_name[key] or not any(start < n_start < end < n_end for n_start, n_end in names)]

    def typo_patterns(self) -> Iterator[tuple[str, list[dict[str, Any]]]]:
        """(label, pattern) of every pattern with a FUZZY spec, as written."""
        yield from self._fuzzy_patterns


@Language.factory(
    FACTORY,
    assigns=["doc.ents", "token.ent_type", "token.ent_iob"],
    default_config={"phrase_matcher_attr": None, "validate": False, "overwrite_ents": False,
                    "ent_id_sep": DEFAULT_ENT_ID_SEP, "scorer": {"@scorers": "spacy.entity_ruler_scorer.v1"},
                    "name_label": None},
    default_score_weights={"ents_f": 1.0, "ents_p": 0.0, "ents_r": 0.0, "ents_per_type": None},
)
def create_typo_tolerant_entity_ruler(
    nlp: Language, name: str, phrase_matcher_attr: str | None, validate: bool, overwrite_ents: bool,
    ent_id_sep: str, scorer: Callable | None, name_label: str | None,
) -> TypoTolerantEntityRuler:
    """The spaCy factory (config: spaCy's entity_ruler's, without a choice of fuzzy comparison, plus
    ``name_label``: the label whose matches win over phrases of other labels ending inside them)."""
    return TypoTolerantEntityRuler(nlp, name, name_label=name_label, phrase_matcher_attr=phrase_matcher_attr,
                                   validate=validate,
                                   overwrite_ents=overwrite_ents, ent_id_sep=ent_id_sep,
                                   scorer=scorer if scorer is not None else entity_ruler_score)
