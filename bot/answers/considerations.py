"""Deciding what matters about the person: one section per thing they told us (or the question names).

Each function reads plain facts (``knowledge.facts``) and returns a :class:`Section`: template names with
store facts, a verdict, the disclaimer's risk and who to ask. No wording here (``bot.answers.render``),
no database.
"""

from __future__ import annotations

from bot.answers.decision import Point, Professional, Section, Verdict, point
from bot.safety.policy import Risk
from knowledge.facts import EvidenceState, IngredientFacts, SuitabilityVerdict

#: Store verdicts on the answer's scale.
SUITABILITY_VERDICTS = {
    SuitabilityVerdict.SUITABLE: Verdict.YES,
    SuitabilityVerdict.GENERALLY_TOLERATED: Verdict.GENERALLY_YES,
    SuitabilityVerdict.CAUTION: Verdict.CAUTION,
    SuitabilityVerdict.AVOID: Verdict.AVOID,
}
EVIDENCE_VERDICTS = {
    EvidenceState.NO_KNOWN_RISK: Verdict.NO_KNOWN_RISK,
    EvidenceState.LIMITED_EVIDENCE: Verdict.LIMITED_EVIDENCE,
    EvidenceState.KNOWN_RISK: Verdict.KNOWN_RISK,
}
CHILD = "child"
#: Intolerance values that only say dairy does not agree with the person, not whether it is an allergy
#: (knowledge/vocabulary.yml).
UNSPECIFIED_INTOLERANCES = {"dairy products"}


def fact(text: str | None) -> list[Point]:
    """A store text as a point (nothing when the store has none)."""
    return [point("fact", text=text)] if text else []


def skin_type_section(facts: IngredientFacts, skin_type: str) -> Section:
    """The store's verdict for one skin type, with every side-effect caveat the store gives for it."""
    entry = facts.skin_type(skin_type)
    if entry is None:
        return Section((point("no_info_skin_type", skin_type=skin_type),), Verdict.UNKNOWN,
                       tags=("skin_type",), considered=(f"skin_type:{skin_type}",))
    caveats = [point("skin_type_caveat", effect=e.name, at_risk=e.at_risk, likelihood=e.likelihood.value)
               for e in facts.side_effects if skin_type in e.at_risk.lower()]
    return Section((point("skin_type_verdict", skin_type=skin_type, verdict=entry.verdict.value),
                    *fact(entry.reason), *caveats),
                   SUITABILITY_VERDICTS[entry.verdict], tags=("skin_type",), considered=(f"skin_type:{skin_type}",))


def skin_types_overview(facts: IngredientFacts) -> Section:
    """No skin type known: which skin types the store says it suits, and an invitation to say theirs."""
    groups = {v: [s.skin_type for s in facts.skin_types if s.verdict is v] for v in SuitabilityVerdict}
    if not facts.skin_types:
        return Section((point("no_info", what="skin types"),), Verdict.UNKNOWN, tags=("skin_type",))
    points = [point(f"skin_types_{verdict.value}", skin_types=types) for verdict, types in groups.items() if types]
    caveats = [point("side_effect_at_risk", effect=e.name, at_risk=e.at_risk) for e in facts.side_effects
               if any(s.skin_type in e.at_risk.lower() for s in facts.skin_types)]
    return Section((*points, *caveats, point("ask_skin_type")), Verdict.INFO, tags=("skin_type",))


def diet_section(facts: IngredientFacts, diet: str) -> Section:
    """The store's verdict for one diet; for a diet it does not cover, where the ingredient comes from."""
    entry = facts.diet(diet)
    if entry is None:
        return Section((point("no_info_diet", diet=diet), point("what_i_know", text=facts.origin.text)),
                       Verdict.UNKNOWN, tags=(diet,), considered=(f"diet:{diet}",))
    points = [point("diet_verdict", diet=diet, verdict=entry.verdict.value), *fact(entry.reason)]
    if entry.alternative:
        points += fact(entry.alternative)
    elif entry.verdict in (SuitabilityVerdict.CAUTION, SuitabilityVerdict.AVOID):
        points.append(point("no_alternative"))
    return Section(tuple(points), SUITABILITY_VERDICTS[entry.verdict], tags=(diet,), considered=(f"diet:{diet}",))


def life_stage_section(facts: IngredientFacts, stage: str) -> Section:
    """Pregnancy or breastfeeding: the state of evidence and the store's advice; children have their own."""
    if stage == CHILD:
        return children_section(facts)
    entry = facts.life_stage(stage)
    tags = (stage,)
    if entry is None:
        return Section((point("no_info_life_stage", life_stage=stage), point("ask_professional")),
                       Verdict.UNKNOWN, Risk.LIFE_STAGE, Professional.HEALTHCARE_PROFESSIONAL, tags,
                       (f"life_stage:{stage}",))
    return Section((point("evidence_headline", life_stage=stage, evidence=entry.evidence.value),
                    *fact(entry.summary), *fact(entry.advice)),
                   EVIDENCE_VERDICTS[entry.evidence], Risk.LIFE_STAGE, Professional.HEALTHCARE_PROFESSIONAL, tags,
                   (f"life_stage:{stage}",))


def children_section(facts: IngredientFacts) -> Section:
    """Babies and children: the store's advice if it has any, else an honest 'nothing verified'."""
    entry = facts.life_stage(CHILD)
    considered = ("life_stage:child",)
    if entry is None:
        return Section((point("no_info_children"), point("ask_paediatrician")), Verdict.UNKNOWN, Risk.CHILDREN,
                       Professional.PAEDIATRICIAN, ("children",), considered)
    return Section((point("evidence_headline", life_stage=CHILD, evidence=entry.evidence.value),
                    *fact(entry.summary), *fact(entry.advice)),
                   EVIDENCE_VERDICTS[entry.evidence], Risk.CHILDREN, Professional.PAEDIATRICIAN, ("children",),
                   considered)


def allergy_section(facts: IngredientFacts, allergen: str) -> Section:
    """The store's verdict for one allergy."""
    entry = facts.allergen(allergen)
    considered = (f"allergy:{allergen}",)
    if entry is None:
        return Section((point("no_info_allergy", allergen=allergen),), Verdict.UNKNOWN, Risk.ALLERGY,
                       Professional.ALLERGIST, ("allergy",), considered)
    return Section((point("allergen_verdict", allergen=allergen, verdict=entry.verdict.value), *fact(entry.reason)),
                   SUITABILITY_VERDICTS[entry.verdict], Risk.ALLERGY, Professional.ALLERGIST, ("allergy",),
                   considered)


def intolerance_section(facts: IngredientFacts, intolerance: str) -> Section:
    """An intolerance is not an allergy: what the store says on allergies, and that it says nothing on this."""
    points: list[Point] = [point("intolerance_not_allergy", intolerance=intolerance,
                                 unspecified=intolerance in UNSPECIFIED_INTOLERANCES)]
    verdict = Verdict.UNKNOWN
    for entry in facts.allergens:
        points += [point("if_allergy", allergen=entry.allergen, verdict=entry.verdict.value), *fact(entry.reason)]
        if entry.verdict in (SuitabilityVerdict.CAUTION, SuitabilityVerdict.AVOID):
            verdict = Verdict.CAUTION
    points += [point("no_info_intolerance", intolerance=intolerance), point("what_i_know", text=facts.origin.text)]
    return Section(tuple(points), verdict, Risk.ALLERGY, Professional.DOCTOR, ("allergy",),
                   (f"intolerance:{intolerance}",))


def conditions_section(facts: IngredientFacts, conditions: tuple[str, ...], for_child: bool = False) -> Section:
    """Skin conditions: the store holds no verdicts on them; say so and point to a dermatologist."""
    return Section((point("no_info_conditions", conditions=conditions, for_child=for_child),
                    point("ask_dermatologist", for_child=for_child)),
                   Verdict.UNKNOWN, Risk.SKIN_CONDITION, Professional.DERMATOLOGIST, ("skin_condition",),
                   tuple(f"skin_condition:{c}" for c in conditions))


def medicines_section(facts: IngredientFacts, medicines: tuple[str, ...]) -> Section:
    """Medicines and strong actives used at the same time: the store holds no interaction data."""
    return Section((point("no_interaction_data", medicines=medicines), point("ask_pharmacist")),
                   Verdict.UNKNOWN, Risk.MEDICINES, Professional.PHARMACIST, ("medicines",),
                   tuple(f"medicine:{m}" for m in medicines) or ("medicine",))


def allergy_leads(facts: IngredientFacts, allergens: tuple[str, ...]) -> list[Section]:
    """Allergies the store advises care or avoidance for: these lead any suitability answer."""
    leading = []
    for allergen in allergens:
        entry = facts.allergen(allergen)
        if entry is not None and entry.verdict in (SuitabilityVerdict.CAUTION, SuitabilityVerdict.AVOID):
            leading.append(allergy_section(facts, allergen))
    return leading
