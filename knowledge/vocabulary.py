"""The store's controlled vocabulary (knowledge/vocabulary.yml): normalised values and their surface forms."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

VOCABULARY_PATH = Path(__file__).with_name("vocabulary.yml")
INGREDIENT_NAMES_PATH = Path(__file__).with_name("ingredient_names.txt")

#: The kinds of term the vocabulary defines; each is also an entity type in the Rasa domain.
TERM_KINDS = (
    "skin_type", "diet", "life_stage", "allergen", "intolerance", "skin_condition", "medicine",
)


@dataclass(frozen=True)
class Vocabulary:
    """Normalised values per kind, each with the words people use for it."""

    terms: dict[str, dict[str, tuple[str, ...]]]
    fuzzy_exclusions: frozenset[str]
    not_entities: tuple[str, ...] = ()
    #: Allergen value -> label names of the entry itself; a person with that allergy is concerned by every
    #: EU labelled (fragrance) allergen on a pasted ingredient list and by an entry with one of these names.
    label_allergies: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: Words that name an allergen only right after one of these cues ("allergic to milk"): cues, and
    #: allergen value -> words (bot/nlp/cued_terms.py).
    allergy_cues: tuple[str, ...] = ()
    cued_allergens: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def values(self, kind: str) -> tuple[str, ...]:
        """The normalised values allowed for one kind (e.g. all skin types)."""
        return tuple(self.terms.get(kind, {}))

    def surface_forms(self, kind: str) -> dict[str, tuple[str, ...]]:
        """Normalised value -> surface forms (the value itself included) for one kind."""
        return {
            value: tuple(dict.fromkeys([value, *forms])) for value, forms in self.terms.get(kind, {}).items()
        }


class VocabularyError(ValueError):
    """vocabulary.yml is malformed; the message says where and what was expected."""


def parse_vocabulary(document: object, path: Path = VOCABULARY_PATH) -> Vocabulary:
    """Check the structure of a loaded vocabulary document and turn it into a Vocabulary."""
    if not isinstance(document, dict):
        raise VocabularyError(f"{path}: expected a mapping of term kinds ({', '.join(TERM_KINDS)})")
    unknown = set(document) - set(TERM_KINDS) - {"fuzzy_exclusions", "not_entities", "label_allergies",
                                                 "cued_allergens"}
    if unknown:
        raise VocabularyError(
            f"{path}: unknown section(s) {sorted(unknown)}; expected only {', '.join(TERM_KINDS)}"
            ", fuzzy_exclusions, not_entities, label_allergies and cued_allergens"
        )
    terms: dict[str, dict[str, tuple[str, ...]]] = {}
    for kind in TERM_KINDS:
        section = document.get(kind) or {}
        if not isinstance(section, dict):
            raise VocabularyError(f"{path}: {kind}: expected a mapping of value -> list of words")
        terms[kind] = {}
        for value, forms in section.items():
            if not isinstance(forms, list) or not all(isinstance(f, str) and f.strip() for f in forms):
                raise VocabularyError(f"{path}: {kind}.{value}: expected a list of non-empty words")
            terms[kind][str(value)] = tuple(f.strip() for f in forms)
    exclusions = document.get("fuzzy_exclusions") or []
    if not isinstance(exclusions, list):
        raise VocabularyError(f"{path}: fuzzy_exclusions: expected a list of words")
    not_entities = document.get("not_entities") or []
    if not isinstance(not_entities, list) or not all(isinstance(p, str) for p in not_entities):
        raise VocabularyError(f"{path}: not_entities: expected a list of phrases")
    label_allergies = document.get("label_allergies") or {}
    if not isinstance(label_allergies, dict):
        raise VocabularyError(f"{path}: label_allergies: expected a mapping of allergen -> list of label names")
    label_names = _allergen_lists(label_allergies, terms["allergen"], f"{path}: label_allergies", "label names")
    cues, cued = _cued_allergens(document.get("cued_allergens") or {}, terms["allergen"], path)
    return Vocabulary(
        allergy_cues=cues,
        cued_allergens=cued,
        terms=terms,
        fuzzy_exclusions=frozenset(str(w).lower() for w in exclusions),
        not_entities=tuple(p.strip() for p in not_entities if p.strip()),
        label_allergies=label_names,
    )


def _cued_allergens(section: object, allergens: dict[str, tuple[str, ...]],
                    path: Path) -> tuple[tuple[str, ...], dict[str, tuple[str, ...]]]:
    where = f"{path}: cued_allergens"
    if not isinstance(section, dict) or set(section) - {"cues", "terms"}:
        raise VocabularyError(f"{where}: expected a mapping with 'cues' (a list of phrases) and 'terms' "
                              "(allergen value -> list of words)")
    cues, terms = section.get("cues") or [], section.get("terms") or {}
    if not isinstance(cues, list) or not all(isinstance(c, str) and c.strip() for c in cues):
        raise VocabularyError(f"{where}.cues: expected a list of non-empty phrases")
    if not isinstance(terms, dict):
        raise VocabularyError(f"{where}.terms: expected a mapping of allergen value -> list of words")
    return tuple(c.strip() for c in cues), _allergen_lists(terms, allergens, f"{where}.terms", "words")


def _allergen_lists(section: dict, allergens: dict[str, tuple[str, ...]], where: str,
                    what: str) -> dict[str, tuple[str, ...]]:
    """Allergen value -> stripped strings, each value one the vocabulary defines, each list of non-empty strings."""
    for value, items in section.items():
        if str(value) not in allergens:
            raise VocabularyError(f"{where}.{value}: not an allergen value of the vocabulary")
        if not isinstance(items, list) or not all(isinstance(i, str) and i.strip() for i in items):
            raise VocabularyError(f"{where}.{value}: expected a list of non-empty {what}")
    return {str(value): tuple(i.strip() for i in items) for value, items in section.items()}


@lru_cache(maxsize=4)
def load_vocabulary(path: Path = VOCABULARY_PATH) -> Vocabulary:
    """Read and check vocabulary.yml (cached per process)."""
    with path.open(encoding="utf-8") as handle:
        return parse_vocabulary(yaml.safe_load(handle), path)


def load_other_ingredient_names(path: Path = INGREDIENT_NAMES_PATH) -> tuple[str, ...]:
    """Names of common ingredients without a profile, so questions about them are recognised."""
    if not path.exists():
        return ()
    lines = (line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return tuple(dict.fromkeys(line for line in lines if line))
