"""Turn facts from the knowledge store into short, friendly replies, one composer per topic.

Shape of every answer: the verdict first, then the reason from the store, then advice; a short
disclaimer only where the topic is health-adjacent (chosen by bot.safety.policy), and follow-up
buttons. The composers never query the database and never invent a fact: a topic the profile does
not cover gets an honest "I don't have verified information on that".
"""

from __future__ import annotations

from collections.abc import Callable

from bot.answers.answer import Answer, PersonProfile, Question, build_answer, not_covered, patch_test_advice
from bot.answers.suitability import compose_suitability
from bot.answers.topics import Topic
from bot.answers.wording import (
    COMEDOGENIC_SCALE,
    LIKELIHOOD_WORDS,
    allergen_verdict_headline,
    be,
    capitalised,
    diet_verdict_headline,
    does,
    evidence_headline,
    join_words,
)
from bot.safety.policy import Risk, cosmetic_not_treatment, reaction_steps
from knowledge.facts import (
    DietCompatibility,
    EvidenceState,
    IngredientFacts,
    LifeStageAdvice,
    SuitabilityVerdict,
    UsageTopic,
)

# A profile's `alternative: null` records that no plant-based or synthetic version exists.
NO_ALTERNATIVE = "There's no plant-based or synthetic alternative to it."

PATCH_TEST_METHOD = (
    "To patch test, apply a small amount to the inside of your forearm or behind your ear once a day "
    "for two or three days, and only use it more widely if there's no redness, itching or stinging."
)



def compose_what_is(facts: IngredientFacts, question: Question) -> Answer:
    """What the ingredient is and where it comes from."""
    parts = [facts.description.text, facts.origin.text]
    if facts.history:
        parts.append(facts.history.text)
    return build_answer(facts, Topic.WHAT_IS, parts)


def compose_contents(facts: IngredientFacts, question: Question) -> Answer:
    """What the ingredient contains."""
    return build_answer(facts, Topic.CONTENTS, [facts.contents.text])


def compose_how_made(facts: IngredientFacts, question: Question) -> Answer:
    """How it is made, and the form it ends up in."""
    return build_answer(facts, Topic.HOW_MADE, [facts.manufacturing.text, facts.form.text])


def compose_products(facts: IngredientFacts, question: Question) -> Answer:
    """Which kinds of product contain it."""
    if not facts.product_types:
        return not_covered(facts, "the products it appears in", Topic.PRODUCTS)
    return build_answer(
        facts, Topic.PRODUCTS,
        [f"You'll typically find {facts.name} in {join_words(list(facts.product_types))}",
         facts.market_status.text if facts.market_status else ""],
    )


def compose_benefits(facts: IngredientFacts, question: Question) -> Answer:
    """Its cosmetic functions, each with a plain explanation."""
    if not facts.functions:
        return not_covered(facts, "its cosmetic functions", Topic.BENEFITS)
    names = join_words([f.name.lower() for f in facts.functions])
    parts = [f"In skincare, {facts.name} {be(facts.name)} used as {names}"]
    parts += [f"{capitalised(f.name)}: {f.explanation[:1].lower()}{f.explanation[1:]}" for f in facts.functions]
    return build_answer(facts, Topic.BENEFITS, parts)


def compose_diet(facts: IngredientFacts, question: Question, profile: PersonProfile) -> Answer:
    """Vegan / vegetarian: verdict, reason, and whether an alternative exists."""
    diets = question.diets or ((profile.diet,) if profile.diet else ()) or tuple(d.diet for d in facts.diets)
    parts: list[str] = []
    # Diets with the same verdict are answered together ("No: ... aren't vegan or vegetarian").
    by_verdict: dict[SuitabilityVerdict, list[DietCompatibility]] = {}
    for name in diets:
        diet = facts.diet(name)
        if diet is not None:
            by_verdict.setdefault(diet.verdict, []).append(diet)
    for verdict, group in by_verdict.items():
        label = " or ".join(d.diet for d in group)
        parts += [diet_verdict_headline(facts.name, label, verdict), group[0].reason]
        if group[0].alternative:
            parts.append(group[0].alternative)
        elif verdict in (SuitabilityVerdict.CAUTION, SuitabilityVerdict.AVOID):
            parts.append(NO_ALTERNATIVE)
    if not parts:
        return not_covered(facts, f"{join_words(list(diets)) or 'diet'} suitability", Topic.DIET)
    return build_answer(facts, Topic.DIET, parts, tags=list(diets) or ["diet"])


def compose_life_stage(facts: IngredientFacts, question: Question, profile: PersonProfile) -> Answer:
    """Pregnancy / breastfeeding: the state of evidence and the advice."""
    stages = (question.life_stages or ((profile.life_stage,) if profile.life_stage else ())
              or tuple(s.life_stage for s in facts.life_stages))
    parts: list[str] = []
    advice: list[str] = []
    # Life stages with the same state of evidence are answered together.
    by_evidence: dict[EvidenceState, list[LifeStageAdvice]] = {}
    for name in stages:
        stage = facts.life_stage(name)
        if stage is not None:
            by_evidence.setdefault(stage.evidence, []).append(stage)
    for evidence, group in by_evidence.items():
        label = " or ".join(s.life_stage for s in group)
        parts += [evidence_headline(facts.name, label, evidence), group[0].summary if len(group) == 1 else ""]
        if group[0].advice not in advice:
            advice.append(group[0].advice)
    if not parts:
        return not_covered(facts, f"use during {join_words(list(stages)) or 'pregnancy'}", Topic.LIFE_STAGE)
    return build_answer(facts, Topic.LIFE_STAGE, [*parts, *advice], Risk.LIFE_STAGE, tags=list(stages))


def compose_sun(facts: IngredientFacts, question: Question) -> Answer:
    """Sun sensitivity and daytime use."""
    if facts.sun is None:
        return not_covered(facts, "sun sensitivity", Topic.SUN)
    verb = "make" if be(facts.name) == "are" else "makes"
    negative = f"{does(facts.name)}n't"
    headline = (f"Yes: {facts.name} can make skin more sensitive to the sun."
                if facts.sun.increases_photosensitivity
                else f"No: {facts.name} {negative} {verb.rstrip('s')} skin more sensitive to the sun.")
    return build_answer(facts, Topic.SUN, [headline, facts.sun.explanation, facts.sun.daytime_advice])


def compose_allergy(facts: IngredientFacts, question: Question, profile: PersonProfile) -> Answer:
    """Allergies: the verdict for the allergy asked about (or the person's), else what the profile lists."""
    allergens = question.allergens or profile.allergies or tuple(a.allergen for a in facts.allergens)
    parts: list[str] = []
    unknown: list[str] = []
    for name in allergens:
        verdict = facts.allergen(name)
        if verdict is None:
            unknown.append(name)
            continue
        parts += [allergen_verdict_headline(facts.name, name, verdict.verdict), verdict.reason]
    if not parts:
        what = f"{join_words(unknown)} allergies" if unknown else "allergens"
        return not_covered(facts, what, Topic.ALLERGY)
    if unknown:
        parts.append(f"I don't have verified information on {join_words(unknown)} allergies")
    patch = patch_test_advice(facts)
    if patch:
        parts.append(patch)
    return build_answer(facts, Topic.ALLERGY, parts, Risk.ALLERGY, tags=["allergy"])


def compose_side_effects(facts: IngredientFacts, question: Question) -> Answer:
    """Possible side effects with how likely they are and who is at risk, then what to do."""
    if not facts.side_effects:
        return not_covered(facts, "side effects", Topic.SIDE_EFFECTS)
    parts = [facts.side_effects_overview.text] if facts.side_effects_overview else []
    for effect in facts.side_effects:
        parts.append(f"{capitalised(effect.name)} ({LIKELIHOOD_WORDS[effect.likelihood]}): {effect.description} "
                     f"Most likely: {effect.at_risk}")
    on_reaction = facts.usage_advice(UsageTopic.ON_REACTION)
    if on_reaction:
        parts.append(on_reaction.advice)
    return build_answer(facts, Topic.SIDE_EFFECTS, parts, Risk.SIDE_EFFECTS, tags=["side_effects"])


def compose_reaction_advice(facts: IngredientFacts, question: Question) -> Answer:
    """What to do if it irritates the skin (asked in advance, not a reaction happening now)."""
    on_reaction = facts.usage_advice(UsageTopic.ON_REACTION)
    return build_answer(facts, Topic.REACTION_ADVICE, [reaction_steps(on_reaction.advice if on_reaction else None)],
                   Risk.SIDE_EFFECTS, tags=["side_effects"])


def compose_comedogenic(facts: IngredientFacts, question: Question) -> Answer:
    """Comedogenic rating (0-5) with the reasoning."""
    rating = facts.comedogenic
    if rating is None:
        return not_covered(facts, "a comedogenic rating", Topic.COMEDOGENIC)
    parts = [f"Comedogenic rating: {rating.rating}/5, a {COMEDOGENIC_SCALE[rating.rating]}", rating.rationale]
    if rating.note:
        parts.append(rating.note)
    return build_answer(facts, Topic.COMEDOGENIC, parts)


def compose_patch_test(facts: IngredientFacts, question: Question) -> Answer:
    """Whether and how to patch test."""
    advice = patch_test_advice(facts)
    parts = [advice] if advice else [f"Patch testing is a sensible first step with {facts.name}"]
    return build_answer(facts, Topic.PATCH_TEST, [*parts, PATCH_TEST_METHOD])


def compose_summary(facts: IngredientFacts, question: Question) -> Answer:
    """'Tell me about X': a short overview of the most useful facts."""
    parts = [facts.description.text]
    if facts.functions:
        parts.append(f"Used in skincare as {join_words([f.name.lower() for f in facts.functions])}")
    suited = [s.skin_type for s in facts.skin_types
              if s.verdict in (SuitabilityVerdict.SUITABLE, SuitabilityVerdict.GENERALLY_TOLERATED)]
    if suited:
        parts.append(f"Suits most skin types: {join_words(suited)}")
    if facts.comedogenic:
        parts.append(f"Comedogenic rating {facts.comedogenic.rating}/5")
    for fact in (facts.tolerance, facts.market_status):
        if fact:
            parts.append(fact.text)
    patch = patch_test_advice(facts)
    if patch:
        parts.append(patch)
    return build_answer(facts, Topic.SUMMARY, parts)


def compose_treatment(facts: IngredientFacts, question: Question) -> Answer:
    """'Does it cure eczema?': cosmetic, not a treatment; what it does cosmetically; see a dermatologist."""
    condition = join_words(list(question.skin_conditions)) or None
    parts = [cosmetic_not_treatment(capitalised(facts.name), be(facts.name), condition)]
    if facts.functions:
        what = "What they do" if be(facts.name) == "are" else "What it does"
        parts.append(f"{what} is cosmetic: {join_words([f.name.lower() for f in facts.functions])}")
    return build_answer(facts, Topic.TREATMENT, parts, Risk.SKIN_CONDITION, tags=["treatment_claim"])


_COMPOSERS: dict[Topic, Callable[..., Answer]] = {
    Topic.WHAT_IS: compose_what_is,
    Topic.CONTENTS: compose_contents,
    Topic.HOW_MADE: compose_how_made,
    Topic.PRODUCTS: compose_products,
    Topic.BENEFITS: compose_benefits,
    Topic.SUN: compose_sun,
    Topic.SIDE_EFFECTS: compose_side_effects,
    Topic.REACTION_ADVICE: compose_reaction_advice,
    Topic.COMEDOGENIC: compose_comedogenic,
    Topic.PATCH_TEST: compose_patch_test,
    Topic.SUMMARY: compose_summary,
    Topic.TREATMENT: compose_treatment,
}
_PROFILE_COMPOSERS: dict[Topic, Callable[..., Answer]] = {
    Topic.SUITABILITY: compose_suitability,
    Topic.DIET: compose_diet,
    Topic.LIFE_STAGE: compose_life_stage,
    Topic.ALLERGY: compose_allergy,
}


def compose_answer(facts: IngredientFacts, question: Question, profile: PersonProfile) -> Answer:
    """The reply to one ingredient question, for this person."""
    if question.topic in _PROFILE_COMPOSERS:
        return _PROFILE_COMPOSERS[question.topic](facts, question, profile)
    return _COMPOSERS[question.topic](facts, question)


