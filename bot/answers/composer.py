"""Turn facts from the knowledge store into short, friendly replies.

Shape of every answer: the verdict first, then the reason from the store, then advice; a short
disclaimer only where the topic is health-adjacent (chosen by bot.safety.policy), and follow-up
buttons. The composer never queries the database and never invents a fact: a topic the profile does
not cover gets an honest "I don't have verified information on that".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from bot.answers.topics import TOPIC_TAGS, Button, Topic, ask_button, follow_up_buttons
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
    object_pronoun,
    sentence,
    skin_label,
    skin_verdict_headline,
)
from bot.safety.claims import treatment_claims
from bot.safety.policy import Risk, cosmetic_not_treatment, disclaimer_for, reaction_steps
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


@dataclass(frozen=True)
class PersonProfile:
    """What the person has told us about themselves (normalised vocabulary values)."""

    skin_type: str | None = None
    diet: str | None = None
    life_stage: str | None = None
    allergies: tuple[str, ...] = ()
    skin_conditions: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        """True when nothing about the person is known."""
        return not (self.skin_type or self.diet or self.life_stage or self.allergies or self.skin_conditions)


@dataclass(frozen=True)
class Question:
    """One ingredient question: the topic plus whatever the person named in the message."""

    topic: Topic
    skin_types: tuple[str, ...] = ()
    diets: tuple[str, ...] = ()
    life_stages: tuple[str, ...] = ()
    allergens: tuple[str, ...] = ()
    skin_conditions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Answer:
    """A composed reply: text, an optional disclaimer, buttons, and triage tags."""

    text: str
    disclaimer: str | None = None
    buttons: tuple[Button, ...] = ()
    tags: tuple[str, ...] = ()
    risk: Risk = Risk.NONE
    notes: tuple[str, ...] = field(default=())

    @property
    def full_text(self) -> str:
        """The text as the person reads it, disclaimer last."""
        return f"{self.text}\n\nℹ️ {self.disclaimer}" if self.disclaimer else self.text


def _answer(facts: IngredientFacts, topic: Topic, parts: Sequence[str], risk: Risk = Risk.NONE,
            tags: Sequence[str] = ()) -> Answer:
    text = " ".join(p for p in (sentence(p) for p in parts) if p)
    if treatment_claims(text):  # a profile must never make us claim a cure; fail loudly in tests
        raise ValueError(f"answer for {facts.name!r} makes a treatment claim: {treatment_claims(text)}")
    return Answer(
        text=text,
        disclaimer=disclaimer_for(risk),
        buttons=tuple(follow_up_buttons(topic, facts.name)),
        tags=tuple(dict.fromkeys([*tags, TOPIC_TAGS[topic]])) if not tags else tuple(dict.fromkeys(tags)),
        risk=risk,
    )


def _not_covered(facts: IngredientFacts, what: str, topic: Topic) -> Answer:
    return Answer(
        text=(
            f"I don't have verified information on {what} for {facts.name}, so I'd rather not guess. "
            "Our support team can look into it for you."
        ),
        buttons=(*follow_up_buttons(topic, facts.name)[:2], Button("Talk to a person", "/request_human")),
        tags=(TOPIC_TAGS[topic], "knowledge_gap"),
    )


def _patch_test_advice(facts: IngredientFacts) -> str | None:
    advice = facts.usage_advice(UsageTopic.PATCH_TEST)
    return advice.advice if advice else None


def compose_what_is(facts: IngredientFacts, question: Question) -> Answer:
    """What the ingredient is and where it comes from."""
    parts = [facts.description.text, facts.origin.text]
    if facts.history:
        parts.append(facts.history.text)
    return _answer(facts, Topic.WHAT_IS, parts)


def compose_contents(facts: IngredientFacts, question: Question) -> Answer:
    """What the ingredient contains."""
    return _answer(facts, Topic.CONTENTS, [facts.contents.text])


def compose_how_made(facts: IngredientFacts, question: Question) -> Answer:
    """How it is made, and the form it ends up in."""
    return _answer(facts, Topic.HOW_MADE, [facts.manufacturing.text, facts.form.text])


def compose_products(facts: IngredientFacts, question: Question) -> Answer:
    """Which kinds of product contain it."""
    if not facts.product_types:
        return _not_covered(facts, "the products it appears in", Topic.PRODUCTS)
    return _answer(
        facts, Topic.PRODUCTS,
        [f"You'll typically find {facts.name} in {join_words(list(facts.product_types))}",
         facts.market_status.text if facts.market_status else ""],
    )


def compose_benefits(facts: IngredientFacts, question: Question) -> Answer:
    """Its cosmetic functions, each with a plain explanation."""
    if not facts.functions:
        return _not_covered(facts, "its cosmetic functions", Topic.BENEFITS)
    names = join_words([f.name.lower() for f in facts.functions])
    parts = [f"In skincare, {facts.name} {be(facts.name)} used as {names}"]
    parts += [f"{capitalised(f.name)}: {f.explanation[:1].lower()}{f.explanation[1:]}" for f in facts.functions]
    return _answer(facts, Topic.BENEFITS, parts)


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
            return _not_covered(facts, "skin types", Topic.SUITABILITY)
        parts.append("Tell me your skin type (for example \"I have oily skin\") and I'll answer for you")
        return _answer(facts, Topic.SUITABILITY, parts)
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
        return _not_covered(facts, f"how it suits {join_words(missing)}", Topic.SUITABILITY)
    if missing:
        parts.append(f"I don't have verified information on {join_words(missing)}")
    # Their other profile facts matter too ("does it suit me?" when they are also vegan, pregnant...).
    extra = _profile_extras(facts, PersonProfile(
        diet=profile.diet, life_stage=profile.life_stage, allergies=profile.allergies,
        skin_conditions=profile.skin_conditions)) if not question.skin_types else _ProfileExtras()
    patch = _patch_test_advice(facts)
    risk = extra.risk if extra.parts else Risk.NONE
    return _answer(facts, Topic.SUITABILITY, [*parts, *extra.parts, patch or ""], risk,
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
    patch = _patch_test_advice(facts)
    if patch:
        parts.append(patch)
    return _answer(facts, Topic.SUITABILITY, parts, extras.risk, tags=[*tags, *extras.tags] or ["skin_type"])


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
        return _not_covered(facts, f"{join_words(list(diets)) or 'diet'} suitability", Topic.DIET)
    return _answer(facts, Topic.DIET, parts, tags=list(diets) or ["diet"])


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
        return _not_covered(facts, f"use during {join_words(list(stages)) or 'pregnancy'}", Topic.LIFE_STAGE)
    return _answer(facts, Topic.LIFE_STAGE, [*parts, *advice], Risk.LIFE_STAGE, tags=list(stages))


def compose_sun(facts: IngredientFacts, question: Question) -> Answer:
    """Sun sensitivity and daytime use."""
    if facts.sun is None:
        return _not_covered(facts, "sun sensitivity", Topic.SUN)
    verb = "make" if be(facts.name) == "are" else "makes"
    negative = f"{does(facts.name)}n't"
    headline = (f"Yes: {facts.name} can make skin more sensitive to the sun."
                if facts.sun.increases_photosensitivity
                else f"No: {facts.name} {negative} {verb.rstrip('s')} skin more sensitive to the sun.")
    return _answer(facts, Topic.SUN, [headline, facts.sun.explanation, facts.sun.daytime_advice])


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
        return _not_covered(facts, what, Topic.ALLERGY)
    if unknown:
        parts.append(f"I don't have verified information on {join_words(unknown)} allergies")
    patch = _patch_test_advice(facts)
    if patch:
        parts.append(patch)
    return _answer(facts, Topic.ALLERGY, parts, Risk.ALLERGY, tags=["allergy"])


def compose_side_effects(facts: IngredientFacts, question: Question) -> Answer:
    """Possible side effects with how likely they are and who is at risk, then what to do."""
    if not facts.side_effects:
        return _not_covered(facts, "side effects", Topic.SIDE_EFFECTS)
    parts = [facts.side_effects_overview.text] if facts.side_effects_overview else []
    for effect in facts.side_effects:
        parts.append(f"{capitalised(effect.name)} ({LIKELIHOOD_WORDS[effect.likelihood]}): {effect.description} "
                     f"Most likely: {effect.at_risk}")
    on_reaction = facts.usage_advice(UsageTopic.ON_REACTION)
    if on_reaction:
        parts.append(on_reaction.advice)
    return _answer(facts, Topic.SIDE_EFFECTS, parts, Risk.SIDE_EFFECTS, tags=["side_effects"])


def compose_reaction_advice(facts: IngredientFacts, question: Question) -> Answer:
    """What to do if it irritates the skin (asked in advance, not a reaction happening now)."""
    on_reaction = facts.usage_advice(UsageTopic.ON_REACTION)
    return _answer(facts, Topic.REACTION_ADVICE, [reaction_steps(on_reaction.advice if on_reaction else None)],
                   Risk.SIDE_EFFECTS, tags=["side_effects"])


def compose_comedogenic(facts: IngredientFacts, question: Question) -> Answer:
    """Comedogenic rating (0-5) with the reasoning."""
    rating = facts.comedogenic
    if rating is None:
        return _not_covered(facts, "a comedogenic rating", Topic.COMEDOGENIC)
    parts = [f"Comedogenic rating: {rating.rating}/5, a {COMEDOGENIC_SCALE[rating.rating]}", rating.rationale]
    if rating.note:
        parts.append(rating.note)
    return _answer(facts, Topic.COMEDOGENIC, parts)


def compose_patch_test(facts: IngredientFacts, question: Question) -> Answer:
    """Whether and how to patch test."""
    advice = _patch_test_advice(facts)
    parts = [advice] if advice else [f"Patch testing is a sensible first step with {facts.name}"]
    return _answer(facts, Topic.PATCH_TEST, [*parts, PATCH_TEST_METHOD])


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
    patch = _patch_test_advice(facts)
    if patch:
        parts.append(patch)
    return _answer(facts, Topic.SUMMARY, parts)


def compose_treatment(facts: IngredientFacts, question: Question) -> Answer:
    """'Does it cure eczema?': cosmetic, not a treatment; what it does cosmetically; see a dermatologist."""
    condition = join_words(list(question.skin_conditions)) or None
    parts = [cosmetic_not_treatment(capitalised(facts.name), be(facts.name), condition)]
    if facts.functions:
        what = "What they do" if be(facts.name) == "are" else "What it does"
        parts.append(f"{what} is cosmetic: {join_words([f.name.lower() for f in facts.functions])}")
    return _answer(facts, Topic.TREATMENT, parts, Risk.SKIN_CONDITION, tags=["treatment_claim"])


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


def compose_unknown_ingredient(name: str, known: Sequence[str]) -> Answer:
    """An ingredient the store has no profile for: say so plainly, never borrow another's facts."""
    offer = f" I can tell you about {join_words(list(known))}." if known else ""
    return Answer(
        text=(f"I don't have verified information on {name}, so I can't answer that for it.{offer} "
              "If you like, I can pass your question to our support team."),
        buttons=(*(ask_button(f"About {k}", Topic.SUMMARY, k) for k in known[:3]),
                 Button("Talk to a person", "/request_human")),
        tags=("unknown_ingredient",),
    )


def compose_which_ingredient(known: Sequence[str], topic: Topic) -> Answer:
    """Several ingredients are in the store and none was named: ask which, with buttons."""
    return Answer(
        text="Which ingredient do you mean?",
        buttons=tuple(ask_button(name, topic, name) for name in known[:10]),
    )


def with_assumed_ingredient(answer: Answer, name: str) -> Answer:
    """The answer, opened with a note that the only ingredient in the store was assumed (none was named)."""
    note = f"Assuming you mean {name}, the ingredient I have verified information on: "
    return replace(answer, text=note + answer.text[:1].lower() + answer.text[1:])


def compose_store_unavailable() -> Answer:
    """The knowledge store cannot be read: apologise without guessing."""
    return Answer(
        text=("Sorry, I can't reach my ingredient information right now, so I can't answer safely. "
              "Please try again in a moment, or ask to talk to a person."),
        buttons=(Button("Talk to a person", "/request_human"),),
        tags=("store_unavailable",),
    )


def compose_no_ingredients() -> Answer:
    """The store is reachable but holds no profile yet."""
    return Answer(text="I don't have verified information on any ingredient yet, so I can't answer that.",
                  buttons=(Button("Talk to a person", "/request_human"),))
