"""What the knowledge store knows about an ingredient, as plain read-only values.

These types are the contract between the store (``knowledge.queries`` produces them) and
everything downstream (actions and the answer composer consume them). They carry facts and
the source of each fact, never wording for a reply.

They are also the one definition of a fact's shape: a field's type (text, a fixed value set, a
number, a source...) and its :func:`stored` notes are all that ``knowledge.schema`` (validation),
``knowledge.models`` (tables), the loader (writing) and ``knowledge.queries`` (reading) go by, through
``knowledge.shape``. Adding a field here adds it everywhere.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

#: The dataclass field metadata key under which :func:`stored` keeps a :class:`FieldNotes`.
NOTES_KEY = "knowledge"


@dataclass(frozen=True)
class FieldNotes:
    """What a field's type does not say about how it is written in a profile and kept in the store."""

    vocabulary: str | None = None  # a normalised value of this kind from knowledge/vocabulary.yml
    key: bool = False  # must not repeat within its list (and is unique per ingredient in the store)
    bounds: tuple[int, int] | None = None  # a whole number in this range, both ends included
    explicit: bool = False  # may be null but must be written, so the author states "there is none"
    term: bool = False  # a name people call the ingredient by (matched when they ask about it)
    slug: bool = False  # lowercase words joined by hyphens, unique in the store
    table: str | None = None  # the SQL table of a list of facts, or of an optional record
    source_field: str | None = None  # a list of names whose one source is given in this other field


def stored(**notes: Any) -> Any:
    """A dataclass field carrying :class:`FieldNotes` (``skin_type: str = stored(vocabulary="skin_type")``)."""
    return field(metadata={NOTES_KEY: FieldNotes(**notes)})


class SuitabilityVerdict(str, enum.Enum):
    """How well an ingredient fits a skin type, diet or allergy (a fixed scale)."""

    SUITABLE = "suitable"
    GENERALLY_TOLERATED = "generally_tolerated"
    CAUTION = "caution"
    AVOID = "avoid"


class EvidenceState(str, enum.Enum):
    """What research currently says about use in a life stage (pregnancy, breastfeeding)."""

    NO_KNOWN_RISK = "no_known_risk"
    LIMITED_EVIDENCE = "limited_evidence"
    KNOWN_RISK = "known_risk"


class Likelihood(str, enum.Enum):
    """How often a side effect is expected in a well-formulated product."""

    RARE = "rare"
    UNLIKELY = "unlikely"
    UNCOMMON = "uncommon"
    COMMON = "common"


class UsageTopic(str, enum.Enum):
    """Kinds of practical usage advice a profile can give."""

    PATCH_TEST = "patch_test"
    ON_REACTION = "on_reaction"
    DAYTIME_USE = "daytime_use"


@dataclass(frozen=True)
class SourceRef:
    """Where a fact comes from: a document title, its address when known, and the section."""

    title: str
    section: str
    url: str | None = None


@dataclass(frozen=True)
class CosmeticFunction:
    """One cosmetic function (e.g. emollient) and a plain explanation of what it does."""

    name: str = stored(key=True)
    explanation: str
    source: SourceRef


@dataclass(frozen=True)
class SkinTypeSuitability:
    """Verdict for one normalised skin type (dry, normal, combination, oily, acne-prone, sensitive, mature)."""

    skin_type: str = stored(vocabulary="skin_type", key=True)
    verdict: SuitabilityVerdict
    reason: str
    source: SourceRef


@dataclass(frozen=True)
class DietCompatibility:
    """Verdict for one diet (vegan, vegetarian), with whether an alternative exists."""

    diet: str = stored(vocabulary="diet", key=True)
    verdict: SuitabilityVerdict
    reason: str
    alternative: str | None = stored(explicit=True)
    source: SourceRef


@dataclass(frozen=True)
class LifeStageAdvice:
    """State of evidence and advice for one life stage (pregnancy, breastfeeding)."""

    life_stage: str = stored(vocabulary="life_stage", key=True)
    evidence: EvidenceState
    summary: str
    advice: str
    source: SourceRef


@dataclass(frozen=True)
class SunSensitivity:
    """Whether the ingredient makes skin more sensitive to the sun, and daytime advice."""

    increases_photosensitivity: bool
    explanation: str
    daytime_advice: str
    source: SourceRef


@dataclass(frozen=True)
class AllergenVerdict:
    """Verdict for people with one allergy (e.g. milk protein)."""

    allergen: str = stored(vocabulary="allergen", key=True)
    verdict: SuitabilityVerdict
    reason: str
    source: SourceRef


@dataclass(frozen=True)
class SideEffect:
    """A possible side effect, how likely it is, and who is most at risk."""

    name: str = stored(key=True)
    description: str
    likelihood: Likelihood
    at_risk: str
    source: SourceRef


@dataclass(frozen=True)
class ComedogenicRating:
    """Pore-clogging potential on the 0 (never) to 5 (very likely) scale, with the reasoning."""

    rating: int = stored(bounds=(0, 5))
    rationale: str
    note: str | None
    source: SourceRef


@dataclass(frozen=True)
class UsageAdvice:
    """Practical advice on one usage topic."""

    topic: UsageTopic = stored(key=True)
    advice: str
    source: SourceRef


@dataclass(frozen=True)
class TextFact:
    """A free-text fact of a named kind (description, contents, history, form, tolerance...)."""

    text: str
    source: SourceRef


@dataclass(frozen=True)
class IngredientFacts:
    """Everything the store holds about one ingredient."""

    name: str = stored(term=True)
    slug: str = stored(term=True, slug=True)
    inci_name: str = stored(term=True)
    synonyms: tuple[str, ...] = stored(term=True)
    misspellings: tuple[str, ...] = stored(term=True)
    description: TextFact
    origin: TextFact
    contents: TextFact
    history: TextFact | None
    manufacturing: TextFact
    form: TextFact
    product_types: tuple[str, ...] = stored(table="product_types", source_field="product_types_source")
    product_types_source: SourceRef
    functions: tuple[CosmeticFunction, ...] = stored(table="functions")
    skin_types: tuple[SkinTypeSuitability, ...] = stored(table="skin_type_verdicts")
    diets: tuple[DietCompatibility, ...] = stored(table="diet_verdicts")
    life_stages: tuple[LifeStageAdvice, ...] = stored(table="life_stage_advice")
    sun: SunSensitivity | None = stored(table="sun_sensitivity")
    allergens: tuple[AllergenVerdict, ...] = stored(table="allergen_verdicts")
    side_effects_overview: TextFact | None
    side_effects: tuple[SideEffect, ...] = stored(table="side_effects")
    comedogenic: ComedogenicRating | None = stored(table="comedogenic_ratings")
    usage: tuple[UsageAdvice, ...] = stored(table="usage_advice")
    tolerance: TextFact | None
    market_status: TextFact | None
    sources: tuple[SourceRef, ...] = field(default=())  # every source the facts above cite, in profile order

    def skin_type(self, skin_type: str) -> SkinTypeSuitability | None:
        """The verdict for one normalised skin type, if the profile covers it."""
        return next((s for s in self.skin_types if s.skin_type == skin_type), None)

    def diet(self, diet: str) -> DietCompatibility | None:
        """The verdict for one normalised diet, if the profile covers it."""
        return next((d for d in self.diets if d.diet == diet), None)

    def life_stage(self, life_stage: str) -> LifeStageAdvice | None:
        """Advice for one normalised life stage, if the profile covers it."""
        return next((s for s in self.life_stages if s.life_stage == life_stage), None)

    def allergen(self, allergen: str) -> AllergenVerdict | None:
        """The verdict for one normalised allergen, if the profile covers it."""
        return next((a for a in self.allergens if a.allergen == allergen), None)

    def usage_advice(self, topic: UsageTopic) -> UsageAdvice | None:
        """Advice on one usage topic, if the profile gives it."""
        return next((u for u in self.usage if u.topic == topic), None)
