"""What the knowledge store knows about an ingredient, as plain read-only values.

These types are the contract between the store (``knowledge.queries`` produces them) and
everything downstream (actions and the answer composer consume them). They carry facts and
the source of each fact, never wording for a reply.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


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

    name: str
    explanation: str
    source: SourceRef


@dataclass(frozen=True)
class SkinTypeSuitability:
    """Verdict for one normalised skin type (dry, normal, combination, oily, acne-prone, sensitive, mature)."""

    skin_type: str
    verdict: SuitabilityVerdict
    reason: str
    source: SourceRef


@dataclass(frozen=True)
class DietCompatibility:
    """Verdict for one diet (vegan, vegetarian), with whether an alternative exists."""

    diet: str
    verdict: SuitabilityVerdict
    reason: str
    alternative: str | None
    source: SourceRef


@dataclass(frozen=True)
class LifeStageAdvice:
    """State of evidence and advice for one life stage (pregnancy, breastfeeding)."""

    life_stage: str
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

    allergen: str
    verdict: SuitabilityVerdict
    reason: str
    source: SourceRef


@dataclass(frozen=True)
class SideEffect:
    """A possible side effect, how likely it is, and who is most at risk."""

    name: str
    description: str
    likelihood: Likelihood
    at_risk: str
    source: SourceRef


@dataclass(frozen=True)
class ComedogenicRating:
    """Pore-clogging potential on the 0 (never) to 5 (very likely) scale, with the reasoning."""

    rating: int
    rationale: str
    note: str | None
    source: SourceRef


@dataclass(frozen=True)
class UsageAdvice:
    """Practical advice on one usage topic."""

    topic: UsageTopic
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

    name: str
    slug: str
    inci_name: str
    synonyms: tuple[str, ...]
    misspellings: tuple[str, ...]
    description: TextFact
    origin: TextFact
    contents: TextFact
    history: TextFact | None
    manufacturing: TextFact
    form: TextFact
    product_types: tuple[str, ...]
    product_types_source: SourceRef
    functions: tuple[CosmeticFunction, ...]
    skin_types: tuple[SkinTypeSuitability, ...]
    diets: tuple[DietCompatibility, ...]
    life_stages: tuple[LifeStageAdvice, ...]
    sun: SunSensitivity | None
    allergens: tuple[AllergenVerdict, ...]
    side_effects: tuple[SideEffect, ...]
    side_effects_overview: TextFact | None
    comedogenic: ComedogenicRating | None
    usage: tuple[UsageAdvice, ...]
    tolerance: TextFact | None
    market_status: TextFact | None
    sources: tuple[SourceRef, ...] = field(default=())

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
