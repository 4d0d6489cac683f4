"""The entity values the knowledge store knows, for trusting a value that did not come from the entity pipeline.

A button payload (`/ask_summary{"ingredient": "..."}`) carries its entity values as text; the assistant
may act on such a value only when the store knows it. The values known are the same words the spaCy
entity pipeline is generated from (bot/nlp/build_pipeline.py): each profiled ingredient's name, slug,
INCI name, synonyms and misspellings; the names of common ingredients without a profile
(ingredient_names.txt); and the controlled vocabulary (vocabulary.yml). A known word is mapped to the
value the pipeline would have given it (an ingredient's display name, a vocabulary term's normalised
value), so a payload value and a typed one mean the same thing downstream.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy.engine import Engine

from knowledge.queries import ingredient_terms
from knowledge.schema import normalize_term
from knowledge.vocabulary import TERM_KINDS, load_other_ingredient_names, load_vocabulary

#: The entity type of ingredient names (the vocabulary's kinds are the others).
INGREDIENT_ENTITY = "ingredient"


@dataclass(frozen=True)
class KnownEntityValues:
    """Entity type -> every known word for it (normalised with `normalize_term`) -> the value it stands for."""

    by_entity: Mapping[str, Mapping[str, str]]

    def canonical(self, entity: str, value: object) -> str | None:
        """The value the store knows `value` as, for this entity type; None when it does not know it."""
        forms = self.by_entity.get(entity)
        if not forms or not isinstance(value, str):
            return None
        return forms.get(normalize_term(value))

    def size(self) -> int:
        """How many words are known, over all entity types."""
        return sum(len(forms) for forms in self.by_entity.values())


def known_entity_values(engine: Engine | str | None = None) -> KnownEntityValues:
    """Read the known values from the store (`engine`, default SKINCARE_DB_URL) and the vocabulary files.

    Raises knowledge.queries.KnowledgeStoreUnavailable when the store cannot be read.
    """
    vocabulary = load_vocabulary()
    by_entity: dict[str, dict[str, str]] = {}
    for kind in TERM_KINDS:
        by_entity[kind] = {
            normalize_term(form): value
            for value, forms in vocabulary.surface_forms(kind).items()
            for form in forms
        }
    ingredients = {normalize_term(name): name.lower() for name in load_other_ingredient_names()}
    for terms in ingredient_terms(engine):  # profiled names win over the list of other names
        for form in (terms.name, terms.slug, terms.inci_name, *terms.terms):
            if form:
                ingredients[normalize_term(form)] = terms.name
    by_entity[INGREDIENT_ENTITY] = ingredients
    return KnownEntityValues(by_entity)
