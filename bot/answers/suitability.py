"""Answers about the person: does an ingredient suit their skin type, diet, life stage, allergies."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.answers.answer import Answer, PersonProfile, Question, build_answer, not_covered, patch_test_advice
from bot.answers.topics import Topic
from bot.answers.wording import (
    allergen_verdict_headline,
    be,
    capitalised,
    diet_verdict_headline,
    evidence_headline,
    join_words,
    object_pronoun,
    skin_label,
    skin_verdict_headline,
)
from bot.safety.policy import Risk
from knowledge.facts import IngredientFacts, SuitabilityVerdict


def _skin_type_parts(facts: IngredientFacts, skin_type: str) -> list[str] | None:
    verdict = facts.skin_type(skin_type)
    if verdict is None:
        return None
    return [skin_verdict_headline(facts.name, skin_type, verdict.verdict), verdict.reason]


def compose_suitability(facts: IngredientFacts, question: Question, profile: PersonProfile) -> Answer:
    """Whether it suits a skin type: the one asked about, else the person's own; every profile fact that matters."""
    skin_types = question.skin_types or ((profile.skin_type,) if profile.skin_type else ())
    if not skin_types and profile.is_empty:
        suited = [s.skin_type for s in facts.skin_types if s.verdict is SuitabilityVerdict.SUITABLE]
        tolerated = [s.skin_type for s in facts.skin_types
                     if s.verdict is SuitabilityVerdict.GENERALLY_TOLERATED]
        careful = [s.skin_type for s in facts.skin_types
                   if s.verdict in (SuitabilityVerdict.CAUTION, SuitabilityVerdict.AVOID)]
        parts = []
        if suited:
            parts.append(f"{capitalised(facts.name)} suit{'' if be(facts.name) == 'are' else 's'} "
                         f"{join_words(suited)} skin")
        if tolerated:
            parts.append(f"{capitalised(join_words(tolerated))} skin generally tolerates {object_pronoun(facts.name)}"
                         " well")
        if careful:
            parts.append(f"Take care with {join_words(careful)} skin")
        if not parts:
            return not_covered(facts, "skin types", Topic.SUITABILITY)
        parts.append("Tell me your skin type (for example \"I have oily skin\") and I'll answer for you")
        return build_answer(facts, Topic.SUITABILITY, parts)
    if not skin_types:
        return compose_profile_fit(facts, profile)
    parts: list[str] = []
    missing: list[str] = []
    for skin_type in skin_types:
        found = _skin_type_parts(facts, skin_type)
        if found is None:
            missing.append(skin_label(skin_type))
        else:
            parts += found
    if not parts:
        return not_covered(facts, f"how it suits {join_words(missing)}", Topic.SUITABILITY)
    if missing:
        parts.append(f"I don't have verified information on {join_words(missing)}")
    # Their other profile facts matter too ("does it suit me?" when they are also vegan, pregnant...).
    extra = _profile_extras(facts, PersonProfile(
        diet=profile.diet, life_stage=profile.life_stage, allergies=profile.allergies,
        skin_conditions=profile.skin_conditions)) if not question.skin_types else _ProfileExtras()
    patch = patch_test_advice(facts)
    risk = extra.risk if extra.parts else Risk.NONE
    return build_answer(facts, Topic.SUITABILITY, [*parts, *extra.parts, patch or ""], risk,
                   tags=["skin_type", *extra.tags])


@dataclass
class _ProfileExtras:
    parts: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    risk: Risk = Risk.NONE


_RISK_ORDER = (Risk.NONE, Risk.SIDE_EFFECTS, Risk.LIFE_STAGE, Risk.ALLERGY, Risk.SKIN_CONDITION)


def _raise_risk(current: Risk, new: Risk) -> Risk:
    return new if _RISK_ORDER.index(new) > _RISK_ORDER.index(current) else current


def _profile_extras(facts: IngredientFacts, profile: PersonProfile) -> _ProfileExtras:
    """Verdicts for each diet, life stage, allergy and condition the person told us about."""
    extras = _ProfileExtras()
    if profile.diet:
        diet = facts.diet(profile.diet)
        if diet:
            headline = diet_verdict_headline(facts.name, profile.diet, diet.verdict)
            extras.parts += [f"Since you're {profile.diet}: {headline[0].lower()}{headline[1:]}", diet.reason]
            extras.tags.append(profile.diet)
    if profile.life_stage:
        stage = facts.life_stage(profile.life_stage)
        if stage:
            extras.parts += [evidence_headline(facts.name, stage.life_stage, stage.evidence), stage.advice]
            extras.tags.append(profile.life_stage)
            extras.risk = _raise_risk(extras.risk, Risk.LIFE_STAGE)
    for allergen in profile.allergies:
        verdict = facts.allergen(allergen)
        if verdict:
            extras.parts += [allergen_verdict_headline(facts.name, allergen, verdict.verdict), verdict.reason]
            extras.tags.append("allergy")
            extras.risk = _raise_risk(extras.risk, Risk.ALLERGY)
    if profile.skin_conditions:
        extras.parts.append(
            f"With {join_words(list(profile.skin_conditions))}, check new products with your dermatologist"
        )
        extras.risk = _raise_risk(extras.risk, Risk.SKIN_CONDITION)
    return extras


def compose_profile_fit(facts: IngredientFacts, profile: PersonProfile) -> Answer:
    """'Does it suit me?': one reply covering every profile fact that matters."""
    parts: list[str] = []
    tags: list[str] = []
    if profile.skin_type:
        found = _skin_type_parts(facts, profile.skin_type)
        parts += found or [f"I don't have verified information on {skin_label(profile.skin_type)}"]
        tags.append("skin_type")
    extras = _profile_extras(facts, profile)
    parts += extras.parts
    patch = patch_test_advice(facts)
    if patch:
        parts.append(patch)
    return build_answer(facts, Topic.SUITABILITY, parts, extras.risk, tags=[*tags, *extras.tags] or ["skin_type"])


