"""Entity-ruler patterns generated from the knowledge store's words (data, not code about ingredients).

Every pattern matches case-insensitively (on LOWER), tolerates hyphen/space variants ("acne-prone",
"acne prone"), plural and simple inflected forms of the last word, and, for longer words, small typos
(spaCy's FUZZY operator). The entity id carries the normalised value the rest of the assistant uses.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import spacy_lookups_data
from spacy.language import Language

from knowledge.annexes.names import spoken_name

HYPHENS = ("-", "–", "—")

#: Words that, after one or two other words, name an ingredient even when the store has no profile for
#: it ("rosehip oil", "green tea extract", "plant exosomes"): the assistant can then say plainly that it
#: has no verified information instead of answering about another ingredient.
INGREDIENT_HEAD_WORDS = (
    "oil", "oils", "extract", "extracts", "acid", "acids", "butter", "mucin", "peptide", "peptides",
    "ferment", "filtrate", "exosome", "exosomes", "ceramide", "ceramides", "collagen", "retinoid",
    "retinoids", "enzyme", "enzymes", "seed", "wax", "clay", "glycerin", "hydrolysate",
)

#: Words that never start such a name: they describe a product or a person, not an ingredient.
NON_INGREDIENT_WORDS = (
    "face", "facial", "body", "hair", "skin", "my", "your", "this", "that", "the", "a", "an", "any",
    "some", "serum", "cream", "product", "products", "new", "good", "bad", "best", "natural", "cleansing",
    "baby", "massage", "cooking", "free",
    # verbs and fillers that come right before a name in questions ("can I use salicylic acid")
    "use", "using", "used", "uses", "contain", "contains", "containing", "produce", "produced", "explain",
    "apply", "applying", "try", "trying", "buy", "extract", "extracted", "actually", "really", "company",
    "make", "made", "makes", "put", "get", "got", "add", "added", "mix", "mixing", "about", "with", "r",
    "u", "pure", "organic", "rich", "heavy", "cheap", "much", "many", "more", "less", "lot", "lots",
    "combine", "combining", "layer", "layering", "like", "love", "need", "want", "recommend", "suggest",
    "making", "producing", "isolate", "isolating", "feature", "features", "featuring",
    # how much of it: "what's the max salicylic acid in a toner?" asks about salicylic acid
    "max", "maximum", "min", "minimum", "amount", "percent", "percentage", "concentration", "concentrations",
    "level", "levels", "limit", "limits", "allowed", "permitted", "strength", "strongest", "highest", "lowest",
    "dose", "dosage",
)

#: Label of matches that only exist to stop a shorter, misleading match (see vocabulary `not_entities`).
NOT_AN_ENTITY = "_not_an_entity"


@dataclass(frozen=True)
class TermSet:
    """Surface forms that all mean one normalised value of one entity type."""

    label: str
    value: str
    forms: tuple[str, ...]
    fuzzy: bool = True


def inflections(word: str) -> list[str]:
    """The word with its simple plural/singular forms ("allergy" -> "allergies", "mums" -> "mum")."""
    forms = [word]
    if not word.isalpha() or len(word) < 3:
        return forms
    if word.endswith("y") and word[-2] not in "aeiou":
        forms.append(word[:-1] + "ies")
    elif word.endswith(("s", "x", "ch", "sh")):
        forms.append(word + "es")
    else:
        forms.append(word + "s")
    if word.endswith("ies") and len(word) > 4:
        forms.append(word[:-3] + "y")
    elif word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        forms.append(word[:-1])
    return list(dict.fromkeys(forms))


def _fuzzy_edits(word: str) -> int:
    """How many typos a word tolerates: none for short words (too many real neighbours), then 1, then 2."""
    if not word.isalpha() or len(word) < 7:
        return 0
    return 1 if len(word) < 8 else 2


def _token_spec(variants: Sequence[str], fuzzy: bool, exclusions: frozenset[str]) -> dict[str, Any]:
    edits = _fuzzy_edits(variants[0]) if fuzzy else 0
    if edits == 0:
        return {"LOWER": {"IN": list(variants)}} if len(variants) > 1 else {"LOWER": variants[0]}
    spec: dict[str, Any] = {f"FUZZY{edits}": {"IN": list(variants)}}
    if exclusions:
        spec["NOT_IN"] = sorted(exclusions)
    return {"LOWER": spec}


def phrase_pattern(
    nlp: Language, phrase: str, fuzzy: bool, exclusions: frozenset[str] = frozenset()
) -> list[dict[str, Any]]:
    """Token pattern for one phrase: optional hyphens between words, inflected last word, typo-tolerant."""
    words = [t.lower_ for t in nlp.make_doc(phrase) if t.text not in HYPHENS and not t.is_space]
    pattern: list[dict[str, Any]] = []
    for index, word in enumerate(words):
        if index > 0:
            pattern.append({"ORTH": {"IN": list(HYPHENS)}, "OP": "?"})
        variants = inflections(word) if index == len(words) - 1 else [word]
        pattern.append(_token_spec(variants, fuzzy, exclusions))
    return pattern


def term_patterns(
    nlp: Language, term_sets: Iterable[TermSet], exclusions: frozenset[str] = frozenset()
) -> list[dict[str, Any]]:
    """Entity-ruler patterns for every surface form of every term set, ids set to the normalised value."""
    patterns: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for term_set in term_sets:
        for form in term_set.forms:
            key = (term_set.label, form.lower())
            if key in seen or not form.strip():
                continue
            seen.add(key)
            patterns.append(
                {
                    "label": term_set.label,
                    "id": term_set.value,
                    "pattern": phrase_pattern(nlp, form, term_set.fuzzy, exclusions),
                }
            )
    return patterns


def not_entity_patterns(nlp: Language, phrases: Iterable[str]) -> list[dict[str, Any]]:
    """Patterns for phrases that contain a vocabulary word but are not an entity ("sun sensitive")."""
    return [{"label": NOT_AN_ENTITY, "pattern": phrase_pattern(nlp, phrase, fuzzy=False)} for phrase in phrases]


def unprofiled_ingredient_patterns(label: str, blocked_words: Iterable[str]) -> list[dict[str, Any]]:
    """Patterns for ingredient-like names the store may not know: one or two words + an ingredient head word."""
    blocked = sorted({*NON_INGREDIENT_WORDS, *(w.lower() for w in blocked_words)})
    modifier = {"IS_ALPHA": True, "IS_STOP": False, "LOWER": {"NOT_IN": blocked}}
    head = {"LOWER": {"IN": list(INGREDIENT_HEAD_WORDS)}}
    return [
        {"label": label, "pattern": [modifier, head]},
        {"label": label, "pattern": [modifier, dict(modifier), head]},
        {"label": label, "pattern": [modifier, {"ORTH": {"IN": list(HYPHENS)}}, dict(modifier), head]},
    ]


#: Endings of chemical-looking words ("zinc unicornium", "sodium fictionate"): with a modifier word before
#: them they name an ingredient even when no list holds it, so the reply names it back honestly.
CHEMICAL_ENDINGS = r"^[a-z]{3,}(?:ium|ide|ate|ol|ine|one|ene|ose|yl|ane)$"
#: Everyday words with those endings that never end an ingredient name.
NOT_CHEMICAL_WORDS = (
    "medium", "premium", "podium", "stadium", "side", "wide", "provide", "decide", "inside", "outside",
    "guide", "beside", "aside", "rate", "date", "late", "hate", "state", "plate", "create", "moderate",
    "separate", "immediate", "ultimate", "delicate", "accurate", "appropriate", "hydrate", "irritate",
    "alone", "anyone", "someone", "everyone", "done", "gone", "phone", "none", "tone", "zone", "bone",
    "routine", "medicine", "machine", "fine", "line", "online", "mine", "wine", "shine", "combine",
    "define", "skincare", "same", "scene", "gene", "control", "patrol", "cool", "tool", "school",
    "pool", "wool", "close", "dose", "nose", "rose", "those", "whose", "lose", "chose", "purpose",
    "style", "plane", "lane", "insane", "sane", "ate", "dine", "genuine", "feminine", "masculine",
    "daytime", "nighttime", "anytime", "sometime", "someone", "prone", "dryness", "private", "climate",
    "chocolate", "ultimate", "intimate", "sensitive", "alive", "olive", "positive", "negative",
    "glide", "pride", "ride", "bride", "tide", "slide", "hide",
)


def chemical_name_patterns(
    label: str, blocked_words: Iterable[str], known_words: Iterable[str] = ()
) -> list[dict[str, Any]]:
    """Patterns for "modifier + chemical-looking word" names ("zinc unicornium") that no list holds.

    A word of a name the store knows (a medicine, a listed or profiled ingredient) never ends such a guess:
    otherwise the word before it would be swallowed into a longer, unknown name ("alongside accutane",
    "affect benzoyl" of "affect benzoyl peroxide") and the known name would be lost.
    """
    blocked = sorted({*NON_INGREDIENT_WORDS, *(w.lower() for w in blocked_words)})
    modifier = {"IS_ALPHA": True, "IS_STOP": False, "LOWER": {"NOT_IN": blocked}}
    known = {w.lower() for w in known_words}
    head = {"LOWER": {"REGEX": CHEMICAL_ENDINGS, "NOT_IN": sorted({*NOT_CHEMICAL_WORDS, *blocked, *known})}}
    return [{"label": label, "pattern": [modifier, head]}]


def family_patterns(label: str, names: Iterable[str]) -> list[dict[str, Any]]:
    """The bare head word of profiled names ("exosomes" for "milk exosomes"), id = the plural head word.

    A bare head word names a family of ingredients, not the one we hold a profile for; the assistant asks
    which one is meant instead of assuming.
    """
    patterns: list[dict[str, Any]] = []
    seen: set[str] = set()
    for name in names:
        words = name.lower().split()
        head = words[-1] if len(words) >= 2 else ""
        if head not in INGREDIENT_HEAD_WORDS or head in seen:
            continue
        seen.add(head)
        plural = head if head.endswith("s") else f"{head}s"
        patterns.append({"label": label, "id": plural, "pattern": [{"LOWER": {"IN": inflections(plural)}}]})
    return patterns


#: People younger than this are children (the `child` life stage): "my 13-year-old", "a 15yo", "aged 9".
CHILD_AGE_LIMIT = 18
_NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
                 "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen")


def child_age_patterns(label: str, value: str) -> list[dict[str, Any]]:
    """Patterns for a child's age, whoever says it: "13-year-old", "12-year-olds", "12 year old", "15yo",
    "15 y/o", "aged 9", "at 15?" (closing a clause: "at 10 pm", "at 15%" and "at 9 in the evening" are a
    time or a strength), and any number of weeks or months ("a 3 month old"). Ages from CHILD_AGE_LIMIT up
    are adults and match nothing."""
    numerals = [str(n) for n in range(CHILD_AGE_LIMIT)]
    age = {"LOWER": {"IN": numerals + list(_NUMBER_WORDS[:CHILD_AGE_LIMIT])}}
    hyphen = {"ORTH": {"IN": list(HYPHENS)}, "OP": "?"}
    old = {"LOWER": {"IN": ["old", "olds"]}}  # "creams for 12-year-olds" too
    years = {"LOWER": {"IN": ["year", "years", "yr", "yrs"]}}
    baby_units = {"LOWER": {"IN": ["week", "weeks", "wk", "wks", "month", "months", "mo", "mos"]}}
    short = {"LOWER": {"REGEX": rf"^(?:{'|'.join(numerals)})(?:yo|y\.o\.?|yrs?)$"}}
    patterns = [
        [age, hyphen, years, hyphen, old],
        [{"LIKE_NUM": True}, hyphen, baby_units, hyphen, old],
        [short],
        [short, old],
        [age, {"LOWER": {"IN": ["yo", "y.o", "y.o."]}}],
        [age, {"LOWER": "y"}, {"ORTH": "/"}, {"LOWER": "o"}],
        [{"LOWER": {"IN": ["aged", "age", "ages"]}}, age],
        [{"LOWER": "at"}, age, {"ORTH": {"IN": ["?", "!", ".", ","]}}],
    ]
    return [{"label": label, "id": value, "pattern": pattern} for pattern in patterns]


#: A one-word name that is this common in English ("lead", "silver", "water") is not taken as an
#: ingredient on its own: spaCy's English word probabilities (log scale; "nicotine" is about -12).
COMMON_WORD_LOG_PROB = -11.5
#: Longer "names" are descriptions of mixtures nobody types into a chat.
MAX_NAME_CHARS = 100


@lru_cache(maxsize=1)
def english_word_log_probs() -> dict[str, float]:
    """spaCy's English word probabilities (spacy-lookups-data), read once per build."""
    path = Path(spacy_lookups_data.__file__).parent / "data" / "en_lexeme_prob.json.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return json.load(handle)


def is_common_word(word: str) -> bool:
    """Whether a single word is an everyday English word rather than a substance name."""
    return english_word_log_probs().get(word.lower(), -100.0) > COMMON_WORD_LOG_PROB


#: British and American spellings of the same word part (the register mixes them, so do people).
_SPELLINGS = (("sulph", "sulf"), ("sulf", "sulph"), ("aluminium", "aluminum"), ("aluminum", "aluminium"),
              ("colour", "color"), ("color", "colour"))


def spelling_variants(name: str) -> list[str]:
    """The ways people write one substance name: as listed, hyphens as spaces or dropped, without a trailing
    "(...)" qualifier or "extract" (case is handled by matching on lower-case text)."""
    base = " ".join(name.split())
    forms = [base]
    stripped = re.sub(r"\s*\([^()]*\)$", "", base)
    if stripped and stripped != base:
        forms.append(stripped)
    for form in list(forms):
        if re.search(r"\s+extract$", form, re.IGNORECASE):
            forms.append(re.sub(r"\s+extract$", "", form, flags=re.IGNORECASE))
    for form in list(forms):
        for spelling, other in _SPELLINGS:
            if re.search(spelling, form, re.IGNORECASE):
                forms.append(re.sub(spelling, other, form, flags=re.IGNORECASE))
    for form in list(forms):
        if "-" in form:
            forms.append(re.sub(r"\s*-\s*", " ", form).strip())
            forms.append(re.sub(r"(?<=[A-Za-z])\s*-\s*(?=[A-Za-z0-9])", "", form))
    return list(dict.fromkeys(f for f in forms if f))


def substance_names(
    nlp: Language, names: Iterable[str], taken: Iterable[str]
) -> list[tuple[tuple[str, ...], str]]:
    """(lower-case tokens, value) for every spelling of every listed substance name; value = the name as a
    reply says it (:func:`spoken_name`). For :class:`bot.nlp.substance_names.SubstanceNames`.

    Forms in ``taken`` (profiled ingredients, vocabulary words) keep their own meaning; a bare common
    English word is never a substance.
    """
    blocked = {form.lower() for form in taken}
    found: list[tuple[tuple[str, ...], str]] = []
    seen: set[tuple[str, ...]] = set()
    for name in names:
        if len(name) > MAX_NAME_CHARS:
            continue
        for form in spelling_variants(name):
            lowered = form.lower()
            if lowered in blocked or len(lowered) < 3:
                continue
            tokens = tuple(t.lower_ for t in nlp.make_doc(lowered) if not t.is_space)
            if tokens in seen:
                continue
            if len(tokens) == 1 and (is_common_word(lowered) or not any(c.isalpha() for c in lowered)):
                continue
            seen.add(tokens)
            found.append((tokens, spoken_name(name)))
    return found


def qualified_name_patterns(label: str, single_words: Iterable[str]) -> list[dict[str, Any]]:
    """A one-word ingredient name followed by a translation in brackets, as labels write it ("Parfum
    (Fragrance)", "Aqua (Water)"), as one entity; its text is looked up without the brackets."""
    words = sorted({w.lower() for w in single_words if w.isalpha()})
    return [{"label": label, "pattern": [{"LOWER": {"IN": words}}, {"ORTH": "("},
                                         {"IS_ALPHA": True, "OP": "+"}, {"ORTH": ")"}]}] if words else []
